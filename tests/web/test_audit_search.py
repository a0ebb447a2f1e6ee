"""The administrators' audit search shows what each recorded action means, from the registry."""

import re

import pytest
from django.urls import reverse
from markupsafe import escape

from cas.core import audit, audit_actions
from cas.core.models import AuditEvent
from cas.core.roles import Role
from tests.factories import make_user
from tests.tiers import tier as test_tier

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_each_event_shows_its_action_and_what_it_means(admin_client, admin_user):
    user = make_user(Role.CAS3_REFERRER, username="audit.page.subject")
    audit.record_change(admin_user, "user.unlocked", user, before=None, after=None)
    # An action recorded before it was renamed still shows, with no description to give.
    AuditEvent.objects.create(kind=AuditEvent.Kind.CHANGE, action="user.renamed_long_ago", actor_username="old")

    page = admin_client.get(reverse("web:audit-list"), {"action": "user."}).content.decode()

    assert "user.unlocked" in page
    assert escape(audit_actions.get("user.unlocked").description) in page
    assert "user.renamed_long_ago" in page


def test_the_page_lists_every_action_by_area_with_its_description(admin_client):
    page = admin_client.get(reverse("web:audit-list")).content.decode()

    assert "The actions the audit records" in page
    for action in audit_actions.every_action():
        assert re.search(rf'<dt class="govuk-summary-list__key">\s*{re.escape(action.name)}\s*</dt>', page), action.name
        assert escape(action.description) in page, action.name
    for area in {action.area for action in audit_actions.every_action()}:
        assert f'<h2 class="govuk-heading-s">{escape(area)}</h2>' in page
    # The referral workflow's actions are among them without being declared by hand.
    assert escape(audit_actions.get("referral.allocate").description) in page


def test_a_tier_registered_later_has_its_workflow_actions_listed(admin_client):
    with test_tier.registered():
        page = admin_client.get(reverse("web:audit-list")).content.decode()
    assert escape(audit_actions.WORKFLOW_PREFIX + "withdraw_offer") in page
