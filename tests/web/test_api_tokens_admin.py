"""API tokens on the administrator's user page: every token listed (name, created, last used, scope,
status) with a Revoke button that asks first, is audited and stops the token at once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from cas.accounts.models import ApiToken
from cas.accounts.services import create_api_token, revoke_api_token
from cas.core.models import AuditEvent
from cas.core.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return make_user(Role.ADMIN, region_code="NA", username="token.admin")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def system(db):
    return make_user(Role.REPORTER, region_code="NA", username="ndelius.integration")


def api_me(token: str):
    return Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {token}")


def token_rows(page: str) -> list[str]:
    """The API tokens table's body rows, as text."""
    table = page.split('id="api-tokens"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table.split("<tbody", 1)[1], re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_user_page_lists_every_token_with_its_details(admin_client, admin, system):
    used, used_token = create_api_token(admin, system, "Event feed reader")
    create_api_token(None, system, "Never used")
    revoked, _ = create_api_token(admin, system, "Old integration")
    revoke_api_token(admin, revoked)
    assert api_me(used_token).status_code == 200  # records last use

    page = admin_client.get(reverse("web:user-detail", args=[system.pk])).content.decode()
    rows = token_rows(page)
    assert len(rows) == 3
    # Active tokens first (newest first), then revoked ones.
    assert rows[0].startswith("Never used") and "Never" in rows[0] and "Active" in rows[0]
    assert rows[1].startswith("Event feed reader") and f"{used.prefix}…" in rows[1] and "by token.admin" in rows[1]
    assert "Never" not in rows[1].replace("Never used", "")  # last used: a date
    assert "Same as the user" in rows[1]
    assert rows[2].startswith("Old integration") and "Revoked" in rows[2] and "Revoke the token" not in rows[2]
    revoke_url = reverse("web:user-token-revoke", args=[system.pk, used.pk])
    assert f'href="{revoke_url}"' in page
    assert 'Revoke<span class="govuk-visually-hidden"> the token Event feed reader</span>' in page


def test_user_without_tokens(admin_client, system):
    page = admin_client.get(reverse("web:user-detail", args=[system.pk])).content.decode()
    assert "This user has no API tokens." in page


def test_revoke_asks_first_then_stops_the_token_at_once_and_is_audited(admin_client, admin, system):
    api_token, token = create_api_token(admin, system, "Event feed reader")
    kept, kept_token = create_api_token(admin, system, "Another system")
    assert api_me(token).json()["username"] == system.username
    url = reverse("web:user-token-revoke", args=[system.pk, api_token.pk])

    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Revoke the token ‘Event feed reader’?" in body and "last used on" in body
    assert 'name="csrfmiddlewaretoken"' in body and 'method="post"' in body
    assert api_me(token).status_code == 200  # asking is not revoking

    done = admin_client.post(url, follow=True)
    assert done.redirect_chain[-1][0] == reverse("web:user-detail", args=[system.pk]) + "#api-tokens"
    assert "Token ‘Event feed reader’ revoked" in done.content.decode()
    assert api_me(token).status_code == 401  # at once, through the API with the bearer token
    assert api_me(kept_token).status_code == 200  # the user's other tokens keep working
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.actor == admin and event.subject_id == str(system.pk)
    assert event.before == {"token": str(api_token)} and event.after == {"token": None}
    # On the user's page: revoked, in the table and in the history.
    page = done.content.decode()
    assert "API token revoked" in page
    assert "Revoked" in token_rows(page)[1]

    # Again (a second click, or another administrator): nothing more happens.
    again = admin_client.post(url, follow=True)
    assert "was already revoked" in again.content.decode()
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1
    assert "is revoked" in admin_client.get(url).content.decode()


def test_only_administrators_revoke_and_only_with_the_csrf_token(admin, system):
    api_token, token = create_api_token(admin, system, "Event feed reader")
    url = reverse("web:user-token-revoke", args=[system.pk, api_token.pk])
    assessor = Client()
    assessor.force_login(make_user(Role.CAS3_ASSESSOR))
    assert assessor.get(url).status_code == 403 and assessor.post(url).status_code == 403
    assert assessor.get(reverse("web:user-detail", args=[system.pk])).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin)
    assert strict.post(url).status_code == 403
    # Another user's id in the address does not reach this token.
    other = make_user(Role.REPORTER, region_code="NA")
    other_admin = Client()
    other_admin.force_login(admin)
    assert other_admin.post(reverse("web:user-token-revoke", args=[other.pk, api_token.pk])).status_code == 404
    assert ApiToken.objects.get(pk=api_token.pk).is_active and api_me(token).status_code == 200
