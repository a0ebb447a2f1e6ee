from django.urls import path

from cas.web.privacy import views

urlpatterns = [
    path("manage/subject-access", views.subject_access, name="subject-access"),
]
