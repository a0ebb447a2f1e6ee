"""The CAS2 application: one form for every route into CAS2 (court bail, prison bail, Home Detention
Curfew and the probation cohorts), declared for the form engine.

The route (`ctx["route"]`) decides which tasks apply: a task that does not apply shows as "Does not
apply" and keeps no answers. Tasks can be done in any order once consent is recorded (the consent
comes first, before anything about the applicant is written down); check your answers waits for the
rest. The questions and their rules are the page forms in `forms.py`.
"""

from __future__ import annotations

from cas.core import clock
from cas.core.dates import add_months
from cas.forms_engine.answers import Answers
from cas.forms_engine.definition import END, FormDefinition, Page, Section, Task
from cas.forms_engine.registry import register
from cas.forms_engine.values import parse_date
from cas.referrals.cas2 import choices as c
from cas.referrals.cas2 import forms as pf

KEY = "cas2-referral"
VERSION = 1

# Only an OASys assessment completed in the last 6 months pre-fills the risk pages.
RECENT_OASYS_MONTHS = 6

REPORTING_FIELDS = (
    "cohort_code",
    "hdc_eligibility_date",
    "conditional_release_date",
    "bail_hearing_date",
    "bail_hearing_court",
    "preferred_area_1",
    "preferred_area_2",
    "has_exclusion_zones",
    "rosh_level",
    "has_risk_to_self_concerns",
    "has_substance_misuse_needs",
    "has_mental_health_needs",
    "has_physical_health_needs",
    "funding_source",
    "has_id_documents",
    "needs_accessible_property",
    "needs_women_only",
    "referrer_phone",
    "referrer_job_title",
    "consent_given",
    "consent_given_on",
    "is_eligible",
)


# Routes ------------------------------------------------------------------------------------------------


def _routes(*routes: str):
    def applies(a: Answers, ctx: dict) -> bool:
        return ctx.get("route") in routes

    return applies


BAIL_ONLY = _routes(*c.BAIL_ROUTES)
HDC_ONLY = _routes(c.HDC)
PROBATION_ONLY = _routes(c.PROBATION)
SENTENCED_ONLY = _routes(*c.SENTENCED_ROUTES)
CUSTODIAL_ONLY = _routes(*c.CUSTODIAL_ROUTES)


def _branch(task: str, page: str, name: str, mapping: dict[str, str | None], default: str | None = END):
    def next_page(a: Answers, ctx: dict):
        return mapping.get(a.value(task, page, name), default)

    return next_page


# Pre-fill from the referrer's record and the upstream snapshots taken at creation ------------------------


def _referrer(ctx: dict, a: Answers) -> dict:
    referrer = ctx.get("referrer") or {}
    return {"name": referrer.get("name") or "", "email": referrer.get("email") or ""}


def _referrer_phone(ctx: dict, a: Answers) -> dict:
    phone = (ctx.get("referrer") or {}).get("phone")
    return {"phone": phone} if phone else {}


def _custody_location(ctx: dict, a: Answers) -> dict:
    prison = (ctx.get("prison") or {}).get("prison_name")
    return {"location": prison} if prison else {}


def recent_risk(ctx: dict) -> dict:
    """The OASys snapshot when its assessment was completed in the last 6 months, else nothing: an
    older assessment is not trusted, and the referrer enters the answers by hand."""
    risk = ctx.get("risk") or {}
    # The snapshot holds an ISO date; the first ten characters also read a timestamp.
    completed = parse_date(str(risk.get("assessment_completed_on") or "")[:10])
    today = ctx.get("today") or clock.today()
    if completed is None or completed < add_months(today, -RECENT_OASYS_MONTHS):
        return {}
    return risk


def _risk_to_self(ctx: dict, a: Answers) -> dict:
    concerns = recent_risk(ctx).get("has_risk_to_self_concerns")
    return {} if concerns is None else {"concerns": "yes" if concerns else "no"}


def _rosh(ctx: dict, a: Answers) -> dict:
    rosh = recent_risk(ctx).get("rosh") or {}
    return {group: rosh[group] for group, _ in c.ROSH_GROUPS if rosh.get(group) in dict(c.ROSH_CHOICES)}


# Gates ---------------------------------------------------------------------------------------------------


def _not_eligible(values, a: Answers, ctx: dict):
    if values and values.get("eligible") == "no":
        return (
            f"{ctx['placeholders']['name']} is not eligible for CAS2: refer them to the regional "
            "accommodation provider (Commissioned Rehabilitative Services) instead"
        )
    return None


def _no_consent(values, a: Answers, ctx: dict):
    if values and values.get("consent") == "no":
        return f"{ctx['placeholders']['name']} must agree to the application before you can submit it"
    return None


