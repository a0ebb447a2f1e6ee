"""MI reports: declared once (columns with readable headers and a data dictionary, and a row
generator), generated in the background into a file that streams row by row, so memory does not
grow with the number of rows, and kept for REPORT_RETENTION_HOURS."""

import csv
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.tasks import task
from openpyxl import Workbook

from cas.core import audit, clock, faults, tasks
from cas.core.dates import long_date
from cas.core.errors import DomainError, NotAllowed
from cas.core.permissions import Permission, has_national_scope, may_reach_service
from cas.people import access
from cas.reference.models import ProbationRegion
from cas.reporting.models import ReportRun

log = logging.getLogger(__name__)
PROGRESS_EVERY = 2000
EARLIEST_REPORT_DATE = dt.date(2000, 1, 1)
LATEST_REPORT_DATE = dt.date(2100, 12, 31)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    description: str


@dataclass(frozen=True)
class ReportParams:
    start_date: dt.date
    end_date: dt.date
    region_id: int | None


@dataclass(frozen=True)
class ReportDefinition:
    key: str
    title: str
    description: str
    columns: tuple[Column, ...]
    count: Callable[[ReportParams], int]
    rows: Callable[[ReportParams], Iterator[tuple]]
    # The tier whose records the report reads: only people who may run reports in that tier see it,
    # ask for it or download it (a CAS2 assessor never sees CAS3 figures, nor a CAS3 assessor CAS2's).
    # None for a report that reads no tier's records.
    service: str | None = None


REPORTS: dict[str, ReportDefinition] = {}

# Columns that identify a person, and what a report shows in them for a person the requester may not
# see. Every report with a "crn" column is masked by these, so a new report is masked by declaring
# its columns with these keys.
IDENTIFYING_COLUMNS = {"personName": access.LIMITED_ACCESS, "pncNumber": "", "nomsNumber": "", "dateOfBirth": None}


class _Masker:
    """Masks the people the requester may not see, by the stored copy of the case system's limits
    (people never checked are checked first, in batch; any it cannot answer for stay masked), and
    notes whether the file names, in clear, anyone whom the case system limits."""

    def __init__(self, requester, columns: tuple[Column, ...]):
        keys = [c.key for c in columns]
        self.crn_at = keys.index("crn") if "crn" in keys else None
        self.masks = [(i, IDENTIFYING_COLUMNS[k]) for i, k in enumerate(keys) if k in IDENTIFYING_COLUMNS]
        self.names_limited_people = False
        if self.crn_at is None:
            return
        access.refresh()
        self.hidden = access.hidden_from(requester) | access.unchecked_crns()
        self.limited = access.limited_for_anyone()

    def __call__(self, row: tuple) -> tuple:
        if self.crn_at is None:
            return row
        crn = row[self.crn_at]
        if crn in self.hidden:
            row = list(row)
            for index, value in self.masks:
                row[index] = value
            return tuple(row)
        if crn in self.limited:
            self.names_limited_people = True
        return row


def register(definition: ReportDefinition) -> ReportDefinition:
    if definition.key in REPORTS:
        raise ValueError(f"Report {definition.key} is registered twice")
    REPORTS[definition.key] = definition
    return definition


def may_run(user, definition: ReportDefinition) -> bool:
    """Whether `user` may ask for (and see) this report: they run reports in the tier it reads."""
    return definition.service is None or may_reach_service(user, Permission.REPORTS_RUN, definition.service)


def reports_for(user) -> list[ReportDefinition]:
    """The reports `user` may ask for, in the order the reports page lists them."""
    return [d for d in REPORTS.values() if may_run(user, d)]


def _region_id_for(user, region_id: int | None) -> int | None:
    """Assessors report on their own region only; reporters (national scope) on any or all."""
    if has_national_scope(user):
        return region_id
    if region_id is not None and region_id != user.region_id:
        raise NotAllowed("You can only run reports for your own region.")
    return user.region_id


