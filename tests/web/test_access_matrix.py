"""Walk every URL in the URL configuration for anonymous users and for every role.

A view must declare `requires(Permission.X)` or `public`; a new page without a rule fails here.
Sample URLs come from `tests/url_samples/`, one module per area.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from cas.core.permissions import CHANGES_DATA, POLICY, Permission, has_permission, role_permissions
from cas.core.roles import NATIONAL_ROLES, Role
from cas.placements.models import Booking
from cas.reference.models import Prison
from cas.referrals.models import Referral
from tests.factories import make_user
from tests.tiers import tier as test_tier
from tests.url_samples import (
    all_urls,
    build,
    build_context,
    expected_allowed,
    lists_people,
    merged,
    post_only,
    view_rule,
    views_without_rules,
)

ALL_URLS = all_urls()


def test_every_view_declares_a_rule():
    missing = views_without_rules(ALL_URLS)
    assert not missing, f"Views without a permission rule: {missing}"
    assert len(ALL_URLS) >= 20


def test_the_check_catches_a_route_added_without_a_rule():
    """A test of the test: a new page or endpoint that declares no rule is reported."""
    from django.http import HttpResponse
    from rest_framework.views import APIView

    from cas.core.permissions import Permission
    from cas.web.decorators import public, requires

    def bare_page(request):
        return HttpResponse()

    def open_page(request):  # `public` marks the function itself, so it gets its own
        return HttpResponse()

    class BareEndpoint(APIView):
        pass

    class RuledEndpoint(APIView):
        permission = Permission.SIGNED_IN

    routes = [
        ("web:new-page", bare_page),
        ("api:new-endpoint", BareEndpoint.as_view()),
        ("web:ruled-page", requires(Permission.SIGNED_IN)(bare_page)),
        ("web:public-page", public(open_page)),
        ("api:ruled-endpoint", RuledEndpoint.as_view()),
    ]
    assert views_without_rules(routes) == ["web:new-page", "api:new-endpoint"]


@pytest.fixture
def ctx(db):
    return build_context()


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(client, ctx):
    checked = 0
    for name, callback in ALL_URLS:
        kind, _ = view_rule(callback)
        response = client.get(build(name, ctx))
        if kind == "public":
            # Public pages answer, refuse the method, or (the second-factor step) send back to sign-in.
            assert response.status_code in (200, 302, 405), (name, response.status_code)
            continue
        if kind == "api":
            assert response.status_code in (401, 403), (name, response.status_code)
        else:
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith(reverse("accounts:sign-in") + "?next="), name
        checked += 1
    assert checked >= 15


def role_user(role: Role):
    return make_user(role, region_code="NA" if role in NATIONAL_ROLES else "N51")


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_what_the_policy_allows(client, ctx, role):
    user = role_user(role)
    client.force_login(user)
    allowed_count = 0
    skip = post_only()
    for name, callback in ALL_URLS:
        kind, _ = view_rule(callback)
        if kind == "public" or name in skip:
            continue
        response = client.get(build(name, ctx))
        if expected_allowed(user, name, callback, ctx):
            assert response.status_code in (200, 302), (role, name, response.status_code)
            allowed_count += 1
        else:
            assert response.status_code in (403, 404), (role, name, response.status_code)
    assert allowed_count >= 2


# Read-only roles: the policy gives them no permission that changes data.
READ_ONLY_ROLES = [role for role in Role if not role_permissions(role) & CHANGES_DATA]
# Requests with an unsafe method that only read: asking for an MI report to be generated (the run
# records who asked for which figures; the report is downloaded by the same user).
READS_BY_POST = {("web:reports", "post"), ("api:reports", "post")}


def test_reporters_hold_no_permission_that_changes_data():
    """Reporters are read only; freezing statistics and importing placements are the statistician's."""
    assert {Permission.STATISTICS_PUBLISH, Permission.PLACEMENTS_IMPORT} <= CHANGES_DATA
    assert not role_permissions(Role.REPORTER) & CHANGES_DATA
    assert Role.REPORTER in READ_ONLY_ROLES
    assert role_permissions(Role.STATISTICIAN) & CHANGES_DATA == {
        Permission.STATISTICS_PUBLISH,
        Permission.PLACEMENTS_IMPORT,
    }
    for permission in (Permission.STATISTICS_PUBLISH, Permission.PLACEMENTS_IMPORT):
        assert POLICY[permission].roles == {Role.STATISTICIAN}, permission


