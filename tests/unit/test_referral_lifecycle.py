import pytest

from cas.referrals import lifecycle
from cas.referrals.cas3.workflow import WORKFLOW, Action
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.lifecycle import TransitionNotAllowed
from cas.referrals.models import Referral

S = ReferralStatus
TRANSITIONS = WORKFLOW.transitions


def next_status(status, action):
    """The engine, run on a CAS3 referral in `status`."""
    return lifecycle.next_status(Referral(service="cas3", status=status), action)


def allowed_actions(status, **kwargs):
    return lifecycle.allowed_actions(Referral(service="cas3", status=status), **kwargs)


SUBMITTED = [S.UNALLOCATED, S.IN_REVIEW, S.READY_TO_PLACE, S.ARCHIVED, S.REJECTED]

EXPECTED = {
    (S.UNALLOCATED, Action.ALLOCATE): S.IN_REVIEW,
    (S.UNALLOCATED, Action.REJECT): S.REJECTED,
    (S.IN_REVIEW, Action.ACCEPT): S.READY_TO_PLACE,
    (S.IN_REVIEW, Action.UNALLOCATE): S.UNALLOCATED,
    (S.IN_REVIEW, Action.REALLOCATE): S.IN_REVIEW,
    (S.IN_REVIEW, Action.REJECT): S.REJECTED,
    (S.READY_TO_PLACE, Action.ARCHIVE): S.ARCHIVED,
    (S.READY_TO_PLACE, Action.ALLOCATE): S.IN_REVIEW,
    (S.READY_TO_PLACE, Action.REJECT): S.REJECTED,
    (S.READY_TO_PLACE, Action.BOOKING_CONFIRMED): S.ARCHIVED,
    (S.ARCHIVED, Action.REOPEN): S.READY_TO_PLACE,
    (S.ARCHIVED, Action.BOOKING_CANCELLED): S.READY_TO_PLACE,
    (S.REJECTED, Action.REOPEN): S.UNALLOCATED,
}


@pytest.mark.parametrize("status", [*SUBMITTED, S.DRAFT])
@pytest.mark.parametrize("action", list(Action))
def test_every_state_and_action(status, action):
    if (status, action) in EXPECTED:
        assert next_status(status, action) == EXPECTED[(status, action)]
    else:
        with pytest.raises(TransitionNotAllowed) as exc:
            next_status(status, action)
        assert exc.value.message.startswith("You cannot ")


def test_table_has_no_transitions_beyond_the_expected_ones():
    declared = {(source, action) for action, moves in TRANSITIONS.items() for source in moves}
    assert declared == set(EXPECTED)


def test_allowed_actions_hide_system_actions():
    assert allowed_actions(S.READY_TO_PLACE) == [Action.ALLOCATE, Action.REJECT, Action.ARCHIVE]
    assert Action.BOOKING_CONFIRMED in allowed_actions(S.READY_TO_PLACE, include_system=True)
    assert allowed_actions(S.DRAFT) == []
