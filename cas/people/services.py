"""Looking up a person: access check (restricted or excluded people), audit of every view and
refusal, and graceful handling of upstream failures. Views and the API call only this."""

from dataclasses import dataclass, field

from cas.core import audit
from cas.core.errors import DomainError, NotAllowed
from cas.people import access
from cas.people.access import LIMITED_ACCESS
from cas.people.ports import (
    Person,
    PersonNotFound,
    PrisonRecord,
    RiskSummary,
    UpstreamUnavailable,
)
from cas.people.registry import get_case_system, get_prison_system, get_risk_system


class PersonUnknown(DomainError):
    def __init__(self, crn: str):
        super().__init__(
            f"No person with CRN {crn} was found in the probation case system", field="crn", code="not_found"
        )


class PersonRestricted(NotAllowed):
    def __init__(self, crn: str):
        super().__init__(
            f"You cannot view {crn}: access to this person's record is restricted. "
            "Contact the person's probation practitioner if you need access.",
            code="restricted",
        )


@dataclass
class PersonRecord:
    person: Person
    risk: RiskSummary | None = None
    prison: PrisonRecord | None = None
    # User-readable messages for parts that could not be fetched; the rest still shows.
    problems: list[str] = field(default_factory=list)


def normalise_crn(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def check_person_access(user, crn: str, *, purpose: str) -> Person:
    """The person with `crn` if the user may see them; records the refusal otherwise."""
    case_system = get_case_system()
    person = case_system.find_by_crn(crn)  # PersonNotFound / UpstreamUnavailable propagate
    # Every view of a person refreshes the stored copy of their limits that lists and reports read.
    access.fetch([crn])
    decision = case_system.check_access(crn, user.username)
    if not decision.allowed:
        audit.record_refusal(user, "person.refused", crn=crn, detail=f"{decision.reason}: {purpose}")
        raise PersonRestricted(crn)
    return person


def view_person(
    user, crn: str, *, purpose: str = "person details", with_risk: bool = True, with_prison: bool = True
) -> PersonRecord:
    crn = normalise_crn(crn)
    try:
        person = check_person_access(user, crn, purpose=purpose)
    except PersonNotFound:
        raise PersonUnknown(crn) from None
    record = PersonRecord(person=person)
    if with_risk:
        try:
            record.risk = get_risk_system().get_risk(crn)
        except PersonNotFound:
            record.problems.append("There is no risk assessment for this person.")
        except UpstreamUnavailable as exc:
            record.problems.append(str(exc))
    if with_prison:
        if not person.noms_number:
            record.problems.append(
                "This person has no prison number, so adjudications and ACCT alerts cannot be imported."
            )
        else:
            try:
                record.prison = get_prison_system().get_prison_record(person.noms_number)
            except (PersonNotFound, UpstreamUnavailable) as exc:
                record.problems.append(
                    str(exc)
                    if isinstance(exc, UpstreamUnavailable)
                    else "No prison record was found for this person's prison number."
                )
    audit.record_view(user, "person.viewed", crn=crn, subject_label=person.name, detail=purpose)
    return record


# What a list must not show about a person the user may not see.
_HIDDEN_FIELDS = {
    "person_name": LIMITED_ACCESS,
    "noms_number": "",
    "pnc_number": "",
    "date_of_birth": None,
    # An audit event's label for the person viewed or changed.
    "subject_label": LIMITED_ACCESS,
}


def _never_saved(*args, **kwargs):
    raise RuntimeError("A record shown with limited access is a display copy and is never saved")


def limited_access_crns(user, crns) -> set[str]:
    """The CRNs, among `crns`, of people the case system restricts from the user or excludes them from,
    asked in one call (which also refreshes the stored copy that searches and reports read).

    When the case system cannot answer, the person counts as restricted: a list must not show a name
    it could not check."""
    return access.limited_among(user, crns)


def hide_limited_access(user, records, *, person=lambda record: record):
    """Show people the user may not see as "Limited access", with no name or other identifier.

    `records` are model instances fetched for a list (web page or API); `person(record)` is the
    object with the person's `crn` (the record itself, or e.g. its booking). Those instances become
    display copies: their name, prison number, PNC number and date of birth are replaced, they carry
    `limited_access = True`, and saving them is refused. Returns the records, in order."""
    records = list(records)
    holders = [person(r) for r in records]
    limited = limited_access_crns(user, [h.crn for h in holders if h is not None])
    for holder in holders:
        if holder is None:
            continue
        holder.limited_access = holder.crn in limited
        if holder.limited_access:
            for name, value in _HIDDEN_FIELDS.items():
                if hasattr(holder, name):
                    setattr(holder, name, value)
            holder.save = _never_saved
    return records
