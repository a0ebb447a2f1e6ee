"""The audit's action names, each declared once with what it means for the administrators who search
the audit history.

An app declares the actions it records in its own `audit_actions.py`, imported by its `apps.py`, with
`declare(area, {name: description})`; `cas.core.audit` refuses a name nobody declared, so a typo
cannot write an action no one will find. A referral's workflow actions are not listed by hand: every
action of every registered tier's workflow is `referral.<action>`, worked out when it is looked up (a
tier registered later, like the test suite's, has its actions known at once).

No models are imported here, so the apps can declare their actions at the top of `apps.py`.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from cas.core import tiers

WORKFLOW_AREA = "Referrals"
WORKFLOW_PREFIX = "referral."


@dataclass(frozen=True)
class AuditAction:
    name: str
    description: str
    area: str


class UnknownAuditAction(ValueError):
    """An audit record with an action nobody declared: a programming error, raised in every
    environment rather than writing an action the audit search does not know."""


_DECLARED: dict[str, AuditAction] = {}


def declare(area: str, actions: Mapping[str, str]) -> None:
    """Declare the actions of one area of the service: {name: what happened, in plain English}."""
    for name, description in actions.items():
        if name in _DECLARED:
            raise ValueError(f"Audit action {name} is declared twice")
        if not description.strip():
            raise ValueError(f"Audit action {name} needs a description")
        _DECLARED[name] = AuditAction(name, description, area)


def workflow_actions() -> dict[str, AuditAction]:
    """`referral.<action>` for every action of every registered tier's workflow, described by what
    the referral's timeline calls it in each tier that has it."""
    titles: dict[str, list[str]] = {}
    for tier in tiers.registered():
        for action in tier.workflow.transitions:
            titles.setdefault(str(action), []).append(f'"{tier.workflow.timeline_title(action)}" in {tier.name}')
    return {
        f"{WORKFLOW_PREFIX}{action}": AuditAction(
            f"{WORKFLOW_PREFIX}{action}", f"A referral moved on in its workflow: {', '.join(found)}.", WORKFLOW_AREA
        )
        for action, found in titles.items()
    }


def declared() -> dict[str, AuditAction]:
    """The actions the apps declared, without the workflow ones."""
    return dict(_DECLARED)


def get(name: str) -> AuditAction:
    if name in _DECLARED:
        return _DECLARED[name]
    derived = workflow_actions().get(name) if name.startswith(WORKFLOW_PREFIX) else None
    if derived is None:
        raise UnknownAuditAction(
            f"Audit action {name!r} is not declared: declare it in the audit_actions.py of the app that records it"
        )
    return derived


def describe(name: str) -> str:
    """The description of a recorded action, or "" for one no longer declared (older records)."""
    try:
        return get(name).description
    except UnknownAuditAction:
        return ""


def every_action() -> list[AuditAction]:
    """Every action the audit can hold today, by area and then name."""
    actions = {**workflow_actions(), **_DECLARED}
    return sorted(actions.values(), key=lambda a: (a.area, a.name))
