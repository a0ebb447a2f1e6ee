"""The dependency audit's decisions (scripts/audit_dependencies): known vulnerabilities fail the
build; a vulnerability service that cannot be reached, or that has no data, warns and carries on;
anything else that breaks the tool fails."""

import json
import sys
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies"
# The script has no .py suffix (it is run as a command), so it is loaded by path.
_spec = spec_from_file_location("audit_dependencies", PATH, loader=SourceFileLoader("audit_dependencies", str(PATH)))
audit = module_from_spec(_spec)
sys.modules["audit_dependencies"] = audit  # dataclasses look their module up there
_spec.loader.exec_module(audit)


def pip_report(*dependencies):
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_pip_vulnerabilities_fail_and_are_named():
    outcome = audit.decide_pip_audit(
        1,
        pip_report(
            {"name": "django", "version": "6.1.0", "vulns": [{"id": "PYSEC-2026-1", "fix_versions": ["6.1.3"]}]},
            {"name": "jinja2", "version": "3.1.6", "vulns": []},
        ),
        "",
    )
    assert outcome.status == audit.VULNERABLE and outcome.fails
    assert "django 6.1.0: PYSEC-2026-1 (fixed in 6.1.3)" in outcome.message


def test_pip_clean_report_passes():
    outcome = audit.decide_pip_audit(0, pip_report({"name": "django", "version": "6.1.3", "vulns": []}), "")
    assert outcome.status == audit.OK and not outcome.fails
    assert "no known vulnerabilities in 1 packages" in outcome.message


def test_pip_service_without_data_warns_instead_of_passing_silently():
    skipped = {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"}
    outcome = audit.decide_pip_audit(0, pip_report(skipped, {**skipped, "name": "jinja2"}), "")
    assert outcome.status == audit.UNREACHABLE and not outcome.fails
    assert "were not audited" in outcome.message
    partly = audit.decide_pip_audit(0, pip_report(skipped, {"name": "jinja2", "version": "3.1.6", "vulns": []}), "")
    assert partly.status == audit.OK and "not audited: django" in partly.message


@pytest.mark.parametrize(
    "stderr",
    [
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='pypi.org'): Max retries exceeded",
        "Temporary failure in name resolution",
        "ReadTimeout: read timed out",
    ],
)
def test_pip_unreachable_service_warns(stderr):
    outcome = audit.decide_pip_audit(1, "", stderr)
    assert outcome.status == audit.UNREACHABLE and not outcome.fails


def test_pip_unexpected_failure_fails():
    outcome = audit.decide_pip_audit(2, "", "error: unrecognized arguments: --bogus")
    assert outcome.status == audit.ERROR and outcome.fails and "--bogus" in outcome.message


def test_npm_vulnerabilities_fail():
    report = {
        "vulnerabilities": {"moment": {"severity": "high"}},
        "metadata": {"vulnerabilities": {"low": 0, "moderate": 0, "high": 1, "critical": 0, "total": 1}},
    }
    outcome = audit.decide_npm_audit(1, json.dumps(report), "")
    assert outcome.status == audit.VULNERABLE and outcome.fails and "moment: high" in outcome.message


def test_npm_clean_passes():
    report = {"vulnerabilities": {}, "metadata": {"vulnerabilities": {"total": 0}}}
    assert audit.decide_npm_audit(0, json.dumps(report), "").status == audit.OK


@pytest.mark.parametrize(
    ("stdout", "stderr"),
    [
        (
            json.dumps(
                {
                    "message": "405 Method Not Allowed - POST https://registry/-/npm/v1/security/advisories/bulk",
                    "statusCode": 405,
                }
            ),
            "npm error audit endpoint returned an error",
        ),
        (
            json.dumps(
                {"error": {"code": "ENOTFOUND", "summary": "request to registry failed, reason: getaddrinfo ENOTFOUND"}}
            ),
            "",
        ),
        ("", "npm error code EAI_AGAIN"),
    ],
)
def test_npm_unreachable_service_warns(stdout, stderr):
    outcome = audit.decide_npm_audit(1, stdout, stderr)
    assert outcome.status == audit.UNREACHABLE and not outcome.fails


def test_npm_unexpected_failure_fails():
    outcome = audit.decide_npm_audit(1, json.dumps({"error": {"code": "ENOLOCK", "summary": "no lockfile"}}), "")
    assert outcome.status == audit.ERROR and outcome.fails


def test_exit_code_fails_only_on_vulnerabilities_or_errors(capsys):
    ok = audit.Outcome("pip-audit", audit.OK, "fine")
    warn = audit.Outcome("npm audit", audit.UNREACHABLE, "could not be reached")
    bad = audit.Outcome("npm audit", audit.VULNERABLE, "1 known vulnerability")
    assert audit.report([ok, warn]) == 0
    assert "WARNING: npm audit: could not be reached. Continuing without it." in capsys.readouterr().err
    assert audit.report([ok, bad]) == 1
    assert "FAILED: npm audit" in capsys.readouterr().err
