"""The MI report machinery: background generation, streaming files, scope, expiry and audit."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from cas.core.errors import DomainError, NotAllowed
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.reporting import mi
from cas.reporting.models import ReportRun
from tests.factories import make_user, region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reports_dir(settings, tmp_path):
    settings.REPORTS_DIR = tmp_path


@pytest.fixture
def numbers_report():
    """A report over the days of the period, so sizes are easy to check."""

    def days(params):
        day = params.start_date
        while day <= params.end_date:
            yield (day.isoformat(), params.region_id or "all", day.day)
            day += dt.timedelta(days=1)

    definition = mi.ReportDefinition(
        key="days",
        title="Days",
        description="One row per day",
        columns=(
            mi.Column("day", "Day", "The date"),
            mi.Column("region", "Region", "Region id"),
            mi.Column("n", "Day of month", "1 to 31"),
        ),
        count=lambda p: (p.end_date - p.start_date).days + 1,
        rows=days,
    )
    mi.REPORTS[definition.key] = definition
    yield definition
    del mi.REPORTS[definition.key]


def test_csv_report_generated_after_commit(numbers_report, django_capture_on_commit_callbacks):
    reporter = make_user(Role.REPORTER, region_code="NA")
    with django_capture_on_commit_callbacks(execute=True):
        run = mi.request_report(reporter, "days", dt.date(2020, 1, 1), dt.date(2024, 12, 31), None, "csv")
    run.refresh_from_db()
    assert run.status == "ready" and run.progress == 100 and run.rows_written == 1827
    assert run.file_name == "days-all-regions-01-01-2020-to-31-12-2024.csv"
    with mi.open_download(reporter, run) as handle:
        rows = list(csv.reader(io.TextIOWrapper(handle, encoding="utf-8")))
    assert rows[0] == ["Day", "Region", "Day of month"] and len(rows) == 1828
    assert AuditEvent.objects.filter(action="report.downloaded").count() == 1


def test_xlsx_report_has_a_data_dictionary(numbers_report, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    assessor = make_user(Role.CAS3_ASSESSOR)
    with django_capture_on_commit_callbacks(execute=True):
        run = mi.request_report(assessor, "days", dt.date(2026, 1, 1), dt.date(2026, 1, 31), None, "xlsx")
    run.refresh_from_db()
    book = load_workbook(mi.report_path(run), read_only=True)
    assert book.sheetnames == ["Days", "Data dictionary"]
    assert run.region == region("N51")  # an assessor's report is for their own region


def test_assessors_cannot_ask_for_another_region(numbers_report):
    assessor = make_user(Role.CAS3_ASSESSOR)
    with pytest.raises(NotAllowed):
        mi.request_report(assessor, "days", dt.date(2026, 1, 1), dt.date(2026, 1, 2), region("N07").pk, "csv")
    with pytest.raises(DomainError, match="end date"):
        mi.request_report(assessor, "days", dt.date(2026, 1, 2), dt.date(2026, 1, 1), None, "csv")


def test_expired_reports_are_refused_and_pruned(numbers_report, django_capture_on_commit_callbacks):
    reporter = make_user(Role.REPORTER, region_code="NA")
    with django_capture_on_commit_callbacks(execute=True):
        run = mi.request_report(reporter, "days", dt.date(2026, 1, 1), dt.date(2026, 1, 2), None, "csv")
    ReportRun.objects.filter(pk=run.pk).update(expires_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    run.refresh_from_db()
    with pytest.raises(DomainError, match="no longer available"):
        mi.open_download(reporter, run)
    assert mi.prune_expired() == 1
    assert not mi.report_path(run).exists()
    run.refresh_from_db()
    assert run.status == "expired"


def test_a_failing_report_leaves_no_file_and_can_run_again(numbers_report, django_capture_on_commit_callbacks):
    def broken(params):
        yield ("2026-01-01", "all", 1)
        raise RuntimeError("database went away")

    reporter = make_user(Role.REPORTER, region_code="NA")
    original = mi.REPORTS["days"]
    mi.REPORTS["days"] = mi.ReportDefinition(**{**original.__dict__, "rows": broken})
    with django_capture_on_commit_callbacks(execute=True):
        run = mi.request_report(reporter, "days", dt.date(2026, 1, 1), dt.date(2026, 1, 2), None, "csv")
    run.refresh_from_db()
    assert run.status == "failed" and "database went away" in run.error
    assert not list(mi.report_path(run).parent.iterdir())
    mi.REPORTS["days"] = original
    assert mi.generate_report.call(str(run.pk)) == "ready"
    run.refresh_from_db()
    assert run.attempts == 2 and run.rows_written == 2


def test_report_pages(numbers_report, client, django_capture_on_commit_callbacks):
    assessor = make_user(Role.CAS3_ASSESSOR)
    client.force_login(assessor)
    page = client.get(reverse("web:reports")).content.decode()
    assert "One row per day" in page and "Probation region" not in page  # own region only
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("web:reports"),
            {
                "report": "days",
                "start_date-day": "1",
                "start_date-month": "1",
                "start_date-year": "2026",
                "end_date-day": "31",
                "end_date-month": "1",
                "end_date-year": "2026",
                "file_format": "csv",
            },
        )
    run = ReportRun.objects.get()
    assert response["Location"] == reverse("web:report-run", args=[run.pk])
    assert "Download days-north-west-01-01-2026-to-31-01-2026.csv" in client.get(response["Location"]).content.decode()
    download = client.get(reverse("web:report-download", args=[run.pk]))
    assert b"".join(download.streaming_content).decode().count("\n") == 32
    other = make_user(Role.CAS3_ASSESSOR)
    client.force_login(other)
    assert client.get(reverse("web:report-run", args=[run.pk])).status_code == 404
    errors = client.post(
        reverse("web:reports"),
        {
            "report": "days",
            "start_date-day": "31",
            "start_date-month": "2",
            "start_date-year": "2026",
            "file_format": "csv",
        },
    ).content.decode()
    assert "The start date must be a real date" in errors and "Enter the end date" in errors


def test_referrals_report_columns_and_scope(client, django_capture_on_commit_callbacks):
    """The referrals report reads the typed columns of submitted referrals in the period."""
    from django.utils import timezone

    from cas.referrals.models import Referral

    referrer = make_user(Role.CAS3_REFERRER)
    common = {
        "created_by": referrer,
        "crn": "X100001",
        "person_name": "Sam Field",
        "form_key": "cas3",
        "form_version": 1,
        "origin_region": region("N51"),
        "service": "cas3",
    }
    Referral.objects.create(
        status="unallocated",
        region=region("N51"),
        submitted_at=timezone.now(),
        is_registered_sex_offender=True,
        **common,
    )
    Referral.objects.create(
        status="unallocated",
        region=region("N07"),
        submitted_at=timezone.now(),
        **{**common, "origin_region": region("N07")},
    )
    Referral.objects.create(status="draft", region=region("N51"), **common)
    assessor = make_user(Role.CAS3_ASSESSOR)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        run = mi.request_report(assessor, "referrals", today, today, None, "csv")
    run.refresh_from_db()
    assert run.status == "ready" and run.rows_written == 1  # own region, submitted only
    with mi.open_download(assessor, run) as handle:
        rows = list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8")))
    assert rows[0]["CRN"] == "X100001" and rows[0]["Registered sex offender"] == "Yes"
    assert rows[0]["Receiving probation region"] == "North West" and rows[0]["Status"] == "Unallocated"


def test_reports_api_request_and_poll(client, django_capture_on_commit_callbacks):
    reporter = make_user(Role.REPORTER, region_code="NA")
    client.force_login(reporter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("api:reports"),
            {"report": "referrals", "start_date": "2026-01-01", "end_date": "2026-01-31", "file_format": "csv"},
            content_type="application/json",
        )
    assert response.status_code == 202
    polled = client.get(reverse("api:report-run", args=[response.json()["id"]])).json()
    assert polled["status"] == "ready" and polled["progress"] == 100 and polled["download_url"]
    bad = client.post(
        reverse("api:reports"),
        {"report": "referrals", "start_date": "2026-01-01", "end_date": "2026-01-31", "region_id": 999999},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "region"
