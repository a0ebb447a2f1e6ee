"""Page forms: ordinary Django forms with three additions the question pages need.

- `conditional_fields`: detail fields revealed by a choice (`{"trigger": {"yes": ("detail",)}}`).
  They are required only when their choice is selected and dropped from the answer otherwise, so a
  page never keeps details behind an answer that was changed.
- `exclusive_choices`: a "none of these" option that cannot be combined with the others.
- Placeholders: labels, hints, choices and error messages may contain `{name}` and other keys of
  the form context's `placeholders`, filled in when the form is built.

Each page form receives the form `context` (upstream data, today's date, the user's region...) and
the `answers` given so far, so its choices and rules can depend on them.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django import forms

from cas.core import clock
from cas.core.dates import long_date
from cas.core.forms import GovukDateField
from cas.forms_engine.answers import Answers
from cas.forms_engine.values import parse_date, to_json


class _Placeholders(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text, placeholders: dict) -> str:
    if text is None:
        return text
    return str(text).format_map(_Placeholders(placeholders))


class PageForm(forms.Form):
    conditional_fields: ClassVar[dict[str, dict[str, tuple[str, ...]]]] = {}
    exclusive_choices: ClassVar[dict[str, str]] = {}
    # The field whose label is the page's question, shown as the page heading. Pages with several
    # questions leave it empty and show the page title as the heading instead.
    heading_field: ClassVar[str | None] = None

    def __init__(self, data=None, *, context: dict | None = None, answers=None, initial=None, **kwargs):
        self.context = context or {}
        self.answers = answers if isinstance(answers, Answers) else Answers(answers or {})
        super().__init__(data, initial=initial, **kwargs)
        self.setup()
        placeholders = {**self.context.get("placeholders", {}), **self.placeholders()}
        for name, field in self.fields.items():
            field.label = fill(field.label, placeholders)
            if field.help_text:
                field.help_text = fill(field.help_text, placeholders)
            field.error_messages = {k: fill(v, placeholders) for k, v in field.error_messages.items()}
            if hasattr(field, "choices") and not isinstance(field, forms.ModelChoiceField):
                field.choices = [(v, fill(label, placeholders)) for v, label in field.choices]
            if name in self.dependent_fields():
                field.required = False

    # Hooks for subclasses -----------------------------------------------------------------------
    def setup(self) -> None:
        """Adjust fields from the context or answers (choices that depend on the referral)."""

    def placeholders(self) -> dict:
        return {}

    @property
    def today(self) -> dt.date:
        return self.context.get("today") or clock.today()

    # Conditional and exclusive answers ----------------------------------------------------------
    @classmethod
    def dependent_fields(cls) -> set[str]:
        return {dep for mapping in cls.conditional_fields.values() for deps in mapping.values() for dep in deps}

    def clean(self):
        data = super().clean()
        for trigger, mapping in self.conditional_fields.items():
            chosen = data.get(trigger)
            chosen_set = {str(v) for v in chosen} if isinstance(chosen, list | tuple) else {str(chosen)}
            for value, dependents in mapping.items():
                for dependent in dependents:
                    if value in chosen_set and trigger not in self._errors:
                        if dependent not in self._errors and data.get(dependent) in (None, "", []):
                            self.add_error(dependent, self.fields[dependent].error_messages["required"])
                    elif not any(dependent in mapping.get(v, ()) for v in chosen_set):
                        # Not asked for this answer: neither kept nor validated.
                        data.pop(dependent, None)
                        self._errors.pop(dependent, None)
        for name, none_value in self.exclusive_choices.items():
            chosen = data.get(name) or []
            if none_value in chosen and len(chosen) > 1:
                label = dict(self.fields[name].choices).get(none_value, none_value)
                self.add_error(name, f"Select ‘{label}’ on its own, or untick it and select the others that apply")
        return data

    def values(self) -> dict:
        """The cleaned answer as JSON values (only the fields that apply)."""
        return {name: to_json(value) for name, value in self.cleaned_data.items() if name in self.fields}

    # Display --------------------------------------------------------------------------------------
    def display_value(self, name: str, value) -> str:
        field = self.fields[name]
        if value in (None, "", []):
            return "None given" if not field.required or name in self.dependent_fields() else "Not answered"
        if isinstance(field, GovukDateField):
            parsed = parse_date(value)
            return long_date(parsed) if parsed else str(value)
        if hasattr(field, "choices"):
            labels = {str(v): str(label) for v, label in field.choices}
            if isinstance(value, list | tuple):
                return "\n".join(labels.get(str(v), str(v)) for v in value)
            return labels.get(str(value), str(value))
        if isinstance(field, forms.BooleanField):
            return "Yes" if value else "No"
        return str(value)

    def summary_rows(self, values: dict) -> list[tuple[str, str, str]]:
        """(field name, question, answer) for each question asked, in order, for check your answers
        and the frozen document. Detail fields follow the answer that revealed them."""
        rows = []
        dependents = self.dependent_fields()
        for name, field in self.fields.items():
            if name in dependents:
                continue
            rows.append((name, str(field.label), self.display_value(name, values.get(name))))
            chosen = values.get(name)
            chosen_list = [str(v) for v in chosen] if isinstance(chosen, list | tuple) else [str(chosen)]
            seen = set()
            for choice in chosen_list:
                for dependent in self.conditional_fields.get(name, {}).get(choice, ()):
                    if dependent in seen or dependent not in values:
                        continue
                    seen.add(dependent)
                    rows.append(
                        (dependent, str(self.fields[dependent].label), self.display_value(dependent, values[dependent]))
                    )
        return rows


class InfoForm(PageForm):
    """A page with nothing to answer (imported information, guidance): continuing records it as seen."""


# Field helpers: GOV.UK wording for the common question shapes. ------------------------------------

YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_DONT_KNOW = [("yes", "Yes"), ("no", "No"), ("dont_know", "I do not know")]


def radios(label: str, choices, *, error: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": error, "invalid_choice": error},
    )


def yes_no(label: str, *, error: str, help_text: str = "", dont_know: bool = False) -> forms.ChoiceField:
    return radios(label, YES_NO_DONT_KNOW if dont_know else YES_NO, error=error, help_text=help_text)


def checkboxes(
    label: str, choices, *, error: str = "", help_text: str = "", required=True
) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=required,
        help_text=help_text,
        error_messages={"required": error, "invalid_choice": "Select options from the list"},
    )


def select(label: str, choices, *, error: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, help_text=help_text, error_messages={"required": error, "invalid_choice": error}
    )


def text(
    label: str, *, error: str = "", help_text: str = "", required=True, max_length=200, autocomplete: str = ""
) -> forms.CharField:
    attrs = {"autocomplete": autocomplete} if autocomplete else {}
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"required": error, "max_length": f"Enter {max_length} characters or fewer"},
    )


def textarea(label: str, *, error: str = "", help_text: str = "", required=True, max_length=5000) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=max_length,
        widget=forms.Textarea,
        error_messages={"required": error, "max_length": f"Enter {max_length} characters or fewer"},
    )


def date(label: str, *, what: str, help_text: str = "For example, 27 3 2027", required=True) -> GovukDateField:
    return GovukDateField(label=label, label_for_errors=what, help_text=help_text, required=required)
