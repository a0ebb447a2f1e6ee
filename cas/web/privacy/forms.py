from django import forms

from cas.core.errors import DomainError
from cas.privacy.export import normalise_identifier


class SubjectAccessForm(forms.Form):
    identifier = forms.CharField(
        label="CRN or prison number",
        help_text="For example, X320741 or A1234BC",
        max_length=20,
        error_messages={"required": "Enter a CRN like X320741 or a prison number like A1234BC"},
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[
            ("html", "A readable document (HTML), to send to the person"),
            ("json", "Data (JSON), for another system"),
        ],
        initial="html",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the format", "invalid_choice": "Select the format"},
    )

    def clean_identifier(self):
        try:
            return normalise_identifier(self.cleaned_data["identifier"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
