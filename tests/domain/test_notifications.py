import json
import json as jsonlib

import pytest
import requests
from django.urls import reverse

from cas.core.roles import Role
from cas.events import notifications
from cas.events.email_templates import EMAIL_TEMPLATES, EmailTemplate, MissingPersonalisation
from cas.events.models import OutboundEmail
from cas.events.notify import NotifyClient, NotifyError, make_token, parse_api_key
from tests.factories import make_user

pytestmark = pytest.mark.django_db

API_KEY = "cas_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"
PERSONALISATION = {"name": "Nia Evans", "username": "nia", "sign_in_url": "http://x/account/sign-in"}


class RecordedNotify:
    """A requests.Session stand-in replaying GOV.UK Notify's documented responses."""

    def __init__(self, status=201, body=None, exc=None):
        self.status, self.body, self.exc, self.calls = status, body, exc, []

    def post(self, url, json=None, headers=None, timeout=None):
        self.calls.append({"url": url, "json": json, "headers": headers, "timeout": timeout})
        if self.exc:
            raise self.exc
        response = requests.Response()
        response.status_code = self.status
        response._content = jsonlib.dumps(self.body).encode()
        return response


NOTIFY_CREATED = {
    "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
    "reference": None,
    "content": {"subject": "Your account", "body": "Hello", "from_email": "cas@notifications.service.gov.uk"},
    "uri": "https://api.notifications.service.gov.uk/v2/notifications/740e5834-3a29-46b4-9a6f-16142fde533a",
    "template": {"id": "f33517ff-2a88-4f6e-b855-c550268ce08a", "version": 1, "uri": "https://..."},
}
NOTIFY_BAD_REQUEST = {
    "status_code": 400,
    "errors": [{"error": "BadRequestError", "message": "Can't send to this recipient using a team-only API key"}],
}


def test_outbox_adapter_records_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = notifications.send_email("account_created", to="nia@justice.gov.uk", personalisation=PERSONALISATION)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.RECORDED and email.attempts == 1
    assert "Your username is nia" in email.body and "http://x/account/sign-in" in email.body


def test_nothing_is_delivered_if_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.send_email("account_created", to="nia@justice.gov.uk", personalisation=PERSONALISATION)
    assert len(callbacks) == 1  # only runs on commit


def test_missing_personalisation_is_refused():
    with pytest.raises(MissingPersonalisation):
        notifications.send_email("account_created", to="a@justice.gov.uk", personalisation={"name": "x"})


def test_every_template_renders_with_its_placeholders():
    for template in EMAIL_TEMPLATES.values():
        subject, body = template.render({name: f"<{name}>" for name in template.placeholders()})
        assert subject and body and "((" not in subject + body


def test_template_placeholders():
    template = EmailTemplate("k", "Hi ((name))", "((name)) ((thing))", "")
    assert template.placeholders() == {"name", "thing"}


def test_notify_token_and_key_parsing():
    service_id, secret = parse_api_key(API_KEY)
    assert service_id == "26785a09-ab16-4eb0-8407-a37497a57506"
    header, claims, signature = make_token(service_id, secret, now=1_700_000_000).split(".")
    import base64

    decoded = json.loads(base64.urlsafe_b64decode(claims + "=="))
    assert decoded == {"iss": service_id, "iat": 1_700_000_000} and signature
    with pytest.raises(NotifyError):
        parse_api_key("not-a-key")


def test_notify_client_sends_and_reports_errors():
    session = RecordedNotify(201, NOTIFY_CREATED)
    client = NotifyClient(API_KEY, session=session)
    assert client.send_email(template_id="t", email_address="a@b.gov.uk", personalisation={}) == NOTIFY_CREATED["id"]
    assert session.calls[0]["headers"]["Authorization"].startswith("Bearer ")
    with pytest.raises(NotifyError, match="team-only API key"):
        NotifyClient(API_KEY, session=RecordedNotify(400, NOTIFY_BAD_REQUEST)).send_email(
            template_id="t", email_address="a@b.gov.uk", personalisation={}
        )
    with pytest.raises(NotifyError, match="could not be reached"):
        NotifyClient(API_KEY, session=RecordedNotify(exc=requests.Timeout())).send_email(
            template_id="t", email_address="a@b.gov.uk", personalisation={}
        )


def test_notify_adapter_marks_sent_or_failed(settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS = {"adapter": "notify", "api_key": API_KEY, "template_ids": {"account_created": "tid"}}
    session = RecordedNotify(201, NOTIFY_CREATED)
    monkeypatch.setattr(notifications, "_notify_client", lambda: NotifyClient(API_KEY, session=session))
    with django_capture_on_commit_callbacks(execute=True):
        email = notifications.send_email("account_created", to="n@justice.gov.uk", personalisation=PERSONALISATION)
    email.refresh_from_db()
    assert email.status == "sent" and email.provider_id == NOTIFY_CREATED["id"]
    # Delivering again never sends twice.
    notifications.deliver(email.pk)
    assert len(session.calls) == 1

    failing = RecordedNotify(400, NOTIFY_BAD_REQUEST)
    monkeypatch.setattr(notifications, "_notify_client", lambda: NotifyClient(API_KEY, session=failing))
    with django_capture_on_commit_callbacks(execute=True):
        email = notifications.send_email("account_created", to="n@justice.gov.uk", personalisation=PERSONALISATION)
    email.refresh_from_db()
    assert email.status == "failed" and "team-only" in email.error


def test_new_user_gets_a_welcome_email_readable_in_the_outbox(client, django_capture_on_commit_callbacks):
    from tests.factories import region

    admin = make_user(Role.ADMIN, region_code="NA")
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("web:user-create"),
            {
                "username": "nia.evans",
                "first_name": "Nia",
                "last_name": "Evans",
                "email": "nia.evans@justice.gov.uk",
                "roles": ["cas3_referrer"],
                "region": region("N03").pk,
            },
        )
    email = OutboundEmail.objects.get(to_address="nia.evans@justice.gov.uk")
    listing = client.get(reverse("web:outbox-list"), {"q": "nia.evans"}).content.decode()
    assert "Your account for the Community Accommodation Service" in listing
    detail = client.get(reverse("web:outbox-detail", args=[email.pk])).content.decode()
    assert "Your username is nia.evans" in detail
