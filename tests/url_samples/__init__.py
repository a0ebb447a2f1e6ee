"""How to build a sample URL for every named route, for the access matrix and the axe sweep.

Each area adds a module here (e.g. `estate.py`) defining any of:
- `build_context(ctx: dict) -> None`: create the objects its URLs need (in region N51, the test
  users' default region) and put them in `ctx`;
- `SAMPLES = {"web:route-name": lambda ctx: {...kwargs}}`;
- `EXPECTED = {"web:route-name": lambda user, ctx: bool}`: when access depends on more than the
  view's permission (object ownership, a role-specific page);
- `POST_ONLY = {"web:route-name", ...}`: routes a GET cannot reach;
- `DOWNLOADS = {"web:route-name", ...}`: routes that answer with a file, not a page (no axe check);
- `REGION_OBJECTS = {"web:route-name": lambda ctx: region_id}`: routes about an object of a region:
  allowed only when the view's permission holds AND the user may act in that region;
- `SERVICE_OBJECTS = {"web:route-name": lambda ctx: service}`: routes about a tier's records (an object
  or a tier's own queue): allowed only when the user also holds the view's permission in that tier
  (another tier's assessors hold the same permissions for their own tier only);
- `LISTS_PEOPLE = {"web:route-name", ...}`: lists, calendars and searches that show people: each must
  show a person the user may not see as "Limited access" (tests/web/test_limited_access_sweep.py);
- `PERSON_PAGES = {"web:route-name", ...}`: pages about one person, refused to users who may not see them.
Modules are found automatically, so areas never edit each other's files.
"""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cas.core.permissions import can_access_region, has_permission, may_reach_service


def _modules():
    # foundation first: other areas build on its context (e.g. ctx["other_user"]).
    names = sorted((i.name for i in pkgutil.iter_modules(__path__)), key=lambda n: (n != "foundation", n))
    for name in names:
        yield importlib.import_module(f"{__name__}.{name}")


def merged(attr: str, default):
    result = type(default)()
    for module in _modules():
        value = getattr(module, attr, None)
        if value:
            result.update(value)
    return result


def build_context() -> dict:
    ctx: dict = {}
    for module in _modules():
        builder = getattr(module, "build_context", None)
        if builder:
            builder(ctx)
    return ctx


def iter_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def all_urls():
    return sorted(iter_patterns(), key=lambda item: item[0])


def view_rule(callback):
    """("api" | "public" | "web", permission or None) for a URL's view."""
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None and not getattr(callback, "cas_public", False):
        return "api", getattr(view_class, "permission", None)
    if getattr(callback, "cas_public", False):
        return "public", None
    return "web", getattr(callback, "cas_permission", None)


def views_without_rules(urls) -> list[str]:
    """Names of routes whose view declares neither a permission nor `public`."""
    return [name for name, cb in urls if view_rule(cb)[0] != "public" and view_rule(cb)[1] is None]


def build(name: str, ctx: dict) -> str:
    samples = merged("SAMPLES", {})
    kwargs = samples.get(name, lambda c: {})(ctx)
    return reverse(name, kwargs=kwargs or None)


def post_only() -> set[str]:
    return merged("POST_ONLY", set())


def downloads() -> set[str]:
    return merged("DOWNLOADS", set())


def lists_people() -> set[str]:
    return merged("LISTS_PEOPLE", set())


def person_pages() -> set[str]:
    return merged("PERSON_PAGES", set())


def expected_allowed(user, name: str, callback, ctx: dict) -> bool:
    expected = merged("EXPECTED", {})
    if name in expected:
        return expected[name](user, ctx)
    permission = view_rule(callback)[1]
    allowed = has_permission(user, permission)
    service_of = merged("SERVICE_OBJECTS", {}).get(name)
    if service_of is not None:
        allowed = allowed and may_reach_service(user, permission, service_of(ctx))
    region_of = merged("REGION_OBJECTS", {}).get(name)
    if region_of is not None:
        allowed = allowed and can_access_region(user, region_of(ctx))
    return allowed
