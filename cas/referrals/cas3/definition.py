"""The CAS3 referral: 5 sections, 17 tasks, 54 pages, declared for the form engine.

Routes, pre-fill from upstream data, the evidence and consent gates, and the typed fields that
reporting reads are all here; the questions and their rules are the page forms in `forms.py`.
"""

from __future__ import annotations

from cas.core import clock
from cas.core.dates import long_date
from cas.forms_engine.answers import Answers
from cas.forms_engine.definition import END, FormDefinition, Page, Section, Task
from cas.forms_engine.registry import register
from cas.forms_engine.values import parse_date
from cas.people.ports import FLAG_REGISTERED_SEX_OFFENDER
from cas.referrals.cas3 import choices as c
from cas.referrals.cas3 import forms as pf
from cas.referrals.cas3.forms import placement_region_code

KEY = "cas3-referral"
VERSION = 1


def _branch(task: str, page: str, name: str, mapping: dict[str, str | None], default: str | None = END):
    def next_page(a: Answers, ctx: dict):
        return mapping.get(a.value(task, page, name), default)

    return next_page


# Pre-fill from the practitioner's record and the upstream snapshots taken at creation ----------------


def _practitioner(ctx: dict, a: Answers) -> dict:
    return dict(ctx["practitioner"])


def _release_date(ctx: dict, a: Answers) -> dict:
    # The prison system's date is offered only when the page would accept it: one already past (the
    # person is out) or more than three months away is left for the practitioner to give, rather than
    # shown and then refused as if they had typed it.
    prison = ctx.get("prison") or {}
    release = parse_date(prison.get("release_date"))
    if release is None or pf.outside_next_three_months(release, ctx.get("today") or clock.today(), "release date"):
        return {}
    return {"release_date": prison["release_date"]}


def _required_from(ctx: dict, a: Answers) -> dict:
    release = a.value("eligibility", "release-date", "release_date")
    return {"required_from": release} if release else {}


def _rosh(ctx: dict, a: Answers) -> dict:
    rosh = (ctx.get("risk") or {}).get("rosh") or {}
    values = {
        "risk_to_children": rosh.get("children") or "",
        "risk_to_public": rosh.get("public") or "",
        "risk_to_known_adult": rosh.get("known_adult") or "",
        "risk_to_staff": rosh.get("staff") or "",
    }
    risk_to_self = (ctx.get("risk") or {}).get("has_risk_to_self_concerns")
    if risk_to_self is not None:
        values["self_harm"] = "yes" if risk_to_self else "no"
    return values


def _risk_management_plan(ctx: dict, a: Answers) -> dict:
    if not ctx.get("rmp_imported"):
        return {}
    plan = (ctx.get("risk") or {}).get("risk_management_plan") or {}
    return {name: plan.get(name) or "" for name, _ in pf.RMP_FIELDS}


# Gates ----------------------------------------------------------------------------------------------


def _evidence_missing(values, a: Answers, ctx: dict):
    return "add the evidence from the PDU to NDelius, then tell us it is there"


def _no_consent(values, a: Answers, ctx: dict):
    if values and values.get("consent") == "no":
        name = ctx["placeholders"]["name"]
        return f"{name} must agree to the referral before you submit it"
    return None


def _no_duty_to_refer(values, a: Answers, ctx: dict):
    """A Duty to Refer not made yet does not stop the referral (the HPT sees the answer), but it is
    still needed: say so, and how the HPT hears about it once it is made."""
    if values and values.get("answer") == "no":
        name = ctx["placeholders"]["name"]
        return (
            "You can still send this referral, but the HPT will see that no Duty to Refer or application "
            f"for assistance has been made. You still need to make one: refer {name} to a local authority, "
            "with their consent, as soon as you can. Once it is made, tell the HPT its reference, date and "
            "local authority in a note on the referral."
        )
    return None


# Imported, read-only pages on check your answers -------------------------------------------------------


def _adjudications(values, a: Answers, ctx: dict) -> list[tuple[str, str]]:
    prison = ctx.get("prison")
    if not prison:
        return [("Adjudications", ctx.get("prison_problem") or "Not imported")]
    items = prison.get("adjudications") or []
    if not items:
        return [("Adjudications", "None recorded in the prison system")]
    return [
        (
            f"Adjudication {item['adjudication_id']}",
            f"{_day(item['reported_at'])}, {item['establishment']}: {item['offence_description']}. "
            f"Finding: {item['finding'] or 'none recorded'}",
        )
        for item in items
    ]


