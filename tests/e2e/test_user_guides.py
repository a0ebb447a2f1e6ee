"""The user guides' journeys (docs/guides/): one per role, task by task as the guide tells it, with
axe on every page. Each journey takes the pictures its guide shows (`guide_screenshot`), so every run
refreshes them and a guide never shows a page as it used to be. The last test reads the guides where
users read them, in the service's help pages."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cas.core import clock
from cas.core.roles import Role
from cas.demo.accounts import DEMO_PASSWORD
from cas.demo.referrals import complete_answers
from cas.placements import services as placements
from cas.referrals.cas3.definition import DEFINITION
from cas.referrals.models import Referral
from tests.e2e.conftest import GUIDE_IMAGES, GUIDE_VIEWPORT, assert_accessible, guide_screenshot
from tests.e2e.test_referral_journey import fill_page
from tests.estate_factories import make_estate
from tests.factories import TEST_PASSWORD, make_user, pdu
from tests.placement_factories import days, make_booking, mark_ready_to_place
from tests.referral_factories import make_submitted

pytestmark = pytest.mark.django_db(transaction=True)

GUIDES = ("practitioner", "assessor", "reporter", "administrator")


@pytest.fixture
def guide_page(page):
    page.set_viewport_size(GUIDE_VIEWPORT)
    return page


def fill_date(page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def shot(page, name: str, label: str, **options) -> None:
    """Check the page with axe, then take the guide's picture of it."""
    assert_accessible(page, label)
    guide_screenshot(page, name, **options)


