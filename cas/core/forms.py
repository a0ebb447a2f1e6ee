"""Form fields shared by every screen and the form engine: the GOV.UK date pattern, and a choice
of several records that refuses ids no database column can hold."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections


class GovukDateWidget(forms.MultiWidget):
    """Three inputs named <name>-day, <name>-month, <name>-year, as the GOV.UK date pattern."""

    template_name = "django/forms/widgets/multiwidget.html"

    def __init__(self, attrs=None):
        widgets = {"day": forms.TextInput(), "month": forms.TextInput(), "year": forms.TextInput()}
        super().__init__(widgets, attrs)
        self.widgets_names = ["-day", "-month", "-year"]

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget
    default_error_messages = {
        "required": "Enter a date",
        "incomplete": "Enter a complete date",
        "invalid": "Enter a real date",
    }

    def __init__(self, *, label_for_errors: str = "date", **kwargs):
        self.label_for_errors = label_for_errors
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields=fields, **kwargs)
        what = label_for_errors
        self.error_messages = {
            "required": f"Enter the {what}",
            "incomplete": f"The {what} must include a day, month and year",
            "invalid": f"The {what} must be a real date",
        }

    def clean(self, value):
        parts = [(p or "").strip() for p in (value or ["", "", ""])]
        if not any(parts):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if not all(parts):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        # At most 4 digits a part: a longer number is never a real date, and one too large for a C
        # long made dt.date raise OverflowError (a server error on every form with a date).
        if any(len(p) > 4 for p in parts):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1000:
                raise ValueError
            return dt.date(year, month, day)
        except (ValueError, OverflowError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def compress(self, data_list):  # pragma: no cover - clean() is overridden
        return data_list


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with an integer key outside its column's range refused as a choice not in the list
    before any query: SQLite cannot bind an integer beyond 64 bits, and the `__in` query Django runs
    for the chosen values raised OverflowError (a huge PDU id in the bedspace search was a server
    error). PostgreSQL answered "not found" already; now both do."""

    def _check_values(self, value):
        model = self.queryset.model
        field = model._meta.pk if (self.to_field_name or "pk") == "pk" else model._meta.get_field(self.to_field_name)
        bounds = connections[self.queryset.db].ops.integer_field_ranges.get(field.get_internal_type())
        if bounds is not None:
            low, high = bounds
            for item in value or ():
                try:
                    number = int(str(item).strip())
                except ValueError:
                    continue  # not a number at all: Django's own check refuses it
                if not low <= number <= high:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
        return super()._check_values(value)