def _acct_alerts(values, a: Answers, ctx: dict) -> list[tuple[str, str]]:
    prison = ctx.get("prison")
    if not prison:
        return [("ACCT alerts", ctx.get("prison_problem") or "Not imported")]
    items = prison.get("acct_alerts") or []
    if not items:
        return [("ACCT alerts", "None recorded in the prison system")]
    return [
        (
            f"ACCT alert created {_day(item['date_created'])}",
            f"{item['comment']}. "
            + (f"Expires {_day(item['date_expires'])}" if item.get("date_expires") else "No expiry date"),
        )
        for item in items
    ]


def _day(value) -> str:
    parsed = parse_date(str(value)[:10])
    return long_date(parsed) if parsed else str(value)


# The definition --------------------------------------------------------------------------------------

PL = "placement-location"

placement_location = Task(
    PL,
    "Placement location",
    (
        Page(
            "alternative-region",
            "Is the placement for the {region} region?",
            pf.AlternativeRegionForm,
            applies=lambda a, ctx: not ctx["own_region"]["is_national"],
            next=_branch(PL, "alternative-region", "same_region", {"yes": "alternative-pdu", "no": "different-region"}),
        ),
        Page(
            "alternative-pdu",
            "Does the placement need to be in a different probation delivery unit (PDU)?",
            pf.AlternativePduForm,
            next=_branch(PL, "alternative-pdu", "different_pdu", {"yes": "alternative-pdu-reason"}),
        ),
        Page(
            "alternative-pdu-reason",
            "Why does {name} need to be placed in {pdu_name}?",
            pf.AlternativePduReasonForm,
            next=END,
        ),
        Page(
            "different-region",
            "Which region should {name} be placed in?",
            pf.DifferentRegionForm,
            next=lambda a, ctx: (
                "alternative-pdu"
                if a.value(PL, "different-region", "region") == ctx["own_region"]["code"]
                else "placement-pdu"
            ),
        ),
        Page("placement-pdu", "Which PDU should {name} be referred to?", pf.PlacementPduForm, next="pdu-evidence"),
        Page(
            "pdu-evidence",
            "Evidence from {placement_pdu} that they will consider a CAS3 bedspace for {name}",
            pf.PduEvidenceForm,
            next=_branch(PL, "pdu-evidence", "evidence", {"not_yet": "needs-evidence"}),
            template="referrals/pages/pdu_evidence.html",
        ),
        Page(
            "needs-evidence",
            "The evidence must be in NDelius before you can submit the referral",
            pf.NeedsEvidenceForm,
            next=END,
            blocker=_evidence_missing,
            template="referrals/pages/needs_evidence.html",
        ),
    ),
    # Users of the National region have no region of their own to refer to: they choose one.
    start=lambda a, ctx: "different-region" if ctx["own_region"]["is_national"] else "alternative-region",
)

OB = "offence-and-behaviour"
offence_and_behaviour = Task(
    OB,
    "Offence and behaviour summary",
    (
        Page(
            "history-of-sexual-offence",
            "Has {name} ever been convicted of a sexual offence?",
            pf.HistoryOfSexualOffenceForm,
            next=_branch(
                OB,
                "history-of-sexual-offence",
                "answer",
                {"yes": "registered-sex-offender", "no": "concerning-sexual-behaviour"},
            ),
        ),
        Page(
            "registered-sex-offender",
            "Is {name} a registered sex offender?",
            pf.RegisteredSexOffenderForm,
            next="history-of-arson-offence",
        ),
        Page(
            "concerning-sexual-behaviour",
            "Are there any concerns about {name}’s sexual behaviour?",
            pf.ConcerningSexualBehaviourForm,
            next="history-of-arson-offence",
        ),
        Page(
            "history-of-arson-offence",
            "Has {name} ever been convicted of arson?",
            pf.HistoryOfArsonForm,
            next=_branch(OB, "history-of-arson-offence", "answer", {"no": "concerning-arson-behaviour"}),
        ),
        Page("concerning-arson-behaviour", "Are there any concerns that {name} may set fires?", pf.ConcerningArsonForm),
    ),
)

