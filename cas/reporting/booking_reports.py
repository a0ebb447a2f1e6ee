"""The bookings reports: every booking in a period, and the bookings still to arrive.

One query each (the booking joined to its referral, property and reference data, with the
referral's corrected dates as subqueries), streamed with `.iterator()`."""

from django.db.models import OuterRef, Q, Subquery

from cas.core import clock
from cas.core.dates import add_months
from cas.core.tiers import Service
from cas.placements.models import Booking, NonArrival
from cas.placements.status import BookingStatus as S
from cas.placements.status import current_status
from cas.referrals.cas3.choices import ELIGIBILITY_REASONS
from cas.reporting.mi import Column, ReportDefinition, ReportParams
from cas.reporting.report_fields import (
    corrected_date_annotations,
    gender,
    local_date,
    submitted_and_updated,
    yes_no,
)

# The 84-night rule (`cas.placements.models.MAX_NIGHTS`), repeated so the report's meaning is read here.
OVERSTAY_NIGHTS = 84
# Future bookings look this far past the end of the period, as the HPTs' planning report always has.
FUTURE_BOOKINGS_MONTHS_AHEAD = 6

_RELATED = (
    "referral",
    "referral__duty_to_refer_local_authority",
    "region",
    "pdu",
    "premises",
    "premises__local_authority",
    "cancellation_reason",
    "move_on_category",
)


def _in_region(bookings, params: ReportParams):
    bookings = bookings.filter(service=Service.CAS3)
    return bookings.filter(region_id=params.region_id) if params.region_id else bookings


# Bookings ---------------------------------------------------------------------------------------------------


def _bookings(params: ReportParams):
    return _in_region(
        Booking.objects.filter(arrival_date__lte=params.end_date, departure_date__gte=params.start_date), params
    )


BOOKING_COLUMNS = (
    Column("bookingId", "Booking ID", "The booking's unique reference in the service"),
    Column("referralId", "Referral ID", "The referral the booking was made for; blank for a booking made without one"),
    Column("referralDate", "Referral date", "The day the referral was submitted to the HPT"),
    Column("personName", "Person's name", "As recorded when the booking was made"),
    Column("pncNumber", "PNC number", "Police National Computer number"),
    Column("gender", "Gender", "Gender identity, or sex where no gender identity is recorded"),
    Column("ethnicity", "Ethnicity", "As recorded in the probation case system"),
    Column("dateOfBirth", "Date of birth", "As recorded in the probation case system"),
    Column("riskOfSeriousHarm", "Risk of serious harm", "Overall RoSH level when the booking was made"),
    Column("registeredSexOffender", "Registered sex offender", "Yes or No, from the referral"),
    Column("historyOfSexualOffence", "History of sexual offence", "Yes or No, from the referral"),
    Column("concerningSexualBehaviour", "Concerning sexual behaviour", "Yes or No, from the referral"),
    Column("needForAccessibleProperty", "Needs an accessible property", "Yes or No, from the referral"),
    Column("historyOfArsonOffence", "History of arson offence", "Yes or No, from the referral"),
    Column("concerningArsonBehaviour", "Concerning arson behaviour", "Yes or No, from the referral"),
    Column("dutyToReferMade", "Duty to Refer made", "Yes or No, from the referral"),
    Column("dateDutyToReferMade", "Date Duty to Refer made", "From the referral"),
    Column("dutyToReferLocalAuthorityAreaName", "Duty to Refer local authority", "From the referral"),
    Column("isReferralEligibleForCas3", "Eligible for CAS3", "Yes or No, from the referral"),
    Column("referralEligibilityReason", "Eligibility reason", "How the person is eligible for CAS3"),
    Column("probationRegion", "Probation region", "The region of the property"),
    Column("pdu", "PDU", "The probation delivery unit of the property"),
    Column("localAuthority", "Local authority", "The local authority the property is in"),
    Column("town", "Town", "Town of the property"),
    Column("postCode", "Postcode", "Postcode of the property"),
    Column("crn", "CRN", "Case reference number in the probation case system"),
    Column(
        "bookingStatus",
        "Booking status",
        "On the day the report was prepared: Provisional, Confirmed, Active, Turnaround, Departed, Cancelled or "
        "Did not arrive",
    ),
    Column("offerAccepted", "Offer accepted", "Yes once the booking was confirmed"),
    Column("isCancelled", "Cancelled", "Yes when the booking was cancelled"),
    Column("cancellationReason", "Cancellation reason", "Why the booking was cancelled"),
    Column("isNotArrived", "Did not arrive", "Yes when the person did not arrive for the booking"),
    Column("notArrivedReason", "Non-arrival reason", "Why the person did not arrive, as recorded"),
    Column("startDate", "Start date", "The arrival date (expected, or the actual one once the person arrived)"),
    Column("endDate", "End date", "The departure date (expected, or the actual one once the person left)"),
    Column("actualEndDate", "Actual end date", "The day the person left, once they have"),
    Column(
        "currentNightsStayed",
        "Nights stayed so far",
        "For a person still there: nights from their arrival to the day the report was prepared",
    ),
    Column("actualNightsStayed", "Nights stayed", "For a person who has left: nights from arrival to departure"),
    Column("overstay", "Overstay", f"Yes when the stay is longer than {OVERSTAY_NIGHTS} nights"),
    Column("authorised", "Overstay authorised", "For an overstay: Yes or No, as the HPT decided"),
    Column("reason", "Overstay reason", "For an overstay: the reason the HPT gave"),
    Column("accommodationOutcome", "Accommodation outcome", "The move-on category recorded at departure"),
)


