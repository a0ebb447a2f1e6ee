from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from cas.core.permissions import Permission
from cas.events.models import OutboundEmail
from cas.web.decorators import requires


@requires(Permission.OUTBOX_VIEW)
@require_GET
def outbox_list(request):
    q = request.GET.get("q", "").strip()[:200]
    emails = OutboundEmail.objects.all()
    if q:
        emails = emails.filter(Q(to_address__icontains=q) | Q(subject__icontains=q) | Q(reference__icontains=q))
    page = Paginator(emails.order_by("-created_at"), 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "outbox/list.html", {"page": page, "q": q})


@requires(Permission.OUTBOX_VIEW)
@require_GET
def outbox_detail(request, pk):
    email = get_object_or_404(OutboundEmail, pk=pk)
    return TemplateResponse(request, "outbox/detail.html", {"email": email})
