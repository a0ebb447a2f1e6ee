from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from cas.web.decorators import public


@public
@require_GET
def accessibility(request):
    return TemplateResponse(request, "pages/accessibility.html", {})


@public
@require_GET
def cookies(request):
    return TemplateResponse(request, "pages/cookies.html", {})


@public
@require_GET
def privacy(request):
    return TemplateResponse(request, "pages/privacy.html", {})
