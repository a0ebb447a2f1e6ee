"""The CAS3 referral's page forms: one Django form per page, each with its own rules, in our
own words. Labels use the placeholders `{name}` (the person) and `{region}` (the referrer's
region); forms that depend on earlier answers add their own placeholders."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import validate_email

from cas.core.dates import add_months, long_date
from cas.forms_engine import forms as f
from cas.forms_engine.values import parse_date
from cas.referrals.cas3 import choices as c

# Shared rules -----------------------------------------------------------------------------------

GOV_UK_EMAIL = re.compile(r"\.gov\.uk$", re.IGNORECASE)


def clean_gov_uk_email(value: str, *, whose: str = "") -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except forms.ValidationError:
        raise forms.ValidationError(
            f"Enter {whose}email address in the correct format, like name@justice.gov.uk"
        ) from None
    if not GOV_UK_EMAIL.search(value):
        raise forms.ValidationError(f"Enter {whose}email address ending in .gov.uk, like name@justice.gov.uk")
    return value


def outside_next_three_months(value, today, what: str) -> str | None:
    """Why a date of release or of need is refused (before today, or more than three months away), or None."""
    latest = add_months(today, 3)
    if value < today:
        return f"The {what} must be today or in the future"
    if value > latest:
        return f"The {what} must be within the next 3 months, on or before {long_date(latest)}"
    return None


def within_next_three_months(form: f.PageForm, value, what: str):
    """Dates of release and of need: today or later, and no more than three months away."""
    if value is None:
        return value
    problem = outside_next_three_months(value, form.today, what)
    if problem:
        raise forms.ValidationError(problem)
    return value


def not_in_future(form: f.PageForm, value, what: str):
    if value is not None and value > form.today:
        raise forms.ValidationError(f"The {what} must be today or in the past")
    return value


def _region_option(ctx: dict, code: str) -> dict | None:
    return ctx["ref"].region(code)


# Placement location -----------------------------------------------------------------------------


class AlternativeRegionForm(f.PageForm):
    heading_field = "same_region"
    same_region = f.yes_no(
        "Is the placement for the {region} region?",
        error="Select yes if the placement is for the {region} region",
        help_text="The referral goes to the Homelessness Prevention Team (HPT) of the region you choose.",
    )


class AlternativePduForm(f.PageForm):
    heading_field = "different_pdu"
    different_pdu = f.yes_no(
        "Does the placement need to be in a different probation delivery unit (PDU)?",
        error="Select yes if the placement needs to be in a different PDU",
        help_text="Select no to use the PDU in your contact details.",
    )
    pdu = f.select("Which PDU in {placement_region}?", [], error="Select a PDU in {placement_region}")
    conditional_fields = {"different_pdu": {"yes": ("pdu",)}}

    def setup(self):
        region = placement_region_code(self.answers, self.context)
        self.fields["pdu"].choices = [("", "Select a PDU"), *self.context["ref"].pdus(region)]

    def placeholders(self):
        region = _region_option(self.context, placement_region_code(self.answers, self.context))
        return {"placement_region": region["name"] if region else ""}


class AlternativePduReasonForm(f.PageForm):
    heading_field = "reason"
    reason = f.textarea(
        "Why does {name} need to be placed in {pdu_name}?",
        error="Enter why {name} needs to be placed in a different PDU",
    )

    def placeholders(self):
        code = self.answers.value("placement-location", "alternative-pdu", "pdu")
        return {"pdu_name": self.context["ref"].pdu_name(code) or "a different PDU"}


class DifferentRegionForm(f.PageForm):
    heading_field = "region"
    region = f.radios(
        "Which region should {name} be placed in?", [], error="Select the region {name} should be placed in"
    )

    def setup(self):
        own = self.context["own_region"]
        regions = [(r["code"], r["name"]) for r in self.context["ref"].regions() if r["code"] != own["code"]]
        if not own["is_national"]:
            regions.append((own["code"], f"{own['name']} (your region)"))
        self.fields["region"].choices = regions


class PlacementPduForm(f.PageForm):
    heading_field = "pdu"
    pdu = f.select(
        "Which probation delivery unit (PDU) should {name} be referred to?",
        [],
        error="Select a PDU in {placement_region}",
        help_text="PDUs in {placement_region}",
    )

    def setup(self):
        region = placement_region_code(self.answers, self.context)
        self.fields["pdu"].choices = [("", "Select a PDU"), *self.context["ref"].pdus(region)]

    def placeholders(self):
        region = _region_option(self.context, placement_region_code(self.answers, self.context))
        return {"placement_region": region["name"] if region else ""}


class PduEvidenceForm(f.PageForm):
    heading_field = "evidence"
    evidence = f.radios(
        "Is the evidence in NDelius?",
        c.PDU_EVIDENCE,
        error="Select yes if the evidence from {placement_pdu} is in NDelius",
    )

    def placeholders(self):
        code = self.answers.value("placement-location", "placement-pdu", "pdu")
        region = _region_option(self.context, placement_region_code(self.answers, self.context)) or {}
        return {
            "placement_pdu": self.context["ref"].pdu_name(code) or "the PDU",
            "placement_region": region.get("name", ""),
            "hpt_email": region.get("hpt_email", ""),
        }


class NeedsEvidenceForm(PduEvidenceForm):
    """Shown while the evidence is not in NDelius: nothing to answer, the task stays unfinished."""

    heading_field = None

    def setup(self):
        del self.fields["evidence"]


def placement_region_code(answers, ctx) -> str:
    """The region the placement is for: the region chosen for an out-of-region referral, else the
    referrer's own."""
    chosen = answers.value("placement-location", "different-region", "region")
    return chosen or ctx["own_region"]["code"]


