"""The CAS2 application form on the engine, with hand-built contexts: which tasks apply to each
route, a complete application per route with its reporting fields, the HDC date rules at each
boundary, the consent and eligibility gates, the repeating lists, and the form's context."""

import datetime as dt
from types import SimpleNamespace

import pytest

from cas.forms_engine import engine
from cas.forms_engine.answers import Answers
from cas.forms_engine.engine import TaskStatus
from cas.forms_engine.registry import get
from cas.referrals.cas2 import choices as c
from cas.referrals.cas2.context import form_context
from cas.referrals.cas2.definition import DEFINITION, KEY, REPORTING_FIELDS
from cas.referrals.models import ReferralCohort

TODAY = dt.date(2026, 11, 23)
RISK = {
    "rosh": {"children": "Low", "public": "Medium", "known_adult": "High", "staff": "Low", "overall": "High"},
    "has_risk_to_self_concerns": True,
    "assessment_completed_on": "2026-09-01",
}


def ctx(route: str, **extra) -> dict:
    return {
        "placeholders": {"name": "Sam Jones"},
        "today": TODAY,
        "route": route,
        "cohorts": [("hcrd", "Home Detention Curfew recall"), ("rarr", "Risk assessed recall review")],
        "referrer": {"name": "Ann Lee", "email": "ann.lee@justice.gov.uk", "phone": "01632 960 001"},
        "risk": RISK,
        "prison": {"prison_name": "HMP Leeds"},
        "person": {"sex": "Female", "gender_identity": "", "date_of_birth": dt.date(1990, 1, 1)},
        **extra,
    }


def day(name: str, value: dt.date) -> dict:
    return {f"{name}-day": str(value.day), f"{name}-month": str(value.month), f"{name}-year": str(value.year)}


def post(answers: Answers, context: dict, task: str, page: str, data: dict) -> Answers:
    """Validate a page as a browser posts it and save it, as the app's save path does."""
    t = DEFINITION.task(task)
    p = t.page(page)
    assert engine.is_reachable(t, p, answers, context), f"{task}/{page} is not reachable"
    form = p.form(data, context=context, answers=answers)
    assert form.is_valid(), (task, page, form.errors)
    new, _ = engine.save(DEFINITION, answers, t, p, form.values(), context)
    return new


def errors(context: dict, task: str, page: str, data: dict, answers: Answers | None = None) -> dict:
    form = DEFINITION.task(task).page(page).form(data, context=context, answers=answers or Answers())
    form.is_valid()
    return form.errors


OFFENCE = {
    "title": "Burglary",
    "offence_type": "other",
    **day("offence_date", dt.date(2026, 3, 1)),
    "sentence_length": "18 months",
    "summary": "Broke into a shed.",
}
ALLEGED = {"offence": "Assault", **day("offence_date", dt.date(2026, 11, 20))}
CRD = TODAY + dt.timedelta(days=40)
HDCED = TODAY + dt.timedelta(days=5)
HEARING = TODAY + dt.timedelta(days=2)

