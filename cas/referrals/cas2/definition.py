"""The CAS2 application, declared for the form engine: one form for every route (court bail, prison
bail, Home Detention Curfew and the probation cohorts)."""

from __future__ import annotations

from cas.forms_engine import forms as f
from cas.forms_engine.answers import Answers
from cas.forms_engine.definition import FormDefinition, Page, Section, Task
from cas.forms_engine.registry import register
from cas.forms_engine.values import parse_date

KEY = "cas2-referral"
VERSION = 1

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


class ConsentForm(f.PageForm):
    heading_field = "consent"
    consent = f.yes_no(
        "Has {name} agreed to this application?", error="Select yes if {name} has agreed to this application"
    )
    consent_date = f.date("When did they agree?", what="the date they agreed", required=False)
    conditional_fields = {"consent": {"yes": ("consent_date",)}}


class PreferredAreasForm(f.PageForm):
    first_area = f.text("First preferred area (town, city or region)", error="Enter the first preferred area")
    second_area = f.text("Second preferred area (optional)", required=False)


def _no_consent(values, a: Answers, ctx: dict):
    if values and values.get("consent") == "no":
        return f"{ctx['placeholders']['name']} must agree to the application before you submit it"
    return None


def reporting(a: Answers, ctx: dict) -> dict:
    fields = dict.fromkeys(REPORTING_FIELDS)
    consent = a.value("consent", "consent-given", "consent")
    fields.update(
        cohort_code="",
        bail_hearing_court="",
        preferred_area_1=a.value("areas", "preferred-areas", "first_area") or "",
        preferred_area_2=a.value("areas", "preferred-areas", "second_area") or "",
        rosh_level=((ctx.get("risk") or {}).get("rosh") or {}).get("overall") or "",
        funding_source="",
        referrer_phone=ctx["referrer"]["phone"] or "",
        referrer_job_title="",
        consent_given=None if consent is None else consent == "yes",
        consent_given_on=parse_date(a.value("consent", "consent-given", "consent_date")),
    )
    return fields


DEFINITION = register(
    FormDefinition(
        key=KEY,
        version=VERSION,
        title="Apply for accommodation with support (CAS2)",
        sections=(
            Section(
                "before-you-apply",
                "Before you apply",
                (
                    Task(
                        "consent",
                        "Confirm consent",
                        (
                            Page(
                                "consent-given",
                                "Has {name} agreed to this application?",
                                ConsentForm,
                                blocker=_no_consent,
                            ),
                        ),
                    ),
                ),
            ),
            Section(
                "area",
                "Area",
                (
                    Task(
                        "areas",
                        "Add preferred areas",
                        (Page("preferred-areas", "Preferred areas", PreferredAreasForm),),
                    ),
                ),
            ),
            Section(
                "check-answers",
                "Check your answers",
                (
                    Task(
                        "check-your-answers",
                        "Check your answers",
                        (Page("review", "Check your answers", kind="review"),),
                    ),
                ),
            ),
        ),
        reporting=reporting,
    )
)