# Offence and behaviour summary -------------------------------------------------------------------


class HistoryOfSexualOffenceForm(f.PageForm):
    heading_field = "answer"
    answer = f.yes_no(
        "Has {name} ever been convicted of a sexual offence?",
        error="Select yes if {name} has been convicted of a sexual offence",
    )


class RegisteredSexOffenderForm(f.PageForm):
    heading_field = "answer"
    answer = f.yes_no("Is {name} a registered sex offender?", error="Select yes if {name} is a registered sex offender")


ConcerningSexualBehaviourForm = f.yes_no_with_detail(
    "Are there any concerns about {name}’s sexual behaviour?",
    "Select yes if there are concerns about {name}’s sexual behaviour",
    "Describe the concerns",
    "Describe the concerns about {name}’s sexual behaviour",
)


class HistoryOfArsonForm(f.PageForm):
    heading_field = "answer"
    answer = f.yes_no(
        "Has {name} ever been convicted of arson?", error="Select yes if {name} has been convicted of arson"
    )


ConcerningArsonForm = f.yes_no_with_detail(
    "Are there any concerns that {name} may set fires?",
    "Select yes if there are concerns that {name} may set fires",
    "Describe the concerns",
    "Describe the concerns about arson",
)


# Sentence information -----------------------------------------------------------------------------


class OffendingSummaryForm(f.PageForm):
    heading_field = "summary"
    summary = f.textarea(
        "Summarise {name}’s index offence and offending history",
        error="Enter a summary of {name}’s index offence and offending history",
        help_text="Index offence: {offence}",
    )

    def placeholders(self):
        offence = self.context.get("offence") or {}
        return {"offence": offence.get("description") or "not recorded"}

    def values(self):
        # The answer records which offence it describes, in case the index offence changes.
        return {**super().values(), "offence_id": (self.context.get("offence") or {}).get("offence_id", "")}


class SentenceTypeForm(f.PageForm):
    heading_field = "sentence_type"
    sentence_type = f.radios(
        "Which of these best describes the sentence?", c.SENTENCE_TYPES, error="Select the type of sentence"
    )


