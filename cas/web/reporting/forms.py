from django import forms


class PlacementImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Placements recorded outside the service, with the header row described below",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV")
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError("The selected file must be smaller than 50 MB")
        return upload


class ReleaseForm(forms.Form):
    name = forms.CharField(
        label="Release name",
        max_length=100,
        help_text="For example, CAS3 statistics to 31 March 2026",
        error_messages={"required": "Enter a name for the release"},
    )
