"""Making a referral: create a draft from a CRN, save it page by page, delete it, submit it.

The web pages and the API call only these functions, so both keep the same rules: only referrers of
the referral's tier, only their own referrals, only drafts can change, every change audited. What
differs between tiers (the form, its context, where a submission goes, its first status, its emails
and pages) comes from the tier's profile (`cas.core.tiers`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cas.core import audit, clock, tiers
from cas.core.dates import long_date
from cas.core.errors import Conflict, DomainError
from cas.core.permissions import Permission, acting_service, check, may_reach_service
from cas.core.tiers import DRAFT
from cas.events.notifications import send_email
from cas.forms_engine import engine
from cas.forms_engine.answers import Answers
from cas.forms_engine.definition import FormDefinition, Page, Task
from cas.forms_engine.registry import get as get_definition
from cas.people import services as people
from cas.referrals import lifecycle, timeline
from cas.referrals.models import Referral, TimelineEntry

PERMISSION = Permission.REFERRAL_MAKE


class ReferralNotFound(DomainError):
    def __init__(self):
        super().__init__("Referral not found. It may have been deleted, or it is not one of yours.", code="not_found")


class PageNotFound(DomainError):
    def __init__(self):
        super().__init__("There is no such question in this referral.", code="not_found")


class PageInvalid(DomainError):
    """The answers did not pass the page's rules; `form` holds the errors for each field."""

    def __init__(self, form):
        super().__init__("Check your answers on this page.", code="invalid")
        self.form = form

    @property
    def errors(self) -> dict[str, list[str]]:
        return {name: [str(e) for e in errors] for name, errors in self.form.errors.items()}


class SubmissionIncomplete(DomainError):
    def __init__(self, problems: list[engine.Problem]):
        super().__init__(
            "You cannot submit the referral yet: " + "; ".join(p.message for p in problems), code="incomplete"
        )
        self.problems = problems


@dataclass
class Draft:
    """A referral opened for editing: its definition, the context its pages see, its answers."""

    referral: Referral
    definition: FormDefinition
    ctx: dict

    @property
    def answers(self) -> Answers:
        return Answers(self.referral.answers)

    def statuses(self):
        return engine.task_statuses(self.definition, self.answers, self.ctx)

    def locate(self, task_slug: str, page_slug: str) -> tuple[Task, Page]:
        try:
            task = self.definition.task(task_slug)
            return task, task.page(page_slug)
        except KeyError:
            raise PageNotFound() from None


# Reading ---------------------------------------------------------------------------------------------


def _own(user, referral_id, *, lock: bool = False) -> Referral:
    check(user, PERMISSION)
    queryset = Referral.objects.select_related("origin_region", "created_by__pdu", "region", "pdu")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        referral = queryset.get(pk=referral_id, deleted_at__isnull=True)
    except (Referral.DoesNotExist, ValueError, ValidationError):  # ValidationError: not a UUID
        raise ReferralNotFound() from None
    if referral.created_by_id != user.pk or not may_reach_service(user, PERMISSION, referral.service):
        audit.record_refusal(user, "referral.refused", crn=referral.crn, detail=f"not the referrer of {referral.pk}")
        raise ReferralNotFound()
    return referral


def _own_or_shared(user, referral_id, *, lock: bool = False) -> Referral:
    """The user's own referral, or a submitted one their tier lets them share (`Tier.shares_referral`)."""
    check(user, PERMISSION)
    queryset = Referral.objects.select_related("origin_region", "region")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        referral = queryset.get(pk=referral_id, deleted_at__isnull=True)
    except (Referral.DoesNotExist, ValueError, ValidationError):  # ValidationError: not a UUID
        raise ReferralNotFound() from None
    if may_reach_service(user, PERMISSION, referral.service):
        shares = tiers.get(referral.service).shares_referral
        if referral.created_by_id == user.pk:
            return referral
        if not referral.is_draft and shares is not None and shares(user, referral):
            return referral
    audit.record_refusal(user, "referral.refused", crn=referral.crn, detail=f"not the referrer of {referral.pk}")
    raise ReferralNotFound()


def get_referral(user, referral_id) -> Referral:
    """One of the user's own referrals, draft or submitted."""
    return _own(user, referral_id)


