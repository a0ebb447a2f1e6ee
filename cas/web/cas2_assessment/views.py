"""The provider's pages for CAS2: the national queue, an application (summary, answers, risks,
timeline), its print version, and the assessor's actions (assessment details, status updates with
their details, notes to the referrer). Reporters read the same pages without the actions.

Views are thin: `cas.referrals.cas2.access` opens the application, `assessment` writes (the API calls
the same functions), `queries` reads the queue.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cas.core import clock
from cas.core.concurrency import StaleEdit
from cas.core.errors import DomainError
from cas.core.permissions import Permission
from cas.people import services as people
from cas.people.ports import UpstreamUnavailable
from cas.referrals import timeline
from cas.referrals.cas2 import access, assessment, queries
from cas.referrals.cas2.access import Reach
from cas.referrals.cas2.workflow import WORKFLOW
from cas.web.cas2_assessment import presenters
from cas.web.cas2_assessment.forms import (
    AssessmentDetailsForm,
    NoteForm,
    QueueFilterForm,
    StatusDetailsForm,
    StatusForm,
)
from cas.web.decorators import requires
from cas.web.form_errors import add_domain_error
from cas.web.govuk import sort_header
from cas.web.stale import form_with_current_values

READ = Permission.REFERRAL_READ
ASSESS = Permission.REFERRAL_ASSESS
PAGE_SIZE = 25
READERS = frozenset({Reach.ASSESSOR, Reach.READER})


def _bound(request):
    return request.POST if request.method == "POST" else None


# The queue ------------------------------------------------------------------------------------------------


@requires(READ)
@require_GET
def cas2_queue(request):
    if not queries.may_use_queue(request.user):
        raise PermissionDenied("CAS2 applications are read by the provider and reporters")
    tab = request.GET.get("tab", "new")
    if tab not in queries.TABS:
        tab = "new"
    form = QueueFilterForm(request.GET or None, tab=tab)
    queue = queries.queue(request.user, tab, form.filters(), sort=request.GET.get("sort"))
    paginator = Paginator(queue.referrals, PAGE_SIZE)
    if not queue.filters.status:
        paginator.count = queue.totals[tab]  # counted with the tab totals already: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = people.hide_limited_access(request.user, page.object_list)
    now = clock.now()
    keep = request.GET.copy()
    for key in ("page", "tab"):
        keep.pop(key, None)
    suffix = f"&{keep.urlencode()}" if keep else ""
    tabs = [
        {
            "text": f"{label} ({queue.totals[key]:,})",
            "href": f"{reverse('web:cas2-queue')}?tab={key}{suffix}",
            "active": key == tab,
        }
        for key, label in queries.TAB_LABELS.items()
    ]
    head = [
        sort_header(request, "Name", "name", queue.sort),
        {"text": "Route"},
        {"text": "Region"},
        sort_header(request, "Submitted", "submitted", queue.sort),
        sort_header(request, "Urgent by", "urgency", queue.sort),
        {"text": "Status"},
    ]
    return TemplateResponse(
        request,
        "cas2_assessment/queue.html",
        {
            "form": form,
            "queue": queue,
            "page": page,
            "tab": tab,
            "tabs": tabs,
            "tab_label": queries.TAB_LABELS[tab],
            "head": head,
            "table_rows": [presenters.queue_row(r, now) for r in page.object_list],
            "can_assess": queries.may_assess(request.user),
        },
    )


# One application ----------------------------------------------------------------------------------------


def _open(request, pk, purpose: str):
    """The application and the user's reach, or the page that says why it cannot be shown."""
    try:
        referral, how = access.open_application(request.user, pk, purpose=purpose, allowed=READERS)
    except people.PersonRestricted as exc:
        return (
            None,
            None,
            TemplateResponse(request, "cas2_assessment/restricted.html", {"message": exc.message}, status=403),
        )
    except UpstreamUnavailable as exc:
        return (
            None,
            None,
            TemplateResponse(request, "cas2_assessment/unavailable.html", {"message": str(exc)}, status=503),
        )
    return referral, how, None