# Every page of every task, as a complete application fills it in (tasks that apply only to some
# routes are skipped for the others).
PAGES = [
    ("confirm-consent", "consent", {"consent": "yes", **day("consent_date", TODAY - dt.timedelta(days=1))}),
    ("confirm-eligibility", "eligibility", {"eligible": "yes"}),
    ("cohort-selection", "cohort", {"cohort": "rarr", "notes": ""}),
    (
        "cohort-selection",
        "licence-dates",
        {**day("licence_start", dt.date(2026, 12, 1)), **day("licence_end", dt.date(2027, 6, 1))},
    ),
    ("hdc-licence-dates", "dates", {**day("hdc_eligibility_date", HDCED), **day("conditional_release_date", CRD)}),
    ("referrer-details", "your-details", {"name": "Ann Lee", "email": "ann.lee@justice.gov.uk"}),
    ("referrer-details", "job-title", {"job_title": "Prison offender manager"}),
    ("referrer-details", "contact-number", {"phone": "01632 960 001"}),
    ("referrer-details", "based-at", {"based_at": "HMP Leeds"}),
    ("solicitor-details", "has-solicitor", {"has_solicitor": "yes"}),
    ("solicitor-details", "solicitor", {"solicitor_name": "Pat Kay", "firm": "Kay and Co", "email": "", "phone": ""}),
    ("personal-information", "mobile-phone", {"has_mobile": "yes", "number": "07700 900 982"}),
    ("personal-information", "custody-location", {"location": "HMP Leeds"}),
    ("personal-information", "immigration-status", {"status": "uk_citizen"}),
    ("personal-information", "pregnancy", {"pregnant": "no"}),
    ("address-history", "previous-address", {"had_address": "no", "time_without_address": "6 months"}),
    ("equality-and-diversity", "opt-in", {"answer": "no"}),
    (
        "area-information",
        "preferred-areas",
        {"area_1": "Leeds", "area_1_reason": "Family", "area_2": "Bradford", "area_2_reason": "Work"},
    ),
    ("area-information", "exclusion-zones", {"answer": "yes", "detail": "Not within 1 mile of Headingley"}),
    ("area-information", "gang-affiliations", {"answer": "no"}),
    ("area-information", "women-only", {"answer": "yes"}),
    ("area-information", "accessible-property", {"answer": "no"}),
    ("funding-information", "funding-source", {"source": c.HOUSING_BENEFIT}),
    ("funding-information", "national-insurance", {"number": "qq 12 34 56 c"}),
    ("funding-information", "identification", {"documents": ["passport", "bank_card"]}),
    ("alleged-offences", "alleged-offences", {"action": "add", **ALLEGED}),
    ("current-offences", "current-offences", {"action": "add", **OFFENCE}),
    ("offending-history", "unspent-convictions", {"answer": "no"}),
    ("risk-to-self", "risk-to-self", {"concerns": "yes", "detail": "Self-harm in 2024"}),
    ("risk-to-self", "acct-history", {}),
    (
        "risk-of-serious-harm",
        "rosh-levels",
        {"children": "Low", "public": "Medium", "known_adult": "High", "staff": "Low", "overall": "High"},
    ),
    ("risk-of-serious-harm", "risk-management", {"arrangements": ["mappa"], "mappa_detail": "Category 2, level 1"}),
    ("health-needs", "substance-misuse", {"answer": "yes", "detail": "Alcohol"}),
    ("health-needs", "physical-health", {"answer": "no"}),
    ("health-needs", "mental-health", {"answer": "yes", "detail": "Anxiety"}),
    ("health-needs", "communication", {"answer": "no"}),
    ("health-needs", "learning-difficulties", {"answer": "no"}),
    ("bail-conditions", "bail-conditions", {"answer": "no"}),
    (
        "bail-hearing",
        "bail-hearing",
        {"date_known": "yes", **day("hearing_date", HEARING), "court": "Leeds Crown Court", "medium": "video"},
    ),
    ("check-your-answers", "review", {}),
]

APPLIES = {
    c.COURT_BAIL: {"solicitor-details", "alleged-offences", "bail-conditions", "bail-hearing"},
    c.PRISON_BAIL: {"solicitor-details", "alleged-offences", "bail-conditions", "bail-hearing"},
    c.HDC: {"hdc-licence-dates", "current-offences"},
    c.PROBATION: {"cohort-selection", "current-offences"},
}
ROUTE_TASKS = set().union(*APPLIES.values())


def complete(route: str) -> Answers:
    context = ctx(route)
    a = Answers()
    for task, page, data in PAGES:
        if not DEFINITION.task(task).applies_to(a, context):
            continue
        if page == "custody-location" and route not in c.CUSTODIAL_ROUTES:
            continue
        a = post(a, context, task, page, data)
    return a


def test_it_is_registered_with_every_task_after_consent_and_check_answers_last():
    assert get(KEY) is DEFINITION and not DEFINITION.sequential
    for task in DEFINITION.tasks():
        if task.slug == "confirm-consent":
            assert DEFINITION.dependencies(task) == ()
        elif task.slug == "check-your-answers":
            others = {t.slug for t in DEFINITION.tasks()} - {"check-your-answers"}
            assert set(DEFINITION.dependencies(task)) == others
        else:
            assert DEFINITION.dependencies(task) == ("confirm-consent",), task.slug


