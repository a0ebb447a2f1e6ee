"""Hostile JSON on every API operation with a body: a 400 (or another 4xx), never a 500.

The schema-driven fuzz (test_api_fuzz.py) generates values that fit the documented types; this
sends what a careless or hostile client sends: bodies nested thousands deep, larger than the limit,
lone surrogates and NUL in any field, numbers too large for any column, wrong types.
"""

import json
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from cas.api.parsers import MAX_BODY_BYTES, MAX_DEPTH
from cas.core.models import AuditEvent
from cas.core.roles import Role
from tests.url_samples import all_urls, build, build_context, expected_allowed
from tests.web.test_access_matrix import role_user

# JSON texts, each standing for a class of bad input.
HOSTILE_JSON = {
    "surrogate": '"\\ud800"',
    "NUL": '"a\\u0000b"',
    "huge number": str(10**30),
    "float overflow": "1e999",
    "5000 digits": "9" * 5000,
    "negative": "-1",
    "list": "[]",
    "object": '{"a": 1}',
    "huge ISO date": '"99999999999-01-01"',
    "200 KB": '"' + "x" * 200_000 + '"',
    "null": "null",
    "nested 40": "[" * 40 + "]" * 40,
}
DEEP = "[" * 100_000 + "]" * 100_000


def operations_by_route() -> dict[str, dict[str, list[str]]]:
    """{route name: {method: [body property names]}} for every operation with a JSON body."""
    from django.urls import Resolver404, resolve

    document = SchemaGenerator().get_schema(request=None, public=True)
    components = document["components"]["schemas"]
    found: dict[str, dict[str, list[str]]] = {}
    for path, operations in document["paths"].items():
        name = None
        for sample in ("00000000-0000-0000-0000-000000000000", "1", "X100001"):
            try:
                match = resolve(re.sub(r"\{[^}]+\}", sample, path))
            except Resolver404:
                continue
            name = f"{match.namespace}:{match.url_name}"
            break
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if not body or name is None:
                continue
            schema = body["content"].get("application/json", {}).get("schema", {})
            ref = schema.get("$ref", "")
            properties = list(components[ref.rsplit("/", 1)[-1]].get("properties", {})) if ref else []
            found.setdefault(name, {})[method] = properties
    return found


def send(client, method, path, body: str):
    return getattr(client, method)(path, data=body.encode(), content_type="application/json")


def change_count() -> int:
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()


@pytest.fixture
def ctx(db):
    return build_context()


def user_for(name, callback, ctx):
    candidates = [role_user(role) for role in Role] + [ctx["referral_owner"], ctx["review_referrer"], ctx["cas2_owner"]]
    return next((u for u in candidates if expected_allowed(u, name, callback, ctx)), None)


@pytest.mark.django_db
def test_hostile_json_in_every_body_field_gives_no_server_error(ctx):
    operations = operations_by_route()
    callbacks = dict(all_urls())
    failures, requests = [], 0
    for name, methods in sorted(operations.items()):
        user = user_for(name, callbacks[name], ctx)
        assert user is not None, name
        client = Client(raise_request_exception=False)
        client.force_login(user)
        path = build(name, ctx)
        for method, properties in methods.items():
            bodies = [("deeply nested", DEEP), (f"{MAX_DEPTH + 1} deep", "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))]
            bodies += [(f"key {k}", f'{{"\\ud800": {v}}}') for k, v in [("surrogate", "1")]]
            bodies += [(f"{p}={k}", f'{{"{p}": {v}}}') for p in properties for k, v in HOSTILE_JSON.items()]
            for label, body in bodies:
                sid = transaction.savepoint_create()
                before = change_count()
                response = send(client, method, path, body)
                requests += 1
                where = f"{method.upper()} {name} {label}"
                if response.status_code >= 500:
                    exc = getattr(response, "exc_info", None)
                    failures.append(f"{response.status_code} {where} {exc[0].__name__ if exc else ''}")
                    transaction.savepoint_rollback(sid)
                    continue
                if response.status_code == 400 and change_count() != before:
                    failures.append(f"refused but audited a change: {where}")
                refused_by_parser = (
                    "deep" in label or "key" in label or label.endswith(("=surrogate", "=NUL", "=float overflow"))
                )
                if refused_by_parser and response.status_code != 400:
                    failures.append(f"{response.status_code} instead of 400: {where}")
                transaction.savepoint_rollback(sid)
    print(f"{requests} requests")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_deeply_nested_json_is_a_400_problem_and_writes_nothing(ctx):
    client = Client(raise_request_exception=False)
    client.force_login(role_user(Role.CAS3_ASSESSOR))
    path = reverse("api:booking-incidents", kwargs={"pk": ctx["arrived_booking"].pk})
    before = change_count()
    response = send(client, "post", path, '{"kind": ' + DEEP + "}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "too_deep"
    assert "nested too deeply" in response.json()["title"]
    assert change_count() == before


@pytest.mark.django_db
def test_a_body_over_the_limit_is_a_400_problem(ctx):
    client = Client(raise_request_exception=False)
    client.force_login(role_user(Role.CAS3_ASSESSOR))
    path = reverse("api:booking-incidents", kwargs={"pk": ctx["arrived_booking"].pk})
    body = json.dumps({"kind": "other", "details": "x" * MAX_BODY_BYTES})
    response = send(client, "post", path, body)
    assert response.status_code == 400
    assert response.json()["code"] == "too_large"
    assert "1 MB or smaller" in response.json()["title"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ['"\\ud800"', '"\\udfff"', '"ok\\u0000"'])
def test_a_lone_surrogate_or_nul_in_a_choice_field_is_a_400_that_does_not_echo_it(ctx, value):
    from cas.placements.models import Incident

    client = Client(raise_request_exception=False)
    client.force_login(role_user(Role.CAS3_ASSESSOR))
    path = reverse("api:booking-incidents", kwargs={"pk": ctx["arrived_booking"].pk})
    body = '{"kind": ' + value + ', "occurred_on": "2026-01-01", "details": "Fell"}'
    response = send(client, "post", path, body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_text"
    content = response.content.decode()
    assert "ud800" not in content and "udfff" not in content and "u0000" not in content
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_a_lone_surrogate_in_a_referral_answer_is_refused(ctx):
    """Referral pages are Django forms fed from JSON, outside DRF's fields: the parser refuses the
    text before any form sees it, whatever the field."""
    client = Client(raise_request_exception=False)
    client.force_login(ctx["referral_owner"])
    path = reverse(
        "api:referral-page", kwargs={"pk": ctx["draft"].pk, "task": "placement-location", "page": "alternative-region"}
    )
    response = send(client, "put", path, '{"same_region": "\\ud800"}')
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_text"
    ctx["draft"].refresh_from_db()
    assert not (ctx["draft"].answers.get("placement-location") or {}).get("alternative-region")
