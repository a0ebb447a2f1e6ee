"""One source of 'now' and 'today' so tests and reports agree on the date in England and Wales."""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate()
