from django.template.response import TemplateResponse
from django.views.decorators.csrf import requires_csrf_token


def _page(request, template: str, status: int):
    response = TemplateResponse(request, template, {}, status=status)
    return response.render()


@requires_csrf_token
def bad_request(request, exception=None):
    return _page(request, "errors/400.html", 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _page(request, "errors/403.html", 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _page(request, "errors/404.html", 404)


@requires_csrf_token
def server_error(request):
    return _page(request, "errors/500.html", 500)


def csrf_failure(request, reason=""):
    return _page(request, "errors/csrf.html", 403)
