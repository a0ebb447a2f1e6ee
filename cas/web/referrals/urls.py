from django.urls import path

from cas.web.referrals import views

urlpatterns = [
    path("referrals", views.referral_list, name="referral-list"),
    path("referrals/submitted", views.referral_list_submitted, name="referral-list-submitted"),
    path("referrals/rejected", views.referral_list_rejected, name="referral-list-rejected"),
    path("referrals/start", views.referral_start, name="referral-start"),
    path("referrals/new", views.referral_new, name="referral-new"),
    path("referrals/new/<str:crn>", views.referral_person, name="referral-person"),
    path("referrals/new/<str:crn>/offence", views.referral_offence, name="referral-offence"),
    path("referrals/<uuid:pk>", views.referral_tasks, name="referral-tasks"),
    path("referrals/<uuid:pk>/tasks/<slug:task>", views.referral_task, name="referral-task"),
    path("referrals/<uuid:pk>/tasks/<slug:task>/<slug:page>", views.referral_page, name="referral-page"),
    path("referrals/<uuid:pk>/submit", views.referral_submit, name="referral-submit"),
    path("referrals/<uuid:pk>/confirmation", views.referral_confirmation, name="referral-confirmation"),
    path("referrals/<uuid:pk>/sent", views.referral_sent, name="referral-sent"),
    path("referrals/<uuid:pk>/notes", views.referral_note, name="referral-note"),
    path("referrals/<uuid:pk>/delete", views.referral_delete, name="referral-delete"),
]
