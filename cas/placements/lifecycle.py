"""The booking lifecycle, declared once: which action a booking's status allows, the status it leads
to, and the words of the refusal.

The services check every action with `require()` (on the locked booking), the booking page draws its
action links from `allowed_actions()` and the API returns them on every booking, so the three cannot
disagree. The table is keyed by `current_status`, the status the user sees: a departed booking whose
turnaround is over is closed (`status.py`). Like `cas.referrals.lifecycle`, it is data: another tier
declares a table of the same shape.
"""

from enum import StrEnum

from cas.core.errors import Conflict
from cas.placements.status import ACTIVE_STATUSES, BookingStatus

S = BookingStatus


class Action(StrEnum):
    # In the order the booking page offers them.
    CONFIRM = "confirm"
    ARRIVE = "arrive"
    CHANGE_DEPARTURE_DATE = "change_departure_date"  # extend or shorten
    DEPART = "depart"
    CHANGE_ARRIVAL_DATE = "change_arrival_date"  # expected before arrival, corrected after
    UPDATE_DEPARTURE = "update_departure"  # correct the recorded departure
    RECORD_NON_ARRIVAL = "record_non_arrival"
    CANCEL = "cancel"
    UPDATE_CANCELLATION = "update_cancellation"  # correct the recorded cancellation
    CHANGE_TURNAROUND = "change_turnaround"
    RECORD_INCIDENT = "record_incident"


# action -> {from current status: the stored status it writes, or None where the status stays}
TRANSITIONS: dict[Action, dict[str, str | None]] = {
    Action.CONFIRM: {S.PROVISIONAL: S.CONFIRMED},
    Action.ARRIVE: {S.CONFIRMED: S.ARRIVED},
    Action.CHANGE_DEPARTURE_DATE: {S.PROVISIONAL: None, S.CONFIRMED: None, S.ARRIVED: None},
    Action.DEPART: {S.ARRIVED: S.DEPARTED},
    Action.CHANGE_ARRIVAL_DATE: {S.PROVISIONAL: None, S.CONFIRMED: None, S.ARRIVED: None},
    Action.UPDATE_DEPARTURE: {S.DEPARTED: None, S.CLOSED: None},
    Action.RECORD_NON_ARRIVAL: {S.PROVISIONAL: S.NOT_ARRIVED, S.CONFIRMED: S.NOT_ARRIVED},
    Action.CANCEL: {S.PROVISIONAL: S.CANCELLED, S.CONFIRMED: S.CANCELLED},
    Action.UPDATE_CANCELLATION: {S.CANCELLED: None},
    Action.CHANGE_TURNAROUND: dict.fromkeys(ACTIVE_STATUSES),
    Action.RECORD_INCIDENT: dict.fromkeys(ACTIVE_STATUSES),
}

# The refusal: "You cannot {doing} because the booking is {status}". An update shares its action's
# words, because one service (and one API endpoint) does both.
REFUSALS: dict[Action, str] = {
    Action.CONFIRM: "confirm this booking",
    Action.ARRIVE: "mark the person as arrived",
    Action.CHANGE_DEPARTURE_DATE: "extend or shorten this booking",
    Action.DEPART: "record a departure",
    Action.CHANGE_ARRIVAL_DATE: "change the arrival date",
    Action.UPDATE_DEPARTURE: "record a departure",
    Action.RECORD_NON_ARRIVAL: "record that the person did not arrive",
    Action.CANCEL: "cancel this booking",
    Action.UPDATE_CANCELLATION: "cancel this booking",
    Action.CHANGE_TURNAROUND: "change the turnaround",
    Action.RECORD_INCIDENT: "record an incident",
}


class ActionNotAllowed(Conflict):
    def __init__(self, status: str, action: Action):
        super().__init__(
            f"You cannot {REFUSALS[action]} because the booking is {S(status).label.lower()}",
            code="transition_not_allowed",
        )
        self.status, self.action = status, action


def allowed_actions(status: str) -> list[Action]:
    """What a booking in (current) `status` allows, in the table's order."""
    return [action for action, moves in TRANSITIONS.items() if status in moves]


def allows(booking, action: Action) -> bool:
    return booking.current_status in TRANSITIONS[action]


def require(booking, *actions: Action) -> Action:
    """The first of `actions` the booking's status allows; otherwise `ActionNotAllowed` in the first's
    words. A service that both does a step and corrects it passes both and learns which it is doing."""
    status = booking.current_status
    for action in actions:
        if status in TRANSITIONS[action]:
            return action
    raise ActionNotAllowed(status, actions[0])


def next_status(status: str, action: Action) -> str | None:
    """The stored status `action` writes from `status` (None: it stays), or `ActionNotAllowed`."""
    try:
        return TRANSITIONS[Action(action)][status]
    except KeyError:
        raise ActionNotAllowed(status, Action(action)) from None
