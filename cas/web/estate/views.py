"""Properties and bedspaces pages. Thin: forms check input, services decide, queries read."""

import dataclasses
import datetime as dt
import itertools

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cas.core import clock
from cas.core.concurrency import StaleEdit
from cas.core.dates import long_date, numeric_date
from cas.core.errors import DomainError
from cas.core.permissions import Permission, has_national_scope, has_permission
from cas.premises import access, imports, queries, services
from cas.premises.calendar import KEY, build_calendar
from cas.premises.models import ArchiveChange, Bedspace, Premises, VoidPeriod
from cas.premises.status import PremisesStatus
from cas.web import idempotency as idempotent
from cas.web.decorators import requires
from cas.web.estate import presenters
from cas.web.estate.forms import (
    BedspaceForm,
    CalendarForm,
    DateForm,
    ImportForm,
    PremisesForm,
    PremisesSearchForm,
    VoidCancelForm,
    VoidForm,
)
from cas.web.form_errors import add_domain_error
from cas.web.stale import form_with_current_values

PAGE_SIZE = 25


def _bound(request):
    return request.POST if request.method == "POST" else None


def _can_manage(request) -> bool:
    return has_permission(request.user, Permission.ESTATE_MANAGE)


def _as_posted(values: dict) -> dict:
    """Values as the form posts them (a date as its three inputs), to redraw a stale form."""
    data = {}
    for name, value in values.items():
        if isinstance(value, dt.date):
            data.update({f"{name}-day": value.day, f"{name}-month": value.month, f"{name}-year": value.year})
        else:
            data[name] = value
    return data


# Lists -----------------------------------------------------------------------------------------