@transaction.atomic
def request_report(
    user, report_key: str, start_date: dt.date, end_date: dt.date, region_id: int | None, file_format: str
) -> ReportRun:
    if report_key not in REPORTS or not may_run(user, REPORTS[report_key]):
        # Another tier's report is not offered, so asking for one is the same mistake as an unknown one.
        raise DomainError("Select a report", field="report")
    if end_date < start_date:
        raise DomainError("The end date must be the same as or after the start date", field="end_date")
    # Any period in the service's lifetime, however long; the limits only keep date arithmetic
    # (six months ahead, the day after the end) within the calendar.
    if start_date < EARLIEST_REPORT_DATE:
        raise DomainError(f"The start date must be on or after {long_date(EARLIEST_REPORT_DATE)}", field="start_date")
    if end_date > LATEST_REPORT_DATE:
        raise DomainError(f"The end date must be on or before {long_date(LATEST_REPORT_DATE)}", field="end_date")
    if file_format not in ReportRun.Format.values:
        raise DomainError("Select XLSX or CSV", field="file_format")
    if region_id is not None and not ProbationRegion.objects.filter(pk=region_id).exists():
        raise DomainError("Select a probation region from the list", field="region")
    run = ReportRun.objects.create(
        report_key=report_key,
        requested_by=user,
        start_date=start_date,
        end_date=end_date,
        region_id=_region_id_for(user, region_id),
        file_format=file_format,
    )
    audit.record_change(
        user,
        "report.requested",
        run,
        before=None,
        after={
            "report": report_key,
            "from": str(start_date),
            "to": str(end_date),
            "region": str(run.region_id or "all"),
            "format": file_format,
        },
    )
    transaction.on_commit(lambda: generate_report.enqueue(str(run.pk)))
    return run


def report_path(run: ReportRun) -> Path:
    return Path(settings.REPORTS_DIR) / f"{run.pk}.{run.file_format}"


def _set(run_id, **fields) -> None:
    # Progress is written in its own short transaction so pages polling it see it move.
    ReportRun.objects.filter(pk=run_id).update(**fields)


class _ProgressWriter:
    """Writes rows_written while the rows still stream from an open read on the default connection.
    On SQLite that reading connection may not write once any other connection (the worker renewing its
    lease, people using the service) has written since the read began ("database is locked", and the
    report fails), so progress goes through a connection of its own."""

    def __init__(self, run_id):
        self.connection = connections.create_connection("default")
        self.run_id = run_id
        self.sql = "UPDATE reporting_reportrun SET rows_written = %s WHERE id = %s"

    def __call__(self, written: int) -> None:
        key = ReportRun._meta.pk.get_db_prep_value(self.run_id, self.connection)
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(self.sql, [written, key])
        except DatabaseError:
            # Progress is only a hint for the page that polls it: never fail the report over it.
            log.warning("Report %s: progress not recorded", self.run_id, exc_info=True)

    def close(self) -> None:
        self.connection.close()


class _Writer:
    def __init__(self, path: Path, file_format: str, title: str, columns: tuple[Column, ...]):
        self.path, self.file_format = path, file_format
        if file_format == "csv":
            self.handle = path.open("w", newline="", encoding="utf-8")
            self.csv = csv.writer(self.handle)
            self.csv.writerow([c.header for c in columns])
        else:
            # write_only keeps only the current row in memory, whatever the report's size.
            self.book = Workbook(write_only=True)
            self.sheet = self.book.create_sheet(title[:31])
            self.sheet.append([c.header for c in columns])
            self.columns = columns

    def write(self, row: tuple) -> None:
        if self.file_format == "csv":
            self.csv.writerow(["" if v is None else v for v in row])
        else:
            self.sheet.append(list(row))

    def close(self) -> None:
        if self.file_format == "csv":
            self.handle.close()
        else:
            dictionary = self.book.create_sheet("Data dictionary")
            dictionary.append(["Column", "Meaning"])
            for column in self.columns:
                dictionary.append([column.header, column.description])
            self.book.save(self.path)


