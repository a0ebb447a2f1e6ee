import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from cas.core import clock
from cas.core.errors import DomainError
from cas.core.roles import Role
from cas.reporting import dashboard
from cas.reporting.figures import average, share
from tests.dashboard_scenario import MARCH, march_scenario, travel_fixture  # noqa: F401 (fixtures)
from tests.estate_factories import characteristic, make_estate, make_void
from tests.factories import make_user, pdu, region

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


# The hand-built March 2026 in North West (tests/dashboard_scenario.py) works out every figure.


def test_every_figure_of_a_hand_built_month(march):
    from cas.placements.models import Booking

    # The synthetic risk system's RoSH for these people (copied onto each booking).
    assert [march[k].rosh_level for k in "achb"] == ["Very high", "Medium", "High", "High"]
    board = dashboard.build(*MARCH, dashboard.Scope(region_id=region("N51").pk))
    values = {f.key: f.value for f in board.figures}
    assert values == {
        # On 31 March: b1 and b2 (b3 archived from 19 March); one local authority; no women-only.
        "bedspaces_online": 2,
        "local_authorities": 1,
        "women_only_share": "0.0",
        "self_contained_share": "100.0",
        # R3 (1 March) and R2 (12 March); R1 was in February, RL is London's.
        "referrals_received": 2,
        # C, D (cancelled, still an offer), H and B; A was made in February, F is London's.
        "bookings_offered": 4,
        # A (2 March), C (3 March), H (12 March), B (21 March).
        "people_placed": 4,
        # Stays ended in March: E 39, A 10, H 4, C 16 nights: 69 / 4 = 17.25 -> 17.3 (half up);
        # median (10 + 16) / 2.
        "average_length_of_stay": "17.3",
        "median_length_of_stay": "13.0",
        # From referral to arrival: A 20 Feb -> 2 Mar = 10, C 1 -> 3 Mar = 2, B 12 -> 21 Mar = 9;
        # 21 / 3 = 7; median 9. H had no referral.
        "average_days_referral_to_arrival": "7.0",
        "median_days_referral_to_arrival": "9.0",
        # Departures A (settled), H (settled), C (recalled); E died, left out: 2 of 3.
        "positive_move_on": 2,
        "positive_move_on_share": "66.7",
        "recalled_share": "33.3",
        # Very high (A), High (H, B) of 4 placed.
        "high_rosh_share": "75.0",
        # 8 March (P1) and 18 March (P2, an SFO); 27 February and London's are not counted.
        "incidents": 2,
        "serious_further_offences": 1,
        # Occupied nights: b1 A 2-11 (10) + B 21-31 (11), b2 E 1-4 (4) + H 12-15 (4), b3 C 3-18 (16)
        # = 45. Online: b1 31, b2 31 (a void does not take it offline), b3 1-18 (18) = 80.
        # 45 / 80 = 56.25 -> 56.3 (half up; rounding half to even would give 56.2).
        "occupancy_rate": "56.3",
        "voids": 1,
    }
    assert board.figure("voids").detail == "2 bedspace days out of service"
    assert board.figure("occupancy_rate").detail == "45 of 80 online bedspace-nights occupied"
    assert Booking.objects.filter(status="cancelled", region__delius_code="N51").count() == 1

    # Drill-down to PDU: Liverpool South (b1, b2) and Cumbria (b3).
    rows = {r["name"]: r for r in board.areas}
    assert board.area_kind == "pdu" and len(rows) == 13
    liverpool, cumbria = rows["Liverpool South"], rows["Cumbria"]
    # Liverpool South: offered D, H, B; placed A, H, B; stays E 39, A 10, H 4 = 53 / 3 = 17.67;
    # settled A, H of 2 (E left out); occupied 21 + 8 = 29 of 31 + 31 = 62 -> 46.8.
    assert {k: liverpool[k] for k in ("bookings_offered", "people_placed", "average_length_of_stay")} == {
        "bookings_offered": 3,
        "people_placed": 3,
        "average_length_of_stay": "17.7",
    }
    assert liverpool["positive_move_on_share"] == "100.0" and liverpool["occupancy_rate"] == "46.8"
    assert liverpool["incidents"] == 1 and liverpool["voids"] == 1 and liverpool["referrals_received"] == 2
    # Cumbria: C only; 16 of its 18 nights online -> 88.9.
    assert (cumbria["bookings_offered"], cumbria["people_placed"], cumbria["average_length_of_stay"]) == (1, 1, "16.0")
    assert (cumbria["positive_move_on_share"], cumbria["occupancy_rate"], cumbria["incidents"]) == ("0.0", "88.9", 1)
    assert cumbria["bedspaces_online"] == 0
    assert rows["Wirral"]["people_placed"] == 0 and rows["Wirral"]["average_length_of_stay"] is None

    pdu_board = dashboard.build(*MARCH, dashboard.Scope(region_id=region("N51").pk, pdu_id=cumbria["id"]))
    pdu_values = {f.key: f.value for f in pdu_board.figures}
    assert pdu_values["people_placed"] == 1 and pdu_values["serious_further_offences"] == 1
    assert pdu_values["median_days_referral_to_arrival"] == "2.0" and pdu_values["recalled_share"] == "100.0"
    assert pdu_values["occupancy_rate"] == "88.9" and pdu_board.areas == []


