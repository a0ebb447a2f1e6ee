"""Referrals for every tier. A referral is a draft until it is submitted; from then on its one
`status` carries the whole review lifecycle, stored once and changed only by services.

The answers live in `answers` (JSON, saved page by page with the form's version); at submission
the question-and-answer `document` is frozen and the fields reporting needs are copied into typed
columns, so reports never read the JSON.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cas.core import clock, tiers
from cas.core.concurrency import VersionedModel
from cas.core.models import TierRecord
from cas.core.tiers import DRAFT
from cas.referrals.cas3.constraints import REFERRAL_CONSTRAINTS as CAS3_CONSTRAINTS


class ReferralQuerySet(models.QuerySet):
    def live(self):
        """Not deleted (only drafts can be deleted)."""
        return self.filter(deleted_at__isnull=True)

    def drafts(self):
        return self.live().filter(status=DRAFT)

    def submitted(self):
        return self.live().exclude(status=DRAFT)


class ReferralRoute(models.Model):
    """A way into a tier (CAS2: court bail, prison bail, Home Detention Curfew, the probation cohorts):
    who may start an application by it, how the person is found, and when it is open. Reference
    data, so that a route opens or closes without code; a closed route keeps its applications readable."""

    class PersonKey(models.TextChoices):
        CRN = "crn", "CRN"
        NOMS = "noms", "Prison number"

    service = models.CharField(max_length=4)
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    person_key = models.CharField(max_length=4, choices=PersonKey.choices)
    # The role codes that may start an application by this route (comma-separated).
    roles = models.CharField(max_length=200)
    opens_on = models.DateField()
    closes_on = models.DateField(null=True, blank=True, help_text="The first day it no longer takes applications")
    closed_message = models.TextField(blank=True, help_text="What people are told once it has closed")
    # The shared inbox of the team that assesses the route's applications (a national provider's).
    assessor_email = models.EmailField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="referral_route_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def role_codes(self) -> frozenset[str]:
        return frozenset(r.strip() for r in self.roles.split(",") if r.strip())

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day and (self.closes_on is None or day < self.closes_on)


class ReferralCohort(models.Model):
    """Who an application is for, within a route (a probation route has several cohorts): it sets the
    provider's service level and what reports group by. Reference data with opening and closing dates,
    so a new cohort needs no code."""

    route = models.ForeignKey(ReferralRoute, on_delete=models.PROTECT, related_name="cohorts")
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=100)
    opens_on = models.DateField()
    closes_on = models.DateField(null=True, blank=True)
    # The provider's service level: a decision within so many working hours, or working days.
    service_level_working_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    service_level_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["route", "code"], name="referral_cohort_unique_code"),
            models.CheckConstraint(
                condition=Q(service_level_working_hours__isnull=True) | Q(service_level_working_days__isnull=True),
                name="referral_cohort_one_service_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day and (self.closes_on is None or day < self.closes_on)


class Referral(TierRecord, VersionedModel):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals")
    # A status of the referral's tier's workflow (`cas.core.tiers.Workflow`); every tier starts in draft.
    status = models.CharField(max_length=20, default=DRAFT, db_index=True)

    # The person, as the probation case system described them when the draft was created.
    crn = models.CharField(max_length=7, db_index=True)
    noms_number = models.CharField("prison number", max_length=7, blank=True)
    pnc_number = models.CharField(max_length=20, blank=True)
    person_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=20, blank=True)
    gender_identity = models.CharField(max_length=40, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    person_fetched_at = models.DateTimeField(null=True, blank=True)
    offence_id = models.CharField(max_length=50, blank=True)
    offence_description = models.CharField(max_length=300, blank=True)
    prison_name_on_creation = models.CharField(max_length=200, blank=True)

    # Regions: where it came from, and who owns it (the destination region's queue once submitted).
    origin_region = models.ForeignKey(
        "reference.ProbationRegion", on_delete=models.PROTECT, related_name="+", help_text="The referrer's region"
    )
    origin_pdu = models.ForeignKey(
        "reference.ProbationDeliveryUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "reference.ProbationRegion",
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text="The owning region: the referrer's, or the destination of an out-of-region referral",
    )
    pdu = models.ForeignKey(
        "reference.ProbationDeliveryUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name="PDU",
    )
    is_out_of_region = models.BooleanField(default=False)

    # The form.
    form_key = models.CharField(max_length=50)
    form_version = models.PositiveIntegerField()
    answers = models.JSONField(default=dict, blank=True)
    # Pages the referrer must answer again after the form changed (see the form engine).
    form_notices = models.JSONField(default=list, blank=True)
    document = models.JSONField(null=True, blank=True)

    # Upstream snapshots taken at creation (read-only in the form; the plan is editable there).
    risk_snapshot = models.JSONField(null=True, blank=True)
    prison_snapshot = models.JSONField(null=True, blank=True)
    prison_problem = models.CharField(max_length=300, blank=True)
    risk_problem = models.CharField(max_length=300, blank=True)
    rosh_level = models.CharField("overall risk of serious harm", max_length=20, blank=True)
    tier = models.CharField(max_length=5, blank=True)
    mappa = models.CharField(max_length=40, blank=True)
    risk_assessment_completed_on = models.DateField(null=True, blank=True)
    risk_management_plan_imported_at = models.DateTimeField(null=True, blank=True)

    # Typed fields for reporting and the review queue, set at submission.
    release_date = models.DateField(null=True, blank=True)
    accommodation_required_from = models.DateField(null=True, blank=True)
    has_history_of_sexual_offence = models.BooleanField(null=True, blank=True)
    is_registered_sex_offender = models.BooleanField(null=True, blank=True)
    has_concerning_sexual_behaviour = models.BooleanField(null=True, blank=True)
    has_history_of_arson = models.BooleanField(null=True, blank=True)
    has_concerning_arson_behaviour = models.BooleanField(null=True, blank=True)
    needs_accessible_property = models.BooleanField(null=True, blank=True)
    is_duty_to_refer_submitted = models.BooleanField(null=True, blank=True)
    duty_to_refer_submitted_on = models.DateField(null=True, blank=True)
    duty_to_refer_local_authority = models.ForeignKey(
        "reference.LocalAuthorityArea", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    duty_to_refer_outcome = models.CharField(max_length=40, blank=True)
    is_eligible = models.BooleanField(null=True, blank=True)
    eligibility_reason = models.CharField(max_length=40, blank=True)
    prison_release_types = models.CharField(max_length=100, blank=True)
    is_able_to_share = models.BooleanField(null=True, blank=True)
    has_risk_to_self_concerns = models.BooleanField(null=True, blank=True)
    safety_plan = models.CharField(max_length=20, blank=True)
    consent_given = models.BooleanField(null=True, blank=True)

    # The route and cohort of tiers that have them (CAS2), chosen when the application starts (the
    # cohort of a route with several is chosen in the form, and set at submission).
    route = models.ForeignKey(ReferralRoute, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cohort = models.ForeignKey(ReferralCohort, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Prisons: where the application was made, and where the person is now (applications made in
    # prison follow the person: `PrisonAssignment` keeps the history, this the latest).
    referring_prison = models.ForeignKey(
        "reference.Prison", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_prison = models.ForeignKey(
        "reference.Prison", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offender_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The prison offender manager now responsible for the application",
    )
    # Typed fields of tiers with bail and licence dates (CAS2), set at submission.
    hdc_eligibility_date = models.DateField("HDC eligibility date", null=True, blank=True)
    conditional_release_date = models.DateField(null=True, blank=True)
    bail_hearing_date = models.DateField(null=True, blank=True)
    bail_hearing_court = models.CharField(max_length=200, blank=True)
    preferred_area_1 = models.CharField(max_length=100, blank=True)
    preferred_area_2 = models.CharField(max_length=100, blank=True)
    has_exclusion_zones = models.BooleanField(null=True, blank=True)
    has_substance_misuse_needs = models.BooleanField(null=True, blank=True)
    has_mental_health_needs = models.BooleanField(null=True, blank=True)
    has_physical_health_needs = models.BooleanField(null=True, blank=True)
    funding_source = models.CharField(max_length=30, blank=True)
    has_id_documents = models.BooleanField("has ID documents", null=True, blank=True)
    needs_women_only = models.BooleanField(null=True, blank=True)
    referrer_phone = models.CharField(max_length=30, blank=True)
    referrer_job_title = models.CharField(max_length=100, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    # The provider's assessment (CAS2): their own reference and the assessor's name.
    provider_reference = models.CharField(max_length=50, blank=True)
    assessor_name = models.CharField(max_length=200, blank=True)
    # Tasks the assessor asked the referrer to answer again (more information requested): editable
    # by the referrer after submission until they send the answers back.
    reopened_tasks = models.JSONField(default=list, blank=True)

    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    # Review and assessment (changed only by `review.py`, through `lifecycle.py`). `version` counts
    # every change after submission, so an edit made from a stale page is refused.
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_referrals",
        help_text="The assessor reviewing the referral (in review)",
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last accepted or rejected (the end of the review)"
    )
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When it was archived")
    rejection_reason = models.ForeignKey(
        "reference.ReferralRejectionReason", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejection_details = models.TextField(blank=True)
    withdrawal_requested = models.BooleanField(
        null=True, blank=True, help_text="Rejected because the probation practitioner asked for it to be withdrawn"
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["created_by", "status"]),
            # The review queue: one region's tab, in order of arrival or of need.
            models.Index(fields=["region", "status", "submitted_at"], name="referral_queue_received"),
            models.Index(fields=["region", "status", "accommodation_required_from"], name="referral_queue_needed"),
            models.Index(fields=["crn", "status"], name="referral_crn_status"),
            models.Index(fields=["noms_number"], name="referral_noms"),
            # A national provider's queue: one tier's applications by status, in order of arrival.
            models.Index(fields=["service", "status", "submitted_at"], name="referral_national_queue"),
            models.Index(fields=["current_prison", "status"], name="referral_prison_status"),
            # The queue's tab totals count one region's referrals by status: this index answers
            # them alone (an index-only scan) instead of reading every referral row of the region.
            models.Index(
                # The id too, as the totals count ids (a key column: SQLite has no covering columns).
                fields=["region", "service", "status", "id"],
                condition=Q(deleted_at__isnull=True),
                name="referral_queue_totals",
            ),
        ]
        constraints = [
            # No default tier: a record made without one fails loudly instead of joining CAS3.
            models.CheckConstraint(condition=~Q(service=""), name="referral_has_service"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="referral_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | Q(status="draft"),
                name="referral_only_drafts_deleted",
            ),
            *CAS3_CONSTRAINTS,
        ]

    def __str__(self) -> str:
        return f"Referral for {self.person_name} ({self.crn})"

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT

    @property
    def workflow(self) -> tiers.Workflow:
        return tiers.get(self.service).workflow

    @property
    def status_label(self) -> str:
        return self.workflow.label(self.status)

    def get_status_display(self) -> str:
        # The status has no fixed choices (each tier has its own), so its label comes from the workflow.
        return self.status_label

    @property
    def referrer_status(self) -> tuple[str, str]:
        """(label, colour) of the status as the referrer sees it."""
        status = self.workflow.status(self.status)
        return status.referrer_label, status.colour

    @property
    def reference(self) -> str:
        """A short reference people can quote."""
        return str(self.pk).split("-")[0].upper()


class PrisonAssignment(models.Model):
    """Where an application made in prison is now: the prison, and the prison offender manager
    responsible once one is allocated. The latest row is current; submission makes the first, and
    the prison system's location and allocation events add the next ones."""

    class Reason(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        TRANSFER = "transfer", "Moved prison"
        ALLOCATION = "allocation", "New offender manager"

    id = models.BigAutoField(primary_key=True)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="prison_assignments")
    prison = models.ForeignKey("reference.Prison", on_delete=models.PROTECT, related_name="+")
    offender_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offender_manager_name = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.referral_id} at {self.prison_id}"