# The workflow action by which a referrer sends back the answers an assessor asked for. While a
# submitted referral's status allows it, the referrer may change the tasks listed in its
# `reopened_tasks` (a tier whose workflow has no such action never reopens anything).
SEND_INFORMATION = "send_information"


def reopened_tasks(referral: Referral) -> frozenset[str]:
    """The tasks of a submitted referral its referrer may answer again now."""
    if referral.is_draft or not referral.reopened_tasks:
        return frozenset()
    if SEND_INFORMATION not in lifecycle.allowed_actions(referral):
        return frozenset()
    return frozenset(referral.reopened_tasks)


def open_draft(user, referral_id) -> Draft:
    """A draft ready to show or edit, moved to the current form version first if needed (or a
    submitted referral with tasks reopened for its referrer: `reopened_tasks`)."""
    referral = _own(user, referral_id)
    if not referral.is_draft and not reopened_tasks(referral):
        raise Conflict("This referral has been submitted and can no longer be changed.", code="submitted")
    definition = get_definition(referral.form_key)
    if referral.form_version != definition.version:
        with transaction.atomic():  # ownership checked above
            referral = _own(user, referral_id, lock=True)
            _upgrade(user, referral, definition)
    return Draft(referral, definition, _context(referral))


def view_submitted(user, referral_id) -> Referral:
    referral = _own(user, referral_id)
    if referral.is_draft:
        raise Conflict("This referral has not been submitted yet.", code="draft")
    return referral


def _upgrade(user, referral: Referral, definition: FormDefinition) -> None:
    if referral.form_version == definition.version:
        return
    ctx = _context(referral)
    result = engine.upgrade(definition, Answers(referral.answers), referral.form_version, ctx)
    before = {"form_version": referral.form_version}
    notices = [n.as_dict() for n in result.notices]
    referral.answers = result.answers.data
    referral.form_version = result.version
    referral.form_notices = [*referral.form_notices, *notices]
    referral.save(update_fields=["answers", "form_version", "form_notices", "updated_at"])
    audit.record_change(
        user,
        "referral.form_upgraded",
        referral,
        before=before,
        after={"form_version": result.version, "steps": result.steps, "notices": notices},
        crn=referral.crn,
        service=referral.service,
    )


# Creating ---------------------------------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _risk_snapshot(risk) -> dict | None:
    if risk is None:
        return None
    plan = risk.risk_management_plan
    return {
        "rosh": dataclasses.asdict(risk.rosh),
        "mappa": {"category": risk.mappa.category, "level": risk.mappa.level, "label": risk.mappa.label}
        if risk.mappa
        else None,
        "flags": list(risk.flags),
        "tier": risk.tier,
        "assessment_completed_on": _jsonable(risk.assessment_completed_on),
        "has_risk_to_self_concerns": risk.risk_to_self.has_any_concerns if risk.risk_to_self else None,
        "risk_management_plan": {**dataclasses.asdict(plan), "key_information": ""} if plan else None,
        "fetched_at": _jsonable(risk.fetched_at),
    }


def _prison_snapshot(prison) -> dict | None:
    if prison is None:
        return None
    return {
        "noms_number": prison.noms_number,
        "prison_name": prison.prison_name,
        "release_date": _jsonable(prison.release_date),
        "release_type": prison.release_type,
        "adjudications": [_jsonable(dataclasses.asdict(a)) for a in prison.adjudications],
        "acct_alerts": [_jsonable(dataclasses.asdict(a)) for a in prison.acct_alerts],
        "fetched_at": _jsonable(prison.fetched_at),
    }


def _context(referral: Referral) -> dict:
    return tiers.get(referral.service).form_context(referral)


def referral_tier(user, service: str | None = None) -> tiers.Tier:
    """The tier the user makes referrals in: `service` when given (and theirs), or their only one."""
    check(user, PERMISSION)
    chosen = acting_service(user, PERMISSION, service)
    if chosen is None:
        raise DomainError("Choose which service the referral is for.", field="service")
    return tiers.get(chosen)


def find_person(user, crn: str, *, service: str | None = None) -> people.PersonRecord:
    """The person's record for the confirm-details step (access-checked and audited)."""
    tier = referral_tier(user, service)
    return people.view_person(user, crn, purpose=f"{tier.name} referral: confirm details")


