"""Forms for the estate pages. They check what a person typed; the rules live in the services."""

from django import forms
from django.db.models import Q

from cas.core.concurrency import VersionField
from cas.core.forms import GovukDateField, ModelMultipleChoiceField
from cas.core.permissions import has_national_scope
from cas.premises import imports
from cas.premises.models import VoidPeriod
from cas.reference.models import (
    Characteristic,
    LocalAuthorityArea,
    ProbationDeliveryUnit,
    ProbationRegion,
    VoidReason,
)

GROUP_CHOICES = [("pdu", "PDU"), ("local_authority", "Local authority")]


class PremisesSearchForm(forms.Form):
    q = forms.CharField(label="Search by reference, address or postcode", required=False, max_length=200)
    group = forms.ChoiceField(label="Group by", choices=GROUP_CHOICES, required=False)


def regions_for(user):
    regions = ProbationRegion.objects.active().exclude(delius_code=ProbationRegion.NATIONAL_CODE)
    if has_national_scope(user):
        return regions
    return regions.filter(pk=user.region_id)


def _characteristics(scope: str, current=()):
    current_ids = [c.pk for c in current]
    return (
        Characteristic.objects.for_service("cas3")
        .filter(model_scope=scope)
        .filter(models_active_or(current_ids))
        .order_by("name")
    )


def models_active_or(ids):
    """Active entries, plus any already chosen (so editing keeps a since-retired choice)."""
    return Q(is_active=True) | Q(pk__in=ids)


