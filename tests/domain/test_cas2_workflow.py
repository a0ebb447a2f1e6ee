"""The CAS2 workflow, from its declaration: every pair of statuses is either a declared move (with
the action that makes it) or refused with a message naming both statuses; and the provider's
service levels in working hours and working days."""

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cas.core import tiers
from cas.referrals.cas2 import service_levels
from cas.referrals.cas2.workflow import CLOSED, HDC_ONLY_DETAILS, WORKFLOW, Action, Status, detail_choices

SUBMITTED = [s.code for s in WORKFLOW.statuses if s.code != Status.DRAFT]

# The moves that make sense, written out by hand: the declaration must give exactly these.
EXPECTED = {
    ("received", "more_info_requested"),
    ("received", "awaiting_decision"),
    ("received", "on_waiting_list"),
    ("more_info_requested", "received"),
    ("more_info_requested", "awaiting_decision"),
    ("more_info_requested", "incomplete"),
    ("awaiting_decision", "more_info_requested"),
    ("awaiting_decision", "on_waiting_list"),
    ("awaiting_decision", "place_offered"),
    ("awaiting_decision", "could_not_be_placed"),
    ("on_waiting_list", "more_info_requested"),
    ("on_waiting_list", "awaiting_decision"),
    ("on_waiting_list", "place_offered"),
    ("on_waiting_list", "could_not_be_placed"),
    ("place_offered", "offer_accepted"),
    ("place_offered", "offer_declined"),
    ("offer_accepted", "offer_declined"),
    ("offer_accepted", "awaiting_arrival"),
} | {
    (status, closing)
    for status in (
        "received",
        "more_info_requested",
        "awaiting_decision",
        "on_waiting_list",
        "place_offered",
        "offer_accepted",
        "awaiting_arrival",
    )
    for closing in ("withdrawn", "cancelled")
}


def test_the_tier_is_registered_with_its_workflow():
    assert tiers.get("cas2").workflow is WORKFLOW
    assert WORKFLOW.submitted == Status.RECEIVED


@pytest.mark.parametrize(("before", "after"), list(itertools.permutations(SUBMITTED, 2)))
def test_every_status_pair_is_allowed_or_refused(before, after):
    action = WORKFLOW.action_to(before, after, include_system=True)
    if (before, after) in EXPECTED:
        assert action is not None
        assert WORKFLOW.next_status(before, action) == after
        assert WORKFLOW.action_labels[action]
    else:
        assert action is None, f"{before} -> {after} should be refused"


def test_place_offered_only_after_awaiting_decision_or_waiting_list():
    sources = {before for before, after in EXPECTED if after == Status.PLACE_OFFERED}
    assert sources == {Status.AWAITING_DECISION, Status.ON_WAITING_LIST}


def test_closed_statuses_end_the_application():
    for status in CLOSED:
        assert WORKFLOW.status(status).closes
        assert WORKFLOW.allowed_actions(status, include_system=True) == []


def test_details_are_declared_for_the_statuses_that_need_them():
    for action in WORKFLOW.details_required:
        assert WORKFLOW.action_details[action]
    # The more-information sections of an HDC application include the HDC-only ones; bail's do not.
    hdc = {code for code, _ in detail_choices(Action.REQUEST_INFORMATION, "hdc")}
    bail = {code for code, _ in detail_choices(Action.REQUEST_INFORMATION, "court_bail")}
    assert "hdc_and_cpp" in hdc and "hdc_and_cpp" not in bail
    assert not bail & HDC_ONLY_DETAILS


def _at(*args):
    return timezone.make_aware(dt.datetime(*args))


def test_service_level_in_working_hours():
    within_the_hour = SimpleNamespace(service_level_working_hours=1, service_level_working_days=None)
    # Monday 7 December 2026: by 4pm, decided the same day; after, the next working morning.
    assert service_levels.due_at(_at(2026, 12, 7, 15, 30), within_the_hour) == _at(2026, 12, 7, 16, 30)
    assert service_levels.due_at(_at(2026, 12, 7, 16, 30), within_the_hour) == _at(2026, 12, 8, 9, 30)
    # Friday evening: Monday morning. Christmas Eve afternoon: the next working day after the bank holidays.
    assert service_levels.due_at(_at(2026, 12, 11, 18, 0), within_the_hour) == _at(2026, 12, 14, 10, 0)
    assert service_levels.due_at(_at(2026, 12, 24, 16, 45), within_the_hour) == _at(2026, 12, 29, 9, 45)
    # Before opening: an hour after opening.
    assert service_levels.due_at(_at(2026, 12, 7, 7, 0), within_the_hour) == _at(2026, 12, 7, 10, 0)


def test_service_level_in_working_days():
    three_days = SimpleNamespace(service_level_working_hours=None, service_level_working_days=3)
    assert service_levels.due_at(_at(2026, 12, 7, 11, 0), three_days) == _at(2026, 12, 10, 17, 0)
    assert service_levels.due_at(_at(2026, 12, 23, 11, 0), three_days) == _at(2026, 12, 30, 17, 0)
    assert service_levels.is_overdue(_at(2026, 12, 7, 11, 0), three_days, _at(2026, 12, 10, 17, 1))
    assert not service_levels.is_overdue(_at(2026, 12, 7, 11, 0), three_days, _at(2026, 12, 10, 16, 59))