class SentenceLengthForm(f.PageForm):
    years = forms.IntegerField(label="Years", required=False, min_value=0, max_value=99)
    months = forms.IntegerField(label="Months", required=False, min_value=0, max_value=999)
    weeks = forms.IntegerField(label="Weeks", required=False, min_value=0, max_value=999)
    days = forms.IntegerField(label="Days", required=False, min_value=0, max_value=9999)

    def setup(self):
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "govuk-input--width-3"
            unit = name
            field.error_messages.update(
                {
                    "invalid": f"Enter the number of {unit} as a whole number, like 6",
                    "min_value": f"The number of {unit} cannot be less than 0",
                    "max_value": f"Enter a number of {unit} of %(limit_value)s or less",
                }
            )

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(n) for n in ("years", "months", "weeks", "days")):
            self.add_error("years", "Enter the length of the sentence in years, months, weeks or days")
        return data

    def summary_rows(self, values):
        parts = []
        for unit in ("years", "months", "weeks", "days"):
            number = values.get(unit)
            if number:
                parts.append(f"{number} {unit[:-1] if number == 1 else unit}")
        return [("years", "Sentence length", ", ".join(parts) or "Not answered")]


class SentenceExpiryForm(f.PageForm):
    heading_field = "expiry"
    expiry = f.date("When does the sentence expire?", what="sentence expiry date")


class ReleaseTypeForm(f.PageForm):
    heading_field = "release_types"
    release_types = f.checkboxes(
        "What is the release type?",
        [],
        error="Select the release type",
        help_text="Select up to 2 and give the dates of each.",
    )

    def setup(self):
        offered = [r for r in c.RELEASE_TYPES if r.offered_until is None or self.today <= r.offered_until]
        self.fields["release_types"].choices = [(r.key, r.label) for r in offered]
        conditionals = {}
        for release in c.RELEASE_TYPES:
            if release not in offered:
                continue
            start, end = f"{release.key}_start", f"{release.key}_end"
            what = release.abbreviation
            self.fields[start] = f.date("Start date", what=f"{what} start date", required=False)
            self.fields[end] = f.date("End date", what=f"{what} end date", required=False)
            conditionals[release.key] = (start, end)
        # Per instance: the choices depend on the date.
        self.conditional_fields = {"release_types": conditionals}

    def dependent_fields(self) -> set[str]:  # type: ignore[override]
        return {d for deps in self.conditional_fields.get("release_types", {}).values() for d in deps}

    def clean(self):
        data = super().clean()
        chosen = data.get("release_types") or []
        if len(chosen) > c.MAX_RELEASE_TYPES:
            self.add_error("release_types", f"Select no more than {c.MAX_RELEASE_TYPES} release types")
        for first, others in c.INCOMPATIBLE_RELEASE_TYPES.items():
            if first in chosen:
                clash = [o for o in others if o in chosen]
                if clash:
                    names = [c.RELEASE_TYPES_BY_KEY[k].abbreviation for k in others]
                    listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
                    self.add_error(
                        "release_types",
                        f"{c.RELEASE_TYPES_BY_KEY[first].abbreviation} cannot be combined with {listed}. "
                        "Select one of them",
                    )
        for key in chosen:
            start, end = data.get(f"{key}_start"), data.get(f"{key}_end")
            if start and end and end <= start:
                what = c.RELEASE_TYPES_BY_KEY[key].abbreviation
                self.add_error(f"{key}_end", f"The {what} end date must be after its start date")
        return data

    def summary_rows(self, values):
        rows = []
        for key in values.get("release_types") or []:
            release = c.RELEASE_TYPES_BY_KEY.get(key)
            label = release.label if release else key
            start = (
                self.display_value(f"{key}_start", values.get(f"{key}_start")) if f"{key}_start" in self.fields else ""
            )
            end = self.display_value(f"{key}_end", values.get(f"{key}_end")) if f"{key}_end" in self.fields else ""
            rows.append(("release_types", "Release type", f"{label}: {start} to {end}"))
        return rows or [("release_types", "Release type", "Not answered")]


# Contact details ------------------------------------------------------------------------------------


def _practitioner_fields():
    return {
        "name": f.text("Name", error="Enter your name", max_length=150, autocomplete="name"),
        "email": f.text("Email address", error="Enter your email address", max_length=254),
        "phone": f.text("Phone number", error="Enter your phone number", max_length=30),
        "pdu": f.select("Probation delivery unit (PDU)", [], error="Select your PDU"),
    }


