"""The statistics, the MI reports and the API's responses on the demo data are exactly what they were.

The demo data (`load_demo_data`, made through the services) is loaded once for the module, with the
clock stopped and every UUID seeded (`tests/golden/world.py`), inside a transaction rolled back at the
end; each test runs in a savepoint of it. Each output is compared with its golden file in
`tests/golden/snapshots/` (`tests/golden/snapshot.py`); see `tests/golden/README.md` for what is
captured and when regenerating the files (`CAS_UPDATE_GOLDEN=1`) is legitimate.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import get_resolver, reverse
from openpyxl import load_workbook

from cas.accounts.models import User
from cas.accounts.services import create_api_token
from cas.core.permissions import has_permission
from cas.core.tiers import DRAFT
from cas.events.models import DomainEvent
from cas.placements.models import Booking
from cas.placements.queries import LIST_STATUSES
from cas.premises.models import Bedspace, Premises, VoidPeriod
from cas.reference.lists import REFERENCE_LISTS
from cas.reference.loader import load_all
from cas.reference.models import ProbationRegion
from cas.referrals.cas2.queries import TABS as CAS2_TABS
from cas.referrals.cas3.definition import DEFINITION
from cas.referrals.cas3.queries import QUEUE_TABS, TAB_STATUSES
from cas.referrals.models import Referral
from cas.reporting import mi, statistics
from cas.reporting.models import ReportRun
from tests.golden.snapshot import as_json, check_group
from tests.golden.world import FROZEN_DAY, Labels, frozen_world, reset_sequences
from tests.url_samples import iter_patterns

pytestmark = pytest.mark.django_db

# The MI reports' period: a year either side of the frozen day, so past stays, current ones and
# future bookings all fall in it.
REPORT_START = FROZEN_DAY - dt.timedelta(days=365)
REPORT_END = FROZEN_DAY + dt.timedelta(days=365)
REPORTER = "demo.reporter"
ASSESSOR = "demo.cas3.assessor"
CAS2_ASSESSOR = "demo.cas2.assessor"
STATISTICIAN = "demo.statistician"


@dataclass
class Demo:
    labels: Labels
    users: dict[str, User]  # every demo user, by username
    tokens: dict[str, str]  # an API token for each

    def normalise(self, text: str) -> str:
        return self.labels.normalise(text)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, loaded once for the module in a transaction that is rolled back afterwards."""
    reports = tmp_path_factory.mktemp("golden-reports")
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as mp,
        frozen_world(mp) as labels,
        override_settings(REPORTS_DIR=reports),
        transaction.atomic(),
    ):
        if not ProbationRegion.objects.exists():
            load_all()
        reset_sequences()
        call_command("load_demo_data", verbosity=0)
        users = {u.username: u for u in User.objects.filter(username__startswith="demo.").order_by("username")}
        tokens = {name: create_api_token(None, user, "golden outputs")[1] for name, user in users.items()}
        yield Demo(labels, users, tokens)
        transaction.set_rollback(True)


# Statistics -----------------------------------------------------------------------------------------


def ods_values(content: bytes) -> str:
    """The cell values of an ODS workbook, sheet by sheet and row by row (not the zip's bytes)."""
    ns = {
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    }
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(content)).read("content.xml"))
    out = []
    for sheet in root.iter(f"{{{ns['table']}}}table"):
        out.append(f"== {sheet.get(f'{{{ns["table"]}}}name')}")
        for row in sheet.iter(f"{{{ns['table']}}}table-row"):
            cells = []
            for cell in row.iter(f"{{{ns['table']}}}table-cell"):
                kind = cell.get(f"{{{ns['office']}}}value-type") or ""
                value = cell.get(f"{{{ns['office']}}}value")
                text = "\n".join("".join(p.itertext()) for p in cell if p.tag.endswith("}p"))
                cells.append(f"{kind}:{value}" if value is not None else f"{kind}:{text}")
            out.append(" | ".join(cells))
    return "\n".join(out) + "\n"


