"""The help page and the user guides (docs/guides/), rendered as pages of the service."""

from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from cas.web import guides
from cas.web.decorators import public


@public
@require_GET
def help_index(request):
    return TemplateResponse(request, "pages/help.html", {"guides": list(guides.GUIDES.values())})


@public
@require_GET
def guide(request, role):
    found = guides.GUIDES.get(role)
    if found is None:
        raise Http404("No such guide")
    return TemplateResponse(request, "pages/guide.html", {"guide": found, "rendered": guides.render_guide(found)})


@public
@require_GET
def guide_image(request, role, name):
    path = guides.image_path(role, name)
    if path is None:
        raise Http404("No such picture")
    response = FileResponse(path.open("rb"), content_type="image/png")
    # The pictures change only when the service is deployed again.
    response["Cache-Control"] = "public, max-age=3600"
    return response