class _PractitionerBase(f.PageForm):
    fields_wanted: tuple[str, ...] = ()

    def setup(self):
        for name, field in _practitioner_fields().items():
            if name in self.fields_wanted:
                self.fields[name] = field
        if "pdu" in self.fields:
            region = self.context["own_region"]
            pdus = self.context["ref"].all_pdus() if region["is_national"] else self.context["ref"].pdus(region["code"])
            self.fields["pdu"].choices = [("", "Select your PDU"), *pdus]
        if "email" in self.fields:
            self.fields["email"].help_text = "It must end in .gov.uk"
            self.fields["email"].widget.attrs["autocomplete"] = "email"
        if "phone" in self.fields:
            self.fields["phone"].widget.input_type = "tel"
            self.fields["phone"].widget.attrs["autocomplete"] = "tel"

    def clean_email(self):
        return clean_gov_uk_email(self.cleaned_data.get("email"), whose="your ")


class ProbationPractitionerForm(_PractitionerBase):
    fields_wanted = ("name", "email", "phone", "pdu")

    def summary_rows(self, values):
        return [
            (name, f"Your {label[0].lower()}{label[1:]}" if name != "pdu" else "Your PDU", display)
            for name, label, display in super().summary_rows(values)
        ]


class PractitionerNameForm(_PractitionerBase):
    heading_field = "name"
    fields_wanted = ("name",)

    def setup(self):
        super().setup()
        self.fields["name"].label = "What is your name?"


class PractitionerEmailForm(_PractitionerBase):
    heading_field = "email"
    fields_wanted = ("email",)

    def setup(self):
        super().setup()
        self.fields["email"].label = "What is your email address?"


class PractitionerPhoneForm(_PractitionerBase):
    heading_field = "phone"
    fields_wanted = ("phone",)

    def setup(self):
        super().setup()
        self.fields["phone"].label = "What is your phone number?"


class PractitionerPduForm(_PractitionerBase):
    heading_field = "pdu"
    fields_wanted = ("pdu",)

    def setup(self):
        super().setup()
        self.fields["pdu"].label = "Which probation delivery unit (PDU) are you in?"


class BackupContactForm(f.PageForm):
    name = f.text("Full name", error="Enter the backup contact’s name", max_length=150)
    phone = f.text("Phone number", error="Enter the backup contact’s phone number", max_length=30)
    email = f.text(
        "Email address",
        error="Enter the backup contact’s email address",
        max_length=254,
        help_text="It must end in .gov.uk",
    )

    def setup(self):
        self.fields["phone"].widget.input_type = "tel"

    def clean_email(self):
        return clean_gov_uk_email(self.cleaned_data.get("email"), whose="the backup contact’s ")

    def summary_rows(self, values):
        return [
            (name, f"Backup contact: {label[0].lower()}{label[1:]}", display)
            for name, label, display in super().summary_rows(values)
        ]


class PopPhoneNumberForm(f.PageForm):
    heading_field = "phone"
    phone = f.text(
        "What is {name}’s phone number? (optional)",
        required=False,
        max_length=30,
        help_text="Their support worker will phone them regularly.",
    )

    def setup(self):
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["class"] = "govuk-input--width-20"


# Eligibility --------------------------------------------------------------------------------------


class EligibilityReasonForm(f.PageForm):
    heading_field = "reason"
    reason = f.radios(
        "How is {name} eligible for CAS3?", c.ELIGIBILITY_REASONS, error="Select how {name} is eligible for CAS3"
    )


class ReleaseDateForm(f.PageForm):
    heading_field = "release_date"
    release_date = f.date("What is {name}’s release date?", what="release date")

    def clean_release_date(self):
        return within_next_three_months(self, self.cleaned_data.get("release_date"), "release date")