@pytest.mark.parametrize("route", c.ROUTES)
def test_each_route_gets_its_own_tasks_and_the_others_do_not_apply(route):
    statuses = engine.task_statuses(DEFINITION, Answers(), ctx(route))
    not_applicable = {slug for slug, status in statuses.items() if status == TaskStatus.NOT_APPLICABLE}
    assert not_applicable == ROUTE_TASKS - APPLIES[route]
    assert statuses["confirm-consent"] == TaskStatus.NOT_STARTED
    assert {s for slug, s in statuses.items() if slug not in not_applicable | {"confirm-consent"}} == {
        TaskStatus.CANNOT_START
    }
    # Pages of the tasks that do not apply cannot be opened, even with consent recorded.
    a = post(Answers(), ctx(route), *PAGES[0])
    for slug in not_applicable:
        task = DEFINITION.task(slug)
        assert not any(engine.is_reachable(task, page, a, ctx(route)) for page in task.pages)
    statuses = engine.task_statuses(DEFINITION, a, ctx(route))
    assert {slug for slug, s in statuses.items() if s == TaskStatus.CANNOT_START} == {"check-your-answers"}


def test_custody_location_is_asked_only_on_custodial_routes():
    task = DEFINITION.task("personal-information")
    for route in c.ROUTES:
        a = post(Answers(), ctx(route), *PAGES[0])
        a = post(a, ctx(route), "personal-information", "mobile-phone", {"has_mobile": "no"})
        shown = engine.route(task, a, ctx(route)).stopped_at.slug
        assert shown == ("custody-location" if route in c.CUSTODIAL_ROUTES else "immigration-status")
    # Pre-filled from the prison snapshot.
    page = task.page("custody-location")
    assert engine.current_values(task, page, Answers(), ctx(c.HDC)) == {"location": "HMP Leeds"}


EXPECTED_COMMON = {
    "preferred_area_1": "Leeds",
    "preferred_area_2": "Bradford",
    "has_exclusion_zones": True,
    "rosh_level": "High",
    "has_risk_to_self_concerns": True,
    "has_substance_misuse_needs": True,
    "has_mental_health_needs": True,
    "has_physical_health_needs": False,
    "funding_source": "housing_benefit",
    "has_id_documents": True,
    "needs_accessible_property": False,
    "needs_women_only": True,
    "referrer_phone": "01632 960 001",
    "referrer_job_title": "Prison offender manager",
    "consent_given": True,
    "consent_given_on": TODAY - dt.timedelta(days=1),
    "is_eligible": True,
}
NO_ROUTE_FIELDS = {
    "cohort_code": "",
    "hdc_eligibility_date": None,
    "conditional_release_date": None,
    "bail_hearing_date": None,
    "bail_hearing_court": "",
}
ROUTE_FIELDS = {
    c.COURT_BAIL: {"bail_hearing_date": HEARING, "bail_hearing_court": "Leeds Crown Court"},
    c.PRISON_BAIL: {"bail_hearing_date": HEARING, "bail_hearing_court": "Leeds Crown Court"},
    c.HDC: {"hdc_eligibility_date": HDCED, "conditional_release_date": CRD},
    c.PROBATION: {"cohort_code": "rarr"},
}


