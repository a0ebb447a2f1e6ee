"""Adapters from Django forms, pages and tables to GOV.UK macro parameters.

Templates call these through the component library (`components/*.html`), never by hand, so every
screen renders fields, errors and pagination the same way.
"""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from markupsafe import Markup, escape

from cas.core import dates, wording
from cas.core.forms import GovukDateWidget


def _error(bound_field) -> dict | None:
    if bound_field.errors:
        return {"text": " ".join(str(e) for e in bound_field.errors)}
    return None


def field_id(bound_field) -> str:
    if isinstance(bound_field.field.widget, GovukDateWidget):
        return f"{bound_field.html_name}-day"
    if isinstance(bound_field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return bound_field.html_name
    return bound_field.auto_id or bound_field.html_name


def _hint(bound_field) -> dict | None:
    return {"text": str(bound_field.help_text)} if bound_field.help_text else None


def _value(bound_field):
    value = bound_field.value()
    return "" if value is None else value


def govuk_field(bound_field, **overrides) -> dict:
    """Parameters for the GOV.UK macro that renders `bound_field` (see components/forms.html)."""
    field = bound_field.field
    widget = field.widget
    label_text = str(bound_field.label)
    is_heading = overrides.pop("is_page_heading", False)
    label_classes = overrides.pop("label_classes", "govuk-label--l" if is_heading else "")
    params: dict = {
        "id": field_id(bound_field),
        "name": bound_field.html_name,
        "hint": _hint(bound_field),
        "errorMessage": _error(bound_field),
    }
    if isinstance(widget, GovukDateWidget):
        raw = bound_field.value()
        if isinstance(raw, dt.date):
            parts = [str(raw.day), str(raw.month), str(raw.year)]
        elif isinstance(raw, list | tuple):
            parts = [p or "" for p in raw]
        else:
            parts = ["", "", ""]
        params["fieldset"] = {
            "legend": {
                "text": label_text,
                "isPageHeading": is_heading,
                "classes": label_classes or "govuk-fieldset__legend--s",
            }
        }
        params["namePrefix"] = bound_field.html_name
        params["id"] = bound_field.html_name
        params["items"] = [
            {
                "name": "day",
                "label": "Day",
                "classes": "govuk-input--width-2" + (" govuk-input--error" if bound_field.errors else ""),
                "value": parts[0],
            },
            {
                "name": "month",
                "label": "Month",
                "classes": "govuk-input--width-2" + (" govuk-input--error" if bound_field.errors else ""),
                "value": parts[1],
            },
            {
                "name": "year",
                "label": "Year",
                "classes": "govuk-input--width-4" + (" govuk-input--error" if bound_field.errors else ""),
                "value": parts[2],
            },
        ]
        params["_macro"] = "date"
    elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        current = bound_field.value()
        chosen = {str(v) for v in (current if isinstance(current, list | tuple) else [current]) if v not in (None, "")}
        params["fieldset"] = {
            "legend": {
                "text": label_text,
                "isPageHeading": is_heading,
                "classes": label_classes or "govuk-fieldset__legend--s",
            }
        }
        params["idPrefix"] = bound_field.html_name
        params["items"] = [
            {"value": str(v), "text": str(t), "checked": str(v) in chosen} for v, t in field.choices if str(v) != ""
        ]
        params["_macro"] = "checkboxes" if isinstance(widget, forms.CheckboxSelectMultiple) else "radios"
    elif isinstance(widget, forms.Select):
        current = "" if bound_field.value() is None else str(bound_field.value())
        params["label"] = {"text": label_text, "isPageHeading": is_heading, "classes": label_classes}
        params["items"] = []
        params["groups"] = []
        # Django-style groups, (name, [(value, label), ...]), become <optgroup>s after the plain options.
        for v, t in field.choices:
            if isinstance(t, list | tuple):
                params["groups"].append(
                    {
                        "label": str(v),
                        "items": [{"value": str(gv), "text": str(gt), "selected": str(gv) == current} for gv, gt in t],
                    }
                )
            else:
                params["items"].append({"value": str(v), "text": str(t), "selected": str(v) == current})
        params["_macro"] = "select"
    elif isinstance(widget, forms.Textarea):
        params["label"] = {"text": label_text, "isPageHeading": is_heading, "classes": label_classes}
        params["value"] = _value(bound_field)
        params["_macro"] = "textarea"
    elif isinstance(widget, forms.CheckboxInput):
        params["fieldset"] = None
        params["items"] = [{"value": "on", "text": label_text, "checked": bool(bound_field.value())}]
        params["idPrefix"] = bound_field.html_name
        params["_macro"] = "checkboxes"
    else:
        params["label"] = {"text": label_text, "isPageHeading": is_heading, "classes": label_classes}
        params["value"] = "" if isinstance(widget, forms.PasswordInput) else _value(bound_field)
        input_type = getattr(widget, "input_type", "text")
        params["type"] = (
            input_type if input_type in {"text", "email", "password", "tel", "number", "search"} else "text"
        )
        if params["type"] == "number":
            params["type"] = "text"
            params["inputmode"] = "numeric"
        params["_macro"] = "password" if input_type == "password" else "input"
        if widget.attrs.get("autocomplete"):
            params["autocomplete"] = widget.attrs["autocomplete"]
        if widget.attrs.get("class"):
            params["classes"] = widget.attrs["class"]
    params.update(overrides)
    return params


def govuk_error_summary(*forms_) -> dict | None:
    """Error summary parameters for one or more bound forms, linking each message to its field."""
    items = []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        for message in form.non_field_errors():
            items.append({"text": str(message), "href": "#main-content"})
        for name in form.errors:
            if name == "__all__":
                continue
            bf = form[name]
            for message in bf.errors:
                items.append({"text": str(message), "href": f"#{field_id(bf)}"})
    if not items:
        return None
    return {"titleText": "There is a problem", "errorList": items}


def query_string(request, **changes) -> str:
    """The current query string with `changes` applied (None removes a key)."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.items(), key=lambda kv: kv[0]), doseq=True) if params else "?"


def pagination_params(request, page) -> dict | None:
    """GOV.UK pagination for a Django Page, keeping the other query parameters."""
    if page is None or page.paginator.num_pages <= 1:
        return None
    params: dict = {"items": []}
    if page.has_previous():
        params["previous"] = {"href": query_string(request, page=page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": query_string(request, page=page.next_page_number())}
    last = page.paginator.num_pages
    shown = sorted({1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1)))
    previous = 0
    for number in shown:
        if number - previous > 1:
            params["items"].append({"ellipsis": True})
        params["items"].append(
            {"number": number, "href": query_string(request, page=number), "current": number == page.number}
        )
        previous = number
    return params


def sort_header(request, label: str, key: str, current: str) -> dict:
    """A table header that sorts by `key` with a plain link, so sorting works without JavaScript."""
    direction = "none"
    next_sort = key
    if current == key:
        direction, next_sort = "ascending", f"-{key}"
    elif current == f"-{key}":
        direction, next_sort = "descending", key
    html = format_html(
        '<a class="govuk-link cas-sort-link" href="{}">{}</a>', query_string(request, sort=next_sort, page=None), label
    )
    return {"html": html, "attributes": {"aria-sort": direction}}


def _local(value):
    return timezone.localtime(value) if isinstance(value, dt.datetime) and timezone.is_aware(value) else value


def format_date(value, fmt: str = dates.LONG) -> str:
    return dates.format_date(_local(value), fmt)


def format_datetime(value) -> str:
    return dates.long_date_time(_local(value)) if value else ""


def link(href: str, text) -> str:
    return format_html('<a class="govuk-link" href="{}">{}</a>', href, text)


def audit_value(value) -> str:
    """A before/after value from the audit history, readable by people."""
    if value in (None, "", [], {}):
        return "none"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _attributes(attributes) -> str:
    """GOV.UK Frontend's `govukAttributes`: ` name="value"` pairs (a value may be
    {"value": ..., "optional": True}: then a true value is written as the bare name and an empty
    one is left out), or a string passed through."""
    if not attributes:
        return ""
    if isinstance(attributes, str):
        return attributes
    html = []
    for name, value in attributes.items():
        options = value if isinstance(value, dict) else {"value": value, "optional": False}
        value = options.get("value")
        if isinstance(value, bool) and not options.get("optional"):
            value = str(value).lower()
        if options.get("optional"):
            if value is True:
                html.append(f" {escape(name)}")
            elif value not in (None, False):
                html.append(f' {escape(name)}="{escape(value)}"')
        else:
            html.append(f' {escape(name)}="{escape(value)}"')
    return "".join(html)


def _classes(base: str, item: dict) -> str:
    classes = base
    if item.get("format"):
        classes += f" {base}--{item['format']}"
    if item.get("classes"):
        classes += f" {item['classes']}"
    return classes


def _span(item: dict) -> str:
    return "".join(f' {name}="{escape(item[name])}"' for name in ("colspan", "rowspan") if item.get(name))


def _content(item: dict) -> str:
    """A cell's `html` as given (trusted, as the macro's `| safe`), else its `text`, escaped."""
    if item.get("html"):
        return str(item["html"])
    text = item.get("text")
    return escape("" if text is None else text)


def govuk_table(params: dict) -> Markup:
    """The markup of GOV.UK Frontend's `govukTable` macro, built in Python: the macro calls a
    Jinja macro for the attributes of every cell, which made tables the largest part of rendering
    a list page (the queue's 25 rows: a quarter of the page's time). Same parameters, same markup."""
    parts = [f'<table class="{_classes("govuk-table", params)}"']
    parts.append(_attributes(params.get("attributes")) + ">")
    if params.get("caption"):
        caption_classes = " " + params["captionClasses"] if params.get("captionClasses") else ""
        parts.append(f'<caption class="govuk-table__caption{caption_classes}">{escape(params["caption"])}</caption>')
    if params.get("head"):
        parts.append('<thead class="govuk-table__head"><tr class="govuk-table__row">')
        for item in params["head"]:
            parts.append(
                f'<th scope="col" class="{_classes("govuk-table__header", item)}"'
                f"{_span(item)}{_attributes(item.get('attributes'))}>{_content(item)}</th>"
            )
        parts.append("</tr></thead>")
    parts.append('<tbody class="govuk-table__body">')
    header_first = params.get("firstCellIsHeader")
    for row in params.get("rows") or ():
        if not row:
            continue
        parts.append('<tr class="govuk-table__row">')
        for index, cell in enumerate(row):
            common = _span(cell) + _attributes(cell.get("attributes"))
            if index == 0 and header_first:
                classes = "govuk-table__header" + (f" {cell['classes']}" if cell.get("classes") else "")
                parts.append(f'<th scope="row" class="{classes}"{common}>{_content(cell)}</th>')
            else:
                parts.append(f'<td class="{_classes("govuk-table__cell", cell)}"{common}>{_content(cell)}</td>')
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return Markup("".join(parts))  # noqa: S704 (every text and attribute value above is escaped)


JINJA_GLOBALS = {
    "govuk_table": govuk_table,
    "link": link,
    "govuk_field": govuk_field,
    "govuk_error_summary": govuk_error_summary,
    "pagination_params": pagination_params,
    "sort_header": sort_header,
    "query_string": query_string,
    "quantity": wording.quantity,
}
JINJA_FILTERS = {
    "date": format_date,
    "datetime": format_datetime,
    "isodate": dates.format_iso_text,
    "audit_value": audit_value,
}
