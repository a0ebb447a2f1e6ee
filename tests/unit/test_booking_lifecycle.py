"""The booking lifecycle table on its own: every status in it, every action with its refusal, and the
transitions it has (a change to the table shows here as well as in the services' agreement test,
`tests/domain/test_booking_lifecycle.py`)."""

import pytest

from cas.placements.lifecycle import REFUSALS, TRANSITIONS, Action, ActionNotAllowed, allowed_actions, next_status
from cas.placements.status import BookingStatus

S = BookingStatus
ACTIVE = (S.PROVISIONAL, S.CONFIRMED, S.ARRIVED, S.DEPARTED, S.CLOSED)
EXPECTED = {
    (S.PROVISIONAL, Action.CONFIRM): S.CONFIRMED,
    (S.CONFIRMED, Action.ARRIVE): S.ARRIVED,
    **{(s, Action.CHANGE_DEPARTURE_DATE): None for s in (S.PROVISIONAL, S.CONFIRMED, S.ARRIVED)},
    (S.ARRIVED, Action.DEPART): S.DEPARTED,
    # Before arrival the expected date moves; after it the date the person arrived is corrected.
    **{(s, Action.CHANGE_ARRIVAL_DATE): None for s in (S.PROVISIONAL, S.CONFIRMED, S.ARRIVED)},
    (S.DEPARTED, Action.UPDATE_DEPARTURE): None,
    (S.CLOSED, Action.UPDATE_DEPARTURE): None,
    (S.PROVISIONAL, Action.RECORD_NON_ARRIVAL): S.NOT_ARRIVED,
    (S.CONFIRMED, Action.RECORD_NON_ARRIVAL): S.NOT_ARRIVED,
    (S.PROVISIONAL, Action.CANCEL): S.CANCELLED,
    (S.CONFIRMED, Action.CANCEL): S.CANCELLED,
    (S.CANCELLED, Action.UPDATE_CANCELLATION): None,
    **{(s, Action.CHANGE_TURNAROUND): None for s in ACTIVE},
    **{(s, Action.RECORD_INCIDENT): None for s in ACTIVE},
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(Action))
def test_every_status_and_action(status, action):
    if (status, action) in EXPECTED:
        assert next_status(status, action) == EXPECTED[(status, action)]
    else:
        with pytest.raises(ActionNotAllowed) as exc:
            next_status(status, action)
        assert exc.value.message == f"You cannot {REFUSALS[action]} because the booking is {status.label.lower()}"
        assert exc.value.code == "transition_not_allowed"


def test_the_table_has_every_action_status_and_refusal_and_nothing_more():
    assert set(TRANSITIONS) == set(Action) == set(REFUSALS)
    declared = {(source, action) for action, moves in TRANSITIONS.items() for source in moves}
    assert declared == set(EXPECTED)
    sources = {source for moves in TRANSITIONS.values() for source in moves}
    targets = {target for moves in TRANSITIONS.values() for target in moves.values() if target}
    assert sources | targets == set(S)
    assert set(S) - sources == {S.NOT_ARRIVED}  # the one status nothing more can happen to
    assert all(REFUSALS[a] and not REFUSALS[a].endswith(".") for a in Action)


def test_allowed_actions_in_the_tables_order():
    assert allowed_actions(S.PROVISIONAL) == [
        Action.CONFIRM,
        Action.CHANGE_DEPARTURE_DATE,
        Action.CHANGE_ARRIVAL_DATE,
        Action.RECORD_NON_ARRIVAL,
        Action.CANCEL,
        Action.CHANGE_TURNAROUND,
        Action.RECORD_INCIDENT,
    ]
    assert allowed_actions(S.CLOSED) == [Action.UPDATE_DEPARTURE, Action.CHANGE_TURNAROUND, Action.RECORD_INCIDENT]
    assert allowed_actions(S.NOT_ARRIVED) == []
