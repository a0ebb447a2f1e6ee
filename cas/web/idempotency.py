"""Idempotent form submissions on pages: every form that creates or changes a booking, submits a
referral or imports a file carries a hidden `submission_key`, drawn fresh with the form and kept
when the form is redrawn with errors. Sending the same form twice (a double click, the back button,
a retry after a lost response) then does the work once and shows the first result again."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect
from markupsafe import Markup, escape

from cas.core import idempotency

FIELD = "submission_key"
REPLAYED = "This form had already been sent, so nothing was changed again."


def submission_key_input(request) -> Markup:
    """The hidden field for a form: the key sent with this request if any (a redrawn form), else a new one."""
    key = request.POST.get(FIELD, "") if request is not None and request.method == "POST" else ""
    if not key or len(key) > idempotency.MAX_KEY_LENGTH:
        key = uuid.uuid4().hex
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, escape(key))


def run_once(request, scope: str, action: Callable[[], dict]) -> idempotency.Outcome:
    """Carry out a page's submission once per key; the action returns a JSON-able result."""
    return idempotency.run_once(
        request.user,
        scope,
        request.POST.get(FIELD),
        action,
        fingerprint=idempotency.fingerprint_form(request.path, request.POST.lists(), request.FILES.items()),
    )


def redirect_once(request, scope: str, action: Callable[[], tuple[str, str]]):
    """For submissions that end in a redirect with a success message: `action` does the work and
    returns (where to go, what to say). A repeat goes to the same place and says it was done before."""

    def act() -> dict:
        location, message = action()
        return {"redirect": location, "message": message}

    outcome = run_once(request, scope, act)
    messages.success(request, outcome.result["message"])
    if outcome.replayed:
        messages.info(request, REPLAYED)
    return redirect(outcome.result["redirect"])
