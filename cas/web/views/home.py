from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from cas.core.permissions import Permission, has_permission
from cas.web.decorators import requires
from cas.web.home import HOMES_BY_SLUG, ROLE_HOMES


@requires(Permission.SIGNED_IN)
@require_GET
def home(request):
    """Send each user to the home page of their main role."""
    roles = request.user.roles_sorted
    if not roles:
        return TemplateResponse(request, "home/no_role.html", {}, status=403)
    return redirect("web:role-home", slug=ROLE_HOMES[roles[0]].slug)


@requires(Permission.SIGNED_IN)
@require_GET
def role_home(request, slug: str):
    if slug not in HOMES_BY_SLUG:
        raise Http404
    role, home_page = HOMES_BY_SLUG[slug]
    if not request.user.has_role(role):
        raise PermissionDenied
    links = [
        {
            "text": link.text,
            "href": reverse(link.url_name),
            "description": link.description,
            "summary": link.summary(request.user) if link.summary else "",
        }
        for link in home_page.links
        if has_permission(request.user, link.permission)
    ]
    other_homes = [
        {"text": ROLE_HOMES[r].title, "href": reverse("web:role-home", args=[ROLE_HOMES[r].slug]), "active": r == role}
        for r in request.user.roles_sorted
    ]
    return TemplateResponse(
        request,
        "home/role_home.html",
        {"home": home_page, "links": links, "other_homes": other_homes if len(other_homes) > 1 else []},
    )