def test_official_statistics(demo, tmp_path):
    """The cas3_statistics command's files, and the same tables downloaded from the statistics page."""
    call_command("cas3_statistics", output=str(tmp_path), stdout=io.StringIO())
    outputs = {}
    for table in statistics.compute():
        outputs[f"command/{table.name}.csv"] = (tmp_path / f"{table.name}.csv").read_bytes().decode()
    outputs["command/cas3_statistics.ods.txt"] = ods_values((tmp_path / "cas3_statistics.ods").read_bytes())
    client = Client()
    client.force_login(demo.users[STATISTICIAN])
    for name in [t.name for t in statistics.compute()] + ["workbook"]:
        response = client.get(reverse("web:statistics-download", args=[name]))
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if name == "workbook":
            outputs["download/cas3_statistics.ods.txt"] = ods_values(body)
        else:
            outputs[f"download/{name}.csv"] = body.decode("utf-8")
    check_group("statistics", {k: demo.normalise(v) for k, v in outputs.items()})


# MI reports -----------------------------------------------------------------------------------------


def _run_report(user, key: str, file_format: str, capture) -> ReportRun:
    with capture(execute=True):
        run = mi.request_report(user, key, REPORT_START, REPORT_END, None, file_format)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.READY, (key, run.error)
    return run


def xlsx_values(path: Path) -> str:
    """The cell values of every sheet, one row a line (JSON per row, so types show)."""
    book = load_workbook(path, read_only=True)
    out = []
    for sheet in book.worksheets:
        out.append(f"== {sheet.title}")
        out.extend(as_json(list(row)).replace("\n", "").replace("  ", "") for row in sheet.iter_rows(values_only=True))
    book.close()
    return "\n".join(out) + "\n"


def test_mi_reports(demo, django_capture_on_commit_callbacks):
    """Every MI report as CSV for a national reporter (all regions) and for the assessor of its tier (the
    North West CAS3 assessor, their region; the provider's CAS2 assessor, national), and as XLSX cell
    values for the reporter."""
    outputs = {}
    for key, definition in mi.REPORTS.items():
        # Each tier's assessors run their own tier's reports only.
        for username in (REPORTER, CAS2_ASSESSOR if definition.service == "cas2" else ASSESSOR):
            run = _run_report(demo.users[username], key, "csv", django_capture_on_commit_callbacks)
            text = mi.report_path(run).read_bytes().decode()
            outputs[f"{key}/{username}.csv"] = f"# {run.file_name}, {run.rows_written} rows\n{text}"
        run = _run_report(demo.users[REPORTER], key, "xlsx", django_capture_on_commit_callbacks)
        outputs[f"{key}/{REPORTER}.xlsx.txt"] = f"# {run.file_name}\n{xlsx_values(mi.report_path(run))}"
    client = Client()
    for username in (REPORTER, ASSESSOR):
        client.force_login(demo.users[username])
        response = client.get(reverse("web:dashboard-export"))
        assert response.status_code == 200
        outputs[f"dashboard/{username}.csv"] = f"# {response['Content-Disposition']}\n{response.content.decode()}"
    check_group("reports", {k: demo.normalise(v) for k, v in outputs.items()})


# The API --------------------------------------------------------------------------------------------


def _pks(model, **filters) -> list:
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))


def _crns() -> list[str]:
    crns = set(Referral.objects.values_list("crn", flat=True)) | set(Booking.objects.values_list("crn", flat=True))
    return sorted(crns | {"X100008"})  # the restricted demo person, whoever else is on file


def _draft_pages() -> list[dict]:
    """Every page of the first draft, and the first page of every other draft."""
    drafts = _pks(Referral, status=DRAFT)
    pages = [(t.slug, p.slug) for t in DEFINITION.tasks() for p in t.pages]
    out = [{"pk": drafts[0], "task": task, "page": page} for task, page in pages] if drafts else []
    out += [{"pk": pk, "task": pages[0][0], "page": pages[0][1]} for pk in drafts[1:]]
    return out


def _cas2_pks() -> list:
    return _pks(Referral, service="cas2") + _pks(Referral, service="cas3")[:1]


def _region_pk(code: str) -> int:
    return ProbationRegion.objects.get(delius_code=code).pk


def _bedspaces() -> list[dict]:
    return [{"pk": p, "bedspace_pk": b} for b, p in Bedspace.objects.order_by("pk").values_list("pk", "premises_id")]


