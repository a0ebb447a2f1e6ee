"""The accommodation estate: properties (premises), their bedspaces, void periods and the history of
archiving and bringing back online.

Rules live in `services/` (every write, a module per concern) and `status.py` (status derived from dates); see README.md.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from cas.core import clock
from cas.core.concurrency import VersionedModel
from cas.core.dates import short_date
from cas.core.models import TierRecord, TimestampedModel
from cas.core.tiers import Service
from cas.premises.status import BedspaceStatus, PremisesStatus, bedspace_status_on, premises_status_on
from cas.reference.models import (
    Characteristic,
    LocalAuthorityArea,
    ProbationDeliveryUnit,
    ProbationRegion,
    VoidReason,
)


class Premises(TierRecord, VersionedModel):
    """A property. Belongs to a PDU (and so a region); the PDU must be in the region."""

    service = models.CharField(max_length=4, choices=Service.choices, db_index=True)
    reference = models.CharField("property reference", max_length=100)
    address_line1 = models.CharField("address line 1", max_length=200)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=8)
    local_authority = models.ForeignKey(
        LocalAuthorityArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(ProbationRegion, on_delete=models.PROTECT, related_name="+")
    pdu = models.ForeignKey(ProbationDeliveryUnit, on_delete=models.PROTECT, related_name="+", verbose_name="PDU")
    characteristics = models.ManyToManyField(Characteristic, blank=True, related_name="+")
    turnaround_working_days = models.PositiveSmallIntegerField(default=2)
    notes = models.TextField(blank=True)
    # In service from start_date; archived from end_date (when set). A property brought back online
    # gets a new start_date; its earlier periods are in ArchiveChange.
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "premises"
        ordering = ["reference"]
        constraints = [
            # No default tier: a record made without one fails loudly instead of joining CAS3.
            models.CheckConstraint(condition=~Q(service=""), name="premises_has_service"),
            models.UniqueConstraint(Lower("reference"), "pdu", name="premises_reference_unique_in_pdu"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="premises_end_not_before_start",
            ),
        ]
        indexes = [models.Index(fields=["region", "end_date"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.address_line1, self.address_line2, self.town, self.postcode) if p)

    def status_on(self, day) -> PremisesStatus:
        return premises_status_on(self.start_date, self.end_date, day)

    @property
    def status(self) -> PremisesStatus:
        return self.status_on(clock.today())

    @property
    def scheduled_archive_date(self):
        """The archive date when it is still ahead."""
        return self.end_date if self.end_date and self.end_date > clock.today() else None

    @property
    def scheduled_online_date(self):
        """The date an archived property comes back online, when that is still ahead."""
        return self.start_date if self.start_date > clock.today() and self.end_date is None else None


class Bedspace(TimestampedModel, VersionedModel):
    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="bedspaces")
    reference = models.CharField("bedspace reference", max_length=100)
    start_date = models.DateField()
    end_date = models.DateField("archive date", null=True, blank=True)
    characteristics = models.ManyToManyField(Characteristic, blank=True, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(Lower("reference"), "premises", name="bedspace_reference_unique_in_premises"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="bedspace_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def status_on(self, day) -> BedspaceStatus:
        return bedspace_status_on(self.start_date, self.end_date, day)

    @property
    def status(self) -> BedspaceStatus:
        return self.status_on(clock.today())

    @property
    def scheduled_archive_date(self):
        return self.end_date if self.end_date and self.end_date > clock.today() else None


class VoidPeriod(TimestampedModel, VersionedModel):
    """A bedspace out of service from start_date to end_date (both days included)."""

    class CostBorneBy(models.TextChoices):
        HMPPS = "hmpps", "HMPPS"
        SUPPLIER = "supplier", "Supplier"

    bedspace = models.ForeignKey(Bedspace, on_delete=models.PROTECT, related_name="voids")
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.ForeignKey(VoidReason, on_delete=models.PROTECT, related_name="+")
    reference_number = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    cost_borne_by = models.CharField(max_length=10, choices=CostBorneBy.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancellation_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["start_date", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="void_end_not_before_start"),
        ]
        indexes = [models.Index(fields=["bedspace", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"Void {short_date(self.start_date)} to {short_date(self.end_date)}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class ArchiveChange(TimestampedModel):
    """One scheduled archive or return to service of a property or a bedspace: the history table.

    Changes made together (a property and its bedspaces) share a `batch`; cancelling one cancels the
    batch and restores each subject's previous dates, which are kept here rather than rebuilt from
    event payloads.
    """

    class Action(models.TextChoices):
        ARCHIVE = "archive", "Archive"
        UNARCHIVE = "unarchive", "Bring back online"

    class Cause(models.TextChoices):
        REQUESTED = "requested", "Requested"
        WITH_PROPERTY = "with_property", "With its property"
        LAST_BEDSPACE = "last_bedspace", "Its last bedspace was archived"
        BEDSPACE_BACK = "bedspace_back", "A bedspace came back online"

    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="archive_changes")
    bedspace = models.ForeignKey(
        Bedspace, null=True, blank=True, on_delete=models.PROTECT, related_name="archive_changes"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    cause = models.CharField(max_length=15, choices=Cause.choices, default=Cause.REQUESTED)
    effective_date = models.DateField()
    previous_start_date = models.DateField()
    previous_end_date = models.DateField(null=True, blank=True)
    batch = models.UUIDField(default=uuid.uuid4, db_index=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancellation_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["premises", "created_at"])]

    def __str__(self) -> str:
        subject = f"bedspace {self.bedspace}" if self.bedspace_id else f"property {self.premises}"
        return f"{self.get_action_display()} {subject} on {short_date(self.effective_date)}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def is_pending(self, today=None) -> bool:
        """Still ahead and not cancelled: the only changes that can be cancelled."""
        return not self.is_cancelled and self.effective_date > (today or clock.today())
