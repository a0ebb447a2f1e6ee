"""MI reports (list, request, poll progress), the official statistics tables and the delivery
dashboard's figures."""

from decimal import Decimal

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from cas.api.errors import problem_response
from cas.api.routing import api
from cas.core import clock, dates
from cas.core.errors import DomainError
from cas.core.permissions import Permission
from cas.reference.models import ProbationDeliveryUnit, ProbationRegion
from cas.reporting import dashboard, mi
from cas.reporting.models import ReportRun
from cas.reporting.statistics import compute

TAG = ["Reporting"]
MAX_ID = 2**31 - 1


class ReportRequestSerializer(serializers.Serializer):
    report = serializers.ChoiceField(choices=[])
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    region_id = serializers.IntegerField(required=False, allow_null=True)
    file_format = serializers.ChoiceField(choices=ReportRun.Format.choices, default="xlsx")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = list(mi.REPORTS)


class ReportRunSerializer(serializers.ModelSerializer):
    """A report asked for: every field is always sent (read only)."""

    progress = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text="GET it (with the same credentials) for the file once `status` is ready; null until then"
    )

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "report_key",
            "start_date",
            "end_date",
            "region",
            "file_format",
            "status",
            "progress",
            "rows_expected",
            "rows_written",
            "file_name",
            "expires_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        """The file, for a session or an API token alike, once the report is ready."""
        return reverse("api:report-file", args=[obj.pk]) if obj.status == ReportRun.Status.READY else None


class ReportColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    header = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


class ReportDefinitionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    columns = ReportColumnSerializer(many=True)


class ReportListSerializer(serializers.Serializer):
    reports = ReportDefinitionSerializer(many=True, help_text="The reports that can be asked for")
    runs = ReportRunSerializer(many=True, help_text="Your 50 most recent requests, newest first")


class ReportsView(APIView):
    permission = Permission.REPORTS_RUN

    @extend_schema(
        tags=TAG,
        operation_id="reports_list",
        responses=ReportListSerializer,
        summary="The MI reports, and the ones you asked for",
    )
    def get(self, request):
        runs = ReportRun.objects.filter(requested_by=request.user).select_related("region")[:50]
        return Response(
            {
                "reports": [
                    {
                        "key": d.key,
                        "title": d.title,
                        "description": d.description,
                        "columns": [
                            {"key": c.key, "header": c.header, "description": c.description} for c in d.columns
                        ],
                    }
                    for d in mi.reports_for(request.user)
                ],
                "runs": ReportRunSerializer(runs, many=True).data,
            }
        )

    @extend_schema(
        tags=TAG,
        request=ReportRequestSerializer,
        responses={202: ReportRunSerializer},
        summary="Ask for an MI report; it is prepared in the background",
    )
    def post(self, request):
        data = ReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        run = mi.request_report(
            request.user, v["report"], v["start_date"], v["end_date"], v.get("region_id"), v["file_format"]
        )
        run.refresh_from_db()
        return Response(ReportRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class ReportRunView(APIView):
    permission = Permission.REPORTS_RUN

    @extend_schema(
        tags=TAG, responses=ReportRunSerializer, summary="A report's progress, and its download link when ready"
    )
    def get(self, request, pk):
        run = get_object_or_404(ReportRun, pk=pk)
        if not mi.can_download(request.user, run):
            raise Http404
        return Response(ReportRunSerializer(run).data)


class AnyAccept(BaseContentNegotiation):
    """The file is sent whatever the Accept header says (CSV or XLSX as asked for); errors are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None


FILE_TYPES = {
    ReportRun.Format.CSV: "text/csv",
    ReportRun.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportFileView(APIView):
    permission = Permission.REPORTS_RUN
    content_negotiation_class = AnyAccept

    @extend_schema(
        tags=TAG,
        summary="Download a ready report's file (CSV or XLSX, as asked for)",
        description="The `download_url` of a ready report. 404 `expired` while there is no file: not ready yet, "
        "or removed after its retention period (ask for the report again). Every download is recorded in the "
        "audit log.",
        responses={
            (200, FILE_TYPES[ReportRun.Format.CSV]): OpenApiTypes.BINARY,
            (200, FILE_TYPES[ReportRun.Format.XLSX]): OpenApiTypes.BINARY,
        },
    )
    def get(self, request, pk):
        run = get_object_or_404(ReportRun, pk=pk)
        if not mi.can_download(request.user, run):
            raise Http404
        try:
            handle = mi.open_download(request.user, run)
        except DomainError as exc:
            if exc.code != "expired":
                raise
            # No file (not ready yet, or removed after REPORT_RETENTION_HOURS): nothing at this address.
            return problem_response(404, exc.message, exc.code)
        return FileResponse(
            handle, as_attachment=True, filename=run.file_name, content_type=FILE_TYPES[run.file_format]
        )


class StatisticsTableSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.DictField())


def _tables(request):
    year = request.query_params.get("year")
    tables = compute()
    return [
        {
            "name": t.name,
            "title": t.title,
            "description": t.description,
            "columns": list(t.columns),
            "rows": [row for row in t.as_dicts() if not year or row["performance_year"] == year],
        }
        for t in tables
    ]


