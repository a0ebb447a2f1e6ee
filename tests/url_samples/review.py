"""Sample URLs for the HPT's review pages and API. The sample referral is submitted in North West
(N51), the matrix users' region, so assessors there may act on it and reporters read it; the
region scope is tested separately (tests/web/test_review_region_scope.py)."""

from cas.core.roles import Role
from tests.factories import make_user, pdu


def build_context(ctx: dict) -> None:
    from tests.referral_factories import make_submitted

    referrer = make_user(Role.CAS3_REFERRER, username="sample.review.referrer", pdu=pdu("N51LPLS"))
    ctx["review_referrer"] = referrer
    ctx["review_referral"] = make_submitted(referrer, "X100001")


def _r(ctx):
    return {"pk": ctx["review_referral"].pk}


SAMPLES = {
    "web:review-queue": lambda ctx: {"tab": "unallocated"},
    "web:review-referral": _r,
    "web:review-referral-answers": _r,
    "web:review-referral-timeline": _r,
    "web:review-referral-print": _r,
    "web:review-referral-reject": _r,
    "web:review-referral-dates": _r,
    "web:review-referral-action": lambda ctx: {**_r(ctx), "action": "allocate"},
    "web:review-service-level-edit": lambda ctx: {"code": "N51"},
    "web:referral-note": lambda ctx: {"pk": ctx["review_referral"].pk},
    "api:review-referral": _r,
    "api:review-referral-timeline": _r,
    "api:review-referral-notes": _r,
    "api:review-referral-dates": _r,
    "api:review-referral-allocate": _r,
    "api:review-referral-unallocate": _r,
    "api:review-referral-accept": _r,
    "api:review-referral-reject": _r,
    "api:review-referral-archive": _r,
    "api:review-referral-reopen": _r,
    "api:referral-timeline": lambda ctx: {"pk": ctx["review_referral"].pk},
    "api:referral-notes": lambda ctx: {"pk": ctx["review_referral"].pk},
}


def _referrer_only(user, ctx) -> bool:
    return user.pk == ctx["review_referrer"].pk


EXPECTED = {
    "web:referral-note": _referrer_only,
    "api:referral-timeline": _referrer_only,
}

POST_ONLY = {
    "api:review-referral-notes",
    "api:review-referral-dates",
    "api:review-referral-allocate",
    "api:review-referral-unallocate",
    "api:review-referral-accept",
    "api:review-referral-reject",
    "api:review-referral-archive",
    "api:review-referral-reopen",
    "api:referral-notes",
}

# Every route about the sample referral belongs to North West: other regions are refused.
REGION_OBJECTS = {
    name: (lambda ctx: ctx["review_referral"].region_id)
    for name in SAMPLES
    if name.startswith(("web:review-referral", "api:review-referral"))
}

# Every review route is about CAS3's referrals: another tier's assessors are refused.
SERVICE_OBJECTS = {
    name: (lambda ctx: "cas3")
    for name in [*SAMPLES, "web:review-home", "web:review-queue", "api:review-referrals"]
    if name.startswith(("web:review-", "api:review-")) and name != "web:review-service-level-edit"
}

# The queue (web and API) lists people.
LISTS_PEOPLE = {"web:review-queue", "api:review-referrals"}
