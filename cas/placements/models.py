"""Placement: bookings of bedspaces, every step of a stay as its own record, and incidents.

A booking holds the bedspace from its arrival date up to (not including) `available_from`, the
first day the bedspace can take its next arrival:
- with a same-day turnaround (0 working days), `available_from` is the departure date;
- otherwise it is the day after the turnaround's last working day, `add_working_days(departure, n)`.
`available_from` is computed by the service and stored, so PostgreSQL can refuse any two active
bookings whose `[arrival_date, available_from)` overlap on one bedspace (an exclusion constraint),
and reports and searches compare plain columns.

Rules live in `services/` (every write, a module per concern) and `status.py` (statuses and date arithmetic); see README.md.
"""

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value

from cas.core import clock, tiers
from cas.core.concurrency import VersionedModel
from cas.core.dates import short_date
from cas.core.models import TierRecord, TimestampedModel
from cas.core.tiers import Service
from cas.placements.constraints import PostgresExclusionConstraint
from cas.placements.status import ACTIVE_STATUSES, BookingStatus, current_status
from cas.premises.models import Bedspace, Premises
from cas.reference.models import (
    CancellationReason,
    DepartureReason,
    DestinationProvider,
    MoveOnCategory,
    NonArrivalReason,
    ProbationDeliveryUnit,
    ProbationRegion,
)


class DateRange(Func):
    function = "DATERANGE"
    output_field = DateRangeField()


