"""The OpenAPI document as a partner team meets it: it says what the service serves.

Every GET response captured on the demo data (`tests/golden/snapshots/api/`) validates against the
documented response of its operation, nullable references and required fields included; names are
unique and stable; every error is the one problem+json contract; the committed `docs/api/openapi.yaml`
is what `/api/schema/` serves."""

import json
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
from openapi_spec_validator import validate

from cas.core.roles import Role
from tests.estate_factories import make_premises
from tests.factories import make_user, pdu, region
from tests.referral_factories import make_submitted

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "tests" / "golden" / "snapshots" / "api"
COMMITTED = ROOT / "docs" / "api" / "openapi.yaml"
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "code"}


@pytest.fixture(scope="module")
def document():
    return SchemaGenerator().get_schema(request=None, public=True)


def as_json_schema(schema):
    """OpenAPI 3.0 to JSON Schema, reading `nullable` as openapi-python-client does: null is allowed
    beside the schema it is written on (with `type`, `allOf` or `$ref`), and nowhere else."""
    if isinstance(schema, list):
        return [as_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: as_json_schema(value) for key, value in schema.items() if key not in ("nullable", "readOnly")}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/$defs/")
    if schema.get("nullable"):
        return {"anyOf": [{"type": "null"}, out]}
    return out


def response_validator(document, path: str, method: str = "get", status: str = "200"):
    content = document["paths"][path][method]["responses"][status]["content"]
    (schema,) = [c["schema"] for c in content.values()]
    defs = {name: as_json_schema(s) for name, s in document["components"]["schemas"].items()}
    return Draft202012Validator({**as_json_schema(schema), "$defs": defs})


def documented_path(document, request_path: str) -> str:
    """The document's path template for a captured request such as /api/v1/bookings/<placements.booking#3>."""
    # Page links are absolute; labels such as <placements.booking#3> hold a "#", so no URL parsing.
    request_path = re.sub(r"^https?://[^/]+", "", request_path).split("?", 1)[0]
    for template in document["paths"]:
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, request_path):
            return template
    raise AssertionError(f"{request_path} is not in the document")


def captured_failures(document, validator_for) -> tuple[int, list[str]]:
    """Every GET response captured on the demo data, checked by the validator `validator_for(path,
    method, status)` gives: how many bodies were checked, and what failed."""
    checked, failures = 0, []
    for route in sorted(SNAPSHOTS.iterdir()):
        for capture in sorted(route.glob("*.json")):
            for exchange in json.loads(capture.read_text()):
                method, url = exchange["request"].split(" ", 1)
                path = documented_path(document, url)
                status = str(exchange["status"])
                responses = document["paths"][path][method.lower()]["responses"]
                assert status in responses, f"{exchange['request']} answered {status}, not documented"
                if not isinstance(exchange["body"], dict | list):
                    continue  # a file
                validator = validator_for(path, method.lower(), status)
                for error in validator.iter_errors(exchange["body"]):
                    failures.append(f"{capture.relative_to(SNAPSHOTS)} {exchange['request']}: {error.message}")
                checked += 1
    return checked, failures


def test_every_served_get_response_matches_its_documented_shape(document):
    """Point 1 and 4 of issue 24: the bodies the service sends on the demo data (every GET route, every
    demo user) validate against the document, so booking history and incidents (plain arrays), the
    nullable references and the required fields are documented as served."""
    checked, failures = captured_failures(document, lambda *operation: response_validator(document, *operation))
    assert checked > 1000
    assert not failures, "\n".join(failures[:20])


def strict_validator(document, path: str, method: str = "get", status: str = "200", *, formats: bool = True):
    """openapi-schema-validator's OpenAPI 3.0 validator for a documented response, reading it as a
    client does (`readOnly` members are expected); `nullable` counts only beside a `type`, as 3.0.3 says."""
    content = document["paths"][path][method]["responses"][status]["content"]
    (schema,) = [c["schema"] for c in content.values()]
    return OAS30ReadValidator(
        {"allOf": [schema], "components": document["components"]},
        format_checker=oas30_format_checker if formats else None,
    )


