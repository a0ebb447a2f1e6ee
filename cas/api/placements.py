"""Placement API: bedspace search, why a bedspace is not available, bookings and every action on
them, their history and incidents.

Search needs `placements.search` (assessors: their region; national assessors: any); reading
bookings needs `placements.bookings.view` (assessors: their region; reporters: all); every write
needs `placements.bookings.manage` and goes through the same services as the pages, so the rules,
the region check and the audit are the same here.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from cas.api import placement_serializers as s
from cas.api.errors import ProblemSerializer
from cas.api.idempotency import idempotent
from cas.api.routing import api
from cas.core import clock
from cas.core.permissions import Permission, check, has_permission
from cas.people import services as people
from cas.placements import access, queries, search, services
from cas.placements.search import Criteria, Occupancy, SexNeed, SexualRisk
from cas.placements.services import OverstayDecision
from cas.premises import access as estate_access

TAG = ["Placements"]
PROBLEMS = {400: ProblemSerializer, 403: ProblemSerializer, 404: ProblemSerializer, 409: ProblemSerializer}


class PlacementView(GenericAPIView):
    permission = Permission.BOOKINGS_MANAGE

    def valid(self, serializer_class, data=None):
        serializer = serializer_class(data=self.request.data if data is None else data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def booking(self, pk, purpose: str):
        """The booking, its view audited with `purpose` (what the endpoint does with it)."""
        return access.open_booking(self.request.user, pk, purpose=f"API: {purpose}")

    def serialize(self, booking, many=False):
        """The booking(s) as `BookingSerializer`, with the actions the user may take on each."""
        can_manage = has_permission(self.request.user, Permission.BOOKINGS_MANAGE)
        return s.BookingSerializer(booking, many=many, context={"can_manage": can_manage}).data

    def respond(self, booking, status=200):
        """The booking the request has just changed or made, as it is now."""
        return Response(self.serialize(queries.current(booking)), status=status)


def _overstay(data) -> OverstayDecision | None:
    if data.get("overstay_authorised") is None:
        return None
    return OverstayDecision(data["overstay_authorised"], data.get("overstay_reason", ""))


class SearchView(PlacementView):
    permission = Permission.PLACEMENT_SEARCH

    @extend_schema(
        tags=TAG,
        summary="Find bedspaces free for a stay, grouped by property, with the other people booked there",
        request=s.SearchRequestSerializer,
        responses={200: s.SearchResultsSerializer, **PROBLEMS},
    )
    def post(self, request):
        data = self.valid(s.SearchRequestSerializer)
        criteria = Criteria(
            start_date=data["start_date"],
            nights=data["nights"],
            pdus=tuple(data["pdus"]),
            occupancy=Occupancy(data["occupancy"]),
            sex=SexNeed(data["sex"]),
            sexual_risk=frozenset(SexualRisk(v) for v in data["sexual_risk"]),
            arson=data["arson"],
            wheelchair=data["wheelchair"],
            step_free=data["step_free"],
            avoid_local_authorities=tuple(data["avoid_local_authorities"]),
            region=request.user.region if not data["pdus"] else None,
        )
        results = search.search(request.user, criteria)
        overlaps = [o for p in results.properties for o in p.overlaps]
        people.hide_limited_access(request.user, overlaps)
        return Response(s.search_results(results))


class AvailabilityView(PlacementView):
    permission = Permission.PLACEMENT_SEARCH

    @extend_schema(
        tags=TAG,
        summary="Why a bedspace is or is not available for a stay",
        parameters=[
            OpenApiParameter("start_date", str, description="YYYY-MM-DD, the first night (default today)"),
            OpenApiParameter("nights", int, description="Default 84"),
        ],
        responses={200: s.AvailabilitySerializer, **PROBLEMS},
    )
    def get(self, request, bedspace_pk):
        bedspace = access.open_bedspace_for_search(request.user, bedspace_pk)
        data = self.valid(s.AvailabilityQuerySerializer, request.query_params)
        criteria = Criteria(start_date=data.get("start_date") or clock.today(), nights=data["nights"], pdus=())
        reasons = [r for r in search.explain(bedspace, criteria, request.user) if r.kind != "pdu"]
        return Response(
            s.AvailabilitySerializer(
                {
                    "bedspace_id": bedspace.pk,
                    "start_date": criteria.start_date,
                    "nights": criteria.nights,
                    "available": not reasons,
                    "reasons": reasons,
                }
            ).data
        )


class BookingCreateView(PlacementView):
    @extend_schema(
        tags=TAG,
        summary="Book a bedspace provisionally (linked to a ready-to-place referral, or without one)",
        description="Refused with 409 `bedspace_taken` when the bedspace is no longer free for the stay and its "
        "turnaround.",
        operation_id="booking_create",
        request=s.BookingCreateSerializer,
        responses={201: s.BookingSerializer, **PROBLEMS},
    )
    @idempotent("booking.create")
    def post(self, request, bedspace_pk):
        bedspace = access.open_bedspace_for_search(request.user, bedspace_pk)
        data = self.valid(s.BookingCreateSerializer)
        referral = (
            access.open_ready_referral(
                request.user, data["referral_id"], purpose="API: book a bedspace for the referral"
            )
            if data.get("referral_id")
            else None
        )
        booking = services.create_booking(
            request.user,
            bedspace,
            crn=data["crn"],
            arrival_date=data["arrival_date"],
            departure_date=data["departure_date"],
            referral=referral,
            notes=data["notes"],
            sharing_acknowledged=data["sharing_acknowledged"],
        )
        return self.respond(booking, status=201)


class BookingListView(PlacementView):
    permission = Permission.BOOKINGS_VIEW
    serializer_class = s.BookingSerializer

    @extend_schema(
        tags=TAG,
        summary="Bookings by status (your region, or all for national roles)",
        parameters=[
            OpenApiParameter(
                "status", str, enum=[st.value for st in queries.LIST_STATUSES], description="Default provisional"
            ),
            OpenApiParameter("q", str, description="A CRN, or words of the name, property reference or postcode"),
            OpenApiParameter("sort", str, enum=list(queries.SORTS), description="Default arrival"),
        ],
        responses=s.BookingSerializer(many=True),
    )
    def get(self, request):
        params = request.query_params
        status = params.get("status") if params.get("status") in queries.LIST_STATUSES else "provisional"
        bookings = queries.booking_list(
            request.user, status=status, q=params.get("q", "")[:100], sort=params.get("sort", "arrival")
        )
        page = people.hide_limited_access(request.user, self.paginate_queryset(bookings))
        return self.get_paginated_response(self.serialize(page, many=True))


class BookingView(PlacementView):
    permission = Permission.BOOKINGS_VIEW

    @extend_schema(tags=TAG, summary="A booking", responses={200: s.BookingSerializer, 404: ProblemSerializer})
    def get(self, request, pk):
        return Response(self.serialize(self.booking(pk, "read the booking")))


class BookingHistoryView(PlacementView):
    permission = Permission.BOOKINGS_VIEW
    pagination_class = None  # served whole, as a plain array

    @extend_schema(
        tags=TAG,
        summary="A booking's history, newest first",
        responses={200: s.HistoryEntrySerializer(many=True), 404: ProblemSerializer},
    )
    def get(self, request, pk):
        return Response(
            s.HistoryEntrySerializer(queries.timeline(self.booking(pk, "read the booking's history")), many=True).data
        )


def _action(summary: str, request_serializer, do, description: str = ""):
    """A POST endpoint for one booking action: validate, call the service, answer the booking."""

    class ActionView(PlacementView):
        @extend_schema(
            tags=TAG,
            summary=summary,
            description=description,
            request=request_serializer,
            responses={200: s.BookingSerializer, **PROBLEMS},
        )
        @idempotent(f"booking.{request_serializer.__name__.removesuffix('Serializer').lower()}")
        def post(self, request, pk):
            booking = self.booking(pk, summary)
            data = self.valid(request_serializer)
            return self.respond(do(request.user, booking, data))

    ActionView.__name__ = ActionView.__qualname__ = f"{request_serializer.__name__.removesuffix('Serializer')}View"
    return ActionView


ConfirmationView = _action(
    "Confirm a provisional booking (archives its referral and emails the referrer)",
    s.VersionedSerializer,
    lambda user, b, d: services.confirm_booking(user, b, notes=d["notes"], version=d.get("version")),
)
ArrivalView = _action(
    "Record the person's arrival",
    s.ArrivalSerializer,
    lambda user, b, d: services.record_arrival(
        user,
        b,
        arrival_date=d["arrival_date"],
        expected_departure_date=d["expected_departure_date"],
        notes=d["notes"],
        overstay=_overstay(d),
        version=d.get("version"),
    ),
    "Past 84 nights, send `overstay_authorised` (400 `overstay_decision_needed` otherwise).",
)
ArrivalDateView = _action(
    "Change the arrival date: before arrival the expected date (today or later), after it the date the person "
    "arrived (at most 14 days back)",
    s.ArrivalDateSerializer,
    lambda user, b, d: services.change_arrival_date(
        user, b, arrival_date=d["arrival_date"], notes=d["notes"], version=d.get("version")
    ),
)
DepartureDateView = _action(
    "Extend or shorten the stay",
    s.DepartureDateSerializer,
    lambda user, b, d: services.change_departure_date(
        user, b, departure_date=d["departure_date"], notes=d["notes"], overstay=_overstay(d), version=d.get("version")
    ),
    "Past 84 nights, send `overstay_authorised` (400 `overstay_decision_needed` otherwise).",
)
DepartureView = _action(
    "Record the person's departure and move-on category (again: update the departure details)",
    s.DepartureSerializer,
    lambda user, b, d: services.record_departure(
        user,
        b,
        departure_date=d["departure_date"],
        reason=d["reason"],
        move_on_category=d["move_on_category"],
        destination_provider=d["destination_provider"],
        notes=d["notes"],
        overstay=_overstay(d),
        version=d.get("version"),
    ),
)
CancellationView = _action(
    "Cancel a booking (again: update the cancellation)",
    s.CancellationSerializer,
    lambda user, b, d: services.cancel_booking(
        user, b, cancelled_on=d["cancelled_on"], reason=d["reason"], notes=d["notes"], version=d.get("version")
    ),
)
NonArrivalView = _action(
    "Record that the person did not arrive",
    s.NonArrivalSerializer,
    lambda user, b, d: services.record_non_arrival(
        user, b, expected_on=d["expected_on"], reason=d["reason"], notes=d["notes"], version=d.get("version")
    ),
)
TurnaroundView = _action(
    "Change the turnaround after the stay",
    s.TurnaroundSerializer,
    lambda user, b, d: services.change_turnaround(
        user, b, working_days=d["working_days"], notes=d["notes"], version=d.get("version")
    ),
)


class BookingIncidentsView(PlacementView):
    permission = Permission.BOOKINGS_VIEW
    write_permission = Permission.BOOKINGS_MANAGE
    pagination_class = None  # served whole, as a plain array

    @extend_schema(tags=TAG, summary="Incidents during a booking", responses={200: s.IncidentSerializer(many=True)})
    def get(self, request, pk):
        return Response(
            s.IncidentSerializer(
                queries.incidents_for(booking=self.booking(pk, "read the booking's incidents")), many=True
            ).data
        )

    @extend_schema(
        tags=TAG,
        summary="Record an incident during a booking",
        request=s.IncidentCreateSerializer,
        responses={201: s.IncidentSerializer, **PROBLEMS},
    )
    @idempotent("incident.create")
    def post(self, request, pk):
        check(request.user, Permission.BOOKINGS_MANAGE)
        booking = self.booking(pk, "record an incident")
        data = self.valid(s.IncidentCreateSerializer)
        incident = services.record_incident(request.user, premises=booking.premises, booking=booking, **data)
        return Response(s.IncidentSerializer(incident).data, status=201)


class PremisesIncidentsView(PlacementView):
    permission = Permission.BOOKINGS_VIEW
    write_permission = Permission.BOOKINGS_MANAGE
    pagination_class = None  # served whole, as a plain array

    @extend_schema(tags=TAG, summary="Incidents at a property", responses={200: s.IncidentSerializer(many=True)})
    def get(self, request, pk):
        premises = estate_access.open_premises(request.user, pk)
        return Response(s.IncidentSerializer(queries.incidents_for(premises=premises), many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Record an incident at a property",
        request=s.IncidentCreateSerializer,
        responses={201: s.IncidentSerializer, **PROBLEMS},
    )
    @idempotent("incident.create")
    def post(self, request, pk):
        check(request.user, Permission.BOOKINGS_MANAGE)
        premises = estate_access.open_premises(request.user, pk)
        data = self.valid(s.IncidentCreateSerializer)
        incident = services.record_incident(request.user, premises=premises, **data)
        return Response(s.IncidentSerializer(incident).data, status=201)


B = "bookings/<uuid:pk>"
urlpatterns = [
    path("placements/search", api(SearchView.as_view()), name="placement-search"),
    path(
        "placements/bedspaces/<uuid:bedspace_pk>/availability",
        api(AvailabilityView.as_view()),
        name="bedspace-availability",
    ),
    path("placements/bedspaces/<uuid:bedspace_pk>/bookings", api(BookingCreateView.as_view()), name="booking-create"),
    path("bookings", api(BookingListView.as_view()), name="bookings"),
    path(B, api(BookingView.as_view()), name="booking"),
    path(f"{B}/history", api(BookingHistoryView.as_view()), name="booking-history"),
    path(f"{B}/confirmation", api(ConfirmationView.as_view()), name="booking-confirmation"),
    path(f"{B}/arrival", api(ArrivalView.as_view()), name="booking-arrival"),
    path(f"{B}/arrival-date", api(ArrivalDateView.as_view()), name="booking-arrival-date"),
    path(f"{B}/departure-date", api(DepartureDateView.as_view()), name="booking-departure-date"),
    path(f"{B}/departure", api(DepartureView.as_view()), name="booking-departure"),
    path(f"{B}/cancellation", api(CancellationView.as_view()), name="booking-cancellation"),
    path(f"{B}/non-arrival", api(NonArrivalView.as_view()), name="booking-non-arrival"),
    path(f"{B}/turnaround", api(TurnaroundView.as_view()), name="booking-turnaround"),
    path(f"{B}/incidents", api(BookingIncidentsView.as_view()), name="booking-incidents"),
    path("properties/<uuid:pk>/incidents", api(PremisesIncidentsView.as_view()), name="premises-incidents"),
]
