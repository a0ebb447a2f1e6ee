"""Import CAS3 placements recorded outside the service from CSV or XLSX.

Every row is checked before anything is written; all problems are reported at once with their line
numbers, and a file with any problem changes nothing. Re-importing a reference updates that record.
Limits, each refused with its own message: MAX_BYTES a file, MAX_ROWS rows, and `cas.core.tabular`'s
limit on a value; the file is read, and its dates parsed, by `cas.core.tabular` as for the estate import.
"""

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.db import transaction

from cas.core import audit, faults, tabular
from cas.core.errors import DomainError
from cas.core.permissions import Permission, check
from cas.reference.models import MoveOnCategory, ProbationRegion
from cas.reporting.models import ManualPlacement, PlacementImport

COLUMNS = (
    "placement_reference",
    "crn",
    "probation_region",
    "gender_identity",
    "sex",
    "start_date",
    "end_date",
    "move_on_category",
    "source",
)
GENDER_IDENTITIES = ("Male", "Female", "Transgender Male", "Transgender Female", "Non-binary", "Transgender")
SEXES = ("Male", "Female")
SOURCES = ("manual", "digital")
CRN = re.compile(r"^[A-Za-z][0-9]{6}$")
MAX_ROWS = 500_000
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


class ImportRejected(DomainError):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        count = len(errors)
        super().__init__(
            f"The file has {count} problem{'s' if count != 1 else ''}. Nothing was imported.", code="import_rejected"
        )


def _key(text: str) -> str:
    """Compare names ignoring case, spacing and typographic quotes and dashes."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").replace("–", "-")
    text = text.replace("—", "-")
    return " ".join(text.split()).casefold()


@dataclass
class ParsedRow:
    line: int
    placement_reference: str
    crn: str
    region: ProbationRegion
    gender_identity: str
    sex: str
    start_date: dt.date
    end_date: dt.date | None
    move_on_category: MoveOnCategory | None
    source: str


def _shown(value: str) -> str:
    """A cell's value quoted in a message, cut short: a message must not repeat a whole long value."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


def parse(file_name: str, content: bytes) -> list[ParsedRow]:
    try:
        table = tabular.read_table(file_name, content, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    except tabular.TableRefused as refused:
        # A problem with the whole file is shown on line 1, like a problem with the header row.
        raise ImportRejected([RowError(max(refused.line, 1), refused.message)]) from None
    missing = [c for c in COLUMNS if c not in table.header]
    if missing:
        raise ImportRejected(
            [RowError(1, f"The header row is missing the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")]
        )

    regions = {_key(r.name): r for r in ProbationRegion.objects.all()}
    categories = {_key(c.name): c for c in MoveOnCategory.objects.for_service("cas3")}
    # Files exported from NDelius may still use a category's first name, which its key is made from.
    for c in MoveOnCategory.objects.for_service("cas3"):
        categories.setdefault(_key(c.key.split(":", 1)[1].rsplit(":", 1)[0]), c)
    identities = {_key(g): g for g in GENDER_IDENTITIES}
    sexes = {_key(s): s for s in SEXES}

    errors: list[RowError] = []
    rows: list[ParsedRow] = []
    first_line_of: dict[str, int] = {}
    for row in table.rows:
        line, cells = row.line, row.cells
        problems = []

        reference = cells["placement_reference"]
        if not reference:
            problems.append("placement_reference is empty")
        elif len(reference) > 100:
            problems.append("placement_reference must be 100 characters or fewer")
        elif reference in first_line_of:
            problems.append(f"placement_reference {reference} is also on line {first_line_of[reference]}")
        else:
            first_line_of[reference] = line

        crn = cells["crn"]
        if not CRN.match(crn):
            problems.append(f"crn {_shown(crn)} must be one letter then six digits, like X320741")

        region = regions.get(_key(cells["probation_region"]))
        if region is None:
            problems.append(f"probation_region {_shown(cells['probation_region'])} is not a probation region")

        gender_identity = ""
        if cells["gender_identity"]:
            gender_identity = identities.get(_key(cells["gender_identity"]), "")
            if not gender_identity:
                problems.append(
                    f"gender_identity {_shown(cells['gender_identity'])} must be one of {', '.join(GENDER_IDENTITIES)}, "
                    "or empty"
                )
        sex = ""
        if cells["sex"]:
            sex = sexes.get(_key(cells["sex"]), "")
            if not sex:
                problems.append(f"sex {_shown(cells['sex'])} must be Male, Female or empty")

        start = end = None
        if not cells["start_date"]:
            problems.append("start_date is empty")
        else:
            start = tabular.parse_date(cells["start_date"])
            if start is None:
                problems.append(
                    f"start_date {_shown(cells['start_date'])} must be a real date as {tabular.DATE_FORMATS_TEXT}"
                )
        if cells["end_date"]:
            end = tabular.parse_date(cells["end_date"])
            if end is None:
                problems.append(
                    f"end_date {_shown(cells['end_date'])} must be a real date as {tabular.DATE_FORMATS_TEXT}"
                )
        if start and end and end < start:
            problems.append("end_date must not be before start_date")

        category = None
        if cells["move_on_category"]:
            category = categories.get(_key(cells["move_on_category"]))
            if category is None:
                problems.append(f"move_on_category {_shown(cells['move_on_category'])} is not a CAS3 move-on category")
            elif not cells["end_date"]:
                problems.append("move_on_category is given but end_date is empty: an outcome needs the stay to end")

        source = cells["source"].lower()
        if source not in SOURCES:
            problems.append(f"source {_shown(cells['source'])} must be manual or digital")

        if problems:
            errors.extend(RowError(line, p) for p in problems)
            continue
        rows.append(ParsedRow(line, reference, crn.upper(), region, gender_identity, sex, start, end, category, source))

    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(2, "The file has a header row but no placements")])
    return rows


