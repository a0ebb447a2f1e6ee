"""Forms for the provider's pages. They check what a person typed; the rules are in
`cas.referrals.cas2.assessment` and the queue's in `cas.referrals.cas2.queries`."""

from django import forms

from cas.core.concurrency import VersionField
from cas.reference.models import ProbationRegion
from cas.referrals import timeline
from cas.referrals.cas2 import assessment, queries
from cas.referrals.models import ReferralCohort, ReferralRoute


class QueueFilterForm(forms.Form):
    q = forms.CharField(label="Search by name, CRN or prison number", required=False, max_length=100)
    route = forms.ChoiceField(label="Route", required=False)
    cohort = forms.ChoiceField(label="Cohort", required=False)
    region = forms.ChoiceField(label="Probation region", required=False)
    sex = forms.ChoiceField(label="Sex", required=False, choices=[("", "Any"), *((s, s) for s in queries.SEXES)])
    status = forms.ChoiceField(label="Status", required=False)

    def __init__(self, *args, tab: str, **kwargs):
        super().__init__(*args, **kwargs)
        routes = ReferralRoute.objects.filter(service="cas2").order_by("sort_order")
        self.fields["route"].choices = [("", "All routes"), *((r.code, r.name) for r in routes)]
        cohorts = ReferralCohort.objects.filter(route__service="cas2").order_by("sort_order")
        self.fields["cohort"].choices = [("", "All cohorts"), *((c.code, c.name) for c in cohorts)]
        regions = ProbationRegion.objects.active().exclude(delius_code=ProbationRegion.NATIONAL_CODE).order_by("name")
        self.fields["region"].choices = [("", "All regions"), *((r.delius_code, r.name) for r in regions)]
        statuses = queries.TABS[tab]
        if len(statuses) > 1:
            self.fields["status"].choices = [("", "Any status"), *((s, queries.status_label(s)) for s in statuses)]
        else:
            del self.fields["status"]

    def filters(self) -> queries.Filters:
        if not self.is_valid():
            return queries.Filters()
        data = self.cleaned_data
        return queries.Filters(**{name: data.get(name) or "" for name in queries.Filters.__dataclass_fields__})


class AssessmentDetailsForm(forms.Form):
    version = VersionField()
    assessor_name = forms.CharField(
        label="Assessor’s name",
        required=False,
        max_length=assessment.ASSESSOR_NAME_MAX_LENGTH,
        error_messages={
            "max_length": f"The assessor’s name must be {assessment.ASSESSOR_NAME_MAX_LENGTH} characters or fewer"
        },
    )
    provider_reference = forms.CharField(
        label="Your reference",
        required=False,
        max_length=assessment.PROVIDER_REFERENCE_MAX_LENGTH,
        help_text="The reference your own case system gives this application",
        error_messages={
            "max_length": f"The reference must be {assessment.PROVIDER_REFERENCE_MAX_LENGTH} characters or fewer"
        },
    )


class StatusForm(forms.Form):
    version = VersionField()
    status = forms.ChoiceField(
        label="What is the latest status?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the latest status", "invalid_choice": "Select the latest status"},
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(code, label) for code, label, _ in options]


class StatusDetailsForm(forms.Form):
    version = VersionField()
    details = forms.MultipleChoiceField(
        label="Details",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select details from the list"},
    )
    text = forms.CharField(
        label="Anything else the referrer should know (optional)",
        required=False,
        max_length=assessment.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The referrer sees this on the application and in the email we send them.",
        error_messages={"max_length": f"The details must be {assessment.TEXT_MAX_LENGTH} characters or fewer"},
    )

    def __init__(self, *args, choices, required: bool, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["details"]
        field.choices = list(choices)
        field.label = label
        field.required = required
        field.error_messages["required"] = "Select at least one"
        if not choices:
            del self.fields["details"]


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note for the referrer",
        max_length=timeline.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="They see it on the application and we email it to them.",
        error_messages={
            "required": "Enter a note",
            "max_length": f"The note must be {timeline.NOTE_MAX_LENGTH} characters or fewer",
        },
    )
