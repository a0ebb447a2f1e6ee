from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property

from cas.core.concurrency import VersionedModel
from cas.core.roles import HOME_PRIORITY, Role


class User(VersionedModel, AbstractUser):
    """A member of staff. Belongs to a probation region (and usually a PDU) and holds roles."""

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
    # Prison staff work for one prison (their caseload): they see its applications, and only its people.
    prison = models.ForeignKey(
        "reference.Prison", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    # Single sign-on subject; users are matched on it rather than on e-mail, which can change.
    oidc_subject = models.CharField(max_length=255, null=True, blank=True, unique=True)
    # Optional second factor (administrators): an authenticator-app secret, on once confirmed.
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled_at = models.DateTimeField(null=True, blank=True)
    # The last time step accepted, so a code cannot be used twice.
    totp_last_step = models.BigIntegerField(null=True, blank=True)

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_set(self) -> frozenset[Role]:
        # Iterating .all() uses prefetch_related("role_assignments") when a list view asked for it.
        # A role of a tier registered at run time (the test suite's tier) is kept as its code.
        return frozenset(Role(a.role) if a.role in Role.values else a.role for a in self.role_assignments.all())

    def has_role(self, role: Role) -> bool:
        return role in self.role_set

    @property
    def roles_sorted(self) -> list[Role]:
        return [r for r in HOME_PRIORITY if r in self.role_set]

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)


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


class SignInFailure(models.Model):
    """A failed sign-in (a wrong password, or a wrong second-factor code), kept only while it counts
    towards a limit (`cas/accounts/throttle.py`). In the database, not a per-process cache, so every
    worker and every node sees the same counts. Whether or not an account has the username: an
    unknown username is counted, and locked, exactly like a real one."""

    # Normalised (NFKC, case-folded) as typed; not a foreign key, so unknown usernames count too.
    username = models.CharField(max_length=150)
    # The client's address (`cas.core.middleware.client_ip`), None when unknown.
    address = models.GenericIPAddressField(null=True, blank=True)
    # The trusted-device cookie's id when the browser had one for this username; blank otherwise.
    device = models.CharField(max_length=32, blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["username", "occurred_at"], name="signin_fail_username"),
            models.Index(fields=["address", "occurred_at"], name="signin_fail_address"),
            models.Index(fields=["occurred_at"], name="signin_fail_occurred"),
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.address or 'unknown address'} at {self.occurred_at}"
