"""Demo bookings in several regions and every state, on the demo estate and the demo referrals,
made through the services (so every rule, event, email and audit record is real). Idempotent: a
property that already has a demo booking for a CRN is left alone. Dates are relative to today.

North West also gets referrals ready to place (for "Place a person"): the review workflow's two
steps (in review, then ready to place) are applied through the referral lifecycle, with audit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from cas.accounts.models import User
from cas.core import audit, clock
from cas.placements import services
from cas.placements.models import Booking
from cas.premises.models import Bedspace
from cas.reference.models import CancellationReason, DepartureReason, MoveOnCategory, NonArrivalReason
from cas.referrals import lifecycle
from cas.referrals.cas3.workflow import Action
from cas.referrals.models import Referral


@dataclass(frozen=True)
class DemoBooking:
    region: str
    street: str  # which demo property (see cas.demo.premises)
    bedspace: str
    crn: str
    stage: str  # provisional, confirmed, arrived, overstay, departed, closed, cancelled, not_arrived
    starts_in: int  # days from today to the arrival (negative: in the past)
    nights: int
    from_referral: bool = False


DEMO_BOOKINGS = (
    DemoBooking("N51", "Beech Avenue", "Room 1", "X100001", "confirmed", 5, 56, from_referral=True),
    DemoBooking("N51", "Damson Close", "Annexe", "X100004", "arrived", -10, 60),
    DemoBooking("N51", "Beech Avenue", "Room 2", "X100006", "provisional", 20, 40),
    DemoBooking("N51", "Cedar Court", "Room B", "X100011", "overstay", -12, 84),
    DemoBooking("N51", "Cedar Court", "Room C", "X100013", "departed", -12, 30),
    DemoBooking("N51", "Beech Avenue", "Room 3", "X100018", "closed", -13, 14),
    DemoBooking("N51", "Acacia Road", "Flat 1", "X100002", "cancelled", 8, 28),
    DemoBooking("N51", "Beech Avenue", "Room 4", "X100019", "not_arrived", 0, 10),
    DemoBooking("N07", "Beech Avenue", "Room 1", "X200005", "arrived", -6, 70),
    DemoBooking("N07", "Cedar Court", "Room B", "X100014", "provisional", 3, 42),
    DemoBooking("N03", "Beech Avenue", "Room 1", "X200010", "departed", -14, 10),
    DemoBooking("N03", "Damson Close", "Annexe", "X100016", "confirmed", 2, 84),
    DemoBooking("N50", "Cedar Court", "Room B", "X200003", "arrived", -4, 84),
)


def _ready_to_place(referral: Referral) -> Referral:
    """Apply the review workflow's steps (in review, ready to place) to a submitted referral."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    for action in (Action.ALLOCATE, Action.ACCEPT):
        if action not in lifecycle.allowed_actions(referral):
            continue
        before = audit.snapshot(referral, ("status",))
        lifecycle.apply(referral, action)
        if action == Action.ALLOCATE:
            # A referral in review has an assessor: the region's demo assessor takes it.
            assessor = (
                User.objects.filter(region_id=referral.region_id, role_assignments__role="cas3_assessor")
                .order_by("username")
                .first()
            )
            referral.allocated_to = assessor or referral.created_by
        referral.save(update_fields=["status", "allocated_to", "updated_at"])
        audit.record_change(
            None,
            f"referral.{action.value}",
            referral,
            before=before,
            after=audit.snapshot(referral, ("status",)),
            crn=referral.crn,
            service=referral.service,
            detail="Demo data",
        )
    return referral


def _bedspace(region: str, street: str, reference: str) -> Bedspace | None:
    return (
        Bedspace.objects.select_related("premises")
        .filter(premises__region__delius_code=region, premises__reference__endswith=street, reference=reference)
        .first()
    )


def _make(demo: DemoBooking, bedspace: Bedspace, today: dt.date) -> Booking | None:
    referral = None
    if demo.from_referral:
        referral = Referral.objects.filter(
            crn=demo.crn, region__delius_code=demo.region, status__in=("unallocated", "in_review", "ready_to_place")
        ).first()
        if referral is not None:
            referral = _ready_to_place(referral)
    arrival = today + dt.timedelta(days=demo.starts_in)
    departure = arrival + dt.timedelta(days=min(demo.nights, 84))
    if demo.stage in ("departed", "closed"):
        departure = max(departure, today + dt.timedelta(days=1))
    booking = services.create_booking(
        None, bedspace, crn=demo.crn, arrival_date=arrival, departure_date=departure, referral=referral
    )
    if demo.stage == "cancelled":
        reason = CancellationReason.objects.for_service("cas3").active().filter(name__contains="rejected").first()
        return services.cancel_booking(None, booking, cancelled_on=today, reason=reason, notes="Demo cancellation")
    if demo.stage == "provisional":
        return booking
    booking = services.confirm_booking(None, booking, notes="Offer accepted")
    if demo.stage == "not_arrived":
        reason = NonArrivalReason.objects.for_service("cas3").active().order_by("sort_order", "name").first()
        return services.record_non_arrival(None, booking, reason=reason, notes="Did not arrive at the agreed time")
    if demo.stage == "confirmed":
        return booking
    booking = services.record_arrival(
        None, booking, arrival_date=arrival, expected_departure_date=arrival + dt.timedelta(days=demo.nights)
    )
    if demo.stage == "overstay":
        return services.change_departure_date(
            None,
            booking,
            departure_date=arrival + dt.timedelta(days=demo.nights + 14),
            overstay=services.OverstayDecision(True, "Waiting for a council tenancy to start"),
            notes="Extended while the tenancy is finalised",
        )
    if demo.stage in ("departed", "closed"):
        reason = DepartureReason.objects.for_service("cas3").active().filter(name="Planned move-on").first()
        category = MoveOnCategory.objects.for_service("cas3").filter(name__startswith="Rental accommodation").first()
        left = today - dt.timedelta(days=8 if demo.stage == "closed" else 1)
        booking = services.record_departure(
            None, booking, departure_date=max(left, arrival), reason=reason, move_on_category=category
        )
        if demo.stage == "departed":
            services.record_incident(
                None,
                premises=booking.premises,
                booking=booking,
                kind="damage",
                occurred_on=max(left, arrival),
                details="A door was damaged while moving out; the supplier has repaired it.",
            )
    return booking


@transaction.atomic
def load_demo_bookings(today: dt.date | None = None) -> int:
    """Create the demo bookings that do not exist yet; returns how many were created."""
    today = today or clock.today()
    created = 0
    for demo in DEMO_BOOKINGS:
        bedspace = _bedspace(demo.region, demo.street, demo.bedspace)
        if bedspace is None or Booking.objects.filter(premises=bedspace.premises, crn=demo.crn).exists():
            continue
        with transaction.atomic():
            _make(demo, bedspace, today)
        created += 1
    # A North West referral stays ready to place, for the "Place a person" list.
    waiting = Referral.objects.filter(crn="X200007", region__delius_code="N51", status="unallocated").first()
    if waiting is not None:
        _ready_to_place(waiting)
    return created