@pytest.mark.parametrize("route", c.ROUTES)
def test_a_complete_application_has_no_problems_and_reports_its_typed_fields(route):
    a = complete(route)
    context = ctx(route)
    assert engine.problems(DEFINITION, a, context) == []
    statuses = engine.task_statuses(DEFINITION, a, context)
    assert {slug for slug, s in statuses.items() if s != TaskStatus.COMPLETED} == ROUTE_TASKS - APPLIES[route]
    fields = DEFINITION.reporting(a, context)
    assert tuple(fields) == REPORTING_FIELDS
    assert fields == {**EXPECTED_COMMON, **NO_ROUTE_FIELDS, **ROUTE_FIELDS[route]}
    # Check your answers and the document leave out the tasks that do not apply.
    titles = {t.slug for s in engine.check_answers(DEFINITION, a, context) for t in s.tasks}
    assert titles.isdisjoint(ROUTE_TASKS - APPLIES[route]) and APPLIES[route] <= titles
    document = engine.document(DEFINITION, a, context)
    assert document["form"] == KEY and document["version"] == 1
    questions = {q["question"]: q["answer"] for s in document["sections"] for t in s["tasks"] for q in t["questions"]}
    if route in c.SENTENCED_ROUTES:
        assert questions["Offence 1"].startswith("Offence: Burglary\nType of offence: Other\n")
    else:
        assert (
            questions["Alleged offence 1"] == "Alleged offence: Assault\nDate of the alleged offence: 20 November 2026"
        )
    assert questions["ACCT history"] == "None added"


def test_reporting_of_an_empty_application_is_all_blank():
    fields = DEFINITION.reporting(Answers(), ctx(c.HDC))
    assert tuple(fields) == REPORTING_FIELDS
    assert all(value in (None, "") for value in fields.values())


def test_reporting_reads_no_answers_of_a_task_that_does_not_apply():
    a = complete(c.HDC)
    fields = DEFINITION.reporting(a, ctx(c.PROBATION))
    assert fields["hdc_eligibility_date"] is None and fields["conditional_release_date"] is None


def test_other_answers_report_as_they_should():
    context = ctx(c.COURT_BAIL)
    a = complete(c.COURT_BAIL)
    a = post(a, context, "bail-hearing", "bail-hearing", {"date_known": "no", "court": "", "medium": "in_court"})
    a = post(a, context, "funding-information", "identification", {"documents": [c.NO_ID]})
    a = post(a, context, "funding-information", "funding-source", {"source": c.PERSONAL_MONEY})
    a = post(a, context, "area-information", "exclusion-zones", {"answer": "no"})
    fields = DEFINITION.reporting(a, context)
    assert fields["bail_hearing_date"] is None and fields["bail_hearing_court"] == ""
    assert fields["has_id_documents"] is False and fields["funding_source"] == "personal_money"
    assert fields["has_exclusion_zones"] is False
    assert errors(context, "funding-information", "identification", {"documents": [c.NO_ID, "passport"]})


# HDC licence dates ---------------------------------------------------------------------------------------


def hdc_dates(crd: dt.date, hdced: dt.date | None = None) -> dict:
    return {**day("hdc_eligibility_date", hdced or crd - dt.timedelta(days=30)), **day("conditional_release_date", crd)}


def consented(route: str) -> Answers:
    return post(Answers(), ctx(route), *PAGES[0])


@pytest.mark.parametrize(
    ("days", "route_pages", "blocked"),
    [
        (0, ["dates", "too-late"], True),
        (10, ["dates", "too-late"], True),
        (11, ["dates", "late-warning"], False),
        (20, ["dates", "late-warning"], False),
        (21, ["dates"], False),
    ],
)
def test_the_conditional_release_date_gates_the_application_by_days_from_today(days, route_pages, blocked):
    context = ctx(c.HDC)
    task = DEFINITION.task("hdc-licence-dates")
    a = post(consented(c.HDC), context, "hdc-licence-dates", "dates", hdc_dates(TODAY + dt.timedelta(days=days)))
    r = engine.route(task, a, context)
    assert r.slugs() == route_pages
    found = [p for p in engine.problems(DEFINITION, a, context) if p.task == "hdc-licence-dates"]
    if blocked:
        assert r.blockers and not r.complete
        assert found[0].message == (
            "HDC licence dates: the application cannot be submitted: the conditional release date is 10 days "
            "or fewer away"
        )
        assert engine.task_statuses(DEFINITION, a, context)["hdc-licence-dates"] == TaskStatus.IN_PROGRESS
    elif "late-warning" in route_pages:
        # A warning: accepting it (continuing from the page) completes the task.
        assert r.stopped_at.slug == "late-warning" and found
        a = post(a, context, "hdc-licence-dates", "late-warning", {})
        assert engine.route(task, a, context).complete
    else:
        assert r.complete and not found


