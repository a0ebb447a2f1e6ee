"""What a new user of the quick start sees around the pages (issue 20, points 16 and 18), in the
browser with axe: the header navigation of every demo role fits on one line at 1280 pixels, the
reporter's home page leads to the dashboard and the reports, and a
page that does not exist is the service's own 404 page."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from cas.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

NAV_ROWS = """() => {
  const items = [...document.querySelectorAll('.govuk-service-navigation__item')];
  return new Set(items.map(item => Math.round(item.getBoundingClientRect().top))).size;
}"""


def test_navigation_home_links_and_not_found(page, live_server, sign_in):
    call_command("load_demo_data", verbosity=0)
    page.set_viewport_size({"width": 1280, "height": 800})
    # The first demo user of each role (demo.restricted-access, with two roles, is an edge case).
    for demo in [d for d in DEMO_USERS if len(d.roles) == 1]:
        sign_in(demo.username, DEMO_PASSWORD)
        expect(page.locator(".govuk-service-navigation")).to_be_visible()
        rows = page.evaluate(NAV_ROWS)
        assert rows == 1, f"the navigation of {demo.username} wraps at 1280 pixels"
        page.get_by_role("button", name="Sign out").click()

    sign_in("demo.reporter", DEMO_PASSWORD)
    main = page.get_by_role("main")
    main.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Delivery dashboard")).to_be_visible()
    page.go_back()
    main.get_by_role("link", name="Reports", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}{reverse('web:reports')}")
    page.go_back()
    assert_accessible(page, "reporter home")

    page.goto(f"{live_server.url}/no-such-page/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
    assert_accessible(page, "404 page")
