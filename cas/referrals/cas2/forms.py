"""The CAS2 application's page forms: one Django form per page, each with its own rules, in our
own words. Labels use the placeholder `{name}` (the applicant); the route (`context["route"]`)
decides which criteria and questions apply."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import validate_email

from cas.core.dates import add_months, long_date
from cas.forms_engine import forms as f
from cas.referrals.cas2 import choices as c

# The rules of 2.5 on the HDC dates: how close the conditional release date may be.
CRD_BLOCKED_WITHIN_DAYS = 10
CRD_WARNING_WITHIN_DAYS = 20
HDCED_MAX_MONTHS_BEFORE_CRD = 12

PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")
# The shape only (two letters, six digits, then A to D): HMRC's prefix rules would refuse the hint's
# example, QQ 12 34 56 C.
NATIONAL_INSURANCE = re.compile(r"^[A-Z]{2}\d{6}[A-D]$")


# Shared rules ----------------------------------------------------------------------------------------


def not_in_future(form: f.PageForm, value, what: str):
    if value is not None and value > form.today:
        raise forms.ValidationError(f"The {what} must be today or in the past")
    return value


def not_in_past(form: f.PageForm, value, what: str):
    if value is not None and value < form.today:
        raise forms.ValidationError(f"The {what} must be today or in the future")
    return value


def phone_number(value: str, what: str) -> str:
    value = (value or "").strip()
    if value and not PHONE.match(value):
        raise forms.ValidationError(f"Enter {what} in the correct format, like 01632 960 001 or 07700 900 982")
    return value


# Before you apply ---------------------------------------------------------------------------------------


class EligibilityForm(f.PageForm):
    heading_field = "eligible"
    eligible = f.yes_no(
        "Is {name} eligible for CAS2?",
        error="Select yes if {name} meets all the criteria for CAS2",
        help_text="They must meet all of the criteria.",
    )

    def criteria(self) -> tuple[str, ...]:
        """The criteria to list under the question: HDC's, or bail's and the probation cohorts'."""
        return c.HDC_CRITERIA if self.context.get("route") == c.HDC else c.BAIL_CRITERIA


class ConsentForm(f.PageForm):
    heading_field = "consent"
    consent = f.yes_no(
        "Has {name} agreed to this application for CAS2?",
        error="Select yes if {name} has agreed to the application",
        help_text="They must agree to the application and to their information being shared with the provider.",
    )
    consent_date = f.date("When did {name} agree?", what="date {name} agreed")
    refusal_detail = f.textarea("Why did {name} not agree?", error="Enter why {name} did not agree")
    conditional_fields = {"consent": {"yes": ("consent_date",), "no": ("refusal_detail",)}}

    def clean_consent_date(self):
        return not_in_future(self, self.cleaned_data["consent_date"], "date they agreed")


class CohortForm(f.PageForm):
    heading_field = "cohort"
    cohort = f.radios(
        "Why does {name} need CAS2 accommodation?", [], error="Select why {name} needs CAS2 accommodation"
    )
    notes = f.textarea("Anything else the provider should know (optional)", required=False)

    def setup(self):
        self.fields["cohort"].choices = [(code, name) for code, name in self.context.get("cohorts") or ()]


class LicenceDatesForm(f.PageForm):
    licence_start = f.date("Licence start date", what="licence start date")
    licence_end = f.date("Licence end date", what="licence end date")

    def clean(self):
        data = super().clean()
        start, end = data.get("licence_start"), data.get("licence_end")
        if start and end and end <= start:
            self.add_error("licence_end", "The licence end date must be after the licence start date")
        return data


