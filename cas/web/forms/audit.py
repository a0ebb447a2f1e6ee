from django import forms

from cas.core.forms import GovukDateField
from cas.core.models import AuditEvent


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label="Username of the person who acted", required=False, max_length=150)
    crn = forms.CharField(label="CRN of the person concerned", required=False, max_length=7)
    kind = forms.ChoiceField(label="Type", choices=[("", "All types"), *AuditEvent.Kind.choices], required=False)
    action = forms.CharField(
        label="Action contains",
        required=False,
        max_length=80,
        help_text="For example, booking. for every booking action, or booking.cancelled",
    )
    date_from = GovukDateField(label="From", required=False, label_for_errors="start date")
    date_to = GovukDateField(label="To", required=False, label_for_errors="end date")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data