class AccommodationRequiredFromForm(f.PageForm):
    heading_field = "required_from"
    required_from = f.date("From what date does {name} need accommodation?", what="date accommodation is needed from")

    def clean_required_from(self):
        value = within_next_three_months(
            self, self.cleaned_data.get("required_from"), "date accommodation is needed from"
        )

        release = parse_date(self.answers.value("eligibility", "release-date", "release_date"))
        if value and release and value < release:
            raise forms.ValidationError(
                f"The date accommodation is needed from must be on or after the release date, {long_date(release)}"
            )
        return value


# Consent ---------------------------------------------------------------------------------------------


class ConsentForm(f.PageForm):
    heading_field = "consent"
    consent = f.yes_no(
        "Has {name} agreed to this referral?",
        error="Select yes if {name} has agreed to this referral",
        help_text="They must agree to the referral and, when they arrive, sign an accommodation agreement.",
    )


# Licence conditions ---------------------------------------------------------------------------------


class LicenceConditionsForm(f.PageForm):
    heading_field = "conditions"
    conditions = f.checkboxes(
        "Which additional licence conditions does {name} have?",
        c.LICENCE_CONDITIONS,
        required=False,
        help_text="Select all that apply and give details of each. Leave them all unticked if there are none.",
    )

    def setup(self):
        conditionals = {}
        for key, label in c.LICENCE_CONDITIONS:
            name = f"{key}_detail"
            self.fields[name] = f.textarea(
                f"Details of the condition: {label[0].lower()}{label[1:]}",
                error=f"Enter details of the condition: {label[0].lower()}{label[1:]}",
            )
            self.fields[name].required = False
            conditionals[key] = (name,)
        self.conditional_fields = {"conditions": conditionals}

    def dependent_fields(self) -> set[str]:  # type: ignore[override]
        return {f"{key}_detail" for key, _ in c.LICENCE_CONDITIONS}


# Prison information: imported, read only -----------------------------------------------------------


class AdjudicationsForm(f.PageForm):
    pass


class AcctAlertsForm(f.PageForm):
    pass


# Placement considerations -----------------------------------------------------------------------------


class AccommodationSharingForm(f.PageForm):
    heading_field = "answer"
    answer = f.yes_no(
        "Is {name} suitable to share accommodation with others?",
        error="Select yes if {name} is suitable to share accommodation",
    )
    managing_risks = f.textarea(
        "How will any risks be managed if {name} shares?", error="Enter how any risks will be managed if {name} shares"
    )
    reason_not_suitable = f.textarea(
        "Why is {name} not suitable to share?", error="Enter why {name} is not suitable to share accommodation"
    )
    conditional_fields = {"answer": {"yes": ("managing_risks",), "no": ("reason_not_suitable",)}}


class CooperationForm(f.PageForm):
    heading_field = "support"
    support = f.textarea(
        "How will you support {name}’s placement, considering any risks to their support worker?",
        error="Enter how you will support {name}’s placement",
    )


AntiSocialBehaviourForm = f.yes_no_with_detail(
    "Are there any concerns or risks about anti-social behaviour?",
    "Select yes if there are concerns about anti-social behaviour",
    "Describe the concerns",
    "Describe the concerns about anti-social behaviour",
)

SubstanceMisuseForm = f.yes_no_with_detail(
    "Does {name} have any current or previous problems with drugs or alcohol?",
    "Select yes if {name} has problems with drugs or alcohol",
    "Describe the problems and any support they get",
    "Describe {name}’s problems with drugs or alcohol",
)


class RoshLevelForm(f.PageForm):
    risk_to_children = f.text("Risk to children", error="Enter the risk to children", max_length=50)
    risk_to_public = f.text("Risk to the public", error="Enter the risk to the public", max_length=50)
    risk_to_known_adult = f.text("Risk to a known adult", error="Enter the risk to a known adult", max_length=50)
    risk_to_staff = f.text("Risk to staff", error="Enter the risk to staff", max_length=50)
    self_harm = f.yes_no(
        "Are there any current or past concerns about self-harm or suicide?",
        error="Select yes if there are concerns about self-harm or suicide",
    )
    self_harm_detail = f.textarea("Describe the concerns", error="Describe the concerns about self-harm or suicide")
    safety_plan = f.radios(
        "Has a safety plan been completed?", c.SAFETY_PLAN, error="Select whether a safety plan has been completed"
    )
    conditional_fields = {"self_harm": {"yes": ("self_harm_detail",)}}

    def setup(self):
        for name in ("risk_to_children", "risk_to_public", "risk_to_known_adult", "risk_to_staff"):
            self.fields[name].widget.attrs["class"] = "govuk-input--width-10"