sentence_information = Task(
    "sentence-information",
    "Sentence information",
    (
        Page("offending-summary", "Summarise {name}’s index offence and offending history", pf.OffendingSummaryForm),
        Page("sentence-type", "Which of these best describes the sentence?", pf.SentenceTypeForm),
        Page("sentence-length", "What is the sentence length?", pf.SentenceLengthForm),
        Page("sentence-expiry", "When does the sentence expire?", pf.SentenceExpiryForm),
        Page("release-type", "What is the release type?", pf.ReleaseTypeForm),
    ),
)

CD = "contact-details"
contact_details = Task(
    CD,
    "Contact details",
    (
        Page(
            "probation-practitioner",
            "Check your details",
            pf.ProbationPractitionerForm,
            kind="confirm",
            prefill=_practitioner,
            change_pages={
                "name": "practitioner-name",
                "email": "practitioner-email",
                "phone": "practitioner-phone",
                "pdu": "practitioner-pdu",
            },
            guidance=("We took these from your account. The HPT will use them to contact you about the referral.",),
        ),
        Page("practitioner-name", "What is your name?", pf.PractitionerNameForm, stores_in="probation-practitioner"),
        Page(
            "practitioner-email",
            "What is your email address?",
            pf.PractitionerEmailForm,
            stores_in="probation-practitioner",
        ),
        Page(
            "practitioner-phone",
            "What is your phone number?",
            pf.PractitionerPhoneForm,
            stores_in="probation-practitioner",
        ),
        Page(
            "practitioner-pdu",
            "Which probation delivery unit (PDU) are you in?",
            pf.PractitionerPduForm,
            stores_in="probation-practitioner",
        ),
        Page(
            "backup-contact",
            "Backup contact or senior probation officer",
            pf.BackupContactForm,
            guidance=("Who can the HPT contact if they cannot reach you?",),
        ),
        Page("pop-phone-number", "What is {name}’s phone number? (optional)", pf.PopPhoneNumberForm),
    ),
)

eligibility = Task(
    "eligibility",
    "Eligibility",
    (
        Page(
            "eligibility-reason",
            "How is {name} eligible for CAS3?",
            pf.EligibilityReasonForm,
            template="referrals/pages/eligibility_reason.html",
        ),
        Page("release-date", "What is {name}’s release date?", pf.ReleaseDateForm, prefill=_release_date),
        Page(
            "accommodation-required-from-date",
            "From what date does {name} need accommodation?",
            pf.AccommodationRequiredFromForm,
            prefill=_required_from,
        ),
    ),
)

consent = Task(
    "consent",
    "Consent",
    (Page("consent-given", "Has {name} agreed to this referral?", pf.ConsentForm, blocker=_no_consent),),
)

licence_conditions = Task(
    "licence-conditions",
    "Licence conditions",
    (
        Page(
            "additional-licence-conditions",
            "Which additional licence conditions does {name} have?",
            pf.LicenceConditionsForm,
        ),
    ),
)

prison_information = Task(
    "prison-information",
    "Prison information",
    (
        Page(
            "adjudications",
            "Adjudications",
            pf.AdjudicationsForm,
            summary=_adjudications,
            template="referrals/pages/adjudications.html",
        ),
        Page(
            "acct-alerts",
            "Assessment, Care in Custody and Teamwork (ACCT) alerts",
            pf.AcctAlertsForm,
            summary=_acct_alerts,
            template="referrals/pages/acct_alerts.html",
        ),
    ),
)

PC = "placement-considerations"
placement_considerations = Task(
    PC,
    "Placement considerations",
    (
        Page(
            "accommodation-sharing",
            "Is {name} suitable to share accommodation with others?",
            pf.AccommodationSharingForm,
        ),
        Page(
            "cooperation",
            "How will you support {name}’s placement, considering any risks to their support worker?",
            pf.CooperationForm,
        ),
        Page(
            "anti-social-behaviour",
            "Are there any concerns or risks about anti-social behaviour?",
            pf.AntiSocialBehaviourForm,
        ),
        Page(
            "substance-misuse",
            "Does {name} have any current or previous problems with drugs or alcohol?",
            pf.SubstanceMisuseForm,
        ),
        Page(
            "rosh-level",
            "Risk of serious harm and risk to self",
            pf.RoshLevelForm,
            prefill=_rosh,
            template="referrals/pages/rosh_level.html",
        ),
        Page(
            "risk-management-plan",
            "Risk management plan",
            pf.RiskManagementPlanForm,
            prefill=_risk_management_plan,
            template="referrals/pages/risk_management_plan.html",
        ),
    ),
)

