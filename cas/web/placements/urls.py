from django.urls import path

from cas.web.placements import views

# Included by cas/web/urls.py inside the "web" namespace.
B = "bookings/<uuid:pk>"
urlpatterns = [
    path("placements", views.placement_home, name="placement-home"),
    path("placements/search", views.placement_search, name="placement-search"),
    path(
        "placements/bedspaces/<uuid:bedspace_pk>/availability",
        views.bedspace_availability,
        name="bedspace-availability",
    ),
    path("placements/bedspaces/<uuid:bedspace_pk>/book", views.booking_create, name="booking-create"),
    path("bookings", views.booking_list, name="booking-list"),
    path(B, views.booking_detail, name="booking-detail"),
    path(f"{B}/confirm", views.booking_confirm, name="booking-confirm"),
    path(f"{B}/arrival", views.booking_arrival, name="booking-arrival"),
    path(f"{B}/arrival-date", views.booking_arrival_date, name="booking-arrival-date"),
    path(f"{B}/departure-date", views.booking_departure_date, name="booking-departure-date"),
    path(f"{B}/departure", views.booking_departure, name="booking-departure"),
    path(f"{B}/cancel", views.booking_cancel, name="booking-cancel"),
    path(f"{B}/non-arrival", views.booking_non_arrival, name="booking-non-arrival"),
    path(f"{B}/turnaround", views.booking_turnaround, name="booking-turnaround"),
    path(f"{B}/incidents/new", views.booking_incident, name="booking-incident"),
    path("properties/<uuid:pk>/incidents", views.premises_incidents, name="premises-incidents"),
    path("properties/<uuid:pk>/incidents/new", views.premises_incident, name="premises-incident"),
]
