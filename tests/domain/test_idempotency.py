"""Idempotent submissions: the same referral submission, booking, booking action or import sent twice
(a double click, the back button, a retry after a lost answer) is carried out once, and the repeat
gets the first result. Through `run_once` itself, the pages' hidden `submission_key`, and the API's
`Idempotency-Key` header (documented in the OpenAPI document)."""

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse

from cas.core import clock, idempotency
from cas.core.errors import DomainError
from cas.core.models import AuditEvent, IdempotencyKey
from cas.core.roles import Role
from cas.events.models import OutboundEmail
from cas.placements.models import Booking
from cas.placements.status import BookingStatus
from cas.premises.models import Bedspace
from cas.referrals.models import Referral
from cas.reporting.models import ManualPlacement, PlacementImport
from tests.estate_factories import make_estate, pdu
from tests.factories import make_user
from tests.placement_factories import cancellation_reason, days, make_booking, make_ready_referral
from tests.referral_factories import complete, make_draft
from tests.reporting.test_official_statistics import FIRST

pytestmark = pytest.mark.django_db


def make_referrer():
    return make_user(Role.CAS3_REFERRER, region_code="N51", pdu=pdu("N51LPLS"))


@pytest.fixture
def assessor(client):
    user = make_user(Role.CAS3_ASSESSOR, region_code="N51")
    client.force_login(user)
    return user


# run_once ----------------------------------------------------------------------------------------


def test_a_key_runs_the_action_once_and_replays_the_first_result():
    user = make_user(Role.CAS3_ASSESSOR)
    calls = []

    def action():
        calls.append(1)
        return {"n": len(calls)}

    first = idempotency.run_once(user, "thing.do", "k-1", action, fingerprint="a")
    again = idempotency.run_once(user, "thing.do", "k-1", action, fingerprint="a")
    assert (first.result, first.replayed) == ({"n": 1}, False)
    assert (again.result, again.replayed) == ({"n": 1}, True)
    assert len(calls) == 1
    # Without a key the action simply runs; another user's identical key is theirs alone.
    assert idempotency.run_once(user, "thing.do", None, action, fingerprint="a").result == {"n": 2}
    other = make_user(Role.CAS3_ASSESSOR, username="other.assessor")
    assert idempotency.run_once(other, "thing.do", "k-1", action, fingerprint="a").result == {"n": 3}


def test_a_key_reused_for_something_else_is_refused():
    user = make_user(Role.CAS3_ASSESSOR)
    idempotency.run_once(user, "thing.do", "k-2", lambda: {"ok": True}, fingerprint="a")
    with pytest.raises(idempotency.KeyReused):
        idempotency.run_once(user, "thing.do", "k-2", lambda: {"ok": False}, fingerprint="b")


def test_a_failed_action_keeps_no_key_and_can_be_sent_again():
    user = make_user(Role.CAS3_ASSESSOR)

    def fails():
        AuditEvent.objects.create(kind="change", action="half.done")  # rolled back with the key
        raise DomainError("Enter a date")

    with pytest.raises(DomainError):
        idempotency.run_once(user, "thing.do", "k-3", fails, fingerprint="a")
    assert not IdempotencyKey.objects.exists()
    assert not AuditEvent.objects.filter(action="half.done").exists()
    assert idempotency.run_once(user, "thing.do", "k-3", lambda: {"ok": 1}, fingerprint="a").replayed is False


def test_keys_expire(settings, monkeypatch):
    user = make_user(Role.CAS3_ASSESSOR)
    idempotency.run_once(user, "thing.do", "k-4", lambda: {"n": 1}, fingerprint="a")
    later = clock.now() + dt.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert idempotency.run_once(user, "thing.do", "k-4", lambda: {"n": 2}, fingerprint="a").result == {"n": 2}
    assert IdempotencyKey.objects.count() == 1
    assert idempotency.prune(older_than_hours=0) == 1


