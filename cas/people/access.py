"""Who may see whom, as one rule for screens, searches, sorts and reports.

The probation case system restricts some people to named users and excludes named users from
others. Its answer is fetched live for what a page shows (one batch call per page, so a change in
the case system shows at once) and copied into `PersonAccess`, so that queries can mask in SQL:
a search by name cannot find, and a sort by name cannot place, a person the user may not see, and a
report masks them on every row. `manage.py refresh_person_access` copies the lists of everyone the
service holds (the nightly batch); every view of a person refreshes theirs.

Fail closed: a person whose limits could not be fetched (the case system is down), or who was
never checked, is limited."""

from collections.abc import Iterable

from django.apps import apps
from django.db import transaction
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When

from cas.core import clock
from cas.people.models import PersonAccess, PersonAccessUser
from cas.people.ports import AccessLimits, PersonNotFound, UpstreamUnavailable
from cas.people.registry import get_case_system

LIMITED_ACCESS = "Limited access"
# CRNs per call to the case system and per write.
BATCH = 500


def _username(user) -> str:
    return user.username.strip().lower()


def _stored(limits: AccessLimits | None) -> tuple[bool, frozenset, frozenset]:
    if limits is None:
        return False, frozenset(), frozenset()
    return limits.restricted_to is not None, limits.restricted_to or frozenset(), limits.excluded_users


@transaction.atomic
def record(crns: Iterable[str], limits: dict[str, AccessLimits]) -> int:
    """Copy the case system's answer for `crns` (those absent from `limits` have no limits), in a
    constant number of queries, writing only what changed. Returns how many people's limits changed."""
    wanted = sorted({c for c in crns if c})
    if not wanted:
        return 0
    existing = dict(PersonAccess.objects.filter(crn__in=wanted).values_list("crn", "restricted"))
    users: dict[str, set[tuple[str, str]]] = {crn: set() for crn in existing}
    for crn, username, kind in PersonAccessUser.objects.filter(person_id__in=list(existing)).values_list(
        "person_id", "username", "kind"
    ):
        users[crn].add((username, kind))
    new, changed, rows = [], [], []
    for crn in wanted:
        restricted, allowed, excluded = _stored(limits.get(crn))
        wanted_users = {(u, PersonAccessUser.Kind.ALLOWED) for u in allowed} | {
            (u, PersonAccessUser.Kind.EXCLUDED) for u in excluded
        }
        if crn not in existing:
            new.append(PersonAccess(crn=crn, restricted=restricted, changed_at=clock.now()))
        elif existing[crn] != restricted or users[crn] != wanted_users:
            changed.append(PersonAccess(crn=crn, restricted=restricted, changed_at=clock.now()))
        else:
            continue
        rows += [PersonAccessUser(person_id=crn, username=u, kind=k) for u, k in sorted(wanted_users)]
    if not new and not changed:
        return 0
    # Two requests may check the same new person at once: the second insert is a no-op.
    PersonAccess.objects.bulk_create(new, ignore_conflicts=True)
    PersonAccess.objects.bulk_update(changed, ["restricted", "changed_at"])
    PersonAccessUser.objects.filter(person_id__in=[p.crn for p in changed]).delete()
    PersonAccessUser.objects.bulk_create(rows, ignore_conflicts=True)
    return len(new) + len(changed)


def fetch(crns: Iterable[str]) -> tuple[dict[str, AccessLimits], set[str]]:
    """The case system's limits for `crns`, copied as they come; and the CRNs it could not answer for."""
    limits, failed, _ = _fetch(crns)
    return limits, failed


def _fetch(crns: Iterable[str]) -> tuple[dict[str, AccessLimits], set[str], int]:
    wanted = sorted({c for c in crns if c})
    limits: dict[str, AccessLimits] = {}
    failed: set[str] = set()
    changed = 0
    case_system = get_case_system()
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        try:
            answer = case_system.access_limits(batch)
        except UpstreamUnavailable:
            failed.update(batch)
            continue
        except PersonNotFound:
            answer = {}
        limits.update(answer)
        changed += record(batch, answer)
    return limits, failed, changed