def _too_late(values, a: Answers, ctx: dict):
    return (
        f"the application cannot be submitted: the conditional release date is "
        f"{pf.CRD_BLOCKED_WITHIN_DAYS} days or fewer away"
    )


def days_to_release(a: Answers, ctx: dict) -> int | None:
    crd = parse_date(a.value(HDC_DATES, "dates", "conditional_release_date"))
    today = ctx.get("today") or clock.today()
    return None if crd is None else (crd - today).days


def _after_hdc_dates(a: Answers, ctx: dict):
    days = days_to_release(a, ctx)
    if days is None:
        return END
    if days <= pf.CRD_BLOCKED_WITHIN_DAYS:
        return "too-late"
    if days <= pf.CRD_WARNING_WITHIN_DAYS:
        return "late-warning"
    return END


# Before you apply ----------------------------------------------------------------------------------------

CONSENT = "confirm-consent"
AFTER_CONSENT = (CONSENT,)

confirm_eligibility = Task(
    "confirm-eligibility",
    "Confirm eligibility",
    (Page("eligibility", "Is {name} eligible for CAS2?", pf.EligibilityForm, blocker=_not_eligible),),
    depends_on=AFTER_CONSENT,
)

confirm_consent = Task(
    CONSENT,
    "Confirm consent",
    (Page("consent", "Has {name} agreed to this application for CAS2?", pf.ConsentForm, blocker=_no_consent),),
    depends_on=(),
)

cohort_selection = Task(
    "cohort-selection",
    "Type of application and licence dates",
    (
        Page("cohort", "Why does {name} need CAS2 accommodation?", pf.CohortForm),
        Page("licence-dates", "What are {name}’s licence dates?", pf.LicenceDatesForm),
    ),
    depends_on=AFTER_CONSENT,
    applies=PROBATION_ONLY,
)

HDC_DATES = "hdc-licence-dates"
hdc_licence_dates = Task(
    HDC_DATES,
    "HDC licence dates",
    (
        Page("dates", "What are {name}’s HDC licence dates?", pf.HdcDatesForm, next=_after_hdc_dates),
        Page(
            "late-warning",
            "It may be too late to find {name} a CAS2 place",
            next=END,
            guidance=(
                f"The conditional release date is {pf.CRD_WARNING_WITHIN_DAYS} days or fewer away. The provider "
                "may not be able to find accommodation in time.",
                "You can still apply. Continue to accept this and carry on with the application.",
            ),
        ),
        Page(
            "too-late",
            "You cannot submit this CAS2 application",
            next=END,
            blocker=_too_late,
            guidance=(
                f"The conditional release date is {pf.CRD_BLOCKED_WITHIN_DAYS} days or fewer away, which is too soon "
                "for the provider to find accommodation.",
                "Check the dates. If they are right, refer {name} to the regional accommodation provider instead.",
            ),
        ),
    ),
    depends_on=AFTER_CONSENT,
    applies=HDC_ONLY,
)

referrer_details = Task(
    "referrer-details",
    "Referrer details",
    (
        Page("your-details", "Check your name and email address", pf.YourDetailsForm, prefill=_referrer),
        Page("job-title", "What is your job title?", pf.JobTitleForm),
        Page("contact-number", "What is your phone number?", pf.ContactNumberForm, prefill=_referrer_phone),
        Page("based-at", "Where are you based?", pf.BasedAtForm),
    ),
    depends_on=AFTER_CONSENT,
)

SOLICITOR = "solicitor-details"
solicitor_details = Task(
    SOLICITOR,
    "Solicitor details",
    (
        Page(
            "has-solicitor",
            "Does {name} have a solicitor?",
            pf.HasSolicitorForm,
            next=_branch(SOLICITOR, "has-solicitor", "has_solicitor", {"yes": "solicitor"}),
        ),
        Page("solicitor", "Solicitor’s details", pf.SolicitorForm, next=END),
    ),
    depends_on=AFTER_CONSENT,
    applies=BAIL_ONLY,
)


# About the applicant -------------------------------------------------------------------------------------

personal_information = Task(
    "personal-information",
    "Personal information",
    (
        Page("mobile-phone", "Will {name} have a working mobile phone?", pf.MobilePhoneForm),
        Page(
            "custody-location",
            "Where is {name} held in custody?",
            pf.CustodyLocationForm,
            applies=CUSTODIAL_ONLY,
            prefill=_custody_location,
        ),
        Page("immigration-status", "What is {name}’s immigration status?", pf.ImmigrationStatusForm),
        Page("pregnancy", "Is {name} pregnant?", pf.PregnancyForm),
    ),
    depends_on=AFTER_CONSENT,
)

