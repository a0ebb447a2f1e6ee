"""Foundation journeys: signing in per role, an administrator managing a user, a person look-up,
and an axe sweep over every page that exists."""

import re

import pytest
from playwright.sync_api import expect

from cas.accounts.models import User
from cas.core.models import AuditEvent
from cas.core.roles import NATIONAL_ROLES, Role
from tests.e2e.conftest import assert_accessible, screenshot
from tests.factories import TEST_PASSWORD, make_user
from tests.url_samples import all_urls, build, build_context, downloads, expected_allowed, post_only, view_rule

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_manages_a_user_end_to_end(page, live_server, sign_in):
    make_user(Role.ADMIN, region_code="NA", username="e2e.admin")
    sign_in("e2e.admin", TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Service administration")).to_be_visible()
    assert_accessible(page, "admin home")

    page.get_by_role("link", name="Users").first.click()
    page.get_by_role("button", name="Add a user").click()
    # Submitting empty shows the GOV.UK error summary, focused, with links to the fields.
    page.get_by_role("button", name="Save user").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a username")
    assert_accessible(page, "add user with errors")

    page.get_by_label("Username").fill("e2e.newuser")
    page.get_by_label("First name").fill("Rhys")
    page.get_by_label("Last name").fill("Morgan")
    page.get_by_label("Email address").fill("rhys.morgan@justice.gov.uk")
    page.get_by_label("CAS3 assessor (Homelessness Prevention Team)").check()
    page.get_by_label("Probation region").select_option(label="Wales")
    page.get_by_role("button", name="Save user").click()
    expect(page.get_by_text("User e2e.newuser created")).to_be_visible()
    screenshot(page, "user-detail")
    assert_accessible(page, "user detail")

    page.get_by_role("button", name="Deactivate user").click()
    assert_accessible(page, "deactivate confirmation")
    page.get_by_role("button", name="Yes, deactivate").click()
    expect(page.get_by_text("e2e.newuser deactivated")).to_be_visible()
    expect(page.locator(".moj-timeline")).to_contain_text("Deactivated")
    assert not User.objects.get(username="e2e.newuser").is_active
    assert AuditEvent.objects.filter(action__in=["user.created", "user.deactivated"]).count() == 2

    page.get_by_role("link", name="Audit").first.click()
    expect(page.locator("table")).to_contain_text("user.deactivated")
    assert_accessible(page, "audit")


def test_referrer_finds_a_person_without_javascript(browser, live_server):
    make_user(Role.CAS3_REFERRER, username="e2e.referrer")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/people")
    expect(page).to_have_url(re.compile(r"/account/sign-in\?next=/people"))
    page.get_by_label("Username").fill("e2e.referrer")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/people$"))
    page.get_by_label("CRN").fill("X1")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a CRN in the correct format")
    page.get_by_label("CRN").fill("X100001")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("CRN X100001")).to_be_visible()
    screenshot(page, "person-detail")
    context.close()


@pytest.mark.parametrize("role", list(Role))
def test_every_page_passes_axe(page, live_server, sign_in, role):
    """Sign in as each role and run axe on every page that role may open."""
    user = make_user(role, region_code="NA" if role in NATIONAL_ROLES else "N51", username=f"axe.{role.value}")
    sign_in(user.username, TEST_PASSWORD)
    ctx = build_context()
    skip = post_only() | downloads() | {"web:health", "web:readiness"}
    visited = 0
    for name, callback in all_urls():
        kind, _ = view_rule(callback)
        if kind == "api" or name in skip:
            continue
        if kind != "public" and not expected_allowed(user, name, callback, ctx):
            continue
        page.goto(f"{live_server.url}{build(name, ctx)}")
        assert_accessible(page, f"{role.value} {name}")
        visited += 1
    # The error pages too.
    page.goto(f"{live_server.url}/no-such-page")
    assert_accessible(page, "404")
    assert visited >= 5
