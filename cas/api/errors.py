"""The API's one error handler: every error is a problem+json document (`cas.core.problems`).

Domain errors keep the message the web pages show; DRF's own errors (bad JSON, not signed in, not
found, a field that fails validation) come out in the same shape, field errors under `errors`.
"""

from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from cas.core.errors import Conflict, DomainError, NotAllowed
from cas.core.problems import MEDIA_TYPE, TYPE_PREFIX, problem
from cas.people.ports import UpstreamUnavailable

INVALID_TITLE = "The request is not valid"


def problem_response(status_code: int, title: str, code: str, headers=None, **members) -> Response:
    return Response(
        problem(status_code, title, code, **members), status=status_code, content_type=MEDIA_TYPE, headers=headers
    )


def field_errors(data, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation errors as one level: {"field": [...], "pdus.0": [...], "rows.2.name": [...]}."""
    errors: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            for name, messages in field_errors(value, f"{prefix}.{key}" if prefix else str(key)).items():
                errors.setdefault(name, []).extend(messages)
    elif isinstance(data, list) and any(isinstance(item, dict | list) for item in data):
        for index, item in enumerate(data):
            for name, messages in field_errors(item, f"{prefix}.{index}" if prefix else str(index)).items():
                errors.setdefault(name, []).extend(messages)
    else:
        items = data if isinstance(data, list) else [data]
        errors.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).extend(str(item) for item in items)
    return errors


def invalid_response(errors: dict[str, list[str]]) -> Response:
    """400 for fields that failed validation, every message under its field."""
    detail = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
    return problem_response(status.HTTP_400_BAD_REQUEST, INVALID_TITLE, "invalid", detail=detail, errors=errors)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        code = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, NotAllowed):
            code = status.HTTP_403_FORBIDDEN
        elif isinstance(exc, Conflict):
            code = status.HTTP_409_CONFLICT
        elif exc.code == "not_found":
            code = status.HTTP_404_NOT_FOUND
        if exc.field:
            return problem_response(code, exc.message, exc.code, errors={exc.field: [exc.message]}, field=exc.field)
        return problem_response(code, exc.message, exc.code)
    if isinstance(exc, UpstreamUnavailable):
        return problem_response(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc), "upstream_unavailable")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        body = invalid_response(field_errors(response.data)).data
    else:
        # DRF's own errors (bad JSON, not signed in, not found, throttled...): `detail` is one message.
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        body = problem(response.status_code, str(detail), str(code))
    response.data = body
    response.content_type = MEDIA_TYPE
    return response


# The shape, for the OpenAPI document -------------------------------------------------------------


class ProblemSerializer(serializers.Serializer):
    """An error (RFC 9457 problem details), sent as application/problem+json for every 4xx and 5xx."""

    type = serializers.CharField(help_text=f"`{TYPE_PREFIX}` followed by `code`")
    title = serializers.CharField(help_text="What went wrong, written for people (the message the pages show)")
    status = serializers.IntegerField(help_text="The HTTP status code")
    detail = serializers.CharField(help_text="More about this occurrence; field errors listed one after another")
    code = serializers.CharField(help_text="A stable name for the error to branch on, e.g. `invalid`, `stale`")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages by field (nested fields joined with dots, e.g. `pdus.0`); present when fields are at fault",
    )
    field = serializers.CharField(required=False, help_text="The one field at fault, for a rule about one field")
    earliest_date = serializers.DateField(
        required=False, help_text="Archive refused (409): the earliest date it can be archived"
    )
    request_id = serializers.CharField(required=False, help_text="500: a reference for the service desk")
