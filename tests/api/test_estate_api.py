"""Estate API: read and write properties, bedspaces, voids and archive schedules; the calendar;
the same rules as the pages; and another region's records are out of reach on every endpoint."""

import datetime as dt

import pytest
from django.urls import reverse

from cas.core import clock
from cas.core.dates import long_date
from cas.core.roles import Role
from cas.premises.models import ArchiveChange, Bedspace, Premises, VoidPeriod
from tests.estate_factories import characteristic, make_estate, make_premises, make_void, pdu, void_reason
from tests.factories import make_user
from tests.url_samples import build, build_context
from tests.url_samples.estate import SAMPLES

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


@pytest.fixture
def api(client):
    client.force_login(make_user(Role.CAS3_ASSESSOR, username="api.assessor"))
    return client


def post(client, name, data=None, **kwargs):
    return client.post(reverse(name, kwargs=kwargs or None), data or {}, content_type="application/json")


def new_property(**changes):
    liverpool = pdu("N51LPLS")
    data = {
        "reference": "12 Acacia Road",
        "address_line1": "12 Acacia Road",
        "postcode": "l81ab",
        "region": liverpool.region_id,
        "pdu": liverpool.pk,
        "characteristics": [characteristic("Single occupancy").pk],
    }
    data.update(changes)
    return data