def test_every_served_get_response_passes_a_strict_openapi_30_validator(document):
    """The captures again, through a strict OpenAPI 3.0.3 validator rather than our reading of `nullable`.
    Formats are not checked here: the captures write each UUID as its label (`<placements.booking#3>`)."""
    checked, failures = captured_failures(
        document, lambda *operation: strict_validator(document, *operation, formats=False)
    )
    assert checked > 1000
    assert not failures, "\n".join(failures[:20])


def test_lists_served_whole_are_documented_as_arrays(document):
    for path in (
        "/api/v1/bookings/{id}/history",
        "/api/v1/bookings/{id}/incidents",
        "/api/v1/properties/{id}/incidents",
    ):
        schema = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["type"] == "array", path


def test_nullable_references_and_required_fields(document):
    components = document["components"]["schemas"]
    nullable = {
        "Dashboard": ["region", "pdu"],
        "PersonRecord": ["risk", "prison"],
        "Premises": ["local_authority"],
        "ReviewReferral": ["rejection"],
        "Risk": ["mappa"],
    }
    for component, fields in nullable.items():
        for field in fields:
            declared = components[component]["properties"][field]
            reference, null = declared["anyOf"]
            assert set(reference) == {"$ref"} and null == {"type": "object", "nullable": True, "enum": [None]}
            assert "nullable" not in declared and "allOf" not in declared, (component, field, declared)
            assert field in components[component]["required"], (component, field)
    for component in ("Booking", "ReportRun"):
        assert set(components[component]["required"]) == set(components[component]["properties"]), component


