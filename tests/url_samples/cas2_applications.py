"""Sample URLs for the CAS2 referrer's pages and API. Applications belong to the referrer who made them
(and, once sent, to the staff of the prison the person is in): the matrix's role users are neither the
owner nor prison staff, so every route about one application is refused for them, whatever their role
or tier. Starting an application needs the route's role."""

from cas.core.permissions import Permission, may_reach_service
from cas.core.roles import Role

SERVICE = "cas2"


def build_context(ctx: dict) -> None:
    from cas.reference.models import Prison
    from cas.referrals.cas2 import applications
    from cas.referrals.models import Referral
    from tests.factories import make_user

    owner = make_user(Role.CAS2_PRISON_REFERRER, username="sample.cas2.owner", prison=Prison.objects.get(code="CFI"))
    ctx["cas2_owner"] = owner
    ctx["cas2_draft"] = applications.start_application(owner, "prison_bail", "A1020AW")
    sent = applications.start_application(owner, "prison_bail", "A1020AW")
    # Marked sent directly (the access matrix needs a sent record, not the journey), with a section
    # reopened by the provider, so its page shows the form to send the information back.
    Referral.objects.filter(pk=sent.pk).update(
        status="more_info_requested",
        reopened_tasks=["health-needs"],
        submitted_at=sent.created_at,
        document={"sections": []},
        current_prison=sent.referring_prison,
    )
    ctx["cas2_sent"] = sent
    court = make_user(Role.CAS2_COURT_REFERRER, username="sample.cas2.court")
    court_sent = applications.start_application(court, "court_bail", "X100019")
    Referral.objects.filter(pk=court_sent.pk).update(
        status="received", submitted_at=court_sent.created_at, document={"sections": []}
    )
    ctx["cas2_court_sent"] = court_sent


def _owner_only(user, ctx) -> bool:
    return user.pk == ctx["cas2_owner"].pk


def _in_cas2(user, ctx) -> bool:
    return may_reach_service(user, Permission.REFERRAL_MAKE, SERVICE)


def _court(user, ctx) -> bool:
    return user.has_role(Role.CAS2_COURT_REFERRER)


def _prison_staff(user, ctx) -> bool:
    return bool(user.role_set & {Role.CAS2_PRISON_REFERRER, Role.CAS2_HDC_REFERRER}) and user.prison_id is not None


SAMPLES = {
    "web:cas2-find-person": lambda ctx: {"route": "court_bail"},
    "web:cas2-confirm-person": lambda ctx: {"route": "court_bail", "identifier": "X100001"},
    "web:cas2-application": lambda ctx: {"pk": ctx["cas2_sent"].pk},
    "web:cas2-application-tasks": lambda ctx: {"pk": ctx["cas2_draft"].pk},
    "web:cas2-application-task": lambda ctx: {"pk": ctx["cas2_draft"].pk, "task": "confirm-consent"},
    "web:cas2-application-page": lambda ctx: {"pk": ctx["cas2_draft"].pk, "task": "confirm-consent", "page": "consent"},
    "web:cas2-application-submit": lambda ctx: {"pk": ctx["cas2_draft"].pk},
    "web:cas2-application-confirmation": lambda ctx: {"pk": ctx["cas2_sent"].pk},
    "web:cas2-application-note": lambda ctx: {"pk": ctx["cas2_sent"].pk},
    "web:cas2-send-information": lambda ctx: {"pk": ctx["cas2_sent"].pk},
    "web:cas2-application-abandon": lambda ctx: {"pk": ctx["cas2_draft"].pk},
    "api:cas2-application": lambda ctx: {"pk": ctx["cas2_sent"].pk},
    "api:cas2-application-notes": lambda ctx: {"pk": ctx["cas2_sent"].pk},
    "api:cas2-information": lambda ctx: {"pk": ctx["cas2_sent"].pk},
}

EXPECTED = {
    **dict.fromkeys(
        (
            "web:cas2-application",
            "web:cas2-application-tasks",
            "web:cas2-application-task",
            "web:cas2-application-page",
            "web:cas2-application-submit",
            "web:cas2-application-confirmation",
            "web:cas2-application-note",
            "web:cas2-application-abandon",
            "web:cas2-send-information",
            "api:cas2-application",
            "api:cas2-application-notes",
            "api:cas2-information",
        ),
        _owner_only,
    ),
    "web:cas2-start": _in_cas2,
    "api:cas2-routes": _in_cas2,
    "web:cas2-find-person": _court,
    "web:cas2-confirm-person": _court,
    "web:cas2-prison-applications": _prison_staff,
}

POST_ONLY = {"web:cas2-send-information", "api:cas2-application-notes", "api:cas2-information", "api:prison-events"}

# Routes about one CAS2 application: users of another tier are refused them.
SERVICE_OBJECTS = {
    name: (lambda ctx: SERVICE)
    for name in (
        "web:cas2-application",
        "web:cas2-application-tasks",
        "web:cas2-application-task",
        "web:cas2-application-page",
        "web:cas2-application-submit",
        "web:cas2-application-confirmation",
        "web:cas2-application-note",
        "web:cas2-send-information",
        "web:cas2-application-abandon",
        "api:cas2-application",
        "api:cas2-application-notes",
        "api:cas2-information",
    )
}

# The referrer's lists, and their prison's.
LISTS_PEOPLE = {
    "web:cas2-application-list",
    "web:cas2-application-list-submitted",
    "web:cas2-prison-applications",
    "api:cas2-applications",
}