def _nights_stayed(booking, today) -> tuple[int | None, int | None]:
    """(nights so far for a person still there, nights for a person who has left)."""
    if booking.status == S.ARRIVED:
        return max(0, (today - booking.arrival_date).days), None
    if booking.status in (S.DEPARTED, S.CLOSED):
        return None, (booking.departure_date - booking.arrival_date).days
    return None, None


# The bookings report is the largest, so it reads plain values (named tuples) rather than building
# eight model instances a row: the same one query, several times faster.
BOOKING_VALUES = (
    "id",
    "referral_id",
    "referral__submitted_at",
    "person_name",
    "pnc_number",
    "gender_identity",
    "sex",
    "ethnicity",
    "date_of_birth",
    "rosh_level",
    "referral__is_registered_sex_offender",
    "referral__has_history_of_sexual_offence",
    "referral__has_concerning_sexual_behaviour",
    "referral__needs_accessible_property",
    "referral__has_history_of_arson",
    "referral__has_concerning_arson_behaviour",
    "referral__is_duty_to_refer_submitted",
    "referral__duty_to_refer_submitted_on",
    "referral__duty_to_refer_local_authority__name",
    "referral__is_eligible",
    "referral__eligibility_reason",
    "region__name",
    "pdu__name",
    "premises__local_authority__name",
    "premises__town",
    "premises__postcode",
    "crn",
    "confirmed_at",
    "status",
    "cancellation_reason__name",
    "non_arrival_reason",
    "available_from",
    "arrival_date",
    "departure_date",
    "actual_departure_date",
    "overstay_authorised",
    "overstay_reason",
    "move_on_category__name",
)


def booking_rows(params: ReportParams):
    eligibility = dict(ELIGIBILITY_REASONS)
    today = clock.today()
    # The latest non-arrival's reason, as a subquery (a booking has no typed column for it).
    latest_non_arrival = NonArrival.objects.filter(booking=OuterRef("pk")).order_by("-created_at")
    bookings = (
        _bookings(params)
        .annotate(non_arrival_reason=Subquery(latest_non_arrival.values("reason__name")[:1]))
        .order_by("arrival_date", "created_at", "id")
        .values_list(*BOOKING_VALUES, named=True)
    )
    # A value through the referral is None when there is no referral, so yes_no() leaves it blank.
    for b in bookings.iterator(chunk_size=2000):
        current_nights, actual_nights = _nights_stayed(b, today)
        overstay = (b.departure_date - b.arrival_date).days > OVERSTAY_NIGHTS
        reason = b.referral__eligibility_reason
        yield (
            str(b.id),
            str(b.referral_id) if b.referral_id else "",
            local_date(b.referral__submitted_at),
            b.person_name,
            b.pnc_number,
            gender(b.gender_identity, b.sex),
            b.ethnicity,
            b.date_of_birth,
            b.rosh_level,
            yes_no(b.referral__is_registered_sex_offender),
            yes_no(b.referral__has_history_of_sexual_offence),
            yes_no(b.referral__has_concerning_sexual_behaviour),
            yes_no(b.referral__needs_accessible_property),
            yes_no(b.referral__has_history_of_arson),
            yes_no(b.referral__has_concerning_arson_behaviour),
            yes_no(b.referral__is_duty_to_refer_submitted),
            b.referral__duty_to_refer_submitted_on,
            b.referral__duty_to_refer_local_authority__name or "",
            yes_no(b.referral__is_eligible),
            eligibility.get(reason, reason or ""),
            b.region__name,
            b.pdu__name,
            b.premises__local_authority__name or "",
            b.premises__town,
            b.premises__postcode,
            b.crn,
            current_status(b.status, b.available_from, today).label,
            yes_no(b.confirmed_at is not None),
            yes_no(b.status == S.CANCELLED),
            b.cancellation_reason__name or "",
            yes_no(b.status == S.NOT_ARRIVED),
            b.non_arrival_reason or "",
            b.arrival_date,
            b.departure_date,
            b.actual_departure_date,
            current_nights,
            actual_nights,
            yes_no(overstay),
            yes_no(b.overstay_authorised) if overstay else "",
            b.overstay_reason if overstay else "",
            b.move_on_category__name or "",
        )


BOOKINGS = ReportDefinition(
    key="bookings",
    title="Bookings",
    description="Every CAS3 booking in the region's properties whose stay overlaps the period, in any status.",
    columns=BOOKING_COLUMNS,
    count=lambda params: _bookings(params).count(),
    service=Service.CAS3,
    rows=booking_rows,
)


# Future bookings --------------------------------------------------------------------------------------------


