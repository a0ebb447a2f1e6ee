"""The reporting API: the dashboard's figures for a period, region and PDU (the same numbers as the
hand-built month in tests/reporting/test_dashboard.py), the official statistics tables, and the MI
reports that can be asked for."""

import pytest
from django.urls import reverse

from cas.core.models import AuditEvent
from cas.core.roles import Role
from tests.dashboard_scenario import march_scenario, travel_fixture  # noqa: F401 (fixtures)
from tests.factories import make_user, pdu, region

pytestmark = pytest.mark.django_db


def get(client, route, params=None, **kwargs):
    return client.get(reverse(route, kwargs=kwargs or None), params or {})


def test_dashboard_figures_for_a_region_a_pdu_and_the_country(client, march):
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    response = get(client, "api:dashboard", {"period": "2026-03", "region": region("N51").pk})
    assert response.status_code == 200
    body = response.json()
    figures = {f["key"]: f["value"] for f in body["figures"]}
    assert body["start_date"] == "2026-03-01" and body["end_date"] == "2026-03-31"
    assert body["region"]["name"] == "North West" and body["pdu"] is None
    assert figures["people_placed"] == 4 and figures["bookings_offered"] == 4
    assert figures["median_length_of_stay"] == "13.0" and figures["occupancy_rate"] == "56.3"
    assert figures["positive_move_on_share"] == "66.7" and figures["recalled_share"] == "33.3"
    assert body["months"] == ["2026-03"]
    series = {s["key"]: s["values"] for s in body["series"]}
    assert series["occupancy_rate"] == ["56.3"] and series["people_placed"] == [4]
    assert body["area_kind"] == "pdu"
    areas = {a["name"]: a["values"] for a in body["areas"]}
    assert areas["Cumbria"]["occupancy_rate"] == "88.9" and areas["Liverpool South"]["people_placed"] == 3

    cumbria = get(
        client, "api:dashboard", {"start_date": "2026-03-01", "end_date": "2026-03-31", "pdu": pdu("N51CUMB").pk}
    ).json()
    assert cumbria["pdu"]["name"] == "Cumbria" and cumbria["region"]["name"] == "North West"
    assert {f["key"]: f["value"] for f in cumbria["figures"]}["people_placed"] == 1 and cumbria["areas"] == []

    national = get(client, "api:dashboard", {"period": "2026-03"}).json()
    assert national["area_kind"] == "region" and len(national["areas"]) == 12
    assert {f["key"]: f["value"] for f in national["figures"]}["people_placed"] == 5
    assert AuditEvent.objects.filter(action="dashboard.viewed").count() == 3


def test_dashboard_scope_and_bad_parameters(client, march):
    client.force_login(make_user(Role.CAS3_ASSESSOR))
    own = get(client, "api:dashboard", {"period": "2025/26"}).json()
    assert own["region"]["name"] == "North West" and own["start_date"] == "2025-04-01"
    refused = get(client, "api:dashboard", {"period": "2026-03", "region": region("N07").pk})
    assert refused.status_code == 403
    bad_period = get(client, "api:dashboard", {"period": "March"})
    assert bad_period.status_code == 400 and bad_period.json()["field"] == "period"
    wrong_pdu = get(client, "api:dashboard", {"period": "2026-03", "pdu": pdu("N07LEBR").pk})
    assert wrong_pdu.status_code == 400 and wrong_pdu.json()["field"] == "pdu"
    backwards = get(client, "api:dashboard", {"start_date": "2026-03-31", "end_date": "2026-03-01"})
    assert backwards.status_code == 400 and backwards.json()["field"] == "end_date"
    client.force_login(make_user(Role.CAS3_REFERRER))
    assert get(client, "api:dashboard").status_code == 403


def test_statistics_tables_and_report_list(client):
    from cas.reporting.placement_import import import_placements

    reporter = make_user(Role.REPORTER, region_code="NA")
    statistician = make_user(Role.STATISTICIAN, region_code="NA")
    csv = (
        "placement_reference,crn,probation_region,gender_identity,sex,start_date,end_date,move_on_category,source\n"
        "W1,X100001,Wales,,Male,2025-03-31,2025-04-20,Recalled,manual\n"
        "W2,X100002,Wales,Female,,2025-04-01,,,manual\n"
    )
    import_placements(statistician, "wales.csv", csv.encode())
    client.force_login(reporter)
    tables = {t["name"]: t for t in get(client, "api:statistics", {"year": "2025/26"}).json()}
    assert set(tables) == {
        "placements_by_region",
        "placements_by_gender",
        "outcomes_by_group",
        "outcomes_by_region",
    }
    wales = [r for r in tables["placements_by_region"]["rows"] if r["probation_region"] == "Wales"]
    assert wales == [{"performance_year": "2025/26", "probation_region": "Wales", "placements": 1}]
    table = get(client, "api:statistics-table", name="outcomes_by_group").json()
    recalled = [r for r in table["rows"] if r["outcome_group"] == "Recalled / Further custody"]
    assert [(r["performance_year"], r["outcomes"], r["percentage"]) for r in recalled] == [("2025/26", 1, "100.0")]
    assert get(client, "api:statistics-table", name="nothing").status_code == 404

    reports = get(client, "api:reports").json()
    referrals = next(r for r in reports["reports"] if r["key"] == "referrals")
    assert referrals["columns"][0]["header"] == "Referral ID" and reports["runs"] == []
