from django.urls import path

from cas.web.reporting import views

urlpatterns = [
    path("reports/dashboard", views.dashboard_view, name="dashboard"),
    path("reports/dashboard/export", views.dashboard_export, name="dashboard-export"),
    path("reports", views.reports, name="reports"),
    path("reports/runs/<uuid:pk>", views.report_run, name="report-run"),
    path("reports/runs/<uuid:pk>/download", views.report_download, name="report-download"),
    path("reports/statistics", views.statistics, name="statistics"),
    path("reports/statistics/download/<slug:name>", views.statistics_download, name="statistics-download"),
    path("reports/statistics/release", views.statistics_release, name="statistics-release"),
    path("reports/placements/import", views.placement_import, name="placement-import"),
]