def test_practitioner_guide(guide_page, live_server, sign_in):
    page = guide_page
    # No phone number on the account, as many have: Check your details says so.
    make_user(
        Role.CAS3_REFERRER,
        username="priya.shah",
        pdu=pdu("N51LPLS"),
        first_name="Priya",
        last_name="Shah",
        phone_number="",
    )
    assessor = make_user(Role.CAS3_ASSESSOR, username="gareth.lloyd", first_name="Gareth", last_name="Lloyd")

    # Sign in and start a referral.
    sign_in("priya.shah", TEST_PASSWORD)
    shot(page, "practitioner/01-home.png", "referrer home")
    page.get_by_role("link", name="Make a referral").first.click()
    expect(page.get_by_role("button", name="Start now")).to_be_visible()  # loaded before axe reads it
    shot(page, "practitioner/02-start.png", "start")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("What is the person’s CRN?").fill("X100001")
    shot(page, "practitioner/03-crn.png", "crn")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Confirm Daniel Hughes’s details")).to_be_visible()
    shot(page, "practitioner/04-confirm-person.png", "confirm person")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(
        page.get_by_role("heading", name=re.compile("Make a referral for transitional accommodation"))
    ).to_be_visible()
    # Any task can be started first: only the check of the answers waits for the others.
    expect(page.locator("main").get_by_text("Cannot start yet")).to_have_count(1)
    shot(page, "practitioner/05-task-list.png", "task list", full_page=True)

    # Every task, as the referral's answers in the demo data give them.
    referral = Referral.objects.get()
    titles = {t.slug: t.title for t in DEFINITION.tasks()}
    first_question = True
    for task, slug, values in complete_answers(today=clock.today()):
        expected = f"/referrals/{referral.pk}/tasks/{task}/{slug}"
        if slug.startswith("practitioner-"):
            page.get_by_role("link", name=titles[task], exact=True).click()
            expect(page.get_by_role("heading", name="Check your details")).to_be_visible()
            expect(page.locator("main")).to_contain_text("Some of these details are missing or cannot be used")
            shot(page, "practitioner/07-your-details.png", "contact details")
            page.get_by_role("link", name="Enter your phone number").click()
        elif expected not in page.url:
            page.get_by_role("link", name=titles[task], exact=True).click()
        expect(page).to_have_url(re.compile(re.escape(expected) + "$"))
        assert_accessible(page, f"{task}/{slug}")
        if slug == "dtr-submitted":
            # No first, to see what it means for the referral; then the Duty to Refer the demo made.
            page.get_by_label("No", exact=True).check()
            page.locator("main form button.govuk-button").first.click()
            expect(page.locator(".govuk-notification-banner")).to_contain_text("You can still send this referral")
            shot(page, "practitioner/07a-no-duty-to-refer.png", "after answering no to the duty to refer")
            page.goto(page.url.rsplit("/", 1)[0] + "/dtr-submitted")
        if values:
            fill_page(page, values)
        if first_question and values:
            guide_screenshot(page, "practitioner/06-question.png")
            first_question = False
        page.locator("main form button.govuk-button").first.click()
        if slug == "review":
            break
    else:
        pytest.fail("the check-your-answers page was never reached")

    # Check the answers, confirm them, and send.
    expect(page.get_by_role("heading", name="Send the referral")).to_be_visible()
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_role("heading", name="Check your answers before you send the referral")).to_be_visible()
    shot(page, "practitioner/08-check-answers.png", "check answers")
    page.get_by_role("button", name="Confirm your answers").click()
    page.get_by_label("I confirm that the information I have given is complete, accurate and up to date").check()
    shot(page, "practitioner/09-send.png", "declaration")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Referral sent")
    shot(page, "practitioner/10-sent.png", "confirmation")

    # Follow the referral: the list, its page and timeline, and a note to the HPT.
    page.get_by_role("link", name="Referrals", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Submitted \(1\)")).click()
    expect(page.locator("table")).to_contain_text("Daniel Hughes")
    shot(page, "practitioner/11-your-referrals.png", "submitted list")
    page.get_by_role("link", name="Daniel Hughes").click()
    page.get_by_label("Add a note for the HPT").fill("The prison has confirmed the release date.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".moj-timeline")).to_contain_text("The prison has confirmed the release date.")
    shot(page, "practitioner/12-referral.png", "referral page")

    # The HPT accepts it, books a bedspace and confirms it, and the person arrives: the referral's
    # page says where they are (done through the services; the assessor's guide does it in pages).
    referral = mark_ready_to_place(referral)
    premises, (bedspace,) = make_estate("N51", bedspaces=1, reference="14 Mersey View")
    booking = placements.confirm_booking(
        assessor, make_booking(bedspace, referral=referral, start=0, nights=28, actor=assessor)
    )
    placements.record_arrival(assessor, booking, arrival_date=days(0), expected_departure_date=days(28))
    page.reload()
    placement = page.get_by_role("heading", name="Accommodation booked")
    expect(page.locator("main")).to_contain_text(f"Arrived at {premises.address}")
    shot(page, "practitioner/13-placement.png", "referral page once the person arrived", at=placement)


def test_assessor_guide(guide_page, live_server, sign_in):
    page = guide_page
    today = clock.today()
    referrer = make_user(
        Role.CAS3_REFERRER, username="priya.shah", pdu=pdu("N51LPLS"), first_name="Priya", last_name="Shah"
    )
    make_user(Role.CAS3_ASSESSOR, username="gareth.lloyd", first_name="Gareth", last_name="Lloyd")
    make_user(Role.CAS3_ASSESSOR, username="bea.lowe", first_name="Bea", last_name="Lowe")
    make_submitted(referrer, "X100001")
    make_submitted(referrer, "X200007")
    make_estate("N51", bedspaces=2, reference="14 Mersey View", turnaround_working_days=2)

    # Find a new referral in the queue.
    sign_in("gareth.lloyd", TEST_PASSWORD)
    shot(page, "assessor/01-home.png", "assessor home")
    page.get_by_role("link", name="Review referrals").first.click()
    expect(page.get_by_role("link", name=re.compile(r"^Unallocated \(2\)"))).to_be_visible()
    shot(page, "assessor/02-queue.png", "queue")

    # Open it, take it, read it, and accept it.
    page.get_by_role("link", name="Daniel Hughes").click()
    expect(page.get_by_role("heading", name="Referral for transitional accommodation")).to_be_visible()
    shot(page, "assessor/03-referral.png", "referral overview")
    referral_url = page.url
    page.get_by_role("button", name="Take this referral").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("It is now in review")
    assert_accessible(page, "taken")
    page.get_by_role("link", name="Referral answers").click()
    shot(page, "assessor/04-answers.png", "answers")
    page.get_by_role("link", name="Timeline and notes").click()
    page.get_by_label("Add a note").fill("Has the prison confirmed the release date?")
    page.get_by_label(re.compile("The probation practitioner")).check()
    shot(page, "assessor/05-note.png", "timeline and note")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".moj-timeline")).to_contain_text("Has the prison confirmed the release date?")
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("button", name="Accept: ready to place").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("ready to place")
    shot(page, "assessor/06-accepted.png", "accepted")

    # Rejecting the other one: the form (the guide tells the rest).
    page.goto(f"{live_server.url}/review/unallocated")
    page.get_by_role("link", name="Dean Atkinson").click()
    page.get_by_role("button", name="Reject").click()
    page.get_by_label("Why are you rejecting this referral?").select_option(label="No bedspace available in PDU")
    shot(page, "assessor/07-reject.png", "reject form")

    # Allocating that one to a colleague instead.
    page.go_back()
    page.get_by_role("button", name="Allocate to a colleague").click()
    expect(page.get_by_role("heading", name="Allocate the referral")).to_be_visible()
    page.get_by_label("Bea Lowe").check()
    shot(page, "assessor/03a-allocate.png", "allocate form")
    page.get_by_role("button", name="Allocate the referral").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("allocated to Bea Lowe")
    assert_accessible(page, "allocated")

    # Find a bedspace for the accepted referral.
    page.get_by_role("navigation").get_by_role("link", name="Place a person").click()
    shot(page, "assessor/08-place-a-person.png", "place a person")
    expect(page.get_by_role("link", name="Find a bedspace for Daniel Hughes")).to_be_visible()
    # Or from the referral itself: its actions are on every tab, here the answers.
    page.goto(referral_url)
    page.get_by_role("link", name="Referral answers").click()
    actions = page.get_by_role("heading", name="Update the referral")
    expect(actions).to_be_visible()
    shot(page, "assessor/08a-referral-actions.png", "actions on the answers tab")
    page.get_by_role("button", name="Find a bedspace").click()
    page.get_by_label("Number of nights required").fill("28")
    shot(page, "assessor/09-search.png", "search form")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="14 Mersey View")).to_be_visible()
    shot(
        page, "assessor/10-results.png", "search results", at=page.get_by_role("heading", name=re.compile("available"))
    )

    # Book it, then confirm it.
    page.get_by_role("link", name="14 Mersey View, Room A").click()
    expect(page.get_by_label("CRN")).to_have_value("X100001")
    shot(page, "assessor/11-booking-form.png", "booking form")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check the booking")).to_be_visible()
    shot(page, "assessor/12-check-booking.png", "check the booking")
    page.get_by_role("button", name="Book bedspace").click()
    expect(page.get_by_text("Bedspace booked for Daniel Hughes")).to_be_visible()
    shot(page, "assessor/13-provisional.png", "provisional booking")
    page.get_by_role("button", name="Mark as confirmed").click()
    assert_accessible(page, "confirm form")
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.locator(".moj-badge").first).to_have_text("Confirmed")

    # The person arrives, and later leaves.
    page.get_by_role("button", name="Mark as arrived").click()
    fill_date(page, "Arrival date", today - dt.timedelta(days=3))
    shot(page, "assessor/14-arrival.png", "arrival form")
    page.get_by_role("button", name="Save arrival").click()
    expect(page.locator(".moj-badge").first).to_have_text("Active")
    assert_accessible(page, "active booking")
    page.get_by_role("button", name="Mark as departed").click()
    fill_date(page, "Departure date", today)
    page.get_by_label("Planned move-on", exact=True).check()
    page.get_by_label("Rental accommodation (private rental)", exact=True).check()
    shot(page, "assessor/15-departure.png", "departure form")
    page.get_by_role("button", name="Save departure").click()
    expect(page.get_by_role("heading", name="Departed", exact=True)).to_be_visible()
    shot(page, "assessor/16-departed.png", "departed booking")

    # The booking and its referral link to each other.
    page.get_by_role("link", name=re.compile(r"^Referral ")).click()
    expect(page.get_by_role("heading", name="Booking for this referral")).to_be_visible()
    shot(
        page,
        "assessor/16a-referral-booking.png",
        "archived referral with its booking",
        at=page.get_by_role("heading", name="Update the referral"),
    )
    page.get_by_role("link", name=re.compile("14 Mersey View")).first.click()
    expect(page.get_by_role("heading", name="Departed", exact=True)).to_be_visible()


