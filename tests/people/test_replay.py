"""RecordedSession: matching recordings and injecting failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from cas.people.replay import RECORDED_DIR, RecordedSession


def session_with(*interactions: dict) -> RecordedSession:
    return RecordedSession(include_default_recordings=False, interactions=list(interactions))


def test_every_recording_file_is_well_formed() -> None:
    files = sorted(RECORDED_DIR.glob("*.json"))
    assert len(files) >= 9
    for file in files:
        document = json.loads(file.read_text(encoding="utf-8"))
        assert document["endpoint"]
        assert document["interactions"], file.name
        for interaction in document["interactions"]:
            assert interaction["request"]["path"].startswith("/")
            assert interaction["request"]["method"] in {"GET", "POST"}


def test_recordings_include_a_404_and_a_restricted_body() -> None:
    statuses = []
    restricted = False
    for file in RECORDED_DIR.glob("*.json"):
        for interaction in json.loads(file.read_text(encoding="utf-8"))["interactions"]:
            statuses.append(interaction["response"].get("status"))
            body = interaction["response"].get("body") or {}
            restricted |= any(item.get("userRestricted") for item in body.get("access", []))
    assert 404 in statuses
    assert restricted


def test_most_specific_recording_wins() -> None:
    session = session_with(
        {"request": {"method": "POST", "path": "/users/access"}, "response": {"body": "anyone"}},
        {"request": {"method": "POST", "path": "/users/access", "query": {"username": "a"}}, "response": {"body": "a"}},
    )
    assert session.post("https://x.invalid/users/access", params={"username": "a"}, json=["X1"]).json() == "a"
    assert session.post("https://x.invalid/users/access", params={"username": "b"}, json=["X1"]).json() == "anyone"


def test_query_in_the_url_counts_like_params() -> None:
    session = session_with(
        {"request": {"method": "GET", "path": "/p", "query": {"alertCode": "HA"}}, "response": {"body": [1]}}
    )
    assert session.get("https://x.invalid/p?alertCode=HA").json() == [1]
    assert session.get("https://x.invalid/p?alertCode=XA").status_code == 404


def test_base_url_path_prefixes_still_match() -> None:
    session = session_with({"request": {"method": "GET", "path": "/crn/X1/tier"}, "response": {"body": {"ok": 1}}})
    assert session.get("https://gateway.invalid/tier-service/crn/X1/tier").json() == {"ok": 1}


def test_unrecorded_requests_get_a_404_that_says_why() -> None:
    response = session_with().get("https://x.invalid/nothing/here")
    assert response.status_code == 404
    assert "No recording for GET /nothing/here" in response.json()["developerMessage"]


def test_fail_once_then_answer() -> None:
    session = session_with({"request": {"method": "GET", "path": "/p"}, "response": {"body": 1}}).fail("timeout")
    with pytest.raises(requests.Timeout):
        session.get("https://x.invalid/p")
    assert session.get("https://x.invalid/p").json() == 1


def test_failures_queue_up_in_order() -> None:
    session = session_with({"request": {"method": "GET", "path": "/p"}, "response": {"body": 1}})
    session.fail(503).fail("connection")
    assert session.get("https://x.invalid/p").status_code == 503
    with pytest.raises(requests.ConnectionError):
        session.get("https://x.invalid/p")
    assert session.get("https://x.invalid/p").status_code == 200
    assert len(session.calls) == 3


def test_fail_always() -> None:
    session = session_with().fail("timeout", times=None)
    for _ in range(3):
        with pytest.raises(requests.Timeout):
            session.get("https://x.invalid/p")


def test_recorded_timeouts_and_raw_text() -> None:
    session = session_with(
        {"request": {"method": "GET", "path": "/slow"}, "response": {"timeout": True}},
        {"request": {"method": "GET", "path": "/html"}, "response": {"status": 502, "text": "<h1>Bad gateway</h1>"}},
    )
    with pytest.raises(requests.ReadTimeout):
        session.get("https://x.invalid/slow")
    response = session.get("https://x.invalid/html")
    assert (response.status_code, response.reason, response.text) == (502, "Bad Gateway", "<h1>Bad gateway</h1>")


def test_a_directory_of_recordings(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(
        json.dumps({"endpoint": "GET /p", "interactions": [{"request": {"path": "/p"}, "response": {"body": "x"}}]}),
        encoding="utf-8",
    )
    session = RecordedSession(directory=tmp_path)
    assert session.get("https://x.invalid/p").json() == "x"
    assert session.get("https://x.invalid/probation-cases/X100001/details").status_code == 404
