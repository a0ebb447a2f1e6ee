"""The CAS2 referrer's pages: choose a route, find and confirm the person, the application's task
list and questions (the shared draft pages, routed with CAS2's `Flow`), the confirmation with the
provider's service level, the application as sent (status, answers, timeline, notes, the sections
the provider asked about), abandoning a draft, and the referrer's and their prison's lists.

Views are thin: they call `cas.referrals.cas2.applications`, the shared `cas.referrals.services`
and `cas.referrals.cas2.access`, which enforce who may do what, so the API behaves the same.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cas.core.errors import DomainError
from cas.core.permissions import Permission
from cas.core.tiers import Service
from cas.people import services as people
from cas.people.ports import UpstreamUnavailable
from cas.referrals import lifecycle, services, timeline
from cas.referrals.cas2 import access, applications, service_levels
from cas.referrals.cas2.access import Reach
from cas.referrals.cas2.workflow import Action
from cas.referrals.models import TimelineEntry
from cas.web import idempotency as idempotent
from cas.web.cas2_applications.forms import IdentifierForm, NoteForm, RouteForm, SearchForm
from cas.web.decorators import requires
from cas.web.form_errors import add_domain_error
from cas.web.referrals.views import Flow

MAKE = Permission.REFERRAL_MAKE
FLOW = Flow(
    service=Service.CAS2,
    tasks="web:cas2-application-tasks",
    task="web:cas2-application-task",
    page="web:cas2-application-page",
    submit="web:cas2-application-submit",
    confirmation="web:cas2-application-confirmation",
    sent="web:cas2-application",
    list="web:cas2-application-list",
    delete="web:cas2-application-abandon",
    noun="application",
    heading="Apply for CAS2 accommodation",
    delete_text="Abandon this application",
)
READERS = frozenset({Reach.REFERRER, Reach.PRISON})
PAGE_SIZE = 25


# Lists --------------------------------------------------------------------------------------------------

TABS = {
    applications.IN_PROGRESS: ("In progress", "web:cas2-application-list"),
    applications.SUBMITTED: ("Sent", "web:cas2-application-list-submitted"),
}


def _own_list(request, tab: str):
    page = Paginator(applications.own_applications(request.user, tab), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = people.hide_limited_access(request.user, page.object_list)
    counts = applications.own_counts(request.user)
    tabs = [
        {"text": f"{label} ({counts[key]})", "href": reverse(name), "active": key == tab}
        for key, (label, name) in TABS.items()
    ]
    return TemplateResponse(
        request,
        "cas2_applications/list.html",
        {"page": page, "tab": tab, "tabs": tabs, "in_prison": applications.works_in_prison(request.user)},
    )


@requires(MAKE)
@require_GET
def application_list(request):
    return _own_list(request, applications.IN_PROGRESS)


@requires(MAKE)
@require_GET
def application_list_submitted(request):
    return _own_list(request, applications.SUBMITTED)


@requires(MAKE)
@require_GET
def prison_applications(request):
    if not applications.works_in_prison(request.user):
        raise Http404("Only prison staff have their prison's applications")
    form = SearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    queryset = applications.prison_applications(request.user, search)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = people.hide_limited_access(request.user, page.object_list)
    return TemplateResponse(
        request,
        "cas2_applications/prison_list.html",
        {"page": page, "form": form, "search": search, "prison": request.user.prison},
    )


# Starting -----------------------------------------------------------------------------------------------


@requires(MAKE)
@require_GET
def start(request):
    choices = applications.routes_for(request.user)
    open_choices = [c for c in choices if c.is_open]
    form = RouteForm(request.GET or None, choices=choices)
    if request.GET and form.is_valid():
        return redirect("web:cas2-find-person", route=form.cleaned_data["route"])
    return TemplateResponse(
        request,
        "cas2_applications/start.html",
        {"form": form, "open_choices": open_choices, "closed": [c for c in choices if not c.is_open]},
    )


def _choice(request, route: str):
    choice = next((c for c in applications.routes_for(request.user) if c.route.code == route), None)
    if choice is None:
        raise Http404("No such route")
    return choice


@requires(MAKE)
@require_GET
def find_person(request, route: str):
    choice = _choice(request, route)
    if not choice.is_open:
        messages.info(request, choice.closed_reason)
        return redirect("web:cas2-start")
    form = IdentifierForm(request.GET or None, by_prison_number=choice.route.person_key == applications.NOMS)
    if request.GET and form.is_valid():
        return redirect("web:cas2-confirm-person", route=route, identifier=form.cleaned_data["identifier"].strip())
    return TemplateResponse(request, "cas2_applications/find_person.html", {"form": form, "choice": choice})


@requires(MAKE)
@require_http_methods(["GET", "POST"])
def confirm_person(request, route: str, identifier: str):
    choice = _choice(request, route)
    form = IdentifierForm({"identifier": identifier}, by_prison_number=choice.route.person_key == applications.NOMS)
    form.is_valid()
    try:
        if request.method == "POST":
            referral = applications.start_application(request.user, route, identifier)
            messages.success(request, f"Application started for {referral.person_name}")
            return redirect("web:cas2-application-tasks", pk=referral.pk)
        applicant = applications.find_applicant(request.user, route, identifier)
    except people.PersonRestricted as exc:
        return TemplateResponse(
            request, "cas2_applications/restricted.html", {"message": exc.message, "choice": choice}, status=403
        )
    except UpstreamUnavailable as exc:
        form.add_error("identifier", str(exc))
        status = 503
    except DomainError as exc:
        add_domain_error(form, exc, fallback="identifier")
        status = 404 if exc.code == "not_found" else 400
    else:
        return TemplateResponse(
            request,
            "cas2_applications/confirm_person.html",
            {"applicant": applicant, "person": applicant.person, "record": applicant.record, "choice": choice},
        )
    return TemplateResponse(
        request, "cas2_applications/find_person.html", {"form": form, "choice": choice}, status=status
    )


# The application as sent ---------------------------------------------------------------------------------

BYLINES = {
    TimelineEntry.Author.ASSESSOR: "{name} (provider)",
    TimelineEntry.Author.REFERRER: "{name} (referrer)",
    TimelineEntry.Author.SYSTEM: "{name}",
}


def timeline_items(referral) -> list[dict]:
    items = []
    for entry in timeline.entries(referral, for_referrer=True):
        title, description = timeline.describe(entry, for_referrer=True)
        byline = BYLINES.get(entry.author_kind, "{name}").format(name=entry.author_name)
        html = format_html('<p class="govuk-body cas-pre">{}</p>', description)
        items.append({"label": title, "html": html, "datetime": entry.created_at, "byline": byline})
    return items


def _application_page(request, referral, how, *, note_form=None, problems=(), status=200):
    reopened = []
    can_send = how == Reach.REFERRER and Action.SEND_INFORMATION in lifecycle.allowed_actions(referral)
    if can_send:
        draft_tasks = services.reopened_tasks(referral)
        if draft_tasks:
            draft = services.open_draft(request.user, referral.pk)
            statuses = draft.statuses()
            reopened = [
                {
                    "title": task.title,
                    "href": reverse(FLOW.task, args=[referral.pk, task.slug]),
                    "status": statuses[task.slug].label,
                }
                for task in draft.definition.tasks()
                if task.slug in draft_tasks
            ]
    return TemplateResponse(
        request,
        "cas2_applications/application.html",
        {
            "referral": referral,
            "how": how,
            "is_referrer": how == Reach.REFERRER,
            "reopened": reopened,
            "can_send": can_send,
            "problems": list(problems),
            "note_form": note_form or NoteForm(),
            "form": note_form if note_form is not None and note_form.is_bound else None,
            "timeline": timeline_items(referral),
            "document": referral.document,
            "service_level": service_levels.describe(referral.cohort),
        },
        status=status,
    )


def _open(request, pk, purpose: str):
    return access.open_application(request.user, pk, purpose=purpose, allowed=READERS)


@requires(MAKE)
@require_GET
def application(request, pk):
    referral, how = _open(request, pk, "CAS2 application: the referrer's page")
    if referral.is_draft:
        return redirect(FLOW.tasks, pk=pk)
    return _application_page(request, referral, how)


@requires(MAKE)
@require_GET
def confirmation(request, pk):
    referral, how = access.open_application(
        request.user, pk, purpose="CAS2 application: sent", allowed=frozenset({Reach.REFERRER})
    )
    if referral.is_draft:
        return redirect(FLOW.tasks, pk=pk)
    return TemplateResponse(
        request,
        "cas2_applications/confirmation.html",
        {"referral": referral, "service_level": service_levels.describe(referral.cohort)},
    )


@requires(MAKE)
@require_http_methods(["GET", "POST"])
def note(request, pk):
    """A note to the provider, on the application's timeline (and emailed to the provider's inbox)."""
    referral, how = _open(request, pk, "CAS2 application: add a note")
    if request.method == "GET" or referral.is_draft:
        return redirect(reverse("web:cas2-application", args=[pk]) + "#notes")
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            entry = services.add_referrer_note(request.user, pk, form.cleaned_data["text"])
        except DomainError as exc:
            add_domain_error(form, exc, fallback="text")
        else:
            sent_to = f" and emailed to {entry.emailed_to}" if entry.emailed_to else ""
            messages.success(request, f"Note added to the application{sent_to}")
            return redirect(reverse("web:cas2-application", args=[pk]) + "#timeline")
    return _application_page(request, referral, how, note_form=form, status=400)


@requires(MAKE)
@require_POST
def send_information(request, pk):
    referral, how = _open(request, pk, "CAS2 application: send the information requested")

    def send() -> dict:
        applications.send_information(request.user, pk)
        return {"redirect": reverse("web:cas2-application", args=[pk])}

    try:
        outcome = idempotent.run_once(request, "cas2.send_information", send)
    except applications.InformationIncomplete as exc:
        problems = [
            {"text": p.message, "href": reverse(FLOW.page, args=[pk, p.task, p.page]) if p.page else "#reopened"}
            for p in exc.problems
        ]
        return _application_page(request, referral, how, problems=problems, status=400)
    except DomainError as exc:
        if exc.code == "not_found":
            raise
        messages.info(request, exc.message)
        return redirect("web:cas2-application", pk=pk)
    messages.success(request, "Information sent to the provider")
    return redirect(outcome.result["redirect"])


@requires(MAKE)
@require_http_methods(["GET", "POST"])
def abandon(request, pk):
    referral, _ = access.open_application(
        request.user, pk, purpose="CAS2 application: abandon", allowed=frozenset({Reach.REFERRER})
    )
    if not referral.is_draft:
        messages.info(request, "This application has been sent, so it cannot be abandoned.")
        return redirect("web:cas2-application", pk=pk)
    if request.method == "POST":
        applications.abandon(request.user, pk)
        messages.success(request, f"Application for {referral.person_name} abandoned")
        return redirect("web:cas2-application-list")
    return TemplateResponse(request, "cas2_applications/abandon.html", {"referral": referral})
