"""The HPT's review pages: the queue in tabs, a referral (overview, answers, timeline and notes,
print version), the decisions, corrected dates and notes; administrators' service levels.

Views are thin: forms check input, `cas.referrals.cas3.review` decides (the API calls the same
functions), `cas.referrals.cas3.queries` reads.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cas.core import clock
from cas.core.concurrency import StaleEdit
from cas.core.errors import DomainError
from cas.core.permissions import Permission, has_national_scope, has_permission
from cas.people import services as people
from cas.people.ports import UpstreamUnavailable
from cas.reference.models import ProbationRegion
from cas.referrals import timeline
from cas.referrals.cas3 import queries, review
from cas.referrals.cas3.workflow import Action
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.lifecycle import TransitionNotAllowed, allowed_actions
from cas.referrals.models import ReviewServiceLevel
from cas.web.decorators import requires
from cas.web.form_errors import add_domain_error
from cas.web.govuk import sort_header
from cas.web.review import presenters
from cas.web.review.forms import AllocateForm, DatesForm, NoteForm, QueueSearchForm, RejectForm, ServiceLevelForm
from cas.web.stale import form_with_current_values

READ = Permission.REFERRAL_READ
ASSESS = Permission.REFERRAL_ASSESS
PAGE_SIZE = 25


def _bound(request):
    return request.POST if request.method == "POST" else None


# The queue ------------------------------------------------------------------------------------------------


def reviewers_only(view):
    """CAS3's review is for the users who reach CAS3's referrals: another tier's assessors hold the
    same permissions for their own tier only, and are refused (403) at the door."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not review.may_review(request.user):
            raise PermissionDenied("CAS3 referrals are reviewed by CAS3's assessors")
        return view(request, *args, **kwargs)

    return wrapped


@requires(READ)
@reviewers_only
@require_GET
def review_home(request):
    return redirect("web:review-queue", tab="unallocated")


def _queue_head(request, queue):
    columns = [
        ("Name and CRN", "name"),
        ("PDU", "pdu"),
        ("Date received", "received"),
        ("Release date", "release"),
        ("Accommodation required from", "required"),
        ("Days left until needed", "days-left"),
    ]
    if queue.tab == "archive":
        columns.append(("Status", "status"))
    return [sort_header(request, label, key, queue.sort) for label, key in columns]


@requires(READ)
@reviewers_only
@require_GET
def review_queue(request, tab: str):
    if tab not in queries.QUEUE_TABS:
        raise Http404("No such tab")
    search = QueueSearchForm(request.GET or None, user=request.user)
    q, region_code = "", ""
    if search.is_valid():
        q = search.cleaned_data["q"] or ""
        region_code = search.cleaned_data.get("region") or ""
    queue = queries.review_queue(request.user, tab, q=q, sort=request.GET.get("sort"), region_code=region_code)
    paginator = Paginator(queue.referrals, PAGE_SIZE)
    paginator.count = queue.totals[tab]  # counted with the tab totals already: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    levels = queries.service_levels()
    today = clock.today()
    page.object_list = people.hide_limited_access(request.user, page.object_list)
    rows = [presenters.QueueRow(r, queries.flags_for(r, levels, today)) for r in page.object_list]
    keep = request.GET.copy()
    for key in ("page", "sort"):
        keep.pop(key, None)
    suffix = f"?{keep.urlencode()}" if keep else ""
    tabs = [
        {
            "text": f"{label} ({queue.total_text(key)})",
            "href": reverse("web:review-queue", args=[key]) + suffix,
            "active": key == tab,
        }
        for key, label in queries.QUEUE_TAB_LABELS.items()
    ]
    region = None
    if not has_national_scope(request.user):
        region = request.user.region
    elif region_code:
        region = ProbationRegion.objects.filter(delius_code=region_code).first()
    return TemplateResponse(
        request,
        "review/queue.html",
        {
            "search": search,
            "form": search,
            "queue": queue,
            "page": page,
            "rows": rows,
            "table_rows": [row.cells(show_region=region is None, archive=tab == "archive") for row in rows],
            "tabs": tabs,
            "head": _queue_head(request, queue),
            "tab_label": queries.QUEUE_TAB_LABELS[tab],
            "region": region,
            "can_assess": has_permission(request.user, ASSESS),
        },
    )


