"""The notification port: services call `send_email`; the adapter in settings decides what happens.

- `outbox` (default): the email is rendered and recorded, nothing leaves the service.
- `notify`: also sent through GOV.UK Notify (NOTIFY_API_KEY, NOTIFY_TEMPLATE_IDS).
The row is written inside the caller's transaction and delivered after it commits, so a rolled-back
action never sends an email.
"""

import logging

from django.conf import settings
from django.db import transaction

from cas.core import clock
from cas.events.email_templates import EMAIL_TEMPLATES
from cas.events.models import OutboundEmail
from cas.events.notify import NotifyClient, NotifyError

log = logging.getLogger(__name__)


def send_email(
    template: str, *, to: str, personalisation: dict, service: str = "", reference: str = "", actor=None
) -> OutboundEmail:
    subject, body = EMAIL_TEMPLATES[template].render(personalisation)
    email = OutboundEmail.objects.create(
        template_key=template,
        to_address=to,
        subject=subject,
        body=body,
        personalisation={k: str(v) for k, v in personalisation.items()},
        service=service,
        reference=reference,
        crn=str(personalisation.get("crn", "")),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    transaction.on_commit(lambda: deliver(email.pk))
    return email


def _notify_client() -> NotifyClient:
    config = settings.NOTIFICATIONS
    return NotifyClient(
        config["api_key"], base_url=config.get("base_url") or "https://api.notifications.service.gov.uk"
    )


def deliver(email_id) -> OutboundEmail:
    """Deliver one pending email; safe to call again (a sent email is never sent twice)."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().get(pk=email_id)
        if email.status in (OutboundEmail.Status.SENT, OutboundEmail.Status.RECORDED):
            return email
        email.attempts += 1
        config = settings.NOTIFICATIONS
        if config.get("adapter", "outbox") != "notify":
            email.status = OutboundEmail.Status.RECORDED
            email.sent_at = clock.now()
        else:
            template_id = config.get("template_ids", {}).get(email.template_key)
            try:
                if not template_id:
                    raise NotifyError(f"No GOV.UK Notify template id configured for {email.template_key}")
                email.provider_id = _notify_client().send_email(
                    template_id=template_id,
                    email_address=email.to_address,
                    personalisation=email.personalisation,
                    reference=email.reference,
                )
                email.status = OutboundEmail.Status.SENT
                email.sent_at = clock.now()
                email.error = ""
            except NotifyError as exc:
                # The action that asked for the email stands; the failure is visible in the outbox.
                log.warning("Email %s not sent: %s", email.pk, exc)
                email.status = OutboundEmail.Status.FAILED
                email.error = str(exc)[:500]
        email.save()
        return email
