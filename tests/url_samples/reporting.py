import datetime as dt

from cas.core.permissions import Permission, has_national_scope, has_permission


def build_context(ctx: dict) -> None:
    from cas.reporting import mi
    from cas.reporting.models import ReportRun

    ctx["report_run"] = ReportRun.objects.create(
        report_key="sample",
        requested_by=ctx["other_user"],
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 3, 31),
        file_format="csv",
    )
    # A run that is ready, so that its file can be downloaded (by the users who may see the run).
    ready = ReportRun.objects.create(
        report_key=next(iter(mi.REPORTS)),
        requested_by=ctx["other_user"],
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 3, 31),
        file_format="csv",
    )
    mi.generate_report.call(str(ready.pk))
    ctx["ready_report_run"] = ready


def _run_visible(user, ctx) -> bool:
    # Someone else's report: only users with national scope can open it; others get 404.
    return has_permission(user, Permission.REPORTS_RUN) and has_national_scope(user)


SAMPLES = {
    "web:statistics-download": lambda ctx: {"name": "workbook"},
    "web:report-run": lambda ctx: {"pk": ctx["report_run"].pk},
    "web:report-download": lambda ctx: {"pk": ctx["report_run"].pk},
    "api:report-run": lambda ctx: {"pk": ctx["report_run"].pk},
    "api:report-file": lambda ctx: {"pk": ctx["ready_report_run"].pk},
    "api:statistics-table": lambda ctx: {"name": "placements_by_region"},
}
EXPECTED = {
    "web:report-run": _run_visible,
    "web:report-download": _run_visible,
    "api:report-run": _run_visible,
    "api:report-file": _run_visible,
}
POST_ONLY = {"web:statistics-release", "api:reports"}
DOWNLOADS = {"web:statistics-download", "web:report-download"}
DOWNLOADS = DOWNLOADS | {"web:dashboard-export"}
