import datetime as dt

import pytest
from django.urls import reverse

from cas.core import clock
from cas.core.roles import Role
from cas.reporting import dashboard
from tests.estate_factories import characteristic, make_estate, make_void
from tests.factories import make_user, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate():
    from cas.reference.models import Characteristic

    women, _ = make_estate("N51", bedspaces=2, characteristics=[characteristic("Women only")])
    shared_premises, (shared, own) = make_estate("N51", bedspaces=2)
    shared.characteristics.add(characteristic("Shared kitchen", Characteristic.Scope.BEDSPACE))
    make_estate("N07", bedspaces=3)
    today = clock.today()
    make_void(own, today + dt.timedelta(days=1), today + dt.timedelta(days=4))
    return women


def test_figures_for_a_region_and_nationally(estate):
    today = clock.today()
    board = dashboard.build(
        today - dt.timedelta(days=30), today + dt.timedelta(days=10), dashboard.Scope(region_id=region("N51").pk)
    )
    figures = {f.key: f for f in board.figures}
    assert figures["bedspaces_online"].value == 4
    assert figures["women_only_share"].value == "50.0"
    assert figures["self_contained_share"].value == "75.0"
    assert figures["local_authorities"].value == 1
    assert figures["voids"].value == 1 and figures["voids"].detail.startswith("4 bedspace days")
    national = dashboard.build(today - dt.timedelta(days=30), today, dashboard.Scope())
    assert national.figure("bedspaces_online").value == 7
    rows = {r["name"]: r for r in dashboard.breakdown(today - dt.timedelta(days=30), today, None)}
    assert rows["North West"]["bedspaces_online"] == 4 and rows["London"]["bedspaces_online"] == 3
    assert len(rows) == 12


def test_pdu_drill_down_and_monthly_series(estate):
    today = clock.today()
    pdu_rows = dashboard.breakdown(today - dt.timedelta(days=90), today, region("N51").pk)
    assert sum(r["bedspaces_online"] for r in pdu_rows) == 4
    board = dashboard.build(today - dt.timedelta(days=90), today, dashboard.Scope())
    assert len(board.monthly) in (3, 4) and board.monthly_series[0] == ("referrals", "Referrals received")


def test_dashboard_pages(client, estate):
    reporter = make_user(Role.REPORTER, region_code="NA")
    client.force_login(reporter)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert "England and Wales" in page and "By probation region" in page and "<svg" in page
    region_page = client.get(
        reverse("web:dashboard"),
        {
            "start_date-day": "1",
            "start_date-month": "1",
            "start_date-year": "2026",
            "end_date-day": "31",
            "end_date-month": "12",
            "end_date-year": "2026",
            "region": region("N51").pk,
        },
    ).content.decode()
    assert "By probation delivery unit" in region_page
    export = client.get(reverse("web:dashboard-export"))
    assert export.content.decode().startswith("figure,value,unit,detail")
    bad = client.get(
        reverse("web:dashboard"), {"start_date-day": "40", "start_date-month": "1", "start_date-year": "2026"}
    ).content.decode()
    assert "The start date must be a real date" in bad


def test_assessors_see_only_their_region(client, estate):
    client.force_login(make_user(Role.CAS3_ASSESSOR))
    page = client.get(reverse("web:dashboard"), {"region": region("N07").pk}).content.decode()
    assert "North West" in page and "By probation delivery unit" in page
    client.force_login(make_user(Role.CAS3_REFERRER))
    assert client.get(reverse("web:dashboard")).status_code == 403