def test_assessor_guide_properties(guide_page, live_server, sign_in):
    page = guide_page
    today = clock.today()
    make_user(Role.CAS3_ASSESSOR, username="gareth.lloyd", first_name="Gareth", last_name="Lloyd")
    sign_in("gareth.lloyd", TEST_PASSWORD)

    # Add a property and its bedspaces.
    page.get_by_role("navigation").get_by_role("link", name="Properties").click()
    page.get_by_role("button", name="Add a property").click()
    page.get_by_label("Property reference").fill("12 Acacia Road")
    page.get_by_label("Address line 1").fill("12 Acacia Road")
    page.get_by_label("Town or city (optional)").fill("Liverpool")
    page.get_by_label("Postcode").fill("L8 1AB")
    page.get_by_label("Local authority (optional)").select_option(label="Liverpool")
    page.get_by_label("Probation delivery unit (PDU)").select_option(label="Liverpool South")
    shot(page, "assessor/17-add-property.png", "add property")
    page.get_by_role("button", name="Save property").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Property 12 Acacia Road added")
    for reference in ("Room 1", "Room 2"):
        page.get_by_role("button", name="Add a bedspace").click()
        page.get_by_label("Bedspace reference").fill(reference)
        assert_accessible(page, f"add {reference}")
        page.get_by_role("button", name="Save bedspace").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Bedspace {reference} added")
    shot(page, "assessor/18-property.png", "property with bedspaces", at=page.locator("h1"))
    property_url = page.url

    # A bedspace out of service for a few days, then the calendar.
    page.get_by_role("link", name="Room 1", exact=True).click()
    page.get_by_role("button", name="Record a void period").click()
    fill_date(page, "Start date", today + dt.timedelta(days=2))
    fill_date(page, "Expected end date", today + dt.timedelta(days=4))
    page.get_by_label("Deep clean").check()
    page.get_by_label("HMPPS").check()
    shot(page, "assessor/19-void.png", "void form")
    page.get_by_role("button", name="Save void period").click()
    expect(page.get_by_role("table")).to_contain_text("Deep clean")
    page.goto(property_url)
    page.get_by_role("link", name="Occupancy calendar").click()
    expect(page.locator(".cas-calendar__table")).to_contain_text("Room 1")
    shot(page, "assessor/20-calendar.png", "calendar", at=page.locator(".cas-calendar"))


