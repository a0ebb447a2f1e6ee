"""Sample URLs for the provider's CAS2 pages and API. The sample application is a court bail one,
received; the provider's assessors act on it, reporters read it, nobody else reaches it (the
access function says who: `cas.referrals.cas2.access.reach`). A second application, for the person
the case system restricts (X100008), puts a "Limited access" row in the queue."""

from cas.referrals.cas2 import access, queries
from cas.referrals.cas2.access import Reach


def build_context(ctx: dict) -> None:
    from tests.cas2_assessment_factories import make_application, make_referrer

    referrer = make_referrer("court_bail", username="sample.cas2.assessment.court")
    ctx["cas2_referrer"] = referrer
    ctx["cas2_application"] = make_application("court_bail", "X100001", created_by=referrer)
    ctx["cas2_restricted_application"] = make_application("court_bail", "X100008", created_by=referrer)


def _a(ctx):
    return {"pk": ctx["cas2_application"].pk}


SAMPLES = {
    "web:cas2-assessment": _a,
    "web:cas2-assessment-print": _a,
    "web:cas2-assessment-notes": _a,
    "web:cas2-assessment-details": _a,
    "web:cas2-assessment-status": _a,
    "web:cas2-assessment-status-details": lambda ctx: {**_a(ctx), "status": "more_info_requested"},
    "api:cas2-assessment": _a,
    "api:cas2-assessment-timeline": _a,
    "api:cas2-assessment-notes": _a,
    "api:cas2-assessment-status": _a,
    "api:cas2-assessment-details": _a,
}


def _reads(user, ctx) -> bool:
    return access.reach(user, ctx["cas2_application"]) in {Reach.ASSESSOR, Reach.READER}


def _assesses(user, ctx) -> bool:
    return access.reach(user, ctx["cas2_application"]) == Reach.ASSESSOR


EXPECTED = {
    "web:cas2-queue": lambda user, ctx: queries.may_use_queue(user),
    "api:cas2-assessments": lambda user, ctx: queries.may_use_queue(user),
    "web:cas2-assessment": _reads,
    "web:cas2-assessment-print": _reads,
    "web:cas2-assessment-notes": _reads,
    "web:cas2-assessment-details": _assesses,
    "web:cas2-assessment-status": _assesses,
    "web:cas2-assessment-status-details": _assesses,
    "api:cas2-assessment": _reads,
    "api:cas2-assessment-timeline": _reads,
}

POST_ONLY = {
    "api:cas2-assessment-notes",
    "api:cas2-assessment-status",
    "api:cas2-assessment-details",
}

LISTS_PEOPLE = {"web:cas2-queue", "api:cas2-assessments"}

# Every route here is about CAS2's applications: another tier's users are refused them.
SERVICE_OBJECTS = {name: (lambda ctx: "cas2") for name in [*SAMPLES, *LISTS_PEOPLE]}