RMP_FIELDS = (
    ("further_considerations", "Further considerations"),
    ("key_information", "Key information about their current situation"),
    ("supervision", "Supervision"),
    ("monitoring_and_control", "Monitoring and control"),
    ("interventions_and_treatment", "Interventions and treatment"),
    ("victim_safety_planning", "Victim safety planning"),
    ("contingency_plans", "Contingency plans"),
    ("additional_comments", "Additional comments"),
)


class RiskManagementPlanForm(f.PageForm):
    def setup(self):
        for name, label in RMP_FIELDS:
            self.fields[name] = f.textarea(label, error=f"Enter the {label[0].lower()}{label[1:]} part of the plan")


class ApprovalsForm(f.PageForm):
    heading_field = "answer"
    answer = f.radios(
        "Have you got approval for this referral for any specific risks?",
        c.APPROVALS,
        error="Select whether you have approval for this referral",
        help_text="For example, from a senior probation officer or the MAPPA panel.",
    )
    detail = f.textarea("Who approved it, and when?", error="Enter who approved the referral, and when")
    conditional_fields = {"answer": {"yes": ("detail",)}}


class PreviousStaysForm(f.PageForm):
    heading_field = "answer"
    answer = f.yes_no(
        "Has {name} stayed in Community Accommodation Service (CAS) accommodation before?",
        error="Select yes if {name} has stayed in CAS accommodation before",
        dont_know=True,
    )


class PreviousStaysDetailsForm(f.PageForm):
    heading_field = "types"
    types = f.checkboxes(
        "What type of accommodation did {name} stay in?",
        c.PREVIOUS_ACCOMMODATION,
        error="Select the type of accommodation {name} stayed in",
        help_text="Select all that apply.",
    )
    cas1_behaviour = f.textarea(
        "How did {name} behave in the Approved Premises?", error="Describe how {name} behaved in the Approved Premises"
    )
    cas2_behaviour = f.textarea(
        "How did {name} behave in CAS2 accommodation?", error="Describe how {name} behaved in CAS2 accommodation"
    )
    cas3_behaviour = f.textarea(
        "How did {name} behave in CAS3 accommodation?", error="Describe how {name} behaved in CAS3 accommodation"
    )
    conditional_fields = {
        "types": {"cas1": ("cas1_behaviour",), "cas2": ("cas2_behaviour",), "cas3": ("cas3_behaviour",)}
    }


# Health, disability and cultural needs; safeguarding ---------------------------------------------------


class NeedsForm(f.PageForm):
    heading_field = "needs"
    needs = f.checkboxes(
        "Does {name} have any of these needs?",
        c.NEEDS,
        error="Select {name}’s needs, or ‘None of these’",
        help_text="Select all that apply.",
    )
    exclusive_choices = {"needs": "none"}

    def setup(self):
        conditionals = {}
        for key, label in c.NEEDS:
            if key == "none":
                continue
            name = f"{key}_detail"
            question = (
                "Which language does {name} speak, and do they need an interpreter?"
                if key == "language"
                else f"Describe the need: {label[0].lower()}{label[1:]}"
            )
            self.fields[name] = f.textarea(question, error=f"Give details of the need: {label[0].lower()}{label[1:]}")
            conditionals[key] = (name,)
        self.conditional_fields = {"needs": conditionals}

    def dependent_fields(self) -> set[str]:  # type: ignore[override]
        return {f"{key}_detail" for key, _ in c.NEEDS if key != "none"}