def test_reporter_guide(guide_page, live_server, sign_in, settings, tmp_path):
    page = guide_page
    settings.REPORTS_DIR = tmp_path
    call_command("load_demo_data", verbosity=0)
    today = clock.today()

    sign_in("demo.reporter", DEMO_PASSWORD)
    shot(page, "reporter/01-home.png", "reporter home")

    # The dashboard, for the country and then for a region.
    page.get_by_role("navigation").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Delivery dashboard")).to_be_visible()
    shot(page, "reporter/02-dashboard.png", "national dashboard")
    fill_date(page, "From", today - dt.timedelta(days=90))
    fill_date(page, "To", today)
    page.get_by_label("Probation region").select_option(label="North West")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="By probation delivery unit")).to_be_visible()
    shot(page, "reporter/03-dashboard-region.png", "region dashboard")

    # A report, prepared in the background and downloaded.
    page.get_by_role("navigation").get_by_role("link", name="Reports").click()
    page.get_by_label("Referrals").check()
    fill_date(page, "From", today - dt.timedelta(days=365))
    fill_date(page, "To", today)
    page.get_by_label("CSV").check()
    shot(page, "reporter/04-reports.png", "reports")
    page.get_by_role("button", name="Prepare the report").click()
    if page.get_by_role("link", name="Check again").count():
        page.get_by_role("link", name="Check again").click()
    download_button = page.get_by_role("button", name=re.compile("^Download referrals-all-regions"))
    expect(download_button).to_be_visible()
    shot(page, "reporter/05-report-ready.png", "report ready")
    with page.expect_download() as info:
        download_button.click()
    assert info.value.suggested_filename.endswith(".csv")

    # The official statistics.
    page.get_by_role("navigation").get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, "reporter/06-statistics.png", "statistics")


