from django.urls import include, path

from cas.web.urls import account_patterns

urlpatterns = [
    path("account/", include(account_patterns)),
    path("", include("cas.web.urls")),
    path("api/", include("cas.api.urls")),
]

handler400 = "cas.web.views.errors.bad_request"
handler403 = "cas.web.views.errors.permission_denied"
handler404 = "cas.web.views.errors.page_not_found"
handler500 = "cas.web.views.errors.server_error"
