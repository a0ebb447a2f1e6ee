"""Find every row in the database that refers to a person, by introspecting every model.

Knows nothing about the domain: a row is about the person when
- a text or JSON column contains their CRN, a prison number or their name;
- a foreign key points at a row about them (followed until nothing new turns up);
- a text or JSON column carries the id (a UUID) of a row about them, e.g. `referral:<id>` on an
  email, or an event id in a queued task's arguments;
- a `<something>_type` / `<something>_id` pair names a row about them (the audit's subject).
So a new table that holds anything about a person is found without changing this file.
"""

import json
import re

from django.apps import apps
from django.db import models

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str)


def _models():
    return [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]


def _pairs(model):
    """(type field, id field) pairs such as subject_type/subject_id."""
    names = {f.attname for f in model._meta.concrete_fields}
    return [
        (n, n[: -len("_type")] + "_id") for n in names if n.endswith("_type") and n[: -len("_type")] + "_id" in names
    ]


def rows_about(terms: list[str]) -> set[tuple[str, str]]:
    """Every (model label, primary key) about the person identified by `terms` (CRN, prison numbers, names)."""
    needles = [t.upper() for t in terms if t]
    found: set[tuple[str, str]] = set()
    rows: dict = {}
    for model in _models():
        text = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        fks = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None]
        pairs = _pairs(model)
        columns = list(dict.fromkeys(["pk", *text, *(f.attname for f in fks)]))
        values = list(model._base_manager.values_list(*columns))
        rows[model] = (columns, text, fks, pairs, values)
        label = model._meta.label_lower
        for row in values:
            record = dict(zip(columns, row, strict=True))
            blob = " ".join(_text(record[c]) for c in text).upper()
            if any(n in blob for n in needles):
                found.add((label, str(record["pk"])))
    while True:
        ids = {pk for _, pk in found}
        before = len(found)
        for model, (columns, text, fks, pairs, values) in rows.items():
            label = model._meta.label_lower
            for row in values:
                record = dict(zip(columns, row, strict=True))
                key = (label, str(record["pk"]))
                if key in found:
                    continue
                if any(
                    record[f.attname] is not None
                    and (f.related_model._meta.label_lower, str(record[f.attname])) in found
                    for f in fks
                ):
                    found.add(key)
                    continue
                blob = " ".join(_text(record[c]) for c in text if c != "pk")
                if any(u in ids for u in UUID_RE.findall(blob.lower())):
                    found.add(key)
                    continue
                for type_field, id_field in pairs:
                    if (str(record[type_field]), str(record[id_field])) in found:
                        found.add(key)
                        break
        if len(found) == before:
            return found