def test_administrator_guide(guide_page, live_server, sign_in):
    page = guide_page
    make_user(Role.ADMIN, region_code="NA", username="sam.admin", first_name="Sam", last_name="Patel")
    make_user(Role.CAS3_ASSESSOR, username="gareth.lloyd", first_name="Gareth", last_name="Lloyd")

    sign_in("sam.admin", TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Service administration")).to_be_visible()
    shot(page, "administrator/01-home.png", "admin home")

    # Users: the list, adding one with a role, and changing their account.
    page.get_by_role("navigation").get_by_role("link", name="Users").click()
    shot(page, "administrator/02-users.png", "users")
    page.get_by_role("button", name="Add a user").click()
    page.get_by_label("Username").fill("rhys.morgan")
    page.get_by_label("First name").fill("Rhys")
    page.get_by_label("Last name").fill("Morgan")
    page.get_by_label("Email address").fill("rhys.morgan@justice.gov.uk")
    page.get_by_label("CAS3 assessor (Homelessness Prevention Team)").check()
    page.get_by_label("Probation region").select_option(label="Wales")
    shot(page, "administrator/03-add-user.png", "add user")
    page.get_by_role("button", name="Save user").click()
    expect(page.get_by_text("User rhys.morgan created")).to_be_visible()
    shot(page, "administrator/04-user.png", "user detail")
    page.get_by_role("button", name="Deactivate user").click()
    assert_accessible(page, "deactivate")
    page.get_by_role("button", name="Yes, deactivate").click()
    expect(page.get_by_text("rhys.morgan deactivated")).to_be_visible()

    # Reference data: the lists, one list, and changing an entry.
    page.get_by_role("navigation").get_by_role("link", name="Reference data").click()
    shot(page, "administrator/05-reference-data.png", "reference data")
    page.locator(".govuk-summary-list__key a").first.click()
    shot(page, "administrator/06-reference-list.png", "reference list")

    # Service levels, the audit and the emails the service sent.
    page.get_by_role("navigation").get_by_role("link", name="Service levels").click()
    shot(page, "administrator/07-service-levels.png", "service levels")
    page.get_by_role("navigation").get_by_role("link", name="Audit").click()
    expect(page.locator("table")).to_contain_text("user.deactivated")
    shot(page, "administrator/08-audit.png", "audit")
    page.get_by_role("navigation").get_by_role("link", name="Emails").click()
    shot(page, "administrator/09-emails.png", "emails")


def test_every_guide_is_readable_in_the_service(page, live_server):
    """The help page lists the guides; each guide is a page of the service with its pictures."""
    page.goto(f"{live_server.url}/help")
    assert_accessible(page, "help")
    for guide in GUIDES:
        page.goto(f"{live_server.url}/help")
        page.get_by_role("link", name=re.compile(f"guide for {guide}s", re.IGNORECASE)).click()
        expect(page).to_have_url(re.compile(f"/help/guides/{guide}$"))
        page.wait_for_load_state("load")  # the pictures are in
        images = page.locator("main img")
        assert images.count() >= 5, guide
        # Every picture loads (a broken one has no natural width).
        widths = images.evaluate_all("imgs => imgs.map(i => i.complete && i.naturalWidth)")
        assert all(widths), f"{guide}: a picture did not load"
        sources = {src.split("/help/guides/images/")[-1] for src in images.evaluate_all("i => i.map(e => e.src)")}
        assert sources <= {str(p.relative_to(GUIDE_IMAGES)) for p in GUIDE_IMAGES.rglob("*.png")}
        assert_accessible(page, f"guide {guide}")
