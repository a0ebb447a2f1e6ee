"""Stateful checks of the API from its OpenAPI document, whose `links` lead from each answer that names
a resource (a create, a list, an action on it) to the operations that take its id
(`cas.api.schema.add_links`). Random ids only reach the error answers of an operation that takes an
id; the links reach its successful ones.

- `test_schemathesis_follows_the_links`: Schemathesis' state machine starts from the lists, follows
  the links between reads with random query parameters, and checks every answer against the document
  (no 5xx; status, media type, headers and body as documented). Writes are left to the fuzz test
  (`test_api_fuzz.py`) and to the journey below: with random bodies the domain rules refuse them, and
  their many links would leave the reads unreached in a bounded run.
- `test_every_successful_answer_is_validated`: a deterministic walk. Every write is made once with a
  valid body (a version, dates in order, a reason from a list); every answer, and the operations that
  take no id, have their links followed to the reads, with the ids the link takes from the answer or
  the request. Every answer is checked with Schemathesis' checks against the document, and the test
  fails when an operation with a documented 2xx answer has no successful answer validated, or when a
  read that takes an id is not reached through a link."""

import datetime as dt
import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.core import NOT_SET

from cas.accounts.services import create_api_token
from cas.core import clock
from cas.core.roles import Role
from cas.demo import referrals as demo_answers
from cas.placements import services
from tests.cas2_assessment_factories import make_application
from tests.cas2_factories import HEWELL_NOMS, cas2_user
from tests.cas2_factories import pages as cas2_pages
from tests.cas2_factories import submitted as cas2_submitted
from tests.estate_factories import make_estate, make_void, void_reason
from tests.factories import make_user, pdu
from tests.placement_factories import (
    cancellation_reason,
    departure_reason,
    make_booking,
    make_ready_referral,
    move_on,
    non_arrival_reason,
)
from tests.referral_factories import make_draft, make_submitted
from tests.review_factories import first_reason

# The run's size: scenarios of up to STEPS linked calls. Bounded so that it takes seconds, not minutes.
SCENARIOS = 60
STEPS = 6
# Checks left out, as in the fuzz test: whether the document's loose types predict every domain rule.
EXCLUDED = [
    schemathesis.checks.ignored_auth,
    schemathesis.checks.positive_data_acceptance,
    schemathesis.checks.negative_data_rejection,
]


def load_schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    # Only the document's own links: no links inferred by Schemathesis, so the run tests what a
    # partner's client is told. Positive data only: the fuzz test sends the hostile values.
    config = schemathesis.config.SchemathesisConfig.from_dict(
        {"phases": {"stateful": {"inference": {"algorithms": []}, "generation": {"mode": "positive"}}}}
    )
    schema = schemathesis.openapi.from_dict(document, config=config)
    schema.app = get_wsgi_application()
    return document, schema


DOCUMENT, SCHEMA = load_schema()


