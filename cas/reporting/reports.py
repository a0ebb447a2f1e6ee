"""The MI reports, declared with readable headers and a data dictionary.

Every report has exactly the columns of the CAS3 reference (section 7 of the domain notes): each
`Column.key` is the reference's name for the column, its header is what people read, and its
description goes into the data dictionary (the XLSX sheet and the reports page). Row generators read
typed columns only (never the form JSON), in a fixed handful of queries streamed with `.iterator()`,
so neither the number of queries nor memory grows with the number of rows.

The reports are registered here, in the order the reports page lists them; the bookings reports
are in `booking_reports.py`, the estate reports (bedspace usage, occupancy, gaps) in `estate_reports.py`,
the CAS2 reports (submitted applications, status updates, unsubmitted applications) in `cas2_reports.py`.
Each declares the tier it reads, and only people who run reports in that tier are offered it.
"""

from django.db.models import Exists, OuterRef, Q, Subquery

from cas.core.tiers import Service
from cas.placements.models import Booking
from cas.referrals.cas3.choices import DTR_OUTCOMES, ELIGIBILITY_REASONS
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.models import Referral
from cas.reporting import booking_reports, cas2_reports, estate_reports
from cas.reporting.mi import Column, ReportDefinition, ReportParams, register
from cas.reporting.report_fields import (
    corrected_date_annotations,
    day_bounds,
    local_date,
    submitted_and_updated,
    yes_no,
)


def _referrals(params: ReportParams):
    start, end = day_bounds(params)
    referrals = Referral.objects.submitted().filter(service="cas3", submitted_at__gte=start, submitted_at__lt=end)
    if params.region_id:
        # A region sees the referrals its HPT received and those its practitioners sent elsewhere.
        referrals = referrals.filter(Q(region_id=params.region_id) | Q(origin_region_id=params.region_id))
    return referrals


REFERRAL_COLUMNS = (
    Column("referralId", "Referral ID", "The referral's unique reference in the service"),
    Column("referralDate", "Referral date", "The day the probation practitioner started the referral"),
    Column("personName", "Person's name", "From the probation case system when the referral was made"),
    Column("pncNumber", "PNC number", "Police National Computer number"),
    Column("crn", "CRN", "Case reference number in the probation case system"),
    Column("sex", "Sex", "As recorded in the probation case system"),
    Column("genderIdentity", "Gender identity", "As recorded in the probation case system"),
    Column("ethnicity", "Ethnicity", "As recorded in the probation case system"),
    Column("dateOfBirth", "Date of birth", "As recorded in the probation case system"),
    Column("registeredSexOffender", "Registered sex offender", "Yes or No, from the referral"),
    Column("historyOfSexualOffence", "History of sexual offence", "Yes or No, from the referral"),
    Column("concerningSexualBehaviour", "Concerning sexual behaviour", "Yes or No, from the referral"),
    Column("needForAccessibleProperty", "Needs an accessible property", "Yes or No, from the referral"),
    Column("riskOfSeriousHarm", "Risk of serious harm", "Overall RoSH level from the risk assessment (OASys)"),
    Column("historyOfArsonOffence", "History of arson offence", "Yes or No, from the referral"),
    Column("concerningArsonBehaviour", "Concerning arson behaviour", "Yes or No, from the referral"),
    Column(
        "dutyToReferMade",
        "Duty to Refer made",
        "Whether the Duty to Refer (England) or application for assistance (Wales) was made",
    ),
    Column("dateDutyToReferMade", "Date Duty to Refer made", "The day the Duty to Refer was made"),
    Column(
        "dutyToReferLocalAuthorityAreaName",
        "Duty to Refer local authority",
        "The local authority the Duty to Refer was made to",
    ),
    Column("dutyToReferOutcome", "Duty to Refer outcome", "The local authority's answer, as given in the referral"),
    Column("town", "Town of the property booked", "Town of the property of the referral's latest booking, if any"),
    Column(
        "postCode",
        "Postcode of the property booked",
        "Postcode of the property of the referral's latest booking, if any",
    ),
    Column("probationRegion", "Probation region", "The probation region of the practitioner who made the referral"),
    Column("pdu", "PDU", "The probation delivery unit of the practitioner who made the referral"),
    Column("outOfRegion", "Out of region", "Yes when the referral went to another region's HPT"),
    Column("destinationRegion", "Destination region", "The region whose HPT received the referral"),
    Column("destinationPdu", "Destination PDU", "The PDU the person is to be housed in"),
    Column("referralSubmittedDate", "Date submitted", "The day the referral was submitted to the HPT"),
    Column("referralRejected", "Referral rejected", "Yes when the HPT rejected the referral"),
    Column("rejectionReason", "Rejection reason", "Why the referral was rejected"),
    Column("rejectionReasonExplained", "Rejection details", "What the assessor wrote about the rejection"),
    Column("rejectionDate", "Rejection date", "The day the referral was rejected"),
    Column("sourceOfReferral", "Eligibility reason", "How the person is eligible for CAS3 (where they come from)"),
    Column("prisonReleaseType", "Prison release types", "The release types given in the referral"),
    Column("prisonAtReferral", "Prison at referral", "The prison the person was in when the referral was made"),
    Column("releaseDate", "Release date", "The release date given when the referral was submitted"),
    Column("updatedReleaseDate", "Updated release date", "The release date as an assessor corrected it, if they did"),
    Column(
        "accommodationRequiredDate",
        "Accommodation required from",
        "The date accommodation is needed from, as given when the referral was submitted",
    ),
    Column(
        "updatedAccommodationRequiredFromDate",
        "Updated accommodation required from",
        "The date accommodation is needed from as an assessor corrected it, if they did",
    ),
    Column("bookingOffered", "Booking offered", "Yes when a bedspace was booked for the referral"),
)


