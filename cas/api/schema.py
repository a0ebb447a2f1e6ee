"""The OpenAPI document: stable operation ids, a tag per area, the roles each operation needs, the
`Idempotency-Key` header and one error contract (application/problem+json, `cas.api.errors`)."""

from django.urls import Resolver404, resolve
from drf_spectacular.openapi import AutoSchema

from cas.api.idempotency import PARAMETER, REPLAYED_HEADER
from cas.core.permissions import POLICY, Permission, rule_roles
from cas.core.problems import MEDIA_TYPE

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
ERRORS = {
    "400": "The request is not valid: `errors` says which field and why",
    "401": "No valid credentials: send an API token (`Authorization: Bearer ...`)",
    "403": "Your roles or region do not allow this",
    "404": "Not found, or not visible to you",
    "409": "The record changed or clashes with another; nothing was changed",
    "503": "An upstream system is not responding; try again later",
}
# The area each API module serves; a view may name its own with `@extend_schema(tags=[...])`.
MODULE_TAGS = {
    "cas.api.referrals": "Referrals",
    # The CAS2 referrer's journey is the referral journey of that tier.
    "cas.api.cas2_applications": "Referrals",
    "cas.api.review": "Review",
    "cas.api.cas2_assessment": "CAS2 assessment",
    "cas.api.estate": "Estate",
    "cas.api.placements": "Placements",
    "cas.api.reporting": "Reporting",
    "cas.api.events": "Events",
}
VIEW_TAGS = {
    "MeView": "Account",
    "PersonView": "People",
    "ReferenceListView": "Reference",
    "AreasView": "Reference",
    # The referrer's side of the timeline lives beside the review's.
    "ReferralTimelineView": "Referrals",
    "ReferralNotesView": "Referrals",
    # Inbound events from the prison system, beside the outbound event feed.
    "PrisonEventsView": "Events",
}
VERBS = {"post": "create", "put": "update", "patch": "partial_update", "delete": "destroy"}
# A sample value for every path parameter, to find the route (and its name) a documented path is.
SAMPLE = "00000000-0000-0000-0000-000000000000"


def roles_sentence(permission: Permission) -> str:
    roles = rule_roles(permission)
    who = "any signed-in user" if roles is None else ", ".join(f"`{r}`" for r in sorted(roles)) or "no role"
    return f"`{permission.value}` ({POLICY[permission].description}): {who}"


class CasAutoSchema(AutoSchema):
    def get_override_parameters(self):
        """Adds the `Idempotency-Key` header to every operation whose method is `@idempotent`."""
        parameters = super().get_override_parameters()
        if self._is_idempotent():
            parameters = [*parameters, PARAMETER]
        return parameters

    def _is_idempotent(self) -> bool:
        return getattr(getattr(self.view, self.method.lower(), None), "idempotent", False)

    def _url_name(self) -> str:
        path = self.path
        while "{" in path:
            start = path.index("{")
            path = path[:start] + SAMPLE + path[path.index("}", start) + 1 :]
        try:
            return resolve(path).url_name
        except Resolver404:  # pragma: no cover - every documented path is a route
            return path.strip("/").replace("/", "_")

    def get_operation_id(self):
        """`<route name>_<verb>`: the URL name the code reverses (`referrals`, `referral`...) and list,
        retrieve, create, update, partial_update or destroy, unless the view names its own."""
        if self.method.lower() == "get":
            verb = "list" if self._is_list_view() else "retrieve"
        else:
            verb = VERBS[self.method.lower()]
        return f"{self._url_name().replace('-', '_')}_{verb}"

    def get_tags(self):
        module = type(self.view).__module__
        name = type(self.view).__name__
        return [VIEW_TAGS.get(name) or MODULE_TAGS.get(module) or "API"]

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            operation["description"] = self._with_roles(operation.get("description", ""))
        return operation

    def _with_roles(self, description: str) -> str:
        permissions = [self.view.permission]
        write = getattr(self.view, "write_permission", None)
        if write is not None and self.method.upper() not in ("GET", "HEAD", "OPTIONS") and write not in permissions:
            permissions.append(write)
        roles = " and ".join(roles_sentence(p) for p in permissions)
        lines = [description, f"**Needs** {roles}. Tier roles act on their own tier's records; region rules apply."]
        if self._is_idempotent():
            lines.append(
                "Send an `Idempotency-Key` to make a retry safe; a replayed answer carries `Idempotent-Replayed: true`."
            )
        return "\n\n".join(line for line in lines if line)


def add_error_responses(result, generator, request, public):
    """Every operation answers its errors as application/problem+json: the `Problem` component, or the
    operation's own problem shape (`PageErrors`, `SubmissionIncomplete`); idempotent writes document
    the `Idempotent-Replayed` header on their successful answers."""
    if "Problem" not in result.get("components", {}).get("schemas", {}):
        raise RuntimeError("The Problem component is missing: cas.api.errors.ProblemSerializer is not referenced")
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status in sorted({*ERRORS, *(code for code in responses if code[0] in "45")}):
                response = responses.setdefault(status, {})
                if not response.get("description"):
                    response["description"] = ERRORS.get(status, "A problem")
                content = response.get("content") or {}
                schema = next((c["schema"] for c in content.values() if "schema" in c), PROBLEM_REF)
                response["content"] = {MEDIA_TYPE: {"schema": schema}}
            if any(p.get("name") == PARAMETER.name for p in operation.get("parameters", [])):
                for status, response in responses.items():
                    if status.startswith("2"):
                        response.setdefault("headers", {})[REPLAYED_HEADER] = {
                            "description": "`true` when this is the stored answer to an earlier request with "
                            "the same `Idempotency-Key` (nothing was changed this time)",
                            "schema": {"type": "string", "enum": ["true"]},
                        }
    return result


# The member that lets a nullable reference be null: typed, because OpenAPI 3.0.3 reads `nullable` only
# beside a `type` in the same Schema Object.
NULL_MEMBER = {"type": "object", "nullable": True, "enum": [None]}


def declare_nullable_references(result, generator, request, public):
    """A reference that may be null (`allow_null=True` on a nested serializer) as OpenAPI 3.0.3 reads it:
    `anyOf` the referenced schema or null. drf-spectacular writes `nullable: true` beside
    `allOf: [$ref]`, which strict validators (openapi-schema-validator) ignore, since `allOf` still
    holds null to the referenced object; openapi-python-client reads both forms as `Model | None`."""

    def rewrite(schema):
        if isinstance(schema, list):
            return [rewrite(item) for item in schema]
        if not isinstance(schema, dict):
            return schema
        schema = {key: rewrite(value) for key, value in schema.items()}
        all_of = schema.get("allOf")
        if schema.get("nullable") is True and "type" not in schema and isinstance(all_of, list) and len(all_of) == 1:
            rest = {key: value for key, value in schema.items() if key not in ("allOf", "nullable")}
            return {"anyOf": [all_of[0], dict(NULL_MEMBER)], **rest}
        return schema

    result["components"] = rewrite(result.get("components", {}))
    result["paths"] = rewrite(result.get("paths", {}))
    return result
