"""The audit action registry: every action name recorded in `cas/` is declared once with a
description, every declared one is recorded somewhere, and an undeclared name is refused."""

import ast
from pathlib import Path

import pytest

from cas.core import audit, audit_actions, tiers
from cas.core.audit_actions import UnknownAuditAction
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.premises.models import ArchiveChange
from tests.factories import make_user
from tests.tiers import tier as test_tier

CAS = Path(__file__).resolve().parents[2] / "cas"
RECORDERS = {"record_change", "record_view", "record_refusal", "record_sign_in", "record_figures_view"}
WORKFLOW = "a workflow action"
ESTATE_KINDS = ("premises", "bedspace")

# Action names built at run time, by their source text, with the names they can make. A new one
# fails `test_every_recorded_action_is_declared` until it is added here.
DYNAMIC = {
    # cas/referrals/lifecycle.py and cas/demo/placements.py: an action of the referral's workflow.
    "f'referral.{action}'": WORKFLOW,
    "f'referral.{action.value}'": WORKFLOW,
    # cas/premises: a property or bedspace archived or brought back online, and either change cancelled.
    "f'{kind}.{verb}'": {f"{kind}.{verb}" for kind in ESTATE_KINDS for verb in ("archived", "unarchived")},
    "f'{kind}.{item.action}_cancelled'": {
        f"{kind}.{action}_cancelled" for kind in ESTATE_KINDS for action in ArchiveChange.Action.values
    },
}


def _modules():
    for path in sorted(CAS.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def _name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def _action(call: ast.Call, position: int) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "action":
            return keyword.value
    return call.args[position] if len(call.args) > position else None


def _parameters(function: ast.FunctionDef) -> list[str]:
    return [a.arg for a in (*function.args.posonlyargs, *function.args.args)]


def _wrappers(modules) -> tuple[dict[str, int], set[ast.Call]]:
    """Functions that pass one of their own parameters to a recorder as the action (placements'
    `_audit(actor, "booking.created", ...)`): name -> the position of that parameter; and those
    forwarding calls, which record whatever their callers pass."""
    found, forwarding = {}, set()
    for _, tree in modules:
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            parameters = _parameters(function)
            for call in ast.walk(function):
                if isinstance(call, ast.Call) and _name(call) in RECORDERS:
                    action = _action(call, 1)
                    if isinstance(action, ast.Name) and action.id in parameters:
                        found[function.name] = parameters.index(action.id)
                        forwarding.add(call)
    return found, forwarding


def _resolve(expression: ast.expr, where: str) -> set[str] | str:
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return {expression.value}
    if isinstance(expression, ast.IfExp):
        return _resolve(expression.body, where) | _resolve(expression.orelse, where)
    source = ast.unparse(expression)
    assert source in DYNAMIC, f"{where}: cannot tell which audit actions {source} records; add it to DYNAMIC"
    return DYNAMIC[source]


def recorded_actions() -> tuple[set[str], int]:
    """Every action name the code in cas/ records, and how many call sites record a workflow action."""
    modules = list(_modules())
    wrappers, forwarding = _wrappers(modules)
    names: set[str] = set()
    workflow_sites = 0
    for path, tree in modules:
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or call in forwarding:
                continue
            name = _name(call)
            if name in RECORDERS:
                position = 1
            elif name in wrappers:
                position = wrappers[name]
            else:
                continue
            where = f"{path.relative_to(CAS.parent)}:{call.lineno}"
            expression = _action(call, position)
            assert expression is not None, f"{where}: an audit call without an action"
            resolved = _resolve(expression, where)
            if resolved == WORKFLOW:
                workflow_sites += 1
            else:
                names |= resolved
    return names, workflow_sites


def test_the_scan_finds_the_audit_calls_and_their_wrappers():
    """A scan that found nothing would pass the checks below: it must see the known shapes."""
    names, workflow_sites = recorded_actions()
    assert {"booking.created", "booking.extended", "booking.shortened"} <= names  # through placements' _audit
    assert {"sign_in.locked", "sign_in.failed", "person.viewed", "dashboard.viewed", "premises.archived"} <= names
    assert workflow_sites >= 2  # lifecycle.transition and the demo data


def test_every_recorded_action_is_declared():
    names, _ = recorded_actions()
    undeclared = sorted(name for name in names if name not in audit_actions.declared())
    assert undeclared == [], f"declare these in the audit_actions.py of the app that records them: {undeclared}"


def test_every_declared_action_is_recorded_somewhere():
    names, _ = recorded_actions()
    unused = sorted(set(audit_actions.declared()) - names)
    assert unused == [], f"declared but never recorded: {unused}"


def test_every_action_has_a_plain_description_and_an_area():
    for action in audit_actions.every_action():
        assert action.area and action.description.endswith("."), action
        assert action.name == action.name.lower() and " " not in action.name, action


def test_workflow_actions_come_from_every_registered_tier():
    for tier in tiers.registered():
        for action in tier.workflow.transitions:
            described = audit_actions.get(f"referral.{action}")
            assert tier.name in described.description and described.area == "Referrals"
    assert (
        audit_actions.describe("referral.allocate")
        == 'A referral moved on in its workflow: "Allocated for review" in CAS3.'
    )
    # No declared name is also a workflow action (it would hide the workflow's description).
    assert not set(audit_actions.workflow_actions()) & set(audit_actions.declared())


def test_a_tier_registered_later_has_its_workflow_actions_known():
    with pytest.raises(UnknownAuditAction):
        audit_actions.get("referral.withdraw_offer")
    with test_tier.registered():
        assert '"Withdraw the offer" in Test tier' in audit_actions.get("referral.withdraw_offer").description
        assert "referral.withdraw_offer" in {a.name for a in audit_actions.every_action()}
    with pytest.raises(UnknownAuditAction):
        audit_actions.get("referral.withdraw_offer")


def test_an_action_is_declared_once():
    with pytest.raises(ValueError, match="booking.created is declared twice"):
        audit_actions.declare("Bookings", {"booking.created": "Again."})


@pytest.mark.django_db
def test_every_recorder_refuses_an_undeclared_action_and_writes_nothing():
    user = make_user(Role.ADMIN, region_code="NA", username="audit.typo")
    attempts = [
        lambda: audit.record_change(user, "user.creatd", user, before=None, after={"a": 1}),
        # A no-op change writes nothing anyway, but the typo must still fail the first time it runs.
        lambda: audit.record_change(user, "user.updatd", user, before={"a": 1}, after={"a": 1}),
        lambda: audit.record_view(user, "person.seen", crn="X100001"),
        lambda: audit.record_refusal(user, "person.refusd", crn="X100001"),
        lambda: audit.record_sign_in(user, "sign_in.ok", username=user.username),
        lambda: audit.record_figures_view(user, "dashboard.seen", subject_type="reporting.dashboard", subject_id="x"),
        lambda: audit.record_change(user, "referral.no_such_action", user, before=None, after={"a": 1}),
    ]
    for attempt in attempts:
        with pytest.raises(UnknownAuditAction, match="is not declared"):
            attempt()
    assert not AuditEvent.objects.exists()
    # The declared names are written as before.
    assert audit.record_view(user, "person.viewed", crn="X100001").action == "person.viewed"
