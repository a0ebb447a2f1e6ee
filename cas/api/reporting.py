"""MI reports (request, poll progress) and the official statistics tables."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cas.api.routing import api
from cas.core.permissions import Permission
from cas.reporting import mi
from cas.reporting.models import ReportRun
from cas.reporting.statistics import compute


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
    progress = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

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

    def get_download_url(self, obj) -> str | None:
        return reverse("web:report-download", args=[obj.pk]) if obj.status == ReportRun.Status.READY else None


class ReportsView(APIView):
    permission = Permission.REPORTS_RUN

    @extend_schema(
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

    @extend_schema(responses=ReportRunSerializer, summary="A report's progress, and its download link when ready")
    def get(self, request, pk):
        run = get_object_or_404(ReportRun, pk=pk)
        if not mi.can_download(request.user, run):
            raise Http404
        return Response(ReportRunSerializer(run).data)


class StatisticsTableSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.DictField())


class StatisticsView(APIView):
    permission = Permission.STATISTICS_VIEW

    @extend_schema(responses=StatisticsTableSerializer(many=True), summary="The CAS3 official statistics tables")
    def get(self, request):
        return Response(
            [{"name": t.name, "title": t.title, "columns": list(t.columns), "rows": t.as_dicts()} for t in compute()]
        )


urlpatterns = [
    path("reports", api(ReportsView.as_view()), name="reports"),
    path("reports/<uuid:pk>", api(ReportRunView.as_view()), name="report-run"),
    path("statistics", api(StatisticsView.as_view()), name="statistics"),
]
