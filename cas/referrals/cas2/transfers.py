"""Applications made in prison follow the person: the prison system's events (the person moved
prison, a new prison offender manager was allocated, two prison numbers were merged) move the
application, tell the prisons and the provider, and say so on its timeline.

The events come from the prison port's publisher (through `POST /api/v1/prison-events`, or replayed by
`manage.py handle_prison_event`), so every change here is made by the service (no user): audited as
the system. An application follows the person from submission until it is closed or the person is
awaiting arrival at a CAS2 property; drafts are the referrer's own and stay where they are.

The MoJ's CAS2 loses the application when a prison number changes (its later events carry the new
number); here a merge moves every referral to the new number, so later events still find them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from cas.core import audit, tiers
from cas.core.tiers import DRAFT
from cas.events.notifications import send_email
from cas.people.ports import normalise_identifier
from cas.reference.models import Prison
from cas.referrals import timeline
from cas.referrals.cas2.tier import identifier
from cas.referrals.cas2.workflow import CLOSED, PLACED
from cas.referrals.models import PrisonAssignment, Referral, TimelineEntry

SERVICE = tiers.Service.CAS2
# Codes the prison system uses while someone is out of prison or between prisons: not a move.
NOT_A_PRISON = frozenset({"OUT", "TRN"})


@dataclass(frozen=True)
class Outcome:
    """What an event did: the applications it changed (none when it did not apply)."""

    changed: tuple[Referral, ...] = ()
    reason: str = ""


def _following(noms_number: str) -> Referral | None:
    """The application that follows the person with this prison number: the most recent submitted
    one made in prison that is neither closed nor awaiting arrival (locked)."""
    return (
        Referral.objects.live()
        .select_for_update(of=("self",))
        .filter(service=SERVICE, noms_number=noms_number, referring_prison__isnull=False)
        .exclude(status__in=(DRAFT, *CLOSED, *PLACED))
        .order_by("-submitted_at", "-id")
        .first()
    )


def _personalisation(referral: Referral) -> dict:
    return {
        "person_name": referral.person_name,
        "identifier": identifier(referral),
        "crn": referral.crn,
        "reference": referral.reference,
        "status": referral.referrer_status[0],
        "application_url": timeline.referral_url(referral, for_referrer=True),
    }


@transaction.atomic
def person_moved(noms_number: str, prison_code: str) -> Outcome:
    """The person moved to the prison with `prison_code`: their application moves with them, without
    an offender manager until one is allocated at the new prison."""
    noms = normalise_identifier(noms_number or "")
    code = normalise_identifier(prison_code or "")
    if not code or code in NOT_A_PRISON:
        return Outcome(reason="not a prison")
    new = Prison.objects.filter(code=code).first()
    if new is None:
        return Outcome(reason=f"unknown prison {code}")
    referral = _following(noms)
    if referral is None:
        return Outcome(reason="no application follows this person")
    if referral.current_prison_id == new.pk:
        return Outcome(reason="already at this prison")
    old = Prison.objects.filter(pk=referral.current_prison_id).first()
    PrisonAssignment.objects.create(referral=referral, prison=new, reason=PrisonAssignment.Reason.TRANSFER)
    before = {"prison": old.code if old else "", "offender_manager": referral.offender_manager_id}
    referral.current_prison = new
    referral.offender_manager = None
    referral.save(update_fields=["current_prison", "offender_manager", "updated_at"])
    audit.record_change(
        None,
        "referral.prison_transferred",
        referral,
        before=before,
        after={"prison": new.code, "offender_manager": None},
        crn=referral.crn,
        service=referral.service,
    )
    old_name = old.name if old else "an unknown prison"
    timeline.add_entry(
        referral,
        None,
        TimelineEntry.Kind.TRANSFER,
        author_kind=TimelineEntry.Author.SYSTEM,
        text=f"Moved from {old_name} to {new.name}.",
        details={"from": old.code if old else "", "to": new.code},
    )
    personalisation = {**_personalisation(referral), "old_prison": old_name, "new_prison": new.name}
    inbox = referral.route.assessor_email if referral.route_id else ""
    for to in dict.fromkeys(a for a in (old.omu_email if old else "", new.omu_email, inbox) if a):
        send_email(
            "cas2_application_transferred",
            to=to,
            personalisation=personalisation,
            service=referral.service,
            reference=f"referral:{referral.pk}",
        )
    return Outcome((referral,))


@transaction.atomic
def offender_manager_allocated(noms_number: str, *, staff_username: str, staff_name: str) -> Outcome:
    """A prison offender manager was allocated at the person's current prison: they are recorded
    (linked to their account when they have one here, their name kept either way)."""
    referral = _following(normalise_identifier(noms_number or ""))
    if referral is None:
        return Outcome(reason="no application follows this person")
    if referral.current_prison_id is None:
        return Outcome(reason="the application has no current prison")
    username = (staff_username or "").strip()
    user = get_user_model().objects.filter(username__iexact=username).first() if username else None
    name = (staff_name or "").strip() or (user.get_full_name() if user else "") or username
    PrisonAssignment.objects.create(
        referral=referral,
        prison_id=referral.current_prison_id,
        offender_manager=user,
        offender_manager_name=name[:200],
        reason=PrisonAssignment.Reason.ALLOCATION,
    )
    before = {"offender_manager": referral.offender_manager_id}
    referral.offender_manager = user
    referral.save(update_fields=["offender_manager", "updated_at"])
    audit.record_change(
        None,
        "referral.offender_manager_allocated",
        referral,
        before=before,
        after={"offender_manager": user.pk if user else None, "name": name},
        crn=referral.crn,
        service=referral.service,
    )
    prison = Prison.objects.get(pk=referral.current_prison_id)
    timeline.add_entry(
        referral,
        None,
        TimelineEntry.Kind.ALLOCATION,
        author_kind=TimelineEntry.Author.SYSTEM,
        text=f"{name} is now the prison offender manager at {prison.name}.",
        details={"prison": prison.code, "name": name},
    )
    return Outcome((referral,))


@transaction.atomic
def prison_number_changed(old_number: str, new_number: str) -> Outcome:
    """The prison system merged two records: every application (of any status) under the old prison
    number takes the new one, so later events with the new number still find them."""
    old = normalise_identifier(old_number or "")
    new = normalise_identifier(new_number or "")
    if not old or not new or old == new:
        return Outcome(reason="nothing to merge")
    referrals = list(
        Referral.objects.select_for_update(of=("self",)).filter(service=SERVICE, noms_number=old).order_by("created_at")
    )
    for referral in referrals:
        referral.noms_number = new
        referral.save(update_fields=["noms_number", "updated_at"])
        audit.record_change(
            None,
            "referral.prison_number_changed",
            referral,
            before={"noms_number": old},
            after={"noms_number": new},
            crn=referral.crn,
            service=referral.service,
        )
        if referral.status != DRAFT:
            timeline.add_entry(
                referral,
                None,
                TimelineEntry.Kind.TRANSFER,
                author_kind=TimelineEntry.Author.SYSTEM,
                text=f"The prison system merged the person's records: their prison number changed from {old} to {new}.",
                details={"merged": True, "from": old, "to": new},
            )
    return Outcome(tuple(referrals), "" if referrals else "no application has this prison number")


# The HMPPS domain events this module handles, by event type.
LOCATION_CHANGED = "prisoner-offender-search.prisoner.updated"
ALLOCATION_CHANGED = "offender-management.allocation.changed"
RECORDS_MERGED = "prison-offender-events.prisoner.merged"
EVENT_TYPES = (LOCATION_CHANGED, ALLOCATION_CHANGED, RECORDS_MERGED)


class UnknownPrisonEvent(ValueError):
    pass


def handle_event(event: dict) -> Outcome:
    """Dispatch one HMPPS domain event (its `eventType` and `additionalInformation`). A prisoner
    update that is not a change of location is ignored."""
    kind = event.get("eventType")
    info = event.get("additionalInformation") or {}
    if kind == LOCATION_CHANGED:
        if "LOCATION" not in (info.get("categoriesChanged") or []):
            return Outcome(reason="not a change of location")
        return person_moved(info.get("nomsNumber", ""), info.get("prisonId", ""))
    if kind == ALLOCATION_CHANGED:
        return offender_manager_allocated(
            info.get("nomsNumber", ""),
            staff_username=info.get("staffUsername", ""),
            staff_name=info.get("staffName", ""),
        )
    if kind == RECORDS_MERGED:
        return prison_number_changed(info.get("removedNomsNumber", ""), info.get("nomsNumber", ""))
    raise UnknownPrisonEvent(f"Unknown event type {kind!r}: expected one of {', '.join(EVENT_TYPES)}")
