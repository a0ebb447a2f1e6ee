"""CAS2 referrers in the browser, axe on every page: a court bail application from the CRN to the
confirmation with the provider's service level; an HDC application by a prison offender manager at
Hewell that follows the person to Birmingham when the prison system says they moved; and the
provider's request for more information answered by the referrer, then the assessor takes the
application on to "Awaiting arrival", with notes both ways and every email in the outbox."""

import re

import pytest
from playwright.sync_api import expect

from cas.accounts.services import create_api_token
from cas.core import clock
from cas.core.roles import Role
from cas.events.models import OutboundEmail
from cas.referrals.cas2 import service_levels
from cas.referrals.cas2.definition import DEFINITION
from cas.referrals.cas2.workflow import Status
from cas.referrals.models import Referral
from tests.cas2_factories import HEWELL_NOMS, cas2_user, pages, submitted
from tests.e2e.conftest import assert_accessible, screenshot
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PROVIDER_INBOX = "cas2.referrals@nacro.org.uk"
TITLES = {t.slug: t.title for t in DEFINITION.tasks()}


def fill_page(page, values: dict) -> None:
    """Answer a question page as a person would, from the values a browser posts for it."""
    for name, value in values.items():
        if name == "action" or value in (None, ""):
            continue
        if isinstance(value, list):
            for item in value:
                page.locator(f'input[name="{name}"][value="{item}"]').check()
            continue
        radio = page.locator(f'input[type="radio"][name="{name}"][value="{value}"]')
        if radio.count():
            radio.check()
            continue
        field = page.locator(f'main [name="{name}"]')
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(str(value))
        else:
            field.fill(str(value))
    if values.get("action"):
        button = page.locator(f'main button[name="action"][value="{values["action"]}"]')
    elif page.get_by_role("button", name="Save and continue").count():
        button = page.get_by_role("button", name="Save and continue")
    else:
        button = page.locator("main form button.govuk-button").last
    with page.expect_navigation():  # the next page's URL says where the route went
        button.click()


def complete_tasks(page, referral: Referral, *, only: set[str] | None = None) -> None:
    """Every task of the application from its task list, consent first (the order of `pages`); a task
    that does not apply to the route shows so and has no link; pages the route skips are not reached."""
    tasks_url = re.compile(rf"/cas2/applications/{referral.pk}/tasks$")
    current = None
    for task, slug, values in pages(clock.today()):
        if only is not None and task not in only:
            continue
        if task != current:
            current = task
            if task == "check-your-answers":
                page.get_by_role("link", name=TITLES[task], exact=True).click()
            else:
                expect(page).to_have_url(tasks_url)
                link = page.get_by_role("link", name=TITLES[task], exact=True)
                if not link.count():
                    continue
                link.click()
        if f"/tasks/{task}/{slug}" not in page.url:
            continue  # not on this route's way through the task
        assert_accessible(page, f"{task}/{slug}")
        fill_page(page, values)
        if values.get("action") == "add":
            expect(page.locator(".govuk-summary-card")).to_have_count(1)
            assert_accessible(page, f"{task}/{slug} with one entry")


def test_a_court_bail_application_from_the_crn_to_the_provider(page, live_server, sign_in):
    user = cas2_user(
        "court_bail", username="e2e.court", email="clerk@justice.gov.uk", first_name="Cora", last_name="Clerk"
    )
    sign_in("e2e.court", TEST_PASSWORD)
    assert_accessible(page, "court home")
    page.get_by_role("link", name="Start a CAS2 application").first.click()
    expect(page.get_by_role("heading", name="Apply for CAS2 accommodation")).to_be_visible()
    assert_accessible(page, "start")
    page.get_by_label("Court bail").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page, "find the person")
    page.get_by_label("What is the person’s CRN?").fill("X100001")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Confirm Daniel Hughes’s details")).to_be_visible()
    assert_accessible(page, "confirm person")
    page.get_by_role("button", name=re.compile("^Confirm")).click()

    expect(page.get_by_role("heading", name="Apply for CAS2 accommodation")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Does not apply")
    expect(page.get_by_role("link", name=TITLES["hdc-licence-dates"], exact=True)).to_have_count(0)
    assert_accessible(page, "task list")
    referral = Referral.objects.get(created_by=user)
    complete_tasks(page, referral)

    expect(page.get_by_role("heading", name="Send the application")).to_be_visible()
    assert_accessible(page, "declaration")
    page.get_by_role("button", name="Send the application").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "declaration error")
    page.locator('input[name="declaration"]').check()
    page.get_by_role("button", name="Send the application").click()

    expect(page.locator(".govuk-panel")).to_contain_text("Application sent")
    referral.refresh_from_db()
    expect(page.locator(".govuk-panel")).to_contain_text(referral.reference)
    expect(page.locator("main")).to_contain_text(
        f"The provider aims to decide {service_levels.describe(referral.cohort)}"
    )
    screenshot(page, "cas2-court-bail-sent")
    assert_accessible(page, "confirmation")
    assert referral.status == Status.RECEIVED and referral.route.code == "court_bail"

    page.get_by_role("link", name="Your sent applications").click()
    row = page.locator("tbody tr", has_text="Daniel Hughes")
    expect(row).to_contain_text("Received")
    assert_accessible(page, "sent list")
    row.get_by_role("link", name="Daniel Hughes").click()
    expect(page.locator("main")).to_contain_text("What was sent")
    assert_accessible(page, "application")

    receipt = OutboundEmail.objects.get(template_key="cas2_application_submitted")
    assert receipt.to_address == "clerk@justice.gov.uk"
    notice = OutboundEmail.objects.get(template_key="cas2_application_to_assess")
    assert notice.to_address == PROVIDER_INBOX and referral.reference in notice.body
    assert service_levels.describe(referral.cohort) in notice.body