class Booking(TierRecord, VersionedModel):
    """One person booked into one bedspace. The person's details are a snapshot taken when booking
    (from the linked referral, or from the probation case system when there is none)."""

    Status = BookingStatus

    service = models.CharField(max_length=4, choices=Service.choices, db_index=True)
    bedspace = models.ForeignKey(Bedspace, on_delete=models.PROTECT, related_name="bookings")
    # Copied from the bedspace's property so lists, scope and reports need no joins.
    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="bookings")
    region = models.ForeignKey(ProbationRegion, on_delete=models.PROTECT, related_name="+")
    pdu = models.ForeignKey(ProbationDeliveryUnit, on_delete=models.PROTECT, related_name="+", verbose_name="PDU")
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    status = models.CharField(
        max_length=15, choices=BookingStatus.choices, default=BookingStatus.PROVISIONAL, db_index=True
    )

    # The person, as known when the booking was made.
    crn = models.CharField("CRN", max_length=7, db_index=True)
    noms_number = models.CharField("prison number", max_length=7, blank=True)
    pnc_number = models.CharField("PNC number", max_length=20, blank=True)
    person_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=20, blank=True)
    gender_identity = models.CharField(max_length=40, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    is_sexual_risk = models.BooleanField(
        default=False, help_text="Registered sex offender, history of sexual offending or concerning sexual behaviour"
    )
    has_arson_history = models.BooleanField(default=False)
    rosh_level = models.CharField("risk of serious harm", max_length=20, blank=True)
    # Who hears about the booking: the referrer, or the person's probation practitioner.
    practitioner_name = models.CharField(max_length=200, blank=True)
    practitioner_email = models.EmailField(blank=True)

    # Dates: planned until they happen, then as they happened.
    arrival_date = models.DateField()
    departure_date = models.DateField()
    turnaround_working_days = models.PositiveSmallIntegerField()
    available_from = models.DateField(help_text="The first day the bedspace can take its next arrival")
    actual_arrival_date = models.DateField(null=True, blank=True)
    actual_departure_date = models.DateField(null=True, blank=True)
    # Typed columns for reports (from the latest of each sub-record).
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_on = models.DateField(null=True, blank=True)
    cancellation_reason = models.ForeignKey(
        CancellationReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    departure_reason = models.ForeignKey(
        DepartureReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    move_on_category = models.ForeignKey(
        MoveOnCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_overstay = models.BooleanField(default=False)
    overstay_authorised = models.BooleanField(null=True, blank=True)
    overstay_reason = models.CharField(max_length=1000, blank=True)
    # What the assessor typed on "Check the booking": shown on the booking page and its history.
    notes = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["arrival_date", "created_at"]
        indexes = [
            models.Index(fields=["bedspace", "arrival_date", "available_from"], name="booking_bedspace_dates"),
            models.Index(fields=["premises", "arrival_date", "available_from"], name="booking_premises_dates"),
            models.Index(fields=["region", "status", "arrival_date"], name="booking_region_status"),
            models.Index(fields=["region", "departure_date"], name="booking_region_departure"),
            models.Index(fields=["actual_arrival_date"], name="booking_actual_arrival"),
            models.Index(fields=["referral"], name="booking_referral"),
            # The search's probes ("a booking holds the bedspace after the start", "someone is staying
            # at the property during the stay") start from the end of a stay, so they read the few
            # bookings ending after the start date, not every booking of the bedspace's history.
            models.Index(fields=["bedspace", "available_from"], name="booking_bedspace_free"),
            models.Index(fields=["premises", "departure_date"], name="booking_premises_departure"),
        ]
        constraints = [
            # No default tier: a record made without one fails loudly instead of joining CAS3.
            models.CheckConstraint(condition=~Q(service=""), name="booking_has_service"),
            models.CheckConstraint(
                condition=Q(departure_date__gte=F("arrival_date")), name="booking_departure_not_before_arrival"
            ),
            models.CheckConstraint(
                condition=Q(available_from__gte=F("departure_date")), name="booking_turnaround_after_departure"
            ),
            PostgresExclusionConstraint(
                name="booking_no_overlap_on_bedspace",
                expressions=[
                    (DateRange(F("arrival_date"), F("available_from"), Value("[)")), RangeOperators.OVERLAPS),
                    ("bedspace", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=ACTIVE_STATUSES),
            ),
        ]

    def __str__(self) -> str:
        return f"Booking for {self.person_name} ({self.crn}), {short_date(self.arrival_date)}"

    @property
    def reference(self) -> str:
        return str(self.pk).split("-")[0].upper()

    @property
    def nights(self) -> int:
        return (self.departure_date - self.arrival_date).days

    @property
    def nights_over_limit(self) -> int:
        limit = tiers.get(self.service).booking.max_nights
        return 0 if limit is None else max(0, self.nights - limit)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def status_on(self, day: dt.date) -> BookingStatus:
        return current_status(self.status, self.available_from, day)

    @property
    def current_status(self) -> BookingStatus:
        return self.status_on(clock.today())

    @property
    def turnaround_last_day(self) -> dt.date | None:
        """The last day of the turnaround, or None for a same-day turnaround."""
        if self.turnaround_working_days == 0:
            return None
        return self.available_from - dt.timedelta(days=1)


class BookingStep(TimestampedModel):
    """Base of every step recorded against a booking: who recorded it and when. Steps are never
    edited: a change is a new row, so the booking's history is the list of its steps."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at"]


class Confirmation(BookingStep):
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="confirmations")


class Arrival(BookingStep):
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="arrivals")
    arrival_date = models.DateField()
    expected_departure_date = models.DateField()


class Departure(BookingStep):
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="departures")
    departure_date = models.DateField()
    reason = models.ForeignKey(DepartureReason, on_delete=models.PROTECT, related_name="+")
    move_on_category = models.ForeignKey(MoveOnCategory, on_delete=models.PROTECT, related_name="+")
    destination_provider = models.ForeignKey(
        DestinationProvider, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class ArrivalDateChange(BookingStep):
    """A new planned arrival date before the person arrives (released earlier or later than planned).
    A correction of the date the person did arrive is an `Arrival` row instead."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="arrival_date_changes")
    previous_arrival_date = models.DateField()
    new_arrival_date = models.DateField()


class DateChange(BookingStep):
    """An extension or shortening of the stay (a new expected departure date)."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="date_changes")
    previous_departure_date = models.DateField()
    new_departure_date = models.DateField()

    @property
    def is_extension(self) -> bool:
        return self.new_departure_date > self.previous_departure_date


class Overstay(BookingStep):
    """The stay was set beyond 84 nights: authorised or not, and why."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="overstays")
    departure_date = models.DateField()
    nights = models.PositiveIntegerField()
    is_authorised = models.BooleanField()
    reason = models.CharField(max_length=1000, blank=True)


class Cancellation(BookingStep):
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="cancellations")
    cancelled_on = models.DateField()
    reason = models.ForeignKey(CancellationReason, on_delete=models.PROTECT, related_name="+")


class NonArrival(BookingStep):
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="non_arrivals")
    expected_on = models.DateField("date the person was expected")
    reason = models.ForeignKey(NonArrivalReason, on_delete=models.PROTECT, related_name="+")


class TurnaroundChange(BookingStep):
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="turnaround_changes")
    previous_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    working_days = models.PositiveSmallIntegerField()


class Incident(TimestampedModel):
    """Something that happened at a property or during a stay, for the booking timeline and the
    dashboard's incident counts."""

    class Kind(models.TextChoices):
        SERIOUS_FURTHER_OFFENCE = "sfo", "Serious further offence"
        OFFENCE_OR_ARREST = "offence", "Other offence or arrest"
        ANTI_SOCIAL_BEHAVIOUR = "asb", "Anti-social behaviour"
        DAMAGE = "damage", "Damage to the property"
        SAFEGUARDING = "safeguarding", "Safeguarding concern"
        DEATH = "death", "Death"
        OTHER = "other", "Other"

    service = models.CharField(max_length=4, choices=Service.choices)
    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="incidents")
    region = models.ForeignKey(ProbationRegion, on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    occurred_on = models.DateField()
    details = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [
            models.Index(fields=["region", "occurred_on"], name="incident_region_date"),
            models.Index(fields=["premises", "occurred_on"], name="incident_premises_date"),
        ]
        constraints = [models.CheckConstraint(condition=~Q(service=""), name="incident_has_service")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {short_date(self.occurred_on)}"
