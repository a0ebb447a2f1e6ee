from django.urls import path

from cas.web.estate import views

# Included by cas/web/urls.py inside the "web" namespace.
urlpatterns = [
    path("properties", views.property_list, name="property-list"),
    path("properties/archived", views.property_list_archived, name="property-list-archived"),
    path("properties/new", views.property_create, name="property-create"),
    path("properties/import", views.property_import, name="property-import"),
    path("properties/import/template", views.property_import_template, name="property-import-template"),
    path("properties/<uuid:pk>", views.property_detail, name="property-detail"),
    path("properties/<uuid:pk>/change", views.property_edit, name="property-edit"),
    path("properties/<uuid:pk>/archive", views.property_archive, name="property-archive"),
    path("properties/<uuid:pk>/bring-back-online", views.property_unarchive, name="property-unarchive"),
    path("properties/<uuid:pk>/calendar", views.property_calendar, name="property-calendar"),
    path("properties/<uuid:pk>/changes/<uuid:change_pk>/cancel", views.change_cancel, name="archive-change-cancel"),
    path("properties/<uuid:pk>/bedspaces/new", views.bedspace_create, name="bedspace-create"),
    path("properties/<uuid:pk>/bedspaces/<uuid:bedspace_pk>", views.bedspace_detail, name="bedspace-detail"),
    path("properties/<uuid:pk>/bedspaces/<uuid:bedspace_pk>/change", views.bedspace_edit, name="bedspace-edit"),
    path("properties/<uuid:pk>/bedspaces/<uuid:bedspace_pk>/archive", views.bedspace_archive, name="bedspace-archive"),
    path(
        "properties/<uuid:pk>/bedspaces/<uuid:bedspace_pk>/bring-back-online",
        views.bedspace_unarchive,
        name="bedspace-unarchive",
    ),
    path("properties/<uuid:pk>/bedspaces/<uuid:bedspace_pk>/voids/new", views.void_create, name="void-create"),
    path(
        "properties/<uuid:pk>/bedspaces/<uuid:bedspace_pk>/voids/<uuid:void_pk>/change",
        views.void_edit,
        name="void-edit",
    ),
    path(
        "properties/<uuid:pk>/bedspaces/<uuid:bedspace_pk>/voids/<uuid:void_pk>/cancel",
        views.void_cancel,
        name="void-cancel",
    ),
]
