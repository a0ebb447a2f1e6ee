"""Applications made in prison follow the person: a move to another prison, a new prison offender
manager, and a merge of two prison numbers, as the prison system's events report them."""

import pytest

from cas.core.models import AuditEvent
from cas.events.models import OutboundEmail
from cas.referrals import lifecycle, timeline
from cas.referrals.cas2 import access, transfers
from cas.referrals.cas2.workflow import Action
from cas.referrals.models import PrisonAssignment, Referral, TimelineEntry
from tests.cas2_factories import HEWELL_NOMS, cas2_user, start, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def hdc():
    user, referral = submitted("hdc")
    return user, referral


def _timeline(referral, kind):
    entries = [e for e in timeline.entries(referral, for_referrer=True) if e.kind == kind]
    return [timeline.describe(e) for e in entries]


def test_a_move_takes_the_application_to_the_new_prison(hdc):
    user, referral = hdc
    outcome = transfers.person_moved(HEWELL_NOMS, "BMI")
    assert outcome.changed == (referral,)
    referral.refresh_from_db()
    assert referral.current_prison.code == "BMI" and referral.offender_manager is None
    assert referral.referring_prison.code == "HEI"
    latest = referral.prison_assignments.first()
    assert latest.reason == PrisonAssignment.Reason.TRANSFER and latest.prison.code == "BMI"
    assert latest.offender_manager is None
    assert _timeline(referral, TimelineEntry.Kind.TRANSFER) == [
        ("Moved prison", "Moved from Hewell (HMP) to Birmingham (HMP).")
    ]
    emails = OutboundEmail.objects.filter(template_key="cas2_application_transferred")
    assert set(emails.values_list("to_address", flat=True)) == {
        "omu.hewell@justice.gov.uk",
        "omu.birmingham@justice.gov.uk",
        referral.route.assessor_email,
    }
    assert AuditEvent.objects.filter(action="referral.prison_transferred", subject_id=str(referral.pk)).exists()
    # Birmingham's staff reach it now; Hewell's (other than the referrer) no longer do.
    birmingham = cas2_user("hdc", prison="BMI")
    assert access.reach(birmingham, referral) == access.Reach.PRISON
    assert access.reach(cas2_user("hdc"), referral) is None
    assert access.reach(user, referral) == access.Reach.REFERRER


def test_moves_that_are_not_moves_change_nothing(hdc):
    _, referral = hdc
    for code in ("HEI", "OUT", "TRN", "", "ZZZ"):
        assert transfers.person_moved(HEWELL_NOMS, code).changed == ()
    assert transfers.person_moved("A0000AA", "BMI").changed == ()
    assert referral.prison_assignments.count() == 1
    assert not TimelineEntry.objects.filter(referral=referral, kind=TimelineEntry.Kind.TRANSFER).exists()


def test_drafts_and_closed_applications_stay_where_they_are(hdc):
    user, referral = hdc
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    lifecycle.transition(None, locked, Action.WITHDRAW, details={"reason": "other_sentence"}, system=True)
    _, draft = start("hdc", user)
    assert transfers.person_moved(HEWELL_NOMS, "BMI").changed == ()
    assert Referral.objects.get(pk=draft.pk).current_prison_id is None


def test_a_new_prison_offender_manager(hdc):
    _, referral = hdc
    transfers.person_moved(HEWELL_NOMS, "BMI")
    pom = cas2_user("hdc", prison="BMI", username="daniel.k")
    outcome = transfers.offender_manager_allocated(HEWELL_NOMS, staff_username="DANIEL.K", staff_name="Daniel Kowalski")
    assert outcome.changed == (referral,)
    referral.refresh_from_db()
    assert referral.offender_manager == pom
    latest = referral.prison_assignments.first()
    assert latest.reason == PrisonAssignment.Reason.ALLOCATION and latest.offender_manager_name == "Daniel Kowalski"
    assert latest.prison.code == "BMI"
    ((title, text),) = _timeline(referral, TimelineEntry.Kind.ALLOCATION)
    assert title == "Prison offender manager changed" and text.startswith("Daniel Kowalski is now")
    # Someone with no account here is kept by name.
    transfers.offender_manager_allocated(HEWELL_NOMS, staff_username="nobody.here", staff_name="Sam Other")
    referral.refresh_from_db()
    assert referral.offender_manager is None
    assert referral.prison_assignments.first().offender_manager_name == "Sam Other"


def test_a_changed_prison_number_keeps_the_application_following_the_person(hdc):
    user, referral = hdc
    _, draft = start("hdc", user)
    outcome = transfers.prison_number_changed(HEWELL_NOMS, "A7777ZZ")
    assert set(outcome.changed) == {referral, draft}
    referral.refresh_from_db()
    assert referral.noms_number == "A7777ZZ" and Referral.objects.get(pk=draft.pk).noms_number == "A7777ZZ"
    assert _timeline(referral, TimelineEntry.Kind.TRANSFER)[0][0] == "Prison number changed"
    assert AuditEvent.objects.filter(action="referral.prison_number_changed").count() == 2
    # The next event carries the new number, and still finds the application.
    assert transfers.person_moved("A7777ZZ", "BMI").changed == (referral,)
    assert transfers.person_moved(HEWELL_NOMS, "HEI").changed == ()


def test_events_in_the_hmpps_shape(hdc):
    _, referral = hdc
    ignored = transfers.handle_event(
        {
            "eventType": transfers.LOCATION_CHANGED,
            "additionalInformation": {"nomsNumber": HEWELL_NOMS, "categoriesChanged": ["PERSONAL_DETAILS"]},
        }
    )
    assert ignored.changed == () and ignored.reason == "not a change of location"
    moved = transfers.handle_event(
        {
            "eventType": transfers.LOCATION_CHANGED,
            "additionalInformation": {"nomsNumber": HEWELL_NOMS, "categoriesChanged": ["LOCATION"], "prisonId": "BMI"},
        }
    )
    assert moved.changed == (referral,)
    merged = transfers.handle_event(
        {
            "eventType": transfers.RECORDS_MERGED,
            "additionalInformation": {"removedNomsNumber": HEWELL_NOMS, "nomsNumber": "A7777ZZ"},
        }
    )
    assert merged.changed == (referral,)
    with pytest.raises(transfers.UnknownPrisonEvent):
        transfers.handle_event({"eventType": "something.else"})
