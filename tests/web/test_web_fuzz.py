"""Hostile input on every page of the URL samples: no server error anywhere.

For each route of the URL samples, signed in as a user allowed to reach it (anonymous for public
pages), the page is fetched with every query parameter it reads set to hostile values, and every
form it shows is posted with its fields replaced by hostile values, one field at a time and all at
once. The bar is the issue's: a 400, a redirect or the page with a form error, never a 500, and a
refused POST (a 400, or the form drawn again with its errors) writes no change to the audit trail.
API routes get the query parameters too (their JSON bodies are fuzzed in tests/api). A lone surrogate
never reaches a page as one (Django decodes form and query bytes with replacement characters); the
API's JSON escapes can carry one, and its parser refuses it.

Every route runs inside a savepoint that is rolled back afterwards, so a form that succeeds (a
booking confirmed, a user deactivated) does not change the pages the next route sees.
"""

import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from cas.core.models import AuditEvent
from cas.core.roles import Role
from tests.url_samples import all_urls, build, build_context, expected_allowed, post_only, view_rule
from tests.web.test_access_matrix import role_user

# A compact set: each value stands for a class of bad input seen (or feared) to reach a 500.
HOSTILE = {
    "huge number": str(10**30),
    "5000 digits": "9" * 5000,
    "negative": "-1",
    "float overflow": "1e999",
    "surrogate": "\ud800",
    "NUL": "\x00",
    "200 KB": "x" * 200_000,
    "JSON list": "[]",
    "JSON object": '{"a":1}',
    "huge year": "99999999999",
    "huge ISO date": "99999999999-01-01",
    "full-width digits": "１２３",
}
# Sent one field at a time as well (every value is also sent to every field in the rotations):
# the classes that failed inside a single field's own checks.
EACH_FIELD = ("huge number", "5000 digits", "negative", "NUL", "200 KB", "JSON object", "huge year")
# Query parameters most list pages read, whether or not this page links to them.
COMMON_PARAMS = ("page", "sort", "order", "q", "tab", "status", "next")
# Files for <input type="file">: not UTF-8, a field over the CSV reader's 128 KiB limit, NUL, a
# broken workbook, and the estate import's columns full of digits int() refuses.
PLACEMENT_HEADER = (
    b"placement_reference,crn,probation_region,gender_identity,sex,start_date,end_date,move_on_category,source\n"
)
HOSTILE_FILES = {
    "not UTF-8": ("bad.csv", b"\xff\xfe\x00a,b\n\xc3\x28\n"),
    "200 KB field": ("big.csv", PLACEMENT_HEADER + b'"' + b"x" * 200_000 + b'",X000001,Wales,,,2024-01-01,,,manual\n'),
    "NUL in a cell": ("nul.csv", PLACEMENT_HEADER + b"P\x001,X000001,Wales,,,2024-01-01,,,manual\n"),
    "huge year": ("year.csv", PLACEMENT_HEADER + b"P1,X000001,Wales,,,99999999999-01-01,,,manual\n"),
    "broken XLSX": ("bad.xlsx", b"PK\x03\x04 not really a workbook"),
}


def estate_file() -> tuple[str, bytes]:
    from cas.premises.imports import COLUMN_KEYS

    rows = [",".join(COLUMN_KEYS), ",".join("²" for _ in COLUMN_KEYS), ",".join("9" * 5000 for _ in COLUMN_KEYS)]
    return "estate.csv", ("\n".join(rows) + "\n").encode()


@dataclass
class Form:
    method: str
    action: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # defaults as a browser would send
    names: list[str] = field(default_factory=list)  # every field name, in order
    files: list[str] = field(default_factory=list)


