"""Booking statuses and the date arithmetic of a stay, in one place.

Stored statuses change only through the services. One status is derived, like the estate's:
a departed booking whose turnaround is over is **closed** (`current_status`, and `status_filter`
for queries give the same answer).
"""

import datetime as dt

from django.db import models
from django.db.models import Q

from cas.core.working_days import add_working_days


class BookingStatus(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional"
    CONFIRMED = "confirmed", "Confirmed"
    ARRIVED = "arrived", "Active"
    DEPARTED = "departed", "Turnaround"
    CLOSED = "closed", "Departed"
    CANCELLED = "cancelled", "Cancelled"
    NOT_ARRIVED = "not_arrived", "Did not arrive"


S = BookingStatus
# Bookings that hold their bedspace: everything but cancelled and not arrived.
ACTIVE_STATUSES = (S.PROVISIONAL, S.CONFIRMED, S.ARRIVED, S.DEPARTED, S.CLOSED)
# The colour of each status's tag.
STATUS_COLOURS = {
    S.PROVISIONAL: "grey",
    S.CONFIRMED: "blue",
    S.ARRIVED: "green",
    S.DEPARTED: "orange",
    S.CLOSED: "purple",
    S.CANCELLED: "red",
    S.NOT_ARRIVED: "red",
}


def available_from(departure: dt.date, turnaround_working_days: int) -> dt.date:
    """The first day a bedspace can take its next arrival after someone leaves on `departure`.

    A same-day turnaround (0) frees the bedspace on the departure day itself. Otherwise the
    departure day and the days up to the turnaround's last working day are kept for getting the
    bedspace ready, so the next arrival can be the day after that working day."""
    if turnaround_working_days <= 0:
        return departure
    return add_working_days(departure, turnaround_working_days) + dt.timedelta(days=1)


def current_status(stored: str, available: dt.date, day: dt.date) -> BookingStatus:
    if stored == S.DEPARTED and available <= day:
        return S.CLOSED
    return BookingStatus(stored)


def status_filter(status: str, day: dt.date, prefix: str = "") -> Q:
    """The bookings whose `current_status` on `day` is `status`, as a filter."""
    if status == S.DEPARTED:
        return Q(**{f"{prefix}status": S.DEPARTED, f"{prefix}available_from__gt": day})
    if status == S.CLOSED:
        return Q(**{f"{prefix}status": S.DEPARTED, f"{prefix}available_from__lte": day}) | Q(
            **{f"{prefix}status": S.CLOSED}
        )
    return Q(**{f"{prefix}status": status})