def create_draft(
    user, crn: str, *, offence_id: str | None = None, service: str | None = None, extra: dict | None = None
) -> Referral:
    """Start a draft for the person with `crn`, with snapshots of their risk and prison records, on the
    form of the user's tier (or of `service`, for a user who refers to several). `extra` sets columns
    the tier decides when an application starts (CAS2: its route and cohort, the referring prison).

    The index offence is the one chosen, or the only one (or, for a tier whose form asks for the
    offences, the case system's index offence when it has one). Raises `people.PersonUnknown`,
    `people.PersonRestricted` or `UpstreamUnavailable` (case system down) as the look-up does.
    """
    tier = referral_tier(user, service)
    if tier.starts_by_route and not (extra or {}).get("route"):
        raise DomainError(f"Start a {tier.name} application by its route: choose how you are applying first.")
    if user.region_id is None:
        raise DomainError("Your account has no probation region. Ask your administrator to add one.")
    record = people.view_person(user, crn, purpose=f"{tier.name} referral: create draft")
    person = record.person
    if offence_id:
        offence = next((o for o in person.offences if o.offence_id == offence_id), None)
        if offence is None:
            raise DomainError("Select the index offence from the list", field="offence_id")
    elif len(person.offences) == 1:
        offence = person.offences[0]
    elif not tier.chooses_index_offence:
        offence = person.index_offence
    else:
        raise DomainError("Select the index offence", field="offence_id")

    # view_person lists what it could not fetch: risk problems first, then prison ones.
    problems = list(record.problems)
    risk_problem = problems.pop(0) if record.risk is None and problems else ""
    prison_problem = problems[0] if record.prison is None and problems else ""
    risk = record.risk
    today = clock.today()
    rmp_imported = bool(risk and risk.risk_management_plan and risk.assessment_is_recent(today))
    definition = get_definition(tier.form_key)
    with transaction.atomic():
        referral = Referral(
            service=tier.service,
            created_by=user,
            crn=person.crn,
            noms_number=person.noms_number or "",
            pnc_number=person.pnc_number or "",
            person_name=person.name,
            date_of_birth=person.date_of_birth,
            sex=person.sex or "",
            gender_identity=person.gender_identity or "",
            ethnicity=person.ethnicity or "",
            person_fetched_at=person.fetched_at,
            offence_id=offence.offence_id if offence else "",
            offence_description=offence.description[:300] if offence else "",
            prison_name_on_creation=(record.prison.prison_name if record.prison else person.prison_name) or "",
            origin_region_id=user.region_id,
            origin_pdu_id=user.pdu_id,
            region_id=user.region_id,
            pdu_id=user.pdu_id,
            form_key=definition.key,
            form_version=definition.version,
            risk_snapshot=_risk_snapshot(risk),
            prison_snapshot=_prison_snapshot(record.prison),
            risk_problem=risk_problem[:300],
            prison_problem=prison_problem[:300],
            rosh_level=(risk.rosh.overall or "") if risk else "",
            tier=(risk.tier or "") if risk else "",
            mappa=risk.mappa.label if risk and risk.mappa and risk.mappa.category else "",
            risk_assessment_completed_on=risk.assessment_completed_on if risk else None,
            risk_management_plan_imported_at=risk.fetched_at if rmp_imported else None,
        )
        # What the tier decides when an application starts overrides the defaults (CAS2's region is
        # the person's probation region, not the referrer's: a court or prison serves every region).
        for name, value in (extra or {}).items():
            setattr(referral, name, value)
        referral.save(force_insert=True)
        audit.record_change(
            user,
            "referral.created",
            referral,
            before=None,
            after={"crn": referral.crn, "offence": referral.offence_description, "region": str(referral.origin_region)},
            crn=referral.crn,
            service=referral.service,
        )
    return referral


# Saving ------------------------------------------------------------------------------------------------


@dataclass
class Saved:
    referral: Referral
    task: Task
    page: Page
    next_page: Page | None
    draft: Draft


