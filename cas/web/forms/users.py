from django import forms

from cas.accounts.models import User
from cas.core.concurrency import VersionField
from cas.core.roles import Role
from cas.reference.models import Prison, ProbationDeliveryUnit, ProbationRegion


class UserForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150, error_messages={"required": "Enter a username"})
    first_name = forms.CharField(label="First name", max_length=150, error_messages={"required": "Enter a first name"})
    last_name = forms.CharField(label="Last name", max_length=150, error_messages={"required": "Enter a last name"})
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@justice.gov.uk",
        },
    )
    phone_number = forms.CharField(label="Phone number (optional)", max_length=30, required=False)
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one role"},
    )
    region = forms.ModelChoiceField(
        label="Probation region",
        queryset=ProbationRegion.objects.active(),
        empty_label="Select a region",
        error_messages={
            "required": "Select a probation region",
            "invalid_choice": "Select a probation region from the list",
        },
    )
    pdu = forms.ModelChoiceField(
        label="Probation delivery unit (optional)",
        queryset=ProbationDeliveryUnit.objects.active().select_related("region"),
        required=False,
        empty_label="No PDU",
        error_messages={"invalid_choice": "Select a PDU from the list"},
    )
    prison = forms.ModelChoiceField(
        label="Prison (prison staff only)",
        queryset=Prison.objects.active(),
        required=False,
        empty_label="Not applicable",
        error_messages={"invalid_choice": "Select a prison from the list"},
    )
    version = VersionField()
    password = forms.CharField(
        label="Initial password (optional)",
        required=False,
        strip=False,
        max_length=128,
        help_text="At least 12 characters. Leave empty for single sign-on users.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, editing: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["pdu"].label_from_instance = lambda pdu: f"{pdu.name} ({pdu.region.name})"
        if editing is not None:
            del self.fields["username"]
            del self.fields["password"]

    def clean(self):
        data = super().clean()
        region, pdu = data.get("region"), data.get("pdu")
        if region and pdu and pdu.region_id != region.pk:
            self.add_error("pdu", f"Select a PDU in {region.name}, or no PDU")
        roles = set(data.get("roles") or [])
        prison_roles = {Role.CAS2_PRISON_REFERRER, Role.CAS2_HDC_REFERRER}
        if roles & prison_roles and not data.get("prison"):
            self.add_error("prison", "Select the prison this member of prison staff works in")
        elif data.get("prison") and not roles & prison_roles:
            self.add_error("prison", "Only prison staff (prison bail and HDC referrers) have a prison")
        return data


class UserSearchForm(forms.Form):
    q = forms.CharField(label="Search by name, username or email", required=False, max_length=100)
    role = forms.ChoiceField(label="Role", choices=[("", "Any role"), *Role.choices], required=False)
    region = forms.ModelChoiceField(
        label="Region", queryset=ProbationRegion.objects.all(), required=False, empty_label="Any region"
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Active and inactive"), ("active", "Active"), ("inactive", "Inactive")],
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        max_length=100,
        help_text="For example, the name of the system that will use it",
        error_messages={"required": "Enter what the token is for"},
    )
