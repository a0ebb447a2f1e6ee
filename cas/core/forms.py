"""Form fields shared by every screen and the form engine: the GOV.UK date pattern."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError


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
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1000:
                raise ValueError
            return dt.date(year, month, day)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def compress(self, data_list):  # pragma: no cover - clean() is overridden
        return data_list
