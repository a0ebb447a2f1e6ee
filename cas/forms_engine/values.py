"""Stored answers are plain JSON: strings, lists of strings, ISO dates, numbers and booleans.

These helpers move values between that stored form, Django form data (what a browser posts, or
what the API's JSON is turned into) and the initial values of an unbound form. Every page is
validated by binding its Django form to form data, so the web pages, the API and re-validation of
stored answers all run the same rules.
"""

import datetime as dt
import re

from django import forms

from cas.core.forms import GovukDateField

ISO_DATE = re.compile(r"^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})\s*$")


def to_json(value):
    """A cleaned form value as a JSON value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [to_json(v) for v in value]
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def parse_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def date_parts(value) -> tuple[str, str, str]:
    """Day, month and year of a stored or submitted date, even an impossible one, so that the
    date field reports the same error a browser user would see."""
    if isinstance(value, dt.date):
        return str(value.day), str(value.month), str(value.year)
    if isinstance(value, dict):
        return tuple(str(value.get(k) or "") for k in ("day", "month", "year"))  # type: ignore[return-value]
    match = ISO_DATE.match(str(value or ""))
    if match:
        year, month, day = match.groups()
        return day, month, year
    return (str(value), "", "") if value else ("", "", "")


def to_form_data(form: forms.Form, values: dict) -> dict:
    """Form data (as a browser would post it) for stored or API values."""
    data: dict = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = values.get(name)
        if isinstance(field, GovukDateField):
            day, month, year = date_parts(value)
            data[f"{key}-day"], data[f"{key}-month"], data[f"{key}-year"] = day, month, year
        elif isinstance(field, forms.MultipleChoiceField):
            if value in (None, ""):
                data[key] = []
            else:
                data[key] = [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
        elif isinstance(field, forms.BooleanField):
            data[key] = "on" if value in (True, "on", "true", "yes") else ""
        else:
            data[key] = "" if value is None else str(value)
    return data


def to_initial(form: forms.Form, values: dict) -> dict:
    """Initial values of an unbound form for stored values."""
    initial = {}
    for name, field in form.fields.items():
        if name not in values:
            continue
        value = values[name]
        initial[name] = parse_date(value) if isinstance(field, GovukDateField) else value
    return initial
