"""The referral lifecycle after submission, declared once.

Every status change goes through `apply()` (called by services, which lock the referral), so the web
pages, the API and the booking rules cannot disagree about what is allowed. The review workflow adds
its notes, timeline and emails around these transitions; bookings use the two system actions.
"""

from enum import StrEnum

from cas.core.errors import Conflict
from cas.referrals.models import Referral

S = Referral.Status


class Action(StrEnum):
    ALLOCATE = "allocate"  # an assessor takes the referral: it is now in review
    UNALLOCATE = "unallocate"
    ACCEPT = "accept"  # ready to place
    REJECT = "reject"
    ARCHIVE = "archive"
    REOPEN = "reopen"
    BOOKING_CONFIRMED = "booking_confirmed"  # system: a confirmed booking closes the referral
    BOOKING_CANCELLED = "booking_cancelled"  # system: cancelling that booking puts it back to place


ACTION_LABELS = {
    Action.ALLOCATE: "Take the referral (in review)",
    Action.UNALLOCATE: "Return to unallocated",
    Action.ACCEPT: "Mark as ready to place",
    Action.REJECT: "Reject",
    Action.ARCHIVE: "Archive",
    Action.REOPEN: "Reopen",
    Action.BOOKING_CONFIRMED: "Booking confirmed",
    Action.BOOKING_CANCELLED: "Booking cancelled",
}

# action -> {from status: to status}
TRANSITIONS: dict[Action, dict[str, str]] = {
    Action.ALLOCATE: {S.UNALLOCATED: S.IN_REVIEW, S.READY_TO_PLACE: S.IN_REVIEW},
    Action.UNALLOCATE: {S.IN_REVIEW: S.UNALLOCATED},
    Action.ACCEPT: {S.IN_REVIEW: S.READY_TO_PLACE},
    Action.REJECT: {S.UNALLOCATED: S.REJECTED, S.IN_REVIEW: S.REJECTED, S.READY_TO_PLACE: S.REJECTED},
    Action.ARCHIVE: {S.READY_TO_PLACE: S.ARCHIVED},
    Action.REOPEN: {S.ARCHIVED: S.READY_TO_PLACE, S.REJECTED: S.UNALLOCATED},
    Action.BOOKING_CONFIRMED: {S.READY_TO_PLACE: S.ARCHIVED},
    Action.BOOKING_CANCELLED: {S.ARCHIVED: S.READY_TO_PLACE},
}
SYSTEM_ACTIONS = frozenset({Action.BOOKING_CONFIRMED, Action.BOOKING_CANCELLED})


class TransitionNotAllowed(Conflict):
    def __init__(self, status: str, action: Action):
        label = S(status).label.lower() if status in S.values else status
        super().__init__(
            f"You cannot {ACTION_LABELS[action].lower()} a referral that is {label}.", code="transition_not_allowed"
        )
        self.status, self.action = status, action


def allowed_actions(status: str, *, include_system: bool = False) -> list[Action]:
    return [
        action
        for action, moves in TRANSITIONS.items()
        if status in moves and (include_system or action not in SYSTEM_ACTIONS)
    ]


def next_status(status: str, action: Action) -> str:
    try:
        return TRANSITIONS[Action(action)][status]
    except KeyError:
        raise TransitionNotAllowed(status, Action(action)) from None


def apply(referral: Referral, action: Action) -> tuple[str, str]:
    """Move a (locked) referral; returns (from, to). The caller saves, audits and notifies."""
    before = referral.status
    referral.status = next_status(before, action)
    return before, referral.status
