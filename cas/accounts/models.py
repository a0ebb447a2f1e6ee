from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property

from cas.core import clock
from cas.core.concurrency import VersionedModel
from cas.core.roles import HOME_PRIORITY, Role


class User(VersionedModel, AbstractUser):
    """A member of staff. Belongs to a probation region (and usually a PDU) and holds roles."""

    class Cas2ReferralRoute(models.TextChoices):
        PRISON_BAIL = "prison_bail", "Prison bail"
        COURT_BAIL = "court_bail", "Court bail"
        PROBATION = "probation", "Probation"

    region = models.ForeignKey(
        "reference.ProbationRegion", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    pdu = models.ForeignKey(
        "reference.ProbationDeliveryUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name="PDU",
    )
    phone_number = models.CharField(max_length=30, blank=True)
    delius_username = models.CharField(max_length=100, blank=True)
    cas2_referral_route = models.CharField(max_length=20, choices=Cas2ReferralRoute.choices, blank=True)
    # Single sign-on subject; users are matched on it rather than on e-mail, which can change.
    oidc_subject = models.CharField(max_length=255, null=True, blank=True, unique=True)
    # Optional second factor (administrators): an authenticator-app secret, on once confirmed.
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled_at = models.DateTimeField(null=True, blank=True)
    # The last time step accepted, so a code cannot be used twice.
    totp_last_step = models.BigIntegerField(null=True, blank=True)
    failed_sign_in_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_set(self) -> frozenset[Role]:
        # Iterating .all() uses prefetch_related("role_assignments") when a list view asked for it.
        return frozenset(Role(a.role) for a in self.role_assignments.all())

    def has_role(self, role: Role) -> bool:
        return role in self.role_set

    @property
    def roles_sorted(self) -> list[Role]:
        return [r for r in HOME_PRIORITY if r in self.role_set]

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > clock.now()

    def register_failed_sign_in(self) -> None:
        self.failed_sign_in_count += 1
        if self.failed_sign_in_count >= settings.CAS_LOCKOUT_THRESHOLD:
            self.locked_until = clock.now() + timedelta(minutes=settings.CAS_LOCKOUT_MINUTES)
            self.failed_sign_in_count = 0
        self.save(update_fields=["failed_sign_in_count", "locked_until"])


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for a system that calls the API as a user (e.g. the probation case system
    reading the event feed). Only a hash is stored; the token is shown once, when created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
