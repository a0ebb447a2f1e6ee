import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cas.core import audit, clock
from cas.core.errors import DomainError, NotAllowed
from cas.core.permissions import Permission, has_national_scope, has_permission
from cas.reference.models import ProbationDeliveryUnit, ProbationRegion
from cas.reporting import dashboard, mi, releases
from cas.reporting.models import PlacementImport, ReportRun, StatisticsRelease
from cas.reporting.placement_import import COLUMNS, ImportRejected, import_placements
from cas.reporting.spreadsheets import table_csv
from cas.reporting.statistics import compute
from cas.web.decorators import requires
from cas.web.form_errors import add_domain_error
from cas.web.idempotency import redirect_once
from cas.web.reporting.forms import DashboardForm, PlacementImportForm, ReleaseForm, ReportRequestForm


@requires(Permission.STATISTICS_VIEW)
@require_GET
def statistics(request):
    tables = compute()
    latest = StatisticsRelease.objects.first()
    changes = releases.revisions(latest.tables, tables) if latest else []
    years = sorted({row[0] for table in tables for row in table.rows}, reverse=True)
    year = request.GET.get("year") if request.GET.get("year") in years else (years[0] if years else None)
    shown = [(t, [r for r in t.rows if r[0] == year]) for t in tables]
    return TemplateResponse(
        request,
        "reporting/statistics.html",
        {
            "tables": shown,
            "years": years,
            "year": year,
            "latest": latest,
            "changes": changes[:200],
            "change_count": len(changes),
            "release_list": StatisticsRelease.objects.all()[:20],
            "can_publish": has_permission(request.user, Permission.STATISTICS_PUBLISH),
            "can_import": has_permission(request.user, Permission.PLACEMENTS_IMPORT),
            "release_form": ReleaseForm(),
        },
    )


def _download(request, content: bytes | str, filename: str, content_type: str, what: str) -> HttpResponse:
    audit.record_change(request.user, "statistics.downloaded", request.user, before=None, after=None, detail=what)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@requires(Permission.STATISTICS_VIEW)
@require_GET
def statistics_download(request, name: str):
    tables = compute()
    if name == "workbook":
        return _download(
            request,
            releases.workbook_for(tables),
            "cas3_statistics.ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            "cas3_statistics.ods",
        )
    table = next((t for t in tables if t.name == name), None)
    if table is None:
        raise Http404
    return _download(request, table_csv(table), f"{table.name}.csv", "text/csv; charset=utf-8", f"{table.name}.csv")


@requires(Permission.STATISTICS_PUBLISH)
@require_http_methods(["POST"])
def statistics_release(request):
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            release = releases.freeze(request.user, form.cleaned_data["name"], compute())
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Figures frozen as release ‘{release.name}’")
    else:
        messages.error(request, form.errors["name"][0])
    return redirect("web:statistics")


@requires(Permission.PLACEMENTS_IMPORT)
@require_http_methods(["GET", "POST"])
def placement_import(request):
    form = PlacementImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]

        def run_import():
            record = import_placements(request.user, upload.name, upload.read())
            return (
                reverse("web:placement-import"),
                f"{record.file_name} imported: {record.rows_added} added, {record.rows_updated} updated, "
                f"{record.rows_unchanged} unchanged",
            )

        try:
            return redirect_once(request, "placements.import", run_import)
        except ImportRejected as exc:
            form.add_error("file", exc.message)
            row_errors = exc.errors
        except DomainError as exc:
            form.add_error("file", exc.message)
    page = Paginator(PlacementImport.objects.select_related("imported_by"), 20).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "reporting/placement_import.html",
        {"form": form, "row_errors": row_errors, "columns": COLUMNS, "page": page},
    )


