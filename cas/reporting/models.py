from django.conf import settings
from django.db import models

from cas.core.models import TimestampedModel


class PlacementImport(TimestampedModel):
    """One import of placements recorded outside the service: who, when, which file, what changed."""

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    rows_total = models.PositiveIntegerField()
    rows_added = models.PositiveIntegerField()
    rows_updated = models.PositiveIntegerField()
    rows_unchanged = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class ManualPlacement(TimestampedModel):
    """A CAS3 placement recorded outside the service (the manual Welsh route, or history from before
    the digital service). Re-importing the same reference updates it, so retrospective date changes
    reach the statistics."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Manual"
        DIGITAL = "digital", "Digital"

    placement_reference = models.CharField(max_length=100, unique=True)
    crn = models.CharField(max_length=7, db_index=True)
    region = models.ForeignKey("reference.ProbationRegion", on_delete=models.PROTECT, related_name="+")
    gender_identity = models.CharField(max_length=30, blank=True)
    sex = models.CharField(max_length=10, blank=True)
    start_date = models.DateField(db_index=True)
    end_date = models.DateField(null=True, blank=True, db_index=True)
    move_on_category = models.ForeignKey(
        "reference.MoveOnCategory", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    last_import = models.ForeignKey(PlacementImport, on_delete=models.PROTECT, related_name="placements")

    class Meta:
        ordering = ["start_date", "placement_reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="manual_placement_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.placement_reference


class StatisticsRelease(TimestampedModel):
    """Published figures, frozen as they were, so later runs can show what has been revised."""

    name = models.CharField(max_length=100, unique=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tables = models.JSONField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class ReportRun(TimestampedModel):
    """One requested MI report: generated in the background, downloadable until it expires."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being prepared"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "No longer available"

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (XLSX)"
        CSV = "csv", "CSV"

    report_key = models.CharField(max_length=50)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField()
    region = models.ForeignKey(
        "reference.ProbationRegion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for all regions",
    )
    file_format = models.CharField(max_length=4, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    # The file names in clear someone the case system limits (its requester may see them): only the
    # requester may download it.
    names_limited_people = models.BooleanField(default=False)
    rows_expected = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report_key} {self.start_date}–{self.end_date}"

    @property
    def progress(self) -> int:
        if self.status == self.Status.READY:
            return 100
        if not self.rows_expected:
            return 0
        return min(99, int(self.rows_written * 100 / self.rows_expected))
