import pytest
from django.urls import reverse

from cas.core.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_health_and_readiness(client):
    assert client.get("/health").json() == {"status": "UP"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "UP", "migrations": "UP"}


@pytest.mark.parametrize(
    "name,heading",
    [
        ("web:accessibility", "Accessibility statement"),
        ("web:cookies", "Cookies"),
        ("web:privacy", "Privacy notice"),
    ],
)
def test_legal_pages_are_public_and_linked_from_footer(client, name, heading):
    body = client.get(reverse(name)).content.decode()
    assert heading in body
    footer = client.get(reverse("accounts:sign-in")).content.decode()
    assert f'href="{reverse(name)}"' in footer


def test_layout_has_service_name_phase_banner_and_assets(client):
    body = client.get(reverse("accounts:sign-in")).content.decode()
    assert "Community Accommodation Service" in body
    assert "govuk-phase-banner" in body
    assert "/static/vendor/govuk-frontend/govuk-frontend.min.css" in body
    assert 'type="module"' in body
    assert "cdn" not in body.lower()


def test_security_headers(client):
    response = client.get(reverse("accounts:sign-in"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    # The one inline script (the GOV.UK body-class snippet) carries the nonce from the header.
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_navigation_depends_on_roles(client):
    client.force_login(make_user(Role.ADMIN, region_code="NA"))
    admin_nav = client.get(reverse("web:reference-index")).content.decode()
    assert 'href="/manage/users"' in admin_nav and 'href="/people"' not in admin_nav
    client.force_login(make_user(Role.CAS3_REFERRER))
    referrer_nav = client.get(reverse("web:reference-index")).content.decode()
    assert 'href="/people"' in referrer_nav and 'href="/manage/users"' not in referrer_nav


def test_404_page_uses_layout(client):
    client.force_login(make_user(Role.REPORTER))
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_user_with_several_roles_sees_sub_navigation(client):
    client.force_login(make_user(Role.CAS3_ASSESSOR, Role.REPORTER))
    body = client.get(reverse("web:role-home", args=["reporter"])).content.decode()
    assert "moj-sub-navigation" in body
    assert "Homelessness Prevention Team" in body


def test_request_id_and_structured_request_log(client, caplog):
    import json
    import logging

    from cas.core.logging import JsonFormatter, RequestIdFilter

    with caplog.at_level(logging.INFO, logger="cas.request"):
        response = client.get("/health", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-Id"] == "abc123"
    record = next(r for r in caplog.records if r.name == "cas.request")
    assert record.status_code == 200 and record.path == "/health"
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET /health 200" and line["level"] == "INFO" and "duration_ms" in line


def test_the_reporters_home_page_leads_to_the_dashboard_and_the_reports(client):
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    body = client.get(reverse("web:role-home", args=["reporter"])).content.decode()
    main = body[body.index("<main") :]
    for name in ("web:dashboard", "web:reports", "web:statistics"):
        assert f'href="{reverse(name)}"' in main, name


def test_the_navigation_has_no_home_item_and_no_username(client):
    """The service name goes home, and the navigation fits one line at 1280 pixels (the browser
    check is tests/e2e/test_cas3_quick_start_polish.py): no "Home" item, no "Signed in as" text."""
    client.force_login(make_user(Role.CAS3_ASSESSOR, username="nw.assessor", first_name="Gareth", last_name="Lloyd"))
    body = client.get(reverse("web:role-home", args=["cas3-assessor"])).content.decode()
    nav = body[body.index("govuk-service-navigation") : body.index("</header>")]
    assert 'class="govuk-service-navigation__link" href="/home"' not in nav
    assert "Signed in as" not in nav and "nw.assessor" not in nav
    assert '<span class="govuk-visually-hidden"> Gareth Lloyd</span>' in nav