def limited_among(user, crns: Iterable[str]) -> set[str]:
    """The CRNs, among `crns`, of people the user may not see, asked of the case system now."""
    limits, failed = fetch(crns)
    username = _username(user)
    return failed | {crn for crn, limit in limits.items() if not limit.allows(username)}


# --- In queries ---------------------------------------------------------------------------------


def _visible(user, crn_field: str):
    """EXISTS: the person in `crn_field` was checked and the user may see them."""
    username = _username(user)
    mine = PersonAccessUser.objects.filter(person_id=OuterRef("crn"), username=username)
    return Exists(
        PersonAccess.objects.filter(crn=OuterRef(crn_field))
        .filter(Q(restricted=False) | Exists(mine.filter(kind=PersonAccessUser.Kind.ALLOWED)))
        .exclude(Exists(mine.filter(kind=PersonAccessUser.Kind.EXCLUDED)))
    )


def visible_q(user, crn_field: str = "crn") -> Q:
    """A filter for rows whose person the user may see (by the stored copy); a row with no CRN names
    no one."""
    return Q(**{crn_field: ""}) | Q(_visible(user, crn_field))


def masked(user, field: str, crn_field: str = "crn"):
    """The text in `field`, or "Limited access" where the user may not see the row's person: sorting
    by it places a hidden person as "Limited access", never by their real name."""
    return Case(When(_visible(user, crn_field), then=F(field)), default=Value(LIMITED_ACCESS), output_field=CharField())


def limited_in_store(user, crns: Iterable[str]) -> set[str]:
    """The CRNs, among `crns`, that the stored copy limits for the user (unchecked ones included)."""
    wanted = {c for c in crns if c}
    checked = set(PersonAccess.objects.filter(crn__in=wanted).values_list("crn", flat=True))
    return (wanted - checked) | (wanted & hidden_from(user))


def hidden_from(user) -> set[str]:
    """Every CRN in the stored copy that the user may not see (a few: limits are rare)."""
    username = _username(user)
    mine = PersonAccessUser.objects.filter(username=username)
    allowed = mine.filter(kind=PersonAccessUser.Kind.ALLOWED).values("person_id")
    excluded = set(mine.filter(kind=PersonAccessUser.Kind.EXCLUDED).values_list("person_id", flat=True))
    restricted = set(
        PersonAccess.objects.filter(restricted=True).exclude(crn__in=allowed).values_list("crn", flat=True)
    )
    return excluded | restricted


def limited_for_anyone() -> set[str]:
    """Every CRN the case system limits for someone: restricted people and people with exclusions."""
    excluded = PersonAccessUser.objects.filter(kind=PersonAccessUser.Kind.EXCLUDED).values("person_id")
    return set(PersonAccess.objects.filter(Q(restricted=True) | Q(crn__in=excluded)).values_list("crn", flat=True))


# --- Keeping the copy -----------------------------------------------------------------------------


def person_models():
    """Every model that keeps a person's details with a CRN: the records a list or report shows."""
    return [
        model
        for model in apps.get_models()
        if model is not PersonAccess
        and {"crn", "person_name"} <= {f.name for f in model._meta.get_fields() if getattr(f, "concrete", False)}
    ]


def unchecked_crns() -> set[str]:
    """CRNs held by the service that have never been checked."""
    checked = PersonAccess.objects.values("crn")
    found: set[str] = set()
    for model in person_models():
        found.update(
            model._default_manager.exclude(crn="").exclude(crn__in=checked).values_list("crn", flat=True).distinct()
        )
    return found


def held_crns() -> set[str]:
    found: set[str] = set()
    for model in person_models():
        found.update(model._default_manager.exclude(crn="").values_list("crn", flat=True).distinct())
    return found


def refresh(*, everyone: bool = False) -> tuple[int, int, int]:
    """Copy the limits of the people never checked (or of everyone): (checked, changed, failed)."""
    crns = held_crns() if everyone else unchecked_crns()
    _, failed, changed = _fetch(crns)
    return len(crns) - len(failed), changed, len(failed)
