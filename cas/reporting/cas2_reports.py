"""The CAS2 MI reports: submitted applications, status updates and unsubmitted applications.

The MoJ's CAS2 offers the same three reports for the last 12 months only, read from its domain
events' JSON (its answers are an opaque blob). Here any period can be asked for, and the rows come
from typed columns, the timeline and the prison assignments, never the answers: one query each (the
counts of prison moves and the submitter are subqueries of it), streamed with `.iterator()`, so
neither the queries nor memory grow with the rows.

Each row also says where the person is from and who they are, for the provider's equality and
regional monitoring: the probation region (the person's, which CAS2 stores as the application's
region), sex, an age band and ethnicity. Column keys follow the MoJ's report names where it has one;
the person's identifiers use the keys the report machinery masks (`crn`, `nomsNumber`).
"""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from cas.core.tiers import DRAFT, Service
from cas.referrals.cas2.workflow import WORKFLOW
from cas.referrals.models import PrisonAssignment, Referral, TimelineEntry
from cas.reporting.mi import Column, ReportDefinition, ReportParams
from cas.reporting.report_fields import age_band, day_bounds, local_moment, yes_no

CHUNK = 2000
# What the status details are joined with, as the MoJ's report does.
DETAILS_SEPARATOR = "|"

PERSON_COLUMNS = (
    Column("probationRegion", "Probation region", "The person's probation region, from the probation case system"),
    Column("sex", "Sex", "As recorded in the probation case system"),
    Column(
        "ageBand",
        "Age band",
        "The person's age when the application was submitted (for an unsubmitted one, when it was started): "
        "18-24, 25-34, 35-49 or 50+; blank when the date of birth is unknown",
    ),
    Column("ethnicity", "Ethnicity", "As recorded in the probation case system"),
)
ROUTE_COLUMNS = (
    Column("route", "Route", "How the application came: court bail, prison bail, Home Detention Curfew or probation"),
    Column("cohort", "Cohort", "The group of people the application is for, such as Alternative to custodial recall"),
)
MOVE_COLUMNS = (
    Column(
        "numberOfLocationTransfers",
        "Prison transfers",
        "How many times the application followed the person to another prison",
    ),
    Column(
        "numberOfPomTransfers",
        "Offender manager changes",
        "How many times a new prison offender manager was allocated to the application",
    ),
)


