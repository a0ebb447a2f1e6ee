from django.urls import path

from cas.web.cas2_assessment import views

urlpatterns = [
    path("cas2/queue", views.cas2_queue, name="cas2-queue"),
    path("cas2/assessments/<uuid:pk>", views.cas2_assessment, name="cas2-assessment"),
    path("cas2/assessments/<uuid:pk>/print", views.cas2_assessment_print, name="cas2-assessment-print"),
    path("cas2/assessments/<uuid:pk>/notes", views.cas2_assessment_notes, name="cas2-assessment-notes"),
    path("cas2/assessments/<uuid:pk>/details", views.cas2_assessment_details, name="cas2-assessment-details"),
    path("cas2/assessments/<uuid:pk>/status", views.cas2_assessment_status, name="cas2-assessment-status"),
    path(
        "cas2/assessments/<uuid:pk>/status/<slug:status>",
        views.cas2_assessment_status_details,
        name="cas2-assessment-status-details",
    ),
]