class HdcDatesForm(f.PageForm):
    hdc_eligibility_date = f.date("HDC eligibility date", what="HDC eligibility date")
    conditional_release_date = f.date("Conditional release date", what="conditional release date")

    def clean_conditional_release_date(self):
        return not_in_past(self, self.cleaned_data["conditional_release_date"], "conditional release date")

    def clean(self):
        data = super().clean()
        hdced, crd = data.get("hdc_eligibility_date"), data.get("conditional_release_date")
        if hdced and crd:
            if hdced >= crd:
                self.add_error(
                    "hdc_eligibility_date", "The HDC eligibility date must be before the conditional release date"
                )
            elif hdced < add_months(crd, -HDCED_MAX_MONTHS_BEFORE_CRD):
                self.add_error(
                    "hdc_eligibility_date",
                    f"The HDC eligibility date must be no more than {HDCED_MAX_MONTHS_BEFORE_CRD} months before "
                    f"the conditional release date, so on or after {long_date(add_months(crd, -HDCED_MAX_MONTHS_BEFORE_CRD))}",
                )
        return data


class YourDetailsForm(f.PageForm):
    name = f.text("Your full name", error="Enter your full name", autocomplete="name")
    email = f.text("Your email address", error="Enter your email address", autocomplete="email")

    def clean_email(self):
        value = (self.cleaned_data["email"] or "").strip()
        try:
            validate_email(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                "Enter your email address in the correct format, like name@example.gov.uk"
            ) from None
        return value


class JobTitleForm(f.PageForm):
    heading_field = "job_title"
    job_title = f.text(
        "What is your job title?", error="Enter your job title", help_text="For example, prison offender manager"
    )


class ContactNumberForm(f.PageForm):
    heading_field = "phone"
    phone = f.text(
        "What is your phone number?",
        error="Enter your phone number",
        help_text="The provider will use it to contact you about the application.",
        autocomplete="tel",
        max_length=20,
    )

    def clean_phone(self):
        return phone_number(self.cleaned_data["phone"], "your phone number")


class BasedAtForm(f.PageForm):
    heading_field = "based_at"
    based_at = f.text(
        "Where are you based?",
        error="Enter where you are based",
        help_text="For example, the name of the court, prison or probation office",
    )


class HasSolicitorForm(f.PageForm):
    heading_field = "has_solicitor"
    has_solicitor = f.yes_no("Does {name} have a solicitor?", error="Select yes if {name} has a solicitor")


class SolicitorForm(f.PageForm):
    solicitor_name = f.text("Solicitor’s name", error="Enter the solicitor’s name")
    firm = f.text("Name of the legal firm", error="Enter the name of the legal firm")
    email = f.text("Email address (optional)", required=False)
    phone = f.text("Phone number (optional)", required=False, max_length=20)

    def clean_email(self):
        value = (self.cleaned_data["email"] or "").strip()
        if value:
            try:
                validate_email(value)
            except forms.ValidationError:
                raise forms.ValidationError(
                    "Enter the solicitor’s email address in the correct format, like name@example.com"
                ) from None
        return value

    def clean_phone(self):
        return phone_number(self.cleaned_data["phone"], "the solicitor’s phone number")


# About the applicant ------------------------------------------------------------------------------------


class MobilePhoneForm(f.PageForm):
    heading_field = "has_mobile"
    has_mobile = f.yes_no(
        "Will {name} have a working mobile phone when they leave custody or move in?",
        error="Select yes if {name} will have a working mobile phone",
    )
    number = f.text("Mobile phone number (optional)", required=False, max_length=20)

    def clean_number(self):
        if self.cleaned_data.get("has_mobile") != "yes":
            return ""
        return phone_number(self.cleaned_data["number"], "the mobile phone number")


class CustodyLocationForm(f.PageForm):
    heading_field = "location"
    location = f.text(
        "Where is {name} held in custody?",
        error="Enter where {name} is held in custody",
        help_text="The name of the prison or court",
    )


class ImmigrationStatusForm(f.PageForm):
    heading_field = "status"
    status = f.radios(
        "What is {name}’s immigration status?", c.IMMIGRATION_STATUSES, error="Select {name}’s immigration status"
    )


class PregnancyForm(f.PageForm):
    heading_field = "pregnant"
    pregnant = f.yes_no("Is {name} pregnant?", error="Select yes if {name} is pregnant", dont_know=True)
    due_date = f.date("When is the baby due?", what="due date")
    conditional_fields = {"pregnant": {"yes": ("due_date",)}}

    def clean_due_date(self):
        return not_in_past(self, self.cleaned_data["due_date"], "due date")