def _context(referral, how, section: str) -> dict:
    can_assess = how == Reach.ASSESSOR
    subnav = [
        {
            "text": "Application",
            "href": reverse("web:cas2-assessment", args=[referral.pk]),
            "active": section == "overview",
        },
        {
            "text": "Timeline and notes",
            "href": reverse("web:cas2-assessment-notes", args=[referral.pk]),
            "active": section == "notes",
        },
    ]
    return {
        "referral": referral,
        "can_assess": can_assess,
        "status": presenters.status_tag(referral),
        "overdue": queries.is_overdue(referral),
        "due_at": queries.due_at(referral),
        "urgency": queries.urgency(referral),
        "subnav": subnav,
        "options": assessment.status_options(referral) if can_assess else [],
    }


@requires(READ)
@require_GET
def cas2_assessment(request, pk):
    referral, how, error = _open(request, pk, "CAS2 assessment: read the application")
    if error:
        return error
    context = _context(referral, how, "overview")
    context.update(
        {
            "summary_rows": presenters.summary_rows(referral),
            "risk_rows": presenters.risk_rows(referral),
            "document": referral.document or {"sections": []},
            "timeline": presenters.timeline_items(timeline.entries(referral)),
        }
    )
    return TemplateResponse(request, "cas2_assessment/application.html", context)


@requires(READ)
@require_GET
def cas2_assessment_print(request, pk):
    referral, how, error = _open(request, pk, "CAS2 assessment: print the application")
    if error:
        return error
    context = _context(referral, how, "print")
    context.update(
        {
            "summary_rows": presenters.summary_rows(referral),
            "risk_rows": presenters.risk_rows(referral),
            "document": referral.document or {"sections": []},
            "timeline": presenters.timeline_items(timeline.entries(referral)),
            "printed_at": clock.now(),
        }
    )
    return TemplateResponse(request, "cas2_assessment/print.html", context)


