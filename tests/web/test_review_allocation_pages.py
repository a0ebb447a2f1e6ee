"""Issue 20, points 6, 7 and 8 on the assessor's referral pages: allocate to a colleague and
reallocate (page and API), the actions reachable from every tab, "Find a bedspace" for a referral
ready to place, and the links between a referral and its booking."""

import re

import pytest
from django.urls import reverse

from cas.core.roles import Role
from cas.referrals.cas3.workflow import Status as S
from tests.estate_factories import make_estate
from tests.factories import make_user, pdu
from tests.placement_factories import make_booking
from tests.referral_factories import make_submitted
from tests.review_factories import bring_to

pytestmark = pytest.mark.django_db

TABS = ("web:review-referral", "web:review-referral-answers", "web:review-referral-timeline")


@pytest.fixture
def referral():
    referrer = make_user(Role.CAS3_REFERRER, username="ap.pp", pdu=pdu("N51LPLS"))
    return make_submitted(referrer, "X100001")


@pytest.fixture
def alex():
    return make_user(Role.CAS3_ASSESSOR, username="ap.alex", first_name="Alex", last_name="Carter")


@pytest.fixture
def bea():
    return make_user(Role.CAS3_ASSESSOR, username="ap.bea", first_name="Bea", last_name="Lowe")


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_allocating_to_a_colleague_through_the_page(client, referral, alex, bea):
    client.force_login(alex)
    url = reverse("web:review-referral-allocation", args=[referral.pk])
    page = _text(client.get(url))
    assert "Allocate the referral" in page and "Alex Carter (you)" in page and "Bea Lowe" in page
    response = client.post(url, {})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert "Select who should review this referral" in response.content.decode()
    response = client.post(url, {"assessor": "999999"})
    assert response.status_code == 400 and "Select an assessor from the list" in response.content.decode()
    response = client.post(url, {"assessor": str(bea.pk)})
    assert response.status_code == 302 and response["Location"] == reverse("web:review-referral", args=[referral.pk])
    page = _text(client.get(response["Location"]))
    assert "Referral for Daniel Hughes allocated to Bea Lowe. It is in review" in page
    assert "With Bea Lowe" in page
    timeline = _text(client.get(reverse("web:review-referral-timeline", args=[referral.pk])))
    assert "Allocated for review" in timeline and "Alex Carter allocated it to Bea Lowe." in timeline


def test_reallocating_offers_everyone_but_the_current_reviewer(client, referral, alex, bea):
    bring_to(referral, S.IN_REVIEW, bea)
    client.force_login(alex)
    page = _text(client.get(reverse("web:review-referral", args=[referral.pk])))
    assert "Reallocate" in page
    url = reverse("web:review-referral-allocation", args=[referral.pk])
    page = _text(client.get(url))
    assert "Reallocate the referral" in page and "Bea Lowe is reviewing it now" in page
    assert f'value="{bea.pk}"' not in page and f'value="{alex.pk}"' in page
    response = client.post(url, {"assessor": str(alex.pk)})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.allocated_to == alex and referral.status == S.IN_REVIEW
    timeline = _text(client.get(reverse("web:review-referral-timeline", args=[referral.pk])))
    assert "Reallocated" in timeline and "Alex Carter reallocated it from Bea Lowe to themselves." in timeline


def test_allocation_is_refused_for_a_closed_referral_and_for_reporters(client, referral, alex):
    bring_to(referral, S.ARCHIVED, alex)
    client.force_login(alex)
    url = reverse("web:review-referral-allocation", args=[referral.pk])
    page = _text(client.get(url))
    assert "You cannot allocate a referral that is archived." in page and 'name="assessor"' not in page
    response = client.post(url, {"assessor": str(alex.pk)})
    assert response.status_code == 409 and "govuk-error-summary" in response.content.decode()
    assert "You cannot allocate a referral that is archived." in _text(response)
    client.force_login(make_user(Role.REPORTER, username="ap.reporter"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"assessor": str(alex.pk)}).status_code == 403


