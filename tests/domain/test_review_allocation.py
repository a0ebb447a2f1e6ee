"""Issue 20, point 6: an assessor allocates a CAS3 referral to a colleague of its region (or
reallocates one in review), audited, with the timeline saying who allocated it to whom."""

import pytest
from django.core.exceptions import PermissionDenied

from cas.core.errors import DomainError
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.referrals import timeline
from cas.referrals.cas3 import review
from cas.referrals.cas3.workflow import Status as S
from cas.referrals.lifecycle import TransitionNotAllowed
from tests.factories import make_user, pdu
from tests.referral_factories import make_submitted
from tests.review_factories import bring_to, copy_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral():
    referrer = make_user(Role.CAS3_REFERRER, username="alloc.pp", pdu=pdu("N51LPLS"))
    return make_submitted(referrer, "X100001")


@pytest.fixture
def team():
    return {
        "alex": make_user(Role.CAS3_ASSESSOR, username="alloc.alex", first_name="Alex", last_name="Carter"),
        "bea": make_user(Role.CAS3_ASSESSOR, username="alloc.bea", first_name="Bea", last_name="Lowe"),
        "cal": make_user(Role.CAS3_ASSESSOR, username="alloc.cal", first_name="Cal", last_name="Reid"),
    }


def _latest(referral):
    entry = timeline.entries(referral)[0]
    return timeline.describe(entry)


def test_the_colleagues_are_the_active_assessors_of_the_referrals_region(referral, team):
    make_user(Role.CAS3_ASSESSOR, region_code="N07", username="alloc.london")
    make_user(Role.CAS3_ASSESSOR, username="alloc.gone", is_active=False)
    make_user(Role.CAS3_REFERRER, username="alloc.referrer2")
    make_user(Role.CAS2_ASSESSOR, username="alloc.cas2")  # another tier's assessor
    names = [u.username for u in review.assessors_for(referral)]
    assert names == ["alloc.alex", "alloc.bea", "alloc.cal"]


def test_allocating_to_a_colleague_puts_it_in_their_review_and_says_so(referral, team):
    alex, bea = team["alex"], team["bea"]
    updated = review.allocate_to(alex, referral.pk, bea.pk)
    assert updated.status == S.IN_REVIEW and updated.allocated_to == bea and updated.allocated_at
    assert _latest(updated) == ("Allocated for review", "Alex Carter allocated it to Bea Lowe. Status: In review.")
    event = AuditEvent.objects.get(action="referral.allocate", subject_id=str(referral.pk))
    assert event.actor == alex and event.after["details"]["allocated_to"] == "Bea Lowe"


def test_reallocating_says_from_whom_and_to_whom(referral, team):
    alex, bea, cal = team["alex"], team["bea"], team["cal"]
    review.allocate(bea, referral.pk)
    assert _latest(referral)[1] == "Bea Lowe took it for review. Status: In review."
    updated = review.allocate_to(alex, referral.pk, cal.pk)
    assert updated.status == S.IN_REVIEW and updated.allocated_to == cal
    assert _latest(updated) == (
        "Reallocated",
        "Alex Carter reallocated it from Bea Lowe to Cal Reid. Status: In review.",
    )
    assert AuditEvent.objects.filter(action="referral.reallocate", subject_id=str(referral.pk)).count() == 1
    updated = review.allocate_to(cal, referral.pk, alex.pk)
    assert _latest(updated)[1] == "Cal Reid reallocated it from themselves to Alex Carter. Status: In review."


def test_refusals(referral, team):
    alex, bea = team["alex"], team["bea"]
    london = make_user(Role.CAS3_ASSESSOR, region_code="N07", username="alloc.london2")
    with pytest.raises(DomainError) as refused:
        review.allocate_to(alex, referral.pk, london.pk)  # another region's assessor
    assert refused.value.field == "assessor" and refused.value.message == "Select an assessor from the list"
    with pytest.raises(DomainError):
        review.allocate_to(alex, referral.pk, "1; drop")
    review.allocate_to(alex, referral.pk, bea.pk)
    with pytest.raises(DomainError) as refused:
        review.allocate_to(alex, referral.pk, bea.pk)  # already with her
    assert "already with Bea Lowe" in refused.value.message
    with pytest.raises(TransitionNotAllowed):
        review.allocate(alex, referral.pk)  # taking it yourself does not reallocate silently
    archived = bring_to(copy_of(referral, status=S.UNALLOCATED, allocated_to=None), S.ARCHIVED, alex)
    with pytest.raises(TransitionNotAllowed):
        review.allocate_to(alex, archived.pk, bea.pk)
    with pytest.raises(review.ReviewReferralNotFound):
        review.allocate_to(london, referral.pk, london.pk)  # not their region's referral
    reporter = make_user(Role.REPORTER, username="alloc.reporter")
    with pytest.raises(PermissionDenied):
        review.allocate_to(reporter, referral.pk, alex.pk)
    assert referral.__class__.objects.get(pk=referral.pk).allocated_to == bea


def test_a_ready_to_place_referral_can_be_given_back_to_review_by_a_colleague(referral, team):
    alex, bea = team["alex"], team["bea"]
    bring_to(referral, S.READY_TO_PLACE, alex)
    updated = review.allocate_to(alex, referral.pk, bea.pk)
    assert updated.status == S.IN_REVIEW and updated.allocated_to == bea and updated.decided_at is None