def _future_bookings(params: ReportParams):
    until = add_months(params.end_date, FUTURE_BOOKINGS_MONTHS_AHEAD)
    return _in_region(
        Booking.objects.filter(status__in=(S.PROVISIONAL, S.CONFIRMED)).filter(
            Q(arrival_date__gte=params.start_date, arrival_date__lte=until)
            | Q(
                referral__accommodation_required_from__gte=params.start_date,
                referral__accommodation_required_from__lte=until,
            )
        ),
        params,
    )


FUTURE_BOOKING_COLUMNS = (
    Column("bookingId", "Booking ID", "The booking's unique reference in the service"),
    Column("referralId", "Referral ID", "The referral the booking was made for; blank for a booking made without one"),
    Column("referralDate", "Referral date", "The day the referral was submitted to the HPT"),
    Column("personName", "Person's name", "As recorded when the booking was made"),
    Column("gender", "Gender", "Gender identity, or sex where no gender identity is recorded"),
    Column("ethnicity", "Ethnicity", "As recorded in the probation case system"),
    Column("dateOfBirth", "Date of birth", "As recorded in the probation case system"),
    Column("riskOfSeriousHarm", "Risk of serious harm", "Overall RoSH level when the booking was made"),
    Column("registeredSexOffender", "Registered sex offender", "Yes or No, from the referral"),
    Column("historyOfSexualOffence", "History of sexual offence", "Yes or No, from the referral"),
    Column("concerningSexualBehaviour", "Concerning sexual behaviour", "Yes or No, from the referral"),
    Column("dutyToReferMade", "Duty to Refer made", "Yes or No, from the referral"),
    Column("dateDutyToReferMade", "Date Duty to Refer made", "From the referral"),
    Column("dutyToReferLocalAuthorityAreaName", "Duty to Refer local authority", "From the referral"),
    Column("probationRegion", "Probation region", "The region of the property"),
    Column("pdu", "PDU", "The probation delivery unit of the property"),
    Column("localAuthority", "Local authority", "The local authority the property is in"),
    Column("addressLine1", "Address line 1", "First line of the property's address"),
    Column("postCode", "Postcode", "Postcode of the property"),
    Column("crn", "CRN", "Case reference number in the probation case system"),
    Column("sourceOfReferral", "Eligibility reason", "How the person is eligible for CAS3 (where they come from)"),
    Column("prisonAtReferral", "Prison at referral", "The prison the person was in when the referral was made"),
    Column("startDate", "Start date", "The expected arrival date"),
    Column(
        "accommodationRequiredDate",
        "Accommodation required from",
        "The date accommodation is needed from, as given when the referral was submitted",
    ),
    Column(
        "updatedAccommodationRequiredDate",
        "Updated accommodation required from",
        "The date accommodation is needed from as an assessor corrected it, if they did",
    ),
    Column("bookingStatus", "Booking status", "Provisional or Confirmed"),
)


def future_booking_rows(params: ReportParams):
    eligibility = dict(ELIGIBILITY_REASONS)
    bookings = (
        _future_bookings(params)
        .select_related(*_RELATED)
        .annotate(**corrected_date_annotations("accommodation_required_from", "referral_id"))
        .order_by("arrival_date", "created_at", "id")
    )
    for b in bookings.iterator(chunk_size=2000):
        r = b.referral
        required, updated = (
            submitted_and_updated(b, "accommodation_required_from", r.accommodation_required_from)
            if r
            else (None, None)
        )
        yield (
            str(b.id),
            str(r.id) if r else "",
            local_date(r.submitted_at) if r else None,
            b.person_name,
            gender(b.gender_identity, b.sex),
            b.ethnicity,
            b.date_of_birth,
            b.rosh_level,
            yes_no(r.is_registered_sex_offender) if r else "",
            yes_no(r.has_history_of_sexual_offence) if r else "",
            yes_no(r.has_concerning_sexual_behaviour) if r else "",
            yes_no(r.is_duty_to_refer_submitted) if r else "",
            r.duty_to_refer_submitted_on if r else None,
            r.duty_to_refer_local_authority.name if r and r.duty_to_refer_local_authority else "",
            b.region.name,
            b.pdu.name,
            b.premises.local_authority.name if b.premises.local_authority else "",
            b.premises.address_line1,
            b.premises.postcode,
            b.crn,
            eligibility.get(r.eligibility_reason, r.eligibility_reason) if r else "",
            r.prison_name_on_creation if r else "",
            b.arrival_date,
            required,
            updated,
            b.get_status_display(),
        )


FUTURE_BOOKINGS = ReportDefinition(
    key="future-bookings",
    title="Future bookings",
    description=(
        "Provisional and confirmed CAS3 bookings not yet arrived whose arrival date, or the date the referral "
        f"needs accommodation from, is in the period or up to {FUTURE_BOOKINGS_MONTHS_AHEAD} months after it."
    ),
    columns=FUTURE_BOOKING_COLUMNS,
    count=lambda params: _future_bookings(params).count(),
    service=Service.CAS3,
    rows=future_booking_rows,
)
