"""The API's one error shape (RFC 9457 problem details), for the API handler and for the error pages
that answer requests under /api/ which never reached an API view.

    {"type": "urn:cas:problem:<code>", "title": ..., "status": ..., "detail": ..., "code": ...,
     "errors": {"field": ["message", ...]}}

`title` and `detail` are written for people; `code` is the stable name to branch on (`type` is the same
name as a URI); `errors` is there when fields are at fault, keyed by field (nested fields joined with
dots). A few problems add their own members (`field`, `earliest_date`, `problems`, `request_id`).
"""

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:cas:problem:"


def problem(
    status: int,
    title: str,
    code: str,
    *,
    detail: str | None = None,
    errors: dict[str, list[str]] | None = None,
    **extensions,
) -> dict:
    body = {
        "type": f"{TYPE_PREFIX}{code}",
        "title": title,
        "status": status,
        "detail": title if detail is None else detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extensions)
    return body
