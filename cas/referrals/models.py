"""Referrals for every tier. A referral is a draft until it is submitted; from then on its one
`status` carries the whole review lifecycle, stored once and changed only by services.

The answers live in `answers` (JSON, saved page by page with the form's version); at submission
the question-and-answer `document` is frozen and the fields reporting needs are copied into typed
columns, so reports never read the JSON.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cas.core.models import TierRecord


class ReferralQuerySet(models.QuerySet):
    def live(self):
        """Not deleted (only drafts can be deleted)."""
        return self.filter(deleted_at__isnull=True)

    def drafts(self):
        return self.live().filter(status=Referral.Status.DRAFT)

    def submitted(self):
        return self.live().exclude(status=Referral.Status.DRAFT)


class Referral(TierRecord):
    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        # Submitted and waiting in the destination region's queue for an assessor.
        UNALLOCATED = "unallocated", "Unallocated"
        IN_REVIEW = "in_review", "In review"
        READY_TO_PLACE = "ready_to_place", "Ready to place"
        ARCHIVED = "archived", "Archived"
        REJECTED = "rejected", "Rejected"

    # What the referrer sees for each status on their own lists.
    REFERRER_LABELS = {
        "draft": ("In progress", "blue"),
        "unallocated": ("Submitted", "purple"),
        "in_review": ("In review", "orange"),
        "ready_to_place": ("Accepted", "green"),
        "archived": ("Closed", "grey"),
        "rejected": ("Rejected", "red"),
    }
    SUBMITTED_STATUSES = ("unallocated", "in_review", "ready_to_place", "archived")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)

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

    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["created_by", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="referral_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | Q(status="draft"),
                name="referral_only_drafts_deleted",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral for {self.person_name} ({self.crn})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def referrer_status(self) -> tuple[str, str]:
        """(label, colour) of the status as the referrer sees it."""
        return self.REFERRER_LABELS[self.status]

    @property
    def reference(self) -> str:
        """A short reference people can quote."""
        return str(self.pk).split("-")[0].upper()