def test_the_actions_are_on_every_tab(client, referral, alex):
    bring_to(referral, S.IN_REVIEW, alex)
    client.force_login(alex)
    for name in TABS:
        page = _text(client.get(reverse(name, args=[referral.pk])))
        assert "Update the referral" in page, name
        assert "Accept: ready to place" in page and "Reject" in page and "Reallocate" in page, name
        assert f'action="{reverse("web:review-referral-action", args=[referral.pk, "accept"])}"' in page, name
    response = client.post(reverse("web:review-referral-action", args=[referral.pk, "accept"]))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.READY_TO_PLACE


def test_a_reporter_sees_no_actions_on_any_tab(client, referral, alex):
    bring_to(referral, S.READY_TO_PLACE, alex)
    client.force_login(make_user(Role.REPORTER, username="ap.reporter2"))
    for name in TABS:
        page = _text(client.get(reverse(name, args=[referral.pk])))
        assert "Update the referral" not in page and "Find a bedspace" not in page, name


def test_find_a_bedspace_opens_the_search_prefilled_from_the_referral(client, referral, alex):
    client.force_login(alex)
    page = _text(client.get(reverse("web:review-referral", args=[referral.pk])))
    assert "Find a bedspace" not in page  # not ready to place yet
    bring_to(referral, S.READY_TO_PLACE, alex)
    for name in TABS:
        page = _text(client.get(reverse(name, args=[referral.pk])))
        href = f"{reverse('web:placement-search')}?referral={referral.pk}"
        assert f'href="{href}"' in page and "Find a bedspace" in page, name
    search = _text(client.get(f"{reverse('web:placement-search')}?referral={referral.pk}"))
    assert "Daniel Hughes" in search
    assert f'value="{referral.pdu_id}" checked' in search or re.search(
        rf'value="{referral.pdu_id}"[^>]*checked', search
    )


def test_the_referral_and_its_booking_link_to_each_other(client, referral, alex):
    referral = bring_to(referral, S.READY_TO_PLACE, alex)
    _, (bedspace, *_) = make_estate("N51")
    booking = make_booking(bedspace, referral.crn, referral=referral, actor=alex)
    client.force_login(alex)
    booking_url = reverse("web:booking-detail", args=[booking.pk])
    for name in TABS:
        page = _text(client.get(reverse(name, args=[referral.pk])))
        assert f'href="{booking_url}"' in page and "Booking for this referral" in page, name
    page = _text(client.get(booking_url))
    assert f'href="{reverse("web:review-referral", args=[referral.pk])}"' in page
    assert f"Referral {referral.reference}" in page


def test_the_api_lists_the_assessors_and_allocates(client, referral, alex, bea):
    client.force_login(alex)
    rows = client.get(reverse("api:review-referral-assessors", args=[referral.pk])).json()
    assert [(r["name"], r["is_you"], r["is_reviewing"]) for r in rows] == [
        ("Alex Carter", True, False),
        ("Bea Lowe", False, False),
    ]
    url = reverse("api:review-referral-allocation", args=[referral.pk])
    response = client.post(url, {"assessor": bea.pk}, content_type="application/json")
    assert response.status_code == 200 and response.json()["allocated_to"] == "Bea Lowe"
    assert "reallocate" in response.json()["allowed_actions"]
    response = client.post(url, {"assessor": bea.pk}, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "assessor"
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 400 and "assessor" in response.json()["errors"]
    rows = client.get(reverse("api:review-referral-assessors", args=[referral.pk])).json()
    assert [r["is_reviewing"] for r in rows] == [False, True]
    timeline = client.get(reverse("api:review-referral-timeline", args=[referral.pk])).json()
    assert timeline[0]["title"] == "Allocated for review"
    assert timeline[0]["description"] == "Alex Carter allocated it to Bea Lowe. Status: In review."


@pytest.mark.parametrize("value", ["\x00", "-1", "1e3", "²", "x" * 5000, "' OR 1=1 --"])
def test_hostile_choices_are_form_errors(client, referral, alex, value):
    client.force_login(alex)
    response = client.post(reverse("web:review-referral-allocation", args=[referral.pk]), {"assessor": value})
    assert response.status_code == 400 and "Select an assessor from the list" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == S.UNALLOCATED and referral.allocated_to is None