def test_the_prune_command_deletes_only_expired_keys(settings, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    user = make_user(Role.CAS3_ASSESSOR)
    idempotency.run_once(user, "thing.do", "old", lambda: {"n": 1}, fingerprint="a")
    later = clock.now() + dt.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    idempotency.run_once(user, "thing.do", "new", lambda: {"n": 2}, fingerprint="a")
    out = StringIO()
    call_command("prune_idempotency_keys", stdout=out)
    assert "Removed 1 expired submission keys." in out.getvalue()
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.parametrize("key", ["x" * 256, "naïve", "tab\there"])
def test_unusable_keys_are_refused(key):
    user = make_user(Role.CAS3_ASSESSOR)
    with pytest.raises(DomainError) as refused:
        idempotency.run_once(user, "thing.do", key, lambda: {}, fingerprint="a")
    assert refused.value.code == "invalid_idempotency_key"


@pytest.mark.django_db(transaction=True)
def test_the_same_booking_sent_at_the_same_moment_is_made_once():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("needs a file or PostgreSQL database")
    from cas.placements import services

    _, (bedspace,) = make_estate("N51", bedspaces=1)
    user = make_user(Role.CAS3_ASSESSOR, username="twin.assessor")
    barrier = threading.Barrier(4)
    results, errors = [], []

    def book():
        try:
            barrier.wait(timeout=10)
            outcome = idempotency.run_once(
                user,
                "booking.create",
                "same-click",
                lambda: {
                    "booking": str(
                        services.create_booking(
                            user, bedspace, crn="X100001", arrival_date=days(1), departure_date=days(15)
                        ).pk
                    )
                },
                fingerprint="same",
            )
            results.append(outcome)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Booking.objects.count() == 1
    assert {r.result["booking"] for r in results} == {str(Booking.objects.get().pk)}
    assert sorted(r.replayed for r in results) == [False, True, True, True]


# Pages ---------------------------------------------------------------------------------------------


def booking_form(bedspace, crn="X100001", **extra):
    data = {"crn": crn, "confirm": "yes", "link_referral": "none", "notes": ""}
    for name, day in (("arrival_date", days(1)), ("departure_date", days(15))):
        data.update({f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year})
    data.update(extra)
    return data


def test_the_booking_page_sent_twice_books_once(client, assessor):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    url = reverse("web:booking-create", args=[bedspace.pk])
    # The confirm page carries a fresh submission key.
    first_step = {k: v for k, v in booking_form(bedspace).items() if k not in ("confirm", "link_referral", "notes")}
    page = client.post(url, first_step).content.decode()
    assert 'name="submission_key"' in page
    data = booking_form(bedspace, submission_key="page-key-1")
    first = client.post(url, data)
    again = client.post(url, data, follow=True)
    booking = Booking.objects.get()
    assert first.status_code == 302 and first.url == reverse("web:booking-detail", args=[booking.pk])
    assert again.redirect_chain[-1][0] == first.url
    assert "This form had already been sent, so nothing was changed again." in again.content.decode()
    assert AuditEvent.objects.filter(action="booking.created").count() == 1
    # A new form (a new key) is a new attempt, refused by the rules as usual: the bedspace is taken.
    assert client.post(url, booking_form(bedspace, submission_key="page-key-2")).status_code == 409


def test_a_booking_action_sent_twice_happens_once(client, assessor):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = make_booking(bedspace, referral=make_ready_referral(make_referrer()))
    url = reverse("web:booking-confirm", args=[booking.pk])
    assert 'name="submission_key"' in client.get(url).content.decode()
    data = {"version": booking.version, "notes": "", "submission_key": "confirm-1"}
    assert client.post(url, data).status_code == 302
    emails = OutboundEmail.objects.count()
    again = client.post(url, data)
    assert again.status_code == 302 and again.url == reverse("web:booking-detail", args=[booking.pk])
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.version == 1
    assert AuditEvent.objects.filter(action="booking.confirmed").count() == 1
    assert OutboundEmail.objects.count() == emails
    # The same key with other values is refused and changes nothing.
    cancel = reverse("web:booking-cancel", args=[booking.pk])
    today = clock.today()
    refused = client.post(
        cancel,
        {
            "version": booking.version,
            "submission_key": "confirm-1",
            "cancelled_on-day": today.day,
            "cancelled_on-month": today.month,
            "cancelled_on-year": today.year,
            "reason": cancellation_reason().pk,
        },
    )
    assert refused.status_code == 200 and "already used for a different submission" in refused.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_a_failed_action_keeps_the_key_for_the_corrected_form(client, assessor):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = make_booking(bedspace)
    url = reverse("web:booking-turnaround", args=[booking.pk])
    bad = client.post(url, {"version": booking.version, "working_days": "-1", "submission_key": "turn-1"})
    assert bad.status_code == 200 and 'value="turn-1"' in bad.content.decode()
    good = client.post(url, {"version": booking.version, "working_days": "3", "submission_key": "turn-1"})
    assert good.status_code == 302
    booking.refresh_from_db()
    assert booking.turnaround_working_days == 3


def test_an_import_sent_twice_imports_once(client):
    client.force_login(make_user(Role.STATISTICIAN, region_code="NA"))
    url = reverse("web:placement-import")
    assert 'name="submission_key"' in client.get(url).content.decode()

    def send():
        return client.post(
            url, {"file": SimpleUploadedFile("placements.csv", FIRST.encode()), "submission_key": "import-1"}
        )

    assert send().status_code == 302
    page = client.get(url).content.decode()
    again = send()
    assert again.status_code == 302
    replayed = client.get(url).content.decode()
    assert "placements.csv imported: 10 added, 0 updated, 0 unchanged" in page
    assert "placements.csv imported: 10 added" in replayed and "nothing was changed again" in replayed
    assert PlacementImport.objects.count() == 1 and ManualPlacement.objects.count() == 10


def test_an_estate_import_sent_twice_shows_the_first_result(client, assessor):
    content = (
        b"property_reference,pdu,address_line_1,postcode,bedspace_reference,bedspace_start_date\n"
        b"1 Road,Liverpool South,1 Road,L8 1AB,Room 1,2025-01-01\n"
    )
    url = reverse("web:property-import")

    def send():
        return client.post(url, {"file": SimpleUploadedFile("estate.csv", content), "submission_key": "estate-1"})

    first, again = send().content.decode(), send().content.decode()
    assert "Import complete" in first and "Import complete" in again
    # The repeat shows what the import did (one new property), not "nothing changed".
    assert "already in the service" not in again
    assert Bedspace.objects.count() == 1
    assert AuditEvent.objects.filter(action="premises.created").count() == 1


def test_the_referral_submission_sent_twice_submits_once(client):
    referrer = make_referrer()
    referral = make_draft(referrer)
    complete(referrer, referral)
    client.force_login(referrer)
    url = reverse("web:referral-submit", args=[referral.pk])
    assert 'name="submission_key"' in client.get(url).content.decode()
    data = {"declaration": "yes", "submission_key": "submit-1"}
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302 and first.url == again.url
    assert Referral.objects.get(pk=referral.pk).submitted_at is not None
    assert AuditEvent.objects.filter(action="referral.submitted").count() == 1
    assert OutboundEmail.objects.count() == 1


# API -----------------------------------------------------------------------------------------------


def api_post(client, name, args, body, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(reverse(name, args=args), body, content_type="application/json", headers=headers)


def test_api_booking_with_the_same_key_is_made_once(client, assessor):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    body = {"crn": "X100001", "arrival_date": days(1).isoformat(), "departure_date": days(15).isoformat()}
    first = api_post(client, "api:booking-create", [bedspace.pk], body, key="api-1")
    again = api_post(client, "api:booking-create", [bedspace.pk], body, key="api-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Booking.objects.count() == 1
    reused = api_post(client, "api:booking-create", [bedspace.pk], {**body, "crn": "X100002"}, key="api-1")
    assert reused.status_code == 409 and reused.json()["code"] == "idempotency_key_reused"
    bad = api_post(client, "api:booking-create", [bedspace.pk], body, key="x" * 300)
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_idempotency_key"
    assert Booking.objects.count() == 1


def test_api_booking_actions_with_the_same_key_happen_once(client, assessor):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = make_booking(bedspace)
    first = api_post(client, "api:booking-confirmation", [booking.pk], {"version": 0}, key="c-1")
    again = api_post(client, "api:booking-confirmation", [booking.pk], {"version": 0}, key="c-1")
    assert first.status_code == again.status_code == 200 and again.json() == first.json()
    assert AuditEvent.objects.filter(action="booking.confirmed").count() == 1
    # Without the header a repeat is a new request: the stale version is refused.
    assert api_post(client, "api:booking-confirmation", [booking.pk], {"version": 0}).status_code == 409
    incident = {"kind": "damage", "occurred_on": clock.today().isoformat(), "details": "Window broken"}
    one = api_post(client, "api:booking-incidents", [booking.pk], incident, key="i-1")
    two = api_post(client, "api:booking-incidents", [booking.pk], incident, key="i-1")
    assert one.status_code == two.status_code == 201 and one.json() == two.json()
    assert len(client.get(reverse("api:booking-incidents", args=[booking.pk])).json()) == 1


def test_api_refused_requests_keep_no_key(client, assessor):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    booking = make_booking(bedspace)
    refused = api_post(client, "api:booking-turnaround", [booking.pk], {"working_days": -1}, key="t-1")
    assert refused.status_code == 400 and not IdempotencyKey.objects.exists()


def test_api_referral_submission_with_the_same_key(client):
    referrer = make_referrer()
    referral = make_draft(referrer)
    client.force_login(referrer)
    incomplete = api_post(client, "api:referral-submission", [referral.pk], {"declaration": True}, key="s-1")
    assert incomplete.status_code == 400 and not IdempotencyKey.objects.exists()
    complete(referrer, referral)
    first = api_post(client, "api:referral-submission", [referral.pk], {"declaration": True}, key="s-1")
    again = api_post(client, "api:referral-submission", [referral.pk], {"declaration": True}, key="s-1")
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert again.json()["newly_submitted"] is True
    assert OutboundEmail.objects.count() == 1


def test_the_openapi_document_describes_the_header(client):
    client.force_login(make_user(Role.ADMIN, region_code="NA"))
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    documented = {
        (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation.get("parameters", []))
    }
    for path in (
        "/api/v1/placements/bedspaces/{bedspace_pk}/bookings",
        "/api/v1/bookings/{id}/confirmation",
        "/api/v1/bookings/{id}/arrival",
        "/api/v1/bookings/{id}/arrival-date",
        "/api/v1/bookings/{id}/departure-date",
        "/api/v1/bookings/{id}/departure",
        "/api/v1/bookings/{id}/cancellation",
        "/api/v1/bookings/{id}/non-arrival",
        "/api/v1/bookings/{id}/turnaround",
        "/api/v1/bookings/{id}/incidents",
        "/api/v1/referrals/{id}/submission",
    ):
        assert (path, "post") in documented, path
    assert not any(method == "get" for _, method in documented)
