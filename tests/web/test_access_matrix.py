"""Walk every URL in the URL configuration for anonymous users and for every role.

A view must declare `requires(Permission.X)` or `public`; a new page without a rule fails here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cas.core.permissions import has_permission
from cas.core.roles import Role
from tests.factories import make_user

# Keyword arguments to build each URL that takes any; objects are created in the test.
SAMPLE_KWARGS = {
    "web:role-home": lambda ctx: {"slug": "cas3-referrer"},
    "web:person-detail": lambda ctx: {"crn": "X100001"},
    "web:reference-list": lambda ctx: {"slug": "void-reasons"},
    "web:reference-edit": lambda ctx: {"slug": "void-reasons", "pk": ctx["void_reason"].pk},
    "web:user-detail": lambda ctx: {"pk": ctx["other_user"].pk},
    "web:user-edit": lambda ctx: {"pk": ctx["other_user"].pk},
    "web:user-set-active": lambda ctx: {"pk": ctx["other_user"].pk, "action": "deactivate"},
    "api:person": lambda ctx: {"crn": "X100001"},
    "api:reference-list": lambda ctx: {"slug": "void-reasons"},
}
# Only reachable by POST; a GET is refused before any permission check.
POST_ONLY = {"accounts:sign-out"}


def iter_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


ALL_URLS = sorted(iter_patterns())


def view_rule(callback):
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        return "api", getattr(view_class, "permission", None)
    if getattr(callback, "cas_public", False):
        return "public", None
    return "web", getattr(callback, "cas_permission", None)


def test_every_view_declares_a_rule():
    missing = [name for name, cb in ALL_URLS if view_rule(cb)[0] != "public" and view_rule(cb)[1] is None]
    assert not missing, f"Views without a permission rule: {missing}"
    assert len(ALL_URLS) >= 20


@pytest.fixture
def ctx(db):
    from cas.reference.models import VoidReason

    return {"void_reason": VoidReason.objects.first(), "other_user": make_user(Role.CAS3_REFERRER, username="other")}


def build(name, ctx):
    kwargs = SAMPLE_KWARGS.get(name, lambda c: {})(ctx)
    return reverse(name, kwargs=kwargs or None)


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(client, ctx):
    checked = 0
    for name, callback in ALL_URLS:
        kind, _ = view_rule(callback)
        url = build(name, ctx)
        response = client.get(url)
        if kind == "public":
            assert response.status_code in (200, 405), (name, response.status_code)
            continue
        if kind == "api":
            assert response.status_code in (401, 403), (name, response.status_code)
        else:
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith(reverse("accounts:sign-in") + "?next="), name
        checked += 1
    assert checked >= 15


def expected_allowed(user, name, callback) -> bool:
    if name == "web:role-home":
        return user.has_role(Role.CAS3_REFERRER)
    return has_permission(user, view_rule(callback)[1])


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_what_the_policy_allows(client, ctx, role):
    user = make_user(role, region_code="NA" if role in (Role.REPORTER, Role.ADMIN) else "N51")
    client.force_login(user)
    allowed_count = 0
    for name, callback in ALL_URLS:
        kind, _ = view_rule(callback)
        if kind == "public" or name in POST_ONLY:
            continue
        response = client.get(build(name, ctx))
        if expected_allowed(user, name, callback):
            assert response.status_code in (200, 302), (role, name, response.status_code)
            allowed_count += 1
        else:
            assert response.status_code == 403, (role, name, response.status_code)
    assert allowed_count >= 2


@pytest.mark.django_db
def test_user_without_roles_is_told_they_have_no_access(client):
    client.force_login(make_user())
    response = client.get(reverse("web:home"))
    assert response.status_code == 403
    assert "You do not have access yet" in response.content.decode()
