"""The placement API: search, availability, booking and every action through the same services as
the pages; problems in one shape; other regions refused on every endpoint."""

import datetime as dt

import pytest
from django.urls import reverse

from cas.api import placement_serializers as s
from cas.core import clock
from cas.core.roles import Role
from cas.placements.models import Booking
from cas.placements.status import BookingStatus
from tests.estate_factories import make_estate, pdu
from tests.factories import make_user
from tests.placement_factories import (
    cancellation_reason,
    days,
    departure_reason,
    make_booking,
    make_ready_referral,
    move_on,
    non_arrival_reason,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    client.force_login(make_user(Role.CAS3_ASSESSOR, region_code="N51"))
    return client


def post(client, name, args, body):
    return client.post(reverse(name, args=args), body, content_type="application/json")


def test_search_and_availability(api):
    premises, (free, busy) = make_estate("N51", bedspaces=2, reference="Api House")
    taken = make_booking(busy, "X100004", start=2, nights=20)
    body = {"start_date": days(1).isoformat(), "nights": 14, "pdus": [pdu("N51LPLS").pk]}
    response = post(api, "api:placement-search", [], body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["bedspace_count"] == 1 and data["departure_date"] == days(15).isoformat()
    (group,) = data["properties"]
    assert group["premises"]["reference"] == "Api House" and group["bedspaces"][0]["id"] == str(free.pk)
    assert group["overlaps"] == [
        {
            "booking_id": str(taken.pk),
            "person_name": "Peter Slater",
            "crn": "X100004",
            "sex": "Male",
            "is_sexual_risk": True,
            "bedspace": busy.reference,
            "nights": 13,
        }
    ]
    bad = post(api, "api:placement-search", [], {**body, "pdus": [pdu("N07BRNT").pk]})
    assert bad.status_code == 400 and bad.json()["field"] == "pdus"
    why = api.get(
        reverse("api:bedspace-availability", args=[busy.pk]), {"start_date": days(1).isoformat(), "nights": 5}
    )
    assert why.status_code == 200 and why.json()["available"] is False
    assert why.json()["reasons"][0]["kind"] == "booking" and why.json()["reasons"][0]["booking_id"] == str(taken.pk)


def test_booking_lifecycle_through_the_api(api):
    referrer = make_user(Role.CAS3_REFERRER, region_code="N51", pdu=pdu("N51LPLS"))
    referral = make_ready_referral(referrer, "X100001")
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    today = clock.today()
    created = post(
        api,
        "api:booking-create",
        [bedspace.pk],
        {
            "crn": "X100001",
            "arrival_date": today.isoformat(),
            "departure_date": (today + dt.timedelta(days=30)).isoformat(),
            "referral_id": str(referral.pk),
        },
    )
    assert created.status_code == 201, created.content
    booking = created.json()
    pk = booking["id"]
    assert booking["status"] == "provisional" and booking["referral"] == str(referral.pk)
    again = post(
        api,
        "api:booking-create",
        [bedspace.pk],
        {
            "crn": "X100002",
            "arrival_date": today.isoformat(),
            "departure_date": (today + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert again.status_code == 409 and again.json()["code"] == "bedspace_taken"
    assert post(api, "api:booking-confirmation", [pk], {"version": booking["version"]}).json()["status"] == "confirmed"
    arrived = post(
        api,
        "api:booking-arrival",
        [pk],
        {"arrival_date": today.isoformat(), "expected_departure_date": (today + dt.timedelta(days=100)).isoformat()},
    )
    assert arrived.status_code == 400 and arrived.json()["code"] == "overstay_decision_needed"
    arrived = post(
        api,
        "api:booking-arrival",
        [pk],
        {
            "arrival_date": today.isoformat(),
            "expected_departure_date": (today + dt.timedelta(days=100)).isoformat(),
            "overstay_authorised": True,
            "overstay_reason": "Waiting for a flat",
        },
    )
    assert arrived.status_code == 200 and arrived.json()["is_overstay"] is True
    shorter = post(
        api, "api:booking-departure-date", [pk], {"departure_date": (today + dt.timedelta(days=40)).isoformat()}
    )
    assert shorter.json()["departure_date"] == (today + dt.timedelta(days=40)).isoformat()
    assert post(api, "api:booking-turnaround", [pk], {"working_days": 1}).json()["turnaround_working_days"] == 1
    departed = post(
        api,
        "api:booking-departure",
        [pk],
        {"departure_date": today.isoformat(), "reason": departure_reason().pk, "move_on_category": move_on().pk},
    )
    assert departed.status_code == 200 and departed.json()["move_on_category"] == move_on().name
    incident = post(
        api, "api:booking-incidents", [pk], {"kind": "other", "occurred_on": today.isoformat(), "details": "x"}
    )
    assert incident.status_code == 201
    history = api.get(reverse("api:booking-history", args=[pk])).json()
    assert [e["label"] for e in history][-1] == "Booked (provisional)" and any(
        e["label"] == "Departed" for e in history
    )
    listed = api.get(reverse("api:bookings"), {"status": "departed"}).json()
    assert [b["id"] for b in listed["results"]] == [pk]


def test_cancel_and_non_arrival_through_the_api(api):
    _, (a, b) = make_estate("N51", bedspaces=2)
    first = make_booking(a, "X100001", start=3)
    cancelled = post(
        api,
        "api:booking-cancellation",
        [first.pk],
        {"cancelled_on": days(0).isoformat(), "reason": cancellation_reason().pk},
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    second = make_booking(b, "X100002", start=0)
    response = post(api, "api:booking-non-arrival", [second.pk], {"reason": non_arrival_reason().pk})
    assert response.status_code == 200 and response.json()["status"] == "not_arrived"
    wrong = post(api, "api:booking-confirmation", [second.pk], {})
    assert wrong.status_code == 409 and wrong.json()["code"] == "transition_not_allowed"


def test_other_regions_are_refused_on_every_endpoint(client):
    premises, (bedspace, second) = make_estate("N51", bedspaces=2)
    booking = make_booking(bedspace)
    client.force_login(make_user(Role.CAS3_ASSESSOR, region_code="N07"))
    pk = booking.pk
    for name in (
        "api:booking",
        "api:booking-history",
        "api:booking-incidents",
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    for name in (
        "api:booking-confirmation",
        "api:booking-arrival",
        "api:booking-arrival-date",
        "api:booking-departure-date",
        "api:booking-departure",
        "api:booking-cancellation",
        "api:booking-non-arrival",
        "api:booking-turnaround",
        "api:booking-incidents",
    ):
        assert post(client, name, [pk], {}).status_code == 404, name
    assert client.get(reverse("api:bedspace-availability", args=[second.pk])).status_code == 404
    created = post(
        client,
        "api:booking-create",
        [second.pk],
        {"crn": "X100002", "arrival_date": days(1).isoformat(), "departure_date": days(5).isoformat()},
    )
    assert created.status_code == 404
    assert client.get(reverse("api:premises-incidents", args=[premises.pk])).status_code == 404
    assert post(client, "api:premises-incidents", [premises.pk], {}).status_code == 404
    search = post(client, "api:placement-search", [], {"start_date": days(1).isoformat(), "pdus": [pdu("N51LPLS").pk]})
    assert search.status_code == 400
    assert client.get(reverse("api:bookings")).json()["count"] == 0
    assert Booking.objects.get(pk=pk).status == "provisional"


def test_reporters_read_but_cannot_book(client):
    _, (bedspace, second) = make_estate("N51", bedspaces=2)
    booking = make_booking(bedspace)
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    assert client.get(reverse("api:booking", args=[booking.pk])).status_code == 200
    assert post(client, "api:booking-confirmation", [booking.pk], {}).status_code == 403
    assert post(client, "api:placement-search", [], {}).status_code == 403


@pytest.mark.parametrize("status", [s.value for s in BookingStatus])
def test_a_booking_says_which_actions_are_allowed(api, status):
    from cas.placements import lifecycle
    from tests.placement_factories import booking_in

    booking = booking_in(status)
    expected = [a.value for a in lifecycle.allowed_actions(status)]
    body = api.get(reverse("api:booking", args=[booking.pk])).json()
    assert body["status"] == status and body["allowed_actions"] == expected
    listed = api.get(reverse("api:bookings"), {"status": status}).json()["results"]
    assert [b["allowed_actions"] for b in listed] == [expected]
    # Every action allowed is reachable at its endpoint (and a refused one answers 409 there).
    for action in expected:
        assert f"/api/v1/bookings/{{id}}/{s.ACTION_ENDPOINTS[lifecycle.Action(action)]}" in SCHEMA_PATHS(api)


def SCHEMA_PATHS(client, _cache={}):  # noqa: B006, N802 - one schema per test run is enough
    if "paths" not in _cache:
        _cache["paths"] = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()["paths"]
    return _cache["paths"]


def test_read_only_users_are_offered_no_actions(client):
    from tests.placement_factories import booking_in

    booking = booking_in("provisional")
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    assert client.get(reverse("api:booking", args=[booking.pk])).json()["allowed_actions"] == []
    assert client.get(reverse("api:bookings")).json()["results"][0]["allowed_actions"] == []


def test_the_actions_answer_with_the_bookings_next_allowed_actions(api):
    from tests.placement_factories import booking_in

    booking = booking_in("provisional")
    confirmed = post(api, "api:booking-confirmation", [booking.pk], {"version": booking.version}).json()
    assert confirmed["allowed_actions"] == [
        "arrive",
        "change_departure_date",
        "change_arrival_date",
        "record_non_arrival",
        "cancel",
        "change_turnaround",
        "record_incident",
    ]
    cancelled = booking_in("cancelled", "X100002")
    refused = post(
        api,
        "api:booking-incidents",
        [cancelled.pk],
        {"kind": "other", "occurred_on": days(0).isoformat(), "details": "x"},
    )
    assert refused.status_code == 409 and refused.json()["code"] == "transition_not_allowed"
    assert refused.json()["title"] == "You cannot record an incident because the booking is cancelled"


def test_the_openapi_document_describes_allowed_actions(api):
    from cas.placements import lifecycle

    document = api.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    field = document["components"]["schemas"]["Booking"]["properties"]["allowed_actions"]
    assert field["type"] == "array" and field["readOnly"] is True
    enum = document["components"]["schemas"][field["items"]["$ref"].rsplit("/", 1)[1]]["enum"]
    assert enum == [a.value for a in lifecycle.Action]
    assert "transition_not_allowed" in field["description"] and "update_departure: departure" in field["description"]
    assert set(s.ACTION_ENDPOINTS) == set(lifecycle.Action)
    assert "allowed_actions" in document["components"]["schemas"]["Booking"]["required"]


def test_search_without_pdus_covers_the_region_and_booking_a_shared_property_needs_acknowledging(api):
    from cas.reference.models import ProbationDeliveryUnit
    from cas.referrals.models import Referral
    from tests.estate_factories import characteristic, make_bedspace, make_premises

    units = ProbationDeliveryUnit.objects.active().filter(region__delius_code="N51").order_by("name")
    premises = make_premises(
        "N51", pdu_code=units.last().delius_code, characteristics=[characteristic("Shared property")]
    )
    bedspace = make_bedspace(premises, "Room A", start_date=days(-30))
    found = post(api, "api:placement-search", [], {"start_date": days(1).isoformat(), "nights": 7})
    assert found.status_code == 200, found.content
    assert [g["premises"]["id"] for g in found.json()["properties"]] == [str(premises.pk)]

    referrer = make_user(Role.CAS3_REFERRER, region_code="N51", pdu=pdu("N51LPLS"))
    referral = make_ready_referral(referrer, "X100001")
    Referral.objects.filter(pk=referral.pk).update(is_able_to_share=False)
    body = {
        "crn": "X100001",
        "arrival_date": days(1).isoformat(),
        "departure_date": days(8).isoformat(),
        "referral_id": str(referral.pk),
        "notes": "Agreed with the person",
    }
    refused = post(api, "api:booking-create", [bedspace.pk], body)
    assert refused.status_code == 400 and refused.json()["code"] == "not_suitable_to_share"
    booked = post(api, "api:booking-create", [bedspace.pk], {**body, "sharing_acknowledged": True})
    assert booked.status_code == 201, booked.content
    assert booked.json()["notes"] == "Agreed with the person"
