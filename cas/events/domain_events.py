"""Publishing domain events: `publish()` inside the service's transaction, delivery after commit.

Event types are declared once (`register`), with the description consumers see. The thin message
follows the HMPPS domain event shape (eventType, version, description, detailUrl, occurredAt,
personReference); the full detail is at its detailUrl.
"""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse

from cas.core import clock
from cas.events.models import DomainEvent

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


def signature(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _post(url: str, body: bytes, secret: str):
    return requests.post(
        url,
        data=body,
        headers={"Content-Type": "application/json", "X-CAS-Signature": f"sha256={signature(body, secret)}"},
        timeout=settings.EVENTS["timeout"],
    )


@task
def deliver_event(event_id: str) -> str:
    """Deliver one event; idempotent, and safe to run again after a crash or a failure."""
    config = settings.EVENTS
    with transaction.atomic():
        event = DomainEvent.objects.select_for_update().get(pk=event_id)
        if event.delivery in (DomainEvent.Delivery.DELIVERED, DomainEvent.Delivery.FEED_ONLY):
            return event.delivery
        event.attempts += 1
        if not config.get("webhook_url"):
            event.delivery = DomainEvent.Delivery.FEED_ONLY
        else:
            body = json.dumps(thin_message(event)).encode()
            try:
                response = _post(config["webhook_url"], body, config.get("webhook_secret", ""))
                if response.status_code >= 300:
                    raise requests.HTTPError(f"webhook answered {response.status_code}")
            except requests.RequestException as exc:
                log.warning("Event %s not delivered: %s", event.pk, exc)
                event.delivery = DomainEvent.Delivery.FAILED
                event.last_error = str(exc)[:500]
            else:
                event.delivery = DomainEvent.Delivery.DELIVERED
                event.delivered_at = clock.now()
                event.last_error = ""
        event.save()
        return event.delivery


def redeliver_pending(max_attempts: int = 10) -> int:
    """Retry events that are pending or failed (run from cron: `manage.py deliver_events`)."""
    ids = list(
        DomainEvent.objects.filter(
            delivery__in=[DomainEvent.Delivery.PENDING, DomainEvent.Delivery.FAILED], attempts__lt=max_attempts
        ).values_list("pk", flat=True)[:1000]
    )
    for event_id in ids:
        deliver_event.call(str(event_id))
    return len(ids)