@requires(Permission.REPORTS_RUN)
@require_http_methods(["GET", "POST"])
def reports(request):
    national = has_national_scope(request.user)
    form = ReportRequestForm(request.POST if request.method == "POST" else None, user=request.user, national=national)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = data.get("region")
        try:
            run = mi.request_report(
                request.user,
                data["report"],
                data["start_date"],
                data["end_date"],
                region.pk if region else None,
                data["file_format"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("web:report-run", pk=run.pk)
    runs = ReportRun.objects.filter(requested_by=request.user).select_related("region")
    page = Paginator(runs, 20).get_page(request.GET.get("page"))
    definitions = mi.reports_for(request.user)
    return TemplateResponse(
        request,
        "reporting/reports.html",
        {"form": form, "page": page, "definitions": definitions, "national": national},
    )


def _visible_run(request, pk) -> ReportRun:
    run = get_object_or_404(ReportRun.objects.select_related("region"), pk=pk)
    if not mi.can_download(request.user, run):
        raise Http404
    return run


@requires(Permission.REPORTS_RUN)
@require_GET
def report_run(request, pk):
    run = _visible_run(request, pk)
    return TemplateResponse(
        request, "reporting/report_run.html", {"run": run, "definition": mi.REPORTS.get(run.report_key)}
    )


@requires(Permission.REPORTS_RUN)
@require_GET
def report_download(request, pk):
    run = _visible_run(request, pk)
    try:
        handle = mi.open_download(request.user, run)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:report-run", pk=run.pk)
    content_type = (
        "text/csv"
        if run.file_format == "csv"
        else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    return FileResponse(handle, as_attachment=True, filename=run.file_name, content_type=content_type)


def _dashboard_request(request):
    """The period and scope asked for, limited to the user's own region unless they are national."""
    national = has_national_scope(request.user)
    default_start, today = dashboard.default_period(clock.today())
    data = request.GET.copy() if request.GET else None
    form = DashboardForm(data, national=national, initial={"start_date": default_start, "end_date": today})
    start, end, region_id, pdu_id = default_start, today, None, None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start_date"], form.cleaned_data["end_date"]
        region = form.cleaned_data.get("region")
        region_id = region.pk if region else None
    if not national:
        region_id = request.user.region_id
    raw_pdu = request.GET.get("pdu", "")
    # ASCII digits that fit an id: isdigit() alone takes "²" and 5000-digit numbers, which int() refuses.
    if region_id and raw_pdu.isascii() and raw_pdu.isdigit() and len(raw_pdu) <= 18:
        pdu_id = (
            ProbationDeliveryUnit.objects.filter(pk=int(raw_pdu), region_id=region_id)
            .values_list("pk", flat=True)
            .first()
        )
    return form, start, end, region_id, pdu_id, national


def _dashboard(request):
    form, start, end, region_id, pdu_id, national = _dashboard_request(request)
    try:
        board = dashboard.view(request.user, start, end, region_id, pdu_id)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from None
    return form, board, national


@requires(Permission.DASHBOARD_VIEW)
@require_GET
def dashboard_view(request):
    form, board, national = _dashboard(request)
    region_id, pdu_id = board.scope.region_id, board.scope.pdu_id
    return TemplateResponse(
        request,
        "reporting/dashboard.html",
        {
            "form": form if form.is_bound and not form.is_valid() else None,
            "filter_form": form,
            "board": board,
            "national": national,
            "region": ProbationRegion.objects.filter(pk=region_id).first() if region_id else None,
            "pdu": ProbationDeliveryUnit.objects.filter(pk=pdu_id).first() if pdu_id else None,
            "query": request.GET.urlencode(),
        },
    )


@requires(Permission.DASHBOARD_VIEW)
@require_GET
def dashboard_export(request):
    _, board, _ = _dashboard(request)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(dashboard.export_rows(board))
    return _download(
        request,
        buffer.getvalue(),
        f"cas3-dashboard-{board.start}-to-{board.end}.csv",
        "text/csv; charset=utf-8",
        "dashboard figures",
    )
