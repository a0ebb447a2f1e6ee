"""No double booking, ever: many people booking the same bedspace at the same moment. Real
transactions and threads, on SQLite (a file database, immediate transactions) and PostgreSQL; and on
PostgreSQL, the exclusion constraint refuses an overlapping row written behind the service's back."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from cas.core import clock
from cas.core.roles import Role
from cas.placements import services
from cas.placements.models import Booking
from cas.placements.services import BedspaceTaken
from cas.placements.status import ACTIVE_STATUSES, available_from
from tests.estate_factories import make_estate
from tests.factories import make_user

THREADS = 8
CRNS = [f"X1000{n:02d}" for n in (1, 2, 3, 5, 6, 7, 10, 11)]


def _skip_in_memory_sqlite():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("needs a file or PostgreSQL database")


def no_overlaps(bedspace) -> bool:
    bookings = list(Booking.objects.filter(bedspace=bedspace, status__in=ACTIVE_STATUSES).order_by("arrival_date"))
    return all(a.available_from <= b.arrival_date for a, b in zip(bookings, bookings[1:], strict=False))


@pytest.mark.django_db(transaction=True)
def test_many_threads_booking_one_bedspace_exactly_one_wins():
    _skip_in_memory_sqlite()
    _, (bedspace,) = make_estate("N51", bedspaces=1, turnaround_working_days=2)
    assessor = make_user(Role.CAS3_ASSESSOR, username="concurrent.assessor")
    today = clock.today()
    barrier = threading.Barrier(THREADS)
    won, taken, errors = [], [], []

    def book(index: int):
        try:
            barrier.wait(timeout=10)
            # Overlapping but different dates: each thread's stay clashes with every other's.
            start = today + dt.timedelta(days=1 + index % 3)
            booking = services.create_booking(
                assessor,
                bedspace,
                crn=CRNS[index],
                arrival_date=start,
                departure_date=start + dt.timedelta(days=20),
            )
            won.append(booking.pk)
        except BedspaceTaken as exc:
            taken.append(exc.message)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(won) == 1 and len(taken) == THREADS - 1
    assert all("just been booked by someone else" in message for message in taken)
    assert Booking.objects.filter(bedspace=bedspace).count() == 1
    assert no_overlaps(bedspace)


@pytest.mark.django_db(transaction=True)
def test_threads_booking_different_bedspaces_all_win():
    """The lock is per property, so different bedspaces never refuse each other."""
    _skip_in_memory_sqlite()
    _, bedspaces = make_estate("N51", bedspaces=4, turnaround_working_days=0)
    today = clock.today()
    barrier = threading.Barrier(4)
    won, errors = [], []

    def book(index: int):
        try:
            barrier.wait(timeout=10)
            won.append(
                services.create_booking(
                    None,
                    bedspaces[index],
                    crn=CRNS[index],
                    arrival_date=today + dt.timedelta(days=1),
                    departure_date=today + dt.timedelta(days=10),
                ).pk
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(won) == 4


@pytest.mark.django_db(transaction=True)
def test_moving_an_arrival_date_and_booking_the_same_days_at_once_one_wins():
    """Changing a booking's expected arrival date takes the booking's lock and check: racing a new
    booking of the days it moves onto, exactly one of the two wins."""
    _skip_in_memory_sqlite()
    _, (bedspace,) = make_estate("N51", bedspaces=1, turnaround_working_days=0)
    assessor = make_user(Role.CAS3_ASSESSOR, username="concurrent.mover")
    today = clock.today()
    existing = services.create_booking(
        None,
        bedspace,
        crn="X100001",
        arrival_date=today + dt.timedelta(days=10),
        departure_date=today + dt.timedelta(days=20),
    )
    barrier = threading.Barrier(2)
    won, taken, errors = [], [], []

    def run(name, do):
        try:
            barrier.wait(timeout=10)
            do()
            won.append(name)
        except BedspaceTaken:
            taken.append(name)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=run,
            args=(
                "move",
                lambda: services.change_arrival_date(assessor, existing, arrival_date=today + dt.timedelta(days=3)),
            ),
        ),
        threading.Thread(
            target=run,
            args=(
                "book",
                lambda: services.create_booking(
                    assessor,
                    bedspace,
                    crn="X100002",
                    arrival_date=today + dt.timedelta(days=2),
                    departure_date=today + dt.timedelta(days=6),
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(won) == 1 and len(taken) == 1
    assert no_overlaps(bedspace)


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_refuses_an_overlapping_row_written_directly():
    _, (bedspace,) = make_estate("N51", bedspaces=1, turnaround_working_days=2)
    today = clock.today()
    first = services.create_booking(
        None,
        bedspace,
        crn="X100001",
        arrival_date=today + dt.timedelta(days=1),
        departure_date=today + dt.timedelta(days=10),
    )

    def raw_copy(**changes):
        values = {
            f.attname: getattr(first, f.attname)
            for f in Booking._meta.concrete_fields
            if f.attname not in ("id", "created_at", "updated_at")
        }
        values.update(changes)
        return Booking(**values)

    # Overlapping the turnaround only: refused by the database itself.
    with pytest.raises(IntegrityError, match="booking_no_overlap_on_bedspace"), transaction.atomic():
        raw_copy(
            crn="X100002",
            arrival_date=first.departure_date,
            departure_date=first.departure_date + dt.timedelta(days=3),
            available_from=available_from(first.departure_date + dt.timedelta(days=3), 2),
        ).save(force_insert=True)
    # Starting the day the turnaround is over: accepted. A cancelled overlap is not held either.
    raw_copy(
        crn="X100003",
        arrival_date=first.available_from,
        departure_date=first.available_from + dt.timedelta(days=3),
        available_from=first.available_from + dt.timedelta(days=3),
    ).save(force_insert=True)
    raw_copy(crn="X100005", status="cancelled").save(force_insert=True)
    assert Booking.objects.filter(bedspace=bedspace).count() == 3
