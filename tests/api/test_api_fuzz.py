"""Fuzz every API operation from the OpenAPI document with an authenticated user: no 5xx, and
every response matches the schema. The schema is generated in-process and calls go through WSGI."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from cas.accounts.services import create_api_token
from cas.core.roles import Role
from tests.factories import make_user


def load_schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    return schema


schema = load_schema()


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Calls go straight to the WSGI app, not through Django's test client, so switch off what the
    client switches off: closing the database connection when a request ends (it would close the
    test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    # A user holding every role sees every operation succeed where data allows.
    user = make_user(*list(Role), region_code="N51", username="fuzz.user")
    return create_api_token(None, user, "fuzzing")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_operations(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, response.text[:500]
    # The bar: no 5xx and every response matches the schema. Whether the schema's loose
    # types (any string) predict every validation rule is not checked.
    case.validate_response(
        response,
        excluded_checks=[
            schemathesis.checks.ignored_auth,
            schemathesis.checks.positive_data_acceptance,
            schemathesis.checks.negative_data_rejection,
        ],
    )
