"""Reference data: geography and every reason list, loaded from `data/*.csv` on migrate.

Entries are never deleted (records point at them); administrators switch them off with
`is_active` and choose which services (cas1, cas2, cas3) each applies to.
"""

from django.db import models

from cas.core.concurrency import VersionedModel
from cas.core.tiers import SERVICE_CODES


class ReferenceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_service(self, service: str):
        if service not in SERVICE_CODES:
            raise ValueError(f"Unknown service {service!r}")
        # `services` holds sorted comma-separated codes; codes never contain each other.
        return self.filter(services__contains=service)


class ProbationRegion(models.Model):
    NATIONAL_CODE = "NA"

    name = models.CharField(max_length=100, unique=True)
    delius_code = models.CharField(max_length=10, unique=True)
    hpt_email = models.EmailField(blank=True)
    ap_area = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.delius_code == self.NATIONAL_CODE


class ProbationDeliveryUnit(models.Model):
    name = models.CharField(max_length=200)
    delius_code = models.CharField(max_length=20, unique=True)
    region = models.ForeignKey(ProbationRegion, on_delete=models.PROTECT, related_name="pdus")
    is_active = models.BooleanField(default=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "probation delivery unit"

    def __str__(self) -> str:
        return self.name


class ProbationAreaMapping(models.Model):
    """Delius probation-area code -> region, used to place users signed in through single sign-on."""

    delius_area_code = models.CharField(max_length=10, unique=True)
    region = models.ForeignKey(ProbationRegion, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.delius_area_code} -> {self.region}"


class LocalAuthorityArea(models.Model):
    identifier = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    # Abolished areas (e.g. the Cumbria districts in April 2023) name their successor.
    replaced_by = models.CharField(max_length=9, blank=True)
    # The probation region that covers the area (abolished areas take their successor's), so pickers can
    # offer a region's own authorities first and the estate can keep a property's authority in its region.
    probation_region = models.ForeignKey(
        ProbationRegion, null=True, blank=True, on_delete=models.PROTECT, related_name="local_authorities"
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Prison(models.Model):
    """A prison (NOMIS agency code), its probation region and its Offender Management Unit's mailbox:
    prison staff are scoped to their prison, and applications made in prison follow the person from
    one prison to another."""

    code = models.CharField(max_length=6, unique=True)
    name = models.CharField(max_length=200)
    region = models.ForeignKey(ProbationRegion, on_delete=models.PROTECT, related_name="prisons")
    is_womens_prison = models.BooleanField(default=False)
    omu_email = models.EmailField("Offender Management Unit email", blank=True)
    is_active = models.BooleanField(default=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReferenceEntry(VersionedModel):
    """Shared shape of the reason lists: label, services it applies to, active flag, order."""

    key = models.CharField(max_length=200, unique=True, editable=False)
    name = models.CharField(max_length=200)
    services = models.CharField(max_length=20, help_text="Comma-separated service codes")
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveIntegerField(default=0)
    legacy_code = models.CharField("Delius code", max_length=20, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta(VersionedModel.Meta):
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def service_list(self) -> list[str]:
        return [s for s in self.services.split(",") if s]


class Characteristic(ReferenceEntry):
    class Scope(models.TextChoices):
        PREMISES = "premises", "Property"
        BEDSPACE = "bedspace", "Bedspace"

    model_scope = models.CharField(max_length=10, choices=Scope.choices)
    property_name = models.CharField(max_length=100)

    class Meta(ReferenceEntry.Meta):
        constraints = [
            models.UniqueConstraint(fields=["services", "model_scope", "property_name"], name="unique_characteristic")
        ]


class DepartureReason(ReferenceEntry):
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")


class MoveOnCategory(ReferenceEntry):
    class OutcomeGroup(models.TextChoices):
        """The official statistics' groups (CAS3 guidance); the mapping is data in
        `data/move_on_outcome_groups.csv`, editable by administrators."""

        SETTLED = "settled", "Settled accommodation"
        TRANSIENT = "transient", "Transient accommodation"
        HOMELESS = "homeless", "Homeless / Rough sleeping"
        RECALLED = "recalled", "Recalled / Further custody"
        PENDING = "pending", "Pending"
        UNKNOWN = "unknown", "Unknown / blank"
        EXCLUDED = "excluded", "Left out of outcome figures"

    outcome_group = models.CharField(max_length=10, choices=OutcomeGroup.choices, blank=True)

    class Meta(ReferenceEntry.Meta):
        verbose_name_plural = "move-on categories"


class CancellationReason(ReferenceEntry):
    pass


class NonArrivalReason(ReferenceEntry):
    pass


class ReferralRejectionReason(ReferenceEntry):
    pass


class VoidReason(ReferenceEntry):
    pass


class DestinationProvider(ReferenceEntry):
    pass
