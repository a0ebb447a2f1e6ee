"""Closed cases past the retention period are anonymised in every table, with stable pseudonyms.

Completeness is checked with the same introspection as the subject access test: once a person is
anonymised, no row in any table refers to their CRN, prison number or name any more."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from cas.core.models import AuditEvent
from cas.events.models import DomainEvent, OutboundEmail
from cas.placements.models import Booking
from cas.privacy.models import AnonymisedPerson
from cas.privacy.retention import anonymise_closed_cases, closed_cases
from cas.referrals.models import Referral, TimelineEntry
from tests.privacy.discovery import rows_about

pytestmark = pytest.mark.django_db
CLOSED = ["X100001", "A1001AA", "Daniel Hughes"]
OPEN = ["X100004", "A1004AD", "Peter Slater"]


def _counts():
    return {m._meta.label: m._base_manager.count() for m in apps.get_models(include_auto_created=True)}


def test_nothing_is_anonymised_before_the_retention_period(cases, settings):
    assert settings.RETENTION_CLOSED_CASE_DAYS == 2557
    assert closed_cases() == []
    # Someone only looked up (never referred) has no case open either: the audit of the look-up goes too.
    assert [c.crn for c in closed_cases(timezone.now() + dt.timedelta(days=2558))] == ["X100001", "X100006"]


def test_a_closed_case_is_anonymised_everywhere_and_an_open_one_is_kept(cases, settings):
    settings.RETENTION_CLOSED_CASE_DAYS = 30
    later = timezone.now() + dt.timedelta(days=31)
    assert rows_about(CLOSED)
    before, open_rows = _counts(), rows_about(OPEN)
    original_dob = Referral.objects.get(crn="X100001").date_of_birth

    # A dry run says who, and changes nothing.
    assert [c.crn for c in anonymise_closed_cases(dry_run=True, now=later)] == ["X100001", "X100006"]
    assert _counts() == before

    done, looked_up = anonymise_closed_cases(now=later)
    pseudonym = done.pseudonym_crn
    assert looked_up.records == 1 and rows_about(["X100006", "A1006AF", "Connor Riley"]) == set()
    # Nothing in any table refers to the person any more; nothing was deleted.
    assert rows_about(CLOSED) == set()
    after = _counts()
    assert (
        after.pop("privacy.AnonymisedPerson") == 2 and after.pop("core.AuditEvent") == before.pop("core.AuditEvent") + 2
    )
    before.pop("privacy.AnonymisedPerson")
    assert after == before
    # Stable pseudonyms: the same in every table.
    referral = Referral.objects.get(pk=cases.pk)
    booking = Booking.objects.get(referral=None, crn=pseudonym)
    assert referral.crn == booking.crn == pseudonym and pseudonym.startswith("Z")
    assert referral.noms_number == booking.noms_number != "A1001AA"
    assert referral.person_name == booking.person_name == f"Person {pseudonym}"
    assert referral.date_of_birth == booking.date_of_birth != original_dob
    assert referral.date_of_birth.year == original_dob.year
    assert set(
        DomainEvent.objects.filter(subject_id__in=[str(referral.pk), str(booking.pk)]).values_list("crn", flat=True)
    ) == {pseudonym}
    # Free text is cleared.
    assert referral.answers == {} and referral.document is None and referral.rejection_details == ""
    assert set(TimelineEntry.objects.filter(referral=referral).values_list("text", flat=True)) == {""}
    assert set(OutboundEmail.objects.filter(reference=f"referral:{referral.pk}").values_list("body", flat=True)) == {""}
    assert booking.incidents.get().details == "" and booking.cancellations.get().notes == ""
    # Audited, under the pseudonym only.
    events = AuditEvent.objects.filter(action="privacy.person_anonymised")
    assert set(events.values_list("crn", flat=True)) == {pseudonym, looked_up.pseudonym_crn}
    assert set(AnonymisedPerson.objects.values_list("pseudonym_crn", flat=True)) == {pseudonym, looked_up.pseudonym_crn}
    # The open case is untouched, and a second run finds nothing to do.
    assert rows_about(OPEN) == open_rows
    assert anonymise_closed_cases(now=later) == []


def test_the_command(cases, settings, capsys):
    settings.RETENTION_CLOSED_CASE_DAYS = 0
    call_command("anonymise_closed_cases", "--dry-run")
    assert "X100001: closed" in capsys.readouterr().out
    assert Referral.objects.filter(crn="X100001").exists()
    call_command("anonymise_closed_cases")
    out = capsys.readouterr().out
    assert "2 closed cases older than 0 days anonymised." in out and "X100001" not in out
    assert not Referral.objects.filter(crn="X100001").exists()