class PremisesForm(forms.Form):
    version = VersionField()
    reference = forms.CharField(
        label="Property reference",
        max_length=100,
        help_text="How your team refers to the property, for example its address. It must be unique in its PDU.",
        error_messages={"required": "Enter a property reference"},
    )
    address_line1 = forms.CharField(
        label="Address line 1", max_length=200, error_messages={"required": "Enter the first line of the address"}
    )
    address_line2 = forms.CharField(label="Address line 2 (optional)", max_length=200, required=False)
    town = forms.CharField(label="Town or city (optional)", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, error_messages={"required": "Enter a postcode"})
    local_authority = forms.ModelChoiceField(
        label="Local authority (optional)",
        queryset=LocalAuthorityArea.objects.active().order_by("name"),
        required=False,
        empty_label="Not known",
        error_messages={"invalid_choice": "Select a local authority from the list"},
    )
    region = forms.ModelChoiceField(
        label="Probation region",
        queryset=ProbationRegion.objects.none(),
        empty_label="Select a region",
        error_messages={"required": "Select a probation region", "invalid_choice": "Select a region you manage"},
    )
    pdu = forms.ModelChoiceField(
        label="Probation delivery unit (PDU)",
        queryset=ProbationDeliveryUnit.objects.none(),
        empty_label="Select a PDU",
        error_messages={"required": "Select a PDU", "invalid_choice": "Select a PDU from the list"},
    )
    characteristics = ModelMultipleChoiceField(
        label="Property characteristics (optional)",
        queryset=Characteristic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose property characteristics from the list"},
    )
    turnaround_working_days = forms.IntegerField(
        label="Turnaround time in working days",
        min_value=0,
        max_value=365,
        initial=2,
        help_text="The working days needed to get a bedspace ready for the next person. Weekends and bank "
        "holidays are not counted. Enter 0 if a bedspace can be used again on the day someone leaves.",
        error_messages={
            "required": "Enter the turnaround time in working days",
            "invalid": "Enter the turnaround as a whole number of working days, like 2",
            "min_value": "Enter the turnaround as a whole number of working days, 0 or more",
            "max_value": "The turnaround must be 365 working days or fewer",
        },
        widget=forms.NumberInput,
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything that helps find a suitable bedspace in this property.",
    )

    def __init__(self, *args, user=None, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        regions = regions_for(user)
        if editing is not None:
            regions = regions | ProbationRegion.objects.filter(pk=editing.region_id)
        self.fields["region"].queryset = regions.order_by("name")
        pdus = ProbationDeliveryUnit.objects.filter(region__in=regions).select_related("region")
        current_pdu = [editing.pdu_id] if editing is not None else []
        self.fields["pdu"].queryset = pdus.filter(models_active_or(current_pdu)).order_by("region__name", "name")
        if regions.count() > 1:
            self.fields["pdu"].label_from_instance = lambda unit: f"{unit.name} ({unit.region.name})"
        current = list(editing.characteristics.all()) if editing is not None else []
        self.fields["characteristics"].queryset = _characteristics(Characteristic.Scope.PREMISES, current)
        # The property's local authority is one in its region (a property already recorded elsewhere
        # keeps its authority until it is changed).
        self.current_local_authority = editing.local_authority_id if editing is not None else None
        self.fields["local_authority"].queryset = (
            LocalAuthorityArea.objects.active()
            .filter(Q(probation_region__in=regions) | Q(pk=self.current_local_authority))
            .select_related("probation_region")
            .order_by("name")
        )
        if regions.count() == 1:
            self.fields["local_authority"].error_messages["invalid_choice"] = (
                f"Select a local authority in {regions.get().name}, or select Not known"
            )
        else:
            self.fields["local_authority"].label_from_instance = lambda area: (
                f"{area.name} ({area.probation_region.name})" if area.probation_region_id else area.name
            )

    def clean(self):
        data = super().clean()
        region, pdu = data.get("region"), data.get("pdu")
        if region and pdu and pdu.region_id != region.pk:
            self.add_error("pdu", f"Select a PDU in {region.name}")
        area = data.get("local_authority")
        if region and area and area.probation_region_id != region.pk and area.pk != self.current_local_authority:
            self.add_error("local_authority", f"Select a local authority in {region.name}, or select Not known")
        return data


class BedspaceForm(forms.Form):
    version = VersionField()
    reference = forms.CharField(
        label="Bedspace reference",
        max_length=100,
        help_text="At least 3 characters, for example Room 1. It must be unique in this property.",
        error_messages={"required": "Enter a bedspace reference"},
    )
    start_date = GovukDateField(
        label="When does the bedspace come into service?",
        label_for_errors="start date",
        help_text="Up to 7 days before or after today, for example 27 3 2027",
    )
    characteristics = ModelMultipleChoiceField(
        label="Bedspace characteristics (optional)",
        queryset=Characteristic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose bedspace characteristics from the list"},
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, editing=None, can_change_start=True, **kwargs):
        super().__init__(*args, **kwargs)
        current = list(editing.characteristics.all()) if editing is not None else []
        self.fields["characteristics"].queryset = _characteristics(Characteristic.Scope.BEDSPACE, current)
        if not can_change_start:
            del self.fields["start_date"]


class DateForm(forms.Form):
    """One date: when to archive, or when to bring back online, with the version of the property or
    bedspace the page was drawn from."""

    version = VersionField()
    date = GovukDateField(label="Date", label_for_errors="date")

    def __init__(self, *args, label: str, hint: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].label = label
        self.fields["date"].help_text = hint


class VoidForm(forms.Form):
    version = VersionField()
    start_date = GovukDateField(label="Start date", label_for_errors="start date", help_text="For example, 27 3 2027")
    end_date = GovukDateField(
        label="Expected end date",
        label_for_errors="end date",
        help_text="The last day the bedspace is out of service, for example 3 4 2027",
    )
    reason = forms.ModelChoiceField(
        label="Reason",
        queryset=VoidReason.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select a reason", "invalid_choice": "Select a reason from the list"},
    )
    reference_number = forms.CharField(
        label="Reference number (optional)",
        max_length=100,
        required=False,
        help_text="For example, the repair job number",
    )
    cost_borne_by = forms.ChoiceField(
        label="Who pays for the void period?",
        choices=VoidPeriod.CostBorneBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who pays for the void period"},
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, current_reason_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = (
            VoidReason.objects.for_service("cas3")
            .filter(models_active_or([current_reason_id] if current_reason_id else []))
            .order_by("sort_order", "name")
        )


class VoidCancelForm(forms.Form):
    version = VersionField()
    notes = forms.CharField(
        label="Why is the void period cancelled?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the void period is cancelled"},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        error_messages={"required": "Select a CSV or XLSX file", "empty": "The selected file is empty"},
    )
    dry_run = forms.BooleanField(label="Only check the file, do not import it", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or XLSX file")
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {imports.MAX_BYTES // (1024 * 1024)}MB"
            )
        return upload


PERIOD_CHOICES = [("month", "Month"), ("quarter", "Quarter")]
MONTH_CHOICES = [
    (str(i), name)
    for i, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
]


class CalendarForm(forms.Form):
    period = forms.ChoiceField(label="Show", choices=PERIOD_CHOICES, required=False)
    month = forms.TypedChoiceField(label="Month", choices=MONTH_CHOICES, coerce=int, required=False)
    year = forms.IntegerField(
        label="Year",
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={
            "invalid": "Enter a year, like 2027",
            "min_value": "Enter a year after 2000",
            "max_value": "Enter a year before 2100",
        },
        widget=forms.NumberInput,
    )
