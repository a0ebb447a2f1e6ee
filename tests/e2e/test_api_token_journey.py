"""An administrator creates an API token for a system user, sees it listed on the user's page and
revokes it there; the token stops working at once. Axe on every page."""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from cas.core.models import AuditEvent
from cas.core.roles import Role
from tests.e2e.conftest import assert_accessible, screenshot
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_lists_and_revokes_a_users_api_token(page, live_server, sign_in):
    make_user(Role.ADMIN, region_code="NA", username="e2e.token.admin")
    system = make_user(Role.REPORTER, region_code="NA", username="e2e.ndelius", first_name="NDelius", last_name="Feed")
    sign_in("e2e.token.admin", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('web:user-detail', args=[system.pk])}")
    expect(page.get_by_text("This user has no API tokens.")).to_be_visible()

    page.get_by_role("button", name="Create an API token").click()
    page.get_by_label("What is the token for?").fill("Event feed reader")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#token").inner_text()
    assert Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200

    page.get_by_role("link", name="Back to NDelius Feed").click()
    table = page.get_by_role("table", name="API tokens of NDelius Feed")
    expect(table).to_contain_text("Event feed reader")
    expect(table).to_contain_text("by e2e.token.admin")
    expect(table).to_contain_text("Active")
    screenshot(page, "user-api-tokens")
    assert_accessible(page, "user page with an API token")

    table.get_by_role("link", name="Revoke the token Event feed reader").click()
    expect(page.get_by_role("heading", name="Revoke the token ‘Event feed reader’?")).to_be_visible()
    assert_accessible(page, "revoke confirmation")
    page.get_by_role("button", name="Yes, revoke it").click()
    expect(page.get_by_text("Token ‘Event feed reader’ revoked")).to_be_visible()
    expect(table).to_contain_text("Revoked")
    expect(table.get_by_role("link", name="Revoke the token Event feed reader")).to_have_count(0)
    assert_accessible(page, "user page with a revoked token")
    assert Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoked", subject_id=str(system.pk)).count() == 1
