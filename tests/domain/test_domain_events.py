import datetime as dt
import json

import pytest
import requests
from django.urls import reverse

from cas.accounts.services import create_api_token, revoke_api_token
from cas.core import clock
from cas.core.roles import Role
from cas.events import publishers
from cas.events.domain_events import EVENT_TYPES, EventType, publish, redeliver_pending, signature
from cas.events.models import DomainEvent, EventDelivery
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_type():
    EVENT_TYPES["test.thing.happened"] = EventType("test.thing.happened", "A thing happened to a person")
    yield "test.thing.happened"
    del EVENT_TYPES["test.thing.happened"]


class Webhook:
    def __init__(self, statuses):
        self.statuses, self.calls = list(statuses), []

    def __call__(self, url, data=None, headers=None, timeout=None):
        self.calls.append((url, json.loads(data), headers["X-CAS-Signature"].removeprefix("sha256=")))
        status = self.statuses.pop(0)
        if isinstance(status, Exception):
            raise status
        response = requests.Response()
        response.status_code = status
        return response


def test_event_goes_to_the_feed_after_commit(event_type, django_capture_on_commit_callbacks):
    subject = make_user(Role.CAS3_REFERRER)
    with django_capture_on_commit_callbacks(execute=True):
        event = publish(event_type, service="cas3", crn="X100001", subject=subject, detail={"a": 1})
    event.refresh_from_db()
    assert event.delivery == DomainEvent.Delivery.FEED_ONLY and event.attempts == 1


def test_no_event_without_commit(event_type, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(event_type, service="cas3", crn="X100001", subject=make_user(), detail={})
    assert len(callbacks) == 1


def test_webhook_delivery_signed_retried_and_never_twice(
    event_type, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EVENTS = {"webhook_url": "https://delius.example/events", "webhook_secret": "s3cret", "timeout": 2}
    hook = Webhook([requests.ConnectionError("down"), 503, 202])
    monkeypatch.setattr(publishers.requests, "post", hook)
    with django_capture_on_commit_callbacks(execute=True):
        event = publish(
            event_type, service="cas3", crn="X100002", subject=make_user(), detail={"b": 2}, noms_number="A1234BC"
        )
    event.refresh_from_db()
    assert event.delivery == "failed" and "down" in event.last_error
    assert redeliver_pending() == 0  # backing off: not due yet
    later = clock.now() + dt.timedelta(minutes=1)
    redeliver_pending(later)
    event.refresh_from_db()
    assert event.delivery == "failed" and "503" in event.last_error
    redeliver_pending(later + dt.timedelta(minutes=2))
    event.refresh_from_db()
    assert event.delivery == "delivered" and event.attempts == 3
    assert redeliver_pending(later + dt.timedelta(hours=1)) == 0 and len(hook.calls) == 3
    log = list(EventDelivery.objects.get(event=event).log.values_list("status_code", "error"))
    assert log[0][0] is None and "down" in log[0][1]
    assert [code for code, _ in log[1:]] == [None, 202] and "503" in log[1][1]
    url, message, sig = hook.calls[-1]
    assert message["eventType"] == event_type and message["personReference"]["identifiers"] == [
        {"type": "CRN", "value": "X100002"},
        {"type": "NOMS", "value": "A1234BC"},
    ]
    assert message["detailUrl"].endswith(reverse("api:event-detail", args=[event.pk]))
    assert sig == signature(json.dumps(message).encode(), "s3cret")


def test_feed_api_with_bearer_token(event_type, client, django_capture_on_commit_callbacks):
    system = make_user(Role.REPORTER, region_code="NA", username="ndelius.integration")
    api_token, token = create_api_token(None, system, "NDelius")
    with django_capture_on_commit_callbacks(execute=True):
        first = publish(event_type, service="cas3", crn="X100001", subject=system, detail={"n": 1})
        publish(event_type, service="cas3", crn="X100002", subject=system, detail={"n": 2})
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    feed = client.get(reverse("api:event-feed"), **auth).json()
    assert [e["personReference"]["identifiers"][0]["value"] for e in feed["results"]] == ["X100001", "X100002"]
    later = client.get(reverse("api:event-feed"), {"after": first.occurred_at.isoformat()}, **auth).json()
    assert later["count"] == 1
    assert client.get(reverse("api:event-feed"), {"after": "yesterday"}, **auth).status_code == 400
    detail = client.get(reverse("api:event-detail", args=[first.pk]), **auth).json()
    assert detail["detail"] == {"n": 1}
    revoke_api_token(None, api_token)
    assert client.get(reverse("api:event-feed"), **auth).status_code in (401, 403)
    assert client.get(reverse("api:event-feed"), HTTP_AUTHORIZATION="Bearer nonsense").status_code in (401, 403)


def test_feed_refused_to_roles_without_permission(client):
    client.force_login(make_user(Role.CAS3_REFERRER))
    assert client.get(reverse("api:event-feed")).status_code == 403


def test_admin_creates_and_revokes_a_token(client):
    admin = make_user(Role.ADMIN, region_code="NA")
    system = make_user(Role.REPORTER, region_code="NA")
    client.force_login(admin)
    page = client.post(reverse("web:user-token-create", args=[system.pk]), {"name": "NDelius integration"})
    body = page.content.decode()
    assert page["Cache-Control"] == "no-store" and "It will not be shown again" in body
    token = body.split('<code id="token">')[1].split("</code>")[0]
    client.logout()
    assert client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {token}").json()["username"] == system.username
    client.force_login(admin)
    api_token = system.api_tokens.get()
    client.post(reverse("web:user-token-revoke", args=[system.pk, api_token.pk]))
    client.logout()
    assert client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {token}").status_code in (401, 403)
    empty = client.post(reverse("web:user-token-create", args=[system.pk]), {"name": ""})
    assert empty.status_code == 302  # signed out now: back to sign-in, nothing created
    assert system.api_tokens.count() == 1


@pytest.mark.parametrize("after", ["2463-04-03T10:59:25.853279-23:21", "9999-12-31T23:59:59-23:59", "2026-01-01T00:00"])
def test_feed_accepts_any_valid_time_and_refuses_overflow(client, after):
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    response = client.get(reverse("api:event-feed"), {"after": after})
    assert response.status_code in (200, 400)
