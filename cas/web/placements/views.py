"""Placement pages: find a bedspace, book it, and record every step of the stay. Thin: forms check
input, services decide, queries read. Every page works without JavaScript; searches are GET forms,
so the search stays in hand (in the URL) through booking and any refusal."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cas.core import clock, tiers
from cas.core.concurrency import StaleEdit
from cas.core.dates import long_date
from cas.core.errors import DomainError
from cas.core.permissions import Permission, can_access_region, has_permission, may_reach_service
from cas.people import services as people
from cas.placements import access, lifecycle, queries, search, services, sharing
from cas.placements.lifecycle import Action
from cas.placements.models import Booking
from cas.placements.search import Criteria, Occupancy, SexNeed, SexualRisk
from cas.placements.status import STATUS_COLOURS, BookingStatus
from cas.premises import access as estate_access
from cas.premises.models import Bedspace
from cas.referrals.cas3.tier import MAX_NIGHTS
from cas.web.decorators import requires
from cas.web.form_errors import add_domain_error
from cas.web.idempotency import redirect_once
from cas.web.placements import forms as f

S = BookingStatus
PAGE_SIZE = 20
SEARCH_PARAMS = (
    "start_date-day",
    "start_date-month",
    "start_date-year",
    "nights",
    "pdus",
    "occupancy",
    "sex",
    "sexual_risk",
    "arson",
    "access",
    "avoid",
    "referral",
)


def _bound(request):
    return request.POST if request.method == "POST" else None


def _search_query(params: QueryDict) -> str:
    """The search part of a query string, carried from the results to booking and back."""
    kept = QueryDict(mutable=True)
    for key in SEARCH_PARAMS:
        values = params.getlist(key)
        if values:
            kept.setlist(key, values)
    return kept.urlencode()


def _tag(booking: Booking, day=None) -> tuple[str, str]:
    status = booking.status_on(day or clock.today())
    return status.label, STATUS_COLOURS[status]


# Starting points: ready-to-place referrals and the search ----------------------------------------


@requires(Permission.PLACEMENT_SEARCH)
@require_GET
def placement_home(request):
    referrals = people.hide_limited_access(request.user, queries.ready_to_place(request.user)[:200])
    return TemplateResponse(request, "placements/home.html", {"referrals": referrals})


def _referral_initial(referral, user) -> dict:
    today = clock.today()
    start = referral.accommodation_required_from or referral.release_date or today
    initial = {"start_date": max(start, today), "nights": MAX_NIGHTS, "referral": referral.pk}
    if referral.pdu_id:
        initial["pdus"] = [referral.pdu_id]
    if referral.is_able_to_share is False:
        initial["occupancy"] = Occupancy.SINGLE
    if referral.sex == "Female":
        initial["sex"] = SexNeed.WOMEN
    elif referral.sex == "Male":
        initial["sex"] = SexNeed.MEN
    if (
        referral.is_registered_sex_offender
        or referral.has_history_of_sexual_offence
        or referral.has_concerning_sexual_behaviour
    ):
        initial["sexual_risk"] = [SexualRisk.ADULTS, SexualRisk.CHILDREN]
    if referral.has_history_of_arson or referral.has_concerning_arson_behaviour:
        initial["arson"] = True
    if referral.needs_accessible_property:
        initial["access"] = ["wheelchair"]
    return initial


def _criteria(data: dict, region=None) -> Criteria:
    """The search criteria from a valid search form; no PDUs ticked searches all of `region`."""
    access = set(data.get("access") or ())
    return Criteria(
        start_date=data["start_date"],
        nights=data["nights"],
        pdus=tuple(data["pdus"]),
        occupancy=Occupancy(data.get("occupancy") or Occupancy.ALL),
        sex=SexNeed(data.get("sex") or SexNeed.NONE),
        sexual_risk=frozenset(SexualRisk(v) for v in data.get("sexual_risk") or ()),
        arson=bool(data.get("arson")),
        wheelchair="wheelchair" in access,
        step_free="step_free" in access,
        avoid_local_authorities=tuple(data.get("avoid") or ()),
        region=region if not data.get("pdus") else None,
    )


def _where(criteria: Criteria, whole_region) -> str:
    """Where the search looked, in words, for its summary."""
    if whole_region is not None:
        count = len(criteria.pdus)
        return f"All {count} PDU{'' if count == 1 else 's'} in {whole_region.name}"
    return ", ".join(p.name for p in criteria.pdus)


def _referral_from(request, value, purpose: str):
    """The ready-to-place referral the search or booking is for; a restricted person is refused as
    on the booking page."""
    if not value:
        return None
    try:
        return access.open_ready_referral(request.user, value, purpose=purpose)
    except people.PersonRestricted as exc:
        raise PermissionDenied(exc.message) from None


@requires(Permission.PLACEMENT_SEARCH)
@require_GET
def placement_search(request):
    """The search form and, once submitted, the results grouped by property."""
    submitted = any(key in request.GET for key in ("start_date-day", "nights", "pdus"))
    referral = _referral_from(request, request.GET.get("referral"), "web: search for a bedspace for the referral")
    initial = (
        _referral_initial(referral, request.user)
        if referral
        else {"nights": MAX_NIGHTS, "occupancy": "all", "sex": "none"}
    )
    if not referral and request.user.region_id and not submitted:
        initial["start_date"] = clock.today()
    form = f.SearchForm(request.GET if submitted else None, user=request.user, initial=initial)
    results = unavailable = summary = None
    if submitted and form.is_valid():
        try:
            criteria = _criteria(form.cleaned_data, form.region)
            results = search.search(request.user, criteria)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            criteria = results.criteria
            summary = {
                "where": _where(criteria, None if form.cleaned_data["pdus"] else form.region),
                "filters": form.chosen_filters(),
            }
            found = {b.pk for p in results.properties for b in p.bedspaces}
            overlaps = [o for p in results.properties for o in p.overlaps]
            people.hide_limited_access(request.user, overlaps)
            unavailable = list(
                Bedspace.objects.filter(premises__pdu__in=criteria.pdus, premises__service="cas3")
                .exclude(pk__in=found)
                .select_related("premises")
                .order_by("premises__reference", "reference")[:200]
            )
    return TemplateResponse(
        request,
        "placements/search.html",
        {
            "form": form,
            "referral": referral,
            "results": results,
            "summary": summary,
            "unavailable": unavailable,
            "query": _search_query(request.GET),
            "submitted": submitted,
            "not_suitable_to_share": sharing.not_suitable_to_share(referral),
        },
    )


# Why is a bedspace not available? -----------------------------------------------------------------


@requires(Permission.PLACEMENT_SEARCH)
@require_GET
def bedspace_availability(request, bedspace_pk):
    bedspace = access.open_bedspace_for_search(request.user, bedspace_pk)
    has_dates = "start_date-day" in request.GET or "nights" in request.GET
    form = f.AvailabilityForm(
        request.GET if has_dates else None, initial={"start_date": clock.today(), "nights": MAX_NIGHTS}
    )
    reasons = criteria = None
    search_form = f.SearchForm(request.GET, user=request.user)
    if has_dates and form.is_valid():
        data = {"start_date": form.cleaned_data["start_date"], "nights": form.cleaned_data["nights"], "pdus": []}
        # The search's filters, when the page was opened from its results (a search of the whole
        # region sends no PDUs, but always its occupancy choice).
        if ("pdus" in request.GET or "occupancy" in request.GET) and search_form.is_valid():
            data = {**search_form.cleaned_data, **data, "pdus": search_form.cleaned_data["pdus"]}
        criteria = _criteria(data)
        try:
            reasons = search.explain(bedspace, criteria, request.user)
        except DomainError as exc:
            add_domain_error(form, exc, "start_date")
            criteria = None
    return TemplateResponse(
        request,
        "placements/availability.html",
        {
            "bedspace": bedspace,
            "premises": bedspace.premises,
            "form": form,
            "reasons": reasons,
            "criteria": criteria,
            "query": _search_query(request.GET),
            "can_book": has_permission(request.user, Permission.BOOKINGS_MANAGE),
        },
    )


# Booking ----------------------------------------------------------------------------------------------


@requires(Permission.BOOKINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def booking_create(request, bedspace_pk):
    """Book a bedspace: who and when, then confirm the person and the referral, then book."""
    bedspace = access.open_bedspace_for_search(request.user, bedspace_pk)
    premises = bedspace.premises
    params = request.POST if request.method == "POST" else request.GET
    query = _search_query(params)
    referral = _referral_from(request, params.get("referral"), "web: book a bedspace for the referral")
    initial = {}
    start = f.AvailabilityForm(request.GET) if request.method == "GET" else None
    if start is not None and start.is_valid():
        initial["arrival_date"] = start.cleaned_data["start_date"]
        initial["departure_date"] = start.cleaned_data["start_date"] + dt.timedelta(days=start.cleaned_data["nights"])
    if referral:
        initial["crn"] = referral.crn
    form = f.BookingForm(_bound(request), initial=initial)
    back = f"{reverse('web:placement-search')}?{query}" if query else reverse("web:placement-search")
    context = {
        "form": form,
        "bedspace": bedspace,
        "premises": premises,
        "query": query,
        "back": back,
        "referral": referral,
    }
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, "placements/booking_form.html", context)
    data = form.cleaned_data
    crn = people.normalise_crn(data["crn"])
    try:
        record = people.view_person(request.user, crn, purpose="booking a bedspace", with_risk=False, with_prison=False)
    except DomainError as exc:
        add_domain_error(form, exc, "crn")
        return TemplateResponse(request, "placements/booking_form.html", context)
    referrals = list(queries.ready_to_place(request.user, crn=crn))
    confirm = f.BookingConfirmForm(
        request.POST if "confirm" in request.POST else None,
        referrals=referrals,
        initial={
            "link_referral": str(referral.pk)
            if referral and referral.crn == crn
            else (str(referrals[0].pk) if referrals else "none")
        },
    )
    context.update(
        {
            "person": record.person,
            "confirm": confirm,
            "crn": crn,
            "data": data,
            "referrals": referrals,
            # A referral saying the person is not suitable to share, for a shared property: warn and ask.
            "sharing": next((r for r in referrals if sharing.needs_acknowledgement(r, premises)), None),
        }
    )
    if "confirm" in request.POST and confirm.is_valid():
        chosen = confirm.cleaned_data["link_referral"]
        linked = next((r for r in referrals if str(r.pk) == chosen), None)

        def book():
            booking = services.create_booking(
                request.user,
                bedspace,
                crn=crn,
                arrival_date=data["arrival_date"],
                departure_date=data["departure_date"],
                referral=linked,
                notes=confirm.cleaned_data["notes"],
                sharing_acknowledged=confirm.cleaned_data["sharing_acknowledged"],
            )
            return (
                reverse("web:booking-detail", args=[booking.pk]),
                f"Bedspace booked for {booking.person_name}. The booking is provisional until confirmed",
            )

        try:
            return redirect_once(request, "booking.create", book)
        except services.BedspaceTaken as exc:
            context["taken"] = exc.message
            return TemplateResponse(request, "placements/booking_taken.html", context, status=409)
        except DomainError as exc:
            if exc.field in form.fields:
                add_domain_error(form, exc)
                return TemplateResponse(request, "placements/booking_form.html", context)
            add_domain_error(confirm, exc, "link_referral")
    return TemplateResponse(request, "placements/booking_confirm.html", context)


# Bookings list and page ---------------------------------------------------------------------------------


@requires(Permission.BOOKINGS_VIEW)
@require_GET
def booking_list(request):
    status = request.GET.get("status") or S.PROVISIONAL
    if status not in queries.LIST_STATUSES:
        status = S.PROVISIONAL
    search_form = f.BookingSearchForm(request.GET or None)
    q = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    premises = None
    if request.GET.get("premises"):
        premises = estate_access.open_premises(request.user, request.GET["premises"])
    sort = request.GET.get("sort", "arrival")
    bookings = queries.booking_list(request.user, status=status, q=q or "", sort=sort, premises=premises)
    page = Paginator(bookings, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = people.hide_limited_access(request.user, page.object_list)
    counts = queries.status_counts(request.user, q=q or "", premises=premises)
    base = {"q": q} if q else {}
    if premises:
        base["premises"] = str(premises.pk)
    tabs = [
        {
            "text": f"{S(s).label} ({counts[s]})",
            "href": f"{reverse('web:booking-list')}?{urlencode({**base, 'status': s})}",
            "active": s == status,
        }
        for s in queries.LIST_STATUSES
    ]
    return TemplateResponse(
        request,
        "placements/booking_list.html",
        {
            "page": page,
            "tabs": tabs,
            "status": S(status),
            "search": search_form,
            "q": q,
            "premises": premises,
            "sort": sort,
            "colours": STATUS_COLOURS,
            "today": clock.today(),
        },
    )


# The booking page's link for each action the lifecycle allows: text, page, button classes.
ACTION_LINKS = {
    Action.CONFIRM: ("Mark as confirmed", "web:booking-confirm", ""),
    Action.ARRIVE: ("Mark as arrived", "web:booking-arrival", ""),
    Action.CHANGE_DEPARTURE_DATE: ("Extend or shorten", "web:booking-departure-date", "govuk-button--secondary"),
    Action.DEPART: ("Mark as departed", "web:booking-departure", ""),
    Action.CHANGE_ARRIVAL_DATE: ("Change arrival date", "web:booking-arrival-date", "govuk-button--secondary"),
    Action.UPDATE_DEPARTURE: ("Update departure details", "web:booking-departure", "govuk-button--secondary"),
    Action.RECORD_NON_ARRIVAL: ("Record non-arrival", "web:booking-non-arrival", "govuk-button--secondary"),
    Action.CANCEL: ("Cancel booking", "web:booking-cancel", "govuk-button--warning"),
    Action.UPDATE_CANCELLATION: ("Update cancelled booking", "web:booking-cancel", "govuk-button--secondary"),
    Action.CHANGE_TURNAROUND: ("Change turnaround", "web:booking-turnaround", "govuk-button--secondary"),
    Action.RECORD_INCIDENT: ("Record an incident", "web:booking-incident", "govuk-button--secondary"),
}


def _actions(booking: Booking, can_manage: bool) -> list[dict]:
    if not can_manage:
        return []
    return [
        {"text": text, "href": reverse(name, args=[booking.pk]), "classes": classes}
        for action in lifecycle.allowed_actions(booking.current_status)
        for text, name, classes in (ACTION_LINKS[action],)
    ]


@requires(Permission.BOOKINGS_VIEW)
@require_GET
def booking_detail(request, pk):
    booking = _get(request, pk, "read the booking")
    can_manage = has_permission(request.user, Permission.BOOKINGS_MANAGE)
    incidents = queries.incidents_for(booking=booking)
    return TemplateResponse(
        request,
        "placements/booking_detail.html",
        {
            "booking": booking,
            "premises": booking.premises,
            "tag": _tag(booking),
            "actions": _actions(booking, can_manage),
            "timeline": queries.timeline(booking, incidents),
            "incidents": incidents,
            "today": clock.today(),
            "max_nights": MAX_NIGHTS,
            "referral_href": _referral_href(request.user, booking),
        },
    )


def _referral_href(user, booking: Booking) -> str | None:
    """The booking's referral page (its tier names it), for a user who may read that referral."""
    referral, read = booking.referral, Permission.REFERRAL_READ
    if referral is None or not (
        has_permission(user, read)
        and may_reach_service(user, read, referral.service)
        and can_access_region(user, referral.region_id)
    ):
        return None
    return tiers.get(referral.service).page_path("referral_for_assessor", referral.pk)


