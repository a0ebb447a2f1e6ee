"""Replay recorded upstream responses through the HTTP adapters, with no network.

``RecordedSession`` stands in for ``requests.Session``: ``get`` and ``post`` return real
``requests.Response`` objects built from the JSON files in ``recorded/``. Tests use it to exercise
the HTTP adapters (including retries: see ``fail``), and a demo site can select it in settings::

    INTEGRATIONS = {
        "case_system": {
            "class": "cas.people.http.case_system.HttpCaseSystem",
            "base_url": "https://approved-premises-and-delius.invalid",
            "session": "cas.people.replay.RecordedSession",
        },
        ...
    }

Recording file format (one file per endpoint, a handful of interactions each)::

    {"endpoint": "GET /probation-cases/{crn}/details",
     "interactions": [
        {"request": {"method": "GET", "path": "/probation-cases/X100001/details"},
         "response": {"status": 200, "body": {...}}},
        {"request": {"method": "POST", "path": "/users/access",
                     "query": {"username": "demo.restricted-access"}, "json": ["X100008"]},
         "response": {"status": 200, "body": {...}}},
        {"request": {"method": "GET", "path": "/probation-cases/X999991/details"},
         "response": {"timeout": true}}]}

A request matches an interaction when method and path agree (the path may sit under a base-URL
prefix) and every ``query`` key and the ``json`` body, when recorded, are equal. The most specific
match wins, so a recording for one user can sit beside a default for everyone else; among equally
specific matches, interactions passed to the constructor win over files. A request with no
recording gets a 404, which the adapters read as "person not found".
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.structures import CaseInsensitiveDict

RECORDED_DIR = Path(__file__).resolve().parent / "recorded"

type FailureKind = Literal["timeout", "connection"] | int


@dataclass(frozen=True, slots=True)
class RecordedCall:
    """What the adapter sent, for assertions in tests."""

    method: str
    url: str
    path: str
    params: dict[str, str]
    json: Any
    headers: dict[str, str]
    timeout: float | None


@dataclass(slots=True)
class _Interaction:
    method: str
    path: str
    query: dict[str, str] | None
    body_json: Any
    has_json: bool
    response: dict[str, Any]

    @property
    def specificity(self) -> int:
        return len(self.query or {}) + (1 if self.has_json else 0)

    def matches(self, params: Mapping[str, str], body: Any) -> bool:
        if self.query and any(params.get(key) != value for key, value in self.query.items()):
            return False
        return not (self.has_json and body != self.body_json)


@dataclass(slots=True)
class _Failure:
    kind: FailureKind
    remaining: int | None  # None: fail every time


def _interaction(raw: Mapping[str, Any]) -> _Interaction:
    request = raw["request"]
    return _Interaction(
        method=request.get("method", "GET").upper(),
        path=request["path"],
        query={str(k): str(v) for k, v in request["query"].items()} if request.get("query") else None,
        body_json=request.get("json"),
        has_json="json" in request,
        response=dict(raw.get("response", {})),
    )


@dataclass
class RecordedSession:
    """A ``requests.Session`` look-alike answering from recordings.

    ``directory`` defaults to the recordings shipped with the package; ``interactions`` adds more
    (tests build them in memory). ``calls`` lists every request, including failed attempts.
    """

    directory: Path | str | None = None
    interactions: Iterable[Mapping[str, Any]] = ()
    include_default_recordings: bool = True
    headers: dict[str, str] = field(default_factory=dict)
    calls: list[RecordedCall] = field(default_factory=list)
    _recordings: dict[tuple[str, str], list[_Interaction]] = field(default_factory=dict, init=False, repr=False)
    _failures: list[_Failure] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        loaded: list[_Interaction] = [_interaction(raw) for raw in self.interactions]
        directories = []
        if self.directory is not None:
            directories.append(Path(self.directory))
        elif self.include_default_recordings:
            directories.append(RECORDED_DIR)
        for directory in directories:
            for file in sorted(directory.glob("*.json")):
                document = json.loads(file.read_text(encoding="utf-8"))
                loaded += [_interaction(raw) for raw in document["interactions"]]
        # Indexed by (method, path), most specific first; the stable sort keeps load order among equals.
        for interaction in sorted(loaded, key=lambda i: -i.specificity):
            key = (interaction.method, "/" + interaction.path.strip("/"))
            self._recordings.setdefault(key, []).append(interaction)

    def _find(self, method: str, path: str, params: Mapping[str, str], body: Any) -> _Interaction | None:
        # Try the whole path, then drop leading segments, so base URLs with a path prefix still match.
        segments = path.strip("/").split("/")
        for start in range(len(segments)):
            for interaction in self._recordings.get((method, "/" + "/".join(segments[start:])), ()):
                if interaction.matches(params, body):
                    return interaction
        return None

    # --- Failure injection -------------------------------------------------------------------

    def fail(self, kind: FailureKind, times: int | None = 1) -> RecordedSession:
        """Make the next ``times`` requests (or all, with None) time out, fail to connect, or return
        the given HTTP status. Calls queue up: ``fail("timeout").fail(503)`` fails twice, differently."""
        self._failures.append(_Failure(kind, times))
        return self

    def _next_failure(self) -> FailureKind | None:
        if not self._failures:
            return None
        failure = self._failures[0]
        if failure.remaining is not None:
            failure.remaining -= 1
            if failure.remaining <= 0:
                self._failures.pop(0)
        return failure.kind

    # --- requests.Session interface -----------------------------------------------------------

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        headers: Mapping[str, str] | None = None,
        **_kwargs: Any,
    ) -> requests.Response:
        return self.request("GET", url, params=params, timeout=timeout, headers=headers)

    def post(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        timeout: float | None = None,
        headers: Mapping[str, str] | None = None,
        **_kwargs: Any,
    ) -> requests.Response:
        return self.request("POST", url, params=params, json=json, timeout=timeout, headers=headers)

    def request(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        timeout: float | None = None,
        headers: Mapping[str, str] | None = None,
        **_kwargs: Any,
    ) -> requests.Response:
        method = method.upper()
        split = urlsplit(url)
        query = dict(parse_qsl(split.query))
        query.update({str(k): str(v) for k, v in (params or {}).items() if v is not None})
        self.calls.append(
            RecordedCall(method, url, split.path, query, json, {**self.headers, **(headers or {})}, timeout)
        )

        failure = self._next_failure()
        if failure == "timeout":
            raise requests.ReadTimeout(f"Recorded timeout for {method} {url}")
        if failure == "connection":
            raise requests.ConnectionError(f"Recorded connection failure for {method} {url}")
        if isinstance(failure, int):
            return _response(method, url, query, failure, {"status": failure, "userMessage": "Recorded failure"})

        recording = self._find(method, split.path, query, json)
        if recording is not None:
            spec = recording.response
            if spec.get("timeout"):
                raise requests.ReadTimeout(f"Recorded timeout for {method} {url}")
            if spec.get("connection_error"):
                raise requests.ConnectionError(f"Recorded connection failure for {method} {url}")
            return _response(method, url, query, int(spec.get("status", 200)), spec.get("body"), spec.get("text"))
        return _response(
            method,
            url,
            query,
            404,
            {"status": 404, "userMessage": "Not found", "developerMessage": f"No recording for {method} {split.path}"},
        )

    def close(self) -> None:
        """Nothing to release; present because adapters may close their session."""


def _response(
    method: str, url: str, query: Mapping[str, str], status: int, body: Any, text: str | None = None
) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    try:
        response.reason = HTTPStatus(status).phrase
    except ValueError:
        response.reason = ""
    payload = text.encode() if text is not None else json.dumps(body).encode()
    response.raw = io.BytesIO(payload)
    response.headers = CaseInsensitiveDict({"Content-Type": "text/plain" if text is not None else "application/json"})
    response.encoding = "utf-8"
    bare_url = urlsplit(url)._replace(query="").geturl()
    response.request = requests.Request(method, bare_url, params=dict(query)).prepare()
    response.url = response.request.url or url
    return response
