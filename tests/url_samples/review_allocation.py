"""Sample URLs for allocating a CAS3 referral to a colleague (issue 20, point 6): the page and the
API's list of assessors and allocation, about the review area's sample referral (North West)."""


def _r(ctx):
    return {"pk": ctx["review_referral"].pk}


SAMPLES = {
    "web:review-referral-allocation": _r,
    "api:review-referral-assessors": _r,
    "api:review-referral-allocation": _r,
}

POST_ONLY = {"api:review-referral-allocation"}

REGION_OBJECTS = {name: (lambda ctx: ctx["review_referral"].region_id) for name in SAMPLES}

SERVICE_OBJECTS = {name: (lambda ctx: "cas3") for name in SAMPLES}
