"""Archiving and bringing back online: date windows, blockers with the earliest date, the last
bedspace archiving its property, cancelling scheduled changes, and the history table."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from cas.core import clock
from cas.core.dates import add_months, long_date
from cas.core.errors import DomainError
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.premises import services
from cas.premises.models import ArchiveChange
from cas.premises.services import ArchiveBlocked
from tests.estate_factories import make_bedspace, make_estate, make_void
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 1, 31), -2) == dt.date(2025, 11, 30)
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)


@pytest.mark.parametrize("offset", [-8, "beyond"])
def test_archive_date_must_be_in_the_window(offset):
    _, (bedspace, _) = make_estate()
    latest = add_months(clock.today(), 3)
    day = latest + dt.timedelta(days=1) if offset == "beyond" else days(offset)
    with pytest.raises(DomainError) as error:
        services.archive_bedspace(None, bedspace, day)
    assert error.value.message == (f"The archive date must be between {long_date(days(-7))} and {long_date(latest)}")
    assert error.value.field == "date"


def test_archive_window_edges_are_allowed():
    premises, (a, b) = make_estate()
    services.archive_bedspace(None, a, days(-7))
    services.archive_bedspace(None, b, add_months(clock.today(), 3))
    a.refresh_from_db()
    assert a.status == "archived"


def test_archive_date_cannot_be_before_the_bedspace_started():
    premises, _ = make_estate()
    upcoming = services.create_bedspace(None, premises, reference="Room Z", start_date=days(5))
    with pytest.raises(DomainError, match=f"on or after {long_date(days(5))}, when the bedspace came online"):
        services.archive_bedspace(None, upcoming, days(2))


def test_a_void_blocks_archiving_and_the_message_gives_the_earliest_date():
    _, (bedspace, _) = make_estate()
    make_void(bedspace, days(3), days(12))
    with pytest.raises(ArchiveBlocked) as error:
        services.archive_bedspace(None, bedspace, days(5))
    assert error.value.earliest == days(13)
    assert error.value.message == (
        f"The earliest date you can archive this bedspace is {long_date(days(13))}, "
        f"because of a void period on bedspace {bedspace.reference} until {long_date(days(12))}"
    )
    # The earliest date itself works.
    services.archive_bedspace(None, bedspace, days(13))


def test_a_void_ending_before_the_archive_date_does_not_block():
    _, (bedspace, _) = make_estate()
    make_void(bedspace, days(-20), days(-10))
    services.archive_bedspace(None, bedspace, days(-5))


def test_a_cancelled_void_does_not_block():
    _, (bedspace, _) = make_estate()
    void = make_void(bedspace, days(3), days(12))
    services.cancel_void(None, void, notes="Repairs not needed")
    services.archive_bedspace(None, bedspace, days(5))


def test_property_archive_is_blocked_by_an_upcoming_bedspace_and_by_the_latest_void():
    premises, (a, b) = make_estate()
    services.create_bedspace(None, premises, reference="Room Z", start_date=days(6))
    make_void(a, days(1), days(4))
    with pytest.raises(ArchiveBlocked) as error:
        services.archive_premises(None, premises, days(2))
    assert error.value.earliest == days(6)
    assert "because of bedspace Room Z starts on" in error.value.message
    make_void(b, days(10), days(20))
    with pytest.raises(ArchiveBlocked) as error:
        services.archive_premises(None, premises, days(2))
    assert error.value.earliest == days(21)
    assert f"The earliest date you can archive this property is {long_date(days(21))}" in error.value.message


def test_archiving_a_property_archives_its_bedspaces_in_one_batch():
    assessor = make_user(Role.CAS3_ASSESSOR)
    premises, (a, b) = make_estate()
    change = services.archive_premises(assessor, premises, days(10))
    premises.refresh_from_db()
    a.refresh_from_db()
    b.refresh_from_db()
    assert premises.end_date == a.end_date == b.end_date == days(10)
    assert premises.status == "online" and premises.scheduled_archive_date == days(10)
    batch = ArchiveChange.objects.filter(batch=change.batch)
    assert batch.count() == 3
    assert {c.cause for c in batch} == {"requested", "with_property"}
    assert all(c.made_by == assessor for c in batch)
    assert AuditEvent.objects.filter(action="bedspace.archived").count() == 2
    assert AuditEvent.objects.filter(action="premises.archived").count() == 1


def test_archiving_the_last_bedspace_archives_the_property():
    premises, (a, b) = make_estate()
    services.archive_bedspace(None, a, days(20))
    premises.refresh_from_db()
    assert premises.end_date is None
    services.archive_bedspace(None, b, days(5))
    premises.refresh_from_db()
    # The property goes when its last bedspace goes.
    assert premises.end_date == days(20)
    auto = premises.archive_changes.get(bedspace__isnull=True)
    assert auto.cause == ArchiveChange.Cause.LAST_BEDSPACE and auto.effective_date == days(20)


def test_already_archived_or_scheduled_is_refused():
    premises, (a, b) = make_estate()
    services.archive_bedspace(None, a, days(-1))
    with pytest.raises(DomainError, match="already archived"):
        services.archive_bedspace(None, a, days(2))
    services.archive_bedspace(None, b, days(9))
    with pytest.raises(DomainError, match="already due to be archived on"):
        services.archive_bedspace(None, b, days(3))
    with pytest.raises(DomainError, match="already due to be archived on"):
        services.archive_premises(None, premises, days(3))


def test_cancelling_a_scheduled_bedspace_archive_restores_it():
    premises, (a, b) = make_estate()
    change = services.archive_bedspace(None, a, days(10))
    services.cancel_change(make_user(Role.CAS3_ASSESSOR), change)
    a.refresh_from_db()
    change.refresh_from_db()
    assert a.end_date is None and change.is_cancelled
    assert AuditEvent.objects.filter(action="bedspace.archive_cancelled").count() == 1
    with pytest.raises(DomainError, match="already been cancelled"):
        services.cancel_change(None, change)


def test_cancelling_the_archive_of_the_last_bedspace_brings_the_property_back_too():
    premises, (a, b) = make_estate()
    services.archive_bedspace(None, a, days(3))
    change = services.archive_bedspace(None, b, days(10))
    services.cancel_change(None, change)
    premises.refresh_from_db()
    b.refresh_from_db()
    a.refresh_from_db()
    assert premises.end_date is None and b.end_date is None
    assert a.end_date == days(3)  # the other bedspace's own change stands


def test_cancelling_a_property_archive_restores_every_bedspace_to_its_previous_date():
    premises, (a, b) = make_estate()
    services.archive_bedspace(None, a, days(40))
    change = services.archive_premises(None, premises, days(10))
    a.refresh_from_db()
    assert a.end_date == days(10)
    services.cancel_change(None, change)
    a.refresh_from_db()
    b.refresh_from_db()
    premises.refresh_from_db()
    assert (premises.end_date, a.end_date, b.end_date) == (None, days(40), None)


def test_changes_that_have_taken_effect_cannot_be_cancelled():
    _, (a, _) = make_estate()
    change = services.archive_bedspace(None, a, clock.today())
    with pytest.raises(DomainError, match="can no longer be cancelled"):
        services.cancel_change(None, change)


def test_unarchiving_a_property_brings_back_its_bedspaces_within_14_days():
    premises, (a, b) = make_estate()
    services.archive_premises(None, premises, days(-3))
    with pytest.raises(DomainError, match="must be between"):
        services.unarchive_premises(None, premises, days(15))
    with pytest.raises(DomainError, match="on or after .* when the property was archived"):
        services.unarchive_premises(None, premises, days(-4))
    services.unarchive_premises(None, premises, days(2))
    for obj in (premises, a, b):
        obj.refresh_from_db()
        assert obj.start_date == days(2) and obj.end_date is None
    assert premises.status == "archived" and premises.scheduled_online_date == days(2)
    assert a.status == "upcoming"
    with pytest.raises(DomainError, match="already due to come back online"):
        services.unarchive_premises(None, premises, days(3))


def test_unarchive_needs_an_archived_subject():
    premises, (a, _) = make_estate()
    with pytest.raises(DomainError, match="This property is not archived"):
        services.unarchive_premises(None, premises, days(1))
    services.archive_bedspace(None, a, days(5))
    with pytest.raises(DomainError, match="Cancel that change instead"):
        services.unarchive_bedspace(None, a, days(6))


def test_unarchiving_a_bedspace_brings_its_archived_property_back():
    premises, (a, b) = make_estate()
    services.archive_premises(None, premises, days(-2))
    services.unarchive_bedspace(None, b, days(1))
    premises.refresh_from_db()
    a.refresh_from_db()
    assert premises.start_date == days(1) and premises.end_date is None
    assert a.end_date == days(-2)  # only the chosen bedspace comes back
    cause = premises.archive_changes.filter(action="unarchive", bedspace__isnull=True).get()
    assert cause.cause == ArchiveChange.Cause.BEDSPACE_BACK


def test_archive_date_must_be_after_the_last_archive():
    premises, (a, _) = make_estate()
    services.archive_bedspace(None, a, days(-6))
    services.unarchive_bedspace(None, a, days(-6))
    a.refresh_from_db()
    with pytest.raises(DomainError, match="when the bedspace was last archived"):
        services.archive_bedspace(None, a, days(-6))
    services.archive_bedspace(None, a, days(1))


def test_cancel_scheduled_unarchive_restores_archived_dates():
    premises, (a, b) = make_estate()
    services.archive_premises(None, premises, days(-3))
    change = services.unarchive_premises(None, premises, days(5))
    services.cancel_change(None, change)
    for obj in (premises, a, b):
        obj.refresh_from_db()
        assert obj.end_date == days(-3)
    assert premises.status == "archived"


def test_archive_changes_refuse_other_regions():
    premises, (a, _) = make_estate("N51")
    london = make_user(Role.CAS3_ASSESSOR, region_code="N07")
    with pytest.raises(PermissionDenied):
        services.archive_premises(london, premises, days(1))
    with pytest.raises(PermissionDenied):
        services.archive_bedspace(london, a, days(1))
    change = services.archive_bedspace(None, a, days(4))
    with pytest.raises(PermissionDenied):
        services.cancel_change(london, change)
    with pytest.raises(PermissionDenied):
        services.unarchive_bedspace(london, a, days(1))


def test_a_bedspace_added_later_is_not_blocked_by_old_history():
    premises, (a, b) = make_estate()
    late = make_bedspace(premises, "Room C", start_date=days(-1))
    services.archive_premises(None, premises, days(0))
    late.refresh_from_db()
    assert late.end_date == days(0)
