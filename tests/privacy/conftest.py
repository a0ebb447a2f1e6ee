import pytest

from cas.core.roles import Role
from cas.placements import services as placements
from cas.referrals.cas3 import review
from tests.estate_factories import make_estate
from tests.factories import make_user, pdu
from tests.placement_factories import cancellation_reason, days, make_booking
from tests.referral_factories import make_submitted
from tests.review_factories import bring_to


@pytest.fixture
def cases(client):
    """A closed case (rejected referral with notes, cancelled booking, incident, views) and an open one."""
    referrer = make_user(Role.CAS3_REFERRER, username="pp.retention", pdu=pdu("N51LPLS"))
    assessor = make_user(Role.CAS3_ASSESSOR, username="hpt.retention")
    closed = make_submitted(referrer, "X100001")
    review.add_note(assessor, closed.pk, "Daniel says he will stay with his sister in Bootle", to_referrer=True)
    bring_to(closed, "rejected", assessor)
    premises, bedspaces = make_estate("N51", bedspaces=2)
    booking = make_booking(bedspaces[0], "X100001", actor=assessor)
    placements.record_incident(
        assessor, premises=premises, booking=booking, kind="other", occurred_on=days(0), details="Daniel lost his key"
    )
    placements.cancel_booking(
        assessor, booking, cancelled_on=days(0), reason=cancellation_reason(), notes="Daniel found a room"
    )
    client.force_login(assessor)
    client.get("/people/X100001")
    client.get("/people/X100006")  # someone looked up, never referred
    make_submitted(referrer, "X100004")  # open: waiting in the queue
    return closed