class AddressHistoryForm(f.PageForm):
    heading_field = "had_address"
    had_address = f.yes_no(
        "Did {name} have a fixed address before this application?",
        error="Select yes if {name} had a fixed address",
    )
    address = f.textarea("What was the address?", error="Enter the address", max_length=500)
    time_without_address = f.text(
        "How long has {name} had no fixed address?", error="Enter how long {name} has had no fixed address"
    )
    conditional_fields = {"had_address": {"yes": ("address",), "no": ("time_without_address",)}}


class EqualityOptInForm(f.PageForm):
    heading_field = "answer"
    answer = f.yes_no(
        "Does {name} want to answer the equality and diversity questions?",
        error="Select yes if {name} wants to answer the equality and diversity questions",
        help_text="The answers are used to check the service is fair. They do not affect the application.",
    )


class EqualityForm(f.PageForm):
    sex = f.radios("What is {name}’s sex?", c.SEXES, error="Select {name}’s sex, or ‘Prefer not to say’")
    gender_same_as_sex = f.radios(
        "Is {name}’s gender identity the same as the sex registered at birth?",
        c.GENDER_SAME_AS_SEX,
        error="Select yes if {name}’s gender identity is the same as the sex registered at birth",
    )
    ethnic_group = f.radios(
        "What is {name}’s ethnic group?", c.ETHNIC_GROUPS, error="Select {name}’s ethnic group, or ‘Prefer not to say’"
    )
    disability = f.radios("Does {name} have a disability?", c.DISABILITY, error="Select yes if {name} has a disability")
    religion = f.radios("What is {name}’s religion or belief?", c.RELIGIONS, error="Select {name}’s religion or belief")


# Area, funding and ID -----------------------------------------------------------------------------------


class PreferredAreasForm(f.PageForm):
    area_1 = f.text("First preferred area", error="Enter the first preferred area", help_text="A town, city or region")
    area_1_reason = f.textarea(
        "Why this area?",
        error="Enter why {name} wants to live in the first preferred area",
        max_length=1000,
        help_text="For example, family, work or support nearby",
    )
    area_2 = f.text(
        "Second preferred area", error="Enter the second preferred area", help_text="A town, city or region"
    )
    area_2_reason = f.textarea(
        "Why this area?", error="Enter why {name} wants to live in the second preferred area", max_length=1000
    )


ExclusionZonesForm = f.yes_no_with_detail(
    "Does {name} have any exclusion zones?",
    "Select yes if {name} has any exclusion zones",
    "Describe the exclusion zones",
    "Describe the exclusion zones",
)

GangAffiliationsForm = f.yes_no_with_detail(
    "Is {name} involved with a gang?",
    "Select yes if {name} is involved with a gang",
    "Give the gang’s name, where it operates and any rival gangs",
    "Enter the gang’s name, where it operates and any rival gangs",
    dont_know=True,
)


class WomenOnlyForm(f.PageForm):
    heading_field = "answer"
    answer = f.yes_no(
        "Does {name} need a women-only property?", error="Select yes if {name} needs a women-only property"
    )


AccessiblePropertyForm = f.yes_no_with_detail(
    "Does {name} need an accessible or adapted property?",
    "Select yes if {name} needs an accessible or adapted property",
    "Which adaptations does {name} need?",
    "Enter the adaptations {name} needs, such as step-free access or a wet room",
)


class FundingSourceForm(f.PageForm):
    heading_field = "source"
    source = f.radios(
        "How will {name} pay for their accommodation?",
        c.FUNDING_SOURCES,
        error="Select how {name} will pay for their accommodation",
        help_text="Housing Benefit does not cover the weekly service charge.",
    )


class NationalInsuranceForm(f.PageForm):
    heading_field = "number"
    number = f.text(
        "What is {name}’s National Insurance number? (optional)",
        required=False,
        max_length=13,
        help_text="For example, QQ 12 34 56 C",
    )

    def clean_number(self):
        value = re.sub(r"\s+", "", self.cleaned_data["number"] or "").upper()
        if value and not NATIONAL_INSURANCE.match(value):
            raise forms.ValidationError("Enter the National Insurance number in the correct format, like QQ 12 34 56 C")
        return value


