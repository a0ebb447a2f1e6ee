"""Forms for the HPT's review pages. They check what a person typed; the rules live in
`cas.referrals.cas3.review`."""

from django import forms

from cas.core.concurrency import VersionField
from cas.core.forms import GovukDateField
from cas.core.permissions import has_national_scope
from cas.reference.models import ProbationRegion
from cas.referrals import timeline
from cas.referrals.cas3 import review

YES_NO = [("yes", "Yes"), ("no", "No")]


class QueueSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or CRN", required=False, max_length=100)
    region = forms.ChoiceField(label="Region", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if has_national_scope(user):
            regions = ProbationRegion.objects.active().exclude(delius_code=ProbationRegion.NATIONAL_CODE)
            self.fields["region"].choices = [("", "All regions"), *((r.delius_code, r.name) for r in regions)]
        else:
            del self.fields["region"]


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you rejecting this referral?",
        error_messages={
            "required": "Select why you are rejecting this referral",
            "invalid_choice": "Select why you are rejecting this referral",
        },
    )
    details = forms.CharField(
        label="Details (optional)",
        required=False,
        max_length=review.DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The probation practitioner will see these details and receive them by email.",
        error_messages={"max_length": f"Details must be {review.DETAILS_MAX_LENGTH} characters or fewer"},
    )
    withdrawal_requested = forms.TypedChoiceField(
        label="Did the probation practitioner ask for the referral to be withdrawn?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the probation practitioner asked for the referral to be withdrawn"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [
            ("", "Choose a reason"),
            *((str(r.pk), r.name) for r in review.active_rejection_reasons()),
        ]


class AllocateForm(forms.Form):
    assessor = forms.ChoiceField(
        label="Who should review this referral?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who should review this referral",
            "invalid_choice": "Select an assessor from the list",
        },
    )

    def __init__(self, *args, assessors, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].choices = [
            (str(a.pk), f"{timeline.author_name(a)} (you)" if a.pk == user.pk else timeline.author_name(a))
            for a in assessors
        ]


class DatesForm(forms.Form):
    version = VersionField()
    release_date = GovukDateField(
        label="Release date", label_for_errors="release date", help_text="For example, 27 3 2026"
    )
    accommodation_required_from = GovukDateField(
        label="Accommodation required from",
        label_for_errors="date accommodation is required from",
        help_text="The same as or after the release date",
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note",
        max_length=timeline.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter a note",
            "max_length": f"The note must be {timeline.NOTE_MAX_LENGTH} characters or fewer",
        },
    )
    to_referrer = forms.TypedChoiceField(
        label="Who is the note for?",
        choices=[
            ("no", "The HPT only"),
            ("yes", "The probation practitioner: they see it on the referral and we email it to them"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the note is for"},
    )


class ReferrerNoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note for the HPT",
        max_length=timeline.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Answer a question from the HPT or tell them about a change. We email it to them.",
        error_messages={
            "required": "Enter a note",
            "max_length": f"The note must be {timeline.NOTE_MAX_LENGTH} characters or fewer",
        },
    )


class ServiceLevelForm(forms.Form):
    version = VersionField()
    working_days = forms.IntegerField(
        label="Working days to review a referral",
        min_value=1,
        max_value=30,
        help_text="Weekends and bank holidays in England and Wales are not counted. Most regions use 5.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter a number of working days",
            "invalid": "Enter the number of working days as a whole number, like 5",
            "min_value": "Enter a number of working days from 1 to 30",
            "max_value": "Enter a number of working days from 1 to 30",
        },
    )
