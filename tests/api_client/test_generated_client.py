"""The API as a partner team meets it: a client generated from the served OpenAPI document with
openapi-python-client drives the whole CAS3 journey, typed end to end.

The document is generated in-process (the same one `/api/schema/` serves and `docs/api/openapi.yaml`
holds), the client is generated into a temporary directory with the settings in
`docs/api/openapi-python-client.yaml`, and its requests reach the service through WSGI (httpx's
WSGITransport) with API tokens, as a partner's would over HTTP. Every answer must parse into the
documented model: no `None` for an undocumented status, no raw dict, and no member of a documented
object that the document does not name (`additional_properties`)."""

import datetime as dt
import importlib
import subprocess
import sys
import uuid
from pathlib import Path

import attrs
import httpx
import pytest
import yaml
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator

from cas.accounts.services import create_api_token
from cas.core import clock
from cas.core.roles import Role
from cas.demo import referrals as demo_answers
from tests.estate_factories import make_estate
from tests.factories import make_user, pdu

pytestmark = [pytest.mark.api_client, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture(scope="module")
def cas_client(tmp_path_factory):
    """The generated package, imported from a temporary directory."""
    where = tmp_path_factory.mktemp("generated")
    document = where / "openapi.yaml"
    document.write_text(yaml.safe_dump(SchemaGenerator().get_schema(request=None, public=True)))
    subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(document),
            "--meta",
            "none",
            "--output-path",
            str(where / "cas_client"),
            "--config",
            str(ROOT / "docs" / "api" / "openapi-python-client.yaml"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module("cas_client")
    finally:
        sys.path.remove(str(where))
        for name in [m for m in sys.modules if m == "cas_client" or m.startswith("cas_client.")]:
            del sys.modules[name]


@pytest.fixture
def wsgi():
    """Requests through WSGI in the test's transaction: as Django's test client does, the connection is
    not closed at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def connect(cas_client, wsgi):
    def connect(user):
        _, token = create_api_token(None, user, "partner system")
        return cas_client.AuthenticatedClient(
            base_url="http://testserver",
            token=token,
            raise_on_unexpected_status=True,
            httpx_args={"transport": httpx.WSGITransport(app=wsgi)},
        )

    return connect


def undocumented_members(value, where="") -> list[str]:
    """Members the document does not name, anywhere in a parsed answer. A model with declared fields
    must hold nothing else; a free-form object (a `DictField`) is declared with none."""
    found = []
    if attrs.has(type(value)):
        declared = [f.name for f in attrs.fields(type(value)) if f.name != "additional_properties"]
        extra = getattr(value, "additional_properties", {})
        if declared and extra:
            found.append(f"{where or type(value).__name__}: {sorted(extra)}")
        for name in declared:
            found += undocumented_members(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += undocumented_members(item, f"{where}[{index}]")
    return found


def typed(response, model, status=200):
    """The parsed answer: the documented status, the documented model, every member documented."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    parsed = response.parsed
    if model is list:
        assert isinstance(parsed, list), parsed
    else:
        assert isinstance(parsed, model), (type(parsed), response.content[:500])
    assert not undocumented_members(parsed), undocumented_members(parsed)
    return parsed


def test_the_cas3_journey_through_the_generated_client(cas_client, connect, django_capture_on_commit_callbacks):
    from cas_client import models as m
    from cas_client.api.events import event_detail_retrieve, event_feed_list
    from cas_client.api.placements import (
        booking_arrival_create,
        booking_confirmation_create,
        booking_create,
        booking_departure_create,
        booking_history_list,
        booking_incidents_create,
        booking_incidents_list,
        booking_retrieve,
        placement_search_create,
        premises_incidents_list,
    )
    from cas_client.api.reference import areas_retrieve, reference_list_list
    from cas_client.api.referrals import (
        referral_page_update,
        referral_retrieve,
        referral_submission_create,
        referrals_create,
        referrals_list,
    )
    from cas_client.api.reporting import (
        dashboard_retrieve,
        report_file_retrieve,
        report_run_retrieve,
        reports_create,
        statistics_list,
    )
    from cas_client.api.review import (
        review_referral_accept_create,
        review_referral_allocate_create,
        review_referral_retrieve,
        review_referrals_list,
    )

    today = clock.today()
    premises, (bedspace, _) = make_estate("N51", reference="Partner House")
    referrer = connect(make_user(Role.CAS3_REFERRER, username="partner.pp", pdu=pdu("N51LPLS")))
    assessor = connect(make_user(Role.CAS3_ASSESSOR, username="partner.hpt", region_code="N51"))
    reporter = connect(make_user(Role.REPORTER, username="partner.reports", region_code="NA"))

    # A referral made by API: a draft, every page answered, submitted.
    draft = typed(
        referrals_create.sync_detailed(client=referrer, body=m.ReferralCreate(crn="X100001")), m.Referral, 201
    )
    assert draft.status == m.ReferralStatusEnum.DRAFT and draft.problems
    for task, page, values in demo_answers.complete_answers(today=today):
        saved = referral_page_update.sync_detailed(
            draft.id, task, page, client=referrer, body=m.ReferralPageUpdateBody.from_dict(values or {})
        )
        typed(saved, m.PageSaved)
    refused = referral_submission_create.sync_detailed(
        draft.id, client=referrer, body=m.ReferralSubmit(declaration=False)
    )
    problem = typed(refused, m.SubmissionIncomplete, 400)
    assert problem.code and problem.errors.additional_properties == {"declaration": [problem.title]}
    submitted = typed(
        referral_submission_create.sync_detailed(
            draft.id, client=referrer, body=m.ReferralSubmit(declaration=True), idempotency_key=str(uuid.uuid4())
        ),
        m.ReferralSubmitted,
        201,
    )
    assert submitted.newly_submitted and submitted.referral.status == m.ReferralStatusEnum.UNALLOCATED
    mine = typed(
        referrals_list.sync_detailed(client=referrer, status=m.ReferralsListStatus.SUBMITTED),
        m.PaginatedReferralSummaryList,
    )
    assert [r.id for r in mine.results] == [draft.id]
    assert typed(referral_retrieve.sync_detailed(draft.id, client=referrer), m.Referral).status_label == "Submitted"

    # Review: the HPT finds it in the queue, allocates and accepts it.
    queue = typed(review_referrals_list.sync_detailed(client=assessor), m.ReviewQueuePage)
    assert draft.id in [r.id for r in queue.results] and queue.totals.unallocated >= 1
    typed(review_referral_allocate_create.sync_detailed(draft.id, client=assessor), m.ReviewReferral)
    accepted = typed(review_referral_accept_create.sync_detailed(draft.id, client=assessor), m.ReviewReferral)
    assert accepted.status == m.ReferralStatusEnum.READY_TO_PLACE and accepted.rejection is None
    assert typed(review_referral_retrieve.sync_detailed(draft.id, client=assessor), m.ReviewReferral).version >= 1

    # Search, by the ids the reference endpoint gives.
    areas = typed(areas_retrieve.sync_detailed(client=assessor), m.Areas)
    (north_west,) = [r for r in areas.regions if r.code == "N51"]
    (unit,) = [p for p in north_west.pdus if p.id == premises.pdu_id]
    found = typed(
        placement_search_create.sync_detailed(
            client=assessor, body=m.SearchRequest(start_date=today, nights=14, pdus=[unit.id])
        ),
        m.SearchResults,
    )
    (group,) = [g for g in found.properties if g.premises.reference == "Partner House"]
    assert bedspace.pk in [b.id for b in group.bedspaces]

    # A booking made with an idempotency key: the retry changes nothing and says so.
    key = str(uuid.uuid4())
    body = m.BookingCreate(
        crn="X100001", arrival_date=today, departure_date=today + dt.timedelta(days=14), referral_id=draft.id
    )
    first = booking_create.sync_detailed(bedspace.pk, client=assessor, body=body, idempotency_key=key)
    booking = typed(first, m.Booking, 201)
    again = booking_create.sync_detailed(bedspace.pk, client=assessor, body=body, idempotency_key=key)
    assert typed(again, m.Booking, 201).id == booking.id and again.headers["Idempotent-Replayed"] == "true"
    assert booking.status == m.BookingStatusEnum.PROVISIONAL and booking.premises.id == premises.pk

    confirmed = typed(
        booking_confirmation_create.sync_detailed(
            booking.id, client=assessor, body=m.Versioned(version=booking.version), idempotency_key=str(uuid.uuid4())
        ),
        m.Booking,
    )
    arrived = typed(
        booking_arrival_create.sync_detailed(
            booking.id,
            client=assessor,
            body=m.Arrival(
                arrival_date=today, expected_departure_date=today + dt.timedelta(days=14), version=confirmed.version
            ),
        ),
        m.Booking,
    )
    assert arrived.status == m.BookingStatusEnum.ARRIVED

    incident = typed(
        booking_incidents_create.sync_detailed(
            booking.id,
            client=assessor,
            body=m.IncidentCreate(kind=m.IncidentKindEnum.OTHER, occurred_on=today, details="A window was broken"),
        ),
        m.Incident,
        201,
    )
    reasons = typed(
        reference_list_list.sync_detailed(
            "departure-reasons",
            client=assessor,
            service=m.ReferenceListListService.CAS3,
            active=m.ReferenceListListActive.TRUE,
        ),
        m.PaginatedReferenceEntryList,
    )
    categories = typed(
        reference_list_list.sync_detailed(
            "move-on-categories",
            client=assessor,
            service=m.ReferenceListListService.CAS3,
            active=m.ReferenceListListActive.TRUE,
        ),
        m.PaginatedReferenceEntryList,
    )
    departed = typed(
        booking_departure_create.sync_detailed(
            booking.id,
            client=assessor,
            body=m.Departure(
                departure_date=today,
                reason=reasons.results[0].id,
                move_on_category=categories.results[0].id,
                version=arrived.version,
            ),
        ),
        m.Booking,
    )
    assert departed.status == m.BookingStatusEnum.DEPARTED and departed.departure_reason == reasons.results[0].name

    history = typed(booking_history_list.sync_detailed(booking.id, client=assessor), list)
    assert len(history) >= 4 and all(isinstance(entry, m.HistoryEntry) for entry in history)
    incidents = typed(booking_incidents_list.sync_detailed(booking.id, client=reporter), list)
    assert [i.id for i in incidents] == [incident.id]
    assert [i.id for i in typed(premises_incidents_list.sync_detailed(premises.pk, client=reporter), list)] == [
        incident.id
    ]
    assert typed(booking_retrieve.sync_detailed(booking.id, client=reporter), m.Booking).allowed_actions == []

    # A report asked for and downloaded with the API token.
    with django_capture_on_commit_callbacks(execute=True):
        run = typed(
            reports_create.sync_detailed(
                client=reporter,
                body=m.ReportRequest(
                    report=m.ReportEnum.BOOKINGS,
                    start_date=today - dt.timedelta(days=30),
                    end_date=today,
                    file_format=m.FileFormatEnum.CSV,
                ),
            ),
            m.ReportRun,
            202,
        )
    ready = typed(report_run_retrieve.sync_detailed(run.id, client=reporter), m.ReportRun)
    assert ready.status == m.ReportRunStatusEnum.READY and ready.download_url == f"/api/v1/reports/{run.id}/file"
    file = typed(report_file_retrieve.sync_detailed(run.id, client=reporter), cas_client.types.File)
    assert "X100001" in file.payload.read().decode()

    # The dashboard, the statistics and the events of the journey.
    board = typed(dashboard_retrieve.sync_detailed(client=reporter, region=north_west.id), m.Dashboard)
    assert board.region.name == "North West" and board.pdu is None and board.figures
    tables = typed(statistics_list.sync_detailed(client=reporter), list)
    assert tables and all(isinstance(t, m.StatisticsTable) for t in tables)
    feed = typed(event_feed_list.sync_detailed(client=reporter, crn="X100001"), m.PaginatedEventMessageList)
    types = [e.event_type for e in feed.results]
    assert types == [
        "accommodation.cas3.booking.provisionally-made",
        "accommodation.cas3.booking.confirmed",
        "accommodation.cas3.person.arrived",
        "accommodation.cas3.person.departed",
    ]
    detail = typed(event_detail_retrieve.sync_detailed(feed.results[0].id, client=reporter), m.EventDetail)
    assert detail.id == feed.results[0].id
