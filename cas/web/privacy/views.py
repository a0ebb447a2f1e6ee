from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cas.core.models import AuditEvent
from cas.core.permissions import Permission
from cas.privacy.export import export_for_request
from cas.web.decorators import requires
from cas.web.privacy.forms import SubjectAccessForm

CONTENT_TYPES = {"json": "application/json", "html": "text/html; charset=utf-8"}


@requires(Permission.SUBJECT_ACCESS)
@require_http_methods(["GET", "POST"])
def subject_access(request):
    """Answer a subject access request: the file downloads straight away and the request is audited."""
    form = SubjectAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        identifier, fmt = form.cleaned_data["identifier"], form.cleaned_data["format"]
        export = export_for_request(request.user, identifier)
        body = export.to_html() if fmt == "html" else export.to_json()
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
        filename = f"subject-access-{identifier}-{timezone.localdate():%Y-%m-%d}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    requests = AuditEvent.objects.filter(action="privacy.subject_access_export").order_by("-occurred_at", "-id")
    page = Paginator(requests, 20).get_page(request.GET.get("page"))
    return TemplateResponse(request, "privacy/subject_access.html", {"form": form, "page": page})