FIELDS = ("crn", "region_id", "gender_identity", "sex", "start_date", "end_date", "move_on_category_id", "source")


@transaction.atomic
def import_placements(actor, file_name: str, content: bytes) -> PlacementImport:
    # Statisticians only (reporters read and change nothing); no actor is the management command.
    if actor is not None:
        check(actor, Permission.PLACEMENTS_IMPORT)
    rows = parse(file_name, content)
    existing = {
        p.placement_reference: p
        for p in ManualPlacement.objects.select_for_update().filter(
            placement_reference__in=[r.placement_reference for r in rows]
        )
    }
    record = PlacementImport.objects.create(
        imported_by=actor if getattr(actor, "pk", None) else None,
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(content).hexdigest(),
        rows_total=len(rows),
        rows_added=0,
        rows_updated=0,
        rows_unchanged=0,
    )
    to_create, to_update = [], []
    for row in rows:
        values = {
            "crn": row.crn,
            "region_id": row.region.pk,
            "gender_identity": row.gender_identity,
            "sex": row.sex,
            "start_date": row.start_date,
            "end_date": row.end_date,
            "move_on_category_id": row.move_on_category.pk if row.move_on_category else None,
            "source": row.source,
        }
        current = existing.get(row.placement_reference)
        if current is None:
            to_create.append(ManualPlacement(placement_reference=row.placement_reference, last_import=record, **values))
        elif any(getattr(current, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(current, f, v)
            current.last_import = record
            to_update.append(current)
    ManualPlacement.objects.bulk_create(to_create, batch_size=2000)
    ManualPlacement.objects.bulk_update(to_update, [*FIELDS, "last_import", "updated_at"], batch_size=2000)
    record.rows_added = len(to_create)
    record.rows_updated = len(to_update)
    record.rows_unchanged = len(rows) - len(to_create) - len(to_update)
    record.save(update_fields=["rows_added", "rows_updated", "rows_unchanged"])
    audit.record_change(
        actor,
        "placements.imported",
        record,
        before=None,
        after={
            "file": record.file_name,
            "added": record.rows_added,
            "updated": record.rows_updated,
            "unchanged": record.rows_unchanged,
        },
        service="cas3",
    )
    faults.pause_point("placements.import")  # tests only: every row written, nothing committed yet
    return record
