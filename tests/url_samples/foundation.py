from cas.core.roles import Role
from tests.factories import make_user


def build_context(ctx: dict) -> None:
    from cas.reference.models import VoidReason

    ctx["void_reason"] = VoidReason.objects.first()
    ctx["other_user"] = make_user(Role.CAS3_REFERRER)


SAMPLES = {
    "web:role-home": lambda ctx: {"slug": "cas3-referrer"},
    "web:person-detail": lambda ctx: {"crn": "X100001"},
    "web:reference-list": lambda ctx: {"slug": "void-reasons"},
    "web:reference-edit": lambda ctx: {"slug": "void-reasons", "pk": ctx["void_reason"].pk},
    "web:user-detail": lambda ctx: {"pk": ctx["other_user"].pk},
    "web:user-edit": lambda ctx: {"pk": ctx["other_user"].pk},
    "web:user-set-active": lambda ctx: {"pk": ctx["other_user"].pk, "action": "deactivate"},
    "api:person": lambda ctx: {"crn": "X100001"},
    "api:reference-list": lambda ctx: {"slug": "void-reasons"},
}

EXPECTED = {
    # Each role's home page is for holders of that role only.
    "web:role-home": lambda user, ctx: user.has_role(Role.CAS3_REFERRER),
}

POST_ONLY = {"accounts:sign-out"}

# The audit names the people viewed and changed; the person pages refuse people the user may not see.
LISTS_PEOPLE = {"web:audit-list"}
PERSON_PAGES = {"web:person-detail", "api:person"}