# Actions ---------------------------------------------------------------------------------------------


ACTIONS = {
    "confirm": (
        "Mark the booking as confirmed",
        "Confirm booking",
        "The person has accepted the offer of this bedspace.",
    ),
    "arrival": (
        "Mark the person as arrived",
        "Save arrival",
        "Record the day the person arrived and when they are expected to leave. If they arrived earlier than "
        "booked, enter the day they arrived.",
    ),
    "arrival-date": (
        "Change the arrival date",
        "Save arrival date",
        "Correct the date the person arrived, up to 14 days ago.",
    ),
    "arrival-date-expected": (
        "Change the arrival date",
        "Save arrival date",
        "Change the date the person is expected to arrive, for example when they are released earlier or later. "
        "The bedspace must be free from the new date.",
    ),
    "departure-date": (
        "Extend or shorten the booking",
        "Save departure date",
        "Change the date the person is expected to leave.",
    ),
    "departure": (
        "Mark the person as departed",
        "Save departure",
        "Record when and why the person left, and where they moved on to.",
    ),
    "departure-update": (
        "Update departure details",
        "Save departure details",
        "Correct the departure date, reason or move-on category.",
    ),
    "cancel": (
        "Cancel this booking",
        "Cancel booking",
        "Cancelling frees the bedspace. A confirmed booking's referral goes back to ready to place.",
    ),
    "cancel-update": (
        "Update the cancelled booking",
        "Save cancellation",
        "Correct the cancellation date, reason or notes.",
    ),
    "non-arrival": (
        "Record that the person did not arrive",
        "Save non-arrival",
        "This frees the bedspace and puts the referral back to ready to place.",
    ),
    "turnaround": (
        "Change the turnaround",
        "Save turnaround",
        "The working days the bedspace needs after the person leaves.",
    ),
}