def test_a_warning_accepted_earlier_is_pruned_once_the_date_moves_away():
    context = ctx(c.HDC)
    a = post(consented(c.HDC), context, "hdc-licence-dates", "dates", hdc_dates(TODAY + dt.timedelta(days=15)))
    a = post(a, context, "hdc-licence-dates", "late-warning", {})
    a = post(a, context, "hdc-licence-dates", "dates", hdc_dates(TODAY + dt.timedelta(days=60)))
    assert not a.is_answered("hdc-licence-dates", "late-warning")


def test_hdc_date_rules():
    context = ctx(c.HDC)
    crd = TODAY + dt.timedelta(days=100)  # 3 March 2027
    no_dates = errors(context, "hdc-licence-dates", "dates", {})
    assert no_dates == {
        "hdc_eligibility_date": ["Enter the HDC eligibility date"],
        "conditional_release_date": ["Enter the conditional release date"],
    }
    unreal = {**hdc_dates(crd), "conditional_release_date-day": "31", "conditional_release_date-month": "2"}
    assert errors(context, "hdc-licence-dates", "dates", unreal)["conditional_release_date"] == [
        "The conditional release date must be a real date"
    ]
    past = errors(context, "hdc-licence-dates", "dates", hdc_dates(TODAY - dt.timedelta(days=1)))
    assert past == {"conditional_release_date": ["The conditional release date must be today or in the future"]}
    for hdced in (crd, crd + dt.timedelta(days=1)):
        assert errors(context, "hdc-licence-dates", "dates", hdc_dates(crd, hdced)) == {
            "hdc_eligibility_date": ["The HDC eligibility date must be before the conditional release date"]
        }
    # Exactly 12 months before is allowed; a day more is not.
    assert errors(context, "hdc-licence-dates", "dates", hdc_dates(crd, dt.date(2026, 3, 3))) == {}
    assert errors(context, "hdc-licence-dates", "dates", hdc_dates(crd, dt.date(2026, 3, 2))) == {
        "hdc_eligibility_date": [
            "The HDC eligibility date must be no more than 12 months before the conditional release date, "
            "so on or after 3 March 2026"
        ]
    }


# Gates ---------------------------------------------------------------------------------------------------


def test_refused_consent_blocks_everything_and_explains_why():
    context = ctx(c.PRISON_BAIL)
    assert errors(context, "confirm-consent", "consent", {"consent": "no"}) == {
        "refusal_detail": ["Enter why Sam Jones did not agree"]
    }
    assert errors(context, "confirm-consent", "consent", {"consent": "yes"}) == {
        "consent_date": ["Enter the date Sam Jones agreed"]
    }
    tomorrow = day("consent_date", TODAY + dt.timedelta(days=1))
    assert errors(context, "confirm-consent", "consent", {"consent": "yes", **tomorrow}) == {
        "consent_date": ["The date they agreed must be today or in the past"]
    }
    a = post(
        Answers(),
        context,
        "confirm-consent",
        "consent",
        {"consent": "no", "refusal_detail": "Wants to stay with family"},
    )
    statuses = engine.task_statuses(DEFINITION, a, context)
    assert statuses["confirm-consent"] == TaskStatus.IN_PROGRESS
    assert statuses["referrer-details"] == TaskStatus.CANNOT_START
    found = engine.problems(DEFINITION, a, context)
    assert found[0].task == "confirm-eligibility"  # the task list's order
    consent = [p.message for p in found if p.task == "confirm-consent"]
    assert consent == ["Confirm consent: Sam Jones must agree to the application before you can submit it"]
    assert DEFINITION.reporting(a, context)["consent_given"] is False


