import pytest
from django.apps import apps
from django.db import connection

from cas.core.roles import Role
from cas.reference.loader import load_all
from cas.referrals.cas2.routes import load_routes
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data comes from migrations (the places, and CAS2's routes and cohorts), but
    transactional tests flush every table after they run. pytest-django runs those last, so reloading
    when the tables are empty is cheap."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in names or "live_server" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    from cas.reference.models import ProbationRegion
    from cas.referrals.models import ReferralRoute

    if not ProbationRegion.objects.exists():
        load_all()
    if not ReferralRoute.objects.exists():
        load_routes(apps.get_model)


@pytest.fixture
def user_factory(db):
    return make_user


@pytest.fixture
def admin_user(db):
    return make_user(Role.ADMIN, region_code="NA", username="admin.user")


@pytest.fixture
def referrer(db):
    return make_user(Role.CAS3_REFERRER, username="referrer.user")


@pytest.fixture
def assessor(db):
    return make_user(Role.CAS3_ASSESSOR, username="assessor.user")


@pytest.fixture
def signed_in(client):
    """Sign `user` in on the Django test client and return the client."""

    def _sign_in(user):
        client.force_login(user)
        return client

    return _sign_in


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    import os

    on_pg = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    for item in items:
        if "postgres" in item.keywords and not on_pg:
            item.add_marker(skip_pg)
