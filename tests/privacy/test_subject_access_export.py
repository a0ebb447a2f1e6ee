"""The subject access export contains every record the database holds about a person.

The demo data is loaded (referrals in every state, bookings in every state with their steps and
incidents, emails, events and their audit), some more records are added that the demo does not
make (views of the person, placements imported from outside, event deliveries and queued tasks),
and then, for every demo person, `discovery.rows_about` finds every row in every table that refers
to them by introspection alone. Each of those rows must be in the export, and the export must hold
nothing else.
"""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cas.accounts.models import User
from cas.core.errors import DomainError
from cas.core.models import AuditEvent, IdempotencyKey
from cas.core.roles import Role
from cas.events.models import DeliveryAttempt, DomainEvent, EventDelivery
from cas.people import registry
from cas.people.synthetic.demo_people import DEMO_CRNS
from cas.premises.models import VoidPeriod
from cas.privacy.export import build_export, export_for_request, resolve_person
from cas.referrals.models import Referral
from cas.reporting.placement_import import import_placements
from tests.factories import make_user, pdu
from tests.privacy.discovery import rows_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrer():
    return make_user(Role.CAS3_REFERRER, username="pp.privacy", pdu=pdu("N51LPLS"))


def _terms(crn: str) -> list[str]:
    """The CRN, the prison number and the name the case system knows the person by."""
    person = registry.get_case_system().find_by_crn(crn)
    return [crn, person.noms_number or "", person.name]


def _missing_and_extra(crn: str):
    export = build_export(crn)
    discovered = rows_about(_terms(crn))
    return discovered - export.record_keys(), export.record_keys() - discovered, export, discovered


def _add_records_the_demo_does_not_make(client):
    # Views of the person and of their referral (audited as views).
    assessor = User.objects.get(username="demo.cas3.assessor")
    client.force_login(assessor)
    referral = Referral.objects.filter(crn="X100001").exclude(status="draft").first()
    assert client.get(reverse("web:person-detail", args=["X100001"])).status_code == 200
    assert client.get(reverse("web:review-referral", args=[referral.pk])).status_code == 200
    # A placement recorded outside the service, with its move-on outcome.
    statistician = User.objects.get(username="demo.statistician")
    csv = (
        "placement_reference,crn,probation_region,gender_identity,sex,start_date,end_date,move_on_category,source\n"
        "WALES-0001,X100013,Wales,Male,Male,01/03/2026,30/04/2026,Rental accommodation (private rental),manual\n"
    )
    import_placements(statistician, "history.csv", csv.encode())
    # A submission remembered so a repeat does nothing (its result names the person and the referral).
    IdempotencyKey.objects.create(
        user=assessor,
        key="note-1",
        scope="referral.note",
        fingerprint="0" * 64,
        result={"redirect": f"/review/referrals/{referral.pk}/timeline", "message": "Note added for Daniel Hughes"},
        created_at=timezone.now(),
    )
    # An event delivered to a webhook, and a queued task about it.
    event = DomainEvent.objects.filter(crn="X100001").first()
    delivery = EventDelivery.objects.create(event=event, endpoint="delius", status="delivered", attempts=1)
    DeliveryAttempt.objects.create(delivery=delivery, attempted_at=timezone.now(), status_code=200)
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        args_kwargs={"args": [str(event.pk)], "kwargs": {}},
        task_path="cas.events.domain_events.deliver_event",
        backend_name="default",
        run_after=timezone.now(),
    )


