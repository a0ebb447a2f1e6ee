"""Lists and searches: region scope, online and archived, search by reference, address and
postcode (spaces ignored), grouping, bedspace counts, and a constant number of queries."""

import datetime as dt

import pytest
from django.core.paginator import Paginator

from cas.core import clock
from cas.core.roles import Role
from cas.premises import access, queries, services
from cas.premises.calendar import build_calendar, window
from cas.reference.models import LocalAuthorityArea
from tests.estate_factories import make_bedspace, make_estate, make_premises, make_void, pdu
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


@pytest.fixture
def assessor():
    return make_user(Role.CAS3_ASSESSOR, region_code="N51")


def references(qs) -> list[str]:
    return [p.reference for p in qs]


def test_lists_are_scoped_to_the_region(assessor):
    mine, _ = make_estate("N51", reference="Mine")
    theirs, _ = make_estate("N07", reference="Theirs", town="London", postcode="NW10 1AA")
    assert references(queries.premises_list(assessor)) == ["Mine"]
    reporter = make_user(Role.REPORTER, region_code="NA")
    assert set(references(queries.premises_list(reporter))) == {"Mine", "Theirs"}
    with pytest.raises(access.PremisesNotFound):
        access.open_premises(assessor, theirs.pk)
    with pytest.raises(access.PremisesNotFound):
        access.open_bedspace(assessor, theirs.pk, theirs.bedspaces.first().pk)
    # A bedspace id under the wrong property is not found either.
    with pytest.raises(access.BedspaceNotFound):
        access.open_bedspace(reporter, mine.pk, theirs.bedspaces.first().pk)


def test_search_by_reference_address_and_postcode_ignoring_spaces(assessor):
    make_premises(reference="Acacia House", address_line1="12 Acacia Road", town="Liverpool", postcode="L8 1AB")
    make_premises(reference="Birch Court", address_line1="4 Birch Lane", town="Bootle", postcode="L20 3QT")
    assert references(queries.premises_list(assessor, q="acacia")) == ["Acacia House"]
    assert references(queries.premises_list(assessor, q="L203QT")) == ["Birch Court"]
    assert references(queries.premises_list(assessor, q="l20 3 qt")) == ["Birch Court"]
    assert references(queries.premises_list(assessor, q="birch lane, bootle")) == ["Birch Court"]
    assert references(queries.premises_list(assessor, q="birch lane, liverpool")) == []
    assert references(queries.premises_list(assessor, q="Bootle")) == ["Birch Court"]


def test_online_and_archived_tabs_with_bedspace_counts(assessor):
    online, (a, b) = make_estate(reference="Online")
    services.create_bedspace(None, online, reference="Room Z", start_date=days(3))
    services.archive_bedspace(None, a, days(-1))
    gone, _ = make_estate(reference="Gone")
    services.archive_premises(None, gone, days(-2))
    row = queries.premises_list(assessor).get(reference="Online")
    assert (row.online_bedspaces, row.upcoming_bedspaces, row.archived_bedspaces) == (1, 1, 1)
    assert references(queries.premises_list(assessor, status="archived")) == ["Gone"]
    assert queries.status_counts(assessor) == {"online": 1, "archived": 1}


def test_grouping_by_pdu_or_local_authority(assessor):
    sefton = pdu("N51SEFT")
    make_premises(reference="A", pdu=sefton, local_authority=LocalAuthorityArea.objects.get(identifier="E08000014"))
    make_premises(reference="B", local_authority=LocalAuthorityArea.objects.get(identifier="E08000012"))
    make_premises(reference="C", pdu=sefton, local_authority=LocalAuthorityArea.objects.get(identifier="E08000012"))
    by_pdu = queries.premises_list(assessor, group_by="pdu")
    assert [(p.pdu.name, p.reference) for p in by_pdu] == [("Liverpool South", "B"), ("Sefton", "A"), ("Sefton", "C")]
    by_la = queries.premises_list(assessor, group_by="local_authority")
    assert [(p.local_authority.name, p.reference) for p in by_la] == [
        ("Liverpool", "B"),
        ("Liverpool", "C"),
        ("Sefton", "A"),
    ]


