"""Bookings and their turnarounds as busy periods of the estate (`cas.premises.occupancy`).

Once registered, archiving waits for them, void periods cannot overlap them and the occupancy
calendar draws them. A booking's period covers its nights (arrival to the day before departure);
its turnaround covers the departure day up to the turnaround's last working day. Together they are
exactly `[arrival_date, available_from)`, the interval the service and the PostgreSQL constraint
keep free of overlaps.
"""

import datetime as dt

from cas.core.dates import long_date
from cas.placements.models import Booking
from cas.placements.status import ACTIVE_STATUSES
from cas.premises.occupancy import Period, register_source

ONE_DAY = dt.timedelta(days=1)


def booking_periods(booking) -> list[Period]:
    periods = []
    status = booking.current_status
    if booking.departure_date > booking.arrival_date:
        periods.append(
            Period(
                bedspace_id=booking.bedspace_id,
                kind="booking",
                start=booking.arrival_date,
                end=booking.departure_date - ONE_DAY,
                label="Booked",
                description=f"Booked: {booking.person_name} ({booking.crn}), {status.label.lower()}, "
                f"leaving {long_date(booking.departure_date)}",
                noun="a booking",
                object_id=str(booking.pk),
                status=status.value,
                crn=booking.crn,
                person=booking.person_name,
            )
        )
    if booking.available_from > booking.departure_date:
        days = booking.turnaround_working_days
        periods.append(
            Period(
                bedspace_id=booking.bedspace_id,
                kind="turnaround",
                start=booking.departure_date,
                end=booking.available_from - ONE_DAY,
                label="Turnaround",
                description=f"Turnaround: {days} working day{'s' if days != 1 else ''} after "
                f"{booking.person_name} leaves on {long_date(booking.departure_date)}",
                noun="a turnaround",
                object_id=str(booking.pk),
                status=status.value,
                crn=booking.crn,
                person=booking.person_name,
            )
        )
    return periods


class BookingSource:
    name = "bookings"

    def periods(self, bedspace_ids, start, end):
        bookings = Booking.objects.filter(
            bedspace_id__in=list(bedspace_ids), status__in=ACTIVE_STATUSES, available_from__gt=start
        )
        if end is not None:
            bookings = bookings.filter(arrival_date__lte=end)
        for booking in bookings.order_by("arrival_date"):
            for period in booking_periods(booking):
                if period.overlaps(start, end):
                    yield period


def register() -> None:
    register_source(BookingSource())
