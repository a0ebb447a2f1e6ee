"""Bulk import of properties and bedspaces from a CSV or XLSX file (one line per bedspace).

1. Read the file (CSV in UTF-8, or the first sheet of an XLSX workbook); line 1 is the header.
2. Check every line and collect every problem, each with its line number.
3. Only when there are no problems, write everything in one transaction through the services (so
   the same rules and audit apply as on screen). Anything refused there rolls the whole file back.

Importing the same file again changes nothing: properties are matched on PDU and reference,
bedspaces on property and reference (ignoring case), and unchanged records are not written.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font

from cas.core import clock, tabular
from cas.core.dates import long_date
from cas.core.errors import DomainError
from cas.core.permissions import Permission, check, has_national_scope
from cas.core.tiers import Service
from cas.premises import services
from cas.premises.models import Bedspace, Premises
from cas.reference.models import Characteristic, LocalAuthorityArea, ProbationDeliveryUnit, ProbationRegion

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
LIST_SEPARATOR = ";"

# The estate import reads CAS3's spreadsheet layout and characteristics: it adds CAS3 properties.
IMPORTED_SERVICE = Service.CAS3


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    description: str
    example: str
    property_level: bool = True


COLUMNS: tuple[Column, ...] = (
    Column(
        "property_reference",
        "Property reference",
        True,
        "How your team refers to the property. Unique within its PDU (capital letters do not matter). "
        "Repeat it on every line for the property's bedspaces.",
        "12 Acacia Road",
    ),
    Column(
        "pdu",
        "Probation delivery unit (PDU)",
        True,
        "The PDU's name or Delius code, from your region (see the allowed values).",
        "Liverpool South",
    ),
    Column(
        "local_authority",
        "Local authority",
        False,
        "The local authority's name or ONS code (see the allowed values). Leave empty if not known.",
        "Liverpool",
    ),
    Column("address_line_1", "Address line 1", True, "The first line of the address.", "12 Acacia Road"),
    Column("address_line_2", "Address line 2", False, "The second line of the address, if there is one.", ""),
    Column("town", "Town or city", False, "The town or city.", "Liverpool"),
    Column("postcode", "Postcode", True, "A UK postcode, with or without the space.", "L8 1AB"),
    Column(
        "property_characteristics",
        "Property characteristics",
        False,
        "Names from the list of property characteristics, separated by semicolons.",
        "Women only; Single occupancy",
    ),
    Column(
        "turnaround_working_days",
        "Turnaround (working days)",
        False,
        "Working days needed between one person leaving and the next arriving: a whole number, 0 or more. "
        "Empty means 2.",
        "2",
    ),
    Column("property_notes", "Property notes", False, "Anything that helps find a suitable bedspace.", ""),
    Column(
        "bedspace_reference",
        "Bedspace reference",
        True,
        "At least 3 characters, with a letter or number; unique within the property.",
        "Room 1",
        property_level=False,
    ),
    Column(
        "bedspace_start_date",
        "Bedspace start date",
        True,
        "The date the bedspace came (or comes) into service, as 2026-03-31, 31/03/2026 or 31-03-2026. Any past date, "
        f"or up to {services.BEDSPACE_START_DAYS} days from today.",
        "2024-04-01",
        property_level=False,
    ),
    Column(
        "bedspace_characteristics",
        "Bedspace characteristics",
        False,
        "Names from the list of bedspace characteristics, separated by semicolons.",
        "Wheelchair accessible; Shared kitchen",
        property_level=False,
    ),
    Column("bedspace_notes", "Bedspace notes", False, "Anything else about the bedspace.", "", property_level=False),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
PROPERTY_KEYS = tuple(c.key for c in COLUMNS if c.property_level)
_BY_LABEL = {tabular.header_key(c.label): c.key for c in COLUMNS}


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Line {self.line}" if self.line else "The file"
        column = f" ({self.column.replace('_', ' ')})" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    lines: int = 0
    created_premises: int = 0
    updated_premises: int = 0
    unchanged_premises: int = 0
    created_bedspaces: int = 0
    updated_bedspaces: int = 0
    unchanged_bedspaces: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> bool:
        return bool(self.created_premises or self.updated_premises or self.created_bedspaces or self.updated_bedspaces)


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


# Reading ---------------------------------------------------------------------------------------


def read_file(name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """The lines of a CSV or XLSX file as (line number, {column key: text}). Raises ImportRefused."""
    try:
        table = tabular.read_table(
            name, content, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, aliases=_BY_LABEL, sheet="Bedspaces"
        )
    except tabular.TableRefused as refused:
        raise ImportRefused([Problem(refused.line, refused.column, refused.message)]) from None
    problems = []
    unknown = [h for h in table.header if h and h not in COLUMN_KEYS]
    if unknown:
        problems.append(Problem(1, "", f"Unknown columns: {', '.join(unknown)}. Use the columns in the template"))
    missing = [c.key for c in COLUMNS if c.required and c.key not in table.header]
    if missing:
        problems.append(Problem(1, "", f"Missing columns: {', '.join(missing)}. Use the columns in the template"))
    if problems:
        raise ImportRefused(problems)
    if not table.rows:
        raise ImportRefused([Problem(0, "", "The file has no bedspaces. Add one line for each bedspace")])
    return [(row.line, row.cells) for row in table.rows]


# Checking --------------------------------------------------------------------------------------


@dataclass
class BedspaceLine:
    line: int
    reference: str
    start_date: dt.date
    characteristics: list
    notes: str


@dataclass
class PropertyPlan:
    line: int
    values: dict
    raw: dict
    bedspaces: list[BedspaceLine] = field(default_factory=list)


class _Lookups:
    """Reference data loaded once, so checking 1,000 lines takes a handful of queries."""

    def __init__(self, regions: list[ProbationRegion] | None):
        pdus = ProbationDeliveryUnit.objects.active().select_related("region")
        if regions is not None:
            pdus = pdus.filter(region__in=regions)
        self.pdus: dict[str, ProbationDeliveryUnit] = {}
        for unit in pdus:
            self.pdus[unit.delius_code.lower()] = unit
            self.pdus[unit.name.lower()] = unit
        self.local_authorities: dict[str, LocalAuthorityArea] = {}
        for area in LocalAuthorityArea.objects.active():
            self.local_authorities[area.identifier.lower()] = area
            self.local_authorities.setdefault(area.name.lower(), area)
        self.characteristics: dict[tuple[str, str], Characteristic] = {
            (c.model_scope, c.name.lower()): c for c in Characteristic.objects.active().for_service(IMPORTED_SERVICE)
        }

    def characteristic_list(self, text: str, scope: str) -> tuple[list[Characteristic], list[str]]:
        found, unknown = [], []
        for name in (n.strip() for n in text.split(LIST_SEPARATOR)):
            if not name:
                continue
            item = self.characteristics.get((scope, name.lower()))
            (found.append(item) if item else unknown.append(name))
        return sorted(set(found), key=lambda c: c.pk), unknown


def _check_property(number: int, row: dict, lookups: _Lookups, region_names: str, problems: list) -> dict | None:
    values: dict = {}

    def problem(column: str, message: str):
        problems.append(Problem(number, column, message))

    try:
        values["reference"] = services.clean_reference(row.get("property_reference", ""), what="property")
    except DomainError as exc:
        problem("property_reference", exc.message)
    pdu_text = row.get("pdu", "")
    unit = lookups.pdus.get(pdu_text.lower()) if pdu_text else None
    if not pdu_text:
        problem("pdu", "Enter the PDU")
    elif unit is None:
        problem("pdu", f"There is no PDU called {pdu_text} in {region_names}")
    else:
        values["pdu"], values["region"] = unit, unit.region
    la_text = row.get("local_authority", "")
    values["local_authority"] = None
    if la_text:
        values["local_authority"] = lookups.local_authorities.get(la_text.lower())
        if values["local_authority"] is None:
            problem("local_authority", f"There is no local authority called {la_text}")
    values["address_line1"] = row.get("address_line_1", "").strip()
    if not values["address_line1"]:
        problem("address_line_1", "Enter the first line of the address")
    values["address_line2"] = row.get("address_line_2", "").strip()
    values["town"] = row.get("town", "").strip()
    try:
        values["postcode"] = services.normalise_postcode(row.get("postcode", ""))
    except DomainError as exc:
        problem("postcode", exc.message)
    chosen, unknown = lookups.characteristic_list(row.get("property_characteristics", ""), "premises")
    values["characteristics"] = chosen
    if unknown:
        problem("property_characteristics", f"Unknown property characteristics: {', '.join(unknown)}")
    turnaround = row.get("turnaround_working_days", "").strip()
    if not turnaround:
        values["turnaround_working_days"] = 2
    elif not (turnaround.isascii() and turnaround.isdigit() and len(turnaround) <= 4) or (
        int(turnaround) > services.MAX_TURNAROUND_DAYS
    ):  # ASCII only: isdigit() also takes "²", which int() refuses
        problem("turnaround_working_days", "Enter the turnaround as a whole number of working days, 0 or more")
    else:
        values["turnaround_working_days"] = int(turnaround)
    values["notes"] = row.get("property_notes", "").strip()
    # With a reference and a PDU the line still joins its property, so later lines are compared
    # with it; any problem means nothing is written anyway.
    return values if "reference" in values and "pdu" in values else None


def _check_bedspace(number: int, row: dict, lookups: _Lookups, today: dt.date, problems: list):
    ok = True
    reference = start = None
    try:
        reference = services.clean_reference(row.get("bedspace_reference", ""), what="bedspace", minimum=3)
    except DomainError as exc:
        ok = False
        problems.append(Problem(number, "bedspace_reference", exc.message))
    start_text = row.get("bedspace_start_date", "")
    latest = today + dt.timedelta(days=services.BEDSPACE_START_DAYS)
    if not start_text:
        ok = False
        problems.append(Problem(number, "bedspace_start_date", "Enter the bedspace start date"))
    else:
        start = tabular.parse_date(start_text)
        if start is None:
            ok = False
            problems.append(
                Problem(number, "bedspace_start_date", f"Enter a real date, like 31/03/2026 (not {start_text})")
            )
        elif start > latest:
            ok = False
            problems.append(
                Problem(number, "bedspace_start_date", f"The start date must be {long_date(latest)} or earlier")
            )
    chosen, unknown = lookups.characteristic_list(row.get("bedspace_characteristics", ""), "bedspace")
    if unknown:
        ok = False
        problems.append(
            Problem(number, "bedspace_characteristics", f"Unknown bedspace characteristics: {', '.join(unknown)}")
        )
    if not ok:
        return None
    return BedspaceLine(number, reference, start, chosen, row.get("bedspace_notes", "").strip())


def _same(name: str, new, current) -> bool:
    if name == "characteristics":
        return sorted(c.pk for c in new) == sorted(c.pk for c in current)
    return new == current


def _premises_values(premises: Premises) -> dict:
    return {
        "reference": premises.reference,
        "pdu": premises.pdu,
        "region": premises.region,
        "local_authority": premises.local_authority,
        "address_line1": premises.address_line1,
        "address_line2": premises.address_line2,
        "town": premises.town,
        "postcode": premises.postcode,
        "characteristics": list(premises.characteristics.all()),
        "turnaround_working_days": premises.turnaround_working_days,
        "notes": premises.notes,
    }


def _allowed_regions(actor, region: ProbationRegion | None) -> list[ProbationRegion] | None:
    if actor is None:
        if region is None:
            raise ValueError("Importing as the system needs a region")
        return [region]
    check(actor, Permission.ESTATE_MANAGE)
    if has_national_scope(actor):
        return None
    return [actor.region]


def plan(actor, rows, *, region: ProbationRegion | None = None) -> tuple[list[PropertyPlan], list[Problem]]:
    """Check every line; return the properties to write, grouped, and every problem found."""
    regions = _allowed_regions(actor, region)
    region_names = " or ".join(r.name for r in regions) if regions else "England and Wales"
    lookups = _Lookups(regions)
    today = clock.today()
    problems: list[Problem] = []
    properties: dict[tuple, PropertyPlan] = {}
    seen_bedspaces: dict[tuple, int] = {}
    flagged: set[tuple[int, str]] = set()
    for number, row in rows:
        before = len(problems)
        values = _check_property(number, row, lookups, region_names, problems)
        bedspace = _check_bedspace(number, row, lookups, today, problems)
        flagged.update((p.line, p.column) for p in problems[before:])
        if values is None:
            continue
        key = (values["pdu"].pk, values["reference"].lower())
        existing = properties.get(key)
        if existing is None:
            existing = properties[key] = PropertyPlan(number, values, row)
        else:
            for column in PROPERTY_KEYS:
                if column in ("property_reference", "pdu"):
                    continue
                if (existing.line, column) in flagged or (number, column) in flagged:
                    continue  # already reported; comparing would only repeat it
                if _normal(row.get(column, ""), column) != _normal(existing.raw.get(column, ""), column):
                    problems.append(
                        Problem(
                            number,
                            column,
                            f"This is different from line {existing.line} for property {values['reference']}. "
                            "Give the property the same details on every line",
                        )
                    )
        if bedspace is None:
            continue
        bedspace_key = (*key, bedspace.reference.lower())
        if bedspace_key in seen_bedspaces:
            problems.append(
                Problem(
                    number,
                    "bedspace_reference",
                    f"Bedspace {bedspace.reference} is already on line {seen_bedspaces[bedspace_key]} "
                    f"for property {values['reference']}",
                )
            )
            continue
        seen_bedspaces[bedspace_key] = number
        existing.bedspaces.append(bedspace)
    problems.extend(_check_against_database(list(properties.values())))
    return list(properties.values()), sorted(
        problems, key=lambda p: (p.line, COLUMN_KEYS.index(p.column) if p.column in COLUMN_KEYS else -1)
    )


def _normal(text: str, column: str) -> str:
    text = (text or "").strip()
    if column == "postcode":
        return re.sub(r"\s+", "", text).upper()
    if column.endswith("characteristics"):
        return ";".join(sorted(n.strip().lower() for n in text.split(LIST_SEPARATOR) if n.strip()))
    if column == "turnaround_working_days":
        return text or "2"
    return text.lower() if column in ("local_authority",) else text


def _existing(plans: list[PropertyPlan]) -> dict[tuple, Premises]:
    pdus = {p.values["pdu"].pk for p in plans}
    found = {}
    for premises in (
        Premises.objects.filter(pdu_id__in=pdus)
        .select_related("pdu", "region", "local_authority")
        .prefetch_related("characteristics", "bedspaces__characteristics")
    ):
        found[(premises.pdu_id, premises.reference.lower())] = premises
    return found


def _check_against_database(plans: list[PropertyPlan]) -> list[Problem]:
    problems = []
    existing = _existing(plans)
    today = clock.today()
    for item in plans:
        premises = existing.get((item.values["pdu"].pk, item.values["reference"].lower()))
        if premises is None:
            continue
        bedspaces = {b.reference.lower(): b for b in premises.bedspaces.all()}
        for line in item.bedspaces:
            current = bedspaces.get(line.reference.lower())
            if current is None:
                if premises.end_date is not None and premises.end_date <= today:
                    problems.append(
                        Problem(
                            line.line,
                            "bedspace_reference",
                            f"Property {premises.reference} is archived. Bring it back online before adding bedspaces",
                        )
                    )
            elif current.start_date != line.start_date:
                problems.append(
                    Problem(
                        line.line,
                        "bedspace_start_date",
                        f"Bedspace {current.reference} already exists with the start date "
                        f"{long_date(current.start_date)}. Use that date, or change it in the service",
                    )
                )
    return problems


# Writing ---------------------------------------------------------------------------------------


def _apply(actor, plans: list[PropertyPlan], result: Result) -> None:
    existing = _existing(plans)
    for item in plans:
        premises = existing.get((item.values["pdu"].pk, item.values["reference"].lower()))
        try:
            if premises is None:
                first_start = min([line.start_date for line in item.bedspaces], default=clock.today())
                premises = services.create_premises(
                    actor, **item.values, service=IMPORTED_SERVICE, start_date=min(first_start, clock.today())
                )
                result.created_premises += 1
                current_bedspaces = {}
            else:
                current = _premises_values(premises)
                changes = {k: v for k, v in item.values.items() if not _same(k, v, current[k])}
                if changes:
                    premises = services.update_premises(actor, premises, **changes)
                    result.updated_premises += 1
                else:
                    result.unchanged_premises += 1
                current_bedspaces = {b.reference.lower(): b for b in premises.bedspaces.all()}
        except DomainError as exc:
            raise ImportRefused([Problem(item.line, exc.field or "", exc.message)]) from None
        for line in item.bedspaces:
            bedspace: Bedspace | None = current_bedspaces.get(line.reference.lower())
            try:
                if bedspace is None:
                    services.create_bedspace(
                        actor,
                        premises,
                        reference=line.reference,
                        start_date=line.start_date,
                        characteristics=line.characteristics,
                        notes=line.notes,
                        onboarding=True,
                    )
                    result.created_bedspaces += 1
                    continue
                same = (
                    bedspace.reference == line.reference
                    and bedspace.notes == line.notes
                    and sorted(c.pk for c in bedspace.characteristics.all()) == [c.pk for c in line.characteristics]
                )
                if same:
                    result.unchanged_bedspaces += 1
                    continue
                services.update_bedspace(
                    actor,
                    bedspace,
                    reference=line.reference,
                    characteristics=line.characteristics,
                    notes=line.notes,
                )
                result.updated_bedspaces += 1
            except DomainError as exc:
                raise ImportRefused([Problem(line.line, exc.field or "", exc.message)]) from None


def import_rows(actor, rows, *, region: ProbationRegion | None = None, dry_run: bool = False) -> Result:
    """Check and (unless `dry_run`, and only when every line is right) write the lines."""
    result = Result(lines=len(rows), dry_run=dry_run)
    plans, problems = plan(actor, rows, region=region)
    if problems:
        result.problems = problems
        return result
    try:
        with transaction.atomic():
            _apply(actor, plans, result)
            if dry_run:
                transaction.set_rollback(True)
    except ImportRefused as refused:
        return Result(problems=refused.problems, lines=len(rows), dry_run=dry_run)
    return result


def import_file(actor, name: str, content: bytes, *, region=None, dry_run: bool = False) -> Result:
    try:
        rows = read_file(name, content)
    except ImportRefused as refused:
        return Result(problems=refused.problems, dry_run=dry_run)
    return import_rows(actor, rows, region=region, dry_run=dry_run)


# Templates -------------------------------------------------------------------------------------


def template_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow(COLUMN_KEYS)
    return out.getvalue().encode("utf-8-sig")


def allowed_values(regions: list[ProbationRegion] | None) -> dict[str, list[str]]:
    pdus = ProbationDeliveryUnit.objects.active().select_related("region").order_by("region__name", "name")
    if regions is not None:
        pdus = pdus.filter(region__in=regions)
    chars = Characteristic.objects.active().for_service(IMPORTED_SERVICE).order_by("name")
    return {
        "pdu": [f"{u.name} ({u.delius_code})" for u in pdus],
        "property_characteristics": [c.name for c in chars if c.model_scope == "premises"],
        "bedspace_characteristics": [c.name for c in chars if c.model_scope == "bedspace"],
        "local_authority": [f"{a.name} ({a.identifier})" for a in LocalAuthorityArea.objects.active().order_by("name")],
    }


def template_xlsx(regions: list[ProbationRegion] | None) -> bytes:
    """A workbook with the header to fill in, the data dictionary and the allowed values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bedspaces"
    sheet.append(list(COLUMN_KEYS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(16, len(column.key) + 4)
    dictionary = workbook.create_sheet("Data dictionary")
    dictionary.append(["Column", "Name", "Required", "What to enter", "Example"])
    for column in COLUMNS:
        dictionary.append(
            [column.key, column.label, "Yes" if column.required else "No", column.description, column.example]
        )
    for cell in dictionary[1]:
        cell.font = Font(bold=True)
    values = allowed_values(regions)
    allowed = workbook.create_sheet("Allowed values")
    headings = ["pdu", "local_authority", "property_characteristics", "bedspace_characteristics"]
    allowed.append(headings)
    longest = max(len(values[h]) for h in headings)
    for i in range(longest):
        allowed.append([values[h][i] if i < len(values[h]) else None for h in headings])
    for cell in allowed[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
