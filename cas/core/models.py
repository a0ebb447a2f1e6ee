import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from cas.core.tiers import Service


class TimestampedModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TierRecord(TimestampedModel):
    """Base for every record that belongs to one tier (referral, premises, booking, ...)."""

    service = models.CharField(max_length=4, choices=Service.choices, db_index=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Who changed or saw what, and when. Written by services, never updated or deleted.

    `kind` separates changes to records (with before and after), views of a person's details, and
    refusals (access denied), so administrators can search each.
    """

    class Kind(models.TextChoices):
        CHANGE = "change", "Change"
        VIEW = "view", "Viewed"
        REFUSAL = "refusal", "Refused"
        SIGN_IN = "sign_in", "Sign-in"

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, db_index=True)
    action = models.CharField(max_length=80, db_index=True)
    subject_type = models.CharField(max_length=80, blank=True)
    subject_id = models.CharField(max_length=64, blank=True, db_index=True)
    subject_label = models.CharField(max_length=200, blank=True)
    crn = models.CharField(max_length=7, blank=True, db_index=True)
    service = models.CharField(max_length=4, choices=Service.choices, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.subject_label}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))

        def norm(value):
            return None if value in ("", [], {}) else value

        return [(k, before.get(k), after.get(k)) for k in keys if norm(before.get(k)) != norm(after.get(k))]


class IdempotencyKey(models.Model):
    """A submission already carried out, so that sending it again (a double click, a retry after a
    lost response, the back button) returns the first result instead of doing it twice.

    Written in the same transaction as the change it stands for (`cas.core.idempotency.run_once`):
    either both exist or neither does. `fingerprint` is a hash of what was sent, so a key reused
    for a different submission is refused rather than answered with an unrelated result.
    """

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=80, help_text="What was submitted, e.g. booking.confirm")
    fingerprint = models.CharField(max_length=64)
    result = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class TaskLease(models.Model):
    """A background task's claim by a worker process, renewed while the worker is alive.

    django-tasks-db marks a claimed task RUNNING and nothing more, so a worker that dies (killed,
    out of memory, the machine restarted) would leave it RUNNING for ever. Each worker renews the
    lease of the task it runs every third of TASKS_LEASE_MINUTES; `cas.core.tasks.requeue_expired`
    puts a task whose lease ran out back in the queue, or fails it after TASKS_MAX_ATTEMPTS.
    """

    task_id = models.UUIDField(primary_key=True)
    worker_id = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.task_id} by {self.worker_id} until {self.expires_at:%H:%M:%S}"
