"""Lists that show people (the review queue, the referrer's referrals, ready-to-place referrals,
bookings, bedspace search results, incidents, and the API's lists and search results) show a person the user may not see
as "Limited access", with no name or prison number; users who may see them see them as usual.

X100008 is restricted by the (synthetic) probation case system to `demo.restricted-access`."""

import pytest
from django.urls import reverse

from cas.core.roles import Role
from cas.people import registry
from cas.people.ports import AccessLimits, UpstreamUnavailable
from cas.people.services import LIMITED_ACCESS, hide_limited_access, limited_access_crns
from cas.placements import services as placements
from cas.referrals.models import Referral
from tests.estate_factories import make_estate
from tests.factories import make_user, pdu
from tests.placement_factories import arrived_booking, days
from tests.referral_factories import make_submitted
from tests.review_factories import bring_to
from tests.web.test_placement_pages import search_params

pytestmark = pytest.mark.django_db
NAME, NOMS = "Gary Whitfield", "A1008AH"


@pytest.fixture
def permitted():
    return make_user(Role.CAS3_REFERRER, Role.CAS3_ASSESSOR, username="demo.restricted-access", pdu=pdu("N51LPLS"))


@pytest.fixture
def assessor():
    return make_user(Role.CAS3_ASSESSOR, username="hpt.lists")


@pytest.fixture
def restricted(permitted):
    """A referral for the restricted person, ready to place, plus one of their bookings with an incident."""
    referral = bring_to(make_submitted(permitted, "X100008"), "ready_to_place", permitted)
    premises, bedspaces = make_estate("N51", bedspaces=2)
    booking = arrived_booking(bedspaces[0], "X100008", arrived_days_ago=3, nights=30)
    placements.record_incident(
        permitted, premises=premises, booking=booking, kind="other", occurred_on=days(0), details="Lost key"
    )
    return referral, booking, premises


def _pages(client, restricted):
    referral, booking, premises = restricted
    return {
        "ready-to-place queue": client.get(reverse("web:review-queue", args=["ready-to-place"])),
        "placement home": client.get(reverse("web:placement-home")),
        "booking list": client.get(reverse("web:booking-list"), {"status": "arrived"}),
        "search results": client.get(reverse("web:placement-search"), search_params(days(5))),
        "incidents": client.get(reverse("web:premises-incidents", args=[premises.pk])),
        "API review list": client.get("/api/v1/review/referrals", {"tab": "ready-to-place"}),
        "API bookings": client.get("/api/v1/bookings", {"status": "arrived"}),
        "API search results": client.post(
            reverse("api:placement-search"),
            {"start_date": days(5).isoformat(), "nights": 14, "pdus": [pdu("N51LPLS").pk]},
            content_type="application/json",
        ),
    }


def test_lists_show_limited_access_to_users_who_may_not_see_the_person(client, assessor, restricted):
    client.force_login(assessor)
    for name, response in _pages(client, restricted).items():
        body = response.content.decode()
        assert response.status_code == 200, name
        assert LIMITED_ACCESS in body, name
        assert NAME not in body and NOMS not in body, name
    # Nothing was saved from the display copies.
    assert Referral.objects.get(crn="X100008").person_name == NAME


def test_the_permitted_user_sees_the_person_in_the_same_lists(client, permitted, restricted):
    client.force_login(permitted)
    for name, response in _pages(client, restricted).items():
        body = response.content.decode()
        assert response.status_code == 200, name
        assert NAME in body and LIMITED_ACCESS not in body, name


def test_the_referrers_own_lists_hide_a_person_restricted_since(client, monkeypatch):
    referrer = make_user(Role.CAS3_REFERRER, username="pp.lists", pdu=pdu("N51LPLS"))
    make_submitted(referrer, "X100001")
    case_system = registry.get_case_system()
    real = case_system.access_limits

    def restricted_since(crns):
        return {
            **real(crns),
            **({"X100001": AccessLimits("X100001", frozenset({"someone.else"}))} if "X100001" in crns else {}),
        }

    monkeypatch.setattr(case_system, "access_limits", restricted_since)
    client.force_login(referrer)
    for response in (
        client.get(reverse("web:referral-list-submitted")),
        client.get("/api/v1/referrals", {"status": "submitted"}),
    ):
        body = response.content.decode()
        assert response.status_code == 200
        assert LIMITED_ACCESS in body and "Daniel Hughes" not in body and "A1001AA" not in body


def test_a_person_whose_access_cannot_be_checked_is_shown_with_limited_access(monkeypatch, assessor):
    case_system = registry.get_case_system()

    def down(crns):
        raise UpstreamUnavailable("NDelius", "timeout")

    monkeypatch.setattr(case_system, "access_limits", down)
    assert limited_access_crns(assessor, ["X100001", ""]) == {"X100001"}


def test_display_copies_are_never_saved(assessor, restricted):
    referral, _, _ = restricted
    [copy] = hide_limited_access(assessor, [Referral.objects.get(pk=referral.pk)])
    assert copy.limited_access and copy.person_name == LIMITED_ACCESS and copy.noms_number == ""
    with pytest.raises(RuntimeError):
        copy.save()


def test_a_booking_of_a_restricted_person_is_refused_to_others_and_shown_to_the_permitted(
    client, assessor, permitted, restricted
):
    _, booking, _ = restricted
    pages = {
        "booking page": lambda: client.get(reverse("web:booking-detail", args=[booking.pk])),
        "API booking": lambda: client.get(f"/api/v1/bookings/{booking.pk}"),
    }
    client.force_login(assessor)
    for name, page in pages.items():
        response = page()
        assert response.status_code == 403, name
        assert NAME not in response.content.decode() and NOMS not in response.content.decode(), name
    client.force_login(permitted)
    for name, page in pages.items():
        response = page()
        assert response.status_code == 200, name
        assert NAME in response.content.decode(), name


def test_why_a_bedspace_is_taken_names_a_restricted_person_only_to_the_permitted(
    client, assessor, permitted, restricted
):
    _, booking, _ = restricted

    def answers():
        return {
            "availability page": client.get(
                reverse("web:bedspace-availability", args=[booking.bedspace_id]), search_params(days(5), nights=14)
            ),
            "API availability": client.get(
                reverse("api:bedspace-availability", args=[booking.bedspace_id]),
                {"start_date": days(5).isoformat(), "nights": 14},
            ),
        }

    client.force_login(assessor)
    for name, response in answers().items():
        body = response.content.decode()
        assert response.status_code == 200, name
        assert f"Booked for {LIMITED_ACCESS}" in body and NAME not in body, name
    client.force_login(permitted)
    for name, response in answers().items():
        body = response.content.decode()
        assert f"Booked for {NAME}" in body, name
