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
from django.forms.utils import ErrorDict
from django.utils.choices import flatten_choices

from cas.core import clock
from cas.core.dates import long_date
from cas.core.forms import GovukDateField
from cas.forms_engine.answers import Answers
from cas.forms_engine.values import parse_date, to_form_data, to_json


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
                field.choices = [_fill_choice(v, label, placeholders) for v, label in field.choices]
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
            labels = {str(v): str(label) for v, label in flatten_choices(field.choices)}
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


def _fill_choice(value, label, placeholders: dict) -> tuple:
    """A choice with its placeholders filled; a group (name, [choices]) has its name and choices filled."""
    if isinstance(label, list | tuple):
        return (fill(value, placeholders), [(v, fill(t, placeholders)) for v, t in label])
    return (value, fill(label, placeholders))


def select(label: str, choices, *, error: str, help_text: str = "") -> forms.ChoiceField:
    """A drop-down list. Choices may be grouped Django-style, `(group name, [(value, label), ...])`,
    to show as `<optgroup>`s (e.g. the referral's region's local authorities first)."""
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


# Repeating lists --------------------------------------------------------------------------------------

ADD = "add"
REMOVE = "remove"


class ListPageForm(PageForm):
    """A page that keeps a list of entries (offences, convictions...), each validated by `item_form`.

    Its stored answer is `{"items": [entry, ...]}`. Entries are added and removed one post at a
    time through the same save path as any page, so the page works without JavaScript: a post
    with `action=add` and the item form's fields appends an entry, `action=remove` with `index`
    removes one, and any other post (continuing) checks the list as it stands: every entry still
    valid and at least `min_items` of them. The API may instead send the whole list as `items`.

    The fields of the form are the item form's (the "add an entry" part of the page); the page
    shows the entries so far from `items` and `entries()`.
    """

    item_form: ClassVar[type[PageForm]] = InfoForm
    # What an entry is called on check your answers ("Offence 1") and in messages ("offence").
    item_label: ClassVar[str] = "Entry"
    # The row shown on check your answers when the list is empty.
    list_label: ClassVar[str] = "Entries"
    min_items: ClassVar[int] = 0
    max_items: ClassVar[int] = 20
    empty_error: ClassVar[str] = "Add at least one entry"
    # Where the entries are stored, set by the task that holds the page (`Task`): the browser's
    # post is bound to the form directly, so the form must find the entries it adds to itself.
    list_task: ClassVar[str] = ""
    list_page: ClassVar[str] = ""

    @classmethod
    def stored_at(cls, task: str, page: str) -> type[ListPageForm]:
        return type(cls.__name__, (cls,), {"list_task": task, "list_page": page, "__module__": cls.__module__})

    def __init__(self, data=None, *, context=None, answers=None, initial=None, items=None, **kwargs):
        super().__init__(data, context=context, answers=answers, initial=initial, **kwargs)
        self.action = str(data.get("action") or "") if data is not None else ""
        if items is None:
            items = self.answers.value(self.list_task, self.list_page, "items")
        listed = items if isinstance(items, list | tuple) else []
        self.items = [dict(item) for item in listed if isinstance(item, dict)]
        # Only the API or a damaged answer can give anything but a list of entries.
        self._items_malformed = (items is not None and not isinstance(items, list | tuple)) or len(self.items) != len(
            listed
        )
        self.entry = self.item_form(
            data if self.action == ADD else None, context=self.context, answers=self.answers, initial=initial
        )
        self.fields = self.entry.fields
        self.conditional_fields = self.item_form.conditional_fields
        self.exclusive_choices = self.item_form.exclusive_choices

    def dependent_fields(self) -> set[str]:  # type: ignore[override]
        return self.item_form.dependent_fields()

    @property
    def item_noun(self) -> str:
        return self.item_label.lower()

    def full_clean(self):
        self._errors = ErrorDict()
        if not self.is_bound:
            return
        self.cleaned_data = {}
        if self.action == ADD:
            self._add()
        elif self.action == REMOVE:
            self._remove()
        else:
            self._check()

    def _add(self):
        if len(self.items) >= self.max_items:
            self.add_error(None, f"You can add up to {self.max_items} entries")
        elif not self.entry.is_valid():
            self._errors.update(self.entry.errors)
        else:
            self.cleaned_data = {"items": [*self.items, self.entry.values()]}

    def _remove(self):
        try:
            index = int(str(self.data.get("index")))
        except ValueError:
            index = -1
        if not 0 <= index < len(self.items):
            self.add_error(None, f"Select the {self.item_noun} to remove")
        else:
            self.cleaned_data = {"items": [item for i, item in enumerate(self.items) if i != index]}

    def _check(self):
        if self._items_malformed:
            self.add_error(None, f"Add each {self.item_noun} again")
            return
        for number, item in enumerate(self.items, start=1):
            form = self.bind_item(item)
            if not form.is_valid():
                error = next(iter(e for errors in form.errors.values() for e in errors), "")
                self.add_error(None, f"{self.item_label} {number}: {error}")
        if len(self.items) < self.min_items:
            self.add_error(None, self.empty_error)
        if len(self.items) > self.max_items:
            self.add_error(None, f"You can add up to {self.max_items} entries")
        if not self._errors:
            self.cleaned_data = {"items": [self.bind_item(item).values() for item in self.items]}

    def bind_item(self, item: dict) -> PageForm:
        unbound = self.item_form(context=self.context, answers=self.answers)
        form = self.item_form(to_form_data(unbound, item), context=self.context, answers=self.answers)
        form.is_valid()
        return form

    def values(self) -> dict:
        return {"items": self.cleaned_data["items"]}

    def entries(self) -> list[tuple[int, list[tuple[str, str, str]]]]:
        """(index, rows) for each stored entry, to show on the page with a remove button."""
        display = self.item_form(context=self.context, answers=self.answers)
        return [(index, display.summary_rows(item)) for index, item in enumerate(self.items)]

    def summary_rows(self, values: dict) -> list[tuple[str, str, str]]:
        items = values.get("items") or []
        if not items:
            return [("items", self.list_label, "None added")]
        display = self.item_form(context=self.context, answers=self.answers)
        return [
            (
                "items",
                f"{self.item_label} {number}",
                "\n".join(f"{question}: {answer}" for _, question, answer in display.summary_rows(item)),
            )
            for number, item in enumerate(items, start=1)
        ]


def yes_no_with_detail(question: str, error: str, detail_label: str, detail_error: str, *, dont_know=False):
    """A page form: a yes or no question with details required behind 'yes' (every tier's forms ask these)."""

    class Form(PageForm):
        heading_field = "answer"
        answer = yes_no(question, error=error, dont_know=dont_know)
        detail = textarea(detail_label, error=detail_error)
        conditional_fields = {"answer": {"yes": ("detail",)}}

    return Form
