"""Publishing domain events: `publish()` inside the service's transaction, delivery after commit.

Event types are declared once (`register`), with the description consumers see. The thin message
follows the HMPPS domain event shape (eventType, version, description, detailUrl, occurredAt,
personReference); the full detail is at its detailUrl.

Delivery (an outbox): every event is in the feed (`/api/v1/events`). For each configured endpoint
(`settings.EVENTS["endpoints"]`: webhooks signed with HMAC-SHA256, or an SNS-compatible topic) the
event gets an `EventDelivery`, written with the event. `deliver_due()` (after each commit, and from
`manage.py deliver_events`, the background worker) sends what is due, per endpoint in the order
events happened; an event waits while an earlier one about the same person has not gone yet, so a
consumer sees each person's events in order. Failures are retried with exponential back-off and
every attempt is logged (`DeliveryAttempt`).
"""

import datetime as dt
import logging
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse

from cas.core import clock
from cas.events.models import DeliveryAttempt, DomainEvent, EventDelivery
from cas.events.publishers import Publisher, configured_publishers, signature

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    version: int = 1


EVENT_TYPES: dict[str, EventType] = {}


def register(event_type: EventType) -> EventType:
    if event_type.name in EVENT_TYPES:
        raise ValueError(f"Event type {event_type.name} is registered twice")
    EVENT_TYPES[event_type.name] = event_type
    return event_type


def publish(event_type: str, *, service: str, crn: str, subject, detail: dict, actor=None, noms_number: str = ""):
    declared = EVENT_TYPES[event_type]
    event = DomainEvent.objects.create(
        event_type=event_type,
        version=declared.version,
        service=service,
        occurred_at=clock.now(),
        crn=crn,
        noms_number=noms_number or "",
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        triggered_by=actor if getattr(actor, "pk", None) else None,
        detail=detail,
    )
    for publisher in configured_publishers():
        EventDelivery.objects.create(event=event, endpoint=publisher.name)
    transaction.on_commit(lambda: deliver_event.enqueue(str(event.pk)))
    return event


def thin_message(event: DomainEvent) -> dict:
    """The notification other systems receive: enough to decide whether to fetch the detail."""
    identifiers = [{"type": "CRN", "value": event.crn}]
    if event.noms_number:
        identifiers.append({"type": "NOMS", "value": event.noms_number})
    declared = EVENT_TYPES.get(event.event_type)
    return {
        "id": str(event.pk),
        "eventType": event.event_type,
        "version": event.version,
        "description": declared.description if declared else "",
        "detailUrl": f"{settings.SERVICE_URL}{reverse('api:event-detail', args=[event.pk])}",
        "occurredAt": event.occurred_at.isoformat(),
        "service": event.service,
        "personReference": {"identifiers": identifiers},
    }


def _backoff(attempts: int) -> dt.timedelta:
    config = settings.EVENTS
    base = float(config.get("backoff_seconds", 30))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), float(config.get("max_backoff_seconds", 3600))))


def _summarise(event: DomainEvent) -> None:
    """The event's own delivery status: delivered once every endpoint has it."""
    deliveries = list(event.deliveries.all())
    if not deliveries:
        return
    event.attempts = max(d.attempts for d in deliveries)
    failed = [d for d in deliveries if d.status in (EventDelivery.Status.FAILED, EventDelivery.Status.GAVE_UP)]
    if all(d.status == EventDelivery.Status.DELIVERED for d in deliveries):
        event.delivery = DomainEvent.Delivery.DELIVERED
        event.delivered_at = max(d.delivered_at for d in deliveries)
        event.last_error = ""
    elif failed:
        event.delivery = DomainEvent.Delivery.FAILED
        event.last_error = failed[-1].last_error
    event.save(update_fields=["attempts", "delivery", "delivered_at", "last_error", "updated_at"])


def _attempt(delivery_id, publisher: Publisher, now: dt.datetime) -> bool:
    """Try one delivery; True when it has been delivered (now or before)."""
    with transaction.atomic():
        delivery = EventDelivery.objects.select_for_update().select_related("event").get(pk=delivery_id)
        if delivery.status == EventDelivery.Status.DELIVERED:
            return True
        started = time.monotonic()
        status_code, error = None, ""
        try:
            status_code = publisher.send(delivery.event, thin_message(delivery.event))
        except requests.RequestException as exc:
            error = str(exc)[:500] or exc.__class__.__name__
        except Exception as exc:  # noqa: BLE001 - any publisher failure is logged and retried, never raised
            error = f"{exc.__class__.__name__}: {exc}"[:500]
        DeliveryAttempt.objects.create(
            delivery=delivery,
            attempted_at=now,
            status_code=status_code,
            error=error,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        delivery.attempts += 1
        if not error:
            delivery.status = EventDelivery.Status.DELIVERED
            delivery.delivered_at = clock.now()
            delivery.last_error = ""
            delivery.next_attempt_at = None
        else:
            log.warning("Event %s not delivered to %s: %s", delivery.event_id, publisher.name, error)
            delivery.last_error = error
            gave_up = delivery.attempts >= int(settings.EVENTS.get("max_attempts", 10))
            delivery.status = EventDelivery.Status.GAVE_UP if gave_up else EventDelivery.Status.FAILED
            delivery.next_attempt_at = None if gave_up else now + _backoff(delivery.attempts)
        delivery.save()
        _summarise(delivery.event)
        return not error


__all__ = ["EVENT_TYPES", "EventType", "deliver_due", "publish", "redeliver_pending", "register", "signature"]


def deliver_due(now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Send every delivery that is due, per endpoint in the order the events happened, holding back
    a person's later events while an earlier one waits for its retry. Returns how many were tried."""
    now = now or clock.now()
    tried = 0
    for publisher in configured_publishers():
        held: set[str] = set()
        waiting = (
            EventDelivery.objects.filter(
                endpoint=publisher.name, status__in=[EventDelivery.Status.PENDING, EventDelivery.Status.FAILED]
            )
            .select_related("event")
            .order_by("event__occurred_at", "event__id")[:limit]
        )
        for delivery in waiting:
            crn = delivery.event.crn
            if crn in held:
                continue
            if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
                held.add(crn)
                continue
            tried += 1
            if not _attempt(delivery.pk, publisher, now):
                held.add(crn)
    return tried


@task
def deliver_event(event_id: str) -> str:
    """After an event commits: send what is due (this event, in its place in the order). Safe to
    run again after a crash or a failure."""
    with transaction.atomic():
        event = DomainEvent.objects.select_for_update().get(pk=event_id)
        if not configured_publishers() or not event.deliveries.exists():
            if event.delivery == DomainEvent.Delivery.PENDING:
                event.attempts += 1
                event.delivery = DomainEvent.Delivery.FEED_ONLY
                event.save(update_fields=["attempts", "delivery", "updated_at"])
            return event.delivery
    deliver_due()
    event.refresh_from_db()
    return event.delivery


def redeliver_pending(now: dt.datetime | None = None) -> int:
    """Retry what is due (run by `manage.py deliver_events`, from cron or as a worker loop)."""
    return deliver_due(now)
