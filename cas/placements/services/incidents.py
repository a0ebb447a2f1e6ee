"""Recording an incident at a property, or during a stay (shown on the booking's timeline)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cas.core import audit, clock
from cas.core.dates import long_date
from cas.core.errors import DomainError
from cas.placements import lifecycle
from cas.placements.models import Booking, Incident
from cas.placements.services.rules import _check_manage, _user
from cas.premises.models import Premises


@transaction.atomic
def record_incident(
    actor,
    *,
    premises: Premises,
    booking: Booking | None = None,
    kind: str,
    occurred_on: dt.date | None,
    details: str,
) -> Incident:
    """Record an incident at a property, or during a stay (shown on the booking's timeline)."""
    premises = Premises.objects.select_related("region").get(pk=premises.pk)
    _check_manage(actor, premises)
    if booking is not None:
        if booking.premises_id != premises.pk:
            raise DomainError("The booking is not at this property", field="booking")
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        lifecycle.require(booking, lifecycle.Action.RECORD_INCIDENT)
    if kind not in Incident.Kind.values:
        raise DomainError("Select the kind of incident", field="kind")
    if occurred_on is None:
        raise DomainError("Enter the date of the incident", field="occurred_on")
    if occurred_on > clock.today():
        raise DomainError("The date of the incident must be today or in the past", field="occurred_on")
    if booking is not None and occurred_on < booking.arrival_date - dt.timedelta(days=1):
        raise DomainError(
            f"The date of the incident must be on or after the arrival date, {long_date(booking.arrival_date)}",
            field="occurred_on",
        )
    details = (details or "").strip()
    if not details:
        raise DomainError("Enter what happened", field="details")
    if len(details) > 5000:
        raise DomainError("What happened must be 5000 characters or fewer", field="details")
    incident = Incident.objects.create(
        service=premises.service,
        premises=premises,
        region=premises.region,
        booking=booking,
        kind=kind,
        occurred_on=occurred_on,
        details=details,
        created_by=_user(actor),
    )
    audit.record_change(
        actor,
        "incident.recorded",
        incident,
        before=None,
        after=audit.snapshot(incident, ("premises", "booking", "kind", "occurred_on", "details")),
        crn=booking.crn if booking else "",
        service=premises.service,
    )
    return incident