# One referral ---------------------------------------------------------------------------------------------


def _open(request, pk, purpose="CAS3 review: read the referral"):
    """The referral, or the page that says why it cannot be shown."""
    try:
        return review.open_referral(request.user, pk, purpose=purpose), None
    except review.ReviewReferralNotFound:
        raise Http404("Referral not found") from None
    except people.PersonRestricted as exc:
        return None, TemplateResponse(request, "review/restricted.html", {"message": exc.message}, status=403)
    except UpstreamUnavailable as exc:
        return None, TemplateResponse(request, "review/unavailable.html", {"message": str(exc)}, status=503)


def _referral_context(request, referral, section: str) -> dict:
    flags = queries.flags_for(referral)
    subnav = [
        {
            "text": "Overview",
            "href": reverse("web:review-referral", args=[referral.pk]),
            "active": section == "overview",
        },
        {
            "text": "Referral answers",
            "href": reverse("web:review-referral-answers", args=[referral.pk]),
            "active": section == "answers",
        },
        {
            "text": "Timeline and notes",
            "href": reverse("web:review-referral-timeline", args=[referral.pk]),
            "active": section == "timeline",
        },
    ]
    return {
        "referral": referral,
        "flags": flags,
        "days_left": presenters.days_left_text(flags.days_left),
        "status": presenters.status_badge(referral),
        "subnav": subnav,
        "can_assess": review.can_assess(request.user, referral),
        "panel": presenters.actions_panel(request.user, referral),
        "duplicates": presenters.duplicate_items(request.user, referral),
        "is_open": referral.status in queries.OPEN_STATUSES,
    }


@requires(READ)
@reviewers_only
@require_GET
def review_referral(request, pk):
    referral, error = _open(request, pk)
    if error:
        return error
    context = _referral_context(request, referral, "overview")
    context.update(
        {
            "person_rows": presenters.person_rows(referral),
            "risk_rows": presenters.risk_rows(referral),
            "placement_flags": presenters.placement_flags(referral),
        }
    )
    return TemplateResponse(request, "review/referral.html", context)


@requires(READ)
@reviewers_only
@require_GET
def review_referral_answers(request, pk):
    referral, error = _open(request, pk)
    if error:
        return error
    context = _referral_context(request, referral, "answers")
    context["document"] = referral.document or {"sections": []}
    return TemplateResponse(request, "review/answers.html", context)


