"""The MI reports, declared with readable headers and a data dictionary. Each row generator reads
typed columns only (never the form JSON) with `.iterator()`, so memory stays flat."""

import datetime as dt

from django.db.models import Q

from cas.reporting.mi import Column, ReportDefinition, ReportParams, register


def _yes_no(value) -> str:
    return "" if value is None else ("Yes" if value else "No")


def _day_bounds(params: ReportParams):
    from django.utils import timezone

    start = timezone.make_aware(dt.datetime.combine(params.start_date, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(params.end_date + dt.timedelta(days=1), dt.time.min))
    return start, end


def _referrals(params: ReportParams):
    from cas.referrals.models import Referral

    start, end = _day_bounds(params)
    referrals = Referral.objects.submitted().filter(submitted_at__gte=start, submitted_at__lt=end)
    if params.region_id:
        referrals = referrals.filter(Q(region_id=params.region_id) | Q(origin_region_id=params.region_id))
    return referrals


REFERRAL_COLUMNS = (
    Column("id", "Referral ID", "The referral's unique reference"),
    Column("submitted", "Date received", "When the referral was submitted to the HPT"),
    Column("name", "Person's name", "From the probation case system when the referral was made"),
    Column("crn", "CRN", "Case reference number"),
    Column("pnc", "PNC number", "Police National Computer number"),
    Column("sex", "Sex", "As recorded in the probation case system"),
    Column("gender_identity", "Gender identity", "As recorded in the probation case system"),
    Column("ethnicity", "Ethnicity", "As recorded in the probation case system"),
    Column("dob", "Date of birth", ""),
    Column("rosh", "Risk of serious harm", "Overall RoSH level from the risk assessment"),
    Column("rso", "Registered sex offender", "Yes or No, from the referral"),
    Column("sexual_history", "History of sexual offence", "Yes or No"),
    Column("sexual_concerns", "Concerning sexual behaviour", "Yes or No"),
    Column("arson_history", "History of arson offence", "Yes or No"),
    Column("arson_concerns", "Concerning arson behaviour", "Yes or No"),
    Column("accessible", "Needs an accessible property", "Yes or No"),
    Column(
        "dtr",
        "Duty to Refer made",
        "Whether the Duty to Refer (England) or application for assistance (Wales) was made",
    ),
    Column("dtr_date", "Date Duty to Refer made", ""),
    Column("dtr_la", "Duty to Refer local authority", ""),
    Column("dtr_outcome", "Duty to Refer outcome", ""),
    Column("origin_region", "Referrer's probation region", ""),
    Column("origin_pdu", "Referrer's PDU", ""),
    Column("out_of_region", "Out of region", "Yes when the referral went to another region's HPT"),
    Column("region", "Receiving probation region", "The HPT that owns the referral"),
    Column("pdu", "Receiving PDU", ""),
    Column("status", "Status", "Where the referral is in the review workflow"),
    Column("eligibility", "Eligibility reason", "How the person is eligible for CAS3"),
    Column("release_types", "Prison release types", ""),
    Column("prison", "Prison at referral", ""),
    Column("release_date", "Release date", ""),
    Column("required_from", "Accommodation required from", ""),
)


def referral_rows(params: ReportParams):
    from cas.referrals.cas3.choices import DTR_OUTCOMES, ELIGIBILITY_REASONS

    eligibility = dict(ELIGIBILITY_REASONS)
    outcomes = dict(DTR_OUTCOMES)
    referrals = (
        _referrals(params)
        .select_related("origin_region", "origin_pdu", "region", "pdu", "duty_to_refer_local_authority")
        .order_by("submitted_at", "id")
    )
    for r in referrals.iterator(chunk_size=2000):
        yield (
            str(r.id),
            r.submitted_at.date() if r.submitted_at else None,
            r.person_name,
            r.crn,
            r.pnc_number,
            r.sex,
            r.gender_identity,
            r.ethnicity,
            r.date_of_birth,
            r.rosh_level,
            _yes_no(r.is_registered_sex_offender),
            _yes_no(r.has_history_of_sexual_offence),
            _yes_no(r.has_concerning_sexual_behaviour),
            _yes_no(r.has_history_of_arson),
            _yes_no(r.has_concerning_arson_behaviour),
            _yes_no(r.needs_accessible_property),
            _yes_no(r.is_duty_to_refer_submitted),
            r.duty_to_refer_submitted_on,
            r.duty_to_refer_local_authority.name if r.duty_to_refer_local_authority else "",
            outcomes.get(r.duty_to_refer_outcome, r.duty_to_refer_outcome),
            r.origin_region.name,
            r.origin_pdu.name if r.origin_pdu else "",
            _yes_no(r.is_out_of_region),
            r.region.name,
            r.pdu.name if r.pdu else "",
            r.get_status_display(),
            eligibility.get(r.eligibility_reason, r.eligibility_reason),
            r.prison_release_types,
            r.prison_name_on_creation,
            r.release_date,
            r.accommodation_required_from,
        )


register(
    ReportDefinition(
        key="referrals",
        title="Referrals",
        description="Every CAS3 referral submitted in the period, received by or made from the region.",
        columns=REFERRAL_COLUMNS,
        count=lambda params: _referrals(params).count(),
        rows=referral_rows,
    )
)