def _action_page(request, booking, key: str, form, do, *, success: str, overstay: bool = False):
    title, button, intro = ACTIONS[key]
    context = {
        "booking": booking,
        "form": form,
        "title": title,
        "button_text": button,
        "intro": intro,
        "overstay": None,
    }
    if overstay and request.method == "POST" and form.data.get("overstay_asked"):
        context["overstay"] = True
    if request.method == "POST" and form.is_valid():
        try:

            def act():
                do(form.cleaned_data)
                return reverse("web:booking-detail", args=[booking.pk]), success

            return redirect_once(request, f"booking.{key}", act)
        except StaleEdit as exc:
            form.add_error(None, exc.message)
            form.data = form.data.copy()
            form.data["version"] = str(Booking.objects.get(pk=booking.pk).version)
        except services.OverstayDecisionNeeded as exc:
            form.data = form.data.copy()
            form.data["overstay_asked"] = "on"
            context["overstay"] = exc
        except DomainError as exc:
            add_domain_error(form, exc)
    return TemplateResponse(request, "placements/action.html", context)


def _get(request, pk, purpose: str) -> Booking:
    """The booking, its view audited with the page's `purpose`; a restricted person is a 403 page."""
    try:
        return access.open_booking(request.user, pk, purpose=f"web: {purpose}")
    except people.PersonRestricted as exc:
        raise PermissionDenied(exc.message) from None