@requires(READ)
@reviewers_only
@require_http_methods(["GET", "POST"])
def review_referral_timeline(request, pk):
    # Reading the timeline needs READ; adding a note is the assessors' (a reporter's POST is refused
    # before anything is opened or checked, as every change a read-only role attempts).
    if request.method == "POST" and not has_permission(request.user, ASSESS):
        raise PermissionDenied
    referral, error = _open(request, pk)
    if error:
        return error
    form = NoteForm(_bound(request), initial={"to_referrer": "no"})
    if request.method == "POST" and form.is_valid():
        try:
            entry = review.add_note(
                request.user, pk, form.cleaned_data["text"], to_referrer=form.cleaned_data["to_referrer"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if entry.visible_to_referrer:
                messages.success(request, f"Note added and emailed to {entry.emailed_to}")
            else:
                messages.success(request, "Note added for the HPT")
            return redirect("web:review-referral-timeline", pk=pk)
    context = _referral_context(request, referral, "timeline")
    context["form"] = form if context["can_assess"] else None
    context["note_form"] = form
    context["timeline"] = presenters.timeline_items(timeline.entries(referral))
    return TemplateResponse(request, "review/timeline.html", context, status=400 if form.errors else 200)


@requires(READ)
@reviewers_only
@require_GET
def review_referral_print(request, pk):
    referral, error = _open(request, pk, purpose="CAS3 review: print the referral")
    if error:
        return error
    context = _referral_context(request, referral, "print")
    context.update(
        {
            "person_rows": presenters.person_rows(referral),
            "risk_rows": presenters.risk_rows(referral),
            "placement_flags": presenters.placement_flags(referral),
            "document": referral.document or {"sections": []},
            "timeline": presenters.timeline_items(timeline.entries(referral)),
            "printed_at": clock.now(),
        }
    )
    return TemplateResponse(request, "review/print.html", context)


# Decisions ---------------------------------------------------------------------------------------------


@requires(ASSESS)
@reviewers_only
@require_http_methods(["GET", "POST"])
def review_referral_action(request, pk, action: str):
    if action not in presenters.ACTION_SLUGS:
        raise Http404("No such action")
    chosen = presenters.ACTION_SLUGS[action]
    referral, error = _open(request, pk, purpose=f"CAS3 review: {action}")
    if error:
        return error
    problem = None
    if request.method == "POST":
        try:
            updated = review.ACTIONS[chosen](request.user, pk)
        except DomainError as exc:
            problem = exc.message
            referral, error = _open(request, pk, purpose=f"CAS3 review: {action}")
            if error:
                return error
        else:
            messages.success(
                request,
                presenters.ACTION_DONE[chosen].format(
                    name=updated.person_name,
                    referrer=updated.created_by.email,
                    status=updated.get_status_display().lower(),
                ),
            )
            return redirect("web:review-referral", pk=pk)
    elif chosen not in allowed_actions(referral):
        problem = TransitionNotAllowed(referral, chosen).message
    context = _referral_context(request, referral, "action")
    context.update(
        {
            "action": chosen,
            "question": presenters.ACTION_QUESTIONS[chosen],
            "explanation": presenters.ACTION_EXPLANATIONS[chosen],
            "button_text": presenters.ACTION_BUTTONS[chosen],
            "problem": problem,
        }
    )
    return TemplateResponse(
        request, "review/action.html", context, status=409 if problem and request.method == "POST" else 200
    )


@requires(ASSESS)
@reviewers_only
@require_http_methods(["GET", "POST"])
def review_referral_reject(request, pk):
    referral, error = _open(request, pk, purpose="CAS3 review: reject")
    if error:
        return error
    form = RejectForm(_bound(request))
    problem = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            updated = review.reject(
                request.user,
                pk,
                reason_id=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                withdrawal_requested=form.cleaned_data["withdrawal_requested"],
            )
        except DomainError as exc:
            if exc.field in form.fields:
                add_domain_error(form, exc)
            else:
                problem = exc.message
                status = 409
        else:
            messages.success(
                request,
                f"Referral for {updated.person_name} rejected. We have emailed {updated.created_by.email} "
                "to tell them why",
            )
            return redirect("web:review-referral", pk=pk)
    elif request.method == "GET" and Action.REJECT not in allowed_actions(referral):
        problem = TransitionNotAllowed(referral, Action.REJECT).message
    if form.errors:
        status = 400
    context = _referral_context(request, referral, "reject")
    context.update({"form": form, "problem": problem})
    return TemplateResponse(request, "review/reject.html", context, status=status)


def _allocation_choices(user, referral) -> list:
    """Everyone the referral may be allocated to except the assessor reviewing it now."""
    current = referral.allocated_to_id if referral.status == ReferralStatus.IN_REVIEW else None
    return [a for a in review.allocation_choices(user, referral) if a.pk != current]


@requires(ASSESS)
@reviewers_only
@require_http_methods(["GET", "POST"])
def review_referral_allocation(request, pk):
    """Allocate the referral to a colleague (or yourself), or reallocate one in review."""
    purpose = "CAS3 review: allocate"
    referral, error = _open(request, pk, purpose=purpose)
    if error:
        return error
    form = AllocateForm(_bound(request), assessors=_allocation_choices(request.user, referral), user=request.user)
    problem = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            updated = review.allocate_to(request.user, pk, form.cleaned_data["assessor"])
        except TransitionNotAllowed:
            referral, error = _open(request, pk, purpose=purpose)
            if error:
                return error
            problem, status = presenters.allocation_refusal(referral), 409
        except DomainError as exc:
            if exc.field in form.fields:
                add_domain_error(form, exc)
            else:
                problem = exc.message
                status = 409
        else:
            who = updated.allocated_to
            name = "you" if who.pk == request.user.pk else timeline.author_name(who)
            messages.success(request, f"Referral for {updated.person_name} allocated to {name}. It is in review")
            return redirect("web:review-referral", pk=pk)
    elif request.method == "GET" and not presenters.can_allocate(request.user, referral):
        problem = presenters.allocation_refusal(referral)
    if form.errors:
        status = 400
    context = _referral_context(request, referral, "allocation")
    context.update({"form": form, "problem": problem, "reallocating": referral.status == ReferralStatus.IN_REVIEW})
    return TemplateResponse(request, "review/allocate.html", context, status=status)


def _dates_data(referral) -> dict:
    """The referral's dates as the form would post them (to redraw a stale form)."""
    data = {"version": referral.version}
    for name in ("release_date", "accommodation_required_from"):
        value = getattr(referral, name)
        for part, number in (("day", "day"), ("month", "month"), ("year", "year")):
            data[f"{name}-{part}"] = getattr(value, number) if value else None
    return data


def _dates_initial(referral) -> dict:
    return {
        "release_date": referral.release_date,
        "accommodation_required_from": referral.accommodation_required_from,
        "version": referral.version,
    }


@requires(ASSESS)
@reviewers_only
@require_http_methods(["GET", "POST"])
def review_referral_dates(request, pk):
    referral, error = _open(request, pk, purpose="CAS3 review: change dates")
    if error:
        return error
    form = DatesForm(_bound(request), initial=_dates_initial(referral))
    if request.method == "POST" and form.is_valid():
        try:
            review.change_dates(
                request.user,
                pk,
                release_date=form.cleaned_data["release_date"],
                accommodation_required_from=form.cleaned_data["accommodation_required_from"],
                version=form.cleaned_data["version"],
            )
        except StaleEdit as exc:
            referral, error = _open(request, pk, purpose="CAS3 review: change dates")
            if error:
                return error
            form = form_with_current_values(DatesForm, _dates_data(referral), exc.message)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Dates for {referral.person_name}’s referral saved")
            return redirect("web:review-referral", pk=pk)
    context = _referral_context(request, referral, "dates")
    context["form"] = form
    return TemplateResponse(request, "review/dates.html", context, status=400 if form.errors else 200)


# Service levels (administrators) ------------------------------------------------------------------------------


@requires(Permission.REFERENCE_MANAGE)
@require_GET
def service_levels(request):
    levels = queries.service_levels()
    regions = ProbationRegion.objects.active().exclude(delius_code=ProbationRegion.NATIONAL_CODE).order_by("name")
    rows = [{"region": region, "working_days": levels[region.pk]} for region in regions]
    return TemplateResponse(
        request,
        "review/service_levels.html",
        {"rows": rows, "default": ReviewServiceLevel.DEFAULT_WORKING_DAYS},
    )


@requires(Permission.REFERENCE_MANAGE)
@require_http_methods(["GET", "POST"])
def service_level_edit(request, code: str):
    region = get_object_or_404(
        ProbationRegion.objects.exclude(delius_code=ProbationRegion.NATIONAL_CODE), delius_code=code
    )
    level = ReviewServiceLevel.objects.filter(region=region).first()
    initial = {
        "working_days": level.working_days if level else ReviewServiceLevel.DEFAULT_WORKING_DAYS,
        "version": level.version if level else 0,
    }
    form = ServiceLevelForm(_bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review.set_service_level(
                request.user, region, form.cleaned_data["working_days"], version=form.cleaned_data["version"]
            )
        except StaleEdit as exc:
            # No row yet when the region still has the default and the form sent a version other
            # than 0 (a hand-made POST): the service's row was rolled back with the refusal.
            level = ReviewServiceLevel.objects.filter(region=region).first()
            current = {"working_days": ReviewServiceLevel.DEFAULT_WORKING_DAYS, "version": 0}
            if level is not None:
                current = {"working_days": level.working_days, "version": level.version}
            form = form_with_current_values(ServiceLevelForm, current, exc.message)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                f"{region.name}: referrals are now overdue after {form.cleaned_data['working_days']} working days",
            )
            return redirect("web:review-service-levels")
    return TemplateResponse(
        request, "review/service_level_edit.html", {"region": region, "form": form}, status=400 if form.errors else 200
    )
