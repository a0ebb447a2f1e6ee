"""The probation practitioner's referral pages: start, find the person, the task list, every
question page, check your answers, the declaration, confirmation, and their own referrals.

Views are thin: they bind forms and call `cas.referrals.services`, which enforces who may do
what, so the API behaves the same.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cas.core.dates import long_date
from cas.core.errors import Conflict, DomainError
from cas.core.permissions import Permission
from cas.core.tiers import Service
from cas.forms_engine import engine
from cas.forms_engine.forms import fill
from cas.people import services as people
from cas.people.ports import UpstreamUnavailable
from cas.referrals import placement, services, timeline
from cas.referrals.cas3 import queries
from cas.referrals.cas3.choices import NOT_ELIGIBLE
from cas.web import idempotency as idempotent
from cas.web.decorators import requires
from cas.web.forms.people import PersonSearchForm
from cas.web.review.forms import ReferrerNoteForm
from cas.web.review.presenters import timeline_items

MAKE = Permission.REFERRAL_MAKE
RETURN_TO_CHECK = "check"


@dataclass(frozen=True)
class Flow:
    """The URL names and words of one tier's draft pages. The task list, the question pages, check
    your answers and the declaration are the same for every tier (they call the shared services,
    which ask the referral's tier); a tier's area routes them with its own `Flow` (passed as a view
    argument in its urls.py), and only referrals of `service` open under its URLs."""

    service: str | None = None
    tasks: str = "web:referral-tasks"
    task: str = "web:referral-task"
    page: str = "web:referral-page"
    submit: str = "web:referral-submit"
    confirmation: str = "web:referral-confirmation"
    sent: str = "web:referral-sent"
    list: str = "web:referral-list"
    delete: str = "web:referral-delete"
    noun: str = "referral"
    heading: str = "Make a referral for transitional accommodation"
    delete_text: str = "Delete this draft referral"


# The CAS3 referral's own URLs (`urls.py` here), which open CAS3 referrals only; its start pages
# (CRN, person, index offence) are CAS3's, so a user who refers in several tiers starts a CAS3 one.
DEFAULT_FLOW = Flow(service=Service.CAS3)


class OffenceForm(forms.Form):
    offence_id = forms.ChoiceField(
        label="Which is the index offence?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the index offence", "invalid_choice": "Select the index offence"},
    )

    def __init__(self, *args, offences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offence_id"].choices = [
            (o.offence_id, f"{o.description} ({long_date(o.offence_date)})" if o.offence_date else o.description)
            for o in offences
        ]


class DeclarationForm(forms.Form):
    declaration = forms.BooleanField(
        label="I confirm that the information I have given is complete, accurate and up to date",
        error_messages={"required": services.DECLARATION_ERROR},
    )


def _not_found():
    raise Http404("Referral not found")


def _open(request, pk, flow: Flow = DEFAULT_FLOW):
    try:
        draft = services.open_draft(request.user, pk)
    except services.ReferralNotFound:
        _not_found()
    _check_flow(draft.referral, flow)
    return draft


def _check_flow(referral, flow: Flow) -> None:
    if flow.service is not None and referral.service != flow.service:
        _not_found()


# The referrer's own referrals -----------------------------------------------------------------------

TABS = {
    "in-progress": ("In progress", "web:referral-list"),
    "submitted": ("Submitted", "web:referral-list-submitted"),
    "rejected": ("Rejected", "web:referral-list-rejected"),
}


def _referral_list(request, tab: str):
    page = Paginator(queries.referrer_referrals(request.user, tab), 25).get_page(request.GET.get("page"))
    page.object_list = people.hide_limited_access(request.user, page.object_list)
    counts = queries.referrer_counts(request.user)
    tabs = [
        {"text": f"{label} ({counts[key]})", "href": reverse(name), "active": key == tab}
        for key, (label, name) in TABS.items()
    ]
    return TemplateResponse(request, "referrals/list.html", {"page": page, "tab": tab, "tabs": tabs})


@requires(MAKE)
@require_GET
def referral_list(request):
    return _referral_list(request, "in-progress")


@requires(MAKE)
@require_GET
def referral_list_submitted(request):
    return _referral_list(request, "submitted")


@requires(MAKE)
@require_GET
def referral_list_rejected(request):
    return _referral_list(request, "rejected")


# Starting a referral ---------------------------------------------------------------------------------


@requires(MAKE)
@require_GET
def referral_start(request):
    return TemplateResponse(request, "referrals/start.html", {"region": request.user.region})


@requires(MAKE)
@require_GET
def referral_new(request):
    form = PersonSearchForm(request.GET or None)
    form.fields["crn"].label = "What is the person’s CRN?"
    if request.GET and form.is_valid():
        return redirect("web:referral-person", crn=form.cleaned_data["crn"])
    return TemplateResponse(request, "referrals/crn.html", {"form": form})


def _person_or_error(request, crn):
    """The person's record, or the CRN page showing why it cannot be used."""
    form = PersonSearchForm({"crn": crn})
    form.fields["crn"].label = "What is the person’s CRN?"
    if not form.is_valid():
        return None, TemplateResponse(request, "referrals/crn.html", {"form": form}, status=400)
    try:
        return services.find_person(request.user, form.cleaned_data["crn"], service=DEFAULT_FLOW.service), None
    except people.PersonUnknown as exc:
        form.add_error("crn", f"{exc.message}. Check the CRN and try again")
        return None, TemplateResponse(request, "referrals/crn.html", {"form": form}, status=404)
    except people.PersonRestricted as exc:
        return None, TemplateResponse(
            request, "referrals/restricted.html", {"message": exc.message, "crn": crn}, status=403
        )
    except UpstreamUnavailable as exc:
        form.add_error("crn", str(exc))
        return None, TemplateResponse(request, "referrals/crn.html", {"form": form}, status=503)


@requires(MAKE)
@require_http_methods(["GET", "POST"])
def referral_person(request, crn: str):
    record, error = _person_or_error(request, crn)
    if error:
        return error
    person = record.person
    if request.method == "POST":
        if len(person.offences) != 1:
            return redirect("web:referral-offence", crn=person.crn)
        return _create(request, person.crn, person.offences[0].offence_id, None)
    return TemplateResponse(request, "referrals/confirm_person.html", {"record": record, "person": person})


def _create(request, crn, offence_id, form):
    try:
        referral = services.create_draft(request.user, crn, offence_id=offence_id, service=DEFAULT_FLOW.service)
    except DomainError as exc:
        if form is None:
            raise
        form.add_error("offence_id" if exc.field == "offence_id" else None, exc.message)
        return None
    messages.success(request, f"Referral started for {referral.person_name}")
    return redirect("web:referral-tasks", pk=referral.pk)


@requires(MAKE)
@require_http_methods(["GET", "POST"])
def referral_offence(request, crn: str):
    record, error = _person_or_error(request, crn)
    if error:
        return error
    person = record.person
    initial = {"offence_id": person.index_offence.offence_id} if person.index_offence else {}
    form = OffenceForm(request.POST if request.method == "POST" else None, offences=person.offences, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = _create(request, person.crn, form.cleaned_data["offence_id"], form)
        if response:
            return response
    return TemplateResponse(request, "referrals/offence.html", {"form": form, "person": person})


# The task list and the question pages ----------------------------------------------------------------

NOT_STARTED_COLOURS = {
    engine.TaskStatus.NOT_STARTED: "govuk-tag--blue",
    engine.TaskStatus.IN_PROGRESS: "govuk-tag--light-blue",
}


def _task_items(draft, statuses, flow: Flow = DEFAULT_FLOW, only: frozenset[str] | None = None):
    """The task list's sections; with `only` (the tasks reopened on a submitted referral), the
    other tasks are shown without links."""
    sections = []
    for section in draft.definition.sections:
        items = []
        for task in section.tasks:
            status = statuses[task.slug]
            item = {"title": {"text": task.title}}
            if status == engine.TaskStatus.CANNOT_START or status == engine.TaskStatus.NOT_APPLICABLE:
                item["status"] = {"text": status.label, "classes": "govuk-task-list__status--cannot-start-yet"}
            elif only is not None and task.slug not in only:
                item["status"] = {"text": "Sent"}
            else:
                item["href"] = reverse(flow.task, args=[draft.referral.pk, task.slug])
                if status == engine.TaskStatus.COMPLETED:
                    item["status"] = {"text": status.label}
                else:
                    item["status"] = {"tag": {"text": status.label, "classes": NOT_STARTED_COLOURS[status]}}
            blockers = engine.route(task, draft.answers, draft.ctx).blockers
            if blockers and status != engine.TaskStatus.NOT_APPLICABLE:
                item["hint"] = {"text": blockers[0][0].upper() + blockers[0][1:]}
            items.append(item)
        done = all(statuses[t.slug] in engine.SATISFIED for t in section.tasks)
        sections.append({"title": section.title, "items": items, "done": done, "slug": section.slug})
    return sections


@requires(MAKE)
@require_GET
def referral_tasks(request, pk, flow: Flow = DEFAULT_FLOW):
    try:
        draft = services.open_draft(request.user, pk)
    except services.ReferralNotFound:
        _not_found()
    except Conflict:
        return redirect(flow.sent, pk=pk)
    _check_flow(draft.referral, flow)
    if not draft.referral.is_draft:
        # Tasks reopened on a submitted referral are answered from its own page.
        return redirect(flow.sent, pk=pk)
    statuses = draft.statuses()
    sections = _task_items(draft, statuses, flow)
    notices = [
        {**n, "href": reverse(flow.page, args=[pk, n["task"], n["page"]])}
        for n in draft.referral.form_notices
        if n.get("action") == "reanswer"
    ]
    removed = [n for n in draft.referral.form_notices if n.get("action") == "removed"]
    return TemplateResponse(
        request,
        "referrals/tasks.html",
        {
            "referral": draft.referral,
            "sections": sections,
            "completed_sections": sum(1 for s in sections if s["done"]),
            "notices": notices,
            "removed": removed,
            "flow": flow,
        },
    )


def _home(draft, flow: Flow) -> str:
    """Where the referrer goes back to: the task list of a draft, the page of a submitted referral."""
    return reverse(flow.tasks if draft.referral.is_draft else flow.sent, args=[draft.referral.pk])


@requires(MAKE)
@require_GET
def referral_task(request, pk, task: str, flow: Flow = DEFAULT_FLOW):
    draft = _open(request, pk, flow)
    try:
        task_def = draft.definition.task(task)
    except KeyError:
        _not_found()
    if not draft.referral.is_draft and task not in services.reopened_tasks(draft.referral):
        messages.info(
            request, f"This {flow.noun} has been sent. You can change only the sections you were asked about."
        )
        return redirect(_home(draft, flow))
    statuses = draft.statuses()
    if statuses[task] == engine.TaskStatus.CANNOT_START:
        waiting = ", ".join(t.title for t in engine.blocking_tasks(draft.definition, task_def, statuses))
        messages.info(request, f"Complete {waiting} before you start {task_def.title}.")
        return redirect(_home(draft, flow))
    if statuses[task] == engine.TaskStatus.NOT_APPLICABLE:
        messages.info(request, f"{task_def.title} does not apply to this {flow.noun}.")
        return redirect(_home(draft, flow))
    page = engine.resume_page(task_def, draft.answers, draft.ctx)
    if page is None:
        # A finished task: show its first page, so its answers can be changed.
        pages = engine.route(task_def, draft.answers, draft.ctx).pages
        if not pages or draft.referral.is_draft:
            return redirect(_home(draft, flow))
        page = pages[0]
    return redirect(flow.page, pk=pk, task=task, page=page.slug)


def _page_url(pk, task, page, returning: bool, flow: Flow = DEFAULT_FLOW) -> str:
    url = reverse(flow.page, args=[pk, task, page])
    return f"{url}?return={RETURN_TO_CHECK}" if returning else url


def _check_url(pk, flow: Flow = DEFAULT_FLOW) -> str:
    return reverse(flow.page, args=[pk, "check-your-answers", "review"])


def _render_page(request, draft, task, page, form, returning, status=200, flow: Flow = DEFAULT_FLOW):
    answers = draft.answers
    placeholders = {**draft.ctx["placeholders"], **form.placeholders()}
    if returning:
        back = _check_url(draft.referral.pk, flow)
    else:
        previous = engine.previous_page(task, page, answers, draft.ctx)
        back = _page_url(draft.referral.pk, task.slug, previous.slug, False, flow) if previous else _home(draft, flow)
    context = {
        "referral": draft.referral,
        "task": task,
        "page": page,
        "form": form,
        "title": fill(page.title, placeholders),
        "guidance": [fill(g, placeholders) for g in page.guidance],
        "placeholders": placeholders,
        "back": back,
        "home": _home(draft, flow),
        "returning": returning,
        "ctx": draft.ctx,
        "not_eligible": NOT_ELIGIBLE,
        "flow": flow,
        "consequence": engine.consequence(task, page, answers, draft.ctx) if not form.is_bound else None,
        "notice": next(
            (n for n in draft.referral.form_notices if n["task"] == task.slug and n["page"] == page.slug), None
        ),
    }
    if page.kind == "review":
        statuses = draft.statuses()
        context["summary"] = engine.check_answers(draft.definition, answers, draft.ctx)
        context["change_url"] = lambda row: _page_url(draft.referral.pk, row.task, row.page, True, flow)
        context["incomplete"] = [
            t for t in draft.definition.tasks() if t.slug != task.slug and statuses[t.slug] not in engine.SATISFIED
        ]
        return TemplateResponse(request, "referrals/check_answers.html", context, status=status)
    if page.kind == "confirm":
        context["values"] = engine.current_values(task, page, answers, draft.ctx)
        # What would stop "Confirm" now (a detail missing from the user's account), said beside its
        # value before the user presses the button; after a refused confirm, the form's own errors.
        problems = (
            {name: str(errors[0]) for name, errors in form.errors.items() if errors}
            if form.is_bound
            else engine.confirm_problems(task, page, answers, draft.ctx)
        )
        context["rows"] = [
            {
                "name": name,
                "label": label,
                "value": display,
                "missing": context["values"].get(name) in (None, "", []),
                "problem": problems.get(name),
                "change": _page_url(draft.referral.pk, task.slug, page.change_pages[name], returning, flow),
            }
            for name, label, display in form.summary_rows(context["values"])
        ]
        context["problems"] = [row for row in context["rows"] if row["problem"]]
    if page.kind == "list":
        context["entries"] = form.entries()
    default = {"confirm": "referrals/pages/confirm.html", "list": "referrals/pages/list.html"}
    template = page.template or default.get(page.kind, "referrals/page.html")
    return TemplateResponse(request, template, context, status=status)


@requires(MAKE)
@require_http_methods(["GET", "POST"])
def referral_page(request, pk, task: str, page: str, flow: Flow = DEFAULT_FLOW):
    draft = _open(request, pk, flow)
    try:
        task_def, page_def = draft.locate(task, page)
    except services.PageNotFound:
        _not_found()
    if not draft.referral.is_draft and task not in services.reopened_tasks(draft.referral):
        messages.info(
            request, f"This {flow.noun} has been sent. You can change only the sections you were asked about."
        )
        return redirect(_home(draft, flow))
    returning = request.GET.get("return") == RETURN_TO_CHECK
    statuses = draft.statuses()
    if statuses[task] == engine.TaskStatus.CANNOT_START or not engine.is_reachable(
        task_def, page_def, draft.answers, draft.ctx
    ):
        # Not (or no longer) on this task's route: carry on from where the task is.
        return redirect(flow.task, pk=pk, task=task)
    if request.method == "GET":
        form = engine.display_form(task_def, page_def, draft.ctx, draft.answers)
        return _render_page(request, draft, task_def, page_def, form, returning, flow=flow)

    if page_def.blocker is not None and not engine.build_form(page_def, draft.ctx, draft.answers).fields:
        return redirect(_home(draft, flow))
    data = None if page_def.kind == "confirm" else request.POST
    try:
        saved = services.save_page(request.user, pk, task, page, data)
    except services.PageInvalid as exc:
        return _render_page(request, draft, task_def, page_def, exc.form, returning, flow=flow)
    except services.ReferralNotFound:
        _not_found()
    except Conflict as exc:
        messages.info(request, exc.message)
        return redirect(_home(draft, flow))

    if page_def.kind == "review":
        return redirect(flow.submit, pk=pk)
    consequence = engine.consequence(task_def, page_def, saved.draft.answers, saved.draft.ctx)
    if consequence:
        # What the answer means for the referral, said on the next page too (and on check your answers).
        messages.info(request, consequence)
    if page_def.stores_in:
        return redirect(_page_url(pk, task, page_def.stores_in, returning, flow))
    if page_def.kind == "list" and request.POST.get("action") in ("add", "remove"):
        # An entry added or removed: the same page again, to add another or carry on.
        return redirect(_page_url(pk, task, page, returning, flow))
    next_page = saved.next_page
    if returning:
        new = saved.draft
        if next_page is not None and not engine.is_valid(task_def, next_page, new.answers, new.ctx):
            return redirect(_page_url(pk, task, next_page.slug, True, flow))
        return redirect(_check_url(pk, flow))
    if next_page is not None:
        return redirect(_page_url(pk, task, next_page.slug, False, flow))
    return redirect(_home(saved.draft, flow))


# Submitting ------------------------------------------------------------------------------------------


@requires(MAKE)
@require_http_methods(["GET", "POST"])
def referral_submit(request, pk, flow: Flow = DEFAULT_FLOW):
    try:
        draft = services.open_draft(request.user, pk)
    except services.ReferralNotFound:
        _not_found()
    except Conflict:
        return redirect(flow.confirmation, pk=pk)
    _check_flow(draft.referral, flow)
    if not draft.referral.is_draft:
        return redirect(flow.confirmation, pk=pk)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    problems = engine.problems(draft.definition, draft.answers, draft.ctx)
    if request.method == "POST" and form.is_valid():

        def submit() -> dict:
            services.submit_referral(request.user, pk, declaration=form.cleaned_data["declaration"])
            return {"redirect": reverse(flow.confirmation, args=[pk])}

        try:
            outcome = idempotent.run_once(request, "referral.submit", submit)
        except services.SubmissionIncomplete as exc:
            problems = exc.problems
        except DomainError as exc:
            form.add_error("declaration" if exc.field == "declaration" else None, exc.message)
        else:
            return redirect(outcome.result["redirect"])
    problem_links = [
        {
            "text": p.message,
            "href": _page_url(pk, p.task, p.page, False, flow) if p.page else reverse(flow.tasks, args=[pk]),
        }
        for p in problems
    ]
    return TemplateResponse(
        request,
        "referrals/submit.html",
        {"referral": draft.referral, "form": form, "problems": problem_links, "flow": flow},
        status=200,
    )


@requires(MAKE)
@require_GET
def referral_confirmation(request, pk):
    try:
        referral = services.view_submitted(request.user, pk)
    except services.ReferralNotFound:
        _not_found()
    except Conflict:
        return redirect("web:referral-tasks", pk=pk)
    _check_flow(referral, DEFAULT_FLOW)
    return TemplateResponse(request, "referrals/confirmation.html", {"referral": referral})


def _sent_page(request, referral, form, status=200):
    entries = timeline.entries(referral, for_referrer=True)
    return TemplateResponse(
        request,
        "referrals/sent.html",
        {
            "referral": referral,
            # The booking made for it, as far as the referrer may know it (the booking's page is the HPT's).
            "placement": placement.for_referrer(referral),
            "document": referral.document,
            "note_form": form,
            "form": form if form.is_bound else None,
            "timeline": timeline_items(entries, for_referrer=True),
        },
        status=status,
    )


@requires(MAKE)
@require_GET
def referral_sent(request, pk):
    try:
        referral = services.view_submitted(request.user, pk)
    except services.ReferralNotFound:
        _not_found()
    except Conflict:
        return redirect("web:referral-tasks", pk=pk)
    _check_flow(referral, DEFAULT_FLOW)
    return _sent_page(request, referral, ReferrerNoteForm())


@requires(MAKE)
@require_http_methods(["GET", "POST"])
def referral_note(request, pk):
    """The practitioner's reply to the HPT, added to the referral's timeline (shown on the sent page)."""
    try:
        referral = services.view_submitted(request.user, pk)
    except services.ReferralNotFound:
        _not_found()
    except Conflict:
        return redirect("web:referral-tasks", pk=pk)
    _check_flow(referral, DEFAULT_FLOW)
    if request.method == "GET":
        return redirect(reverse("web:referral-sent", args=[pk]) + "#notes")
    form = ReferrerNoteForm(request.POST)
    if form.is_valid():
        try:
            entry = services.add_referrer_note(request.user, pk, form.cleaned_data["text"])
        except DomainError as exc:
            form.add_error("text" if exc.field == "text" else None, exc.message)
        else:
            sent_to = f" and emailed to {entry.emailed_to}" if entry.emailed_to else ""
            messages.success(request, f"Note added to the referral{sent_to}")
            return redirect(reverse("web:referral-sent", args=[pk]) + "#timeline")
    return _sent_page(request, referral, form, status=400)


@requires(MAKE)
@require_http_methods(["GET", "POST"])
def referral_delete(request, pk):
    try:
        referral = services.get_referral(request.user, pk)
    except services.ReferralNotFound:
        _not_found()
    _check_flow(referral, DEFAULT_FLOW)
    if not referral.is_draft:
        messages.info(request, "Submitted referrals cannot be deleted.")
        return redirect("web:referral-sent", pk=pk)
    if request.method == "POST":
        try:
            services.delete_draft(request.user, pk)
        except DomainError as exc:
            messages.info(request, exc.message)
            return redirect("web:referral-tasks", pk=pk)
        messages.success(request, f"Draft referral for {referral.person_name} deleted")
        return redirect("web:referral-list")
    return TemplateResponse(request, "referrals/delete.html", {"referral": referral})
