"""Void periods: dates within the bedspace's life, no overlaps, edit and cancel with notes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from cas.core import clock
from cas.core.dates import long_date
from cas.core.errors import Conflict, DomainError
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.premises import occupancy, services
from cas.premises.models import VoidPeriod
from cas.premises.occupancy import Period
from cas.reference.models import VoidReason
from tests.estate_factories import make_estate, make_void, void_reason
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def test_record_a_void_with_every_field_and_audit():
    assessor = make_user(Role.CAS3_ASSESSOR)
    _, (bedspace, _) = make_estate()
    void = services.create_void(
        assessor,
        bedspace,
        start_date=days(1),
        end_date=days(4),
        reason=void_reason("Needle sweep"),
        cost_borne_by="supplier",
        reference_number=" JOB-123 ",
        notes="Supplier arranging",
    )
    assert void.reference_number == "JOB-123" and void.get_cost_borne_by_display() == "Supplier"
    assert void.created_by == assessor
    event = AuditEvent.objects.get(action="void.created")
    assert event.after["reason"] == "Needle sweep" and event.subject_id == str(void.pk)


def test_end_date_cannot_be_before_the_start_date():
    _, (bedspace, _) = make_estate()
    with pytest.raises(DomainError, match="same as or after the start date") as error:
        make_void(bedspace, days(5), days(4))
    assert error.value.field == "end_date"
    make_void(bedspace, days(5), days(5))  # a single day is fine


def test_void_must_be_within_the_bedspace_life():
    premises, (bedspace, other) = make_estate()
    with pytest.raises(DomainError, match="when the bedspace came online"):
        make_void(bedspace, bedspace.start_date - dt.timedelta(days=1), days(2))
    services.archive_bedspace(None, other, days(10))
    other.refresh_from_db()
    with pytest.raises(DomainError, match=f"before {long_date(days(10))}, when the bedspace is archived"):
        make_void(other, days(5), days(10))
    make_void(other, days(5), days(9))


@pytest.mark.parametrize(
    ("start", "end"),
    [(3, 8), (8, 12), (1, 3), (5, 6), (0, 20)],
    ids=["same", "overlap-end", "overlap-start", "inside", "around"],
)
def test_overlapping_voids_are_refused(start, end):
    _, (bedspace, _) = make_estate()
    make_void(bedspace, days(3), days(8))
    with pytest.raises(Conflict) as error:
        make_void(bedspace, days(start), days(end))
    assert error.value.message.startswith(
        f"These dates overlap a void period on this bedspace, from {long_date(days(3))} to {long_date(days(8))}"
    )


def test_adjacent_voids_and_other_bedspaces_are_fine():
    _, (bedspace, other) = make_estate()
    make_void(bedspace, days(3), days(8))
    make_void(bedspace, days(9), days(10))
    make_void(bedspace, days(0), days(2))
    make_void(other, days(3), days(8))
    assert VoidPeriod.objects.count() == 4


def test_editing_a_void_ignores_itself_but_not_others():
    _, (bedspace, _) = make_estate()
    void = make_void(bedspace, days(3), days(8))
    make_void(bedspace, days(12), days(14))
    fields = {"reason": void.reason, "cost_borne_by": "hmpps"}
    services.update_void(None, void, start_date=days(4), end_date=days(9), **fields)
    with pytest.raises(Conflict):
        services.update_void(None, void, start_date=days(4), end_date=days(12), **fields)
    void.refresh_from_db()
    assert (void.start_date, void.end_date) == (days(4), days(9))
    assert AuditEvent.objects.filter(action="void.updated").count() == 1


def test_cancel_needs_notes_frees_the_dates_and_cannot_be_edited():
    _, (bedspace, _) = make_estate()
    void = make_void(bedspace, days(3), days(8))
    with pytest.raises(DomainError, match="Enter why the void period is cancelled"):
        services.cancel_void(None, void, notes="  ")
    services.cancel_void(None, void, notes="Repairs done early")
    void.refresh_from_db()
    assert void.is_cancelled and void.cancellation_notes == "Repairs done early"
    make_void(bedspace, days(3), days(8))  # the dates are free again
    with pytest.raises(DomainError, match="cancelled and cannot be changed"):
        services.update_void(
            None, void, start_date=days(3), end_date=days(4), reason=void.reason, cost_borne_by="hmpps"
        )
    with pytest.raises(DomainError, match="already been cancelled"):
        services.cancel_void(None, void, notes="Again")


def test_reason_must_be_an_active_cas3_reason():
    _, (bedspace, _) = make_estate()
    inactive = VoidReason.objects.get(name="Other")
    with pytest.raises(DomainError, match="Select a reason from the list"):
        make_void(bedspace, days(1), days(2), reason=inactive)
    with pytest.raises(DomainError, match="Select who pays"):
        make_void(bedspace, days(1), days(2), cost_borne_by="landlord")


def test_void_changes_refuse_other_regions():
    _, (bedspace, _) = make_estate("N51")
    void = make_void(bedspace, days(1), days(2))
    london = make_user(Role.CAS3_ASSESSOR, region_code="N07")
    with pytest.raises(PermissionDenied):
        services.create_void(
            london, bedspace, start_date=days(5), end_date=days(6), reason=void.reason, cost_borne_by="hmpps"
        )
    with pytest.raises(PermissionDenied):
        services.update_void(
            london, void, start_date=days(1), end_date=days(3), reason=void.reason, cost_borne_by="hmpps"
        )
    with pytest.raises(PermissionDenied):
        services.cancel_void(london, void, notes="Not mine")


class FakeBookings:
    """Stands in for the bookings source that will register itself once bookings exist."""

    name = "test-bookings"

    def __init__(self, bedspace_id, start, end):
        self.period = Period(bedspace_id, "booking", start, end, "Booked", "Booking for X123456", noun="a booking")

    def periods(self, bedspace_ids, start, end):
        if self.period.bedspace_id in bedspace_ids and self.period.overlaps(start, end):
            yield self.period


def test_registered_sources_clash_with_voids_and_block_archiving(monkeypatch):
    _, (bedspace, _) = make_estate()
    monkeypatch.setattr(occupancy, "_SOURCES", list(occupancy._SOURCES))
    occupancy.register_source(FakeBookings(bedspace.pk, days(2), days(30)))
    occupancy.register_source(FakeBookings(bedspace.pk, days(2), days(30)))  # registering twice adds it once
    assert [s.name for s in occupancy._SOURCES] == ["voids", "bookings", "test-bookings"]
    with pytest.raises(Conflict, match="overlap a booking on this bedspace"):
        make_void(bedspace, days(10), days(12))
    with pytest.raises(services.ArchiveBlocked) as error:
        services.archive_bedspace(None, bedspace, days(5))
    assert error.value.earliest == days(31) and "because of a booking" in error.value.message


class FakeBookingWithTurnaround:
    """A booking leaving on Thursday 2 April 2026 with a 2-working-day turnaround."""

    name = "test-bookings-turnaround"

    def __init__(self, bedspace_id):
        departure = dt.date(2026, 4, 2)
        self.found = [
            Period(bedspace_id, "booking", dt.date(2026, 3, 20), departure, "Booked", "Booking", noun="a booking"),
            occupancy.turnaround_period(bedspace_id, departure, 2),
        ]

    def periods(self, bedspace_ids, start, end):
        return [p for p in self.found if p.bedspace_id in bedspace_ids and p.overlaps(start, end)]


def test_turnarounds_count_working_days_across_easter_and_block_archiving(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 3, 30))
    _, (bedspace, _) = make_estate()
    turnaround = occupancy.turnaround_period(bedspace.pk, dt.date(2026, 4, 2), 2)
    # Good Friday, the weekend and Easter Monday are skipped: Tuesday 7 and Wednesday 8 April.
    assert (turnaround.start, turnaround.end) == (dt.date(2026, 4, 3), dt.date(2026, 4, 8))
    assert occupancy.turnaround_period(bedspace.pk, dt.date(2026, 4, 2), 0) is None
    source = FakeBookingWithTurnaround(bedspace.pk)
    monkeypatch.setattr(occupancy, "_SOURCES", [*occupancy._SOURCES, source])
    with pytest.raises(services.ArchiveBlocked) as error:
        services.archive_bedspace(None, bedspace, dt.date(2026, 4, 3))
    assert error.value.earliest == dt.date(2026, 4, 9)
    assert "because of a turnaround on bedspace" in error.value.message
    with pytest.raises(Conflict, match="overlap a turnaround"):
        make_void(bedspace, dt.date(2026, 4, 7), dt.date(2026, 4, 7))
    make_void(bedspace, dt.date(2026, 4, 9), dt.date(2026, 4, 10))