approvals = Task(
    "approvals",
    "Approvals for specific risks",
    (
        Page(
            "approvals-for-specific-risks",
            "Have you got approval for this referral for any specific risks?",
            pf.ApprovalsForm,
        ),
    ),
)

BC = "behaviour-in-cas"
behaviour_in_cas = Task(
    BC,
    "Behaviour in CAS",
    (
        Page(
            "previous-stays",
            "Has {name} stayed in Community Accommodation Service (CAS) accommodation before?",
            pf.PreviousStaysForm,
            next=_branch(BC, "previous-stays", "answer", {"yes": "previous-stays-details"}),
        ),
        Page(
            "previous-stays-details",
            "What type of accommodation did {name} stay in?",
            pf.PreviousStaysDetailsForm,
            next=END,
        ),
    ),
)

health_needs = Task(
    "health-needs",
    "Health, disability and cultural needs",
    (
        Page("needs", "Does {name} have any of these needs?", pf.NeedsForm),
        Page(
            "property-attributes-or-adaptations",
            "Will {name} need a property with particular features or adaptations?",
            pf.PropertyAttributesForm,
        ),
        Page(
            "religious-or-cultural-needs",
            "Does {name} have any religious or cultural needs?",
            pf.ReligiousCulturalNeedsForm,
        ),
    ),
)

safeguarding = Task(
    "safeguarding-and-support",
    "Safeguarding and support",
    (
        Page(
            "safeguarding-and-vulnerability",
            "Do you have any concerns about safeguarding or vulnerability?",
            pf.SafeguardingForm,
        ),
        Page("support-in-the-community", "What support does {name} have in the community?", pf.SupportInCommunityForm),
        Page("local-connections", "What local connections does {name} have?", pf.LocalConnectionsForm),
        Page("caring-responsibilities", "Does {name} have any caring responsibilities?", pf.CaringResponsibilitiesForm),
    ),
)

food_allergies = Task(
    "food-allergies",
    "Food allergies and dietary needs",
    (Page("food-allergies", "Does {name} have any food allergies or dietary needs?", pf.FoodAllergiesForm),),
)

move_on_plan = Task(
    "move-on-plan",
    "Move-on plan",
    (Page("move-on-plan", "How will you prepare {name} to move on after the placement?", pf.MoveOnPlanForm),),
)

RR = "accommodation-referral-details"
accommodation_referral_details = Task(
    RR,
    "Accommodation referral details",
    (
        Page(
            "dtr-submitted",
            "Has a Duty to Refer (England) or application for assistance (Wales) been made?",
            pf.DutyToReferSubmittedForm,
            next=_branch(RR, "dtr-submitted", "answer", {"yes": "dtr-details"}, default="crs-submitted"),
            consequence=_no_duty_to_refer,
        ),
        Page("dtr-details", "Duty to Refer details", pf.DutyToReferDetailsForm, next="crs-submitted"),
        Page(
            "crs-submitted",
            "Has a referral to Commissioned Rehabilitative Services (CRS) been made?",
            pf.CrsSubmittedForm,
            next="other-accommodation-options",
        ),
        Page(
            "other-accommodation-options",
            "Have other accommodation options been considered?",
            pf.OtherAccommodationOptionsForm,
            next=END,
        ),
    ),
)

ALL_TASKS_BEFORE_CHECK = (
    PL,
    OB,
    "sentence-information",
    CD,
    "eligibility",
    "consent",
    "licence-conditions",
    "prison-information",
    PC,
    "approvals",
    BC,
    "health-needs",
    "safeguarding-and-support",
    "food-allergies",
    "move-on-plan",
    RR,
)

check_your_answers = Task(
    "check-your-answers",
    "Check your answers",
    (Page("review", "Check your answers", kind="review"),),
    depends_on=ALL_TASKS_BEFORE_CHECK,
)


# Typed fields for reporting, from the final answers ------------------------------------------------------


def _yes(a: Answers, task: str, page: str, name: str = "answer") -> bool | None:
    value = a.value(task, page, name)
    return None if value is None else value == "yes"


