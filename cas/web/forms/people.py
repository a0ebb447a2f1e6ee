import re

from django import forms

CRN_PATTERN = re.compile(r"^[A-Z][0-9]{6}$")


class PersonSearchForm(forms.Form):
    crn = forms.CharField(
        label="CRN",
        max_length=20,
        help_text="Case reference number, for example X320741",
        error_messages={"required": "Enter a CRN"},
    )

    def clean_crn(self):
        value = self.cleaned_data["crn"].strip().upper().replace(" ", "")
        if not CRN_PATTERN.match(value):
            raise forms.ValidationError("Enter a CRN in the correct format, one letter then six numbers, like X320741")
        return value
