"""Reading an uploaded table: a CSV (UTF-8) or the first sheet of an XLSX workbook, for every import.

`read_table` turns the bytes into rows of text keyed by the normalised header, each with its row number
as a spreadsheet shows it (the header is row 1; blank rows are skipped but keep their numbers). A file
that cannot be read raises `TableRefused` naming the row (0: the whole file) and, where there is one,
the column; each import shows it in its own list of problems. The limits on bytes and rows are the
import's own; a value's length and NUL characters are limited the same way for every import.
`parse_date` reads a date cell the same way for every import.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from openpyxl import load_workbook

# 128 KiB, the csv module's own limit (past it, it raises csv.Error): no column of any import needs a
# hundredth of it, so a longer value means a quote left open or the wrong file.
MAX_CELL_CHARS = 128 * 1024
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
DATE_FORMATS_TEXT = "YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY"
_MEGABYTE = 1024 * 1024


class TableRefused(Exception):
    """The file cannot be read as a table; `line` 0 means the whole file."""

    def __init__(self, line: int, message: str, column: str = ""):
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: list[Row]


def header_key(text, aliases: dict[str, str] | None = None) -> str:
    """`Start date`, ` start_date ` and `START-DATE` all name the column `start_date`; `aliases` maps
    other names (an import's readable labels) to a column."""
    slug = re.sub(r"[^a-z0-9]+", "_", str(text or "").strip().lower()).strip("_")
    return (aliases or {}).get(slug, slug)


def cell_text(value) -> str:
    """A cell as text: XLSX dates as YYYY-MM-DD (a time of day is dropped), whole numbers without `.0`."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(text: str) -> dt.date | None:
    """A date written as YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY (XLSX date cells arrive as the first), or
    None when it is none of them or not a real date."""
    text = (text or "").strip()
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def read_table(
    name: str,
    content: bytes,
    *,
    max_bytes: int,
    max_rows: int,
    aliases: dict[str, str] | None = None,
    sheet: str | None = None,
) -> Table:
    """The table in a CSV or XLSX file (`sheet` if the workbook has it, else its first sheet).

    The kind is decided by the name (`.xlsx`, or `.csv`, `.txt` or no name for CSV) or an XLSX's ZIP
    signature. Raises TableRefused for an empty, too large or unreadable file, a value over
    MAX_CELL_CHARS or with a NUL character, a column named twice, or more than `max_rows` rows.
    """
    if not content:
        raise TableRefused(0, "The file is empty")
    if len(content) > max_bytes:
        raise TableRefused(0, f"The file must be smaller than {max_bytes // _MEGABYTE} MB: split it into smaller files")
    lower = (name or "").lower()
    if lower.endswith(".xlsx") or content[:2] == b"PK":
        records = _xlsx_records(content, sheet)
    elif lower.endswith((".csv", ".txt")) or not lower:
        records = _csv_records(content)
    else:
        raise TableRefused(0, "The file must be a CSV or an XLSX file")
    header: tuple[str, ...] | None = None
    rows: list[Row] = []
    for line, values in records:
        cells = [cell_text(v) for v in values]
        _check_cells(line, cells, header)
        if header is None:
            header = _header(cells, aliases)
            continue
        if not any(cells):
            continue
        if len(rows) == max_rows:
            raise TableRefused(line, f"The file has more than {max_rows:,} rows: split it into smaller files")
        rows.append(Row(line, {key: (cells[i] if i < len(cells) else "") for i, key in enumerate(header) if key}))
    if header is None or not (any(header) or rows):
        raise TableRefused(0, "The file is empty")
    if not any(header):
        raise TableRefused(1, "The first line must be the header row, naming the columns")
    return Table(header, rows)


def _header(cells: list[str], aliases: dict[str, str] | None) -> tuple[str, ...]:
    header = tuple(header_key(c, aliases) for c in cells)
    seen = set()
    for key in header:
        if key and key in seen:
            raise TableRefused(1, f"The column {key} is in the header row more than once: keep one of them")
        seen.add(key)
    return header


def _check_cells(line: int, cells: list[str], header: tuple[str, ...] | None) -> None:
    for i, cell in enumerate(cells):
        column = header[i] if header and i < len(header) else ""
        if len(cell) > MAX_CELL_CHARS:
            raise _too_long(line, column)
        if "\x00" in cell:
            # No database text can hold NUL: a file with one was not saved from a spreadsheet.
            raise TableRefused(line, "The line has a NUL character: save the file as a CSV in UTF-8", column)


def _too_long(line: int, column: str = "") -> TableRefused:
    return TableRefused(
        line,
        f"A value is longer than {MAX_CELL_CHARS // 1024} KiB: check that this is the right file and that every "
        "quote is closed (a quote left open makes the rest of the file one value)",
        column,
    )


def _csv_records(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableRefused(0, "The file must be a CSV saved as UTF-8, or an XLSX workbook") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 0
    while True:
        line += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _too_long(line) from None
            raise TableRefused(
                line, f"The line could not be read as CSV ({exc}): check the quotes on this line"
            ) from None
        yield line, values


def _xlsx_records(content: bytes, sheet: str | None):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for files that are not workbooks
        raise TableRefused(0, "The file could not be read as an XLSX workbook") from None
    try:
        chosen = workbook[sheet] if sheet in workbook.sheetnames else workbook.worksheets[0]
        yield from enumerate(chosen.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()
