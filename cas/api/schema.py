"""OpenAPI post-processing: every operation documents the errors it can answer with."""

from drf_spectacular.openapi import AutoSchema

from cas.api.idempotency import PARAMETER

ERROR_SCHEMA = {
    "type": "object",
    "description": "A problem: `title` (or DRF's `detail`) says what went wrong in words for people.",
    "properties": {
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "field": {"type": "string"},
        "detail": {"type": "string"},
    },
    "additionalProperties": True,
}
ERRORS = {
    "400": "The request is not valid; the body says which field and why",
    "401": "No valid credentials: sign in or send an API token",
    "403": "Your roles or region do not allow this",
    "404": "Not found, or not visible to you",
    "409": "The record changed or clashes with another; nothing was changed",
    "503": "An upstream system is not responding; try again later",
}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = ERROR_SCHEMA
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                response = responses.setdefault(status, {"description": description})
                content = response.setdefault("content", {})
                # Errors come as problem+json from our handlers and as JSON from DRF's own checks.
                for media_type in ("application/json", "application/problem+json"):
                    content.setdefault(media_type, {"schema": {"$ref": "#/components/schemas/Problem"}})
    return result


class CasAutoSchema(AutoSchema):
    """Adds the `Idempotency-Key` header to every operation whose method is `@idempotent`."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        method = getattr(self.view, self.method.lower(), None)
        if getattr(method, "idempotent", False):
            parameters = [*parameters, PARAMETER]
        return parameters
