"""The project's URLs for CAS2 tests while the provider's assessment page (`web:cas2-assessment`, built
in parallel in the provider's slice of issue 16) is not on this branch: submitting an application
puts the provider's link in its notice and event, so the name must resolve. When the name already
exists this is exactly `config.urls`; delete this module once the provider's page is merged."""

from django.http import HttpResponseNotFound
from django.urls import NoReverseMatch, include, path, reverse

from cas.web import urls as web_urls
from cas.web.decorators import public
from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urlpatterns


def _has_assessment_page() -> bool:
    try:
        reverse("web:cas2-assessment", args=["00000000-0000-0000-0000-000000000000"], urlconf="config.urls")
    except NoReverseMatch:
        return False
    return True


@public
def _not_here(request, pk):
    return HttpResponseNotFound("The provider's assessment page is not on this branch")


if _has_assessment_page():
    urlpatterns = project_urlpatterns
else:
    urlpatterns = [
        pattern
        for pattern in project_urlpatterns
        if getattr(pattern, "namespace", None) != "web" and getattr(pattern, "app_name", None) != "web"
    ] + [
        path(
            "",
            include(
                (
                    [*web_urls.urlpatterns, path("cas2/assessments/<uuid:pk>", _not_here, name="cas2-assessment")],
                    "web",
                ),
                namespace="web",
            ),
        )
    ]