def test_names_are_unique_and_stable(document):
    """Point 2 and 6: one component per name (the error, a submission problem), explicit operation ids."""
    components = document["components"]["schemas"]
    assert {"Problem", "SubmissionProblem", "PageErrors", "SubmissionIncomplete"} <= set(components)
    assert set(components["Problem"]["properties"]) >= PROBLEM_MEMBERS | {"errors"}
    assert components["Referral"]["properties"]["problems"]["items"]["$ref"].endswith("/SubmissionProblem")
    operations = {
        (path, method): operation["operationId"]
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    ids = list(operations.values())
    assert len(ids) == len(set(ids))
    assert operations[("/api/v1/referrals", "get")] == "referrals_list"
    assert operations[("/api/v1/referrals/{id}", "get")] == "referral_retrieve"
    assert operations[("/api/v1/referrals", "post")] == "referrals_create"
    assert operations[("/api/v1/review/referrals", "get")] == "review_referrals_list"
    assert operations[("/api/v1/reports", "get")] == "reports_list"
    assert operations[("/api/v1/placements/bedspaces/{bedspace_pk}/bookings", "post")] == "booking_create"
    assert operations[("/api/v1/bookings/{id}/confirmation", "post")] == "booking_confirmation_create"
    tags = {operation["tags"][0] for item in document["paths"].values() for operation in item.values()}
    assert tags == {
        "Account",
        "People",
        "Reference",
        "Referrals",
        "Review",
        "CAS2 assessment",
        "Estate",
        "Placements",
        "Reporting",
        "Events",
    }


def test_spectacular_validates_without_a_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    validate(yaml.safe_load((tmp_path / "schema.yaml").read_text()))


def test_every_error_is_documented_as_problem_json(document):
    """Point 3: 400, 401, 403, 404, 409 and 503 on every operation, as application/problem+json."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status in ("400", "401", "403", "404", "409", "503"):
                content = operation["responses"][status]["content"]
                assert list(content) == ["application/problem+json"], (path, method, status)
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    assert list(response["content"]) == ["application/problem+json"], (path, method, status)


def test_roles_and_idempotency_are_in_each_operation(document):
    """Point 6: the roles each operation needs (from the permission policy and the tiers' grants) and
    the `Idempotent-Replayed` header on the answers of idempotent writes."""
    create = document["paths"]["/api/v1/placements/bedspaces/{bedspace_pk}/bookings"]["post"]
    assert "`placements.bookings.manage`" in create["description"] and "`cas3_assessor`" in create["description"]
    assert "Idempotent-Replayed" in create["responses"]["201"]["headers"]
    incidents = document["paths"]["/api/v1/bookings/{id}/incidents"]
    assert "`reporter`" in incidents["get"]["description"]
    assert "`placements.bookings.manage`" in incidents["post"]["description"]
    referrals = document["paths"]["/api/v1/referrals"]["get"]["description"]
    assert "`cas3_referrer`" in referrals and "`reporter`" not in referrals
    for item in document["paths"].values():
        for operation in item.values():
            assert "**Needs** `" in operation["description"]


def test_reference_lists_document_their_slugs_and_filters(document):
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/reference/{slug}"]["get"]["parameters"]}
    assert "departure-reasons" in parameters["slug"]["schema"]["enum"]
    assert parameters["service"]["schema"]["enum"] == ["cas1", "cas2", "cas3"]
    assert parameters["active"]["schema"]["enum"] == ["true"]


@pytest.mark.django_db
def test_the_committed_document_is_the_served_one(client):
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    served = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi")
    assert served.status_code == 200
    assert yaml.safe_load(served.content) == yaml.safe_load(COMMITTED.read_text()), (
        "docs/api/openapi.yaml is out of date: regenerate it with "
        "`CAS_ENV=test .venv/bin/python manage.py spectacular --file docs/api/openapi.yaml`"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["application/vnd.oai.openapi", "application/problem+json", "*/*", None])
def test_the_schema_refuses_an_anonymous_request_with_a_json_problem(accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = Client().get(reverse("api:schema"), **headers)
    assert response.status_code in (401, 406)
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_MEMBERS and body["status"] == response.status_code
    if accept != "application/problem+json":
        assert response.status_code == 401 and body["code"] == "not_authenticated"


@pytest.mark.django_db
def test_field_validation_is_a_problem_with_errors_per_field(client):
    client.force_login(make_user(Role.CAS3_ASSESSOR, region_code="N51"))
    response = client.post(reverse("api:placement-search"), {"nights": 0}, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:cas:problem:invalid" and body["code"] == "invalid" and body["status"] == 400
    assert body["errors"]["start_date"] == ["This field is required."]
    assert body["errors"]["nights"] == ["Ensure this value is greater than or equal to 1."]
    assert "start_date: This field is required." in body["detail"]
    nested = client.post(
        reverse("api:placement-search"),
        {"start_date": "2026-12-01", "pdus": [1], "sexual_risk": ["nonsense"]},
        content_type="application/json",
    )
    assert nested.json()["errors"] == {"sexual_risk.0": ['"nonsense" is not a valid choice.']}


@pytest.mark.django_db
def test_a_domain_error_about_a_field_names_it_under_errors(client):
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    response = client.get(reverse("api:dashboard"), {"period": "nonsense"})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["field"] == "period" and body["errors"] == {"period": [body["title"]]}
    assert body["type"] == "urn:cas:problem:" + body["code"]


@pytest.mark.django_db
def test_an_unknown_api_address_is_a_problem(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    assert set(response.json()) >= PROBLEM_MEMBERS


@pytest.mark.django_db
def test_a_strict_openapi_30_validator_accepts_the_nulls_the_service_sends(client, document):
    """Point 4: each nullable reference, served as null, passes openapi-schema-validator's OpenAPI 3.0
    validator (formats included), as the same body with the reference filled in does."""
    admin = make_user(*list(Role), region_code="N51", username="strict.reader")
    client.force_login(admin)
    referral = make_submitted(make_user(Role.CAS3_REFERRER, username="strict.pp", pdu=pdu("N51LPLS")), "X100001")
    premises = make_premises("N51", local_authority=None)
    requests = [
        # (path template, address, where the null is in the body)
        ("/api/v1/dashboard", "/api/v1/dashboard", ["region"]),
        ("/api/v1/dashboard", "/api/v1/dashboard", ["pdu"]),
        ("/api/v1/people/{crn}", "/api/v1/people/X999992", ["risk"]),  # the risk system fails for this CRN
        ("/api/v1/people/{crn}", "/api/v1/people/X100010", ["prison"]),  # no prison number
        ("/api/v1/people/{crn}", "/api/v1/people/X100010", ["risk", "mappa"]),
        ("/api/v1/properties/{id}", f"/api/v1/properties/{premises.pk}", ["local_authority"]),
        ("/api/v1/review/referrals/{id}", f"/api/v1/review/referrals/{referral.pk}", ["rejection"]),
    ]
    for template, address, where in requests:
        response = client.get(address)
        assert response.status_code == 200, (address, response.content[:300])
        body = response.json()
        holder = body
        for key in where[:-1]:
            holder = holder[key]
        assert holder[where[-1]] is None, (address, where)
        validator = strict_validator(document, template)
        assert not [e.message for e in validator.iter_errors(body)], (address, where)
    filled = client.get(f"/api/v1/dashboard?region={region('N51').pk}").json()
    assert filled["region"] is not None
    assert not [e.message for e in strict_validator(document, "/api/v1/dashboard").iter_errors(filled)]
    broken = {**filled, "region": {"id": "not a number"}}
    assert list(strict_validator(document, "/api/v1/dashboard").iter_errors(broken))


def test_no_schema_says_nullable_without_a_type(document):
    """OpenAPI 3.0.3 reads `nullable: true` only beside a `type` in the same Schema Object."""
    found = []

    def walk(schema, where):
        if isinstance(schema, dict):
            if schema.get("nullable") and "type" not in schema:
                found.append(where)
            for key, value in schema.items():
                walk(value, f"{where}/{key}")
        elif isinstance(schema, list):
            for index, value in enumerate(schema):
                walk(value, f"{where}/{index}")

    walk(document, "#")
    assert not found, found


def test_links_lead_from_each_created_resource_to_what_takes_its_id(document):
    """Every create whose answer names a resource links to the operations that take its id, and every
    read that takes an id is the target of a link (except the reference lists, named by a listed slug)."""
    operations = {
        operation["operationId"]: (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    targets = set()
    for _, _, operation in operations.values():
        for response in operation["responses"].values():
            for link in response.get("links", {}).values():
                target_path, _, _ = operations[link["operationId"]]
                assert set(link["parameters"]) == set(re.findall(r"\{([^}]+)\}", target_path)), link
                assert all(e.startswith(("$response.body#/", "$request.path.")) for e in link["parameters"].values())
                targets.add(link["operationId"])
    creates = {
        "referrals_create": "referral_retrieve",
        "booking_create": "booking_retrieve",
        "booking_incidents_create": "booking_incidents_list",
        "estate_properties_create": "estate_property_retrieve",
        "estate_bedspaces_create": "estate_bedspace_retrieve",
        "estate_voids_create": "estate_void_retrieve",
        "estate_property_archive_create": "estate_archive_change_cancel_create",
        "premises_incidents_create": "premises_incidents_list",
        "reports_create": "report_run_retrieve",
        "cas2_applications_create": "cas2_application_retrieve",
        "referral_submission_create": "review_referral_retrieve",
    }
    for create, read in creates.items():
        _, _, operation = operations[create]
        links = {
            link["operationId"]
            for status, response in operation["responses"].items()
            if status.startswith("2")
            for link in response.get("links", {}).values()
        }
        assert read in links, (create, sorted(links))
    reads = {o for o, (path, method, _) in operations.items() if method == "get" and "{" in path}
    assert reads - targets == {"reference_list_list"}