# For every GET route under /api/v1/: the requests to make, as (URL kwargs, query parameters); `list`
# routes are asked by every demo user, `detail` routes (one request per object) by every user whose
# role has the view's permission, and by the others for the first object only (their refusal).
LIST, DETAIL = "list", "detail"
API_GETS = {
    "api:me": (LIST, lambda: [({}, {})]),
    "api:person": (DETAIL, lambda: [({"crn": crn}, {}) for crn in _crns()]),
    "api:reference-list": (LIST, lambda: [({"slug": slug}, {}) for slug in sorted(REFERENCE_LISTS)]),
    "api:areas": (LIST, lambda: [({}, {}), ({}, {"active": "true"})]),
    "api:event-feed": (LIST, lambda: [({}, {})]),
    "api:event-detail": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(DomainEvent)]),
    "api:referrals": (LIST, lambda: [({}, {"status": tab}) for tab in TAB_STATUSES]),
    "api:referral": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(Referral)]),
    "api:referral-page": (DETAIL, lambda: [(kwargs, {}) for kwargs in _draft_pages()]),
    "api:referral-timeline": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(Referral)]),
    "api:cas2-routes": (LIST, lambda: [({}, {})]),
    "api:cas2-applications": (LIST, lambda: [({}, {"list": name}) for name in ("in-progress", "submitted", "prison")]),
    "api:cas2-application": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(Referral)]),
    "api:review-referrals": (
        LIST,
        lambda: (
            [({}, {"tab": tab}) for tab in QUEUE_TABS] + [({}, {"tab": tab, "region": "N51"}) for tab in QUEUE_TABS]
        ),
    ),
    "api:review-referral": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(Referral)]),
    "api:review-referral-timeline": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(Referral)]),
    "api:review-referral-assessors": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(Referral)]),
    "api:cas2-assessments": (
        LIST,
        lambda: (
            [({}, {"tab": tab}) for tab in CAS2_TABS] + [({}, {"tab": "new", "route": "court_bail", "sort": "urgency"})]
        ),
    ),
    "api:cas2-statuses": (LIST, lambda: [({}, {})]),
    # The CAS2 applications, and a CAS3 referral (which every CAS2 endpoint refuses).
    "api:cas2-assessment": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _cas2_pks()]),
    "api:cas2-assessment-timeline": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _cas2_pks()]),
    "api:estate-properties": (LIST, lambda: [({}, {"status": s}) for s in ("online", "archived")]),
    "api:estate-property": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(Premises)]),
    "api:estate-property-calendar": (
        DETAIL,
        lambda: [({"pk": pk}, params) for pk in _pks(Premises) for params in ({}, {"period": "quarter"})],
    ),
    "api:estate-archive-changes": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(Premises)]),
    "api:estate-bedspaces": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(Premises)]),
    "api:estate-bedspace": (DETAIL, lambda: [(kwargs, {}) for kwargs in _bedspaces()]),
    "api:estate-voids": (DETAIL, lambda: [(kwargs, {}) for kwargs in _bedspaces()]),
    "api:estate-void": (
        DETAIL,
        lambda: [
            ({"pk": p, "bedspace_pk": b, "void_pk": v}, {})
            for v, b, p in VoidPeriod.objects.order_by("pk").values_list("pk", "bedspace_id", "bedspace__premises_id")
        ],
    ),
    "api:bedspace-availability": (DETAIL, lambda: [({"bedspace_pk": k["bedspace_pk"]}, {}) for k in _bedspaces()]),
    "api:bookings": (LIST, lambda: [({}, {"status": s}) for s in LIST_STATUSES]),
    "api:booking": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(Booking)]),
    "api:booking-history": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(Booking)]),
    "api:booking-incidents": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(Booking)]),
    "api:premises-incidents": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(Premises)]),
    "api:reports": (LIST, lambda: [({}, {})]),
    "api:report-run": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(ReportRun)]),
    "api:report-file": (DETAIL, lambda: [({"pk": pk}, {}) for pk in _pks(ReportRun)]),
    "api:statistics": (LIST, lambda: [({}, {}), ({}, {"year": "2026/27"})]),
    "api:statistics-table": (
        LIST,
        lambda: [({"name": t.name}, {}) for t in statistics.compute()] + [({"name": "no-such-table"}, {})],
    ),
    "api:dashboard": (
        LIST,
        lambda: [
            ({}, {}),
            ({}, {"period": f"{FROZEN_DAY:%Y-%m}"}),
            ({}, {"period": "2026/27", "region": _region_pk("N51")}),
        ],
    ),
}