address_history = Task(
    "address-history",
    "Address history",
    (Page("previous-address", "Did {name} have a fixed address before this application?", pf.AddressHistoryForm),),
    depends_on=AFTER_CONSENT,
)

ED = "equality-and-diversity"
equality_and_diversity = Task(
    ED,
    "Equality and diversity monitoring",
    (
        Page(
            "opt-in",
            "Does {name} want to answer the equality and diversity questions?",
            pf.EqualityOptInForm,
            next=_branch(ED, "opt-in", "answer", {"yes": "monitoring"}),
        ),
        Page("monitoring", "Equality and diversity questions", pf.EqualityForm, next=END),
    ),
    depends_on=AFTER_CONSENT,
)


# Area, funding and ID ------------------------------------------------------------------------------------

AREA = "area-information"
area_information = Task(
    AREA,
    "Preferred areas and exclusion zones",
    (
        Page("preferred-areas", "Where would {name} like to live?", pf.PreferredAreasForm),
        Page("exclusion-zones", "Does {name} have any exclusion zones?", pf.ExclusionZonesForm),
        Page("gang-affiliations", "Is {name} involved with a gang?", pf.GangAffiliationsForm),
        Page("women-only", "Does {name} need a women-only property?", pf.WomenOnlyForm),
        Page("accessible-property", "Does {name} need an accessible or adapted property?", pf.AccessiblePropertyForm),
    ),
    depends_on=AFTER_CONSENT,
)

FUNDING = "funding-information"
funding_information = Task(
    FUNDING,
    "Funding and ID",
    (
        Page("funding-source", "How will {name} pay for their accommodation?", pf.FundingSourceForm),
        Page("national-insurance", "What is {name}’s National Insurance number?", pf.NationalInsuranceForm),
        Page("identification", "Which identity documents does {name} have?", pf.IdDocumentsForm),
    ),
    depends_on=AFTER_CONSENT,
)


# Offences and risk ---------------------------------------------------------------------------------------

alleged_offences = Task(
    "alleged-offences",
    "Alleged offences",
    (Page("alleged-offences", "Alleged offences", pf.AllegedOffencesForm, kind="list"),),
    depends_on=AFTER_CONSENT,
    applies=BAIL_ONLY,
)

current_offences = Task(
    "current-offences",
    "Current offences",
    (Page("current-offences", "Current offences", pf.CurrentOffencesForm, kind="list"),),
    depends_on=AFTER_CONSENT,
    applies=SENTENCED_ONLY,
)

HISTORY = "offending-history"
offending_history = Task(
    HISTORY,
    "Previous unspent convictions",
    (
        Page(
            "unspent-convictions",
            "Does {name} have any previous unspent convictions?",
            pf.UnspentConvictionsForm,
            next=_branch(
                HISTORY,
                "unspent-convictions",
                "answer",
                {c.YES_RELEVANT: "convictions", c.YES_NOT_RELEVANT: "convictions"},
            ),
        ),
        Page("convictions", "Previous unspent convictions", pf.ConvictionsForm, kind="list", next=END),
    ),
    depends_on=AFTER_CONSENT,
)

RISK_TO_SELF = "risk-to-self"
risk_to_self = Task(
    RISK_TO_SELF,
    "Risk to self",
    (
        Page(
            "risk-to-self",
            "Are there concerns about {name} harming themselves?",
            pf.RiskToSelfForm,
            prefill=_risk_to_self,
        ),
        Page(
            "acct-history",
            "Assessment, Care in Custody and Teamwork (ACCT) history",
            pf.AcctHistoryForm,
            kind="list",
            guidance=("Add each ACCT opened for {name}, or continue if there are none.",),
        ),
    ),
    depends_on=AFTER_CONSENT,
)

ROSH = "risk-of-serious-harm"
risk_of_serious_harm = Task(
    ROSH,
    "Risk of serious harm",
    (
        Page("rosh-levels", "What is {name}’s risk of serious harm?", pf.RoshLevelsForm, prefill=_rosh),
        Page("risk-management", "Is {name} managed under any of these arrangements?", pf.RiskManagementForm),
    ),
    depends_on=AFTER_CONSENT,
)

HEALTH = "health-needs"
health_needs = Task(
    HEALTH,
    "Health needs",
    (
        Page("substance-misuse", "Does {name} have needs relating to drugs or alcohol?", pf.SubstanceMisuseForm),
        Page("physical-health", "Does {name} have physical health or mobility needs?", pf.PhysicalHealthForm),
        Page("mental-health", "Does {name} have mental health needs?", pf.MentalHealthForm),
        Page("communication", "Does {name} need help to communicate?", pf.CommunicationForm),
        Page(
            "learning-difficulties",
            "Does {name} have learning difficulties or neurodivergent needs?",
            pf.LearningDifficultiesForm,
        ),
    ),
    depends_on=AFTER_CONSENT,
)