def referral_rows(params: ReportParams):
    eligibility = dict(ELIGIBILITY_REASONS)
    outcomes = dict(DTR_OUTCOMES)
    latest_booking = Booking.objects.filter(referral=OuterRef("pk")).order_by("-created_at")
    referrals = (
        _referrals(params)
        .select_related(
            "origin_region", "origin_pdu", "region", "pdu", "duty_to_refer_local_authority", "rejection_reason"
        )
        .annotate(
            booking_offered=Exists(Booking.objects.filter(referral=OuterRef("pk"))),
            booked_town=Subquery(latest_booking.values("premises__town")[:1]),
            booked_postcode=Subquery(latest_booking.values("premises__postcode")[:1]),
            **corrected_date_annotations("release_date"),
            **corrected_date_annotations("accommodation_required_from"),
        )
        .order_by("submitted_at", "id")
    )
    for r in referrals.iterator(chunk_size=2000):
        rejected = r.status == ReferralStatus.REJECTED
        release, updated_release = submitted_and_updated(r, "release_date", r.release_date)
        required, updated_required = submitted_and_updated(
            r, "accommodation_required_from", r.accommodation_required_from
        )
        yield (
            str(r.id),
            local_date(r.created_at),
            r.person_name,
            r.pnc_number,
            r.crn,
            r.sex,
            r.gender_identity,
            r.ethnicity,
            r.date_of_birth,
            yes_no(r.is_registered_sex_offender),
            yes_no(r.has_history_of_sexual_offence),
            yes_no(r.has_concerning_sexual_behaviour),
            yes_no(r.needs_accessible_property),
            r.rosh_level,
            yes_no(r.has_history_of_arson),
            yes_no(r.has_concerning_arson_behaviour),
            yes_no(r.is_duty_to_refer_submitted),
            r.duty_to_refer_submitted_on,
            r.duty_to_refer_local_authority.name if r.duty_to_refer_local_authority else "",
            outcomes.get(r.duty_to_refer_outcome, r.duty_to_refer_outcome),
            r.booked_town or "",
            r.booked_postcode or "",
            r.origin_region.name,
            r.origin_pdu.name if r.origin_pdu else "",
            yes_no(r.is_out_of_region),
            r.region.name,
            r.pdu.name if r.pdu else "",
            local_date(r.submitted_at),
            yes_no(rejected),
            r.rejection_reason.name if rejected and r.rejection_reason else "",
            r.rejection_details if rejected else "",
            local_date(r.decided_at) if rejected else None,
            eligibility.get(r.eligibility_reason, r.eligibility_reason),
            r.prison_release_types,
            r.prison_name_on_creation,
            release,
            updated_release,
            required,
            updated_required,
            yes_no(r.booking_offered),
        )


register(booking_reports.BOOKINGS)
register(estate_reports.BEDSPACE_USAGE)
register(estate_reports.OCCUPANCY)
register(
    ReportDefinition(
        key="referrals",
        title="Referrals",
        description="Every CAS3 referral submitted in the period, received by or made from the region.",
        columns=REFERRAL_COLUMNS,
        count=lambda params: _referrals(params).count(),
        service=Service.CAS3,
        rows=referral_rows,
    )
)
register(booking_reports.FUTURE_BOOKINGS)
register(estate_reports.GAPS)
register(cas2_reports.SUBMITTED_APPLICATIONS)
register(cas2_reports.STATUS_UPDATES)
register(cas2_reports.UNSUBMITTED_APPLICATIONS)