def _row_counts() -> dict[str, int]:
    """How many rows every table of the service holds."""
    return {
        model._meta.label: model.objects.count()
        for config in apps.get_app_configs()
        if config.name.startswith("cas.")
        for model in config.get_models()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_are_refused_every_change(client, ctx, role):
    """Every request that could change something (a web POST; an API POST, PUT, PATCH or DELETE),
    to every route, is refused outright (403, 404 or 405) for a role without a permission that
    changes data, and the database is the same afterwards. Only asking for an MI report is let
    through, and that is reading."""
    client.force_login(role_user(role))
    before = _row_counts()
    let_through = []
    for name, callback in ALL_URLS:
        kind, _ = view_rule(callback)
        if kind == "public":
            continue
        url = build(name, ctx)
        methods = ("post",) if kind == "web" else ("post", "put", "patch", "delete")
        for method in methods:
            if kind == "api":
                response = getattr(client, method)(url, "{}", content_type="application/json")
            else:
                response = client.post(url)
            if response.status_code not in (403, 404, 405):
                let_through.append((name, method))
    assert set(let_through) <= READS_BY_POST, (role, let_through)
    assert _row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_routes_that_change_data_refuse_every_role_without_the_permission(client, ctx, role):
    """The routes guarded by a permission that changes data (POST-only ones included, which the GET
    walk above skips) refuse a POST from every role the policy does not give that permission."""
    user = role_user(role)
    client.force_login(user)
    checked = 0
    for name, callback in ALL_URLS:
        kind, permission = view_rule(callback)
        if kind == "public" or permission not in CHANGES_DATA or has_permission(user, permission):
            continue
        url = build(name, ctx)
        response = client.post(url, "{}", content_type="application/json") if kind == "api" else client.post(url)
        assert response.status_code in (403, 404), (role, name, response.status_code)
        checked += 1
    assert checked >= 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CAS3_ASSESSOR, Role.CAS3_REFERRER])
def test_a_user_of_another_region_gets_nothing_of_this_region(client, ctx, role):
    """The sample objects belong to North West; a London user with the same role must be refused
    wherever the answer depends on the object's region (each area's EXPECTED says where)."""
    user = make_user(role, region_code="N07")
    client.force_login(user)
    skip = post_only()
    refused = 0
    for name, callback in ALL_URLS:
        kind, _ = view_rule(callback)
        if kind == "public" or name in skip:
            continue
        response = client.get(build(name, ctx))
        if expected_allowed(user, name, callback, ctx):
            assert response.status_code in (200, 302), (role, name, response.status_code)
        else:
            assert response.status_code in (403, 404), (role, name, response.status_code)
            refused += 1
    assert refused >= 5


@pytest.mark.django_db
@pytest.mark.parametrize("role", [test_tier.ASSESSOR, test_tier.REFERRER])
def test_a_user_of_another_tier_gets_nothing_of_this_one(client, ctx, role):
    """A user of another tier (the test suite's own, `tests/tiers/`, whose assessors hold every
    permission CAS3's assessors hold, and nationally) is refused every route about a CAS3 record and
    finds none in any list: the tier, not a missing permission or region, keeps them out."""
    with test_tier.registered():
        user = make_user(role, region_code="NA")
        client.force_login(user)
        people = set(Referral.objects.values_list("person_name", flat=True))
        people |= set(Booking.objects.values_list("person_name", flat=True))
        assert people
        object_routes = merged("REGION_OBJECTS", {})
        lists = lists_people()
        skip = post_only()
        refused = listed = 0
        for name, callback in ALL_URLS:
            kind, _ = view_rule(callback)
            if kind == "public" or name in skip:
                continue
            response = client.get(build(name, ctx))
            assert response.status_code in (200, 302, 403, 404), (role, name, response.status_code)
            if name in object_routes:
                assert response.status_code in (403, 404), (role, name, response.status_code)
                refused += 1
            elif name in lists:
                # A list shown to them names none of these people; a tier's own list (CAS3's review
                # queue, CAS2's national queue) refuses them outright, which shows nothing either.
                if response.status_code == 200:
                    content = response.content.decode()
                    assert not [person for person in people if person in content], (role, name)
                listed += 1
        assert refused >= 20
        if role == test_tier.ASSESSOR:
            assert listed >= 4


