from django.urls import include, path

from cas.api import events, views
from cas.api.routing import api

app_name = "api"


urlpatterns = [
    path("schema/", views.schema_view, name="schema"),
    path("v1/me", api(views.MeView.as_view()), name="me"),
    path("v1/people/<str:crn>", api(views.PersonView.as_view()), name="person"),
    path("v1/areas", api(views.AreasView.as_view()), name="areas"),
    path("v1/reference/<slug:slug>", api(views.ReferenceListView.as_view()), name="reference-list"),
    path("v1/events", api(events.EventFeedView.as_view()), name="event-feed"),
    path("v1/events/<uuid:pk>", api(events.EventDetailView.as_view()), name="event-detail"),
    path("v1/", include("cas.api.referrals")),
    path("v1/", include("cas.api.cas2_applications")),
    path("v1/", include("cas.api.estate")),
    path("v1/", include("cas.api.reporting")),
    path("v1/", include("cas.api.review")),
    path("v1/", include("cas.api.cas2_assessment")),
    path("v1/", include("cas.api.placements")),
]
