from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from cas.core.concurrency import StaleEdit
from cas.core.errors import DomainError
from cas.core.permissions import Permission, has_permission
from cas.reference import services as reference
from cas.reference.lists import REFERENCE_LISTS
from cas.reference.models import LocalAuthorityArea, ProbationRegion
from cas.web.decorators import requires
from cas.web.form_errors import add_domain_error
from cas.web.forms.reference import ReferenceEntryForm
from cas.web.stale import form_with_current_values


@requires(Permission.REFERENCE_VIEW)
@require_GET
def reference_index(request):
    lists = [
        {
            "slug": rl.slug,
            "title": rl.title,
            "description": rl.description,
            "count": rl.model.objects.count(),
            "active": rl.model.objects.active().count(),
        }
        for rl in REFERENCE_LISTS.values()
    ]
    return TemplateResponse(request, "reference/index.html", {"lists": lists})


@requires(Permission.REFERENCE_VIEW)
@require_GET
def reference_list(request, slug: str):
    rl = REFERENCE_LISTS.get(slug)
    if rl is None:
        raise Http404
    entries = rl.model.objects.all()
    service = request.GET.get("service", "")
    if service in {"cas1", "cas2", "cas3"}:
        entries = entries.for_service(service)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        entries = entries.filter(name__icontains=q)
    page = Paginator(entries.order_by("-is_active", "sort_order", "name"), 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "reference/list.html",
        {
            "list": rl,
            "page": page,
            "q": q,
            "service": service,
            "can_edit": has_permission(request.user, Permission.REFERENCE_MANAGE),
        },
    )


@requires(Permission.REFERENCE_MANAGE)
@require_http_methods(["GET", "POST"])
def reference_edit(request, slug: str, pk: int):
    rl = REFERENCE_LISTS.get(slug)
    if rl is None:
        raise Http404
    entry = get_object_or_404(rl.model, pk=pk)
    initial = _entry_initial(entry)
    form = ReferenceEntryForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reference.update_entry(request.user, entry, **form.cleaned_data)
        except StaleEdit as exc:
            entry = rl.model.objects.get(pk=pk)
            form = form_with_current_values(ReferenceEntryForm, _entry_initial(entry), exc.message)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"‘{form.cleaned_data['name']}’ saved")
            return redirect("web:reference-list", slug=slug)
    return TemplateResponse(request, "reference/edit.html", {"list": rl, "entry": entry, "form": form})


def _entry_initial(entry) -> dict:
    return {
        "name": entry.name,
        "services": entry.service_list,
        "is_active": "yes" if entry.is_active else "no",
        "sort_order": entry.sort_order,
        "version": entry.version,
    }


@requires(Permission.REFERENCE_VIEW)
@require_GET
def regions(request):
    regions = ProbationRegion.objects.annotate(pdu_count=Count("pdus")).prefetch_related("pdus")
    return TemplateResponse(request, "reference/regions.html", {"regions": regions})


@requires(Permission.REFERENCE_VIEW)
@require_GET
def local_authorities(request):
    q = request.GET.get("q", "").strip()[:100]
    areas = LocalAuthorityArea.objects.all()
    if q:
        areas = areas.filter(Q(name__icontains=q) | Q(identifier__icontains=q))
    page = Paginator(areas.order_by("-is_active", "name"), 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "reference/local_authorities.html", {"page": page, "q": q})