class FormParser(HTMLParser):
    """The forms and same-page links of a page, with the values a browser would submit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def _add_name(self, name):
        if name and name not in self._form.names:
            self._form.names.append(name)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = Form(
                method=a.get("method", "get").lower(),
                action=a.get("action", ""),
                enctype=a.get("enctype", "application/x-www-form-urlencoded"),
            )
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            self._add_name(name)
            if not name:
                return
            if kind == "file":
                self._form.files.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((name, a.get("value", "on")))
            elif kind in ("submit", "image", "button", "reset"):
                # The first named submit button is the one a browser sends with Enter.
                if kind == "submit" and not any(n == name for n, _ in self._form.fields):
                    self._form.fields.append((name, a.get("value", "")))
            else:
                self._form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            self._add_name(name)
            if not any(n == name for n, _ in self._form.fields):
                self._form.fields.append((name, a.get("value", "")))
        elif tag == "select":
            self._add_name(name)
            self._select = (name, "multiple" in a)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._add_name(name)
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple = self._select
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form.fields.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, self._text.lstrip("\n")))
            self._textarea = None


def parse_page(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


def encode_urlencoded(pairs) -> str:
    # surrogatepass: the bytes a client would send for a lone surrogate (the test client refuses to).
    return urlencode(pairs, errors="surrogatepass")


def encode_multipart(pairs, files) -> tuple[bytes, str]:
    boundary = "FuzzBoundary7MA4YWxkTrZu0gW"
    out = []
    for name, value in pairs:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.append(value.encode("utf-8", "surrogatepass") + b"\r\n")
    for name, (file_name, content) in files:
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        out.append(content + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def change_count() -> int:
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()


def refused(response) -> bool:
    """A 400, or the page drawn again with the GOV.UK error summary."""
    if response.status_code == 400:
        return True
    html = response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")
    return html and b"govuk-error-summary" in response.content


def rotations(names, values):
    """len(values) combinations in which every name takes every value once, all names hostile at
    once: cheap, and a field refused early cannot hide one read later."""
    items = list(values.items())
    for k in range(len(items)):
        picked = [(n, items[(j + k) % len(items)]) for j, n in enumerate(names)]
        label = ", ".join(f"{n}={v[0]}" for n, v in picked) if len(names) <= 3 else f"rotation {k}"
        yield label, [(n, v[1]) for n, v in picked]


class Fuzzer:
    def __init__(self):
        self.failures: list[str] = []
        self.requests = 0

    def send(self, client, label, method, path, **kwargs):
        """One request in its own savepoint: a server error that broke the transaction (PostgreSQL)
        must not turn every later request into one."""
        sid = transaction.savepoint_create()
        before = change_count() if method == "post" else None
        response = getattr(client, method)(path, **kwargs)
        self.requests += 1
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            reason = f"{exc[0].__name__}: {str(exc[1])[:120]}" if exc else ""
            self.failures.append(f"{response.status_code} {label} {reason}")
            transaction.savepoint_rollback(sid)
            return response
        if method == "post" and refused(response) and change_count() != before:
            self.failures.append(f"refused but audited a change: {label}")
        transaction.savepoint_commit(sid)
        return response

    def get_params(self, client, route, path, params, read):
        for label, pairs in rotations(params, HOSTILE):
            self.send(client, f"GET {route} {label}", "get", f"{path}?{encode_urlencoded(pairs)}")
        # One at a time for the parameters the page links to, so that one refused early cannot hide
        # another read later.
        for param, value_name in itertools.product(read, EACH_FIELD):
            if value_name == "NUL":
                continue  # refused by the middleware whatever the parameter
            query = encode_urlencoded([(param, HOSTILE[value_name])])
            self.send(client, f"GET {route} {param}={value_name}", "get", f"{path}?{query}")

    def submit_form(self, client, route, path, form: Form, *, each_field=True):
        fuzzable = [n for n in form.names if n != "csrfmiddlewaretoken" and n not in form.files]

        def submit(label, pairs, files=()):
            if form.method == "get":
                url = f"{urlsplit(path).path}?{encode_urlencoded(pairs)}"
                self.send(client, f"GET {route} {label}", "get", url)
                return
            if form.files or form.enctype.startswith("multipart"):
                body, content_type = encode_multipart(pairs, files)
            else:
                body, content_type = encode_urlencoded(pairs), "application/x-www-form-urlencoded"
            self.send(client, f"POST {route} {label}", "post", path, data=body, content_type=content_type)

        def with_values(pairs):
            replaced = {n for n, _ in pairs}
            return [(n, v) for n, v in form.fields if n not in replaced] + list(pairs)

        for label, pairs in rotations(fuzzable, HOSTILE):
            submit(label, with_values(pairs))
        if each_field:
            # One field at a time, the others as the page filled them in: a search that needs its
            # dates reads its filters, and the form's checks across fields run.
            for name, value_name in itertools.product(fuzzable, EACH_FIELD):
                if form.method == "get" and value_name == "NUL":
                    continue
                submit(f"{name}={value_name}", with_values([(name, HOSTILE[value_name])]))
        files = {**HOSTILE_FILES, "estate columns": estate_file()}
        for name, (value_name, upload) in itertools.product(form.files, files.items()):
            submit(f"{name}=file {value_name}", form.fields, [(name, upload)])


def link_params(page: FormParser, path: str) -> list[str]:
    """The query parameters of a page's links to itself (sorting, tabs, pages)."""
    names = set()
    for href in page.links:
        parts = urlsplit(href)
        if parts.path in ("", path):
            names.update(k for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    return sorted(names)


def api_query_params() -> dict[str, list[str]]:
    """Query parameters of each API route, from the OpenAPI document."""
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    params: dict[str, list[str]] = {}
    for path, operations in document["paths"].items():
        sample = re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path)
        name = route_of(sample) or route_of(re.sub(r"\{[^}]+\}", "1", path))
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and name:
                    params.setdefault(name, []).append(parameter["name"])
    return params