def _moves(reason: str, referral_ref: str, until_ref: str | None = None):
    """How many prison assignments of `reason` the application has (up to `until_ref`, when given), as a
    subquery of the row's query: never one query per row."""
    moves = PrisonAssignment.objects.filter(referral=OuterRef(referral_ref), reason=reason)
    if until_ref:
        moves = moves.filter(created_at__lte=OuterRef(until_ref))
    counted = moves.order_by().values("referral").annotate(n=Count("id")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _preferred_areas(first: str, second: str) -> str:
    return " | ".join(area for area in (first, second) if area)


# Submitted applications -------------------------------------------------------------------------------------


def _submitted(params: ReportParams):
    start, end = day_bounds(params)
    applications = Referral.objects.submitted().filter(
        service=Service.CAS2, submitted_at__gte=start, submitted_at__lt=end
    )
    return applications.filter(region_id=params.region_id) if params.region_id else applications


SUBMITTED_COLUMNS = (
    Column("applicationId", "Application ID", "The application's unique reference in the service"),
    Column("crn", "CRN", "Case reference number in the probation case system"),
    Column("nomsNumber", "Prison number", "The person's prison number (NOMIS), when they have one"),
    *ROUTE_COLUMNS,
    Column("referringPrisonCode", "Referring prison", "The code of the prison the application was made from, if any"),
    Column("preferredAreas", "Preferred areas", "The areas the person would like to live in, separated by ' | '"),
    Column("hdcEligibilityDate", "HDC eligibility date", "For Home Detention Curfew: the first day of eligibility"),
    Column("conditionalReleaseDate", "Conditional release date", "For Home Detention Curfew: the release date"),
    Column("bailHearingDate", "Bail hearing date", "For bail: the day of the bail hearing"),
    Column("submittedAt", "Submitted at", "When the application was submitted (UK time)"),
    Column("submittedBy", "Submitted by", "The username of the person who submitted it"),
    Column("startedAt", "Started at", "When the application was started (UK time)"),
    *MOVE_COLUMNS,
    Column("currentStatus", "Current status", "The application's status when the report was prepared"),
    *PERSON_COLUMNS,
)

SUBMITTED_VALUES = (
    "id",
    "crn",
    "noms_number",
    "route__name",
    "cohort__name",
    "referring_prison__code",
    "preferred_area_1",
    "preferred_area_2",
    "hdc_eligibility_date",
    "conditional_release_date",
    "bail_hearing_date",
    "submitted_at",
    "submitter",
    "created_by__username",
    "created_at",
    "transfers",
    "allocations",
    "status",
    "region__name",
    "sex",
    "date_of_birth",
    "ethnicity",
)


def submitted_rows(params: ReportParams):
    submitter = TimelineEntry.objects.filter(referral=OuterRef("pk"), kind=TimelineEntry.Kind.SUBMITTED).order_by(
        "created_at", "id"
    )
    applications = (
        _submitted(params)
        .annotate(
            submitter=Subquery(submitter.values("author__username")[:1]),
            transfers=_moves(PrisonAssignment.Reason.TRANSFER, "pk"),
            allocations=_moves(PrisonAssignment.Reason.ALLOCATION, "pk"),
        )
        .order_by("submitted_at", "id")
        .values_list(*SUBMITTED_VALUES, named=True)
    )
    for a in applications.iterator(chunk_size=CHUNK):
        yield (
            str(a.id),
            a.crn,
            a.noms_number,
            a.route__name or "",
            a.cohort__name or "",
            a.referring_prison__code or "",
            _preferred_areas(a.preferred_area_1, a.preferred_area_2),
            a.hdc_eligibility_date,
            a.conditional_release_date,
            a.bail_hearing_date,
            local_moment(a.submitted_at),
            # Only the person who started an application submits it; the timeline says so when it can.
            a.submitter or a.created_by__username,
            local_moment(a.created_at),
            a.transfers,
            a.allocations,
            WORKFLOW.label(a.status),
            a.region__name,
            a.sex,
            age_band(a.date_of_birth, a.submitted_at),
            a.ethnicity,
        )


SUBMITTED_APPLICATIONS = ReportDefinition(
    key="cas2-submitted-applications",
    title="CAS2 submitted applications",
    description="Every CAS2 application submitted in the period, in every route and cohort, with its status today.",
    columns=SUBMITTED_COLUMNS,
    count=lambda params: _submitted(params).count(),
    rows=submitted_rows,
    service=Service.CAS2,
)


# Status updates ---------------------------------------------------------------------------------------------


def _status_updates(params: ReportParams):
    start, end = day_bounds(params)
    updates = TimelineEntry.objects.filter(
        kind=TimelineEntry.Kind.STATUS, referral__service=Service.CAS2, created_at__gte=start, created_at__lt=end
    )
    return updates.filter(referral__region_id=params.region_id) if params.region_id else updates


STATUS_UPDATE_COLUMNS = (
    Column("applicationId", "Application ID", "The application's unique reference in the service"),
    Column("crn", "CRN", "Case reference number in the probation case system"),
    Column("nomsNumber", "Prison number", "The person's prison number (NOMIS), when they have one"),
    Column("newStatus", "New status code", "The status the application moved to, as a code that never changes"),
    Column("newStatusLabel", "New status", "The status the application moved to, as people read it"),
    Column("updatedAt", "Updated at", "When the status changed (UK time)"),
    Column("updatedBy", "Updated by", "The username of the person who changed it (or the service)"),
    Column(
        "statusDetails",
        "Status details",
        "The codes of the details given with the update (reasons, sections needing more information), separated by '|'",
    ),
    Column(
        "numberOfLocationTransfers",
        "Prison transfers",
        "How many times the application had followed the person to another prison by the time of the update",
    ),
    Column(
        "numberOfPomTransfers",
        "Offender manager changes",
        "How many times a new prison offender manager had been allocated by the time of the update",
    ),
    *ROUTE_COLUMNS,
    *PERSON_COLUMNS,
)

STATUS_UPDATE_VALUES = (
    "referral_id",
    "referral__crn",
    "referral__noms_number",
    "to_status",
    "created_at",
    "author__username",
    "author_name",
    "details",
    "transfers",
    "allocations",
    "referral__route__name",
    "referral__cohort__name",
    "referral__region__name",
    "referral__sex",
    "referral__date_of_birth",
    "referral__submitted_at",
    "referral__ethnicity",
)


def _details(details) -> str:
    codes = (details or {}).get("status_details") or ()
    return DETAILS_SEPARATOR.join(str(code) for code in codes)


def status_update_rows(params: ReportParams):
    updates = (
        _status_updates(params)
        .annotate(
            transfers=_moves(PrisonAssignment.Reason.TRANSFER, "referral_id", "created_at"),
            allocations=_moves(PrisonAssignment.Reason.ALLOCATION, "referral_id", "created_at"),
        )
        .order_by("created_at", "id")
        .values_list(*STATUS_UPDATE_VALUES, named=True)
    )
    for u in updates.iterator(chunk_size=CHUNK):
        yield (
            str(u.referral_id),
            u.referral__crn,
            u.referral__noms_number,
            u.to_status,
            WORKFLOW.label(u.to_status),
            local_moment(u.created_at),
            u.author__username or u.author_name,
            _details(u.details),
            u.transfers,
            u.allocations,
            u.referral__route__name or "",
            u.referral__cohort__name or "",
            u.referral__region__name,
            u.referral__sex,
            age_band(u.referral__date_of_birth, u.referral__submitted_at),
            u.referral__ethnicity,
        )


STATUS_UPDATES = ReportDefinition(
    key="cas2-status-updates",
    title="CAS2 status updates",
    description="Every status update of a CAS2 application made in the period, by the provider or the referrer.",
    columns=STATUS_UPDATE_COLUMNS,
    count=lambda params: _status_updates(params).count(),
    rows=status_update_rows,
    service=Service.CAS2,
)


# Unsubmitted applications -----------------------------------------------------------------------------------


def _unsubmitted(params: ReportParams):
    start, end = day_bounds(params)
    # Abandoned drafts are kept (deleted_at set, answers gone) so that they are counted here.
    drafts = Referral.objects.filter(service=Service.CAS2, status=DRAFT, created_at__gte=start, created_at__lt=end)
    return drafts.filter(region_id=params.region_id) if params.region_id else drafts


UNSUBMITTED_COLUMNS = (
    Column("applicationId", "Application ID", "The application's unique reference in the service"),
    Column("crn", "CRN", "Case reference number in the probation case system"),
    Column("nomsNumber", "Prison number", "The person's prison number (NOMIS), when they have one"),
    Column("startedAt", "Started at", "When the application was started (UK time)"),
    Column("startedBy", "Started by", "The username of the person who started it"),
    *ROUTE_COLUMNS,
    Column("abandoned", "Abandoned", "Yes when the referrer abandoned the application; No while it is in progress"),
    *PERSON_COLUMNS,
)

UNSUBMITTED_VALUES = (
    "id",
    "crn",
    "noms_number",
    "created_at",
    "created_by__username",
    "route__name",
    "cohort__name",
    "deleted_at",
    "region__name",
    "sex",
    "date_of_birth",
    "ethnicity",
)


def unsubmitted_rows(params: ReportParams):
    drafts = _unsubmitted(params).order_by("created_at", "id").values_list(*UNSUBMITTED_VALUES, named=True)
    for d in drafts.iterator(chunk_size=CHUNK):
        yield (
            str(d.id),
            d.crn,
            d.noms_number,
            local_moment(d.created_at),
            d.created_by__username,
            d.route__name or "",
            d.cohort__name or "",
            yes_no(d.deleted_at is not None),
            d.region__name,
            d.sex,
            age_band(d.date_of_birth, d.created_at),
            d.ethnicity,
        )


UNSUBMITTED_APPLICATIONS = ReportDefinition(
    key="cas2-unsubmitted-applications",
    title="CAS2 unsubmitted applications",
    description="Every CAS2 application started in the period and not submitted: in progress or abandoned.",
    columns=UNSUBMITTED_COLUMNS,
    count=lambda params: _unsubmitted(params).count(),
    rows=unsubmitted_rows,
    service=Service.CAS2,
)