@requires(READ)
@require_http_methods(["GET", "POST"])
def cas2_assessment_notes(request, pk):
    # Reading the timeline is for every reader; adding a note is the assessors' (a reporter's POST is
    # refused before anything is opened or checked).
    if request.method == "POST" and not queries.may_assess(request.user):
        raise PermissionDenied
    referral, how, error = _open(request, pk, "CAS2 assessment: read the timeline")
    if error:
        return error
    form = NoteForm(_bound(request))
    if request.method == "POST" and how == Reach.ASSESSOR and form.is_valid():
        try:
            entry = assessment.add_assessor_note(request.user, pk, form.cleaned_data["text"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Note added and emailed to {entry.emailed_to}")
            return redirect("web:cas2-assessment-notes", pk=pk)
    context = _context(referral, how, "notes")
    context["form"] = form if how == Reach.ASSESSOR else None
    context["timeline"] = presenters.timeline_items(timeline.entries(referral))
    return TemplateResponse(request, "cas2_assessment/notes.html", context, status=400 if form.errors else 200)


# The assessor's actions ----------------------------------------------------------------------------------


def _open_to_assess(request, pk, purpose: str):
    referral, how, error = _open(request, pk, purpose)
    if error is None and how != Reach.ASSESSOR:
        raise PermissionDenied
    return referral, error


def _details_data(referral) -> dict:
    return {
        "assessor_name": referral.assessor_name,
        "provider_reference": referral.provider_reference,
        "version": referral.version,
    }


@requires(ASSESS)
@require_http_methods(["GET", "POST"])
def cas2_assessment_details(request, pk):
    referral, error = _open_to_assess(request, pk, "CAS2 assessment: assessment details")
    if error:
        return error
    form = AssessmentDetailsForm(_bound(request), initial=_details_data(referral))
    if request.method == "POST" and form.is_valid():
        try:
            assessment.record_assessment_details(
                request.user,
                pk,
                assessor_name=form.cleaned_data["assessor_name"],
                provider_reference=form.cleaned_data["provider_reference"],
                version=form.cleaned_data["version"],
            )
        except StaleEdit as exc:
            referral, error = _open_to_assess(request, pk, "CAS2 assessment: assessment details")
            if error:
                return error
            form = form_with_current_values(AssessmentDetailsForm, _details_data(referral), exc.message)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Assessment details saved for {referral.person_name}’s application")
            return redirect("web:cas2-assessment", pk=pk)
    context = _context(referral, Reach.ASSESSOR, "details")
    context["form"] = form
    return TemplateResponse(request, "cas2_assessment/details.html", context, status=400 if form.errors else 200)


def _updated(request, referral) -> None:
    messages.success(
        request,
        f"Status updated to {referral.status_label.lower()}. We have emailed the referrer "
        f"({assessment.referrer_contact(referral)[0]})",
    )


@requires(ASSESS)
@require_http_methods(["GET", "POST"])
def cas2_assessment_status(request, pk):
    referral, error = _open_to_assess(request, pk, "CAS2 assessment: update the status")
    if error:
        return error
    options = assessment.status_options(referral)
    form = StatusForm(_bound(request), options=options, initial={"version": referral.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["status"]
        version = form.cleaned_data["version"]
        action = WORKFLOW.action_to(referral.status, chosen)
        if action in WORKFLOW.action_details:
            url = reverse("web:cas2-assessment-status-details", args=[pk, chosen])
            return redirect(f"{url}?version={version}" if version is not None else url)
        try:
            updated = assessment.update_status(request.user, pk, status=chosen, version=version)
        except StaleEdit as exc:
            referral, error = _open_to_assess(request, pk, "CAS2 assessment: update the status")
            if error:
                return error
            form = form_with_current_values(
                StatusForm, {"version": referral.version}, exc.message, options=assessment.status_options(referral)
            )
            form.errors.pop("status", None)  # nothing is chosen on the redrawn form: only the stale message
            status = 409
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            _updated(request, updated)
            return redirect("web:cas2-assessment", pk=pk)
    if form.errors and status == 200:
        status = 400
    context = _context(referral, Reach.ASSESSOR, "status")
    context["form"] = form
    return TemplateResponse(request, "cas2_assessment/status.html", context, status=status)


@requires(ASSESS)
@require_http_methods(["GET", "POST"])
def cas2_assessment_status_details(request, pk, status: str):
    referral, error = _open_to_assess(request, pk, "CAS2 assessment: update the status")
    if error:
        return error
    action = WORKFLOW.action_to(referral.status, status)
    if (
        action is None
        or action not in WORKFLOW.action_details
        or status not in [o[0] for o in assessment.status_options(referral)]
    ):
        raise Http404("That status cannot be chosen now")
    choices = assessment.details_for(referral, action)
    required = action in WORKFLOW.details_required
    version = request.GET.get("version")
    form = StatusDetailsForm(
        _bound(request),
        choices=choices,
        required=required,
        label=presenters.DETAILS_QUESTIONS.get(action, "Details"),
        initial={"version": version if version and version.isdigit() else referral.version},
    )
    code = 200
    if request.method == "POST" and form.is_valid():
        try:
            updated = assessment.update_status(
                request.user,
                pk,
                status=status,
                details=form.cleaned_data.get("details") or (),
                text=form.cleaned_data["text"],
                version=form.cleaned_data["version"],
            )
        except StaleEdit as exc:
            form.add_error(None, exc.message + " Go back to the application to see the latest status.")
            code = 409
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            _updated(request, updated)
            return redirect("web:cas2-assessment", pk=pk)
    if form.errors and code == 200:
        code = 400
    context = _context(referral, Reach.ASSESSOR, "status")
    context.update({"form": form, "new_status": WORKFLOW.label(status), "required": required})
    return TemplateResponse(request, "cas2_assessment/status_details.html", context, status=code)