def test_other_regions_are_counted_only_nationally(march):
    national = dashboard.build(*MARCH, dashboard.Scope())
    values = {f.key: f.value for f in national.figures}
    # London adds F: offered and placed in March, 8 nights, settled, one SFO.
    assert values["people_placed"] == 5 and values["bookings_offered"] == 5
    assert values["serious_further_offences"] == 2 and values["positive_move_on"] == 3
    assert values["average_length_of_stay"] == "15.4"  # (69 + 8) / 5
    regions = {r["name"]: r for r in national.areas}
    assert national.area_kind == "region" and len(regions) == 12
    london = regions["London"]
    assert (london["people_placed"], london["average_length_of_stay"], london["positive_move_on_share"]) == (
        1,
        "8.0",
        "100.0",
    )
    assert regions["North West"]["people_placed"] == 4 and regions["Wales"]["people_placed"] == 0


def test_monthly_series_of_the_scenario(march):
    board = dashboard.build(dt.date(2026, 2, 1), MARCH[1], dashboard.Scope(region_id=region("N51").pk))
    series = {s.key: s.values for s in board.series}
    assert board.months == [dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert series["referrals"] == [1, 2]
    assert series["bookings_offered"] == [1, 4]  # A was made on 25 February
    assert series["people_placed"] == [0, 4]
    assert series["positive_move_on"] == [0, 2]
    # February: only E, all 28 nights, of 3 bedspaces x 28 nights = 84 -> 33.3.
    assert [str(v) for v in series["occupancy_rate"]] == ["33.3", "56.3"]
    rows = dashboard.export_rows(board)
    assert ["2026-02", 1, 1, 0, 0, Decimal("33.3")] in rows


def test_viewing_is_audited_and_kept_to_the_assessors_region(march):
    from cas.core.errors import NotAllowed
    from cas.core.models import AuditEvent

    assessor = make_user(Role.CAS3_ASSESSOR)
    board = dashboard.view(assessor, *MARCH)
    assert board.scope.region_id == region("N51").pk and board.figure("people_placed").value == 4
    event = AuditEvent.objects.get(action="dashboard.viewed")
    assert event.actor == assessor and event.subject_label == "North West" and "2026-03-01" in event.detail
    with pytest.raises(NotAllowed):
        dashboard.view(assessor, *MARCH, region_id=region("N07").pk)
    reporter = make_user(Role.REPORTER, region_code="NA")
    cumbria = dashboard.view(reporter, *MARCH, region_id=region("N51").pk, pdu_id=pdu("N51CUMB").pk)
    assert cumbria.figure("people_placed").value == 1


def test_periods_are_read_as_months_and_years():
    assert dashboard.parse_period("2026-03") == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert dashboard.parse_period("2025/26") == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert dashboard.parse_period("2024") == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    for bad in ("2026-13", "2025/27", "March", ""):
        with pytest.raises(DomainError):
            dashboard.parse_period(bad)


def test_percentages_round_half_up():
    assert share(1, 8) == "12.5"
    assert share(45, 80) == "56.3"  # 56.25
    assert share(1, 16) == "6.3"  # 6.25
    assert share(0, 0) == "0.0"
    assert average(5, 2) == "2.5" and average(0, 0) is None


def test_periods_out_of_range_are_refused(client):
    with pytest.raises(DomainError):
        dashboard.parse_period("0000-01")
    with pytest.raises(DomainError):
        dashboard.parse_period("9999/00")
    with pytest.raises(DomainError):
        dashboard.check_period(dt.date(2026, 1, 1), dt.date(9999, 12, 31))
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    page = client.get(
        reverse("web:dashboard"),
        {
            "start_date-day": "1",
            "start_date-month": "1",
            "start_date-year": "2026",
            "end_date-day": "31",
            "end_date-month": "12",
            "end_date-year": "9999",
        },
    )
    assert page.status_code == 200
    assert "Enter dates from 1990 to 2100" in page.content.decode()


def test_queries_do_not_grow_with_months_or_areas(estate):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(start, end, scope):
        with CaptureQueriesContext(connection) as captured:
            dashboard.build(start, end, scope)
        return len(captured)

    month = queries(dt.date(2026, 3, 1), dt.date(2026, 3, 31), dashboard.Scope())
    two_years = queries(dt.date(2025, 1, 1), dt.date(2026, 12, 31), dashboard.Scope())
    by_pdu = queries(dt.date(2026, 3, 1), dt.date(2026, 3, 31), dashboard.Scope(region_id=region("N51").pk))
    assert month == two_years == by_pdu


def test_an_assessor_without_a_region_sees_nothing(client):
    from cas.core.errors import NotAllowed

    assessor = make_user(Role.CAS3_ASSESSOR)
    assessor.region = None
    assessor.save()
    with pytest.raises(NotAllowed):
        dashboard.view(assessor, *MARCH)
    client.force_login(assessor)
    assert client.get(reverse("web:dashboard")).status_code == 403