class TimelineEntry(models.Model):
    """One thing that happened to a submitted referral: a status change, a corrected date or a note.

    Written by the services with the change it describes (same transaction), never edited. The
    referrer sees the entries marked `visible_to_referrer`: every status and date change, their own
    notes and the notes the HPT addressed to them; HPT-only notes stay with the HPT.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        STATUS = "status", "Status change"
        DATE = "date", "Date corrected"
        NOTE = "note", "Note"
        # An application made in prison followed the person to another prison or offender manager.
        TRANSFER = "transfer", "Moved prison"
        ALLOCATION = "allocation", "Offender manager changed"
        # The referrer sent back the answers the assessor asked for.
        INFORMATION = "information", "Information sent"
        # The person booked for the referral arrived or left (`details["event"]`), in the referrer's
        # words: what `placement.py` lets them know of the booking.
        PLACEMENT = "placement", "Placement"

    class Author(models.TextChoices):
        ASSESSOR = "assessor", "Homelessness Prevention Team"
        REFERRER = "referrer", "Probation practitioner"
        SYSTEM = "system", "The service"

    id = models.BigAutoField(primary_key=True)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(default=clock.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_name = models.CharField(max_length=200, help_text="The author's name at the time")
    author_kind = models.CharField(max_length=10, choices=Author.choices)
    action = models.CharField(max_length=30, blank=True, help_text="The lifecycle action, for status changes")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True, help_text="The note, or the details given with a decision")
    details = models.JSONField(default=dict, blank=True)
    visible_to_referrer = models.BooleanField(default=True)
    emailed_to = models.EmailField(blank=True, help_text="Who was emailed about this entry")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["referral", "created_at"], name="timeline_referral_time")]
        verbose_name_plural = "timeline entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.referral_id}"


class ReviewServiceLevel(VersionedModel):
    """How many working days a region's HPT aims to take to review a referral (accept or reject it).

    Regions without a row use DEFAULT_WORKING_DAYS. Administrators change it; referrals still
    waiting after it are marked overdue in the queue."""

    DEFAULT_WORKING_DAYS = 5

    region = models.OneToOneField(
        "reference.ProbationRegion", on_delete=models.PROTECT, related_name="review_service_level"
    )
    working_days = models.PositiveSmallIntegerField(default=DEFAULT_WORKING_DAYS)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=1) & Q(working_days__lte=30), name="service_level_1_to_30_days"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.working_days} working days"
