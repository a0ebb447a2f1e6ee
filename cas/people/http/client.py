"""What the three HTTP adapters share: one upstream's client (base URL, session, bearer token,
timeout and the retry rule), the session protocol, and the helpers that read upstream JSON.

Every call has a timeout and exactly one retry on a timeout, a connection error or a 502/503/504.
404 means the person is not known (``PersonNotFound``) unless the caller says what it means;
anything else that goes wrong becomes ``UpstreamUnavailable`` with a message fit for users, and so
does a body the mappings cannot read (``mapped``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any, Final, Protocol
from urllib.parse import quote
from zoneinfo import ZoneInfo

import requests

from ..ports import PersonNotFound, UpstreamUnavailable

RETRY_STATUSES: Final = frozenset({502, 503, 504})
UK_TZ = ZoneInfo("Europe/London")

type TokenProvider = Callable[[], str]
type JsonObject = dict[str, Any]


class SessionLike(Protocol):
    """What the adapters need of a session: ``requests.Session`` or ``replay.RecordedSession``."""

    def get(self, url: str, **kwargs: Any) -> requests.Response: ...

    def post(self, url: str, **kwargs: Any) -> requests.Response: ...


_MISSING: Final = object()


class Client:
    """One upstream: base URL, session, auth header, timeout and the retry rule."""

    def __init__(
        self,
        system: str,
        base_url: str,
        timeout: float,
        session: SessionLike | None,
        token_provider: TokenProvider | None,
        retry_delay: float,
    ) -> None:
        if not base_url:
            # Fail at start-up rather than on the first person looked up.
            raise ValueError(f"The {system} adapter needs a base_url (see settings.INTEGRATIONS)")
        self.system = system
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # One session per adapter, made here and never at import, so importing opens no connections.
        self.session = session if session is not None else requests.Session()
        self.token_provider = token_provider
        self.retry_delay = retry_delay

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token_provider is not None:
            try:
                token = self.token_provider()
            except Exception as exc:  # a broken token source is an outage, not a crash
                raise UpstreamUnavailable(self.system, f"could not get an access token: {exc!r}") from exc
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        problem = ""
        for attempt in range(2):
            if attempt and self.retry_delay:
                time.sleep(self.retry_delay)
            try:
                response = getattr(self.session, method)(url, timeout=self.timeout, headers=self._headers(), **kwargs)
            except (requests.Timeout, requests.ConnectionError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
                continue
            except requests.RequestException as exc:
                raise UpstreamUnavailable(self.system, f"{method.upper()} {url}: {exc!r}") from exc
            if response.status_code in RETRY_STATUSES:
                problem = f"HTTP {response.status_code}"
                response.close()  # hand the connection back to the pool before retrying
                continue
            return response
        raise UpstreamUnavailable(self.system, f"{method.upper()} {url}: {problem} (after one retry)")

    def call(
        self,
        method: str,
        path: str,
        *,
        base_url: str | None = None,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        not_found: Any = _MISSING,
        identifier: str = "",
    ) -> Any:
        """Return the decoded JSON body; on 404 return ``not_found`` or raise PersonNotFound."""
        url = (base_url.rstrip("/") if base_url else self.base_url) + path
        kwargs: dict[str, Any] = {"params": dict(params) if params else None}
        if method == "post":
            kwargs["json"] = json
        response = self._send(method, url, **kwargs)
        if response.status_code == 404:
            if not_found is _MISSING:
                raise PersonNotFound(identifier)
            return not_found
        if response.status_code != 200:
            raise UpstreamUnavailable(self.system, f"{method.upper()} {url}: HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as exc:
            raise UpstreamUnavailable(self.system, f"{method.upper()} {url}: body is not JSON") from exc


def path_segment(value: str) -> str:
    # Identifiers go into URL paths: never let one add path segments or a query.
    return quote(value, safe="")


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    return date.fromisoformat(value[:10])


def parse_local_datetime(value: str) -> datetime:
    """NOMIS and OASys send UK local times without an offset; make them aware."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UK_TZ)


def utcnow() -> datetime:
    return datetime.now(UTC)


class MappingError(Exception):
    """A body the mappings cannot read; ``mapped`` reports it as ``UpstreamUnavailable``."""


def mapped[T](system: str, what: str, build: Callable[[], T]) -> T:
    """Turn a surprising upstream body into UpstreamUnavailable rather than a 500 page."""
    try:
        return build()
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, MappingError) as exc:
        raise UpstreamUnavailable(system, f"unexpected {what} response: {exc!r}") from exc
