"""The booking services and the declared lifecycle agree: for every status and every service that acts
on a booking, the service either does it (leaving the status the table says) or refuses with the
table's words, and every such service is in the table."""

import dataclasses
import datetime as dt
import importlib
import inspect
import pkgutil

import pytest

from cas.placements import services
from cas.placements.lifecycle import REFUSALS, TRANSITIONS, Action, ActionNotAllowed
from cas.placements.models import Booking
from cas.placements.status import BookingStatus
from tests.placement_factories import (
    booking_in,
    cancellation_reason,
    days,
    departure_reason,
    move_on,
    non_arrival_reason,
)

pytestmark = pytest.mark.django_db
S = BookingStatus


@dataclasses.dataclass(frozen=True)
class Call:
    actions: tuple[Action, ...]  # the first is the one whose words a refusal uses
    do: callable  # (booking) -> the service's result, with arguments valid for an allowed status


SERVICES = {
    "confirm_booking": Call((Action.CONFIRM,), lambda b: services.confirm_booking(None, b)),
    "record_arrival": Call(
        (Action.ARRIVE,),
        lambda b: services.record_arrival(None, b, arrival_date=days(0), expected_departure_date=b.departure_date),
    ),
    "change_arrival_date": Call(
        (Action.CHANGE_ARRIVAL_DATE,),
        # A day later: for a booking not yet arrived (arriving today) a new expected date, for one arrived
        # 3 days ago a corrected date 2 days ago.
        lambda b: services.change_arrival_date(None, b, arrival_date=b.arrival_date + dt.timedelta(days=1)),
    ),
    "change_departure_date": Call(
        (Action.CHANGE_DEPARTURE_DATE,),
        lambda b: services.change_departure_date(None, b, departure_date=b.departure_date + dt.timedelta(days=1)),
    ),
    "record_departure": Call(
        (Action.DEPART, Action.UPDATE_DEPARTURE),
        lambda b: services.record_departure(
            None, b, departure_date=days(0), reason=departure_reason(), move_on_category=move_on()
        ),
    ),
    "cancel_booking": Call(
        (Action.CANCEL, Action.UPDATE_CANCELLATION),
        lambda b: services.cancel_booking(None, b, cancelled_on=days(0), reason=cancellation_reason()),
    ),
    "record_non_arrival": Call(
        (Action.RECORD_NON_ARRIVAL,), lambda b: services.record_non_arrival(None, b, reason=non_arrival_reason())
    ),
    "change_turnaround": Call(
        (Action.CHANGE_TURNAROUND,),
        lambda b: services.change_turnaround(None, b, working_days=b.turnaround_working_days + 1),
    ),
    "record_incident": Call(
        (Action.RECORD_INCIDENT,),
        lambda b: services.record_incident(
            None, premises=b.premises, booking=b, kind="other", occurred_on=days(0), details="A broken window"
        ),
    ),
}


def test_every_service_acting_on_a_booking_is_in_the_table():
    # The services live in a module per concern: every module of the package is searched (a service
    # added to a module but not exported by the package fails here too).
    modules = [
        importlib.import_module(f"{services.__name__}.{info.name}") for info in pkgutil.iter_modules(services.__path__)
    ]
    acting = {
        name: function
        for module in modules
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and "booking" in inspect.signature(function).parameters
    }
    assert set(acting) == set(SERVICES)
    assert {name: getattr(services, name, None) for name in acting} == acting
    assert {a for call in SERVICES.values() for a in call.actions} == set(Action)


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("service", list(SERVICES))
def test_the_services_do_what_the_table_allows_and_refuse_the_rest(status, service):
    call = SERVICES[service]
    booking = booking_in(status)
    assert booking.current_status == status
    allowed = [a for a in call.actions if status in TRANSITIONS[a]]
    if allowed:
        call.do(booking)
        stored = Booking.objects.get(pk=booking.pk).status
        assert stored == (TRANSITIONS[allowed[0]][status] or booking.status)
    else:
        version = booking.version
        with pytest.raises(ActionNotAllowed) as exc:
            call.do(booking)
        assert exc.value.message == (
            f"You cannot {REFUSALS[call.actions[0]]} because the booking is {status.label.lower()}"
        )
        assert exc.value.code == "transition_not_allowed"
        assert Booking.objects.get(pk=booking.pk).version == version
