"""Idempotent submissions: the same submission sent twice is carried out once.

A submission carries a key chosen by the sender: the hidden `submission_key` of a page's form (a new
one each time the form is drawn) or the API's `Idempotency-Key` header. `run_once` claims the key
for the user, carries out the action and stores its result, all in one transaction, so:

- a repeat of a finished submission returns the stored first result and changes nothing;
- a repeat that arrives while the first is still running waits for it (the key's unique row is
  locked by the first transaction) and then returns its result;
- a submission that fails (a domain error, an incomplete form) leaves no key behind, so the user
  can correct it and send it again with the same key;
- a key reused for a different submission (another page, other values) is refused with `KeyReused`.

Keys are kept for IDEMPOTENCY_KEY_HOURS; after that the same key counts as a new submission.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from cas.core import clock
from cas.core.errors import Conflict, DomainError
from cas.core.models import IdempotencyKey

MAX_KEY_LENGTH = 255


class KeyReused(Conflict):
    def __init__(self):
        super().__init__(
            "This submission key was already used for a different submission. Start again from the page "
            "(or send a new Idempotency-Key).",
            code="idempotency_key_reused",
        )


@dataclass(frozen=True)
class Outcome:
    result: dict
    replayed: bool


def fingerprint(*parts: object) -> str:
    """A stable hash of what was submitted (parts are JSON-encoded with sorted keys)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(json.dumps(part, sort_keys=True, default=str).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def fingerprint_form(path: str, post: Iterable[tuple[str, list[str]]], files: Iterable = ()) -> str:
    """Fingerprint of a page's form: the page, every field but the CSRF token, and every file's bytes."""
    fields = sorted((name, values) for name, values in post if name not in {"csrfmiddlewaretoken", "submission_key"})
    uploads = []
    for name, upload in sorted(files, key=lambda item: item[0]):
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        uploads.append((name, upload.name, digest.hexdigest()))
    return fingerprint(path, fields, uploads)


def valid_key(key: str | None) -> str | None:
    """None when no key was sent (the submission then simply runs); the key when it is usable."""
    if key is None or key == "":
        return None
    if len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise DomainError(
            f"The idempotency key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters",
            field="Idempotency-Key",
            code="invalid_idempotency_key",
        )
    return key


def _live(user, key: str):
    cutoff = clock.now() - dt.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    return IdempotencyKey.objects.filter(user=user, key=key, created_at__gt=cutoff).first()


def _replay(record: IdempotencyKey, print_: str) -> Outcome:
    if record.fingerprint != print_:
        raise KeyReused()
    return Outcome(result=record.result or {}, replayed=True)


def run_once(user, scope: str, key: str | None, action: Callable[[], dict], *, fingerprint: str) -> Outcome:
    """Carry out `action` (which returns a JSON-able result) once for this user and key.

    Exceptions from the action roll back the action and the key together and propagate.
    """
    key = valid_key(key)
    if key is None or user is None or not user.is_authenticated:
        return Outcome(result=action(), replayed=False)
    with transaction.atomic():
        existing = _live(user, key)
        if existing is not None:
            return _replay(existing, fingerprint)
        # An expired key with the same value is forgotten, so the claim below can take its place.
        IdempotencyKey.objects.filter(user=user, key=key).delete()
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=user, key=key, scope=scope[:80], fingerprint=fingerprint, created_at=clock.now()
                )
        except IntegrityError:
            # Another request with this key committed first while we waited on its row.
            record = None
        if record is None:
            existing = _live(user, key)
            if existing is None:  # pragma: no cover - the other transaction rolled back; try again
                raise Conflict("The same submission is being handled already. Try again.", code="in_progress")
            return _replay(existing, fingerprint)
        result = action()
        record.result = result
        record.save(update_fields=["result"])
    return Outcome(result=result, replayed=False)


def prune(older_than_hours: int | None = None) -> int:
    hours = settings.IDEMPOTENCY_KEY_HOURS if older_than_hours is None else older_than_hours
    deleted, _ = IdempotencyKey.objects.filter(created_at__lte=clock.now() - dt.timedelta(hours=hours)).delete()
    return deleted