# Lists whose order the service leaves to the database, captured sorted (item by item, as JSON) so that
# the same golden file holds on SQLite and PostgreSQL:
UNORDERED = {
    # ordered by ("-created_at", "bedspace__reference"): a property's own change has no bedspace, and
    # SQLite sorts NULL first where PostgreSQL sorts it last; with the clock stopped every change of a
    # property has the same created_at, so the NULL decides.
    "api:estate-archive-changes",
    # ordered by ("sort_order", "name"): a few lists have entries with the same sort order and name for
    # different tiers (e.g. an inactive CAS3 one and an active CAS1 one), in no defined order.
    "api:reference-list",
    # drafts are ordered by "-updated_at" only, and with the clock stopped they were all updated at once.
    "api:referrals",
}


def _sorted_lists(body):
    """A list body, or a page's results, sorted item by item."""
    if isinstance(body, list):
        return sorted(body, key=lambda item: as_json(item))
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return {**body, "results": _sorted_lists(body["results"])}
    return body


def _get_routes() -> dict[str, type]:
    """Every route under /api/v1/ whose view answers GET, with its view class."""
    routes = {}
    for name, callback in iter_patterns(get_resolver()):
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if name.startswith("api:") and name != "api:schema" and view_class and hasattr(view_class, "get"):
            routes[name] = view_class
    return routes


def test_every_api_get_route_is_captured():
    """A new GET endpoint must be added to API_GETS (and its golden files made), so it is guarded too."""
    assert sorted(_get_routes()) == sorted(API_GETS)


def _exchange(client: Client, token: str, url: str, params: dict) -> list[dict]:
    """The response to GET url, and to every further page its `next` link names."""
    out = []
    while url:
        response = client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {token}")
        content_type = response.get("Content-Type", "")
        if response.streaming:  # a report's file
            body = b"".join(response.streaming_content).decode()
        else:
            body = response.json() if "json" in content_type else response.content.decode()
        query = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
        out.append(
            {"request": f"GET {url}{'?' + query if query else ''}", "status": response.status_code, "body": body}
        )
        url = body.get("next") if isinstance(body, dict) and response.status_code == 200 else None
        params = {}
    return out


def _seed_report_runs(demo, capture) -> None:
    """A finished report for everyone who may ask for one, so `reports` and `report-run` have runs: the
    bookings report, or for those who run another tier's reports (CAS2's assessors) the first of theirs,
    after the others so that the runs keep their labels."""
    runners = [user for user in demo.users.values() if has_permission(user, mi_permission())]
    for user in runners:
        if mi.may_run(user, mi.REPORTS["bookings"]):
            _run_report(user, "bookings", "csv", capture)
    for user in runners:
        if not mi.may_run(user, mi.REPORTS["bookings"]):
            _run_report(user, mi.reports_for(user)[0].key, "csv", capture)


def mi_permission():
    return _get_routes()["api:reports"].permission


# The report file route asks for report runs of its own: last, so that the labels of the runs the
# `reports` and `report-run` captures show stay as they were before it existed.
@pytest.mark.parametrize("route", sorted(API_GETS, key=lambda route: (route == "api:report-file", route)))
def test_api_get(route, demo, django_capture_on_commit_callbacks):
    if route in ("api:reports", "api:report-run", "api:report-file"):
        _seed_report_runs(demo, django_capture_on_commit_callbacks)
    kind, requests = API_GETS[route]
    requests = requests()
    permission = _get_routes()[route].permission
    client = Client()
    outputs = {}
    for username, user in demo.users.items():
        allowed = has_permission(user, permission)
        asked = requests if kind == LIST or allowed else requests[:1]
        exchanges = []
        for kwargs, params in asked:
            exchanges.extend(_exchange(client, demo.tokens[username], reverse(route, kwargs=kwargs), params))
        if route in UNORDERED:
            exchanges = [{**e, "body": _sorted_lists(e["body"])} for e in exchanges]
        outputs[f"{username}.json"] = demo.normalise(as_json(exchanges))
    check_group(f"api/{route.removeprefix('api:')}", outputs)
