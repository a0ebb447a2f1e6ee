"""Looking up people: the documented edge cases, access refusals and their audit trail."""

import pytest
from django.urls import reverse

from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.people import services as people
from cas.people.ports import UpstreamUnavailable
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrer_user():
    return make_user(Role.CAS3_REFERRER, username="some.referrer")


def test_typical_person_view_is_logged(referrer_user):
    record = people.view_person(referrer_user, "x100001")
    assert record.person.crn == "X100001"
    assert record.risk is not None and record.prison is not None
    event = AuditEvent.objects.get(kind="view", crn="X100001")
    assert event.actor == referrer_user and event.action == "person.viewed"


def test_unknown_crn_is_a_clear_not_found(referrer_user):
    with pytest.raises(people.PersonUnknown) as exc:
        people.view_person(referrer_user, "X000000")
    assert "No person with CRN X000000" in exc.value.message


def test_restricted_person_refused_and_refusal_logged(referrer_user):
    with pytest.raises(people.PersonRestricted):
        people.view_person(referrer_user, "X100008")
    refusal = AuditEvent.objects.get(kind="refusal", crn="X100008")
    assert refusal.actor == referrer_user
    assert not AuditEvent.objects.filter(kind="view", crn="X100008").exists()


def test_restricted_person_visible_to_permitted_user():
    allowed = make_user(Role.CAS3_REFERRER, username="demo.restricted-access")
    assert people.view_person(allowed, "X100008").person.crn == "X100008"


def test_excluded_user_is_refused():
    excluded = make_user(Role.CAS3_REFERRER, username="demo.cas3.referrer")
    with pytest.raises(people.PersonRestricted):
        people.view_person(excluded, "X100009")
    assert people.view_person(make_user(Role.CAS3_REFERRER), "X100009").person.crn == "X100009"


def test_missing_prison_number_explained(referrer_user):
    record = people.view_person(referrer_user, "X100010")
    assert record.prison is None
    assert any("no prison number" in p for p in record.problems)


def test_failing_risk_system_keeps_the_rest(referrer_user):
    record = people.view_person(referrer_user, "X999992")
    assert record.person.crn == "X999992" and record.risk is None
    assert record.problems


def test_failing_case_system_raises_user_readable_error(referrer_user):
    with pytest.raises(UpstreamUnavailable) as exc:
        people.view_person(referrer_user, "X999991")
    assert "try again" in str(exc.value).lower()


# The same cases through the web pages.


def test_person_page_shows_details_and_fetch_date(client, referrer_user):
    client.force_login(referrer_user)
    body = client.get(reverse("web:person-detail", args=["X100001"])).content.decode()
    assert "CRN X100001" in body and "Details fetched from the probation case system on" in body
    assert "Index offence" in body


def test_person_search_validates_crn(client, referrer_user):
    client.force_login(referrer_user)
    body = client.get(reverse("web:person-search"), {"crn": "12345"}).content.decode()
    assert "Enter a CRN in the correct format" in body and "There is a problem" in body
    response = client.get(reverse("web:person-search"), {"crn": "x100001"})
    assert response["Location"] == reverse("web:person-detail", args=["X100001"])


def test_unknown_and_restricted_pages(client, referrer_user):
    client.force_login(referrer_user)
    unknown = client.get(reverse("web:person-detail", args=["X000000"]))
    assert unknown.status_code == 404 and "No person with CRN X000000" in unknown.content.decode()
    restricted = client.get(reverse("web:person-detail", args=["X100008"]))
    assert restricted.status_code == 403 and "restricted" in restricted.content.decode()


def test_upstream_failure_page_keeps_the_crn(client, referrer_user):
    client.force_login(referrer_user)
    response = client.get(reverse("web:person-detail", args=["X999991"]))
    body = response.content.decode()
    assert response.status_code == 503
    assert 'value="X999991"' in body and "There is a problem" in body