def test_an_applicant_who_is_not_eligible_cannot_be_submitted():
    context = ctx(c.HDC)
    a = complete(c.HDC)
    a = post(a, context, "confirm-eligibility", "eligibility", {"eligible": "no"})
    assert [p.message for p in engine.problems(DEFINITION, a, context)] == [
        "Confirm eligibility: Sam Jones is not eligible for CAS2: refer them to the regional accommodation "
        "provider (Commissioned Rehabilitative Services) instead",
        "Check your answers: check and confirm your answers",
    ]
    assert DEFINITION.reporting(a, context)["is_eligible"] is False


def test_the_eligibility_criteria_depend_on_the_route():
    form = DEFINITION.task("confirm-eligibility").page("eligibility").form(context=ctx(c.HDC))
    assert form.criteria() == c.HDC_CRITERIA
    for route in (c.COURT_BAIL, c.PRISON_BAIL, c.PROBATION):
        assert DEFINITION.task("confirm-eligibility").page("eligibility").form(context=ctx(route)).criteria() == (
            c.BAIL_CRITERIA
        )


# Pre-fill and choices from the context -------------------------------------------------------------------


def test_referrer_and_risk_pages_are_pre_filled_from_the_context():
    context = ctx(c.PROBATION)
    referrer = DEFINITION.task("referrer-details")
    assert engine.current_values(referrer, referrer.page("your-details"), Answers(), context) == {
        "name": "Ann Lee",
        "email": "ann.lee@justice.gov.uk",
    }
    assert engine.current_values(referrer, referrer.page("contact-number"), Answers(), context) == {
        "phone": "01632 960 001"
    }
    rosh = DEFINITION.task("risk-of-serious-harm")
    assert engine.current_values(rosh, rosh.page("rosh-levels"), Answers(), context) == RISK["rosh"]
    self_harm = DEFINITION.task("risk-to-self")
    assert engine.current_values(self_harm, self_harm.page("risk-to-self"), Answers(), context) == {"concerns": "yes"}
    # An OASys assessment more than 6 months old, or none, pre-fills nothing: entered by hand.
    for risk in ({**RISK, "assessment_completed_on": "2026-05-22"}, None):
        old = {**context, "risk": risk}
        assert engine.current_values(rosh, rosh.page("rosh-levels"), Answers(), old) == {}
        assert engine.current_values(self_harm, self_harm.page("risk-to-self"), Answers(), old) == {}
    # Exactly 6 months counts as recent.
    recent = {**context, "risk": {**RISK, "assessment_completed_on": "2026-05-23"}}
    assert engine.current_values(rosh, rosh.page("rosh-levels"), Answers(), recent) == RISK["rosh"]


def test_cohorts_come_from_the_context_and_licence_dates_are_in_order():
    context = ctx(c.PROBATION)
    form = DEFINITION.task("cohort-selection").page("cohort").form(context=context)
    assert form.fields["cohort"].choices == context["cohorts"]
    assert errors(context, "cohort-selection", "cohort", {"cohort": "atcr"}) == {
        "cohort": ["Select why Sam Jones needs CAS2 accommodation"]
    }
    backwards = {**day("licence_start", dt.date(2027, 1, 2)), **day("licence_end", dt.date(2027, 1, 2))}
    assert errors(context, "cohort-selection", "licence-dates", backwards) == {
        "licence_end": ["The licence end date must be after the licence start date"]
    }