def _property_list(request, status: str):
    search = PremisesSearchForm(request.GET or None)
    q, group = "", "pdu"
    if search.is_valid():
        q = search.cleaned_data["q"] or ""
        group = search.cleaned_data["group"] or "pdu"
    premises = queries.premises_list(request.user, status=status, q=q, group_by=group)
    page = Paginator(premises, PAGE_SIZE).get_page(request.GET.get("page"))
    key = (lambda p: p.pdu.name) if group == "pdu" else (lambda p: p.local_authority.name if p.local_authority else "")
    groups = [(name or "No local authority", list(items)) for name, items in itertools.groupby(page.object_list, key)]
    counts = queries.status_counts(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    tabs = [
        {
            "text": f"Online properties ({counts['online']})",
            "href": reverse("web:property-list") + suffix,
            "active": status == PremisesStatus.ONLINE,
        },
        {
            "text": f"Archived properties ({counts['archived']})",
            "href": reverse("web:property-list-archived") + suffix,
            "active": status == PremisesStatus.ARCHIVED,
        },
    ]
    return TemplateResponse(
        request,
        "estate/property_list.html",
        {
            "search": search,
            "page": page,
            "groups": groups,
            "group": group,
            "q": q,
            "status": status,
            "tabs": tabs,
            "counts": counts,
            "can_manage": _can_manage(request),
            "tags": presenters.BEDSPACE_STATUS_TAGS,
        },
    )


@requires(Permission.ESTATE_VIEW)
@require_GET
def property_list(request):
    return _property_list(request, PremisesStatus.ONLINE)


@requires(Permission.ESTATE_VIEW)
@require_GET
def property_list_archived(request):
    return _property_list(request, PremisesStatus.ARCHIVED)


# A property --------------------------------------------------------------------------------------


@requires(Permission.ESTATE_VIEW)
@require_GET
def property_detail(request, pk):
    premises = access.open_premises(request.user, pk)
    bedspaces = queries.premises_bedspaces(premises)
    changes = queries.archive_history(premises)
    return TemplateResponse(
        request,
        "estate/property_detail.html",
        {
            "premises": premises,
            "bedspaces": bedspaces,
            "counts": queries.bedspace_counts(bedspaces),
            "pending": [(c, presenters.pending_text(c)) for c in queries.pending_changes(premises)],
            "archive_rows": presenters.archive_history_rows(changes),
            "history": presenters.history_items(queries.change_history(premises)),
            "can_manage": _can_manage(request),
            "tags": presenters.BEDSPACE_STATUS_TAGS,
            "premises_tag": presenters.PREMISES_STATUS_TAGS[premises.status],
            "today": clock.today(),
        },
    )


def _premises_fields(data: dict) -> dict:
    return {
        "reference": data["reference"],
        "address_line1": data["address_line1"],
        "address_line2": data["address_line2"],
        "town": data["town"],
        "postcode": data["postcode"],
        "local_authority": data["local_authority"],
        "region": data["region"],
        "pdu": data["pdu"],
        "characteristics": list(data["characteristics"]),
        "turnaround_working_days": data["turnaround_working_days"],
        "notes": data["notes"],
    }


@requires(Permission.ESTATE_MANAGE)
@require_http_methods(["GET", "POST"])
def property_create(request):
    initial = {"region": request.user.region_id, "turnaround_working_days": 2}
    form = PremisesForm(_bound(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            premises = services.create_premises(request.user, **_premises_fields(form.cleaned_data))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Property {premises.reference} added. Now add its bedspaces")
            return redirect("web:property-detail", pk=premises.pk)
    return TemplateResponse(request, "estate/property_form.html", {"form": form, "premises": None})


def _premises_initial(premises: Premises) -> dict:
    return {
        "reference": premises.reference,
        "address_line1": premises.address_line1,
        "address_line2": premises.address_line2,
        "town": premises.town,
        "postcode": premises.postcode,
        "local_authority": premises.local_authority_id,
        "region": premises.region_id,
        "pdu": premises.pdu_id,
        "characteristics": [c.pk for c in premises.characteristics.all()],
        "turnaround_working_days": premises.turnaround_working_days,
        "notes": premises.notes,
        "version": premises.version,
    }


@requires(Permission.ESTATE_MANAGE)
@require_http_methods(["GET", "POST"])
def property_edit(request, pk):
    premises = access.open_premises(request.user, pk)
    form = PremisesForm(_bound(request), user=request.user, editing=premises, initial=_premises_initial(premises))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_premises(
                request.user, premises, version=form.cleaned_data["version"], **_premises_fields(form.cleaned_data)
            )
        except StaleEdit as exc:
            premises = access.open_premises(request.user, pk)
            form = form_with_current_values(
                PremisesForm, _premises_initial(premises), exc.message, user=request.user, editing=premises
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Changes to {premises.reference} saved")
            return redirect("web:property-detail", pk=premises.pk)
    return TemplateResponse(request, "estate/property_form.html", {"form": form, "premises": premises})


# Archiving and bringing back online --------------------------------------------------------------


def _date_hint(window: tuple[dt.date, dt.date]) -> str:
    return f"Enter a date from {long_date(window[0])} to {long_date(window[1])}, for example {numeric_date(window[1])}"


def _what(premises: Premises, bedspace: Bedspace | None) -> str:
    return f"bedspace {bedspace.reference}" if bedspace else f"property {premises.reference}"


def _schedule(request, *, premises: Premises, bedspace: Bedspace | None, action: str):
    """Choose a date, then confirm what will happen, then do it. Shared by the four archive pages."""
    today = clock.today()
    archiving = action == ArchiveChange.Action.ARCHIVE
    subject = bedspace or premises
    what = _what(premises, bedspace)
    window = services.archive_window(today) if archiving else services.unarchive_window(today)
    label = "When should it be archived?" if archiving else "When should it come back online?"
    form = DateForm(
        _bound(request), label=label, hint=_date_hint(window), initial={"date": today, "version": subject.version}
    )
    back = (
        reverse("web:bedspace-detail", args=[premises.pk, bedspace.pk])
        if bedspace
        else reverse("web:property-detail", args=[premises.pk])
    )
    context = {
        "form": form,
        "premises": premises,
        "bedspace": bedspace,
        "action": action,
        "what": what,
        "back": back,
        "today": today,
    }
    if request.method == "POST" and form.is_valid():
        day, version = form.cleaned_data["date"], form.cleaned_data["version"]
        try:
            if request.POST.get("confirm") == "yes":
                if archiving:
                    (services.archive_bedspace if bedspace else services.archive_premises)(
                        request.user, subject, day, version=version
                    )
                else:
                    (services.unarchive_bedspace if bedspace else services.unarchive_premises)(
                        request.user, subject, day, version=version
                    )
                name = f"Bedspace {bedspace.reference}" if bedspace else f"Property {premises.reference}"
                if archiving:
                    done = "archived" if day <= today else f"will be archived on {long_date(day)}"
                else:
                    done = "is back online" if day <= today else f"will be back online on {long_date(day)}"
                messages.success(request, f"{name} {done}")
                return redirect(back)
            context.update(_preview(premises, bedspace, action, day, version))
            context["day"] = day
            return TemplateResponse(request, "estate/archive_confirm.html", context)
        except StaleEdit as exc:
            # Redrawn from the property (or bedspace) as it is now, keeping the date the user chose.
            if bedspace:
                bedspace = access.open_bedspace(request.user, premises.pk, bedspace.pk)
                premises, current = bedspace.premises, bedspace.version
            else:
                premises = access.open_premises(request.user, premises.pk)
                current = premises.version
            context.update(premises=premises, bedspace=bedspace, what=_what(premises, bedspace))
            context["form"] = form_with_current_values(
                DateForm,
                _as_posted({"date": day, "version": current}),
                exc.message,
                label=label,
                hint=_date_hint(window),
            )
        except DomainError as exc:
            add_domain_error(form, exc, fallback="date")
    return TemplateResponse(request, "estate/archive_form.html", context)


def _preview(premises, bedspace, action, day, version) -> dict:
    """What the change will also do, for the confirmation page (raises the refusal, if any)."""
    if action == ArchiveChange.Action.ARCHIVE:
        if bedspace:
            return {"also_property": services.bedspace_archive_preview(bedspace, day, version), "also_bedspaces": []}
        return {"also_property": False, "also_bedspaces": services.premises_archive_preview(premises, day, version)}
    if bedspace:
        return {"also_property": services.bedspace_unarchive_preview(bedspace, day, version), "also_bedspaces": []}
    return {"also_property": False, "also_bedspaces": services.premises_unarchive_preview(premises, day, version)}


@requires(Permission.ESTATE_MANAGE)
@require_http_methods(["GET", "POST"])
def property_archive(request, pk):
    premises = access.open_premises(request.user, pk)
    return _schedule(request, premises=premises, bedspace=None, action=ArchiveChange.Action.ARCHIVE)


@requires(Permission.ESTATE_MANAGE)
@require_http_methods(["GET", "POST"])
def property_unarchive(request, pk):
    premises = access.open_premises(request.user, pk)
    return _schedule(request, premises=premises, bedspace=None, action=ArchiveChange.Action.UNARCHIVE)


@requires(Permission.ESTATE_MANAGE)
@require_http_methods(["GET", "POST"])
def bedspace_archive(request, pk, bedspace_pk):
    bedspace = access.open_bedspace(request.user, pk, bedspace_pk)
    return _schedule(request, premises=bedspace.premises, bedspace=bedspace, action=ArchiveChange.Action.ARCHIVE)


@requires(Permission.ESTATE_MANAGE)
@require_http_methods(["GET", "POST"])
def bedspace_unarchive(request, pk, bedspace_pk):
    bedspace = access.open_bedspace(request.user, pk, bedspace_pk)
    return _schedule(request, premises=bedspace.premises, bedspace=bedspace, action=ArchiveChange.Action.UNARCHIVE)


@requires(Permission.ESTATE_MANAGE)
@require_http_methods(["GET", "POST"])
def change_cancel(request, pk, change_pk):
    change = access.open_change(request.user, pk, change_pk)
    premises = change.premises
    back = (
        reverse("web:bedspace-detail", args=[premises.pk, change.bedspace_id])
        if change.bedspace_id and change.cause == ArchiveChange.Cause.REQUESTED
        else reverse("web:property-detail", args=[premises.pk])
    )
    together = [
        c
        for c in ArchiveChange.objects.filter(batch=change.batch, cancelled_at__isnull=True).select_related("bedspace")
        if c.pk != change.pk
    ]
    error = None
    if request.method == "POST":
        try:
            services.cancel_change(request.user, change, reason="Cancelled")
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"{presenters.change_summary(change)}: cancelled")
            return redirect(back)
    elif not change.is_pending():
        error = (
            "This change can no longer be cancelled"
            if not change.is_cancelled
            else "This change has already been cancelled"
        )
    return TemplateResponse(
        request,
        "estate/change_cancel.html",
        {
            "change": change,
            "premises": premises,
            "summary": presenters.change_summary(change),
            "together": [presenters.change_summary(c) for c in together],
            "back": back,
            "error": error,
        },
    )


# Bedspaces -------------------------------------------------------------------------------------


@requires(Permission.ESTATE_VIEW)
@require_GET
def bedspace_detail(request, pk, bedspace_pk):
    bedspace = access.open_bedspace(request.user, pk, bedspace_pk)
    premises = bedspace.premises
    changes = [
        c
        for c in queries.archive_history(premises, bedspace)
        if c.bedspace_id == bedspace.pk or c.cause != ArchiveChange.Cause.REQUESTED
    ]
    return TemplateResponse(
        request,
        "estate/bedspace_detail.html",
        {
            "premises": premises,
            "bedspace": bedspace,
            "voids": queries.voids_for(bedspace),
            "pending": [(c, presenters.pending_text(c)) for c in queries.pending_changes(premises, bedspace)],
            "archive_rows": presenters.archive_history_rows(changes),
            "can_manage": _can_manage(request),
            "tag": presenters.BEDSPACE_STATUS_TAGS[bedspace.current_status],
            "today": clock.today(),
            "can_search": has_permission(request.user, Permission.PLACEMENT_SEARCH),
        },
    )


@requires(Permission.ESTATE_MANAGE)
@require_http_methods(["GET", "POST"])
def bedspace_create(request, pk):
    premises = access.open_premises(request.user, pk)
    form = BedspaceForm(_bound(request), initial={"start_date": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bedspace = services.create_bedspace(
                request.user,
                premises,
                reference=data["reference"],
                start_date=data["start_date"],
                characteristics=list(data["characteristics"]),
                notes=data["notes"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Bedspace {bedspace.reference} added")
            return redirect("web:property-detail", pk=premises.pk)
    return TemplateResponse(
        request, "estate/bedspace_form.html", {"form": form, "premises": premises, "bedspace": None}
    )


def _bedspace_initial(bedspace: Bedspace) -> dict:
    return {
        "reference": bedspace.reference,
        "start_date": bedspace.start_date,
        "characteristics": [c.pk for c in bedspace.characteristics.all()],
        "notes": bedspace.notes,
        "version": bedspace.version,
    }


@requires(Permission.ESTATE_MANAGE)
@require_http_methods(["GET", "POST"])
def bedspace_edit(request, pk, bedspace_pk):
    bedspace = access.open_bedspace(request.user, pk, bedspace_pk)
    form = BedspaceForm(
        _bound(request),
        editing=bedspace,
        can_change_start=bedspace.start_date > clock.today(),
        initial=_bedspace_initial(bedspace),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_bedspace(
                request.user,
                bedspace,
                reference=data["reference"],
                characteristics=list(data["characteristics"]),
                notes=data["notes"],
                start_date=data.get("start_date"),
                version=data["version"],
            )
        except StaleEdit as exc:
            bedspace = access.open_bedspace(request.user, pk, bedspace_pk)
            form = form_with_current_values(
                BedspaceForm,
                _as_posted(_bedspace_initial(bedspace)),
                exc.message,
                editing=bedspace,
                can_change_start=bedspace.start_date > clock.today(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Changes to bedspace {data['reference']} saved")
            return redirect("web:bedspace-detail", pk=bedspace.premises.pk, bedspace_pk=bedspace.pk)
    return TemplateResponse(
        request, "estate/bedspace_form.html", {"form": form, "premises": bedspace.premises, "bedspace": bedspace}
    )


# Void periods ----------------------------------------------------------------------------------


def _void_fields(data: dict) -> dict:
    return {
        "start_date": data["start_date"],
        "end_date": data["end_date"],
        "reason": data["reason"],
        "cost_borne_by": data["cost_borne_by"],
        "reference_number": data["reference_number"],
        "notes": data["notes"],
    }


@requires(Permission.ESTATE_MANAGE)
@require_http_methods(["GET", "POST"])
def void_create(request, pk, bedspace_pk):
    bedspace = access.open_bedspace(request.user, pk, bedspace_pk)
    form = VoidForm(_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            void = services.create_void(request.user, bedspace, **_void_fields(form.cleaned_data))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                f"Void period recorded for bedspace {bedspace.reference}: "
                f"{long_date(void.start_date)} to {long_date(void.end_date)}",
            )
            return redirect("web:bedspace-detail", pk=bedspace.premises.pk, bedspace_pk=bedspace.pk)
    return TemplateResponse(request, "estate/void_form.html", {"form": form, "bedspace": bedspace, "void": None})


def _void_initial(void: VoidPeriod) -> dict:
    return {
        "start_date": void.start_date,
        "end_date": void.end_date,
        "reason": void.reason_id,
        "reference_number": void.reference_number,
        "cost_borne_by": void.cost_borne_by,
        "notes": void.notes,
        "version": void.version,
    }


@requires(Permission.ESTATE_MANAGE)
@require_http_methods(["GET", "POST"])
def void_edit(request, pk, bedspace_pk, void_pk):
    void = access.open_void(request.user, pk, bedspace_pk, void_pk)
    if void.is_cancelled:
        raise Http404("Cancelled void periods cannot be changed")
    form = VoidForm(_bound(request), initial=_void_initial(void), current_reason_id=void.reason_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_void(
                request.user, void, version=form.cleaned_data["version"], **_void_fields(form.cleaned_data)
            )
        except StaleEdit as exc:
            void = access.open_void(request.user, pk, bedspace_pk, void_pk)
            form = form_with_current_values(
                VoidForm, _as_posted(_void_initial(void)), exc.message, current_reason_id=void.reason_id
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Changes to the void period saved")
            return redirect("web:bedspace-detail", pk=void.bedspace.premises.pk, bedspace_pk=void.bedspace.pk)
    return TemplateResponse(request, "estate/void_form.html", {"form": form, "bedspace": void.bedspace, "void": void})


@requires(Permission.ESTATE_MANAGE)
@require_http_methods(["GET", "POST"])
def void_cancel(request, pk, bedspace_pk, void_pk):
    void = access.open_void(request.user, pk, bedspace_pk, void_pk)
    if void.is_cancelled:
        raise Http404("This void period is already cancelled")
    form = VoidCancelForm(_bound(request), initial={"version": void.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_void(
                request.user, void, notes=form.cleaned_data["notes"], version=form.cleaned_data["version"]
            )
        except StaleEdit as exc:
            # The page shows the void period's new dates; the reason the user typed is kept.
            void = access.open_void(request.user, pk, bedspace_pk, void_pk)
            current = {"notes": form.cleaned_data["notes"], "version": void.version}
            form = form_with_current_values(VoidCancelForm, current, exc.message)
        except DomainError as exc:
            add_domain_error(form, exc, fallback="notes")
        else:
            messages.success(request, "Void period cancelled")
            return redirect("web:bedspace-detail", pk=void.bedspace.premises.pk, bedspace_pk=void.bedspace.pk)
    return TemplateResponse(request, "estate/void_cancel.html", {"form": form, "void": void, "bedspace": void.bedspace})


# Occupancy calendar ----------------------------------------------------------------------------


@requires(Permission.ESTATE_VIEW)
@require_GET
def property_calendar(request, pk):
    premises = access.open_premises(request.user, pk)
    today = clock.today()
    form = CalendarForm(request.GET or None, initial={"period": "month", "month": today.month, "year": today.year})
    period, month, year = "month", today.month, today.year
    if form.is_bound and form.is_valid():
        period = form.cleaned_data["period"] or "month"
        month = form.cleaned_data["month"] or today.month
        year = form.cleaned_data["year"] or today.year
    calendar = build_calendar(premises, period, year, month, request.user)
    here = reverse("web:property-calendar", args=[premises.pk])

    def link(start: dt.date) -> str:
        return f"{here}?period={period}&month={start.month}&year={start.year}"

    narrow_days = 3 if period == "month" else 8
    return TemplateResponse(
        request,
        "estate/calendar.html",
        {
            "premises": premises,
            "calendar": calendar,
            "form": form if form.is_bound else None,
            "picker": form,
            "previous_href": link(calendar.previous_start),
            "next_href": link(calendar.next_start),
            "today_href": f"{here}?period={period}&month={today.month}&year={today.year}",
            "noun": "month" if period == "month" else "quarter",
            "narrow_days": narrow_days,
            "key": KEY,
            "today": today,
            "can_see_bookings": has_permission(request.user, Permission.BOOKINGS_VIEW),
        },
    )


# Bulk import -----------------------------------------------------------------------------------


def _import_regions(user):
    return None if has_national_scope(user) else [user.region]


class _ImportNotDone(Exception):
    def __init__(self, result):
        self.result = result


@requires(Permission.ESTATE_MANAGE)
@require_http_methods(["GET", "POST"])
def property_import(request):
    form = ImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]

        def run_import() -> dict:
            outcome = imports.import_file(request.user, upload.name, upload.read(), dry_run=dry_run)
            if not outcome.ok:
                raise _ImportNotDone(outcome)  # rolls back the submission key with it
            return {**dataclasses.asdict(outcome), "file_name": upload.name}

        try:
            # A check (dry run) changes nothing, so only a real import is kept against its key.
            done = run_import() if dry_run else idempotent.run_once(request, "estate.import", run_import).result
        except _ImportNotDone as refused:
            result = refused.result
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return TemplateResponse(
                request,
                "estate/import_done.html",
                {
                    "result": imports.Result(**{k: v for k, v in done.items() if k != "file_name"}),
                    "file_name": done["file_name"],
                },
            )
    return TemplateResponse(
        request,
        "estate/import.html",
        {"form": form, "result": result, "problems": result.problems if result else []},
    )


@requires(Permission.ESTATE_MANAGE)
@require_GET
def property_import_template(request):
    """The data dictionary page; `?format=csv` or `?format=xlsx` downloads the template."""
    regions = _import_regions(request.user)
    fmt = request.GET.get("format")
    if fmt == "csv":
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="properties-and-bedspaces-template.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            imports.template_xlsx(regions),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="properties-and-bedspaces-template.xlsx"'
        return response
    return TemplateResponse(
        request,
        "estate/import_template.html",
        {"columns": imports.COLUMNS, "allowed": imports.allowed_values(regions), "max_rows": imports.MAX_ROWS},
    )
