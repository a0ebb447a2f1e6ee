"""The readable form of a subject access export: one self-contained HTML document.

The document has no scripts, styles or external resources, so it opens the same from a file, an
email attachment or a printer, and works with screen readers (headings, tables with headers).
"""

import json

from jinja2 import Environment, PackageLoader, select_autoescape

from cas.core import dates

_env = Environment(loader=PackageLoader("cas.privacy", "templates"), autoescape=select_autoescape(["html"]))


def _display(value) -> str:
    if value is None or value == "":
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict) and set(value) == {"id", "label"}:
        return value["label"]
    if isinstance(value, dict) and set(value) == {"value", "label"}:
        return value["label"]
    if isinstance(value, dict | list):
        return json.dumps(value, indent=2, ensure_ascii=False)
    return str(value)


_env.filters["display"] = _display
_env.filters["date"] = dates.format_date
_env.filters["sentence"] = lambda text: text[:1].upper() + text[1:]
_env.tests["structured"] = lambda v: (
    isinstance(v, list) or (isinstance(v, dict) and set(v) not in ({"id", "label"}, {"value", "label"}))
)


def render_html(export) -> str:
    return _env.get_template("privacy/subject_access.html").render(export=export)
