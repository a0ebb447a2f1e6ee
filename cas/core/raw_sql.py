"""Hand-written SQL on SQLite and PostgreSQL alike, for the few hot reads where building model
instances and compiling ORM queries cost more than running the query (the bedspace search, the
booking's history). Parameters go in as the database stores them; values come back as Python types
whichever database answered (SQLite keeps UUIDs as 32 hex digits, and gives text for dates and
times where a UNION hides a column's declared type)."""

import datetime as dt
import uuid

from django.db import connection, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def marks(values) -> str:
    """One `%s` placeholder per value, for `IN (...)`."""
    return ", ".join(["%s"] * len(values))


_UUID = models.UUIDField()


def uuid_params(values) -> list:
    """UUIDs as the database stores them."""
    return [_UUID.get_db_prep_value(v, connection) for v in values]


def as_uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def as_date(value) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def as_moment(value) -> dt.datetime:
    """An aware datetime (SQLite gives naive text in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)