YEAR = OpenApiParameter("year", str, description="Only this performance year, written like 2024/25")


class StatisticsView(APIView):
    permission = Permission.STATISTICS_VIEW

    @extend_schema(
        tags=TAG,
        parameters=[YEAR],
        responses=StatisticsTableSerializer(many=True),
        summary="The CAS3 official statistics tables",
    )
    def get(self, request):
        return Response(_tables(request))


class StatisticsTableView(APIView):
    permission = Permission.STATISTICS_VIEW

    @extend_schema(
        tags=TAG,
        parameters=[YEAR],
        responses=StatisticsTableSerializer,
        summary="One official statistics table, e.g. placements_by_region",
    )
    def get(self, request, name):
        table = next((t for t in _tables(request) if t["name"] == name), None)
        if table is None:
            raise Http404
        return Response(table)


# The dashboard -------------------------------------------------------------------------------


class DashboardQuerySerializer(serializers.Serializer):
    period = serializers.CharField(
        required=False,
        max_length=10,
        help_text=f"Instead of start_date and end_date: {dashboard.PERIOD_FORMATS}",
    )
    start_date = serializers.DateField(required=False, help_text="First day of the period (default: a year ago)")
    end_date = serializers.DateField(required=False, help_text="Last day of the period (default: today)")
    region = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A probation region's id (default: all regions)"
    )
    pdu = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A probation delivery unit's id in the region"
    )


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField(
        help_text="A count (integer), a share or average as a string with one decimal place, or null when "
        "there is nothing to average"
    )
    unit = serializers.CharField(allow_blank=True, help_text="%, nights, days or empty")
    detail = serializers.CharField(allow_blank=True)


class SeriesSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    values = serializers.ListField(child=serializers.JSONField(), help_text="One value a month, as in months")


class AreaColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)


class AreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    values = serializers.DictField(child=serializers.JSONField(), help_text="By column key")


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    region = PlaceSerializer(allow_null=True)
    pdu = PlaceSerializer(allow_null=True)
    figures = FigureSerializer(many=True)
    months = serializers.ListField(child=serializers.CharField(), help_text="YYYY-MM, first to last")
    series = SeriesSerializer(many=True)
    area_kind = serializers.CharField(allow_blank=True, help_text="region, pdu, or empty for a PDU")
    area_columns = AreaColumnSerializer(many=True)
    areas = AreaSerializer(many=True)
    local_authorities = serializers.ListField(child=serializers.CharField())


def _plain(value):
    # Shares and averages travel as strings with one decimal place, as the page shows them.
    return f"{value:.1f}" if isinstance(value, Decimal) else value


class DashboardView(APIView):
    permission = Permission.DASHBOARD_VIEW

    @extend_schema(
        tags=TAG,
        parameters=[DashboardQuerySerializer],
        responses=DashboardSerializer,
        summary="The delivery dashboard's figures for a period, nationally, for a region or for a PDU",
        description="Assessors see their own region only. Recorded in the audit log as dashboard.viewed.",
    )
    def get(self, request):
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        if q.get("period"):
            start, end = dashboard.parse_period(q["period"])
        else:
            start, end = dashboard.default_period(clock.today())
            start, end = q.get("start_date", start), q.get("end_date", end)
        board = dashboard.view(request.user, start, end, q.get("region"), q.get("pdu"))
        region = ProbationRegion.objects.filter(pk=board.scope.region_id).first() if board.scope.region_id else None
        unit = ProbationDeliveryUnit.objects.filter(pk=board.scope.pdu_id).first() if board.scope.pdu_id else None
        return Response(
            {
                "start_date": board.start,
                "end_date": board.end,
                "region": {"id": region.pk, "name": region.name} if region else None,
                "pdu": {"id": unit.pk, "name": unit.name} if unit else None,
                "figures": [
                    {"key": f.key, "label": f.label, "value": f.value, "unit": f.unit, "detail": f.detail}
                    for f in board.figures
                ],
                "months": [dates.month_key(m) for m in board.months],
                "series": [
                    {"key": s.key, "label": s.label, "unit": s.unit, "values": [_plain(v) for v in s.values]}
                    for s in board.series
                ],
                "area_kind": board.area_kind,
                "area_columns": [{"key": c.key, "label": c.label, "unit": c.unit} for c in board.area_columns],
                "areas": [
                    {"id": r["id"], "name": r["name"], "values": {c.key: r[c.key] for c in board.area_columns}}
                    for r in board.areas
                ],
                "local_authorities": board.local_authorities,
            }
        )


urlpatterns = [
    path("reports", api(ReportsView.as_view()), name="reports"),
    path("reports/<uuid:pk>", api(ReportRunView.as_view()), name="report-run"),
    path("reports/<uuid:pk>/file", api(ReportFileView.as_view()), name="report-file"),
    path("statistics", api(StatisticsView.as_view()), name="statistics"),
    path("statistics/<slug:name>", api(StatisticsTableView.as_view()), name="statistics-table"),
    path("dashboard", api(DashboardView.as_view()), name="dashboard"),
]
