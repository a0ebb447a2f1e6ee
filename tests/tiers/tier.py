"""A tier that exists only in the test suite, declared the way a real one is (docs/adding-a-tier.md):
a small referral form, a three-status workflow, a booking rule, its own roles, events and pages.

`registered()` adds it for a test and removes it afterwards, so the rest of the suite sees the
service as it ships."""

import contextlib

from cas.core import tiers
from cas.core.permissions import Permission as P
from cas.core.tiers import BookingRules, Status, Tier, Workflow
from cas.events.domain_events import EVENT_TYPES
from cas.forms_engine import forms as f
from cas.forms_engine import registry as form_registry
from cas.forms_engine.definition import END, FormDefinition, Page, Section, Task
from cas.placements import events as booking_events

SERVICE = "tst"
REFERRER = "tst_referrer"
ASSESSOR = "tst_assessor"
MAX_NIGHTS = 10


class NeedForm(f.PageForm):
    heading_field = "need"
    need = f.radios(
        "What does {name} need?", [("room", "A room"), ("flat", "A flat")], error="Select what {name} needs"
    )


def _reporting(answers, ctx) -> dict:
    return {}


FORM = FormDefinition(
    key="tst-referral",
    version=1,
    title="Test tier referral",
    sections=(
        Section(
            "about",
            "About the person",
            (Task("need", "Accommodation needed", (Page("need", "What do they need?", NeedForm, next=END),)),),
        ),
    ),
    reporting=_reporting,
)


def form_context(referral) -> dict:
    return {"placeholders": {"name": referral.person_name}}


def route(referral, fields: dict) -> None:
    """A referral of this tier stays in the referrer's own region."""
    referral.region = referral.origin_region


WORKFLOW = Workflow(
    statuses=(
        Status("draft", "In progress", "In progress", "blue"),
        Status("received", "Received", "Sent", "purple"),
        Status("offered", "Offered", "Offered", "green"),
        Status("housed", "Housed", "Housed", "grey", closes=True),
    ),
    submitted="received",
    transitions={
        "offer": {"received": "offered"},
        "withdraw_offer": {"offered": "received"},
        "booking_confirmed": {"offered": "housed"},
        "booking_cancelled": {"housed": "offered"},
    },
    action_labels={
        "offer": "Offer a place",
        "withdraw_offer": "Withdraw the offer",
        "booking_confirmed": "Booking confirmed",
        "booking_cancelled": "Booking cancelled",
    },
    system_actions=frozenset({"booking_confirmed", "booking_cancelled"}),
)

# Its assessors hold every permission CAS3's assessors hold, so the refusals of CAS3 records come
# from the tier, not from a missing permission.
_ASSESSOR_PERMISSIONS = (
    P.PERSON_VIEW,
    P.REFERRAL_ASSESS,
    P.REFERRAL_READ,
    P.ESTATE_VIEW,
    P.ESTATE_MANAGE,
    P.PLACEMENT_SEARCH,
    P.BOOKINGS_VIEW,
    P.BOOKINGS_MANAGE,
    P.REPORTS_RUN,
    P.DASHBOARD_VIEW,
)

TIER = Tier(
    service=SERVICE,
    name="Test tier",
    description="A tier declared only by the test suite",
    roles=frozenset({REFERRER, ASSESSOR}),
    grants={
        P.REFERRAL_MAKE: frozenset({REFERRER}),
        **{permission: frozenset({ASSESSOR}) for permission in _ASSESSOR_PERMISSIONS},
    },
    form_key=FORM.key,
    form_context=form_context,
    route=route,
    workflow=WORKFLOW,
    booking=BookingRules(max_nights=MAX_NIGHTS),
    event_namespace="accommodation.tst",
    emails={},  # this tier sends no email
    pages={
        "referral_for_referrer": "web:referral-sent",
        "referral_for_assessor": "web:review-referral",
        "booking": "web:booking-detail",
    },
    booking_effects={"confirmed": "booking_confirmed", "cancelled": "booking_cancelled"},
)


@contextlib.contextmanager
def registered():
    events_before = set(EVENT_TYPES)
    tiers.register(TIER)
    form_registry.register(FORM)
    booking_events.register_tier(TIER)
    try:
        yield TIER
    finally:
        tiers.unregister(SERVICE)
        for name in set(EVENT_TYPES) - events_before:
            del EVENT_TYPES[name]