# Bail information ----------------------------------------------------------------------------------------

bail_conditions = Task(
    "bail-conditions",
    "Bail conditions",
    (Page("bail-conditions", "Are any non-standard bail conditions being considered?", pf.BailConditionsForm),),
    depends_on=AFTER_CONSENT,
    applies=BAIL_ONLY,
)

BAIL_HEARING = "bail-hearing"
bail_hearing = Task(
    BAIL_HEARING,
    "Bail hearing",
    (Page("bail-hearing", "Bail hearing", pf.BailHearingForm),),
    depends_on=AFTER_CONSENT,
    applies=BAIL_ONLY,
)


SECTIONS_BEFORE_CHECK = (
    Section(
        "before-you-apply",
        "Before you apply",
        (
            confirm_eligibility,
            confirm_consent,
            cohort_selection,
            hdc_licence_dates,
            referrer_details,
            solicitor_details,
        ),
    ),
    Section(
        "about-the-applicant",
        "About the applicant",
        (personal_information, address_history, equality_and_diversity),
    ),
    Section("area-funding-and-id", "Area, funding and ID", (area_information, funding_information)),
    Section(
        "offences-and-risk",
        "Offences and risk",
        (alleged_offences, current_offences, offending_history, risk_to_self, risk_of_serious_harm, health_needs),
    ),
    Section("bail-information", "Bail information", (bail_conditions, bail_hearing)),
)

check_your_answers = Task(
    "check-your-answers",
    "Check your answers",
    (Page("review", "Check your answers", kind="review"),),
    depends_on=tuple(task.slug for section in SECTIONS_BEFORE_CHECK for task in section.tasks),
)


# Typed fields for reporting, from the final answers ------------------------------------------------------


def reporting(a: Answers, ctx: dict) -> dict:
    """The typed columns set at submission. Answers of a task that does not apply to the route are
    never read (they are pruned at every save; this guards answers read before one)."""

    def value(task: Task, page: str, name: str):
        return a.value(task.slug, page, name) if task.applies_to(a, ctx) else None

    def yes(task: Task, page: str, name: str = "answer") -> bool | None:
        answer = value(task, page, name)
        return None if answer is None else answer == "yes"

    documents = value(funding_information, "identification", "documents")
    date_known = value(bail_hearing, "bail-hearing", "date_known") == "yes"
    return {
        "cohort_code": value(cohort_selection, "cohort", "cohort") or "",
        "hdc_eligibility_date": parse_date(value(hdc_licence_dates, "dates", "hdc_eligibility_date")),
        "conditional_release_date": parse_date(value(hdc_licence_dates, "dates", "conditional_release_date")),
        "bail_hearing_date": parse_date(value(bail_hearing, "bail-hearing", "hearing_date")) if date_known else None,
        "bail_hearing_court": value(bail_hearing, "bail-hearing", "court") or "",
        "preferred_area_1": value(area_information, "preferred-areas", "area_1") or "",
        "preferred_area_2": value(area_information, "preferred-areas", "area_2") or "",
        "has_exclusion_zones": yes(area_information, "exclusion-zones"),
        "rosh_level": value(risk_of_serious_harm, "rosh-levels", "overall") or "",
        "has_risk_to_self_concerns": yes(risk_to_self, "risk-to-self", "concerns"),
        "has_substance_misuse_needs": yes(health_needs, "substance-misuse"),
        "has_mental_health_needs": yes(health_needs, "mental-health"),
        "has_physical_health_needs": yes(health_needs, "physical-health"),
        "funding_source": value(funding_information, "funding-source", "source") or "",
        "has_id_documents": None if documents is None else c.NO_ID not in documents,
        "needs_accessible_property": yes(area_information, "accessible-property"),
        "needs_women_only": yes(area_information, "women-only"),
        "referrer_phone": value(referrer_details, "contact-number", "phone") or "",
        "referrer_job_title": value(referrer_details, "job-title", "job_title") or "",
        "consent_given": yes(confirm_consent, "consent", "consent"),
        "consent_given_on": parse_date(value(confirm_consent, "consent", "consent_date")),
        "is_eligible": yes(confirm_eligibility, "eligibility", "eligible"),
    }


DEFINITION = register(
    FormDefinition(
        key=KEY,
        version=VERSION,
        title="Apply for CAS2 accommodation",
        sections=(*SECTIONS_BEFORE_CHECK, Section("check-answers", "Check your answers", (check_your_answers,))),
        sequential=False,
        reporting=reporting,
    )
)
