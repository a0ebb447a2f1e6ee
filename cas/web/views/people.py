from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from cas.core.permissions import Permission
from cas.people import services as people
from cas.people.ports import UpstreamUnavailable
from cas.web.decorators import requires
from cas.web.forms.people import PersonSearchForm


@requires(Permission.PERSON_VIEW)
@require_GET
def person_search(request):
    form = PersonSearchForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("web:person-detail", crn=form.cleaned_data["crn"])
    return TemplateResponse(request, "people/search.html", {"form": form})


@requires(Permission.PERSON_VIEW)
@require_GET
def person_detail(request, crn: str):
    form = PersonSearchForm({"crn": crn})
    try:
        record = people.view_person(request.user, crn)
    except people.PersonUnknown as exc:
        form.is_valid()
        form.add_error("crn", exc.message)
        return TemplateResponse(request, "people/search.html", {"form": form}, status=404)
    except people.PersonRestricted as exc:
        return TemplateResponse(request, "people/restricted.html", {"message": exc.message, "crn": crn}, status=403)
    except UpstreamUnavailable as exc:
        form.is_valid()
        form.add_error("crn", str(exc))
        return TemplateResponse(request, "people/search.html", {"form": form}, status=503)
    return TemplateResponse(request, "people/detail.html", {"record": record, "person": record.person})
