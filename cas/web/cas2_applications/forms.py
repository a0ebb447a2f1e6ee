"""Forms of the CAS2 referrer's pages."""

from django import forms

from cas.referrals import timeline


class RouteForm(forms.Form):
    route = forms.ChoiceField(
        label="How are you applying?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you are applying", "invalid_choice": "Select how you are applying"},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [(c.route.code, c.route.name) for c in choices if c.is_open]
        self.hints = {c.route.code: c.route.description for c in choices}


class IdentifierForm(forms.Form):
    identifier = forms.CharField(max_length=20, error_messages={"max_length": "Enter no more than 20 characters"})

    def __init__(self, *args, by_prison_number: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["identifier"]
        if by_prison_number:
            field.label = "What is the person’s prison number?"
            field.help_text = "Also called the NOMIS number, for example A1234BC"
            field.error_messages["required"] = "Enter a prison number"
        else:
            field.label = "What is the person’s CRN?"
            field.help_text = "Case reference number, for example X320741"
            field.error_messages["required"] = "Enter a CRN"


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note for the provider",
        max_length=timeline.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Answer a question from the provider or tell them about a change. We email it to them.",
        error_messages={
            "required": "Enter a note",
            "max_length": f"The note must be {timeline.NOTE_MAX_LENGTH} characters or fewer",
        },
    )


class SearchForm(forms.Form):
    q = forms.CharField(label="Search by name, CRN or prison number", required=False, max_length=100)