CAS2_REFERRERS = [
    Role.CAS2_COURT_REFERRER,
    Role.CAS2_PRISON_REFERRER,
    Role.CAS2_HDC_REFERRER,
    Role.CAS2_PROBATION_REFERRER,
]


def _cas2_status(client, user, referral) -> set[int]:
    client.force_login(user)
    return {
        client.get(reverse("web:cas2-application", args=[referral.pk])).status_code,
        client.get(reverse("api:cas2-application", args=[referral.pk])).status_code,
    }


@pytest.mark.django_db
def test_a_cas2_application_is_refused_to_other_referrers_prisons_and_tiers(client, ctx):
    """Court bail staff see their own applications only; prison staff their own prison's; CAS3 users
    no CAS2 application at all (all refused as not found, the same as one that does not exist)."""
    court_sent, prison_sent = ctx["cas2_court_sent"], ctx["cas2_sent"]
    assert _cas2_status(client, make_user(Role.CAS2_COURT_REFERRER), court_sent) == {404}
    other_prison = make_user(Role.CAS2_PRISON_REFERRER, prison=Prison.objects.get(code="HEI"))
    assert _cas2_status(client, other_prison, prison_sent) == {404}
    same_prison = make_user(Role.CAS2_PRISON_REFERRER, prison=prison_sent.referring_prison)
    assert _cas2_status(client, same_prison, prison_sent) == {200}
    for role in (Role.CAS3_REFERRER, Role.CAS3_ASSESSOR):
        for referral in (court_sent, prison_sent):
            assert _cas2_status(client, role_user(role), referral) <= {403, 404}, role


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*CAS2_REFERRERS, Role.CAS2_ASSESSOR])
def test_cas2_users_are_refused_cas3_referrals(client, ctx, role):
    client.force_login(role_user(role))
    for name, referral in (("web:referral-sent", ctx["submitted"]), ("web:referral-tasks", ctx["draft"])):
        assert client.get(reverse(name, args=[referral.pk])).status_code in (403, 404), (role, name)
    assert client.get(reverse("api:referral", args=[ctx["submitted"].pk])).status_code in (403, 404), role


@pytest.mark.django_db
def test_user_without_roles_is_told_they_have_no_access(client):
    client.force_login(make_user())
    response = client.get(reverse("web:home"))
    assert response.status_code == 403
    assert "You do not have access yet" in response.content.decode()


def test_every_openapi_operation_is_a_routed_view_with_a_rule():
    """The OpenAPI document and the URL configuration agree, and every documented operation has a
    declared permission, so the API cannot grow an endpoint the matrix does not cover."""
    import re

    from django.urls import Resolver404, resolve
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    routed = {name for name, _ in ALL_URLS}
    checked = 0
    for path in document["paths"]:
        match = None
        for sample in ("00000000-0000-0000-0000-000000000000", "1", "X100001"):
            try:
                match = resolve(re.sub(r"\{[^}]+\}", sample, path))
                break
            except Resolver404:
                continue
        assert match is not None, path
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        assert name in routed, path
        kind, permission = view_rule(match.func)
        assert kind == "api" and permission is not None, path
        checked += 1
    assert checked >= 4


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "other"), [(Role.CAS2_ASSESSOR, "cas3"), (Role.CAS3_ASSESSOR, "cas2")])
def test_each_tiers_assessor_is_refused_every_record_of_the_other_tier(client, ctx, role, other):
    """The CAS2 provider's assessors reach no CAS3 referral, booking or property (nor CAS3's queue),
    and CAS3's assessors no CAS2 application page or endpoint, although both hold the assessing
    permissions: they hold them for their own tier only."""
    client.force_login(role_user(role))
    routes = {name for name, service in merged("SERVICE_OBJECTS", {}).items() if service(ctx) == other}
    if other == "cas3":
        routes |= set(merged("REGION_OBJECTS", {}))  # the sample referral, bookings and properties are CAS3's
    skip = post_only()
    refused = []
    for name, callback in ALL_URLS:
        if name not in routes or name in skip or view_rule(callback)[0] == "public":
            continue
        response = client.get(build(name, ctx))
        assert response.status_code in (403, 404), (role, name, response.status_code)
        refused.append(name)
    if other == "cas3":
        for kind in ("review-referral", "booking", "propert"):
            assert [name for name in refused if kind in name], kind
    else:
        assert {"web:cas2-queue", "web:cas2-assessment", "api:cas2-assessments", "api:cas2-assessment"} <= set(refused)