def test_create_read_and_change_a_property(api):
    response = post(api, "api:estate-properties", new_property())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["postcode"] == "L8 1AB" and body["turnaround_working_days"] == 2 and body["status"] == "online"
    assert body["pdu"]["code"] == "N51LPLS" and body["characteristics"][0]["name"] == "Single occupancy"
    assert body["bedspace_counts"] == {"online": 0, "upcoming": 0, "archived": 0}
    pk = body["id"]
    listed = api.get(reverse("api:estate-properties"), {"q": "L81AB"}).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == pk
    assert api.get(reverse("api:estate-properties"), {"status": "archived"}).json()["count"] == 0
    patched = api.patch(
        reverse("api:estate-property", args=[pk]), {"notes": "Keys in safe"}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["notes"] == "Keys in safe"
    assert patched.json()["reference"] == "12 Acacia Road"
    put = api.put(
        reverse("api:estate-property", args=[pk]),
        new_property(reference="Acacia House", turnaround_working_days=0),
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["turnaround_working_days"] == 0


def test_property_rules_come_back_as_problems(api):
    make_premises(reference="12 Acacia Road")
    duplicate = post(api, "api:estate-properties", new_property(reference="12 acacia road"))
    assert duplicate.status_code == 400
    assert duplicate.json()["field"] == "reference" and "already exists in Liverpool South" in duplicate.json()["title"]
    assert duplicate["Content-Type"] == "application/problem+json"
    wrong_pdu = post(
        api,
        "api:estate-properties",
        new_property(reference="Other", pdu=pdu("N51SEFT").pk, region=pdu("N07BRNT").region_id),
    )
    assert wrong_pdu.status_code == 403  # the region is not theirs
    mismatch = post(api, "api:estate-properties", new_property(reference="Other", pdu=pdu("N07BRNT").pk))
    assert mismatch.status_code == 400 and mismatch.json()["title"] == "Select a PDU in North West"
    negative = post(api, "api:estate-properties", new_property(reference="Other", turnaround_working_days=-1))
    assert negative.status_code == 400 and "turnaround_working_days" in negative.json()["errors"]


def test_bedspaces_voids_and_archive_schedules(api):
    premises, (a, b) = make_estate()
    created = post(api, "api:estate-bedspaces", {"reference": "Room C", "start_date": str(days(2))}, pk=premises.pk)
    assert created.status_code == 201 and created.json()["status"] == "upcoming"
    listed = api.get(reverse("api:estate-bedspaces", args=[premises.pk])).json()
    assert [x["reference"] for x in listed] == ["Room A", "Room B", "Room C"]
    patched = api.patch(
        reverse("api:estate-bedspace", args=[premises.pk, a.pk]),
        {"notes": "Top floor", "characteristics": [characteristic("Shared kitchen", "bedspace").pk]},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["characteristics"][0]["name"] == "Shared kitchen"

    void_data = {
        "start_date": str(days(3)),
        "end_date": str(days(9)),
        "reason": void_reason().pk,
        "cost_borne_by": "hmpps",
    }
    void = post(api, "api:estate-voids", void_data, pk=premises.pk, bedspace_pk=a.pk)
    assert void.status_code == 201 and void.json()["status"] == "active"
    overlap = post(api, "api:estate-voids", {**void_data, "start_date": str(days(9))}, pk=premises.pk, bedspace_pk=a.pk)
    assert overlap.status_code == 409 and overlap.json()["code"] == "conflict"
    void_id = void.json()["id"]
    changed = api.put(
        reverse("api:estate-void", args=[premises.pk, a.pk, void_id]),
        {**void_data, "end_date": str(days(10)), "cost_borne_by": "supplier"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["cost_borne_by"] == "supplier"

    blocked = post(api, "api:estate-bedspace-archive", {"date": str(days(5))}, pk=premises.pk, bedspace_pk=a.pk)
    assert blocked.status_code == 409
    assert blocked.json()["earliest_date"] == str(days(11))
    assert blocked.json()["title"].startswith(
        f"The earliest date you can archive this bedspace is {long_date(days(11))}"
    )

    scheduled = post(api, "api:estate-bedspace-archive", {"date": str(days(20))}, pk=premises.pk, bedspace_pk=b.pk)
    assert scheduled.status_code == 201 and scheduled.json()["status"] == "scheduled"
    history = api.get(reverse("api:estate-archive-changes", args=[premises.pk])).json()
    assert [h["bedspace_reference"] for h in history] == ["Room B"]
    cancelled = post(api, "api:estate-archive-change-cancel", pk=premises.pk, change_pk=scheduled.json()["id"])
    assert cancelled.status_code == 200 and cancelled.json()[0]["status"] == "cancelled"
    b.refresh_from_db()
    assert b.end_date is None

    cancel_void = post(
        api, "api:estate-void-cancel", {"notes": "Not needed"}, pk=premises.pk, bedspace_pk=a.pk, void_pk=void_id
    )
    assert cancel_void.status_code == 200 and cancel_void.json()["status"] == "cancelled"
    assert post(api, "api:estate-void-cancel", {}, pk=premises.pk, bedspace_pk=a.pk, void_pk=void_id).status_code == 400


def test_archive_and_bring_back_a_property(api):
    premises, _ = make_estate()
    archived = post(api, "api:estate-property-archive", {"date": str(clock.today())}, pk=premises.pk)
    assert archived.status_code == 201 and archived.json()["status"] == "done"
    assert api.get(reverse("api:estate-property", args=[premises.pk])).json()["status"] == "archived"
    too_late = post(api, "api:estate-property-unarchive", {"date": str(days(15))}, pk=premises.pk)
    assert too_late.status_code == 400 and too_late.json()["field"] == "date"
    back = post(api, "api:estate-property-unarchive", {"date": str(days(1))}, pk=premises.pk)
    assert back.status_code == 201 and back.json()["action"] == "unarchive"
    bedspace = premises.bedspaces.first()
    again = post(api, "api:estate-bedspace-unarchive", {"date": str(days(1))}, pk=premises.pk, bedspace_pk=bedspace.pk)
    assert again.status_code == 400 and "already due to come back online" in again.json()["title"]


def test_calendar(api, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 6, 10))
    premises, (a, _) = make_estate()
    make_void(a, dt.date(2026, 6, 15), dt.date(2026, 6, 16))
    body = api.get(reverse("api:estate-property-calendar", args=[premises.pk]), {"month": 6, "year": 2026}).json()
    assert (body["start"], body["end"], body["period"]) == ("2026-06-01", "2026-06-30", "month")
    assert "2026-06-06" in body["non_working_days"] and "2026-06-08" not in body["non_working_days"]
    room_a = body["bedspaces"][0]
    void = next(p for p in room_a["periods"] if p["kind"] == "void")
    assert (void["start"], void["end"], void["label"]) == ("2026-06-15", "2026-06-16", "Void")
    quarter = api.get(
        reverse("api:estate-property-calendar", args=[premises.pk]), {"period": "quarter", "month": 5}
    ).json()
    assert (quarter["start"], quarter["end"]) == ("2026-04-01", "2026-06-30")
    bad = api.get(reverse("api:estate-property-calendar", args=[premises.pk]), {"month": 13})
    assert bad.status_code == 400


def test_reporters_read_everything_and_change_nothing(client):
    premises, (a, _) = make_estate("N07", postcode="HA9 0AA")
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    assert client.get(reverse("api:estate-property", args=[premises.pk])).status_code == 200
    assert client.get(reverse("api:estate-properties")).json()["count"] == 1
    assert post(client, "api:estate-properties", new_property()).status_code == 403
    assert (
        post(
            client, "api:estate-bedspace-archive", {"date": str(days(1))}, pk=premises.pk, bedspace_pk=a.pk
        ).status_code
        == 403
    )
    assert (
        client.patch(
            reverse("api:estate-property", args=[premises.pk]), {"notes": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


API_WRITES = {
    "api:estate-property": ("put", "patch"),
    "api:estate-property-archive": ("post",),
    "api:estate-property-unarchive": ("post",),
    "api:estate-archive-change-cancel": ("post",),
    "api:estate-bedspaces": ("post",),
    "api:estate-bedspace": ("put", "patch"),
    "api:estate-bedspace-archive": ("post",),
    "api:estate-bedspace-unarchive": ("post",),
    "api:estate-voids": ("post",),
    "api:estate-void": ("put",),
    "api:estate-void-cancel": ("post",),
}
API_READS = {
    "api:estate-property",
    "api:estate-property-calendar",
    "api:estate-archive-changes",
    "api:estate-bedspaces",
    "api:estate-bedspace",
    "api:estate-voids",
    "api:estate-void",
}


def test_an_assessor_cannot_read_or_change_another_regions_property_by_api(client):
    ctx = build_context()
    london = make_user(Role.CAS3_ASSESSOR, region_code="N07")
    client.force_login(london)
    api_routes = {name for name in SAMPLES if name.startswith("api:")}
    assert api_routes == API_READS | set(API_WRITES)
    before = (
        Premises.objects.count(),
        Bedspace.objects.count(),
        VoidPeriod.objects.count(),
        ArchiveChange.objects.count(),
    )
    payload = {
        "reference": "Taken",
        "address_line1": "1 Road",
        "postcode": "HA9 0AA",
        "region": london.region_id,
        "pdu": pdu("N07BRNT").pk,
        "date": str(clock.today()),
        "start_date": str(clock.today()),
        "end_date": str(days(2)),
        "reason": void_reason().pk,
        "cost_borne_by": "hmpps",
        "notes": "Mine now",
    }
    for name in sorted(API_READS):
        response = client.get(build(name, ctx))
        assert response.status_code in (403, 404), (name, response.status_code)
    for name, methods in API_WRITES.items():
        for method in methods:
            response = getattr(client, method)(build(name, ctx), payload, content_type="application/json")
            assert response.status_code in (403, 404), (name, method, response.status_code)
    after = (
        Premises.objects.count(),
        Bedspace.objects.count(),
        VoidPeriod.objects.count(),
        ArchiveChange.objects.count(),
    )
    assert before == after
    assert Premises.objects.get(pk=ctx["premises"].pk).reference == "Sample House"
    assert client.get(reverse("api:estate-properties")).json()["count"] == 0


def test_openapi_document_describes_the_estate(client):
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    text = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").content.decode()
    for path in (
        "/api/v1/properties",
        "/api/v1/properties/{id}/archive",
        "/api/v1/properties/{id}/calendar",
        "/api/v1/properties/{id}/archive-changes/{change_pk}/cancel",
        "/api/v1/properties/{id}/bedspaces/{bedspace_pk}/voids/{void_pk}/cancel",
    ):
        assert path in text
    assert "earliest_date" in text


# Stale changes: the version read comes back with the change ---------------------------------


def stale_problem(response, *, title_starts="Someone else changed this"):
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "stale" and body["title"].startswith(title_starts)


def test_a_stale_property_change_is_refused_with_409(api):
    premises = make_premises(reference="Acacia House")
    url = reverse("api:estate-property", args=[premises.pk])
    read = api.get(url).json()["version"]
    first = api.patch(url, {"notes": "Keys in safe", "version": read}, content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == read + 1

    stale = api.patch(url, {"reference": "Birch House", "version": read}, content_type="application/json")

    stale_problem(stale)
    premises.refresh_from_db()
    assert (premises.reference, premises.notes, premises.version) == ("Acacia House", "Keys in safe", read + 1)
    full = api.put(url, new_property(reference="Birch House", version=read), content_type="application/json")
    stale_problem(full)
    # Leaving the version out skips the check, as for bookings.
    assert api.patch(url, {"turnaround_working_days": 3}, content_type="application/json").status_code == 200


def test_a_stale_bedspace_change_or_archive_is_refused_with_409(api):
    premises, (a, _) = make_estate()
    url = reverse("api:estate-bedspace", args=[premises.pk, a.pk])
    read = api.get(url).json()["version"]
    assert api.patch(url, {"notes": "Top floor", "version": read}, content_type="application/json").status_code == 200

    stale_problem(api.patch(url, {"reference": "Room Z", "version": read}, content_type="application/json"))
    stale_problem(
        post(
            api,
            "api:estate-bedspace-archive",
            {"date": str(days(5)), "version": read},
            pk=premises.pk,
            bedspace_pk=a.pk,
        )
    )
    a.refresh_from_db()
    assert (a.reference, a.notes, a.end_date) == ("Room A", "Top floor", None)
    current = api.get(url).json()["version"]
    archived = post(
        api, "api:estate-bedspace-archive", {"date": str(days(5)), "version": current}, pk=premises.pk, bedspace_pk=a.pk
    )
    assert archived.status_code == 201
    assert api.get(url).json()["version"] == current + 1


def test_a_stale_property_archive_is_refused_with_409(api):
    premises, _ = make_estate()
    read = api.get(reverse("api:estate-property", args=[premises.pk])).json()["version"]
    api.patch(reverse("api:estate-property", args=[premises.pk]), {"notes": "x"}, content_type="application/json")
    stale_problem(post(api, "api:estate-property-archive", {"date": str(days(5)), "version": read}, pk=premises.pk))
    premises.refresh_from_db()
    assert premises.end_date is None and not ArchiveChange.objects.exists()


def test_a_stale_void_change_or_cancellation_is_refused_with_409(api):
    premises, (a, _) = make_estate()
    void = make_void(a, days(2), days(5))
    url = reverse("api:estate-void", args=[premises.pk, a.pk, void.pk])
    read = api.get(url).json()["version"]
    data = {"start_date": str(days(2)), "end_date": str(days(8)), "reason": void_reason().pk, "cost_borne_by": "hmpps"}
    first = api.put(url, {**data, "version": read}, content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == read + 1

    stale_problem(api.put(url, {**data, "cost_borne_by": "supplier", "version": read}, content_type="application/json"))
    stale_problem(
        post(
            api,
            "api:estate-void-cancel",
            {"notes": "Not needed", "version": read},
            pk=premises.pk,
            bedspace_pk=a.pk,
            void_pk=void.pk,
        )
    )
    void.refresh_from_db()
    assert (void.end_date, void.cost_borne_by, void.is_cancelled) == (days(8), "hmpps", False)


def test_openapi_document_offers_the_version_on_estate_changes(client):
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    for name in ("PremisesUpdate", "BedspaceUpdate", "VoidUpdate", "VoidCancel", "Schedule"):
        assert "version" in components[name]["properties"], name
    for name in ("Premises", "Bedspace", "Void"):
        assert "version" in components[name]["properties"], name
