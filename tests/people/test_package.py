"""Package hygiene: documentation in sync, no Django or network at import."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cas.people.synthetic.demo_people import DEMO_CRNS

PACKAGE = Path(__file__).resolve().parents[2] / "cas" / "people"


def test_every_demo_crn_is_documented_in_the_readme() -> None:
    readme = (PACKAGE / "README.md").read_text(encoding="utf-8")
    missing = [crn for crn in DEMO_CRNS if f"`{crn}`" not in readme]
    assert missing == []


def test_the_readme_lists_no_demo_crn_that_does_not_exist() -> None:
    readme = (PACKAGE / "README.md").read_text(encoding="utf-8")
    table_crns = set(re.findall(r"^\| `([A-Z]\d{6})`", readme, flags=re.MULTILINE))
    assert table_crns == set(DEMO_CRNS)


def test_importing_the_package_needs_neither_django_nor_the_network() -> None:
    script = """
import socket, sys
def refuse(*args, **kwargs):
    raise AssertionError("network used at import time")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
import cas.people.ports, cas.people.replay, cas.people.registry
import cas.people.synthetic.case_system, cas.people.synthetic.risk_system, cas.people.synthetic.prison_system
import cas.people.http.case_system, cas.people.http.risk_system, cas.people.http.prison_system
assert not any(name == "django" or name.startswith("django.") for name in sys.modules), "Django imported"
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PACKAGE.parents[1], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
