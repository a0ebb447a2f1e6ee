from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.csrf import requires_csrf_token

from cas.core.problems import MEDIA_TYPE, problem

API_TITLES = {
    400: ("The request is not valid.", "invalid"),
    403: ("You do not have permission to do this.", "permission_denied"),
    404: ("Not found.", "not_found"),
    500: ("Sorry, there is a problem with the service.", "server_error"),
}


def _page(request, template: str, status: int):
    # Requests that never reached an API view (no matching URL, a crash) still answer the API's way.
    if request.path.startswith("/api/"):
        title, code = API_TITLES.get(status, ("Error", "error"))
        body = problem(status, title, code)
        if status >= 500 and getattr(request, "request_id", None):
            # A reference for the service desk to find the logged error; nothing about its cause.
            body["request_id"] = request.request_id
        return JsonResponse(body, status=status, content_type=MEDIA_TYPE)
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
