"""A reporter (demo.reporter, on the demo data) opens the delivery dashboard, changes the period and
the region, drills down to a PDU and downloads the figures, asks for the referrals report and
downloads it from the background task's page, then downloads the statistics workbook
(cas3_statistics.ods). axe runs on every page visited."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cas.core import clock
from cas.core.models import AuditEvent
from cas.demo.accounts import DEMO_PASSWORD
from cas.reporting.mi import REPORTS
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def downloaded(page, action) -> tuple[str, bytes]:
    with page.expect_download() as info:
        action()
    download = info.value
    with open(download.path(), "rb") as handle:
        return download.suggested_filename, handle.read()


def test_reporter_dashboard_reports_and_statistics(page, live_server, sign_in, settings, tmp_path):
    settings.REPORTS_DIR = tmp_path
    call_command("load_demo_data", verbosity=0)
    today = clock.today()

    sign_in("demo.reporter", DEMO_PASSWORD)
    assert_accessible(page, "reporter home")

    # The dashboard: national by default, with a row per region.
    page.get_by_role("navigation").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Delivery dashboard")).to_be_visible()
    expect(page.get_by_role("heading", name="By probation region")).to_be_visible()
    expect(page.get_by_text("People placed").first).to_be_visible()
    assert_accessible(page, "national dashboard")

    # Another period and a region: the figures are for North West, by PDU.
    start = today - dt.timedelta(days=90)
    fill_date(page, "From", start)
    fill_date(page, "To", today)
    page.get_by_label("Probation region").select_option(label="North West")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".govuk-caption-l")).to_have_text("North West")
    expect(page.get_by_role("heading", name="By probation delivery unit")).to_be_visible()
    expect(page.get_by_text(f"{start:%-d %B %Y} to {today:%-d %B %Y}")).to_be_visible()
    expect(page.get_by_text("Occupancy rate").first).to_be_visible()
    assert_accessible(page, "region dashboard")

    # Drill down to a PDU, then download its figures.
    page.get_by_role("link", name="Liverpool South").click()
    expect(page.locator(".govuk-caption-l")).to_have_text("Liverpool South, North West")
    assert_accessible(page, "PDU dashboard")
    screenshot(page, "dashboard-pdu")
    name, content = downloaded(page, lambda: page.get_by_role("link", name="Download these figures (CSV)").click())
    assert name == f"cas3-dashboard-{start}-to-{today}.csv"
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0] == ["figure", "value", "unit", "detail"]
    assert {"People placed", "Occupancy rate", "Median length of stay"} <= {r[0] for r in rows if r}
    assert AuditEvent.objects.filter(action="dashboard.viewed", actor__username="demo.reporter").count() >= 4

    # The referrals report, prepared as a background task, then downloaded from its page.
    page.get_by_role("navigation").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    assert_accessible(page, "reports")
    page.get_by_label("Referrals").check()
    fill_date(page, "From", today - dt.timedelta(days=365))
    fill_date(page, "To", today)
    page.get_by_label("CSV").check()
    page.get_by_role("button", name="Prepare the report").click()
    expect(page.get_by_role("heading", name="Referrals")).to_be_visible()
    assert_accessible(page, "report progress")
    if page.get_by_role("link", name="Check again").count():
        page.get_by_role("link", name="Check again").click()
    download_button = page.get_by_role("button", name="Download referrals-all-regions")
    expect(download_button).to_be_visible()
    name, content = downloaded(page, download_button.click)
    assert name.startswith("referrals-all-regions-") and name.endswith(".csv")
    report = list(csv.reader(io.StringIO(content.decode())))
    assert report[0] == [column.header for column in REPORTS["referrals"].columns] and len(report) > 1
    assert AuditEvent.objects.filter(action="report.downloaded", actor__username="demo.reporter").exists()

    # The official statistics, and the workbook.
    page.get_by_role("navigation").get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "statistics")
    name, content = downloaded(
        page, lambda: page.get_by_role("link", name="Download all tables as a spreadsheet (ODS)").click()
    )
    assert name == "cas3_statistics.ods"
    with zipfile.ZipFile(io.BytesIO(content)) as workbook:
        assert workbook.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert b"placements_by_region" in workbook.read("content.xml") or b"Placements" in workbook.read("content.xml")
