"""`govuk.govuk_table` writes the markup of GOV.UK Frontend's `govukTable` macro (it replaces the macro
in list pages because the macro's per-cell attribute macro was a quarter of their rendering time):
the same elements, classes, attributes and escaping for the same parameters."""

import re

from django.template import engines
from markupsafe import Markup

from cas.web.govuk import govuk_table

PARAMS = {
    "caption": "People <booked> & 'waiting'",
    "captionClasses": "govuk-visually-hidden",
    "classes": "govuk-!-font-size-16",
    "attributes": {"data-module": "moj-sortable-table"},
    "firstCellIsHeader": True,
    "head": [
        {
            "html": Markup('<a class="govuk-link" href="?sort=name&amp;page=2">Name</a>'),
            "attributes": {"aria-sort": "ascending"},
        },
        {"text": "Nights", "format": "numeric", "classes": "govuk-!-width-one-quarter"},
        {"text": "Spans", "colspan": 2},
    ],
    "rows": [
        [
            {"text": "Ann <O'Neil>"},
            {"text": 84, "format": "numeric"},
            {"html": "<strong>Urgent</strong>", "attributes": {"data-sort-value": "1"}},
            {
                "text": "Hidden",
                "attributes": {"hidden": {"value": True, "optional": True}, "title": {"value": None, "optional": True}},
            },
        ],
        [],
        [{"text": "Bo", "classes": "x"}, {"text": "3", "rowspan": 2}, {"text": "—"}, {"text": "A & B"}],
    ],
}


def _normal(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


def _macro(params) -> str:
    env = engines["jinja2"].env
    template = env.from_string(
        '{% from "govuk_frontend_jinja/components/table/macro.html" import govukTable %}{{ govukTable(params) }}'
    )
    return template.render(params=params)


def test_the_table_is_the_macros_markup():
    assert _normal(govuk_table(PARAMS)) == _normal(_macro(PARAMS))


def test_a_plain_table_without_head_or_caption():
    params = {"rows": [[{"text": "one"}, {"text": "two"}]]}
    assert _normal(govuk_table(params)) == _normal(_macro(params))


def test_text_is_escaped_and_html_is_not():
    html = str(govuk_table({"rows": [[{"text": "<script>"}, {"html": "<em>ok</em>"}]]}))
    assert "&lt;script&gt;" in html and "<script>" not in html and "<em>ok</em>" in html
