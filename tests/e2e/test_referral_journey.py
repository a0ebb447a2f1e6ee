"""A probation practitioner makes a whole CAS3 referral in the browser: start, CRN, confirm the
person, every task of the task list, check the answers (and change one), the declaration, the
confirmation; then an administrator finds the receipt in the outbox. axe runs on every page."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from cas.core import clock
from cas.core.roles import Role
from cas.demo.referrals import complete_answers
from cas.referrals.cas3.definition import DEFINITION
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.models import Referral
from tests.e2e.conftest import assert_accessible, screenshot
from tests.factories import TEST_PASSWORD, make_user, pdu

pytestmark = pytest.mark.django_db(transaction=True)


def fill_page(page, values: dict) -> None:
    """Answer a question page as a person would, from the JSON values of the demo answers."""
    for name, value in values.items():
        if value in (None, ""):
            continue
        if isinstance(value, list):
            for item in value:
                page.locator(f'input[name="{name}"][value="{item}"]').check()
            continue
        radio = page.locator(f'input[type="radio"][name="{name}"][value="{value}"]')
        if radio.count():
            radio.check()
            continue
        if page.locator(f'input[name="{name}-day"]').count():
            day = dt.date.fromisoformat(value)
            page.locator(f'input[name="{name}-day"]').fill(str(day.day))
            page.locator(f'input[name="{name}-month"]').fill(str(day.month))
            page.locator(f'input[name="{name}-year"]').fill(str(day.year))
            continue
        field = page.locator(f'[name="{name}"]')
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(str(value))
        else:
            field.fill(str(value))


def test_referrer_completes_a_whole_referral(page, live_server, sign_in):
    user = make_user(Role.CAS3_REFERRER, username="e2e.pp", pdu=pdu("N51LPLS"), first_name="Priya", last_name="Shah")
    make_user(Role.ADMIN, region_code="NA", username="e2e.admin")
    sign_in("e2e.pp", TEST_PASSWORD)
    assert_accessible(page, "referrer home")

    page.get_by_role("link", name="Make a referral").first.click()
    expect(page.get_by_role("heading", name="Make a referral for transitional accommodation (CAS3)")).to_be_visible()
    assert_accessible(page, "start")
    page.get_by_role("button", name="Start now").click()
    assert_accessible(page, "crn")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a CRN")
    assert_accessible(page, "crn error")
    page.get_by_label("What is the person’s CRN?").fill("X000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("No person with CRN X000000 was found")
    assert_accessible(page, "unknown crn")
    page.get_by_label("What is the person’s CRN?").fill("X100001")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Confirm Daniel Hughes’s details")).to_be_visible()
    expect(page.get_by_text("fetched on")).to_be_visible()
    assert_accessible(page, "confirm person")
    page.get_by_role("button", name="Confirm and continue").click()

    expect(page.get_by_role("heading", name="Make a referral for transitional accommodation")).to_be_visible()
    assert_accessible(page, "task list")
    referral = Referral.objects.get()
    titles = {t.slug: t.title for t in DEFINITION.tasks()}

    answers = complete_answers(today=clock.today())
    for task, slug, values in answers:
        expected = f"/referrals/{referral.pk}/tasks/{task}/{slug}"
        if slug.startswith("practitioner-"):
            # From the details confirmation page, change the one detail the account lacks.
            page.get_by_role("link", name=titles[task], exact=True).click()
            expect(page.get_by_role("heading", name="Check your details")).to_be_visible()
            assert_accessible(page, "contact details confirmation")
            page.get_by_role("link", name="Enter your phone number").click()
        elif expected not in page.url:
            page.get_by_role("link", name=titles[task], exact=True).click()
        expect(page).to_have_url(re.compile(re.escape(expected) + "$"))
        assert_accessible(page, f"{task}/{slug}")
        if values:
            fill_page(page, values)
        page.locator("main form button.govuk-button").first.click()
        if slug == "review":
            break
    else:
        pytest.fail("the check-your-answers page was never reached")

    expect(page.get_by_role("heading", name="Send the referral")).to_be_visible()
    assert_accessible(page, "declaration")
    # Back to check the answers once more, and change one through its change link.
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_role("heading", name="Check your answers before you send the referral")).to_be_visible()
    screenshot(page, "referral-check-answers")
    page.get_by_role("link", name="Change What is Daniel Hughes’s phone number? (optional)").click()
    assert_accessible(page, "change from check answers")
    page.get_by_label("What is Daniel Hughes’s phone number? (optional)").fill("07700 900123")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your answers before you send the referral")).to_be_visible()
    expect(page.locator("main")).to_contain_text("07700 900123")
    assert_accessible(page, "check answers")
    page.get_by_role("button", name="Confirm your answers").click()

    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that the information you have given")
    assert_accessible(page, "declaration error")
    page.get_by_label("I confirm that the information I have given is complete, accurate and up to date").check()
    page.get_by_role("button", name="Send the referral").click()

    expect(page.locator(".govuk-panel")).to_contain_text("Referral sent")
    referral.refresh_from_db()
    expect(page.locator(".govuk-panel")).to_contain_text(referral.reference)
    expect(page.locator("main")).to_contain_text("North West Homelessness Prevention Team")
    screenshot(page, "referral-confirmation")
    assert_accessible(page, "confirmation")
    assert referral.status == ReferralStatus.UNALLOCATED and referral.region.delius_code == "N51"

    page.get_by_role("link", name="View the referral as you sent it").click()
    expect(page.locator("main")).to_contain_text("exactly as you sent them")
    expect(page.locator("main")).to_contain_text("07700 900123")
    assert_accessible(page, "sent referral")
    page.get_by_role("link", name="Referrals", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Submitted \(1\)")).click()
    expect(page.locator("table")).to_contain_text("Daniel Hughes")
    assert_accessible(page, "submitted list")

    # The receipt is in the outbox, where an administrator can read it.
    page.get_by_role("button", name="Sign out").click()
    sign_in("e2e.admin", TEST_PASSWORD)
    page.goto(f"{live_server.url}/manage/emails")
    expect(page.locator("table")).to_contain_text("Referral received: CAS3 referral for Daniel Hughes (X100001)")
    expect(page.locator("table")).to_contain_text(user.email)
    assert_accessible(page, "outbox")
    page.get_by_role("link", name=re.compile("Referral received")).first.click()
    expect(page.locator("main")).to_contain_text(referral.reference)
    assert_accessible(page, "receipt")
