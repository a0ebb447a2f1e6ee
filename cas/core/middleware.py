"""Request id and client address, kept for logs and audit records of the current request."""

import contextvars
import functools
import ipaddress
import logging
import time
import uuid
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import BadRequest

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

request_log = logging.getLogger("cas.request")

_request_meta: contextvars.ContextVar[dict | None] = contextvars.ContextVar("cas_request_meta", default=None)


def current_request_meta() -> dict:
    return _request_meta.get() or {}


def _address(value: str | None) -> IPAddress | None:
    try:
        address = ipaddress.ip_address((value or "").strip().split("%")[0])  # no IPv6 zone
    except ValueError:
        return None
    # An IPv4 client reaching an IPv6 socket shows as ::ffff:a.b.c.d: the same client either way.
    return getattr(address, "ipv4_mapped", None) or address


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def client_ip(request) -> str | None:
    """The client's address, for sign-in throttling and the audit.

    REMOTE_ADDR, unless it is one of `TRUSTED_PROXIES`: then X-Forwarded-For is read from the right
    (each proxy appends the address it saw) and the first address that is not a trusted proxy is the
    client. Everything to its left is whatever the client chose to send, so it is never used: a
    client cannot pick its own address by sending X-Forwarded-For. Not a valid address: None.
    """
    remote = _address(request.META.get("REMOTE_ADDR"))
    proxies = _networks(tuple(settings.TRUSTED_PROXIES))
    if remote is None or not proxies:
        return str(remote) if remote else None
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not any(client in network for network in proxies):
            break  # `client` was not appended by a proxy we trust: it is the client
        address = _address(hop)
        if address is None:
            break  # garbled, or a made-up value: stop at the last trusted proxy
        client = address
    return str(client)


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