def test_other_page_rules():
    context = ctx(c.COURT_BAIL)
    yesterday = TODAY - dt.timedelta(days=1)
    assert errors(
        context,
        "bail-hearing",
        "bail-hearing",
        {"date_known": "yes", **day("hearing_date", yesterday), "medium": "video"},
    ) == {"hearing_date": ["The date of the bail hearing must be today or in the future"]}
    assert errors(context, "bail-hearing", "bail-hearing", {"date_known": "no"}) == {
        "medium": ["Select how the hearing will take place"]
    }
    assert errors(context, "referrer-details", "contact-number", {"phone": ""}) == {
        "phone": ["Enter your phone number"]
    }
    assert errors(context, "referrer-details", "contact-number", {"phone": "call me"}) == {
        "phone": ["Enter your phone number in the correct format, like 01632 960 001 or 07700 900 982"]
    }
    assert errors(context, "referrer-details", "job-title", {"job_title": ""}) == {
        "job_title": ["Enter your job title"]
    }
    assert errors(context, "funding-information", "national-insurance", {"number": "123"}) == {
        "number": ["Enter the National Insurance number in the correct format, like QQ 12 34 56 C"]
    }
    assert errors(context, "personal-information", "pregnancy", {"pregnant": "yes"}) == {
        "due_date": ["Enter the due date"]
    }
    assert errors(context, "risk-of-serious-harm", "rosh-levels", {})["overall"] == [
        "Select the overall risk of serious harm"
    ]
    assert errors(context, "risk-of-serious-harm", "rosh-levels", {"overall": "high"})["overall"] == [
        "Select the overall risk of serious harm"
    ]
    assert errors(context, "risk-of-serious-harm", "risk-management", {"arrangements": ["marac"]}) == {
        "marac_detail": ["Enter the MARAC details"]
    }


def test_equality_questions_are_asked_only_after_opting_in():
    context = ctx(c.HDC)
    task = DEFINITION.task("equality-and-diversity")
    a = post(consented(c.HDC), context, "equality-and-diversity", "opt-in", {"answer": "yes"})
    assert engine.route(task, a, context).stopped_at.slug == "monitoring"
    answers = {
        "sex": "prefer_not_to_say",
        "gender_same_as_sex": "yes",
        "ethnic_group": "white",
        "disability": "no",
        "religion": "none",
    }
    a = post(a, context, "equality-and-diversity", "monitoring", answers)
    assert engine.route(task, a, context).complete
    a = post(a, context, "equality-and-diversity", "opt-in", {"answer": "no"})
    assert not a.is_answered("equality-and-diversity", "monitoring")


# Repeating lists -----------------------------------------------------------------------------------------


def test_current_offences_need_at_least_one_and_each_is_validated():
    context = ctx(c.HDC)
    a = consented(c.HDC)
    task = DEFINITION.task("current-offences")
    page = task.page("current-offences")
    assert errors(context, "current-offences", "current-offences", {}, a) == {
        "__all__": ["Add at least one current offence"]
    }
    future = {**OFFENCE, **day("offence_date", TODAY + dt.timedelta(days=1))}
    assert errors(context, "current-offences", "current-offences", {"action": "add", **future}, a) == {
        "offence_date": ["The date of the offence must be today or in the past"]
    }
    assert errors(context, "current-offences", "current-offences", {"action": "add", "title": "Theft"}, a) == {
        "offence_type": ["Select the type of offence"],
        "offence_date": ["Enter the date of the offence"],
        "sentence_length": ["Enter the sentence length"],
        "summary": ["Enter a summary of the offence"],
    }
    a = post(a, context, "current-offences", "current-offences", {"action": "add", **OFFENCE})
    a = post(a, context, "current-offences", "current-offences", {"action": "add", **OFFENCE, "title": "Theft"})
    assert [o["title"] for o in a.value("current-offences", "current-offences", "items")] == ["Burglary", "Theft"]
    a = post(a, context, "current-offences", "current-offences", {"action": "remove", "index": "0"})
    assert [o["title"] for o in a.value("current-offences", "current-offences", "items")] == ["Theft"]
    assert engine.route(task, a, context).complete
    a = post(a, context, "current-offences", "current-offences", {"action": "remove", "index": "0"})
    assert engine.route(task, a, context).stopped_at == page
    assert [p.message for p in engine.problems(DEFINITION, a, context) if p.task == "current-offences"] == [
        "Current offences: change your answer to ‘Current offences’. Add at least one current offence"
    ]


