"""CAS3's profile: everything shared code asks of the tier (`cas.core.tiers.Tier`), declared in one
place. Registered from `ReferralsConfig.ready()`."""

from cas.core import tiers
from cas.core.permissions import Permission as P
from cas.core.roles import Role
from cas.core.tiers import BookingRules, Service, Tier
from cas.reference.models import LocalAuthorityArea, ProbationDeliveryUnit, ProbationRegion
from cas.referrals.cas3 import definition
from cas.referrals.cas3.context import form_context
from cas.referrals.cas3.workflow import WORKFLOW, Action

# The longest stay booked before an overstay must be decided (authorised or not).
MAX_NIGHTS = 84

REFERRER = frozenset({Role.CAS3_REFERRER})
ASSESSOR = frozenset({Role.CAS3_ASSESSOR})


def route(referral, fields: dict) -> None:
    """A submitted CAS3 referral goes to the queue of the region the referrer chose (their own, or
    another for an out-of-region referral), with its PDU and the local authority of the Duty to Refer.
    Takes the routing fields out of `fields` (the form's reporting columns)."""
    referral.region = ProbationRegion.objects.get(delius_code=fields.pop("region_code"))
    pdu_code = fields.pop("pdu_code")
    la_code = fields.pop("duty_to_refer_local_authority_code")
    referral.pdu = ProbationDeliveryUnit.objects.filter(delius_code=pdu_code).first() if pdu_code else None
    referral.duty_to_refer_local_authority = (
        LocalAuthorityArea.objects.filter(identifier=la_code).first() if la_code else None
    )


CAS3 = Tier(
    service=Service.CAS3,
    name="CAS3",
    description="Transitional accommodation for up to 84 nights for people at risk of homelessness on release",
    roles=REFERRER | ASSESSOR,
    grants={
        P.PERSON_VIEW: REFERRER | ASSESSOR,
        P.REFERRAL_MAKE: REFERRER,
        P.REFERRAL_ASSESS: ASSESSOR,
        P.REFERRAL_READ: ASSESSOR,
        P.ESTATE_VIEW: ASSESSOR,
        P.ESTATE_MANAGE: ASSESSOR,
        P.PLACEMENT_SEARCH: ASSESSOR,
        P.BOOKINGS_VIEW: ASSESSOR,
        P.BOOKINGS_MANAGE: ASSESSOR,
        # Assessors run their region's MI reports and see its dashboard; reporters see every region's.
        P.REPORTS_RUN: ASSESSOR,
        P.DASHBOARD_VIEW: ASSESSOR,
    },
    form_key=definition.KEY,
    form_context=form_context,
    route=route,
    workflow=WORKFLOW,
    booking=BookingRules(
        max_nights=MAX_NIGHTS,
        reason_lists=("cancellation_reason", "departure_reason", "move_on_category", "non_arrival_reason"),
    ),
    event_namespace="accommodation.cas3",
    referrer_title="the probation practitioner",
    team_title="the HPT",
    emails={
        "referral_submitted": "cas3_referral_submitted",
        "referral_note_from_referrer": "cas3_referral_note_from_referrer",
        "booking_confirmed": "cas3_booking_confirmed",
        "booking_cancelled": "cas3_booking_cancelled",
        "booking_arrival_date_changed": "cas3_booking_arrival_date_changed",
    },
    pages={
        "referral_for_referrer": "web:referral-sent",
        "referral_for_assessor": "web:review-referral",
        "booking": "web:booking-detail",
    },
    booking_effects={"confirmed": Action.BOOKING_CONFIRMED, "cancelled": Action.BOOKING_CANCELLED},
)

tiers.register(CAS3)
