"""Recording changes, views and refusals. Services call these inside their transaction.

Every action name must be declared (`cas.core.audit_actions`); an undeclared one raises
`UnknownAuditAction` before anything is written."""

from collections.abc import Iterable
from typing import Any

from cas.core import audit_actions
from cas.core.middleware import current_request_meta
from cas.core.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in (sorted(value) if isinstance(value, set | frozenset) else value)]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "pk"):
        return str(value)
    return str(value)


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The audited fields of `obj` as plain JSON values, for before/after comparisons."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def _base(actor, **kwargs) -> AuditEvent:
    meta = current_request_meta()
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_username=getattr(actor, "username", "") or "system",
        request_id=meta.get("request_id", ""),
        ip_address=meta.get("ip"),
        **kwargs,
    )


def record_change(
    actor,
    action: str,
    subject,
    *,
    before: dict | None,
    after: dict | None,
    crn: str = "",
    service: str = "",
    detail: str = "",
) -> AuditEvent | None:
    """Store a change. Nothing is written when before and after are equal (a no-op save)."""
    # Checked even for a no-op save, so that an undeclared action fails the first time it runs.
    audit_actions.get(action)
    if before is not None and after is not None and before == after:
        return None
    event = _base(
        actor,
        kind=AuditEvent.Kind.CHANGE,
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        subject_label=str(subject)[:200],
        crn=crn,
        service=service,
        before=before,
        after=after,
        detail=detail[:500],
    )
    event.save()
    return event


def record_view(actor, action: str, *, crn: str, subject_label: str = "", detail: str = "") -> AuditEvent:
    audit_actions.get(action)
    event = _base(
        actor,
        kind=AuditEvent.Kind.VIEW,
        action=action,
        subject_type="person",
        subject_id=crn,
        subject_label=subject_label[:200],
        crn=crn,
        detail=detail[:500],
    )
    event.save()
    return event


def record_refusal(actor, action: str, *, crn: str = "", detail: str = "") -> AuditEvent:
    audit_actions.get(action)
    event = _base(
        actor,
        kind=AuditEvent.Kind.REFUSAL,
        action=action,
        subject_type="person" if crn else "",
        subject_id=crn,
        crn=crn,
        detail=detail[:500],
    )
    event.save()
    return event


def record_sign_in(user, action: str, *, username: str, detail: str = "") -> AuditEvent:
    audit_actions.get(action)
    event = _base(
        user,
        kind=AuditEvent.Kind.SIGN_IN,
        action=action,
        subject_type="accounts.user",
        subject_id=str(user.pk) if getattr(user, "pk", None) else "",
        subject_label=username[:200],
        detail=detail[:500],
    )
    if not event.actor_username or event.actor_username == "system":
        event.actor_username = username[:150]
    event.save()
    return event


def record_figures_view(
    actor, action: str, *, subject_type: str, subject_id: str, subject_label: str = "", detail: str = ""
) -> AuditEvent:
    """A view of figures that are about no one person (the dashboard): who looked at what scope."""
    audit_actions.get(action)
    event = _base(
        actor,
        kind=AuditEvent.Kind.VIEW,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id[:64],
        subject_label=subject_label[:200],
        detail=detail[:500],
    )
    event.save()
    return event