def test_unspent_convictions_are_listed_only_when_there_are_some():
    context = ctx(c.PROBATION)
    task = DEFINITION.task("offending-history")
    a = post(consented(c.PROBATION), context, "offending-history", "unspent-convictions", {"answer": c.YES_RELEVANT})
    assert engine.route(task, a, context).stopped_at.slug == "convictions"
    conviction = {"offence_type": "drugs", "count": "2", "details": "Possession"}
    assert errors(context, "offending-history", "convictions", {"action": "add", **conviction, "count": "0"}, a) == {
        "count": ["The number of convictions must be 1 or more"]
    }
    a = post(a, context, "offending-history", "convictions", {"action": "add", **conviction})
    assert a.value("offending-history", "convictions", "items") == [
        {"offence_type": "drugs", "count": 2, "details": "Possession"}
    ]
    assert engine.route(task, a, context).complete
    a = post(a, context, "offending-history", "unspent-convictions", {"answer": "no"})
    assert not a.is_answered("offending-history", "convictions")


def test_acct_history_may_be_empty_and_each_entry_has_consistent_dates():
    context = ctx(c.HDC)
    a = post(consented(c.HDC), context, "risk-to-self", "risk-to-self", {"concerns": "no"})
    acct = {
        **day("created_on", dt.date(2025, 6, 1)),
        "ongoing": "no",
        **day("closed_on", dt.date(2025, 5, 1)),
        "prison": "HMP Leeds",
        "details": "Opened after an incident",
    }
    assert errors(context, "risk-to-self", "acct-history", {"action": "add", **acct}, a) == {
        "closed_on": ["The date the ACCT was closed must be on or after the date it was opened"]
    }
    a = post(
        a, context, "risk-to-self", "acct-history", {"action": "add", **acct, **day("closed_on", dt.date(2025, 7, 1))}
    )
    a = post(a, context, "risk-to-self", "acct-history", {"action": "add", **acct, "ongoing": "yes"})
    items = a.value("risk-to-self", "acct-history", "items")
    assert items[0]["closed_on"] == "2025-07-01" and "closed_on" not in items[1]
    rows = engine.page_rows(
        DEFINITION.task("risk-to-self"), DEFINITION.task("risk-to-self").page("acct-history"), a, context
    )
    assert [r.question for r in rows] == ["ACCT 1", "ACCT 2"]
    assert "Date the ACCT was closed: 1 July 2025" in rows[0].answer


# The context ---------------------------------------------------------------------------------------------


def test_the_context_gives_the_route_its_open_cohorts_and_the_referrer():
    cohorts = [
        ReferralCohort(code="rarr", name="Risk assessed recall review", opens_on=dt.date(2026, 1, 1), sort_order=2),
        ReferralCohort(code="atcr", name="Not open yet", opens_on=TODAY + dt.timedelta(days=1), sort_order=1),
        ReferralCohort(
            code="isc", name="Closed", opens_on=dt.date(2025, 1, 1), closes_on=TODAY - dt.timedelta(days=10)
        ),
        # `closes_on` is the first day a cohort takes no applications.
        ReferralCohort(code="hcrd", name="Closes today", opens_on=dt.date(2025, 1, 1), closes_on=TODAY),
        ReferralCohort(
            code="from_ap", name="Last day today", opens_on=dt.date(2025, 1, 1), closes_on=TODAY + dt.timedelta(1)
        ),
    ]
    route = SimpleNamespace(code="probation", cohorts=SimpleNamespace(all=lambda: cohorts))
    user = SimpleNamespace(
        get_full_name=lambda: "Ann Lee", email="ann.lee@justice.gov.uk", phone_number="01632 960 001"
    )
    referral = SimpleNamespace(
        person_name="Sam Jones",
        route=route,
        created_by=user,
        risk_snapshot=RISK,
        prison_snapshot=None,
        sex="Female",
        gender_identity="",
        date_of_birth=dt.date(1990, 1, 1),
    )
    context = form_context(referral, today=TODAY)
    assert context == {
        "placeholders": {"name": "Sam Jones"},
        "today": TODAY,
        "route": "probation",
        "cohorts": [("from_ap", "Last day today"), ("rarr", "Risk assessed recall review")],
        "referrer": {"name": "Ann Lee", "email": "ann.lee@justice.gov.uk", "phone": "01632 960 001"},
        "risk": RISK,
        "prison": None,
        "person": {"sex": "Female", "gender_identity": "", "date_of_birth": dt.date(1990, 1, 1)},
    }
