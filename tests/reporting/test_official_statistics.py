"""The official statistics against figures worked out by hand from the published rules.

Hand-checked answers (after the second import, which moves P1's start date into 2024/25 and gives
P3 an end date and an outcome):
- placements: 2022/23 Wales 1; 2023/24 none; 2024/25 Wales 2, London 2; 2025/26 London 1, North East 4.
- genders: 2024/25 Male 2 (P1 identity, P4 transgender male), Female 2 (P2 from sex, P3 transgender
  female); 2025/26 Male 2 (the same person placed twice counts twice), Other 3 (non-binary over sex,
  "Transgender", nothing recorded).
- outcomes: 2022/23 Settled 1; 2024/25 Settled 1, Transient 2 (P4 ends 31 March 2025), Recalled 1;
  2025/26 Settled 1, Homeless 1, Unknown 1 (ended, no category) and the death left out;
  2026/27 Pending 1 (ends 1 April 2026).
"""

import csv
import io

import pytest
from django.core.management import call_command

from cas.reporting.models import ManualPlacement, PlacementImport
from cas.reporting.placement_import import ImportRejected, import_placements
from cas.reporting.statistics import compute, percentage, performance_year

pytestmark = pytest.mark.django_db

# The first file names some categories by their NDelius names from before the labels were reworded.
HEADER = "placement_reference,crn,probation_region,gender_identity,sex,start_date,end_date,move_on_category,source\n"
FIRST = (
    HEADER
    + "\n".join(
        [
            "P1,X000001,Wales,Male,,2024-03-31,2024-04-10,Recalled,manual",
            "P2,X000002,Wales,,Female,01/04/2024,01/06/2024,Householder (owner – freehold or leasehold),manual",
            "P3,X000003,London,Transgender Female,Male,2024-05-05,,,digital",
            "P4,X000004,London,Transgender Male,,2025-03-31,2025-03-31,Hospital,manual",
            "P5,X000005,London,Non-binary,Male,2025-04-01,2025-05-01,,manual",
            "P6,X000006,North East,Transgender,,2025-06-01,2025-07-01,They’re deceased,manual",
            "P7,X000007,North East,,,2025-07-01,2026-04-01,Pending (awaiting move on outcome in NDelius – to be updated),manual",
            "P8,X000008,North East,Male,Male,2025-08-01,2025-09-01,Homeless – squat,manual",
            "P9,X000008,North East,Male,Male,2025-10-01,2025-12-01,Rental accommodation - private rental,manual",
            "P10,X000010,Wales,Female,Female,2023-01-15,2023-03-31,Friends or family (settled),manual",
        ]
    )
    + "\n"
)
SECOND = (
    HEADER
    + "\n".join(
        [
            "P1,X000001,Wales,Male,,2024-04-01,2024-04-10,Recalled,manual",
            "P3,X000003,London,Transgender Female,Male,2024-05-05,2025-01-10,CAS2,digital",
            "P4,X000004,London,Transgender Male,,2025-03-31,2025-03-31,Hospital,manual",
        ]
    )
    + "\n"
)


@pytest.fixture
def imported():
    first = import_placements(None, "first.csv", FIRST.encode())
    second = import_placements(None, "second.csv", SECOND.encode())
    return first, second


def rows(tables, name):
    return next(t for t in tables if t.name == name).rows


def test_imports_add_then_update(imported):
    first, second = imported
    assert (first.rows_added, first.rows_updated, first.rows_unchanged) == (10, 0, 0)
    assert (second.rows_added, second.rows_updated, second.rows_unchanged) == (0, 2, 1)
    assert ManualPlacement.objects.count() == 10
    assert PlacementImport.objects.count() == 2