class IdDocumentsForm(f.PageForm):
    heading_field = "documents"
    documents = f.checkboxes(
        "Which identity documents does {name} have?",
        c.ID_DOCUMENTS,
        error="Select the identity documents {name} has, or ‘None of these’",
    )
    exclusive_choices = {"documents": c.NO_ID}


# Offences and risk --------------------------------------------------------------------------------------


class AllegedOffenceForm(f.PageForm):
    offence = f.text("Alleged offence", error="Enter the alleged offence")
    offence_date = f.date("Date of the alleged offence", what="date of the alleged offence")

    def clean_offence_date(self):
        return not_in_future(self, self.cleaned_data["offence_date"], "date of the alleged offence")


class AllegedOffencesForm(f.ListPageForm):
    item_form = AllegedOffenceForm
    item_label = "Alleged offence"
    list_label = "Alleged offences"
    min_items = 1
    empty_error = "Add at least one alleged offence"


class CurrentOffenceForm(f.PageForm):
    title = f.text("Offence", error="Enter the offence")
    offence_type = f.radios("Type of offence", c.OFFENCE_TYPES, error="Select the type of offence")
    offence_date = f.date("Date of the offence", what="date of the offence")
    sentence_length = f.text("Sentence length", error="Enter the sentence length", help_text="For example, 2 years")
    summary = f.textarea("Summary of the offence", error="Enter a summary of the offence", max_length=2000)

    def clean_offence_date(self):
        return not_in_future(self, self.cleaned_data["offence_date"], "date of the offence")


class CurrentOffencesForm(f.ListPageForm):
    item_form = CurrentOffenceForm
    item_label = "Offence"
    list_label = "Current offences"
    min_items = 1
    empty_error = "Add at least one current offence"


class UnspentConvictionsForm(f.PageForm):
    heading_field = "answer"
    answer = f.radios(
        "Does {name} have any previous unspent convictions?",
        c.UNSPENT_CONVICTIONS,
        error="Select whether {name} has any previous unspent convictions",
    )


class ConvictionForm(f.PageForm):
    offence_type = f.radios("Type of offence", c.OFFENCE_TYPES, error="Select the type of offence")
    count = forms.IntegerField(
        label="Number of convictions",
        min_value=1,
        max_value=999,
        error_messages={
            "required": "Enter the number of convictions",
            "invalid": "Enter the number of convictions as a number, like 2",
            "min_value": "The number of convictions must be 1 or more",
            "max_value": "The number of convictions must be 999 or fewer",
        },
    )
    details = f.textarea("Details", error="Enter the details of the convictions", max_length=2000)


class ConvictionsForm(f.ListPageForm):
    item_form = ConvictionForm
    item_label = "Conviction"
    list_label = "Previous unspent convictions"
    min_items = 1
    empty_error = "Add at least one previous unspent conviction"


class RiskToSelfForm(f.PageForm):
    heading_field = "concerns"
    concerns = f.yes_no(
        "Are there current or past concerns about {name} harming themselves or taking their own life?",
        error="Select yes if there are concerns about {name} harming themselves",
    )
    detail = f.textarea("Describe the concerns", error="Describe the concerns", max_length=2000)
    conditional_fields = {"concerns": {"yes": ("detail",)}}


class AcctForm(f.PageForm):
    created_on = f.date("Date the ACCT was opened", what="date the ACCT was opened")
    ongoing = f.yes_no("Is the ACCT still open?", error="Select yes if the ACCT is still open")
    closed_on = f.date("Date the ACCT was closed", what="date the ACCT was closed")
    prison = f.text("Prison", error="Enter the prison that opened the ACCT")
    details = f.textarea("Details", error="Enter the details of the ACCT", max_length=2000)
    conditional_fields = {"ongoing": {"no": ("closed_on",)}}

    def clean_created_on(self):
        return not_in_future(self, self.cleaned_data["created_on"], "date the ACCT was opened")

    def clean_closed_on(self):
        return not_in_future(self, self.cleaned_data["closed_on"], "date the ACCT was closed")

    def clean(self):
        data = super().clean()
        opened, closed = data.get("created_on"), data.get("closed_on")
        if opened and closed and closed < opened:
            self.add_error("closed_on", "The date the ACCT was closed must be on or after the date it was opened")
        return data


