from django.contrib.auth.decorators import login_not_required
from django.urls import path

from cas.api import views

app_name = "api"


def api(view):
    # API views answer 403 JSON themselves instead of redirecting to the sign-in page.
    return login_not_required(view)


urlpatterns = [
    path("schema/", views.schema_view, name="schema"),
    path("v1/me", api(views.MeView.as_view()), name="me"),
    path("v1/people/<str:crn>", api(views.PersonView.as_view()), name="person"),
    path("v1/reference/<slug:slug>", api(views.ReferenceListView.as_view()), name="reference-list"),
]
