"""Sample URLs for the referral pages and API. Referrals belong to the referrer who made them:
no other user, whatever their role, may open them (the role users of the matrix are never the
owner, so every object-level route is refused for them)."""

from cas.core.roles import Role
from cas.referrals.cas3.workflow import Status as ReferralStatus
from tests.factories import make_user


def build_context(ctx: dict) -> None:
    from cas.referrals.models import Referral
    from tests.referral_factories import make_draft

    owner = make_user(Role.CAS3_REFERRER, username="sample.referral.owner")
    ctx["referral_owner"] = owner
    ctx["draft"] = make_draft(owner, "X100001")
    submitted = make_draft(owner, "X100002")
    # Marked submitted directly: the access matrix needs a submitted record, not the journey.
    Referral.objects.filter(pk=submitted.pk).update(
        status=ReferralStatus.UNALLOCATED, submitted_at=submitted.created_at, document={"sections": []}
    )
    ctx["submitted"] = submitted


def _owner_only(user, ctx) -> bool:
    return user.pk == ctx["referral_owner"].pk


SAMPLES = {
    "web:referral-person": lambda ctx: {"crn": "X100001"},
    "web:referral-offence": lambda ctx: {"crn": "X100014"},
    "web:referral-tasks": lambda ctx: {"pk": ctx["draft"].pk},
    "web:referral-task": lambda ctx: {"pk": ctx["draft"].pk, "task": "placement-location"},
    "web:referral-page": lambda ctx: {
        "pk": ctx["draft"].pk,
        "task": "placement-location",
        "page": "alternative-region",
    },
    "web:referral-submit": lambda ctx: {"pk": ctx["draft"].pk},
    "web:referral-delete": lambda ctx: {"pk": ctx["draft"].pk},
    "web:referral-confirmation": lambda ctx: {"pk": ctx["submitted"].pk},
    "web:referral-sent": lambda ctx: {"pk": ctx["submitted"].pk},
    "api:referral": lambda ctx: {"pk": ctx["draft"].pk},
    "api:referral-page": lambda ctx: {
        "pk": ctx["draft"].pk,
        "task": "placement-location",
        "page": "alternative-region",
    },
    "api:referral-submission": lambda ctx: {"pk": ctx["draft"].pk},
}

EXPECTED = dict.fromkeys(
    (
        "web:referral-tasks",
        "web:referral-task",
        "web:referral-page",
        "web:referral-submit",
        "web:referral-delete",
        "web:referral-confirmation",
        "web:referral-sent",
        "api:referral",
        "api:referral-page",
    ),
    _owner_only,
)

POST_ONLY = {"api:referral-submission"}

# The referrer's own referrals.
LISTS_PEOPLE = {"web:referral-list-submitted"}

# The CAS3 referral's start pages find the person for a CAS3 referral: referrers of another tier (CAS2,
# who start theirs by route under /cas2/apply) are refused them.
SERVICE_OBJECTS = dict.fromkeys(("web:referral-person", "web:referral-offence"), lambda ctx: "cas3")