PropertyAttributesForm = f.yes_no_with_detail(
    "Will {name} need a property with particular features or adaptations?",
    "Select yes if {name} needs a property with particular features or adaptations",
    "What features or adaptations are needed?",
    "Describe the features or adaptations {name} needs",
)

ReligiousCulturalNeedsForm = f.yes_no_with_detail(
    "Does {name} have any religious or cultural needs?",
    "Select yes if {name} has religious or cultural needs",
    "Describe the needs",
    "Describe {name}’s religious or cultural needs",
)

SafeguardingForm = f.yes_no_with_detail(
    "Do you have any concerns about safeguarding or vulnerability?",
    "Select yes if you have concerns about safeguarding or vulnerability",
    "Describe the concerns",
    "Describe the concerns about safeguarding or vulnerability",
)


class SupportInCommunityForm(f.PageForm):
    heading_field = "detail"
    detail = f.textarea(
        "What support does {name} have in the community?",
        error="Enter the support {name} has in the community",
        help_text="For example, support workers, services, family or friends.",
    )


class LocalConnectionsForm(f.PageForm):
    heading_field = "detail"
    detail = f.textarea(
        "What local connections does {name} have?",
        error="Enter {name}’s local connections",
        help_text="For example, where they have lived, worked or have family.",
    )


CaringResponsibilitiesForm = f.yes_no_with_detail(
    "Does {name} have any caring responsibilities?",
    "Select yes if {name} has caring responsibilities",
    "Describe the caring responsibilities",
    "Describe {name}’s caring responsibilities",
)

FoodAllergiesForm = f.yes_no_with_detail(
    "Does {name} have any food allergies or dietary needs?",
    "Select whether {name} has food allergies or dietary needs",
    "Describe the allergies or dietary needs",
    "Describe {name}’s food allergies or dietary needs",
    dont_know=True,
)


class MoveOnPlanForm(f.PageForm):
    heading_field = "plan"
    plan = f.textarea(
        "How will you prepare {name} to move on after the placement?",
        error="Enter how you will prepare {name} to move on",
        help_text="For example, applications for housing and help to find work.",
    )


# Required referrals ---------------------------------------------------------------------------------


class DutyToReferSubmittedForm(f.PageForm):
    heading_field = "answer"
    answer = f.yes_no(
        "Has a Duty to Refer (England) or application for assistance (Wales) been made?",
        error="Select yes if a Duty to Refer or application for assistance has been made",
        help_text="It is needed for everyone referred to CAS3. If it has not been made yet, select no: you can "
        "still send the referral, and we will tell you what to do next.",
    )


class DutyToReferDetailsForm(f.PageForm):
    reference = f.text("Reference number", error="Enter the Duty to Refer reference number", max_length=100)
    submitted_on = f.date("Date it was made", what="date the Duty to Refer was made")
    local_authority = f.select("Local authority", [], error="Select the local authority")
    outcome = f.radios(
        "Have you had an outcome from the local authority?",
        c.DTR_OUTCOMES,
        error="Select whether you have had an outcome",
    )
    outcome_detail = f.textarea("Why was it rejected?", error="Enter why the local authority rejected it")
    conditional_fields = {"outcome": {"rejected_other": ("outcome_detail",)}}

    def setup(self):
        self.fields["reference"].widget.attrs["class"] = "govuk-input--width-20"
        self.fields["local_authority"].choices = [
            ("", "Select a local authority"),
            *self.context["ref"].local_authorities_by_region(placement_region_code(self.answers, self.context)),
        ]

    def clean_submitted_on(self):
        return not_in_future(self, self.cleaned_data.get("submitted_on"), "date the Duty to Refer was made")


class CrsSubmittedForm(f.PageForm):
    heading_field = "answer"
    answer = f.yes_no(
        "Has a referral to Commissioned Rehabilitative Services (CRS) been made?",
        error="Select yes if a referral to Commissioned Rehabilitative Services has been made",
    )


OtherAccommodationOptionsForm = f.yes_no_with_detail(
    "Have other accommodation options been considered?",
    "Select yes if other accommodation options have been considered",
    "Which options, and why are they not suitable?",
    "Describe the other accommodation options considered",
)