def referral_pages(ctx) -> list[str]:
    """Every page of the CAS3 referral form, not only the sample one: the form engine's field types
    (dates, choices, numbers, text) are all on some page. The draft is complete, so that every page
    on its route opens."""
    from django.urls import reverse

    from cas.forms_engine import registry
    from tests.referral_factories import complete, make_draft

    # The review sample's referrer has a PDU, which a complete referral needs; the pages are theirs.
    draft = complete(ctx["review_referrer"], make_draft(ctx["review_referrer"], "X100002"))
    definition = registry.get(draft.form_key)
    return [
        reverse("web:referral-page", kwargs={"pk": draft.pk, "task": task.slug, "page": page.slug})
        for section in definition.sections
        for task in section.tasks
        for page in task.pages
    ]


def page_of(response) -> FormParser:
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return FormParser()
    return parse_page(response.content.decode())


def may_open(user, name, callback, ctx) -> bool:
    return view_rule(callback)[0] == "public" or expected_allowed(user, name, callback, ctx)


@pytest.mark.django_db
def test_hostile_input_on_every_page_and_form_gives_no_server_error():
    ctx = build_context()
    users = [role_user(role) for role in Role] + [ctx["referral_owner"], ctx["review_referrer"], ctx["cas2_owner"]]
    skip_get = post_only()
    api_params = api_query_params()
    fuzzer = Fuzzer()
    submitted: set[tuple[str, str, tuple[str, ...]]] = set()
    unreachable = []
    routes = [(name, callback, build(name, ctx), None) for name, callback in all_urls()]
    routes += [
        (name, callback, path, [ctx["review_referrer"]])
        for name, callback in all_urls()
        if name == "web:referral-page"
        for path in referral_pages(ctx)
    ]
    for name, callback, path, owner in routes:
        sample = owner is None
        kind, _ = view_rule(callback)
        if owner is not None:
            allowed = owner
        elif kind == "public":
            allowed = [None]
        else:
            allowed = [u for u in users if may_open(u, name, callback, ctx)]
        if not allowed:
            unreachable.append(name)
            continue
        if name in skip_get:
            continue
        route_sid = transaction.savepoint_create()
        for number, user in enumerate(allowed):
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            response = client.get(path, follow=True)
            page = page_of(response)
            shown_at = response.wsgi_request.get_full_path()
            if number == 0 and sample:
                read = sorted(set(link_params(page, path)) | set(api_params.get(name, ())))
                common = ("page",) if kind == "api" else COMMON_PARAMS
                fuzzer.get_params(client, name, path, sorted(set(read) | set(common)), read)
            for form in page.forms:
                action = urlsplit(form.action).path or urlsplit(shown_at).path
                target = route_of(action)
                key = (form.method, target, tuple(sorted(form.names)))
                if target is None or key in submitted:
                    continue
                if user is not None and sample and not may_open(user, target, resolve(action).func, ctx):
                    continue  # another user who may send it will
                submitted.add(key)
                fuzzer.submit_form(client, target, form.action or shown_at, form, each_field=sample)
                if user is not None and "_auth_user_id" not in client.session:
                    client.force_login(user)  # the form signed us out
        transaction.savepoint_rollback(route_sid)
    never_posted = sorted(n for n in skip_get if not n.startswith("api:") and not any(t == n for _, t, _ in submitted))
    print(f"{fuzzer.requests} requests, {len(submitted)} forms, {len(fuzzer.failures)} server errors")
    assert not fuzzer.failures, "\n".join(fuzzer.failures)
    assert not unreachable, f"No test user may open: {unreachable}"
    assert not never_posted, f"POST-only routes whose form no page shows: {never_posted}"
