from django import forms

from cas.core.errors import DomainError
from cas.core.forms import GovukDateField
from cas.reference.models import ProbationRegion
from cas.reporting import dashboard
from cas.reporting.mi import reports_for
from cas.reporting.models import ReportRun
from cas.reporting.placement_import import MAX_BYTES as IMPORT_MAX_BYTES


class PlacementImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV or XLSX file",
        help_text="Placements recorded outside the service, with the header row described below",
        error_messages={"required": "Select a CSV or XLSX file", "empty": "The selected file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or XLSX file")
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {IMPORT_MAX_BYTES // (1024 * 1024)} MB"
            )
        return upload


class ReleaseForm(forms.Form):
    name = forms.CharField(
        label="Release name",
        max_length=100,
        help_text="For example, CAS3 statistics to 31 March 2026",
        error_messages={"required": "Enter a name for the release"},
    )


class ReportRequestForm(forms.Form):
    report = forms.ChoiceField(label="Report", widget=forms.RadioSelect, error_messages={"required": "Select a report"})
    start_date = GovukDateField(label="From", label_for_errors="start date")
    end_date = GovukDateField(label="To", label_for_errors="end date")
    region = forms.ModelChoiceField(
        label="Probation region",
        queryset=ProbationRegion.objects.exclude(delius_code="NA"),
        required=False,
        empty_label="All regions",
    )
    file_format = forms.ChoiceField(
        label="Format",
        choices=ReportRun.Format.choices,
        widget=forms.RadioSelect,
        initial="xlsx",
        error_messages={"required": "Select XLSX or CSV"},
    )

    def __init__(self, *args, user, national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the reports of the tiers the user runs reports in.
        self.fields["report"].choices = [(r.key, r.title) for r in reports_for(user)]
        if not national:
            del self.fields["region"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        return data


class DashboardForm(forms.Form):
    start_date = GovukDateField(label="From", label_for_errors="start date")
    end_date = GovukDateField(label="To", label_for_errors="end date")
    region = forms.ModelChoiceField(
        label="Probation region",
        queryset=ProbationRegion.objects.exclude(delius_code="NA"),
        required=False,
        empty_label="All regions",
        error_messages={"invalid_choice": "Select a probation region from the list"},
    )

    def __init__(self, *args, national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not national:
            del self.fields["region"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            try:
                dashboard.check_period(start, end)
            except DomainError as exc:
                self.add_error(exc.field, exc.message)
        return data
