"""The demo data in a world that is the same on every run: the clock stopped at `FROZEN_AT`, every
random UUID the service makes drawn from a seeded sequence, and the synthetic case, risk and prison
systems reading the same clock.

- **The clock**: `django.utils.timezone.now` is what `cas.core.clock`, `auto_now` fields and
  `timezone.localdate()` all read, so stopping it stops the service's clock (the pattern of
  `tests/dashboard_scenario.travel`). Every record is made at the same instant.
- **Integer keys** start after the rows each table has (`reset_sequences`), whatever ran before.
- **UUIDs**: every `UUIDField` whose default is `uuid.uuid4` gets a generator of its own, seeded by
  its model (`placements.booking#1`, `#2`...), and `uuid.uuid4()` itself (import batches) one more. So
  a new kind of record, or one more audit event, does not renumber the bookings; and lists that fall
  back on the key to order records made at the same instant come out in the same order on SQLite and
  PostgreSQL (both compare UUIDs byte by byte). `Labels.normalise` writes each UUID in the captured
  output as its label, and any UUID that did not come from these generators as `<uuid?N>` in order of
  first appearance, so a stray random one cannot make the snapshots flaky.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from contextlib import contextmanager

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from cas.people import registry

# A Monday, in the week the synthetic people are anchored on (cas.people.synthetic.SYNTHETIC_ANCHOR).
FROZEN_DAY = dt.date(2026, 11, 16)
FROZEN_AT = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.UTC)

UUID_RE = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
HEX_UUID_RE = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


class Labels:
    """Seeded UUID generators, one per name, remembering the label of every UUID they made."""

    def __init__(self) -> None:
        self.by_uuid: dict[str, str] = {}
        self.counters: dict[str, int] = {}

    def generator(self, name: str):
        def make() -> uuid.UUID:
            n = self.counters.get(name, 0) + 1
            self.counters[name] = n
            digest = hashlib.sha256(f"cas-golden:{name}:{n}".encode()).digest()
            value = uuid.UUID(bytes=digest[:16], version=4)
            self.by_uuid[str(value)] = f"{name}#{n}"
            return value

        return make

    def normalise(self, text: str) -> str:
        """UUIDs (with or without dashes) as their labels; unknown ones numbered by first appearance."""
        unknown: dict[str, str] = {}

        def label(value: str) -> str:
            key = str(uuid.UUID(value))
            if key in self.by_uuid:
                return f"<{self.by_uuid[key]}>"
            return unknown.setdefault(key, f"<uuid?{len(unknown) + 1}>")

        text = UUID_RE.sub(lambda m: label(m.group(0)), text)
        return HEX_UUID_RE.sub(lambda m: label(m.group(0)) if m.group(0) in self._hex else m.group(0), text)

    @property
    def _hex(self) -> set[str]:
        return {key.replace("-", "") for key in self.by_uuid}


def _uuid_fields():
    for model in apps.get_models():
        for field in model._meta.local_fields:
            if isinstance(field, models.UUIDField) and field.default is uuid.uuid4:
                yield model, field


def reset_sequences() -> None:
    """Start every integer key after the rows the table has (on PostgreSQL; a no-op on SQLite).

    A few records have integer keys that the API shows (timeline entries). PostgreSQL's sequences are
    not rolled back with the tests that used them, so without this the demo's keys would depend on
    which tests ran before; SQLite's AUTOINCREMENT counters are rolled back with the transaction."""
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextmanager
def frozen_world(monkeypatch):
    """Stop the clock at FROZEN_AT and seed every UUID, for as long as the context lasts."""
    labels = Labels()
    monkeypatch.setattr(timezone, "now", lambda: FROZEN_AT)
    # The synthetic adapters stamp what they return with their own clock (fetched_at).
    for adapter in (registry.get_case_system(), registry.get_risk_system(), registry.get_prison_system()):
        if hasattr(adapter, "_clock"):
            monkeypatch.setattr(adapter, "_clock", lambda: FROZEN_AT)
    fields = list(_uuid_fields())
    for model, field in fields:
        monkeypatch.setattr(field, "default", labels.generator(model._meta.label_lower))
        # Field.get_default() caches the default it read (`_get_default`): read the seeded one.
        field.__dict__.pop("_get_default", None)
    monkeypatch.setattr(uuid, "uuid4", labels.generator("uuid4"))
    try:
        yield labels
    finally:
        monkeypatch.undo()
        for _model, field in fields:
            field.__dict__.pop("_get_default", None)
