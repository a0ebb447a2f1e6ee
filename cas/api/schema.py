"""The OpenAPI document: stable operation ids, a tag per area, the roles each operation needs, the
`Idempotency-Key` header and one error contract (application/problem+json, `cas.api.errors`)."""

import re

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


# OpenAPI links: from each answer that names a resource (a create, a list, an action on it) to the
# operations that take that resource's id, so that a client (and the stateful Schemathesis run in
# tests/api/test_api_stateful.py) can follow them. Most are found from the paths: a POST or list on
# `/x` links to every operation under `/x/{param}`, and an operation under `/x/{param}` links to the
# reads of that resource. These are the ones the paths do not show: (source operationId, status) ->
# [(target path prefix, {parameter: runtime expression})]. Expressions are per status: a list's first item.
CROSS_LINKS = {
    ("booking_create", "201"): [("/api/v1/bookings/{id}", {"id": "$response.body#/id"})],
    ("estate_bedspaces_create", "201"): [
        ("/api/v1/placements/bedspaces/{bedspace_pk}", {"bedspace_pk": "$response.body#/id"})
    ],
    ("estate_bedspaces_list", "200"): [
        ("/api/v1/placements/bedspaces/{bedspace_pk}", {"bedspace_pk": "$response.body#/0/id"})
    ],
    ("estate_property_archive_create", "201"): [
        ("/api/v1/properties/{id}/archive-changes/{change_pk}", {"change_pk": "$response.body#/id"})
    ],
    ("estate_bedspace_archive_create", "201"): [
        ("/api/v1/properties/{id}/archive-changes/{change_pk}", {"change_pk": "$response.body#/id"})
    ],
    ("estate_archive_changes_list", "200"): [
        ("/api/v1/properties/{id}/archive-changes/{change_pk}", {"change_pk": "$response.body#/0/id"})
    ],
    ("referrals_create", "201"): [
        ("/api/v1/people/{crn}", {"crn": "$response.body#/crn"}),
        (
            "/api/v1/referrals/{id}/pages/{task}/{page}",
            {
                "id": "$response.body#/id",
                "task": "$response.body#/tasks/0/slug",
                "page": "$response.body#/tasks/0/next_page",
            },
        ),
    ],
    ("referral_retrieve", "200"): [
        (
            "/api/v1/referrals/{id}/pages/{task}/{page}",
            {
                "id": "$response.body#/id",
                "task": "$response.body#/tasks/0/slug",
                "page": "$response.body#/tasks/0/next_page",
            },
        ),
    ],
    ("referral_submission_create", "200"): [("/api/v1/review/referrals/{id}", {"id": "$response.body#/referral/id"})],
    ("referral_submission_create", "201"): [("/api/v1/review/referrals/{id}", {"id": "$response.body#/referral/id"})],
    ("bookings_list", "200"): [("/api/v1/people/{crn}", {"crn": "$response.body#/results/0/crn"})],
    ("cas2_applications_list", "200"): [("/api/v1/cas2/assessments/{id}", {"id": "$response.body#/results/0/id"})],
    ("reports_list", "200"): [("/api/v1/reports/{id}", {"id": "$response.body#/runs/0/id"})],
    ("statistics_list", "200"): [("/api/v1/statistics/{name}", {"name": "$response.body#/0/name"})],
}
WRITES = {"post", "put", "patch", "delete"}


def _path_parameters(path: str) -> list[str]:
    return re.findall(r"\{([^}]+)\}", path)


def _first_item(schema, components) -> str | None:
    """Where a list answer's first item is: `/results/0` for a page, `/0` for a plain array."""
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if schema.get("type") == "array":
        return "/0"
    if "results" in schema.get("properties", {}):
        return "/results/0"
    return None


def _link(target_id: str, parameters: dict[str, str]) -> dict:
    return {"operationId": target_id, "parameters": dict(sorted(parameters.items()))}


def add_links(result, generator, request, public):
    """The OpenAPI `links` of every successful answer that names a resource; see CROSS_LINKS."""
    paths = result.get("paths", {})
    components = result.get("components", {}).get("schemas", {})
    operations = [
        (path, method, operation)
        for path, item in paths.items()
        for method, operation in item.items()
        if method in {"get", *WRITES}
    ]
    by_id = {operation["operationId"]: (path, method) for path, method, operation in operations}

    def under(prefix: str, *, reads_only: bool = False):
        for path, method, operation in operations:
            if (path == prefix or path.startswith(prefix + "/")) and not (reads_only and method != "get"):
                yield path, method, operation

    def links_to(prefix: str, known: dict[str, str], source_path: str, *, reads_only=False, skip=None):
        links = {}
        for path, method, operation in under(prefix, reads_only=reads_only):
            if skip == (path, method):
                continue
            parameters = dict(known)
            for name in _path_parameters(path):
                if name not in parameters and name in _path_parameters(source_path):
                    parameters[name] = f"$request.path.{name}"
            if set(_path_parameters(path)) <= set(parameters):
                wanted = {name: parameters[name] for name in _path_parameters(path)}
                links[operation["operationId"]] = _link(operation["operationId"], wanted)
        return links

    for path, method, operation in operations:
        for status, response in operation.get("responses", {}).items():
            if not status.startswith("2") or "content" not in response:
                continue
            content = next(iter(response["content"].values()))
            links = {}
            is_collection = not path.endswith("}")
            if is_collection and method in ("post", "get"):
                # A create or a list on /x: the operations under /x/{param} take the id it names.
                item = "" if method == "post" else _first_item(content["schema"], components)
                if item is not None:
                    for child_path, _, _ in under(path):
                        child = child_path[len(path) + 1 :]
                        if child.startswith("{"):
                            name = child[1 : child.index("}")]
                            links.update(links_to(f"{path}/{{{name}}}", {name: f"$response.body#{item}/id"}, path))
                            break
            if method in WRITES and _path_parameters(path):
                # An action on a resource: its reads, with the same ids.
                owner = path[: path.rindex("}") + 1] if not path.endswith("}") else path
                links.update(links_to(owner, {}, path, reads_only=True))
            for target_prefix, known in CROSS_LINKS.get((operation["operationId"], status), []):
                links.update(links_to(target_prefix, known, path))
            if links:
                response["links"] = dict(sorted(links.items()))
    assert all(source in by_id for source, _ in CROSS_LINKS), "CROSS_LINKS names an operation that is not documented"
    return result
