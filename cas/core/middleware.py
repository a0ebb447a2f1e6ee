"""Request id and client address, kept for logs and audit records of the current request."""

import contextvars
import logging
import time
import uuid
from urllib.parse import unquote_plus

from django.core.exceptions import BadRequest

request_log = logging.getLogger("cas.request")

_request_meta: contextvars.ContextVar[dict | None] = contextvars.ContextVar("cas_request_meta", default=None)


def current_request_meta() -> dict:
    return _request_meta.get() or {}


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it,
    # and the proxy in front of us is expected to set REMOTE_ADDR through the WSGI server.
    return request.META.get("REMOTE_ADDR") or None


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_meta.set({"request_id": request_id, "ip": client_ip(request)})
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status_code": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": user.pk if user is not None and user.is_authenticated else None,
                },
            )
        finally:
            _request_meta.reset(token)
        response["X-Request-Id"] = request_id
        return response


class RejectNulMiddleware:
    """A query string with a NUL character is refused (400): no PostgreSQL text column can hold one,
    so a search or filter carrying it failed in the database instead (found by the API fuzz test on
    the event feed's `type` and the queue's search). Forms and API bodies refuse NUL already (Django
    and DRF character fields)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            raise BadRequest("NUL character in the query string")
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and API answers for a signed-in user carry personal data: no browser or proxy may keep
    a copy (a shared computer's back button or cache would show them to the next person)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        if (authenticated or request.path.startswith("/api/")) and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response