def save_page(user, referral_id, task_slug: str, page_slug: str, data, *, from_json: bool = False) -> Saved:
    """Validate and save one page's answers.

    `data` is form data as posted by a browser, or JSON values when `from_json` (the API); `None`
    on a page that confirms pre-filled values means "confirm them as they are".
    """
    _own(user, referral_id)  # outside the transaction, so a refusal stays recorded
    with transaction.atomic():
        referral = _own(user, referral_id, lock=True)
        reopened = reopened_tasks(referral)
        if not referral.is_draft and not reopened:
            raise Conflict("This referral has been submitted and can no longer be changed.", code="submitted")
        definition = get_definition(referral.form_key)
        _upgrade(user, referral, definition)
        draft = Draft(referral, definition, _context(referral))
        task, page = draft.locate(task_slug, page_slug)
        if not referral.is_draft and task.slug not in reopened:
            raise Conflict(
                "This part of the referral has been sent and can no longer be changed. You can change only the "
                "sections you were asked about.",
                code="submitted",
            )
        answers = draft.answers
        statuses = draft.statuses()
        if statuses[task.slug] == engine.TaskStatus.CANNOT_START:
            waiting = ", ".join(f"‘{t.title}’" for t in engine.blocking_tasks(definition, task, statuses))
            raise Conflict(f"Complete {waiting} before you start ‘{task.title}’.", code="locked")
        if not engine.is_reachable(task, page, answers, draft.ctx):
            raise Conflict(
                "This question does not apply to your earlier answers. Go back to the task list.", code="not_applicable"
            )
        form = engine.build_form(page, draft.ctx, answers)
        if page.blocker is not None and not form.fields:
            raise Conflict(page.blocker(None, answers, draft.ctx) or "This page cannot be completed.", code="blocked")
        if page.kind == "review" or not form.fields:
            data, from_json = {}, True
        elif page.kind == "confirm" and data is None:
            data, from_json = engine.current_values(task, page, answers, draft.ctx), True
        form = (
            engine.bind(page, draft.ctx, answers, data)
            if from_json
            else page.form(data, context=draft.ctx, answers=answers)
        )
        if not form.is_valid():
            raise PageInvalid(form)
        target = page.stores_in or page.slug
        before = answers.page(task.slug, target)
        new_answers, removed = engine.save(definition, answers, task, page, form.values(), draft.ctx)
        if not referral.is_draft:
            # A submitted referral's answers were confirmed when it was sent; the referrer confirms the
            # reopened sections again by sending them back, so the confirmation stays.
            new_answers = _keep_confirmation(definition, answers, new_answers)
        referral.answers = new_answers.data
        referral.form_notices = [
            n for n in referral.form_notices if not (n["task"] == task.slug and n["page"] == target)
        ]
        referral.save(update_fields=["answers", "form_notices", "updated_at"])
        audit.record_change(
            user,
            "referral.page_saved",
            referral,
            before={"answer": before},
            after={"answer": new_answers.page(task.slug, target), "removed": [f"{t}/{p}" for t, p in removed]},
            crn=referral.crn,
            service=referral.service,
            detail=f"{task.slug}/{target}",
        )
        draft = Draft(referral, definition, draft.ctx)
        return Saved(referral, task, page, engine.next_page(task, page, new_answers, draft.ctx), draft)


def _keep_confirmation(definition: FormDefinition, old: Answers, new: Answers) -> Answers:
    data = dict(new.data)
    for task in definition.tasks():
        for page in task.pages:
            value = old.page(task.slug, page.slug)
            if page.kind == "review" and value is not None:
                data[task.slug] = {**(data.get(task.slug) or {}), page.slug: value}
    return Answers(data)


# Deleting -----------------------------------------------------------------------------------------------


def delete_draft(user, referral_id) -> Referral:
    _own(user, referral_id)  # outside the transaction, so a refusal stays recorded
    with transaction.atomic():
        referral = _own(user, referral_id, lock=True)
        if not referral.is_draft:
            raise Conflict("Submitted referrals cannot be deleted.", code="submitted")
        referral.deleted_at = clock.now()
        referral.save(update_fields=["deleted_at", "updated_at"])
        audit.record_change(
            user,
            "referral.draft_deleted",
            referral,
            before={"deleted": False},
            after={"deleted": True},
            crn=referral.crn,
            service=referral.service,
        )
    return referral


# Submitting --------------------------------------------------------------------------------------------


@dataclass
class Submitted:
    referral: Referral
    # False when the referral had already been submitted (a double click or a retried request).
    newly_submitted: bool


DECLARATION_ERROR = "Confirm that the information you have given is complete, accurate and up to date"


