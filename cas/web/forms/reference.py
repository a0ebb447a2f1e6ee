from django import forms

from cas.core.concurrency import VersionField
from cas.core.tiers import Service


class ReferenceEntryForm(forms.Form):
    version = VersionField()
    name = forms.CharField(label="Label", max_length=200, error_messages={"required": "Enter a label"})
    services = forms.MultipleChoiceField(
        label="Services it applies to",
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one service"},
    )
    is_active = forms.TypedChoiceField(
        label="Can people choose it?",
        choices=[("yes", "Yes, active"), ("no", "No, inactive")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the entry is active"},
    )
    sort_order = forms.IntegerField(
        label="Position in lists",
        min_value=0,
        max_value=10000,
        help_text="Lower numbers come first; entries with the same number are in alphabetical order",
        error_messages={
            "required": "Enter a position",
            "invalid": "Position must be a whole number",
            "min_value": "Position must be 0 or more",
            "max_value": "Position must be 10000 or less",
        },
    )
