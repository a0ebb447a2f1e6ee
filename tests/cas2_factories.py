"""CAS2 applications for tests: users by route (prison staff with their prison), a started
application, and one filled in through the shared save path as a browser posts it, page by page."""

from __future__ import annotations

import datetime as dt

from cas.core import clock
from cas.core.roles import Role
from cas.forms_engine import engine
from cas.forms_engine.answers import Answers
from cas.reference.models import Prison
from cas.referrals import services
from cas.referrals.cas2 import applications
from cas.referrals.cas2 import choices as c
from cas.referrals.cas2.context import form_context
from cas.referrals.cas2.definition import DEFINITION
from cas.referrals.models import Referral
from tests.factories import make_user

# People of the synthetic case system: on remand or serving, in the prisons named.
HEWELL_NOMS, HEWELL_CRN = "A1019AV", "X100019"  # in Hewell (HEI)
CARDIFF_NOMS = "A1020AW"  # remanded in Cardiff (CFI)
COMMUNITY_CRN = "X200007"

ROLE_OF_ROUTE = {
    "court_bail": Role.CAS2_COURT_REFERRER,
    "prison_bail": Role.CAS2_PRISON_REFERRER,
    "hdc": Role.CAS2_HDC_REFERRER,
    "probation": Role.CAS2_PROBATION_REFERRER,
}
IDENTIFIER_OF_ROUTE = {
    "court_bail": HEWELL_CRN,
    "prison_bail": CARDIFF_NOMS,
    "hdc": HEWELL_NOMS,
    "probation": COMMUNITY_CRN,
}
PRISON_OF_ROUTE = {"prison_bail": "CFI", "hdc": "HEI"}


def cas2_user(route: str, *, prison: str | None = None, **kwargs):
    code = prison or PRISON_OF_ROUTE.get(route)
    if code:
        kwargs["prison"] = Prison.objects.get(code=code)
    return make_user(ROLE_OF_ROUTE[route], region_code=kwargs.pop("region_code", "N52"), **kwargs)


def start(route: str, user=None):
    user = user or cas2_user(route)
    return user, applications.start_application(user, route, IDENTIFIER_OF_ROUTE[route])


def _day(name: str, value: dt.date) -> dict:
    return {f"{name}-day": str(value.day), f"{name}-month": str(value.month), f"{name}-year": str(value.year)}