@task
def generate_report(run_id: str) -> str:
    """Write the report file. Safe to run again: a finished run is left alone, and a run that died
    part-way starts over from a fresh file (the half-written one is replaced, never served)."""
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if run.status in (ReportRun.Status.READY, ReportRun.Status.EXPIRED):
            return run.status
        run.status = ReportRun.Status.RUNNING
        run.started_at = clock.now()
        run.attempts += 1
        run.rows_written = 0
        run.save()
    definition = REPORTS[run.report_key]
    params = ReportParams(run.start_date, run.end_date, run.region_id)
    final = report_path(run)
    partial = final.with_suffix(final.suffix + ".part")
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        _set(run.pk, rows_expected=definition.count(params))
        mask = _Masker(run.requested_by, definition.columns)
        writer = _Writer(partial, run.file_format, definition.title, definition.columns)
        progress = _ProgressWriter(run.pk)
        written = 0
        try:
            for row in definition.rows(params):
                writer.write(mask(row))
                written += 1
                if written % PROGRESS_EVERY == 0:
                    progress(written)
        finally:
            progress.close()
        faults.pause_point("reports.generate")  # tests only: the rows are in the partial file
        writer.close()
        partial.replace(final)  # atomic: a download never sees a half-written file
    except Exception as exc:
        log.exception("Report %s failed", run.pk)
        partial.unlink(missing_ok=True)
        _set(run.pk, status=ReportRun.Status.FAILED, error=str(exc)[:500], finished_at=clock.now())
        return ReportRun.Status.FAILED
    region = run.region.name.lower().replace(" ", "-").replace(",", "") if run.region else "all-regions"
    _set(
        run.pk,
        status=ReportRun.Status.READY,
        rows_written=written,
        names_limited_people=mask.names_limited_people,
        file_size=final.stat().st_size,
        file_name=f"{run.report_key}-{region}-{run.start_date:%d-%m-%Y}-to-{run.end_date:%d-%m-%Y}.{run.file_format}",
        finished_at=clock.now(),
        expires_at=clock.now() + dt.timedelta(hours=settings.REPORT_RETENTION_HOURS),
    )
    return ReportRun.Status.READY


@tasks.on_abandoned(generate_report)
def _worker_lost(run_id: str) -> None:
    """Every worker that tried this report died (cas.core.tasks gave up): say so instead of
    leaving the report 'being prepared' for ever."""
    final = report_path(ReportRun.objects.get(pk=run_id))
    final.with_suffix(final.suffix + ".part").unlink(missing_ok=True)
    _set(
        run_id,
        status=ReportRun.Status.FAILED,
        error="The report could not be prepared. Ask for it again.",
        finished_at=clock.now(),
    )


def can_download(user, run: ReportRun) -> bool:
    definition = REPORTS.get(run.report_key)
    if definition is not None and not may_run(user, definition):
        return False
    return run.requested_by_id == user.pk or has_national_scope(user)


def open_download(user, run: ReportRun):
    """The file to send, after checks; the download itself is audited."""
    if not can_download(user, run):
        raise NotAllowed("You can only download reports you asked for.")
    if run.names_limited_people and run.requested_by_id != user.pk:
        # The file was masked for its requester, who may see people others may not.
        raise NotAllowed(
            "This report names people whose records are restricted and can only be downloaded by the person "
            "who asked for it. Ask for the report yourself."
        )
    if run.status != ReportRun.Status.READY or (run.expires_at and run.expires_at <= clock.now()):
        raise DomainError("This report is no longer available. Ask for it again.", code="expired")
    audit.record_change(
        user, "report.downloaded", run, before=None, after=None, detail=f"{run.file_name} ({run.rows_written} rows)"
    )
    return report_path(run).open("rb")


def prune_expired() -> int:
    expired = ReportRun.objects.filter(status=ReportRun.Status.READY, expires_at__lte=clock.now())
    count = 0
    for run in expired:
        report_path(run).unlink(missing_ok=True)
        _set(run.pk, status=ReportRun.Status.EXPIRED)
        count += 1
    return count