def submit_referral(user, referral_id, *, declaration: bool) -> Submitted:
    """Submit a complete draft to where its tier routes it (CAS3: the destination region's review
    queue), in the tier's first status, and email a receipt.

    The row is locked, so concurrent or repeated submissions of one draft make one submitted
    referral and one email; a repeat returns the referral as already submitted.
    """
    _own(user, referral_id)  # outside the transaction, so a refusal stays recorded
    with transaction.atomic():
        referral = _own(user, referral_id, lock=True)
        if not referral.is_draft:
            return Submitted(referral, False)
        if not declaration:
            raise DomainError(DECLARATION_ERROR, field="declaration", code="declaration")
        definition = get_definition(referral.form_key)
        _upgrade(user, referral, definition)
        tier = tiers.get(referral.service)
        ctx = _context(referral)
        answers, _ = engine.prune(definition, Answers(referral.answers), ctx)
        problems = engine.problems(definition, answers, ctx)
        if problems:
            raise SubmissionIncomplete(problems)
        fields = definition.reporting(answers, ctx)
        tier.route(referral, fields)
        region = referral.region
        for name, value in fields.items():
            setattr(referral, name, value)
        referral.answers = answers.data
        referral.document = engine.document(definition, answers, ctx)
        referral.status = tier.workflow.submitted
        referral.submitted_at = clock.now()
        referral.save()
        audit.record_change(
            user,
            "referral.submitted",
            referral,
            before={"status": DRAFT},
            after={
                "status": referral.status,
                "region": region.name,
                "pdu": str(referral.pdu or ""),
                "is_out_of_region": referral.is_out_of_region,
            },
            crn=referral.crn,
            service=referral.service,
        )
        timeline.record_submission(referral, user)
        _send_receipt(tier, referral, user)
        if tier.after_submission is not None:
            tier.after_submission(referral, user)
    return Submitted(referral, True)


def _send_receipt(tier: tiers.Tier, referral: Referral, user) -> None:
    """Email the referrer their receipt, in the tier's template (a tier may send none)."""
    template = tier.emails.get("referral_submitted")
    if template is None:
        return
    region = referral.region
    send_email(
        template,
        to=user.email,
        personalisation={
            "name": user.get_full_name() or user.username,
            "person_name": referral.person_name,
            "crn": referral.crn,
            "reference": referral.reference,
            "region": region.name,
            "hpt_email": region.hpt_email or "their shared mailbox",
            "submitted_at": long_date(timezone.localtime(referral.submitted_at)),
            "referral_url": timeline.referral_url(referral, for_referrer=True),
        },
        service=referral.service,
        reference=f"referral:{referral.pk}",
        actor=user,
    )


def add_referrer_note(user, referral_id, text: str) -> TimelineEntry:
    """The referrer's reply: on the timeline both sides see, and emailed to the assessor reviewing
    the referral, or to the HPT's shared mailbox when nobody has taken it."""
    text = timeline.clean_note(text)
    _own_or_shared(user, referral_id)  # outside the transaction so a refusal stays recorded
    with transaction.atomic():
        referral = _own_or_shared(user, referral_id, lock=True)
        if referral.is_draft:
            raise Conflict("You can add notes once the referral has been sent.", code="draft")
        # Read again with whoever has it for review now: the note is emailed to them.
        referral = Referral.objects.select_related("region", "allocated_to").get(pk=referral.pk)
        entry = timeline.add_entry(
            referral, user, TimelineEntry.Kind.NOTE, author_kind=TimelineEntry.Author.REFERRER, text=text
        )
        tier = tiers.get(referral.service)
        if referral.allocated_to_id:
            to = referral.allocated_to.email
        else:
            to = tier.inbox(referral) if tier.inbox is not None else referral.region.hpt_email
        if to and "referral_note_from_referrer" in tier.emails:
            send_email(
                tier.email("referral_note_from_referrer"),
                to=to,
                personalisation={
                    "author": timeline.author_name(user),
                    "person_name": referral.person_name,
                    "crn": referral.crn,
                    "reference": referral.reference,
                    "note": text,
                    "referral_url": timeline.referral_url(referral, for_referrer=False),
                },
                service=referral.service,
                reference=f"referral:{referral.pk}",
                actor=user,
            )
            entry.emailed_to = to
            entry.save(update_fields=["emailed_to"])
        audit.record_change(
            user,
            "referral.note_added",
            referral,
            before=None,
            after={"by": "referrer", "length": len(text)},
            crn=referral.crn,
            service=referral.service,
        )
    return entry