class AcctHistoryForm(f.ListPageForm):
    item_form = AcctForm
    item_label = "ACCT"
    list_label = "ACCT history"
    min_items = 0


class RoshLevelsForm(f.PageForm):
    children = f.radios("Risk to children", c.ROSH_CHOICES, error="Select the risk to children")
    public = f.radios("Risk to the public", c.ROSH_CHOICES, error="Select the risk to the public")
    known_adult = f.radios("Risk to a known adult", c.ROSH_CHOICES, error="Select the risk to a known adult")
    staff = f.radios("Risk to staff", c.ROSH_CHOICES, error="Select the risk to staff")
    overall = f.radios("Overall risk of serious harm", c.ROSH_CHOICES, error="Select the overall risk of serious harm")


class RiskManagementForm(f.PageForm):
    heading_field = "arrangements"
    arrangements = f.checkboxes(
        "Is {name} managed under any of these arrangements?",
        c.RISK_MANAGEMENT,
        error="Select the arrangements {name} is managed under, or ‘None of these’",
    )
    mappa_detail = f.textarea("MAPPA category and level", error="Enter the MAPPA category and level")
    marac_detail = f.textarea("MARAC details", error="Enter the MARAC details")
    iom_detail = f.textarea("IOM details", error="Enter the IOM details")
    conditional_fields = {
        "arrangements": {"mappa": ("mappa_detail",), "marac": ("marac_detail",), "iom": ("iom_detail",)}
    }
    exclusive_choices = {"arrangements": c.NO_RISK_MANAGEMENT}


SubstanceMisuseForm = f.yes_no_with_detail(
    "Does {name} have needs relating to drugs or alcohol?",
    "Select yes if {name} has needs relating to drugs or alcohol",
    "Describe the needs and any treatment or medication",
    "Describe {name}’s needs relating to drugs or alcohol",
)
PhysicalHealthForm = f.yes_no_with_detail(
    "Does {name} have physical health or mobility needs?",
    "Select yes if {name} has physical health or mobility needs",
    "Describe the needs and the support {name} gets",
    "Describe {name}’s physical health or mobility needs",
)
MentalHealthForm = f.yes_no_with_detail(
    "Does {name} have mental health needs?",
    "Select yes if {name} has mental health needs",
    "Describe the needs and the support {name} gets",
    "Describe {name}’s mental health needs",
)
CommunicationForm = f.yes_no_with_detail(
    "Does {name} need help to communicate, such as an interpreter?",
    "Select yes if {name} needs help to communicate",
    "Describe the help {name} needs",
    "Describe the help {name} needs to communicate",
)
LearningDifficultiesForm = f.yes_no_with_detail(
    "Does {name} have learning difficulties or neurodivergent needs?",
    "Select yes if {name} has learning difficulties or neurodivergent needs",
    "Describe the needs and the support {name} gets",
    "Describe {name}’s learning difficulties or neurodivergent needs",
)


# Bail information ---------------------------------------------------------------------------------------

BailConditionsForm = f.yes_no_with_detail(
    "Are any non-standard bail conditions being considered?",
    "Select yes if any non-standard bail conditions are being considered",
    "Describe the conditions, such as a curfew or limits on contact",
    "Describe the bail conditions being considered",
)


class BailHearingForm(f.PageForm):
    date_known = f.yes_no("Do you know the date of the bail hearing?", error="Select yes if you know the date")
    hearing_date = f.date("Date of the bail hearing", what="date of the bail hearing")
    court = f.text("Name of the court (optional)", required=False)
    medium = f.radios(
        "How will the hearing take place?", c.HEARING_MEDIUMS, error="Select how the hearing will take place"
    )
    conditional_fields = {"date_known": {"yes": ("hearing_date",)}}

    def clean_hearing_date(self):
        return not_in_past(self, self.cleaned_data["hearing_date"], "date of the bail hearing")
