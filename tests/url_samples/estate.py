"""Sample URLs for the estate (web and API), for the access matrix and the axe sweep.

Objects live in North West (N51), the test users' region. The archive-change sample is a
scheduled (future) archive so its cancel page renders; its bedspace is separate from the one the
other pages use, so archive and void pages stay available for it.
"""

import datetime as dt

from cas.core import clock
from cas.premises import services
from tests.estate_factories import make_estate, make_void


def build_context(ctx: dict) -> None:
    premises, (bedspace, scheduled) = make_estate("N51", reference="Sample House")
    today = clock.today()
    ctx["premises"] = premises
    ctx["bedspace"] = bedspace
    ctx["void"] = make_void(bedspace, today + dt.timedelta(days=3), today + dt.timedelta(days=5))
    ctx["change"] = services.archive_bedspace(None, scheduled, today + dt.timedelta(days=20))
    archived, (gone,) = make_estate("N51", bedspaces=1, reference="Archived House")
    services.archive_premises(None, archived, today - dt.timedelta(days=1))
    ctx["archived_premises"] = archived
    ctx["archived_bedspace"] = gone


def _p(ctx):
    return {"pk": ctx["premises"].pk}


def _b(ctx):
    return {"pk": ctx["premises"].pk, "bedspace_pk": ctx["bedspace"].pk}


def _v(ctx):
    return {**_b(ctx), "void_pk": ctx["void"].pk}


SAMPLES = {
    "web:property-detail": _p,
    "web:property-edit": _p,
    "web:property-archive": _p,
    "web:property-unarchive": lambda ctx: {"pk": ctx["archived_premises"].pk},
    "web:property-calendar": _p,
    "web:archive-change-cancel": lambda ctx: {"pk": ctx["premises"].pk, "change_pk": ctx["change"].pk},
    "web:bedspace-create": _p,
    "web:bedspace-detail": _b,
    "web:bedspace-edit": _b,
    "web:bedspace-archive": _b,
    "web:bedspace-unarchive": lambda ctx: {
        "pk": ctx["archived_premises"].pk,
        "bedspace_pk": ctx["archived_bedspace"].pk,
    },
    "web:void-create": _b,
    "web:void-edit": _v,
    "web:void-cancel": _v,
    "api:estate-property": _p,
    "api:estate-property-archive": _p,
    "api:estate-property-unarchive": _p,
    "api:estate-property-calendar": _p,
    "api:estate-archive-changes": _p,
    "api:estate-archive-change-cancel": lambda ctx: {"pk": ctx["premises"].pk, "change_pk": ctx["change"].pk},
    "api:estate-bedspaces": _p,
    "api:estate-bedspace": _b,
    "api:estate-bedspace-archive": _b,
    "api:estate-bedspace-unarchive": _b,
    "api:estate-voids": _b,
    "api:estate-void": _v,
    "api:estate-void-cancel": _v,
}

# Actions that only accept POST: a GET cannot show whether access is right.
POST_ONLY = {
    "api:estate-property-archive",
    "api:estate-property-unarchive",
    "api:estate-archive-change-cancel",
    "api:estate-bedspace-archive",
    "api:estate-bedspace-unarchive",
    "api:estate-void-cancel",
}


# Every route about one property belongs to North West: other regions' assessors are refused.
REGION_OBJECTS = {name: (lambda ctx: ctx["premises"].region_id) for name in SAMPLES}

# The occupancy calendar names the people booked.
LISTS_PEOPLE = {"web:property-calendar", "api:estate-property-calendar"}