def test_placements_by_region(imported):
    table = rows(compute(), "placements_by_region")
    years = sorted({r[0] for r in table})
    assert years == ["2022/23", "2023/24", "2024/25", "2025/26"]
    # Twelve regions plus "All regions" in every year, zero included, National left out.
    assert len(table) == 4 * 13 and not any(r[1] == "National" for r in table)
    counts = {(y, r): n for y, r, n in table}
    assert counts[("2022/23", "Wales")] == 1 and counts[("2022/23", "All regions")] == 1
    assert counts[("2023/24", "All regions")] == 0 and counts[("2023/24", "Wales")] == 0
    assert counts[("2024/25", "Wales")] == 2 and counts[("2024/25", "London")] == 2
    assert counts[("2024/25", "All regions")] == 4
    assert counts[("2025/26", "London")] == 1 and counts[("2025/26", "North East")] == 4
    assert counts[("2025/26", "All regions")] == 5 and counts[("2025/26", "Wales")] == 0
    assert [r[1] for r in table[:13]][-1] == "All regions"


def test_placements_by_gender(imported):
    assert rows(compute(), "placements_by_gender") == [
        ("2022/23", "Male", 0, "0.0"),
        ("2022/23", "Female", 1, "100.0"),
        ("2022/23", "Other", 0, "0.0"),
        ("2023/24", "Male", 0, "0.0"),
        ("2023/24", "Female", 0, "0.0"),
        ("2023/24", "Other", 0, "0.0"),
        ("2024/25", "Male", 2, "50.0"),
        ("2024/25", "Female", 2, "50.0"),
        ("2024/25", "Other", 0, "0.0"),
        ("2025/26", "Male", 2, "40.0"),
        ("2025/26", "Female", 0, "0.0"),
        ("2025/26", "Other", 3, "60.0"),
    ]


def test_outcomes_by_group(imported):
    table = rows(compute(), "outcomes_by_group")
    assert sorted({r[0] for r in table}) == ["2022/23", "2023/24", "2024/25", "2025/26", "2026/27"]
    by_year = {}
    for year, group, count, pct in table:
        by_year.setdefault(year, []).append((group, count, pct))
    assert by_year["2022/23"][0] == ("Settled accommodation", 1, "100.0")
    assert by_year["2024/25"] == [
        ("Settled accommodation", 1, "25.0"),
        ("Transient accommodation", 2, "50.0"),
        ("Homeless / Rough sleeping", 0, "0.0"),
        ("Recalled / Further custody", 1, "25.0"),
        ("Pending", 0, "0.0"),
        ("Unknown / blank", 0, "0.0"),
    ]
    assert by_year["2025/26"] == [
        ("Settled accommodation", 1, "33.3"),
        ("Transient accommodation", 0, "0.0"),
        ("Homeless / Rough sleeping", 1, "33.3"),
        ("Recalled / Further custody", 0, "0.0"),
        ("Pending", 0, "0.0"),
        ("Unknown / blank", 1, "33.3"),
    ]
    assert by_year["2026/27"][4] == ("Pending", 1, "100.0")
    assert all(count == 0 for _, count, _ in by_year["2023/24"])


def test_outcomes_by_region(imported):
    table = rows(compute(), "outcomes_by_region")
    assert len(table) == 5 * 12 * 6
    counts = {(y, r, g): n for y, r, g, n in table}
    assert counts[("2024/25", "London", "Transient accommodation")] == 2
    assert counts[("2024/25", "Wales", "Recalled / Further custody")] == 1
    assert counts[("2025/26", "North East", "Settled accommodation")] == 1
    assert counts[("2025/26", "North East", "Homeless / Rough sleeping")] == 1
    assert sum(n for (y, r, g), n in counts.items() if y == "2025/26") == 3  # the death left out


def test_rounding_and_years():
    assert percentage(1, 16) == "6.3"  # half up, not to even
    assert percentage(1, 3) == "33.3" and percentage(2, 3) == "66.7" and percentage(0, 0) == "0.0"
    import datetime as dt

    assert performance_year(dt.date(2025, 3, 31)) == "2024/25"
    assert performance_year(dt.date(2025, 4, 1)) == "2025/26"
    assert performance_year(dt.date(2099, 12, 1)) == "2099/00"