def registered_sex_offender(answer: bool | None, risk: dict | None) -> bool | None:
    """Whether the person is a registered sex offender: yes when the case system holds the
    registration (its risk flags, copied when the draft was made) or the practitioner said so; no when
    the case system was read and holds none and the practitioner was not asked (the form asks only
    after a sexual offence) or said no; not known only when the case system could not be read and
    the practitioner was not asked."""
    if risk is not None and FLAG_REGISTERED_SEX_OFFENDER in (risk.get("flags") or ()):
        return True
    if answer is not None:
        return answer
    return False if risk is not None else None


def destination(a: Answers, ctx: dict) -> dict:
    """Where the referral goes: region and PDU codes, and whether it is out of the referrer's region."""
    own = ctx["own_region"]["code"]
    region = placement_region_code(a, ctx)
    out_of_region = region != own
    if out_of_region:
        pdu = a.value(PL, "placement-pdu", "pdu")
    elif a.value(PL, "alternative-pdu", "different_pdu") == "yes":
        pdu = a.value(PL, "alternative-pdu", "pdu")
    else:
        pdu = a.value(CD, "probation-practitioner", "pdu")
    return {"region_code": region, "pdu_code": pdu or "", "is_out_of_region": out_of_region}


def reporting(a: Answers, ctx: dict) -> dict:
    release_types = a.value("sentence-information", "release-type", "release_types") or []
    dtr = _yes(a, RR, "dtr-submitted")
    reason = a.value("eligibility", "eligibility-reason", "reason")
    return {
        **destination(a, ctx),
        "release_date": parse_date(a.value("eligibility", "release-date", "release_date")),
        "accommodation_required_from": parse_date(
            a.value("eligibility", "accommodation-required-from-date", "required_from")
        ),
        "has_history_of_sexual_offence": _yes(a, OB, "history-of-sexual-offence"),
        "is_registered_sex_offender": registered_sex_offender(_yes(a, OB, "registered-sex-offender"), ctx.get("risk")),
        "has_concerning_sexual_behaviour": _yes(a, OB, "concerning-sexual-behaviour"),
        "has_history_of_arson": _yes(a, OB, "history-of-arson-offence"),
        "has_concerning_arson_behaviour": _yes(a, OB, "concerning-arson-behaviour"),
        "needs_accessible_property": _yes(a, "health-needs", "property-attributes-or-adaptations"),
        "is_duty_to_refer_submitted": dtr,
        "duty_to_refer_submitted_on": parse_date(a.value(RR, "dtr-details", "submitted_on")) if dtr else None,
        "duty_to_refer_local_authority_code": (a.value(RR, "dtr-details", "local_authority") or "") if dtr else "",
        "duty_to_refer_outcome": (a.value(RR, "dtr-details", "outcome") or "") if dtr else "",
        "is_eligible": reason is not None,
        "eligibility_reason": reason or "",
        "prison_release_types": ",".join(
            c.RELEASE_TYPES_BY_KEY[k].abbreviation for k in release_types if k in c.RELEASE_TYPES_BY_KEY
        ),
        "is_able_to_share": _yes(a, PC, "accommodation-sharing"),
        "has_risk_to_self_concerns": _yes(a, PC, "rosh-level", "self_harm"),
        "safety_plan": a.value(PC, "rosh-level", "safety_plan") or "",
        "consent_given": _yes(a, "consent", "consent-given", "consent"),
    }


DEFINITION = register(
    FormDefinition(
        key=KEY,
        version=VERSION,
        title="Make a referral for transitional accommodation (CAS3)",
        sections=(
            Section(
                "accommodation-need",
                "Accommodation need",
                (
                    placement_location,
                    offence_and_behaviour,
                    sentence_information,
                    contact_details,
                    eligibility,
                    consent,
                ),
            ),
            Section(
                "risks-and-needs",
                "Placement risks and needs",
                (licence_conditions, prison_information, placement_considerations, approvals, behaviour_in_cas),
            ),
            Section(
                "health-and-safeguarding",
                "Health, disability, culture and safeguarding",
                (health_needs, safeguarding, food_allergies, move_on_plan),
            ),
            Section("required-referrals", "Required referrals", (accommodation_referral_details,)),
            Section("check-answers", "Check your answers", (check_your_answers,)),
        ),
        reporting=reporting,
        # No task's questions depend on another task's answers (the release date and the date
        # accommodation is needed from, which do, are one task), so the tasks can be done in any
        # order; only check your answers waits for every other task (`ALL_TASKS_BEFORE_CHECK`).
        sequential=False,
    )
)
