"""Forms for the placement pages. They check what a person typed; the rules live in the services."""

from django import forms

from cas.core.concurrency import VersionField
from cas.core.dates import long_date
from cas.core.forms import GovukDateField, ModelMultipleChoiceField
from cas.core.permissions import has_national_scope
from cas.placements.models import Incident
from cas.placements.search import MAX_PDUS, Occupancy, SexNeed, SexualRisk
from cas.placements.services import OverstayDecision
from cas.premises.models import Premises
from cas.reference.models import (
    CancellationReason,
    DepartureReason,
    DestinationProvider,
    LocalAuthorityArea,
    MoveOnCategory,
    NonArrivalReason,
    ProbationDeliveryUnit,
)
from cas.referrals.cas3.tier import MAX_NIGHTS
from cas.web.estate.forms import models_active_or

OCCUPANCY_CHOICES = [
    (Occupancy.ALL, "All"),
    (Occupancy.SHARED, "Shared property"),
    (Occupancy.SINGLE, "Single occupancy"),
]
SEX_CHOICES = [(SexNeed.NONE, "None"), (SexNeed.MEN, "Men only"), (SexNeed.WOMEN, "Women only")]
SEXUAL_RISK_CHOICES = [(SexualRisk.ADULTS, "Risk to adults"), (SexualRisk.CHILDREN, "Risk to children")]
ACCESS_CHOICES = [("wheelchair", "Wheelchair accessible"), ("step_free", "Step-free or ground floor access")]
YES_NO = [("yes", "Yes"), ("no", "No")]