def test_command_writes_the_four_tables_and_the_workbook(imported, tmp_path):
    call_command("cas3_statistics", "--output", str(tmp_path), verbosity=0)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "cas3_statistics.ods",
        "outcomes_by_group.csv",
        "outcomes_by_region.csv",
        "placements_by_gender.csv",
        "placements_by_region.csv",
    ]
    with (tmp_path / "placements_by_gender.csv").open() as fh:
        reader = list(csv.DictReader(fh))
    assert reader[0] == {"performance_year": "2022/23", "gender": "Male", "placements": "0", "percentage": "0.0"}
    from odf.opendocument import load
    from odf.table import Table

    doc = load(str(tmp_path / "cas3_statistics.ods"))
    sheets = [t.getAttribute("name") for t in doc.spreadsheet.getElementsByType(Table)]
    assert sheets == [
        "Cover",
        "Contents",
        "Notes",
        "placements_by_region",
        "placements_by_gender",
        "outcomes_by_group",
        "outcomes_by_region",
    ]


def test_release_and_revisions(imported, tmp_path, capsys):
    call_command("cas3_statistics", "--output", str(tmp_path), "--release", "2025/26 Q1", verbosity=0)
    import_placements(None, "late.csv", (HEADER + "P11,X000011,Wales,Female,,2025-05-01,,,manual\n").encode())
    out = io.StringIO()
    call_command("cas3_statistics", "--output", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "Revised since release 2025/26 Q1" in text
    assert "placements_by_region 2025/26 / Wales placements: 0 -> 1" in text


def test_bad_rows_are_all_reported_and_nothing_is_written():
    bad = (
        HEADER
        + "\n".join(
            [
                "P1,X000001,Wales,Male,,2024-03-31,,,manual",
                "P1,X00001,Atlantis,Man,M,31-13-2024,2024-02-01,Recalled,post",
                "P3,X000003,Wales,,,2024-05-05,2024-05-01,,manual",
                "P4,X000004,Wales,,,2024-05-05,,Recalled,manual",
                ",X000005,Wales,,,,,Nonsense,manual",
            ]
        )
        + "\n"
    )
    with pytest.raises(ImportRejected) as exc:
        import_placements(None, "bad.csv", bad.encode())
    messages = [str(e) for e in exc.value.errors]
    assert "Line 3: placement_reference P1 is also on line 2" in messages
    assert any(m.startswith("Line 3: crn 'X00001'") for m in messages)
    assert any(m.startswith("Line 3: probation_region 'Atlantis'") for m in messages)
    assert any(m.startswith("Line 3: gender_identity 'Man'") for m in messages)
    assert any(m.startswith("Line 3: sex 'M'") for m in messages)
    assert any(m.startswith("Line 3: start_date '31-13-2024'") for m in messages)
    assert any(m.startswith("Line 3: source 'post'") for m in messages)
    assert "Line 4: end_date must not be before start_date" in messages
    assert "Line 5: move_on_category is given but end_date is empty: an outcome needs the stay to end" in messages
    assert "Line 6: placement_reference is empty" in messages and "Line 6: start_date is empty" in messages
    assert any(m.startswith("Line 6: move_on_category 'Nonsense'") for m in messages)
    assert not any(m.startswith("Line 2") for m in messages)
    assert ManualPlacement.objects.count() == 0 and PlacementImport.objects.count() == 0


def test_missing_columns_and_empty_files():
    with pytest.raises(ImportRejected) as exc:
        import_placements(None, "x.csv", b"placement_reference,crn\nP1,X000001\n")
    assert "missing the columns probation_region" in str(exc.value.errors[0])
    with pytest.raises(ImportRejected):
        import_placements(None, "x.csv", b"")
    with pytest.raises(ImportRejected):
        import_placements(None, "x.csv", HEADER.encode())


def test_command_reports_line_numbers(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "P1,BAD,Wales,,,2024-01-01,,,manual\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_cas3_placements", str(path), stderr=err)
    assert "Line 2: crn 'BAD'" in err.getvalue()
    good = tmp_path / "good.csv"
    good.write_text(FIRST)
    out = io.StringIO()
    call_command("import_cas3_placements", str(good), stdout=out)
    assert "10 added, 0 updated, 0 unchanged" in out.getvalue()


# (reference, region code, region, gender identity, sex, start, end, move-on category or "")
SAME_PLACEMENTS = [
    ("D1", "N51", "North West", "Male", "", "2025-03-31", "2025-04-10", "Rental accommodation (private rental)"),
    ("D2", "N07", "London", "", "Female", "2025-04-01", "2025-06-01", "Homeless (rough sleeping)"),
    ("D3", "N07", "London", "Non-binary", "Male", "2025-05-05", "", ""),
    ("D4", "N51", "North West", "Transgender Female", "Male", "2026-01-10", "2026-03-31", "They’re deceased"),
    ("D5", "N51", "North West", "", "", "2026-02-01", "2026-04-01", ""),
    ("D6", "N51", "North West", "Transgender Male", "", "2026-04-01", "2026-05-01", "Recalled"),
]


def test_digital_bookings_give_the_same_tables_as_the_same_placements_imported():
    """The statistics count a CAS3 booking with an arrival exactly as the same placement imported
    from a file: one placement per booking, region from the property, start the arrival, end the
    departure, outcome from the move-on category. Bookings that never placed anyone (provisional,
    confirmed, cancelled) and other tiers' bookings are left out."""
    import datetime as dt

    from cas.placements.models import Booking
    from cas.placements.status import BookingStatus as S
    from tests.estate_factories import make_bedspace, make_premises
    from tests.placement_factories import move_on
    from tests.reporting.mi_scenario import book

    properties = {code: make_premises(code) for code in ("N51", "N07")}

    def bedspace(code, n):
        return make_bedspace(properties[code], f"Room {n}", start_date=dt.date(2024, 1, 1))

    for n, (ref, code, _, identity, sex, start, end, category) in enumerate(SAME_PLACEMENTS):
        book(
            bedspace(code, n),
            crn=f"X00000{n}",
            name=ref,
            arrival=dt.date.fromisoformat(start),
            departure=dt.date.fromisoformat(end or "2026-12-31"),
            turnaround=0,
            status=S.DEPARTED if end else S.ARRIVED,
            gender_identity=identity,
            sex=sex,
            move_on_category=move_on(category) if category else None,
        )
    # Never placed anyone, or not CAS3: none of these count.
    extra = {"crn": "X000099", "name": "Not placed", "arrival": dt.date(2025, 6, 1), "departure": dt.date(2025, 6, 9)}
    book(bedspace("N51", 20), turnaround=0, status=S.PROVISIONAL, **extra)
    book(bedspace("N51", 21), turnaround=0, status=S.CONFIRMED, **extra)
    book(bedspace("N51", 22), turnaround=0, status=S.CANCELLED, **extra)
    book(bedspace("N51", 23), turnaround=0, status=S.DEPARTED, service="cas1", **extra)

    digital = compute()
    by_region = {(y, r): n for y, r, n in rows(digital, "placements_by_region")}
    assert by_region[("2024/25", "All regions")] == 1 and by_region[("2025/26", "All regions")] == 4
    assert by_region[("2026/27", "All regions")] == 1

    Booking.objects.all().delete()
    assert not any(t.rows for t in compute())  # nothing left to count
    lines = [
        f"{ref},X00000{n},{region},{identity},{sex},{start},{end},{category},digital"
        for n, (ref, _, region, identity, sex, start, end, category) in enumerate(SAME_PLACEMENTS)
    ]
    import_placements(None, "same.csv", (HEADER + "\n".join(lines) + "\n").encode())
    imported = compute()
    assert [(t.name, t.rows) for t in imported] == [(t.name, t.rows) for t in digital]