def _initial(booking: Booking, **more) -> dict:
    return {"version": booking.version, **more}


@requires(Permission.BOOKINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def booking_confirm(request, pk):
    booking = _get(request, pk, "mark as confirmed")
    form = f.NotesForm(_bound(request), initial=_initial(booking))
    return _action_page(
        request,
        booking,
        "confirm",
        form,
        lambda d: services.confirm_booking(request.user, booking, notes=d["notes"], version=d["version"]),
        success="Booking confirmed. We have emailed the referrer the address",
    )


@requires(Permission.BOOKINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def booking_arrival(request, pk):
    booking = _get(request, pk, "mark as arrived")
    form = f.ArrivalForm(
        _bound(request),
        initial=_initial(
            booking,
            arrival_date=min(booking.arrival_date, clock.today()),
            expected_departure_date=booking.departure_date,
        ),
    )
    return _action_page(
        request,
        booking,
        "arrival",
        form,
        lambda d: services.record_arrival(
            request.user,
            booking,
            arrival_date=d["arrival_date"],
            expected_departure_date=d["expected_departure_date"],
            notes=d["notes"],
            overstay=form.decision(),
            version=d["version"],
        ),
        success="Arrival recorded. You no longer need to update NDelius with this change",
        overstay=True,
    )


@requires(Permission.BOOKINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def booking_arrival_date(request, pk):
    booking = _get(request, pk, "change the arrival date")
    # Before the person arrives the date they are expected moves; after, the date they arrived is corrected.
    expected = booking.status != S.ARRIVED
    form = f.ArrivalDateForm(
        _bound(request), initial=_initial(booking, arrival_date=booking.arrival_date), expected=expected
    )
    return _action_page(
        request,
        booking,
        "arrival-date-expected" if expected else "arrival-date",
        form,
        lambda d: services.change_arrival_date(
            request.user, booking, arrival_date=d["arrival_date"], notes=d["notes"], version=d["version"]
        ),
        success="Arrival date changed"
        + (". We have emailed the referrer" if expected and booking.status == S.CONFIRMED else "")
        + ". You no longer need to update NDelius with this change",
    )


@requires(Permission.BOOKINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def booking_departure_date(request, pk):
    booking = _get(request, pk, "extend or shorten")
    form = f.DepartureDateForm(_bound(request), initial=_initial(booking, departure_date=booking.departure_date))
    return _action_page(
        request,
        booking,
        "departure-date",
        form,
        lambda d: services.change_departure_date(
            request.user,
            booking,
            departure_date=d["departure_date"],
            notes=d["notes"],
            overstay=form.decision(),
            version=d["version"],
        ),
        success="Departure date changed",
        overstay=True,
    )


@requires(Permission.BOOKINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def booking_departure(request, pk):
    booking = _get(request, pk, "mark as departed")
    updating = lifecycle.allows(booking, Action.UPDATE_DEPARTURE)
    initial = _initial(booking, departure_date=min(booking.departure_date, clock.today()))
    current = {}
    if updating:
        initial.update(
            reason=booking.departure_reason_id,
            move_on_category=booking.move_on_category_id,
        )
        latest = booking.departures.order_by("-created_at").first()
        if latest:
            initial["destination_provider"] = latest.destination_provider_id
            current = {
                "reason": latest.reason_id,
                "move_on_category": latest.move_on_category_id,
                "destination_provider": latest.destination_provider_id,
            }
    form = f.DepartureForm(_bound(request), initial=initial, current=current)
    return _action_page(
        request,
        booking,
        "departure-update" if updating else "departure",
        form,
        lambda d: services.record_departure(
            request.user,
            booking,
            departure_date=d["departure_date"],
            reason=d["reason"],
            move_on_category=d["move_on_category"],
            destination_provider=d["destination_provider"],
            notes=d["notes"],
            overstay=form.decision(),
            version=d["version"],
        ),
        success=("Departure details updated" if updating else "Departure recorded")
        + ". You no longer need to update NDelius with this change",
        overstay=True,
    )


@requires(Permission.BOOKINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def booking_cancel(request, pk):
    booking = _get(request, pk, "cancel")
    updating = lifecycle.allows(booking, Action.UPDATE_CANCELLATION)
    initial = _initial(booking, cancelled_on=booking.cancelled_on or clock.today())
    if updating:
        initial["reason"] = booking.cancellation_reason_id
    form = f.CancelForm(
        _bound(request), initial=initial, current_reason_id=booking.cancellation_reason_id if updating else None
    )
    return _action_page(
        request,
        booking,
        "cancel-update" if updating else "cancel",
        form,
        lambda d: services.cancel_booking(
            request.user,
            booking,
            cancelled_on=d["cancelled_on"],
            reason=d["reason"],
            notes=d["notes"],
            version=d["version"],
        ),
        success="Cancelled booking updated" if updating else "Booking cancelled. We have emailed the referrer",
    )


@requires(Permission.BOOKINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def booking_non_arrival(request, pk):
    booking = _get(request, pk, "record non-arrival")
    form = f.NonArrivalForm(_bound(request), initial=_initial(booking, expected_on=booking.arrival_date))
    return _action_page(
        request,
        booking,
        "non-arrival",
        form,
        lambda d: services.record_non_arrival(
            request.user,
            booking,
            expected_on=d["expected_on"],
            reason=d["reason"],
            notes=d["notes"],
            version=d["version"],
        ),
        success="Non-arrival recorded. The bedspace is free again",
    )


@requires(Permission.BOOKINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def booking_turnaround(request, pk):
    booking = _get(request, pk, "change the turnaround")
    form = f.TurnaroundForm(_bound(request), initial=_initial(booking, working_days=booking.turnaround_working_days))
    return _action_page(
        request,
        booking,
        "turnaround",
        form,
        lambda d: services.change_turnaround(
            request.user, booking, working_days=d["working_days"], notes=d["notes"], version=d["version"]
        ),
        success="Turnaround changed",
    )


# Incidents -------------------------------------------------------------------------------------------


def _incident_page(request, *, premises, booking, back):
    form = f.IncidentForm(_bound(request), initial={"occurred_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def record():
            services.record_incident(
                request.user,
                premises=premises,
                booking=booking,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                details=data["details"],
            )
            return back, "Incident recorded"

        try:
            return redirect_once(request, "booking.incident" if booking else "premises.incident", record)
        except DomainError as exc:
            add_domain_error(form, exc)
    return TemplateResponse(
        request, "placements/incident_form.html", {"form": form, "premises": premises, "booking": booking, "back": back}
    )


@requires(Permission.BOOKINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def booking_incident(request, pk):
    booking = _get(request, pk, "record an incident")
    return _incident_page(
        request, premises=booking.premises, booking=booking, back=reverse("web:booking-detail", args=[booking.pk])
    )


@requires(Permission.BOOKINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def premises_incident(request, pk):
    premises = estate_access.open_premises(request.user, pk)
    return _incident_page(request, premises=premises, booking=None, back=reverse("web:premises-incidents", args=[pk]))


@requires(Permission.BOOKINGS_VIEW)
@require_GET
def premises_incidents(request, pk):
    premises = estate_access.open_premises(request.user, pk)
    return TemplateResponse(
        request,
        "placements/incident_list.html",
        {
            "premises": premises,
            "incidents": people.hide_limited_access(
                request.user, queries.incidents_for(premises=premises), person=lambda i: i.booking
            ),
            "can_manage": has_permission(request.user, Permission.BOOKINGS_MANAGE),
            "long_date": long_date,
        },
    )
