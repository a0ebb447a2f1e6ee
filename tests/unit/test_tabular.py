"""The one reader of uploaded tables (cas/core/tabular.py): CSV or XLSX into rows keyed by the normalised
header with their row numbers, the same limits and the same date formats for every import."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from cas.core import tabular
from cas.core.tabular import TableRefused, parse_date, read_table

LIMITS = {"max_bytes": 1024 * 1024, "max_rows": 10}


def xlsx(*rows, title=None, extra_sheet_first=False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if extra_sheet_first:
        sheet.title = "Notes"
        sheet.append(["not the data"])
        sheet = workbook.create_sheet(title)
    elif title:
        sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def refused(name: str, content: bytes, **limits) -> TableRefused:
    with pytest.raises(TableRefused) as exc:
        read_table(name, content, **(LIMITS | limits))
    return exc.value


def test_csv_rows_are_keyed_by_the_normalised_header_with_their_row_numbers():
    content = "\ufeffPlacement reference, START-DATE ,notes\nP1, 2024-03-31 ,\n,,\nP2,01/04/2024\n".encode()
    table = read_table("placements.csv", content, **LIMITS)
    assert table.header == ("placement_reference", "start_date", "notes")
    assert [(r.line, r.cells) for r in table.rows] == [
        (2, {"placement_reference": "P1", "start_date": "2024-03-31", "notes": ""}),
        (4, {"placement_reference": "P2", "start_date": "01/04/2024", "notes": ""}),
    ]


def test_aliases_map_readable_labels_to_columns():
    table = read_table("x.csv", b"Town or city\nLeeds\n", aliases={"town_or_city": "town"}, **LIMITS)
    assert table.rows[0].cells == {"town": "Leeds"}


def test_xlsx_cells_become_text_and_date_cells_become_iso_dates():
    content = xlsx(["reference", "start_date", "count", "ratio"], ["P1", dt.datetime(2025, 6, 1, 13, 30), 3.0, 1.5])
    table = read_table("x.xlsx", content, **LIMITS)
    assert table.rows[0].cells == {"reference": "P1", "start_date": "2025-06-01", "count": "3", "ratio": "1.5"}
    assert parse_date(table.rows[0].cells["start_date"]) == dt.date(2025, 6, 1)


def test_xlsx_is_recognised_by_its_content_and_a_named_sheet_is_preferred():
    content = xlsx(["reference"], ["B1"], title="Bedspaces", extra_sheet_first=True)
    assert read_table("upload", content, sheet="Bedspaces", **LIMITS).rows[0].cells == {"reference": "B1"}
    assert read_table("upload", content, **LIMITS).header == ("not_the_data",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-31", dt.date(2024, 3, 31)),
        ("31/03/2024", dt.date(2024, 3, 31)),
        ("31-03-2024", dt.date(2024, 3, 31)),
        (" 29/02/2024 ", dt.date(2024, 2, 29)),
        ("29-02-2023", None),
        ("31/04/2024", None),
        ("2024/03/31", None),
        ("31 March 2024", None),
        ("", None),
    ],
)
def test_one_set_of_date_formats(text, expected):
    assert parse_date(text) == expected


def test_file_level_problems_name_the_whole_file():
    assert (refused("x.csv", b"").line, refused("x.csv", b"").message) == (0, "The file is empty")
    assert refused("x.csv", b"\n\n").message == "The file is empty"
    assert refused("x.pdf", b"%PDF").message == "The file must be a CSV or an XLSX file"
    assert "UTF-8" in refused("x.csv", "café,\n".encode("utf-16")).message
    assert refused("x.xlsx", b"PK not really a zip").message == "The file could not be read as an XLSX workbook"
    too_big = refused("x.csv", b"a\n" + b"x\n" * 600_000)
    assert (too_big.line, too_big.message) == (0, "The file must be smaller than 1 MB: split it into smaller files")


def test_a_blank_first_line_above_data_is_not_a_header():
    problem = refused("x.csv", b",\nP1,2024-01-01\n")
    assert (problem.line, problem.message) == (1, "The first line must be the header row, naming the columns")


def test_a_column_named_twice_is_refused():
    problem = refused("x.csv", b"crn,CRN\nX000001,X000002\n")
    assert (problem.line, problem.message) == (
        1,
        "The column crn is in the header row more than once: keep one of them",
    )


def test_more_rows_than_the_limit_are_refused_at_the_first_row_over_it():
    content = b"a\n" + b"".join(f"{n}\n".encode() for n in range(4))
    problem = refused("x.csv", content, max_rows=3)
    assert (problem.line, problem.message) == (5, "The file has more than 3 rows: split it into smaller files")
    assert len(read_table("x.csv", content, max_bytes=1024, max_rows=4).rows) == 4


def test_more_xlsx_rows_than_the_limit_are_refused():
    problem = refused("x.xlsx", xlsx(["a"], *[[n] for n in range(4)]), max_rows=3)
    assert (problem.line, problem.message) == (5, "The file has more than 3 rows: split it into smaller files")


def test_a_value_over_the_cell_limit_names_its_row():
    # The csv module stops at its own limit before the cell is split from its row, so no column here.
    long_value = "x" * (tabular.MAX_CELL_CHARS + 1)
    problem = refused("x.csv", f"crn,notes\nX000001,ok\nX000002,{long_value}\n".encode(), max_bytes=10**6)
    assert problem.line == 3
    assert problem.message.startswith("A value is longer than 128 KiB") and long_value not in problem.message


def test_a_quote_left_open_is_a_value_over_the_limit():
    rows = "".join(f"P{n},X{n:06d}\n" for n in range(10_000))
    problem = refused("x.csv", ('ref,crn\nP0,"X000001\n' + rows).encode(), max_bytes=10**6)
    assert problem.line == 2 and problem.message.startswith("A value is longer than 128 KiB")


def test_a_value_of_exactly_the_limit_is_read():
    value = "x" * tabular.MAX_CELL_CHARS
    assert read_table("x.csv", f"a\n{value}\n".encode(), **LIMITS).rows[0].cells == {"a": value}


def test_a_nul_character_is_refused_with_its_row_and_column():
    problem = refused("x.csv", b"ref,crn\nP1,X000001\nP2,X\x00000002\n")
    assert (problem.line, problem.column) == (3, "crn")
    assert problem.message == "The line has a NUL character: save the file as a CSV in UTF-8"


def test_row_numbers_count_records_as_a_spreadsheet_shows_them():
    table = read_table("x.csv", b'ref,notes\nP1,"two\nlines"\nP2,one\n', **LIMITS)
    assert [(r.line, r.cells["ref"]) for r in table.rows] == [(2, "P1"), (3, "P2")]
