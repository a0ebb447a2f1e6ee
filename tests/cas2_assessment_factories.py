"""Submitted CAS2 applications for the provider's side, made straight in the database: the person
from the (synthetic) case system, the route's first cohort, a frozen document and the submission's
timeline entry. The referrer's journey to submission is tested on its own side; these tests start
where the provider's queue does."""

import datetime as dt

from django.utils import timezone

from cas.core import clock
from cas.core.roles import Role
from cas.people import registry
from cas.reference.models import Prison
from cas.referrals import timeline
from cas.referrals.cas2.definition import DEFINITION
from cas.referrals.models import Referral, ReferralRoute
from tests.factories import make_user

ROUTE_ROLES = {
    "court_bail": Role.CAS2_COURT_REFERRER,
    "prison_bail": Role.CAS2_PRISON_REFERRER,
    "hdc": Role.CAS2_HDC_REFERRER,
    "probation": Role.CAS2_PROBATION_REFERRER,
}
PRISONS = {"prison_bail": "HHI", "hdc": "HEI"}
DOCUMENT = {
    "form": DEFINITION.key,
    "version": DEFINITION.version,
    "title": DEFINITION.title,
    "sections": [
        {
            "title": "About the applicant",
            "tasks": [
                {
                    "title": "Funding information",
                    "questions": [{"question": "How will they pay for their accommodation?", "answer": "Benefits"}],
                }
            ],
        }
    ],
}


def make_referrer(route: str, **kwargs):
    prison = PRISONS.get(route)
    if prison and "prison" not in kwargs:
        kwargs["prison"] = Prison.objects.get(code=prison)
    return make_user(ROUTE_ROLES[route], **kwargs)


def make_application(
    route: str = "court_bail",
    crn: str = "X100001",
    *,
    created_by=None,
    status: str = "received",
    cohort: str = "",
    submitted_at: dt.datetime | None = None,
    **fields,
) -> Referral:
    """A CAS2 application of `route`, submitted (received) or already moved on to `status`."""
    route_row = ReferralRoute.objects.get(service="cas2", code=route)
    cohort_row = route_row.cohorts.get(code=cohort) if cohort else route_row.cohorts.order_by("sort_order").first()
    user = created_by or make_referrer(route)
    person = registry.get_case_system().find_by_crn(crn)
    prison = Prison.objects.filter(code=PRISONS.get(route, "")).first()
    defaults = {
        "bail_hearing_date": clock.today() + dt.timedelta(days=3) if route in ("court_bail", "prison_bail") else None,
        "hdc_eligibility_date": clock.today() + dt.timedelta(days=30) if route == "hdc" else None,
        "conditional_release_date": clock.today() + dt.timedelta(days=90) if route == "hdc" else None,
        "rosh_level": "MEDIUM",
        "has_risk_to_self_concerns": False,
        "has_mental_health_needs": True,
        "preferred_area_1": "Leeds",
        "offender_manager": user if route == "hdc" else None,
        "referring_prison": prison,
        "current_prison": prison,
    }
    referral = Referral.objects.create(
        service="cas2",
        created_by=user,
        status=status,
        crn=crn,
        noms_number=person.noms_number or "",
        person_name=person.name,
        date_of_birth=person.date_of_birth,
        sex=person.sex or "",
        region_id=fields.pop("region_id", user.region_id),
        origin_region_id=user.region_id,
        form_key=DEFINITION.key,
        form_version=DEFINITION.version,
        document=DOCUMENT,
        route=route_row,
        cohort=cohort_row,
        submitted_at=submitted_at or clock.now(),
        referrer_phone="0114 496 0000",
        **{**defaults, **fields},
    )
    timeline.record_submission(referral, user)
    return referral


def hours_ago(hours: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=hours)