def test_an_hdc_application_follows_the_person_to_another_prison(page, live_server, sign_in):
    hewell = cas2_user("hdc", username="e2e.hewell", first_name="Hal", last_name="Hewell")
    cas2_user("hdc", prison="BMI", username="e2e.birmingham", first_name="Bea", last_name="Brum")
    admin = make_user(Role.ADMIN, region_code="NA", username="e2e.events")
    _, token = create_api_token(None, admin, "Prison events feed")

    sign_in("e2e.hewell", TEST_PASSWORD)
    page.get_by_role("link", name="Start a CAS2 application").first.click()
    assert_accessible(page, "start")
    if page.get_by_label("Home Detention Curfew").count():  # one route only: straight to the person
        page.get_by_label("Home Detention Curfew").check()
        page.get_by_role("button", name="Continue").click()
    page.get_by_label("What is the person’s prison number?").fill(HEWELL_NOMS.lower())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Confirm .*’s details"))).to_be_visible()
    assert_accessible(page, "confirm person")
    page.get_by_role("button", name=re.compile("^Confirm")).click()
    assert_accessible(page, "task list")
    referral = Referral.objects.get(created_by=hewell)
    expect(page.get_by_role("link", name=TITLES["bail-hearing"], exact=True)).to_have_count(0)
    complete_tasks(page, referral)
    page.locator('input[name="declaration"]').check()
    page.get_by_role("button", name="Send the application").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Application sent")
    assert_accessible(page, "confirmation")
    referral.refresh_from_db()
    assert referral.current_prison.code == "HEI" and referral.hdc_eligibility_date is not None
    person = referral.person_name

    # The prison system's publisher says the person moved to Birmingham.
    event = {
        "eventType": "prisoner-offender-search.prisoner.updated",
        "additionalInformation": {"nomsNumber": HEWELL_NOMS, "categoriesChanged": ["LOCATION"], "prisonId": "BMI"},
    }
    response = page.request.post(
        f"{live_server.url}/api/v1/prison-events", data=event, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status == 200, response.text()
    assert response.json()["changed"] == [str(referral.pk)]

    page.get_by_role("button", name="Sign out").click()
    sign_in("e2e.birmingham", TEST_PASSWORD)
    page.goto(f"{live_server.url}/cas2/applications")
    page.get_by_role("link", name="Your prison’s applications").click()
    assert_accessible(page, "Birmingham's applications")
    page.get_by_role("link", name=person).click()
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("Moved prison")
    expect(timeline).to_contain_text(re.compile(r"Moved from [^.]*Hewell[^.]* to [^.]*Birmingham"))
    expect(page.locator("main")).to_contain_text("Prison now")
    screenshot(page, "cas2-hdc-moved")
    assert_accessible(page, "moved application")

    page.get_by_role("button", name="Sign out").click()
    sign_in("e2e.hewell", TEST_PASSWORD)
    page.goto(f"{live_server.url}/cas2/applications")
    page.get_by_role("link", name="Your prison’s applications").click()
    expect(page.locator("main")).not_to_contain_text(person)
    assert_accessible(page, "Hewell's applications")
    page.goto(f"{live_server.url}/cas2/applications/submitted")
    expect(page.locator("tbody")).to_contain_text(person)
    assert_accessible(page, "Hewell POM's sent list")


def update_status(page, label: str, *, details: tuple[str, ...] = (), text: str = "") -> None:
    page.get_by_role("button", name="Update the status").first.click()
    assert_accessible(page, f"status: {label}")
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    if details or text:
        assert_accessible(page, f"details: {label}")
        for detail in details:
            page.get_by_label(detail, exact=True).check()
        if text:
            page.get_by_label(re.compile("Anything else the referrer should know")).fill(text)
        page.get_by_role("button", name="Update the status").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Status updated to " + label.lower())
    assert_accessible(page, f"updated: {label}")


def test_the_referrer_answers_the_providers_request_and_the_provider_places_the_person(page, live_server, sign_in):
    referrer = cas2_user(
        "court_bail", username="e2e.court2", email="court.two@justice.gov.uk", first_name="Cy", last_name="Court"
    )
    _, referral = submitted("court_bail", referrer)
    make_user(Role.CAS2_ASSESSOR, region_code="NA", username="e2e.nacro2", first_name="Ada", last_name="Nacro")
    application = f"{live_server.url}/cas2/assessments/{referral.pk}"
    before = set(OutboundEmail.objects.values_list("pk", flat=True))

    sign_in("e2e.nacro2", TEST_PASSWORD)
    page.goto(application)
    assert_accessible(page, "provider's application")
    update_status(
        page, "More information requested", details=("Funding and ID",), text="Which benefits do they receive?"
    )
    page.get_by_role("button", name="Sign out").click()

    sign_in("e2e.court2", TEST_PASSWORD)
    page.goto(f"{live_server.url}/cas2/applications/submitted")
    expect(page.locator("tbody tr", has_text=referral.person_name)).to_contain_text("More information needed")
    assert_accessible(page, "sent list, information requested")
    page.get_by_role("link", name=referral.person_name).click()
    banner = page.locator(".govuk-notification-banner", has_text="The provider needs more information")
    expect(banner).to_be_visible()
    expect(page.locator(".moj-timeline")).to_contain_text("Which benefits do they receive?")
    assert_accessible(page, "application with a reopened section")
    banner.get_by_role("link", name=TITLES["funding-information"]).click()
    for _, slug, values in [p for p in pages(clock.today()) if p[0] == "funding-information"]:
        expect(page).to_have_url(re.compile(rf"/tasks/funding-information/{slug}$"))
        assert_accessible(page, f"reopened {slug}")
        if slug == "national-insurance":
            values = {"number": "QQ654321C"}
        fill_page(page, values)
    page.goto(f"{live_server.url}/cas2/applications/{referral.pk}")
    assert_accessible(page, "reopened section answered")
    page.get_by_role("button", name="Send the information").click()
    expect(page.locator(".govuk-notification-banner", has_text="The provider needs more information")).to_have_count(0)
    expect(page.locator(".moj-timeline")).to_contain_text("Information sent")
    assert_accessible(page, "information sent")
    page.get_by_label(re.compile("note", re.IGNORECASE)).fill("The hearing is now on Friday.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".moj-timeline")).to_contain_text("The hearing is now on Friday.")
    assert_accessible(page, "referrer's note")
    page.get_by_role("button", name="Sign out").click()

    sign_in("e2e.nacro2", TEST_PASSWORD)
    page.goto(application)
    expect(page.locator(".moj-timeline")).to_contain_text("The hearing is now on Friday.")
    update_status(page, "Awaiting decision")
    update_status(page, "Place offered")
    update_status(page, "Offer accepted")
    update_status(page, "Awaiting arrival")
    page.get_by_role("button", name="Add a note for the referrer").click()
    assert_accessible(page, "notes")
    page.get_by_label("Add a note for the referrer").fill("The room is ready from Monday.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("court.two@justice.gov.uk")
    assert_accessible(page, "provider's note")
    page.get_by_role("button", name="Sign out").click()

    sign_in("e2e.court2", TEST_PASSWORD)
    page.goto(f"{live_server.url}/cas2/applications/{referral.pk}")
    expect(page.locator("main")).to_contain_text("Awaiting arrival")
    expect(page.locator(".moj-timeline")).to_contain_text("The room is ready from Monday.")
    assert_accessible(page, "referrer sees the placement")

    referral.refresh_from_db()
    assert referral.status == Status.AWAITING_ARRIVAL and referral.reopened_tasks == []
    emails = OutboundEmail.objects.exclude(pk__in=before)
    to_referrer = [e.template_key for e in emails.filter(to_address="court.two@justice.gov.uk")]
    to_provider = [e.template_key for e in emails.filter(to_address=PROVIDER_INBOX)]
    assert to_referrer.count("cas2_status_updated") == 5, to_referrer
    assert "cas2_note_to_referrer" in to_referrer, to_referrer
    assert "cas2_note_from_referrer" in to_provider and "cas2_information_sent" in to_provider, to_provider
