"""Turn domain errors into problem+json responses with the same messages the web pages show."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cas.core.errors import Conflict, DomainError, NotAllowed
from cas.people.ports import UpstreamUnavailable


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        code = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, NotAllowed):
            code = status.HTTP_403_FORBIDDEN
        elif isinstance(exc, Conflict):
            code = status.HTTP_409_CONFLICT
        elif exc.code == "not_found":
            code = status.HTTP_404_NOT_FOUND
        body = {"title": exc.message, "status": code, "code": exc.code}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=code, content_type="application/problem+json")
    if isinstance(exc, UpstreamUnavailable):
        return Response(
            {"title": str(exc), "status": 503, "code": "upstream_unavailable"},
            status=503,
            content_type="application/problem+json",
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        # DRF's own errors (bad JSON, not signed in, not found...) in the same problem shape.
        detail = response.data["detail"]
        response.data = {
            "title": str(detail),
            "status": response.status_code,
            "code": getattr(detail, "code", "error"),
            "detail": str(detail),
        }
        response.content_type = "application/problem+json"
    return response