def test_list_page_queries_do_not_grow_with_rows(assessor, django_assert_max_num_queries):
    for i in range(12):
        make_estate(reference=f"P{i:02}", bedspaces=3)
    with django_assert_max_num_queries(4):
        page = Paginator(queries.premises_list(assessor), 10).get_page(1)
        rendered = [
            (p.reference, p.pdu.name, p.region.name, [b.current_status for b in p.bedspaces.all()]) for p in page
        ]
    assert len(rendered) == 10 and all(len(r[3]) == 3 for r in rendered)


@pytest.fixture
def june_10(monkeypatch):
    """Freeze today at Wednesday 10 June 2026 so the calendar's month is known."""
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 6, 10))
    return dt.date(2026, 6, 10)


def segments(row, kind):
    return [(s.start.day, s.end.day) for s in row.segments if s.kind == kind]


def test_calendar_shows_voids_upcoming_and_archive_periods_from_history(june_10):
    premises, (a, b) = make_estate()
    make_void(a, dt.date(2026, 6, 11), dt.date(2026, 6, 12))
    services.archive_bedspace(None, b, dt.date(2026, 6, 7))
    services.unarchive_bedspace(None, b, dt.date(2026, 6, 9))
    make_bedspace(premises, "Room C", start_date=dt.date(2026, 6, 13))
    services.archive_bedspace(None, a, dt.date(2026, 6, 25))
    calendar = build_calendar(premises, "month", 2026, 6, make_user(Role.CAS3_ASSESSOR))
    assert calendar.title == "June 2026" and len(calendar.days) == 30
    rows = {row.bedspace.reference: row for row in calendar.rows}
    assert segments(rows["Room A"], "void") == [(11, 12)]
    assert segments(rows["Room A"], "archived") == [(25, 30)]  # scheduled, drawn from its date
    assert segments(rows["Room A"], "available") == [(1, 10), (13, 24)]
    # Room B came back online, but its archived days stay on the calendar (from the history table).
    assert segments(rows["Room B"], "archived") == [(7, 8)]
    assert segments(rows["Room C"], "upcoming") == [(1, 12)]
    void = next(s for s in rows["Room A"].segments if s.kind == "void")
    assert void.label == "Void" and void.letter == "V"
    assert void.description == "Void: Deep clean, from 11 June 2026 to 12 June 2026"
    for row in calendar.rows:
        assert sum(s.days for s in row.segments) == 30
    # Weekends are not working days; the key marks them in the header.
    assert [d.working for d in calendar.days[5:8]] == [False, False, True]  # Sat 6, Sun 7, Mon 8 June
    assert (calendar.previous_start, calendar.next_start) == (dt.date(2026, 5, 1), dt.date(2026, 7, 1))


def test_cancelled_changes_and_voids_leave_the_calendar(june_10):
    premises, (a, _) = make_estate()
    void = make_void(a, dt.date(2026, 6, 15), dt.date(2026, 6, 16))
    change = services.archive_bedspace(None, a, dt.date(2026, 6, 20))
    services.cancel_void(None, void, notes="Not needed")
    services.cancel_change(None, change)
    row = build_calendar(premises, "month", 2026, 6, make_user(Role.CAS3_ASSESSOR)).rows[0]
    assert [s.kind for s in row.segments] == ["available"]


def test_calendar_windows():
    assert window("month", 2026, 2) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert window("quarter", 2026, 5) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert window("quarter", 2026, 12) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))


def test_quarter_calendar(june_10):
    premises, (a, b) = make_estate()
    make_void(a, dt.date(2026, 6, 15), dt.date(2026, 6, 16))
    quarter = build_calendar(premises, "quarter", 2026, 5, make_user(Role.CAS3_ASSESSOR))
    assert (quarter.start, quarter.end) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert quarter.months == [("April 2026", 30), ("May 2026", 31), ("June 2026", 30)]
    assert quarter.title == "April to June 2026"
    assert quarter.previous_start == dt.date(2026, 1, 1) and quarter.next_start == dt.date(2026, 7, 1)
    row = quarter.rows[0]
    void = next(s for s in row.segments if s.kind == "void")
    assert (void.start, void.end) == (dt.date(2026, 6, 15), dt.date(2026, 6, 16))
    # Before the bedspaces started (60 days before 10 June) the row says not yet open.
    assert row.segments[0].kind == "upcoming" and row.segments[0].end == dt.date(2026, 4, 10)
