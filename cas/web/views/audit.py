import datetime as dt

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cas.core import audit_actions
from cas.core.models import AuditEvent
from cas.core.permissions import Permission
from cas.people import services as people
from cas.web.decorators import requires
from cas.web.forms.audit import AuditSearchForm


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@requires(Permission.AUDIT_VIEW)
@require_GET
def audit_list(request):
    form = AuditSearchForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor_username__iexact=data["actor"].strip())
        if data["crn"]:
            events = events.filter(crn=data["crn"].strip().upper())
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["action"]:
            events = events.filter(action__icontains=data["action"].strip())
        if data["date_from"]:
            events = events.filter(occurred_at__gte=_start_of(data["date_from"]))
        if data["date_to"]:
            events = events.filter(occurred_at__lt=_start_of(data["date_to"] + dt.timedelta(days=1)))
    elif form.is_bound:
        events = events.none()
    page = Paginator(events.order_by("-occurred_at", "-id"), 50).get_page(request.GET.get("page"))
    page.object_list = people.hide_limited_access(request.user, page.object_list)
    for event in page.object_list:
        if event.limited_access:
            # What was seen or changed can name the person too.
            event.detail, event.before, event.after = "", None, None
    # The registry, not the database: every action the audit can hold is listed with what it means,
    # and each row shows its action's description (empty for an action no longer declared).
    actions = audit_actions.every_action()
    descriptions = {action.name: action.description for action in actions}
    return TemplateResponse(
        request,
        "admin_area/audit_list.html",
        {"form": form, "page": page, "actions": actions, "descriptions": descriptions},
    )