def successful_operations(document) -> dict[str, tuple[str, str]]:
    """operationId -> (method, path) of every operation with a documented 2xx answer."""
    return {
        operation["operationId"]: (method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if any(status.startswith("2") for status in operation["responses"])
    }


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Calls go straight to the WSGI app, so switch off what Django's test client switches off: closing
    the database connection when a request ends (it would close the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def caller(db):
    """A user holding every role (every operation may succeed where the data allows), their token,
    and something of each kind for the lists to name: a property with bedspaces and a void, draft and
    submitted referrals, a booking (and so its events), a CAS2 application."""
    user = make_user(*list(Role), region_code="N51", username="stateful.user")
    premises, (bedspace, spare) = make_estate("N51", reference="Stateful House")
    make_void(spare, clock.today() + dt.timedelta(days=30), clock.today() + dt.timedelta(days=40))
    make_draft(user, "X100002")
    referrer = make_user(Role.CAS3_REFERRER, username="stateful.pp", pdu=pdu("N51LPLS"))
    make_submitted(referrer, "X100003")
    ready = make_ready_referral(referrer, "X100001")
    make_booking(bedspace, "X100001", referral=ready, actor=user)
    make_application("hdc", "X100002")
    return user, create_api_token(None, user, "stateful")[1]


def validated_statefully(token: str) -> dict[str, set[int]]:
    """Runs the state machine; answers operationId -> the 2xx statuses it validated."""
    reached: dict[str, set[int]] = {}

    # The reads only: see the module's docstring.
    class Workflow(SCHEMA.include(method="GET").as_state_machine()):
        # Each scenario starts from the data the fixture made: what a scenario changes is rolled back,
        # so that the same choices meet the same answers (Hypothesis replays and shrinks on that).
        def setup(self):
            self.savepoint = transaction.savepoint_create()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)
            super().teardown()

        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            assert response.status_code < 500, (case.operation.label, response.text[:500])
            case.validate_response(
                response, excluded_checks=EXCLUDED, transport_kwargs=kwargs or None, recorder=self.recorder
            )
            if 200 <= response.status_code < 300:
                reached.setdefault(case.operation.definition.raw["operationId"], set()).add(response.status_code)

    schemathesis.generation.stateful.run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            phases=[Phase.generate],
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    return reached


@pytest.mark.django_db
def test_schemathesis_follows_the_links(caller):
    """The random stateful run: every answer of every scenario is valid (checked in the machine), and
    answers reached through the links include successful ones of operations that take an id."""
    _, token = caller
    reached = validated_statefully(token)
    by_id = successful_operations(DOCUMENT)
    through_links = {operation for operation in reached if "{" in by_id[operation][1]}
    print("Successful answers validated by the stateful run:", ", ".join(sorted(reached)))
    assert len(through_links) >= 5, reached


class Walk:
    """Calls operations by operationId, as an API client (a token, through WSGI), checks every answer
    against the document with Schemathesis' checks, and from every successful answer follows each of
    its documented links to a read (a GET), with the ids the link takes from the answer or request.
    `reached` holds the operations whose successful answers were validated, and how."""

    def __init__(self, user, reached: dict[str, str], followed: set):
        self.user = user
        self.token = create_api_token(None, user, "walk")[1]
        self.reached = reached
        self.followed = followed

    def call(
        self, operation_id: str, params=None, body=NOT_SET, *, query=None, headers=None, status=None, how="journey"
    ):
        operation = SCHEMA.find_operation_by_id(operation_id)
        case = operation.Case(
            path_parameters={k: str(v) for k, v in (params or {}).items()},
            query=query,
            body=body,
            media_type="application/json" if body is not NOT_SET else None,
        )
        response = case.call(headers={"Authorization": f"Bearer {self.token}", **(headers or {})})
        assert response.status_code == (status or response.status_code) and response.status_code < 500, (
            operation_id,
            response.status_code,
            response.text[:500],
        )
        case.validate_response(response, excluded_checks=EXCLUDED)
        if 200 <= response.status_code < 300:
            self.reached.setdefault(operation_id, how)
            self.follow(operation_id, case, response)
        return response

    def follow(self, operation_id: str, case, response):
        method, path = successful_operations(DOCUMENT)[operation_id]
        documented = DOCUMENT["paths"][path][method.lower()]["responses"][str(response.status_code)]
        try:
            body = response.json()
        except ValueError:  # a file
            body = None
        for link in documented.get("links", {}).values():
            target_method, _ = successful_operations(DOCUMENT).get(link["operationId"], ("", ""))
            if target_method != "GET":
                continue
            params = {name: evaluate(expression, case, body) for name, expression in link["parameters"].items()}
            key = (link["operationId"], tuple(sorted(params.items())))
            if None in params.values() or key in self.followed:
                continue
            # Followed again from a later answer until it succeeds (a draft's timeline once it is sent).
            if 200 <= self.call(link["operationId"], params, how="link").status_code < 300:
                self.followed.add(key)


def evaluate(expression: str, case, body):
    """A link's runtime expression: `$request.path.<name>` or `$response.body#/<JSON pointer>`."""
    if expression.startswith("$request.path."):
        return case.path_parameters.get(expression.removeprefix("$request.path."))
    value = body
    for part in expression.removeprefix("$response.body#/").split("/"):
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return None
    return value


def run_journey(walk: Walk, referrer_walk: Walk, cas2_walk: Walk, admin_walk: Walk):
    """Every write the random run cannot make succeed (its body must follow the domain's rules: a
    version, dates in the right order, a reason from a list), made once with a valid body; each
    successful answer is validated and its links to reads followed."""
    today = clock.today()

    def day(n: int) -> str:
        return (today + dt.timedelta(days=n)).isoformat()

    # A referral made, answered page by page, submitted, noted; another made and deleted.
    draft = referrer_walk.call("referrals_create", body={"crn": "X100001"}, status=201).json()
    for task, page, values in demo_answers.complete_answers(today=today):
        referrer_walk.call("referral_page_update", {"id": draft["id"], "task": task, "page": page}, values or {})
    key = {"Idempotency-Key": str(uuid.uuid4())}
    referrer_walk.call(
        "referral_submission_create", {"id": draft["id"]}, {"declaration": True}, headers=key, status=201
    )
    referrer_walk.call("referral_notes_create", {"id": draft["id"]}, {"text": "Sent today"}, status=201)
    spare = referrer_walk.call("referrals_create", body={"crn": "X100001"}, status=201).json()
    referrer_walk.call("referral_destroy", {"id": spare["id"]}, status=204)

    # Review: take, give back, allocated (from the list of assessors), dates, a note, accept; another rejected, reopened, accepted
    # and archived.
    rid = {"id": draft["id"]}
    walk.call("review_referral_allocate_create", rid, status=200)
    walk.call("review_referral_unallocate_create", rid, status=200)
    assessors = walk.call("review_referral_assessors_list", rid, status=200).json()
    me = next(a["id"] for a in assessors if a["is_you"])
    read = walk.call("review_referral_allocation_create", rid, {"assessor": me}, status=200).json()
    later = (dt.date.fromisoformat(read["release_date"]) + dt.timedelta(days=2)).isoformat()
    dates = {"release_date": later, "accommodation_required_from": later, "version": read["version"]}
    walk.call("review_referral_dates_update", rid, dates, status=200)
    walk.call("review_referral_notes_create", rid, {"text": "Checked", "to_referrer": True}, status=201)
    walk.call("review_referral_accept_create", rid, status=200)
    other = {"id": make_submitted(referrer_walk.user, "X100004").pk}
    walk.call("review_referral_allocate_create", other, status=200)
    rejection = {"reason": first_reason().pk, "details": "No bedspace", "withdrawal_requested": False}
    walk.call("review_referral_reject_create", other, rejection, status=200)
    walk.call("review_referral_reopen_create", other, status=200)
    walk.call("review_referral_allocate_create", other, status=200)
    walk.call("review_referral_accept_create", other, status=200)
    walk.call("review_referral_archive_create", other, status=200)

    # The estate: a property, changed; a bedspace, changed; a void, changed and cancelled; an incident;
    # a bedspace archived and brought back; an archive cancelled; the property archived and back.
    liverpool = pdu("N51LPLS")
    house = {
        "reference": "Walk House",
        "address_line1": "1 Walk Road",
        "postcode": "L8 1AB",
        "region": liverpool.region_id,
        "pdu": liverpool.pk,
    }
    premises = walk.call("estate_properties_create", body=house, status=201).json()
    pid = {"id": premises["id"]}
    walk.call("estate_property_partial_update", pid, {"notes": "Keys in the safe"}, status=200)
    walk.call("estate_property_update", pid, {**house, "reference": "Walk House 2"}, status=200)
    room = walk.call("estate_bedspaces_create", pid, {"reference": "Room 1", "start_date": day(0)}, status=201).json()
    bid = {**pid, "bedspace_pk": room["id"]}
    walk.call("estate_bedspace_partial_update", bid, {"notes": "Top floor"}, status=200)
    walk.call("estate_bedspace_update", bid, {"reference": "Room 1A", "start_date": day(0)}, status=200)
    void_body = {"start_date": day(3), "end_date": day(9), "reason": void_reason().pk, "cost_borne_by": "hmpps"}
    void = walk.call("estate_voids_create", bid, void_body, status=201).json()
    vid = {**bid, "void_pk": void["id"]}
    walk.call("estate_void_update", vid, {**void_body, "end_date": day(10)}, status=200)
    walk.call("estate_void_cancel_create", vid, {"notes": "Not needed"}, status=200)
    walk.call(
        "premises_incidents_create", pid, {"kind": "other", "occurred_on": day(0), "details": "A leak"}, status=201
    )
    # A bedspace of a property with another one (archiving its only bedspace archives the property).
    other_house, (_, leaving_room) = make_estate("N51", bedspaces=2, reference="Archive House")
    room_ids = {"id": other_house.pk, "bedspace_pk": leaving_room.pk}
    walk.call("estate_bedspace_archive_create", room_ids, {"date": day(0)}, status=201)
    walk.call("estate_bedspace_unarchive_create", room_ids, {"date": day(1)}, status=201)
    change = walk.call("estate_property_archive_create", pid, {"date": day(20)}, status=201).json()
    walk.call("estate_archive_change_cancel_create", {**pid, "change_pk": change["id"]}, status=200)
    walk.call("estate_property_archive_create", pid, {"date": day(0)}, status=201)
    walk.call("estate_property_unarchive_create", pid, {"date": day(1)}, status=201)

    # Placements: a search; a booking confirmed, arrived, its dates changed, an incident,
    # departed, turnaround; a second booking not arrived; a third cancelled.
    _, (first, second, third) = make_estate("N51", bedspaces=3, reference="Booking House")
    walk.call("placement_search_create", body={"start_date": day(0), "nights": 14, "pdus": [liverpool.pk]}, status=200)
    booking = walk.call(
        "booking_create",
        {"bedspace_pk": first.pk},
        {"crn": "X100001", "arrival_date": day(1), "departure_date": day(30), "referral_id": draft["id"]},
        headers={"Idempotency-Key": str(uuid.uuid4())},
        status=201,
    ).json()
    bk = {"id": booking["id"]}
    booking = walk.call("booking_confirmation_create", bk, {"version": booking["version"]}, status=200).json()
    arrival = {"arrival_date": day(0), "expected_departure_date": day(30)}
    walk.call("booking_arrival_create", bk, arrival, status=200)
    walk.call("booking_arrival_date_create", bk, {"arrival_date": day(-1)}, status=200)
    walk.call("booking_departure_date_create", bk, {"departure_date": day(25)}, status=200)
    walk.call("booking_incidents_create", bk, {"kind": "other", "occurred_on": day(0), "details": "x"}, status=201)
    leaving = {"departure_date": day(0), "reason": departure_reason().pk, "move_on_category": move_on().pk}
    walk.call("booking_departure_create", bk, leaving, status=200)
    walk.call("booking_turnaround_create", bk, {"working_days": 1}, status=200)
    absent = make_booking(second, "X100004", start=0, nights=10)
    services.confirm_booking(None, absent)
    walk.call("booking_non_arrival_create", {"id": absent.pk}, {"reason": non_arrival_reason().pk}, status=200)
    cancelled = make_booking(third, "X100005", start=5, nights=10)
    cancel = {"cancelled_on": day(0), "reason": cancellation_reason().pk}
    walk.call("booking_cancellation_create", {"id": cancelled.pk}, cancel, status=200)

    # A report asked for (run at once in tests), then its run and file through the links.
    report = {"report": "bookings", "start_date": day(-30), "end_date": day(0), "file_format": "csv"}
    walk.call("reports_create", body=report, status=202)

    # CAS2: the referrer starts one, notes, answers a request for information, deletes a draft; the
    # provider changes details, notes and the status.
    started = cas2_walk.call("cas2_applications_create", body={"route": "hdc", "identifier": HEWELL_NOMS}, status=201)
    cas2_walk.call("cas2_application_destroy", {"id": started.json()["id"]}, status=204)
    _, application = cas2_submitted("hdc", cas2_walk.user)
    aid = {"id": application.pk}
    cas2_walk.call("cas2_application_notes_create", aid, {"text": "New address offered"}, status=201)
    details = {"assessor_name": "Ada", "provider_reference": "NAC-1", "version": application.version}
    walk.call("cas2_assessment_details_update", aid, details, status=200)
    walk.call("cas2_assessment_notes_create", aid, {"text": "Please call us"}, status=201)
    asked = {"status": "more_info_requested", "details": ["exclusion_zones_and_areas"], "text": "Which areas?"}
    walk.call("cas2_assessment_status_create", aid, asked, status=200)
    for task, page, values in cas2_pages(today):
        if task == "area-information":  # the reopened task; a page this person does not reach answers 409
            cas2_walk.call("referral_page_update", {**aid, "task": task, "page": page}, values)
    cas2_walk.call("cas2_information_create", aid, status=200)

    # An event from the prison system moves the application.
    event = {
        "eventType": "prisoner-offender-search.prisoner.updated",
        "additionalInformation": {"nomsNumber": HEWELL_NOMS, "categoriesChanged": ["LOCATION"], "prisonId": "BMI"},
    }
    admin_walk.call("prison_events_create", body=event, status=200)


@pytest.mark.django_db
def test_every_successful_answer_is_validated(caller, django_capture_on_commit_callbacks):
    """Every operation with a documented 2xx answer is reached with a valid id (through the links) or
    a valid body (the journey), and its successful answer validated against the document."""
    user, _ = caller
    reached: dict[str, str] = {}
    followed: set = set()
    referrer = make_user(Role.CAS3_REFERRER, username="walk.pp", pdu=pdu("N51LPLS"))
    walks = [
        Walk(user, reached, followed),
        Walk(referrer, reached, followed),
        Walk(cas2_user("hdc"), reached, followed),
        Walk(make_user(Role.ADMIN, region_code="NA", username="walk.admin"), reached, followed),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        run_journey(*walks)
    # Then the operations that take no id, and the reads their links lead to.
    for operation_id, (method, path) in successful_operations(DOCUMENT).items():
        if method == "GET" and "{" not in path:
            walks[0].call(operation_id, status=200, how="root")
    walks[0].call(
        "reference_list_list", {"slug": "departure-reasons"}, query={"service": "cas3"}, status=200, how="root"
    )
    documented = successful_operations(DOCUMENT)
    missing = sorted(set(documented) - set(reached))
    through_links = sorted(o for o, how in reached.items() if how == "link")
    print("Called without an id:", ", ".join(sorted(o for o, how in reached.items() if how == "root")))
    print("Reached through the links:", ", ".join(through_links))
    print("Reached by the journey:", ", ".join(sorted(o for o, how in reached.items() if how == "journey")))
    assert not missing, f"No successful answer of {missing} was validated: add it to the links or the journey"
    # Every read that takes an id is reached through a link, not by an id the test knew.
    reads_with_ids = {o for o, (method, path) in documented.items() if method == "GET" and "{" in path}
    assert reads_with_ids <= set(through_links) | {"reference_list_list"}, sorted(reads_with_ids - set(through_links))
