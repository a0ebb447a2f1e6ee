"""The `Idempotency-Key` header on API writes (booking actions, bookings, incidents, referral
submission): a request repeated with the same key returns the first answer, with
`Idempotent-Replayed: true`, and changes nothing. Without the header a request simply runs.

`@idempotent("scope")` wraps a DRF view method; the OpenAPI document lists the header on every
operation so wrapped (see `cas.api.schema.CasAutoSchema`)."""

from __future__ import annotations

import functools

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from cas.core import idempotency

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional, 1 to 255 printable ASCII characters (a UUID, say), new for each intended change. A request "
        "repeated with the same key within 24 hours returns the first response (with `Idempotent-Replayed: "
        "true`) and changes nothing; the same key with a different request is refused with 409 "
        "`idempotency_key_reused`."
    ),
)


class _NotDone(Exception):
    """An answer that is not a success (a 4xx built by the view itself): nothing is kept for the key."""

    def __init__(self, response):
        self.response = response


def idempotent(scope: str):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(view, request, *args, **kwargs):
            def act() -> dict:
                response = method(view, request, *args, **kwargs)
                if response.status_code >= 400:
                    raise _NotDone(response)
                return {"status": response.status_code, "body": response.data}

            try:
                outcome = idempotency.run_once(
                    request.user,
                    scope,
                    request.headers.get(HEADER),
                    act,
                    fingerprint=idempotency.fingerprint(request.method, request.path, request.data),
                )
            except _NotDone as not_done:
                return not_done.response
            response = Response(outcome.result["body"], status=outcome.result["status"])
            if outcome.replayed:
                response[REPLAYED_HEADER] = "true"
            return response

        wrapper.idempotent = True
        return wrapper

    return decorate
