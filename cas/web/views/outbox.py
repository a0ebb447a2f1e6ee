from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from cas.core.permissions import Permission
from cas.events.models import OutboundEmail
from cas.people import access
from cas.people import services as people
from cas.web.decorators import requires


def _hide_people(user, emails):
    """An email about a person the reader may not see shows neither its subject nor its message."""
    emails = list(emails)
    limited = people.limited_access_crns(user, {e.crn for e in emails})
    for email in emails:
        email.limited_access = email.crn in limited
        if email.limited_access:
            email.subject, email.body, email.personalisation = people.LIMITED_ACCESS, "", {}
    return emails


@requires(Permission.OUTBOX_VIEW)
@require_GET
def outbox_list(request):
    q = request.GET.get("q", "").strip()[:200]
    emails = OutboundEmail.objects.all()
    if q:
        # The subject names the person: only emails about people the reader may see are found by it.
        emails = emails.filter(
            Q(to_address__icontains=q)
            | (Q(subject__icontains=q) & access.visible_q(request.user))
            | Q(reference__icontains=q)
        )
    page = Paginator(emails.order_by("-created_at"), 50).get_page(request.GET.get("page"))
    page.object_list = _hide_people(request.user, page.object_list)
    return TemplateResponse(request, "outbox/list.html", {"page": page, "q": q})


@requires(Permission.OUTBOX_VIEW)
@require_GET
def outbox_detail(request, pk):
    [email] = _hide_people(request.user, [get_object_or_404(OutboundEmail, pk=pk)])
    return TemplateResponse(request, "outbox/detail.html", {"email": email})
