from django.conf import settings
from django.db import models

from cas.core.models import TimestampedModel
from cas.core.tiers import Service


class OutboundEmail(TimestampedModel):
    """Every email the service sends, as rendered: the outbox developers and administrators read.

    With the default adapter nothing leaves the service (status `recorded`); with GOV.UK Notify the
    row records the provider's id or the error.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        RECORDED = "recorded", "Recorded (not sent: outbox only)"
        SENT = "sent", "Sent to GOV.UK Notify"
        FAILED = "failed", "Failed"

    template_key = models.CharField(max_length=80, db_index=True)
    to_address = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    personalisation = models.JSONField(default=dict)
    service = models.CharField(max_length=4, choices=Service.choices, blank=True)
    # What the email is about, e.g. "referral:<uuid>", so a record's page can list its emails.
    reference = models.CharField(max_length=100, blank=True, db_index=True)
    # The person the email names, if any (from its personalisation), so the outbox can mask people
    # the reader may not see.
    crn = models.CharField(max_length=20, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    provider_id = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to_address}"


class DomainEvent(TimestampedModel):
    """Something that happened to a case, for other systems (the probation case system first).

    Written in the same transaction as the change it describes (an outbox), so there are no
    phantom events for changes that rolled back and no changes without their event. Consumers read
    the feed at /api/v1/events, or receive each event by webhook when one is configured.
    """

    class Delivery(models.TextChoices):
        PENDING = "pending", "Waiting to deliver"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed, will retry"
        FEED_ONLY = "feed", "In the feed (no webhook configured)"

    event_type = models.CharField(max_length=100, db_index=True)
    version = models.PositiveSmallIntegerField(default=1)
    service = models.CharField(max_length=4, choices=Service.choices)
    occurred_at = models.DateTimeField(db_index=True)
    crn = models.CharField(max_length=7, db_index=True)
    noms_number = models.CharField(max_length=7, blank=True)
    subject_type = models.CharField(max_length=80)
    subject_id = models.CharField(max_length=64)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    detail = models.JSONField(default=dict)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} {self.crn} {self.occurred_at:%Y-%m-%d %H:%M}"


class EventDelivery(TimestampedModel):
    """One event on its way to one configured endpoint (a webhook or a topic). Events about the
    same person reach each endpoint in the order they happened: a delivery waits while an earlier
    one for the same CRN is still to go. Failures are retried with back-off until `max_attempts`."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to deliver"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed, will retry"
        GAVE_UP = "gave_up", "Failed too often, not retried"

    event = models.ForeignKey(DomainEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.CharField(max_length=50)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_endpoint")]
        indexes = [models.Index(fields=["endpoint", "status"], name="delivery_endpoint_status")]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint}: {self.status}"


class DeliveryAttempt(models.Model):
    """The delivery log: every attempt, with what the endpoint answered."""

    id = models.BigAutoField(primary_key=True)
    delivery = models.ForeignKey(EventDelivery, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery} at {self.attempted_at:%Y-%m-%d %H:%M:%S}: {self.status_code or self.error}"
