"""Optimistic concurrency for edit forms: a stale form is refused, never silently overwrites.

Models that are edited through forms carry `version` (VersionedModel). The form sends back the
version it was drawn from; the service locks the row, compares, and raises StaleEdit on mismatch.
The page then shows the newer values and asks the user to make their change again.
"""

from django import forms
from django.db import models

from cas.core.errors import Conflict

STALE_MESSAGE = (
    "Someone else changed this while you were editing it. The form now shows their changes: "
    "check them and make your change again."
)


class StaleEdit(Conflict):
    def __init__(self, message: str = STALE_MESSAGE):
        super().__init__(message, code="stale")


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True


def check_version(obj: VersionedModel, expected_version: int | None) -> None:
    """The check alone, for a step that only reads: a confirmation page drawn from a stale form is
    refused there, before the user confirms something that has changed under them."""
    if expected_version is not None and obj.version != expected_version:
        raise StaleEdit()


def check_and_bump(obj: VersionedModel, expected_version: int | None) -> None:
    """Call with the row locked (select_for_update). None skips the check (API callers may omit it)."""
    check_version(obj, expected_version)
    obj.version += 1


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
