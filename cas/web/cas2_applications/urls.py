from django.urls import path

from cas.web.cas2_applications import views
from cas.web.referrals import views as drafts

FLOW = {"flow": views.FLOW}

urlpatterns = [
    path("cas2/applications", views.application_list, name="cas2-application-list"),
    path("cas2/applications/submitted", views.application_list_submitted, name="cas2-application-list-submitted"),
    path("cas2/prison-applications", views.prison_applications, name="cas2-prison-applications"),
    path("cas2/apply", views.start, name="cas2-start"),
    path("cas2/apply/<slug:route>", views.find_person, name="cas2-find-person"),
    path("cas2/apply/<slug:route>/<str:identifier>", views.confirm_person, name="cas2-confirm-person"),
    path("cas2/applications/<uuid:pk>", views.application, name="cas2-application"),
    # The task list, the question pages and the declaration are the shared draft pages.
    path("cas2/applications/<uuid:pk>/tasks", drafts.referral_tasks, FLOW, name="cas2-application-tasks"),
    path("cas2/applications/<uuid:pk>/tasks/<slug:task>", drafts.referral_task, FLOW, name="cas2-application-task"),
    path(
        "cas2/applications/<uuid:pk>/tasks/<slug:task>/<slug:page>",
        drafts.referral_page,
        FLOW,
        name="cas2-application-page",
    ),
    path("cas2/applications/<uuid:pk>/submit", drafts.referral_submit, FLOW, name="cas2-application-submit"),
    path("cas2/applications/<uuid:pk>/sent", views.confirmation, name="cas2-application-confirmation"),
    path("cas2/applications/<uuid:pk>/notes", views.note, name="cas2-application-note"),
    path("cas2/applications/<uuid:pk>/send-information", views.send_information, name="cas2-send-information"),
    path("cas2/applications/<uuid:pk>/abandon", views.abandon, name="cas2-application-abandon"),
]
