"""An assessor adds a property with two bedspaces, records a void, schedules a bedspace to be
archived and cancels it, and sees each step on the occupancy calendar and in the history; axe runs
on every page visited."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from cas.core import clock
from cas.core.dates import long_date
from cas.core.roles import Role
from cas.premises.models import ArchiveChange, Premises, VoidPeriod
from tests.e2e.conftest import assert_accessible, screenshot
from tests.estate_factories import make_estate
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def open_calendar(page, base: str, day: dt.date) -> None:
    page.goto(f"{base}/calendar?period=month&month={day.month}&year={day.year}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{day:%B %Y}")
    assert_accessible(page, f"calendar {day:%B %Y}")


def calendar_row(page, reference: str):
    return page.locator(".cas-calendar__table tbody tr").filter(has=page.get_by_role("link", name=reference))


def test_assessor_manages_a_property_and_sees_it_on_the_calendar_and_in_the_history(page, live_server, sign_in):
    make_user(Role.CAS3_ASSESSOR, username="e2e.assessor")
    today = clock.today()
    void_start, void_end = today + dt.timedelta(days=2), today + dt.timedelta(days=4)
    archive_day = today + dt.timedelta(days=10)

    sign_in("e2e.assessor", TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Homelessness Prevention Team")).to_be_visible()
    assert_accessible(page, "assessor home")

    page.get_by_role("link", name="Properties").first.click()
    expect(page.get_by_text("There are no online properties yet.")).to_be_visible()
    assert_accessible(page, "empty property list")

    # Add a property: the empty form first, for the error summary.
    page.get_by_role("button", name="Add a property").click()
    assert_accessible(page, "add property")
    page.get_by_role("button", name="Save property").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a property reference")
    assert_accessible(page, "add property with errors")
    page.get_by_label("Property reference").fill("12 Acacia Road")
    page.get_by_label("Address line 1").fill("12 Acacia Road")
    page.get_by_label("Town or city (optional)").fill("Liverpool")
    page.get_by_label("Postcode").fill("l81ab")
    page.get_by_label("Local authority (optional)").select_option(label="Liverpool")
    page.get_by_label("Probation delivery unit (PDU)").select_option(label="Liverpool South")
    page.get_by_label("Women only").check()
    page.get_by_role("button", name="Save property").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Property 12 Acacia Road added")
    expect(page.get_by_text("12 Acacia Road, Liverpool, L8 1AB").first).to_be_visible()
    assert_accessible(page, "property page")
    property_url = page.url

    # Two bedspaces.
    for reference in ("Room 1", "Room 2"):
        page.get_by_role("button", name="Add a bedspace").click()
        assert_accessible(page, f"add {reference}")
        page.get_by_label("Bedspace reference").fill(reference)
        if reference == "Room 1":
            page.get_by_label("Wheelchair accessible").check()
        page.get_by_role("button", name="Save bedspace").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Bedspace {reference} added")
    bedspaces = page.get_by_role("table").filter(has_text="Characteristics")
    expect(bedspaces).to_contain_text("Room 1")
    expect(bedspaces).to_contain_text("Room 2")
    history = page.locator(".moj-timeline")
    expect(history).to_contain_text("Property added")
    expect(history).to_contain_text("Bedspace Room 2 added")
    assert_accessible(page, "property with bedspaces")

    # The calendar shows both bedspaces, available.
    page.get_by_role("link", name="Occupancy calendar").click()
    assert_accessible(page, "calendar")
    expect(calendar_row(page, "Room 1")).to_be_visible()
    expect(calendar_row(page, "Room 2")).to_be_visible()
    periods = page.locator("#periods ~ table")
    if today.day > 1:
        # The month's days before the bedspaces were added (none when today is the 1st).
        expect(periods).to_contain_text(f"Not yet open: in service from {long_date(today)}")
    expect(periods).to_contain_text("Available")

    # Record a void on Room 1.
    page.goto(property_url)
    page.get_by_role("link", name="Room 1", exact=True).click()
    assert_accessible(page, "bedspace page")
    page.get_by_role("button", name="Record a void period").click()
    assert_accessible(page, "void form")
    fill_date(page, "Start date", void_start)
    fill_date(page, "Expected end date", void_end)
    page.get_by_label("Deep clean").check()
    page.get_by_label("HMPPS").check()
    page.get_by_label("Reference number (optional)").fill("JOB-42")
    page.get_by_role("button", name="Save void period").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Void period recorded for bedspace Room 1: {long_date(void_start)}"
    )
    expect(page.get_by_role("table")).to_contain_text("Deep clean")
    assert_accessible(page, "bedspace with void")

    open_calendar(page, property_url, void_start)
    void_cell = calendar_row(page, "Room 1").locator(".cas-calendar__seg--void")
    expect(void_cell).to_have_count(1)
    expect(void_cell).to_contain_text(f"Void: Deep clean (reference JOB-42), from {long_date(void_start)}")
    expect(page.locator("#periods ~ table")).to_contain_text("Void: Deep clean")
    screenshot(page, "estate-calendar-void")

    # Schedule Room 2 to be archived, with a confirmation page.
    page.goto(property_url)
    page.get_by_role("link", name="Room 2", exact=True).click()
    page.get_by_role("button", name="Archive bedspace").click()
    assert_accessible(page, "archive form")
    fill_date(page, "When should it be archived?", archive_day)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Archive bedspace Room 2 on {long_date(archive_day)}?")
    assert_accessible(page, "archive confirmation")
    page.get_by_role("button", name="Yes, archive").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Bedspace Room 2 will be archived on {long_date(archive_day)}"
    )
    assert_accessible(page, "bedspace with scheduled archive")

    open_calendar(page, property_url, archive_day)
    archived_cell = calendar_row(page, "Room 2").locator(".cas-calendar__seg--archived")
    expect(archived_cell).to_have_count(1)
    expect(archived_cell).to_contain_text(f"Archived from {long_date(archive_day)}")

    page.goto(property_url)
    expect(page.locator(".moj-timeline")).to_contain_text("Bedspace Room 2 archive date set")
    expect(page.locator("#archive-history ~ table").first).to_contain_text(
        f"Bedspace Room 2 archived on {long_date(archive_day)}"
    )
    expect(page.locator("#archive-history ~ table").first).to_contain_text("Scheduled")
    assert_accessible(page, "property with scheduled change")

    # Cancel the scheduled archive from the property page.
    page.get_by_role("link", name=re.compile(r"^Cancel this change: Bedspace Room 2 will be archived")).click()
    expect(page.get_by_role("heading", name="Cancel this change?")).to_be_visible()
    assert_accessible(page, "cancel confirmation")
    page.get_by_role("button", name="Yes, cancel the change").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Bedspace Room 2 archived on {long_date(archive_day)}: cancelled"
    )
    assert_accessible(page, "after cancelling")

    page.goto(property_url)
    expect(page.locator(".moj-timeline")).to_contain_text("Bedspace Room 2: scheduled archive cancelled")
    expect(page.locator("#archive-history ~ table").first).to_contain_text("Cancelled")
    assert_accessible(page, "property history after cancel")
    open_calendar(page, property_url, archive_day)
    expect(calendar_row(page, "Room 2").locator(".cas-calendar__seg--archived")).to_have_count(0)
    screenshot(page, "estate-calendar-after-cancel")

    premises = Premises.objects.get(reference="12 Acacia Road")
    assert premises.bedspaces.count() == 2 and premises.bedspaces.get(reference="Room 2").end_date is None
    assert VoidPeriod.objects.filter(bedspace__premises=premises, cancelled_at__isnull=True).count() == 1
    assert ArchiveChange.objects.get(premises=premises).is_cancelled


def test_calendar_and_lists_work_without_javascript(browser, live_server):
    make_user(Role.CAS3_ASSESSOR, username="e2e.nojs")
    make_estate(reference="No Script House")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/account/sign-in")
    page.get_by_label("Username").fill("e2e.nojs")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/properties")
    page.get_by_label("Search by reference, address or postcode").fill("no script")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="No Script House").click()
    page.get_by_role("link", name="Occupancy calendar").click()
    page.get_by_label("Show", exact=True).select_option("quarter")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(" to ")
    page.get_by_role("link", name=re.compile("Next quarter")).click()
    expect(page).to_have_url(re.compile(r"period=quarter"))
    expect(calendar_row(page, "Room A")).to_be_visible()
    expect(page.locator(".govuk-caption-l")).to_have_text("No Script House")
    context.close()


def test_assessor_imports_a_spreadsheet_after_fixing_its_problems(page, live_server, sign_in, tmp_path):
    make_user(Role.CAS3_ASSESSOR, username="e2e.importer")
    header = "property_reference,pdu,address_line_1,postcode,bedspace_reference,bedspace_start_date\n"
    bad = tmp_path / "estate.csv"
    bad.write_text(
        header
        + "1 Road,Liverpool South,1 Road,L8 1AB,Room 1,2025-01-01\n1 Road,Liverpool South,1 Road,nope,R,2025-01-01\n"
    )
    sign_in("e2e.importer", TEST_PASSWORD)
    page.goto(f"{live_server.url}/properties")
    page.get_by_role("button", name="Import properties").click()
    assert_accessible(page, "import page")
    page.get_by_label("Upload a file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and import").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Line 3 (postcode): Enter a real postcode, like SW1A 1AA")
    expect(summary).to_contain_text("Line 3 (bedspace reference)")
    assert_accessible(page, "import problems")
    assert not Premises.objects.exists()
    good = tmp_path / "estate-fixed.csv"
    good.write_text(
        header
        + "1 Road,Liverpool South,1 Road,L8 1AB,Room 1,2025-01-01\n1 Road,Liverpool South,1 Road,L8 1AB,Room 2,2025-01-01\n"
    )
    page.get_by_label("Upload a file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Import complete")
    assert_accessible(page, "import complete")
    assert Premises.objects.get().bedspaces.count() == 2
