from django.conf import settings
from django.urls import include, path

from cas.web.views import audit, auth, health, help_pages, home, outbox, pages, people, reference, second_factor, users

app_name = "web"

account_patterns = (
    [
        path("sign-in", auth.sign_in, name="sign-in"),
        path("sign-in/code", auth.sign_in_code, name="sign-in-code"),
        path("sign-out", auth.sign_out, name="sign-out"),
        path("second-factor", second_factor.second_factor, name="second-factor"),
    ],
    "accounts",
)

urlpatterns = [
    path("", home.home, name="home"),
    path("home/<slug:slug>", home.role_home, name="role-home"),
    path("health", health.health, name="health"),
    path("health/ready", health.readiness, name="readiness"),
    path("accessibility", pages.accessibility, name="accessibility"),
    path("cookies", pages.cookies, name="cookies"),
    path("privacy", pages.privacy, name="privacy"),
    path("help", help_pages.help_index, name="help"),
    path("help/guides/<slug:role>", help_pages.guide, name="help-guide"),
    path("help/guides/images/<slug:role>/<str:name>", help_pages.guide_image, name="help-guide-image"),
    path("people", people.person_search, name="person-search"),
    path("people/<str:crn>", people.person_detail, name="person-detail"),
    path("reference", reference.reference_index, name="reference-index"),
    path("reference/regions", reference.regions, name="reference-regions"),
    path("reference/local-authorities", reference.local_authorities, name="reference-local-authorities"),
    path("reference/<slug:slug>", reference.reference_list, name="reference-list"),
    path("reference/<slug:slug>/<int:pk>/change", reference.reference_edit, name="reference-edit"),
    path("manage/users", users.user_list, name="user-list"),
    path("manage/users/new", users.user_create, name="user-create"),
    path("manage/users/<int:pk>", users.user_detail, name="user-detail"),
    path("manage/users/<int:pk>/change", users.user_edit, name="user-edit"),
    path("manage/users/<int:pk>/tokens/new", users.token_create, name="user-token-create"),
    path("manage/users/<int:pk>/tokens/<int:token_id>/revoke", users.token_revoke, name="user-token-revoke"),
    path("manage/users/<int:pk>/<str:action>", users.user_set_active, name="user-set-active"),
    path("manage/audit", audit.audit_list, name="audit-list"),
    path("manage/emails", outbox.outbox_list, name="outbox-list"),
    path("manage/emails/<uuid:pk>", outbox.outbox_detail, name="outbox-detail"),
    # Areas keep their routes in their own modules.
    path("", include("cas.web.referrals.urls")),
    path("", include("cas.web.cas2_applications.urls")),
    path("", include("cas.web.estate.urls")),
    path("", include("cas.web.placements.urls")),
    path("", include("cas.web.reporting.urls")),
    path("", include("cas.web.review.urls")),
    path("", include("cas.web.cas2_assessment.urls")),
    path("", include("cas.web.privacy.urls")),
]

if settings.OIDC_ENABLED:
    from mozilla_django_oidc import views as oidc_views

    from cas.web.decorators import public

    # The identity provider's redirect and callback must be reachable before sign-in.
    urlpatterns += [
        path(
            "oidc/authenticate/",
            public(oidc_views.OIDCAuthenticationRequestView.as_view()),
            name="oidc_authentication_init",
        ),
        path(
            "oidc/callback/",
            public(oidc_views.OIDCAuthenticationCallbackView.as_view()),
            name="oidc_authentication_callback",
        ),
    ]