def pages(today: dt.date) -> list[tuple[str, str, dict]]:
    """Every page of every task with the answers of a complete application (pages a route does not
    reach are skipped by `fill_in`)."""
    return [
        ("confirm-consent", "consent", {"consent": "yes", **_day("consent_date", today - dt.timedelta(days=1))}),
        ("confirm-eligibility", "eligibility", {"eligible": "yes"}),
        ("cohort-selection", "cohort", {"cohort": "rarr", "notes": ""}),
        (
            "cohort-selection",
            "licence-dates",
            {
                **_day("licence_start", today + dt.timedelta(days=10)),
                **_day("licence_end", today + dt.timedelta(days=200)),
            },
        ),
        (
            "hdc-licence-dates",
            "dates",
            {
                **_day("hdc_eligibility_date", today + dt.timedelta(days=5)),
                **_day("conditional_release_date", today + dt.timedelta(days=40)),
            },
        ),
        ("referrer-details", "your-details", {"name": "Ann Lee", "email": "ann.lee@justice.gov.uk"}),
        ("referrer-details", "job-title", {"job_title": "Prison offender manager"}),
        ("referrer-details", "contact-number", {"phone": "01632 960 001"}),
        ("referrer-details", "based-at", {"based_at": "HMP Hewell"}),
        ("solicitor-details", "has-solicitor", {"has_solicitor": "no"}),
        ("personal-information", "mobile-phone", {"has_mobile": "no"}),
        ("personal-information", "custody-location", {"location": "HMP Hewell"}),
        ("personal-information", "immigration-status", {"status": "uk_citizen"}),
        ("personal-information", "pregnancy", {"pregnant": "no"}),
        ("address-history", "previous-address", {"had_address": "no", "time_without_address": "6 months"}),
        ("equality-and-diversity", "opt-in", {"answer": "no"}),
        (
            "area-information",
            "preferred-areas",
            {"area_1": "Leeds", "area_1_reason": "Family", "area_2": "Bradford", "area_2_reason": "Work"},
        ),
        ("area-information", "exclusion-zones", {"answer": "no"}),
        ("area-information", "gang-affiliations", {"answer": "no"}),
        ("area-information", "women-only", {"answer": "no"}),
        ("area-information", "accessible-property", {"answer": "no"}),
        ("funding-information", "funding-source", {"source": c.HOUSING_BENEFIT}),
        ("funding-information", "national-insurance", {"number": "QQ123456C"}),
        ("funding-information", "identification", {"documents": ["passport"]}),
        (
            "alleged-offences",
            "alleged-offences",
            {"action": "add", "offence": "Assault", **_day("offence_date", today - dt.timedelta(days=3))},
        ),
        ("alleged-offences", "alleged-offences", {}),
        (
            "current-offences",
            "current-offences",
            {
                "action": "add",
                "title": "Burglary",
                "offence_type": "other",
                **_day("offence_date", today - dt.timedelta(days=300)),
                "sentence_length": "18 months",
                "summary": "Broke into a shed.",
            },
        ),
        ("current-offences", "current-offences", {}),
        ("offending-history", "unspent-convictions", {"answer": "no"}),
        ("risk-to-self", "risk-to-self", {"concerns": "no"}),
        ("risk-to-self", "acct-history", {}),
        (
            "risk-of-serious-harm",
            "rosh-levels",
            {"children": "Low", "public": "Medium", "known_adult": "Low", "staff": "Low", "overall": "Medium"},
        ),
        ("risk-of-serious-harm", "risk-management", {"arrangements": [c.NO_RISK_MANAGEMENT]}),
        ("health-needs", "substance-misuse", {"answer": "no"}),
        ("health-needs", "physical-health", {"answer": "no"}),
        ("health-needs", "mental-health", {"answer": "no"}),
        ("health-needs", "communication", {"answer": "no"}),
        ("health-needs", "learning-difficulties", {"answer": "no"}),
        ("bail-conditions", "bail-conditions", {"answer": "no"}),
        (
            "bail-hearing",
            "bail-hearing",
            {
                "date_known": "yes",
                **_day("hearing_date", today + dt.timedelta(days=2)),
                "court": "Leeds Crown Court",
                "medium": "video",
            },
        ),
        ("check-your-answers", "review", {}),
    ]


def fill_in(user, referral, *, only: set[str] | None = None):
    """Answer every page the application's route reaches (or only the tasks in `only`)."""
    for task_slug, page_slug, data in pages(clock.today()):
        if only is not None and task_slug not in only:
            continue
        referral.refresh_from_db()
        ctx = form_context(referral)
        answers = Answers(referral.answers)
        task = DEFINITION.task(task_slug)
        page = task.page(page_slug)
        if not task.applies_to(answers, ctx) or not engine.is_reachable(task, page, answers, ctx):
            continue
        services.save_page(user, referral.pk, task_slug, page_slug, data)
    referral.refresh_from_db()
    return referral


def submitted(route: str, user=None):
    user, referral = start(route, user)
    fill_in(user, referral)
    services.submit_referral(user, referral.pk, declaration=True)
    referral.refresh_from_db()
    return user, referral


def add_applications(user, route: str, n: int, *, sent: bool, identifier: str | None = None) -> None:
    """`n` applications by `user`, started through the service; `sent` ones marked received directly
    (rows for list pages, not the journey)."""
    for _ in range(n):
        referral = applications.start_application(user, route, identifier or IDENTIFIER_OF_ROUTE[route])
        if sent:
            Referral.objects.filter(pk=referral.pk).update(
                status="received",
                submitted_at=referral.created_at,
                document={"sections": []},
                current_prison=referral.referring_prison,
            )
