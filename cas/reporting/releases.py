"""Freezing published statistics and finding revisions since the latest release."""

from dataclasses import dataclass

from django.db import transaction

from cas.core import audit
from cas.core.errors import DomainError
from cas.core.permissions import Permission, check
from cas.reporting.models import StatisticsRelease
from cas.reporting.spreadsheets import workbook
from cas.reporting.statistics import Table

VALUE_COLUMNS = {"placements", "outcomes", "percentage"}
NOTES = (
    "A placement is a stay that started: a booking with an arrival in the service, or a placement recorded "
    "outside it (the manual route in Wales and records from before the digital service).",
    "Performance years run from 1 April to 31 March. Placements count in the year they started; outcomes in "
    "the year the stay ended.",
    "Gender is taken from gender identity, or from sex where gender identity is not recorded. Transgender men "
    "count as male and transgender women as female; non-binary people and people whose gender is not recorded "
    "count as other.",
    "Outcomes of stays that ended because the person died are not included in outcome figures or totals.",
    "Percentages are rounded half up to one decimal place and may not add up to 100.",
)


@dataclass(frozen=True)
class Revision:
    table: str
    key: tuple
    column: str
    published: object
    now: object

    def __str__(self) -> str:
        return f"{self.table} {' / '.join(map(str, self.key))} {self.column}: {self.published} -> {self.now}"


def _indexed(table_name: str, columns, rows) -> dict:
    key_columns = [i for i, c in enumerate(columns) if c not in VALUE_COLUMNS]
    value_columns = [(i, c) for i, c in enumerate(columns) if c in VALUE_COLUMNS]
    return {tuple(row[i] for i in key_columns): {c: row[i] for i, c in value_columns} for row in rows}


def _serialise(tables: list[Table]) -> dict:
    return {t.name: {"columns": list(t.columns), "rows": [list(r) for r in t.rows]} for t in tables}


def revisions(published: dict, tables: list[Table]) -> list[Revision]:
    changes = []
    for table in tables:
        old = published.get(table.name, {"columns": list(table.columns), "rows": []})
        before = _indexed(table.name, old["columns"], old["rows"])
        after = _indexed(table.name, table.columns, table.rows)
        for key in sorted(set(before) | set(after)):
            for column in sorted(set(before.get(key, {})) | set(after.get(key, {}))):
                was, now = before.get(key, {}).get(column), after.get(key, {}).get(column)
                if was != now:
                    changes.append(Revision(table.name, key, column, was, now))
    return changes


def revisions_since_latest(tables: list[Table]) -> tuple[str, list[Revision]] | None:
    latest = StatisticsRelease.objects.first()
    if latest is None:
        return None
    return latest.name, revisions(latest.tables, tables)


@transaction.atomic
def freeze(actor, name: str, tables: list[Table]) -> StatisticsRelease:
    # Statisticians only (reporters read and change nothing); no actor is the management command.
    if actor is not None:
        check(actor, Permission.STATISTICS_PUBLISH)
    name = name.strip()
    if not name:
        raise DomainError("Enter a name for the release", field="name")
    if StatisticsRelease.objects.filter(name__iexact=name).exists():
        raise DomainError(f"There is already a release called {name}", field="name")
    release = StatisticsRelease.objects.create(
        name=name, published_by=actor if getattr(actor, "pk", None) else None, tables=_serialise(tables)
    )
    audit.record_change(actor, "statistics.released", release, before=None, after={"name": name}, service="cas3")
    return release


def workbook_for(tables: list[Table]) -> bytes:
    return workbook(
        tables,
        title="Community Accommodation Service Tier 3 (CAS3): official statistics tables",
        cover_lines=[
            (
                "About these tables",
                "Placements in CAS3 transitional accommodation and the move-on outcomes of people "
                "leaving it, by probation region, gender and performance year.",
            ),
            ("Source", "The Community Accommodation Service, with placements recorded outside the service."),
            ("Notes", "The Notes sheet explains how placements, genders and outcomes are counted."),
        ],
        notes=NOTES,
    )