class SearchForm(forms.Form):
    start_date = GovukDateField(
        label="Available from", label_for_errors="date the bedspace is needed from", help_text="For example, 27 3 2027"
    )
    nights = forms.IntegerField(
        label="Number of nights required",
        min_value=1,
        max_value=MAX_NIGHTS,
        initial=MAX_NIGHTS,
        help_text=f"Up to {MAX_NIGHTS} nights",
        error_messages={
            "required": "Enter the number of nights required",
            "invalid": "Enter the number of nights as a whole number, like 84",
            "min_value": "Enter 1 night or more",
            "max_value": f"Enter {MAX_NIGHTS} nights or fewer",
        },
        widget=forms.NumberInput,
    )
    pdus = ModelMultipleChoiceField(
        label="Probation delivery units (PDUs)",
        help_text="Select at least one",
        queryset=ProbationDeliveryUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one PDU", "invalid_choice": "Select PDUs from the list"},
    )
    occupancy = forms.ChoiceField(
        label="Occupancy", choices=OCCUPANCY_CHOICES, widget=forms.RadioSelect, required=False, initial="all"
    )
    sex = forms.ChoiceField(
        label="Sex-specific accommodation needs",
        help_text="Men only also leaves out properties where a woman is booked during the stay, and women only "
        "leaves out properties where a man is.",
        choices=SEX_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        initial="none",
    )
    sexual_risk = forms.MultipleChoiceField(
        label="Suitable for a person who poses a sexual risk (optional)",
        choices=SEXUAL_RISK_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    arson = forms.BooleanField(label="Suitable for a person with an arson history", required=False)
    access = forms.MultipleChoiceField(
        label="Accessibility (optional)", choices=ACCESS_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    avoid = ModelMultipleChoiceField(
        label="Local authorities to avoid (optional)",
        help_text="For example, exclusion zones. Only local authorities with properties are listed.",
        queryset=LocalAuthorityArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select local authorities from the list"},
    )
    referral = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        pdus = ProbationDeliveryUnit.objects.active().select_related("region")
        premises = Premises.objects.filter(service="cas3")
        # A user of one region may leave the PDUs unticked to search the whole region; national users
        # choose PDUs (in any region).
        self.region = None
        if not has_national_scope(user):
            pdus = pdus.filter(region_id=user.region_id)
            premises = premises.filter(region_id=user.region_id)
            self.region = user.region
            self.fields["pdus"].required = False
            self.fields["pdus"].label = "Probation delivery units (PDUs) (optional)"
            self.fields["pdus"].help_text = (
                f"Leave them all unticked to search every PDU in {user.region.name}" if user.region else ""
            )
        else:
            self.fields["pdus"].label_from_instance = lambda unit: f"{unit.name} ({unit.region.name})"
        self.fields["pdus"].queryset = pdus.order_by("region__name", "name")
        self.fields["avoid"].queryset = LocalAuthorityArea.objects.filter(
            pk__in=premises.exclude(local_authority__isnull=True).values("local_authority")
        ).order_by("name")

    def clean_pdus(self):
        pdus = self.cleaned_data["pdus"]
        if len(pdus) > MAX_PDUS:
            raise forms.ValidationError(f"Select up to {MAX_PDUS} PDUs")
        return pdus

    # The needs and filters, after the Search button (the dates and the PDUs come first).
    FILTERS = ("occupancy", "sex", "sexual_risk", "arson", "access", "avoid")

    def chosen_filters(self) -> list[str]:
        """The filters in force, in words, for the summary of the search (a valid form only)."""
        data = self.cleaned_data
        chosen = []
        labels = {
            "occupancy": dict(OCCUPANCY_CHOICES),
            "sex": dict(SEX_CHOICES),
            "sexual_risk": dict(SEXUAL_RISK_CHOICES),
            "access": dict(ACCESS_CHOICES),
        }
        if data.get("occupancy") not in (None, "", Occupancy.ALL):
            chosen.append(labels["occupancy"][Occupancy(data["occupancy"])])
        if data.get("sex") not in (None, "", SexNeed.NONE):
            chosen.append(labels["sex"][SexNeed(data["sex"])])
        for risk in data.get("sexual_risk") or ():
            chosen.append(f"Suitable for a person who poses a sexual {labels['sexual_risk'][SexualRisk(risk)].lower()}")
        if data.get("arson"):
            chosen.append("Suitable for an arson history")
        for need in data.get("access") or ():
            chosen.append(labels["access"][need])
        avoid = data.get("avoid") or ()
        if avoid:
            chosen.append("Not in " + ", ".join(la.name for la in avoid))
        return chosen


class AvailabilityForm(forms.Form):
    start_date = GovukDateField(
        label="Arrival date", label_for_errors="arrival date", help_text="For example, 27 3 2027"
    )
    nights = forms.IntegerField(
        label="Number of nights",
        min_value=1,
        max_value=MAX_NIGHTS,
        initial=MAX_NIGHTS,
        error_messages={
            "required": "Enter the number of nights",
            "invalid": "Enter the number of nights as a whole number, like 84",
            "min_value": "Enter 1 night or more",
            "max_value": f"Enter {MAX_NIGHTS} nights or fewer",
        },
        widget=forms.NumberInput,
    )


class BookingForm(forms.Form):
    crn = forms.CharField(
        label="CRN",
        max_length=20,
        help_text="Enter the CRN for the person you are booking the bedspace for, for example X123456",
        error_messages={"required": "Enter the CRN of the person you are booking the bedspace for"},
    )
    arrival_date = GovukDateField(
        label="Arrival date", label_for_errors="arrival date", help_text="For example, 27 3 2027"
    )
    departure_date = GovukDateField(
        label="Expected departure date",
        label_for_errors="departure date",
        help_text=f"Within {MAX_NIGHTS} nights of the arrival date",
    )


def referral_label(referral) -> str:
    label = f"Referral {referral.reference}, ready to place"
    if referral.accommodation_required_from:
        label += f", accommodation needed from {long_date(referral.accommodation_required_from)}"
    return label


class BookingConfirmForm(forms.Form):
    link_referral = forms.ChoiceField(
        label="Which referral is this booking for?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a referral, or book without linking a referral"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        help_text="Shown on the booking and its history",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Asked only when the referral says the person is not suitable to share and the property is shared.
    sharing_acknowledged = forms.BooleanField(
        label="I have considered this and want to book this shared property", required=False
    )

    def __init__(self, *args, referrals=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(r.pk), referral_label(r)) for r in referrals]
        choices.append(("none", "Book this bedspace without linking a referral"))
        self.fields["link_referral"].choices = choices


class NotesForm(forms.Form):
    version = VersionField()
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OverstayFields(forms.Form):
    """Asked only when the new departure date takes the stay past 84 nights."""

    overstay_asked = forms.BooleanField(widget=forms.HiddenInput, required=False)
    overstay_authorised = forms.ChoiceField(
        label="Is the overstay authorised?",
        choices=[("yes", "Yes, authorised"), ("no", "No, unauthorised")],
        widget=forms.RadioSelect,
        required=False,
    )
    overstay_reason = forms.CharField(
        label="Reason (optional)", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("overstay_asked") and not data.get("overstay_authorised"):
            self.add_error("overstay_authorised", "Select whether the overstay is authorised")
        return data

    def decision(self):
        choice = self.cleaned_data.get("overstay_authorised")
        if not choice:
            return None
        return OverstayDecision(choice == "yes", self.cleaned_data.get("overstay_reason", ""))


class ArrivalForm(OverstayFields, NotesForm):
    arrival_date = GovukDateField(
        label="Arrival date", label_for_errors="arrival date", help_text="Today or up to 14 days ago"
    )
    expected_departure_date = GovukDateField(
        label="Expected departure date", label_for_errors="expected departure date", help_text="For example, 27 3 2027"
    )
    field_order = [
        "arrival_date",
        "expected_departure_date",
        "overstay_asked",
        "overstay_authorised",
        "overstay_reason",
        "notes",
        "version",
    ]


class ArrivalDateForm(NotesForm):
    arrival_date = GovukDateField(
        label="New arrival date", label_for_errors="arrival date", help_text="Today or up to 14 days ago"
    )
    field_order = ["arrival_date", "notes", "version"]

    def __init__(self, *args, expected: bool = False, **kwargs):
        """`expected`: the person has not arrived yet, so the date they are expected moves."""
        super().__init__(*args, **kwargs)
        if expected:
            self.fields["arrival_date"].help_text = "Today or later, for example 27 3 2027"


class DepartureDateForm(OverstayFields, NotesForm):
    departure_date = GovukDateField(
        label="New departure date", label_for_errors="departure date", help_text="For example, 27 3 2027"
    )
    field_order = ["departure_date", "overstay_asked", "overstay_authorised", "overstay_reason", "notes", "version"]


class DepartureForm(OverstayFields, NotesForm):
    departure_date = GovukDateField(
        label="Departure date", label_for_errors="departure date", help_text="Today or in the past"
    )
    reason = forms.ModelChoiceField(
        label="Departure reason",
        queryset=DepartureReason.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a departure reason",
            "invalid_choice": "Select a departure reason from the list",
        },
    )
    move_on_category = forms.ModelChoiceField(
        label="Move-on category",
        help_text="Where the person went next. This is counted in the official statistics.",
        queryset=MoveOnCategory.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a move-on category",
            "invalid_choice": "Select a move-on category from the list",
        },
    )
    destination_provider = forms.ModelChoiceField(
        label="Destination provider (optional)",
        queryset=DestinationProvider.objects.none(),
        required=False,
        empty_label="Not known",
        error_messages={"invalid_choice": "Select a destination provider from the list"},
    )
    field_order = [
        "departure_date",
        "reason",
        "move_on_category",
        "destination_provider",
        "overstay_asked",
        "overstay_authorised",
        "overstay_reason",
        "notes",
        "version",
    ]

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        keep = current or {}
        self.fields["reason"].queryset = DepartureReason.objects.for_service("cas3").filter(
            models_active_or([keep.get("reason")] if keep.get("reason") else [])
        )
        self.fields["move_on_category"].queryset = MoveOnCategory.objects.for_service("cas3").filter(
            models_active_or([keep.get("move_on_category")] if keep.get("move_on_category") else [])
        )
        self.fields["destination_provider"].queryset = DestinationProvider.objects.filter(
            models_active_or([keep.get("destination_provider")] if keep.get("destination_provider") else [])
        )


class CancelForm(NotesForm):
    cancelled_on = GovukDateField(
        label="When was this booking cancelled?",
        label_for_errors="cancellation date",
        help_text="For example, 27 3 2027",
    )
    reason = forms.ModelChoiceField(
        label="Cancellation reason",
        queryset=CancellationReason.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a cancellation reason",
            "invalid_choice": "Select a cancellation reason from the list",
        },
    )
    field_order = ["cancelled_on", "reason", "notes", "version"]

    def __init__(self, *args, current_reason_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = CancellationReason.objects.for_service("cas3").filter(
            models_active_or([current_reason_id] if current_reason_id else [])
        )


class NonArrivalForm(NotesForm):
    expected_on = GovukDateField(
        label="When was the person expected?", label_for_errors="date", help_text="For example, 27 3 2027"
    )
    reason = forms.ModelChoiceField(
        label="Why did the person not arrive?",
        queryset=NonArrivalReason.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select why the person did not arrive",
            "invalid_choice": "Select a reason from the list",
        },
    )
    field_order = ["expected_on", "reason", "notes", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = NonArrivalReason.objects.for_service("cas3").active()


class TurnaroundForm(NotesForm):
    working_days = forms.IntegerField(
        label="Turnaround time in working days",
        min_value=0,
        max_value=365,
        help_text="Weekends and bank holidays are not counted. Enter 0 if the bedspace can be used again on the "
        "day the person leaves.",
        error_messages={
            "required": "Enter the turnaround in working days",
            "invalid": "Enter the turnaround as a whole number of working days, like 2",
            "min_value": "Enter the turnaround as a whole number of working days, 0 or more",
            "max_value": "The turnaround must be 365 working days or fewer",
        },
        widget=forms.NumberInput,
    )
    field_order = ["working_days", "notes", "version"]


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of incident was it?",
        choices=Incident.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of incident"},
    )
    occurred_on = GovukDateField(label="Date of the incident", label_for_errors="date of the incident")
    details = forms.CharField(
        label="What happened?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what happened"},
    )


class BookingSearchForm(forms.Form):
    q = forms.CharField(label="Search by CRN, name, property or postcode", required=False, max_length=100)