def test_the_export_of_every_demo_person_holds_every_record_about_them(client, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo_data", verbosity=0)
    _add_records_the_demo_does_not_make(client)

    exported_kinds: set[str] = set()
    people_with_records = 0
    for crn in DEMO_CRNS:
        if crn in ("X000000", "X999991"):  # unknown to the case system: no name to search by
            continue
        missing, extra, export, discovered = _missing_and_extra(crn)
        assert not missing, f"{crn}: the export leaves out {sorted(missing)}"
        assert not extra, f"{crn}: the export holds records about someone else {sorted(extra)}"
        exported_kinds |= {model for model, _ in discovered}
        people_with_records += bool(discovered)

    # The check above is only as strong as the data: the demo (plus the records added) must hold
    # every kind of record about people, or a missing section would go unnoticed.
    assert people_with_records >= 15
    assert exported_kinds >= {
        "referrals.referral",
        "referrals.timelineentry",
        "placements.booking",
        "placements.confirmation",
        "placements.arrival",
        "placements.departure",
        "placements.datechange",
        "placements.overstay",
        "placements.cancellation",
        "placements.nonarrival",
        "placements.turnaroundchange",
        "placements.incident",
        "reporting.manualplacement",
        "events.domainevent",
        "events.eventdelivery",
        "events.deliveryattempt",
        "events.outboundemail",
        "core.auditevent",
        "core.idempotencykey",
        "django_tasks_database.dbtaskresult",
    }

    # The command writes the same records as JSON and as a readable document.
    json_path, html_path = tmp_path / "x100001.json", tmp_path / "x100001.html"
    call_command("subject_access_export", "X100001", "--output", str(json_path), verbosity=0)
    document = json.loads(json_path.read_text())
    in_json = {(r["model"], r["id"]) for s in document["sections"] for r in s["records"]}
    # The command audits the request before it reads, so its own audit event is in the file too.
    expected = rows_about(_terms("X100001"))
    assert expected == in_json
    call_command("subject_access_export", "A1001AA", "--output", str(html_path), "--format", "html", verbosity=0)
    assert document["subject_access_request"]["crns"] == ["X100001"]
    assert document["subject_access_request"]["names"] == ["Daniel Hughes"]
    html = html_path.read_text()
    assert "<h1>Subject access export for A1001AA</h1>" in html
    for _, pk in expected:
        assert pk in html
    # Each request is audited.
    assert AuditEvent.objects.filter(action="privacy.subject_access_export", crn="X100001").count() == 2


def test_a_prison_number_finds_the_crn_and_every_prison_number_seen_with_it(referrer):
    from tests.referral_factories import make_submitted

    make_submitted(referrer, "X100001")
    assert resolve_person("a1001aa") == ({"X100001"}, {"A1001AA"})
    assert resolve_person(" X100001 ") == ({"X100001"}, {"A1001AA"})
    with pytest.raises(DomainError, match="Enter a CRN like X320741 or a prison number like A1234BC"):
        resolve_person("not a crn")


def test_a_person_with_no_records_gets_an_empty_export_and_the_request_is_audited(admin_user):
    export = export_for_request(admin_user, "X100012")
    assert export.record_count == 1  # only the audit of this request
    assert [s.key for s in export.sections if s.records] == ["audit"]
    assert "There are no records of this kind." in export.to_html()


def test_the_test_catches_a_record_the_export_leaves_out(referrer):
    """A test of the test: a row about the person that the export does not know of is reported."""
    from tests.estate_factories import make_estate, make_void
    from tests.referral_factories import make_submitted

    make_submitted(referrer, "X100001")
    missing, extra, export, discovered = _missing_and_extra("X100001")
    assert not missing and not extra
    assert {"referrals.referral", "referrals.timelineentry", "core.auditevent", "events.outboundemail"} <= {
        m for m, _ in discovered
    }

    # A note somewhere the export never looks, naming the person by prison number...
    _, bedspaces = make_estate()
    void = make_void(bedspaces[0], dt.date(2026, 12, 1), dt.date(2026, 12, 5), notes="Kept for A1001AA's move")
    missing, _, _, _ = _missing_and_extra("X100001")
    assert missing == {("premises.voidperiod", str(void.pk))}
    VoidPeriod.objects.filter(pk=void.pk).delete()

    # ...and a record the export would drop (one section emptied) are both caught.
    export = build_export("X100001")
    dropped = next(s for s in export.sections if s.key == "timeline")
    lost = {(r.model, r.pk) for r in dropped.records}
    dropped.records.clear()
    assert rows_about(_terms("X100001")) - export.record_keys() == lost


def test_only_administrators_may_export(admin_user):
    from cas.core.permissions import Permission, has_permission

    assert has_permission(admin_user, Permission.SUBJECT_ACCESS)
    for role in Role:
        if role != Role.ADMIN:
            assert not has_permission(make_user(role, username=f"u-{role.value}"), Permission.SUBJECT_ACCESS)
