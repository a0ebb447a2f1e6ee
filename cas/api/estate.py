"""Estate API: properties, bedspaces, void periods, archive schedules and the occupancy calendar.

Reads need `estate.view` (assessors for their region, reporters everywhere); writes need
`estate.manage` and go through the same services as the pages, so the region rule and every date
rule is the same here. Properties, bedspaces and void periods are read with their `version`; a
change that sends it back is refused with 409 `stale` when someone else changed the record since.
"""

import datetime as dt

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from cas.api import estate_serializers as s
from cas.api.errors import ProblemSerializer, problem_response
from cas.api.routing import api
from cas.core import clock
from cas.core.permissions import Permission, check
from cas.premises import access, queries, services
from cas.premises.calendar import build_calendar

TAG = ["Estate"]
PROBLEMS = {400: ProblemSerializer, 403: ProblemSerializer, 404: ProblemSerializer, 409: ProblemSerializer}


class EstateView(GenericAPIView):
    """Reading needs `permission`; anything else also needs `write_permission`."""

    permission = Permission.ESTATE_VIEW
    write_permission = Permission.ESTATE_MANAGE

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in SAFE_METHODS:
            check(request.user, self.write_permission)

    def valid(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def _archive_problem(exc: services.ArchiveBlocked) -> Response:
    members = {"errors": {"date": [exc.message]}, "field": "date"}
    if exc.earliest != dt.date.max:
        members["earliest_date"] = exc.earliest
    return problem_response(409, exc.message, exc.code, **members)


# Properties ------------------------------------------------------------------------------------


class PropertyListView(EstateView):
    serializer_class = s.PremisesSerializer

    @extend_schema(
        tags=TAG,
        summary="List properties (your region, or all for national roles)",
        parameters=[
            OpenApiParameter("status", str, enum=["online", "archived"], description="Default online"),
            OpenApiParameter("q", str, description="Reference, address or postcode (spaces ignored)"),
            OpenApiParameter("group", str, enum=["pdu", "local_authority"], description="Order for grouping"),
        ],
        responses=s.PremisesSerializer(many=True),
    )
    def get(self, request):
        params = request.query_params
        qs = queries.premises_list(
            request.user,
            status=params.get("status") if params.get("status") in ("online", "archived") else "online",
            q=params.get("q", ""),
            group_by=params.get("group", "pdu"),
        ).prefetch_related("characteristics")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.PremisesSerializer(page, many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Add a property",
        request=s.PremisesWriteSerializer,
        responses={201: s.PremisesSerializer, **PROBLEMS},
    )
    def post(self, request):
        data = self.valid(s.PremisesWriteSerializer)
        premises = services.create_premises(request.user, **data)
        return Response(s.PremisesSerializer(access.open_premises(request.user, premises.pk)).data, status=201)


class PropertyView(EstateView):
    serializer_class = s.PremisesSerializer

    @extend_schema(tags=TAG, summary="A property", responses={200: s.PremisesSerializer, 404: ProblemSerializer})
    def get(self, request, pk):
        return Response(s.PremisesSerializer(access.open_premises(request.user, pk)).data)

    @extend_schema(
        tags=TAG,
        summary="Change a property (all fields)",
        request=s.PremisesUpdateSerializer,
        responses={200: s.PremisesSerializer, **PROBLEMS},
    )
    def put(self, request, pk):
        return self._update(request, pk, partial=False)

    @extend_schema(
        tags=TAG,
        summary="Change some of a property's fields",
        request=s.PremisesUpdateSerializer,
        responses={200: s.PremisesSerializer, **PROBLEMS},
    )
    def patch(self, request, pk):
        return self._update(request, pk, partial=True)

    def _update(self, request, pk, partial: bool):
        premises = access.open_premises(request.user, pk)
        data = self.valid(s.PremisesUpdateSerializer, partial=partial)
        if partial:
            data = {k: v for k, v in data.items() if k in request.data}
        services.update_premises(request.user, premises, **data)
        return Response(s.PremisesSerializer(access.open_premises(request.user, pk)).data)


class PropertyArchiveView(EstateView):
    permission = Permission.ESTATE_MANAGE
    serializer_class = s.ArchiveChangeSerializer

    @extend_schema(
        tags=TAG,
        summary="Archive a property and its bedspaces, now or on a date up to 3 months ahead",
        description="Refused with 409 and `earliest_date` when a void period (or a booking or turnaround, once "
        "they exist) or an upcoming bedspace is in the way.",
        request=s.ScheduleSerializer,
        responses={201: s.ArchiveChangeSerializer, **PROBLEMS},
    )
    def post(self, request, pk):
        premises = access.open_premises(request.user, pk)
        data = self.valid(s.ScheduleSerializer)
        try:
            change = services.archive_premises(request.user, premises, data["date"], version=data.get("version"))
        except services.ArchiveBlocked as exc:
            return _archive_problem(exc)
        return Response(s.ArchiveChangeSerializer(change).data, status=201)


class PropertyUnarchiveView(EstateView):
    permission = Permission.ESTATE_MANAGE
    serializer_class = s.ArchiveChangeSerializer

    @extend_schema(
        tags=TAG,
        summary="Bring an archived property (and its bedspaces) back online, within 14 days either side of today",
        request=s.ScheduleSerializer,
        responses={201: s.ArchiveChangeSerializer, **PROBLEMS},
    )
    def post(self, request, pk):
        premises = access.open_premises(request.user, pk)
        data = self.valid(s.ScheduleSerializer)
        change = services.unarchive_premises(request.user, premises, data["date"], version=data.get("version"))
        return Response(s.ArchiveChangeSerializer(change).data, status=201)


class ArchiveChangeListView(EstateView):
    serializer_class = s.ArchiveChangeSerializer
    pagination_class = None

    @extend_schema(
        tags=TAG,
        summary="Archive history of a property and its bedspaces, newest first",
        responses=s.ArchiveChangeSerializer(many=True),
    )
    def get(self, request, pk):
        premises = access.open_premises(request.user, pk)
        return Response(s.ArchiveChangeSerializer(queries.archive_history(premises), many=True).data)


class ArchiveChangeCancelView(EstateView):
    permission = Permission.ESTATE_MANAGE
    serializer_class = s.ArchiveChangeSerializer
    pagination_class = None  # the changes cancelled, served whole as a plain array

    @extend_schema(
        tags=TAG,
        summary="Cancel a scheduled archive or return to service (and the changes made with it)",
        request=None,
        responses={200: s.ArchiveChangeSerializer(many=True), **PROBLEMS},
    )
    def post(self, request, pk, change_pk):
        change = access.open_change(request.user, pk, change_pk)
        cancelled = services.cancel_change(request.user, change)
        return Response(s.ArchiveChangeSerializer(cancelled, many=True).data)


class CalendarView(EstateView):
    serializer_class = s.CalendarSerializer

    @extend_schema(
        tags=TAG,
        summary="Occupancy calendar of a property for a month or a quarter",
        parameters=[
            OpenApiParameter("period", str, enum=["month", "quarter"], description="Default month"),
            OpenApiParameter("year", int, description="Default this year"),
            OpenApiParameter("month", int, description="1 to 12; for a quarter, any month in it. Default this month"),
        ],
        responses={200: s.CalendarSerializer, 404: ProblemSerializer},
    )
    def get(self, request, pk):
        premises = access.open_premises(request.user, pk)
        today = clock.today()
        params = request.query_params
        period = params.get("period") if params.get("period") in ("month", "quarter") else "month"
        try:
            year = int(params.get("year", today.year))
            month = int(params.get("month", today.month))
            if not (2000 <= year <= 2100 and 1 <= month <= 12):
                raise ValueError
        except ValueError:
            return problem_response(400, "Enter a year from 2000 to 2100 and a month from 1 to 12", "invalid")
        calendar = build_calendar(premises, period, year, month, request.user)
        body = {
            "property": premises.pk,
            "period": calendar.period,
            "start": calendar.start,
            "end": calendar.end,
            "non_working_days": [d.date for d in calendar.days if not d.working],
            "bedspaces": [
                {
                    "id": row.bedspace.pk,
                    "reference": row.bedspace.reference,
                    "periods": [
                        {
                            "kind": p.kind,
                            "start": None if p.start == dt.date.min else p.start,
                            "end": p.end,
                            "label": p.label,
                            "description": p.description,
                        }
                        for p in row.periods
                    ],
                }
                for row in calendar.rows
            ],
        }
        return Response(s.CalendarSerializer(body).data)


# Bedspaces -------------------------------------------------------------------------------------


class BedspaceListView(EstateView):
    serializer_class = s.BedspaceSerializer
    pagination_class = None

    @extend_schema(tags=TAG, summary="Bedspaces of a property", responses=s.BedspaceSerializer(many=True))
    def get(self, request, pk):
        premises = access.open_premises(request.user, pk)
        return Response(s.BedspaceSerializer(queries.premises_bedspaces(premises), many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Add a bedspace (start date within 7 days of today)",
        request=s.BedspaceWriteSerializer,
        responses={201: s.BedspaceSerializer, **PROBLEMS},
    )
    def post(self, request, pk):
        premises = access.open_premises(request.user, pk)
        data = self.valid(s.BedspaceWriteSerializer)
        bedspace = services.create_bedspace(
            request.user,
            premises,
            reference=data["reference"],
            start_date=data.get("start_date"),
            characteristics=data.get("characteristics", []),
            notes=data.get("notes", ""),
        )
        return Response(s.BedspaceSerializer(bedspace).data, status=201)


class BedspaceView(EstateView):
    serializer_class = s.BedspaceSerializer

    @extend_schema(tags=TAG, summary="A bedspace", responses={200: s.BedspaceSerializer, 404: ProblemSerializer})
    def get(self, request, pk, bedspace_pk):
        return Response(s.BedspaceSerializer(access.open_bedspace(request.user, pk, bedspace_pk)).data)

    @extend_schema(
        tags=TAG,
        summary="Change a bedspace (the start date only while it is upcoming)",
        request=s.BedspaceUpdateSerializer,
        responses={200: s.BedspaceSerializer, **PROBLEMS},
    )
    def patch(self, request, pk, bedspace_pk):
        bedspace = access.open_bedspace(request.user, pk, bedspace_pk)
        data = self.valid(s.BedspaceUpdateSerializer, partial=True)
        services.update_bedspace(request.user, bedspace, **data)
        return Response(s.BedspaceSerializer(access.open_bedspace(request.user, pk, bedspace_pk)).data)

    @extend_schema(
        tags=TAG,
        summary="Change a bedspace (all fields)",
        request=s.BedspaceUpdateSerializer,
        responses={200: s.BedspaceSerializer, **PROBLEMS},
    )
    def put(self, request, pk, bedspace_pk):
        bedspace = access.open_bedspace(request.user, pk, bedspace_pk)
        data = self.valid(s.BedspaceUpdateSerializer)
        data.setdefault("characteristics", [])
        data.setdefault("notes", "")
        services.update_bedspace(request.user, bedspace, **data)
        return Response(s.BedspaceSerializer(access.open_bedspace(request.user, pk, bedspace_pk)).data)


class BedspaceArchiveView(EstateView):
    permission = Permission.ESTATE_MANAGE
    serializer_class = s.ArchiveChangeSerializer

    @extend_schema(
        tags=TAG,
        summary="Archive a bedspace (the last one in service archives its property too)",
        description="Refused with 409 and `earliest_date` when a void period (or, once they exist, a booking or "
        "turnaround) is in the way.",
        request=s.ScheduleSerializer,
        responses={201: s.ArchiveChangeSerializer, **PROBLEMS},
    )
    def post(self, request, pk, bedspace_pk):
        bedspace = access.open_bedspace(request.user, pk, bedspace_pk)
        data = self.valid(s.ScheduleSerializer)
        try:
            change = services.archive_bedspace(request.user, bedspace, data["date"], version=data.get("version"))
        except services.ArchiveBlocked as exc:
            return _archive_problem(exc)
        return Response(s.ArchiveChangeSerializer(change).data, status=201)


class BedspaceUnarchiveView(EstateView):
    permission = Permission.ESTATE_MANAGE
    serializer_class = s.ArchiveChangeSerializer

    @extend_schema(
        tags=TAG,
        summary="Bring an archived bedspace back online (its archived property comes back too)",
        request=s.ScheduleSerializer,
        responses={201: s.ArchiveChangeSerializer, **PROBLEMS},
    )
    def post(self, request, pk, bedspace_pk):
        bedspace = access.open_bedspace(request.user, pk, bedspace_pk)
        data = self.valid(s.ScheduleSerializer)
        change = services.unarchive_bedspace(request.user, bedspace, data["date"], version=data.get("version"))
        return Response(s.ArchiveChangeSerializer(change).data, status=201)


# Void periods ----------------------------------------------------------------------------------


class VoidListView(EstateView):
    serializer_class = s.VoidSerializer
    pagination_class = None

    @extend_schema(
        tags=TAG, summary="Void periods of a bedspace, cancelled ones included", responses=s.VoidSerializer(many=True)
    )
    def get(self, request, pk, bedspace_pk):
        bedspace = access.open_bedspace(request.user, pk, bedspace_pk)
        return Response(s.VoidSerializer(queries.voids_for(bedspace), many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Record a void period (no overlap with other void periods)",
        request=s.VoidWriteSerializer,
        responses={201: s.VoidSerializer, **PROBLEMS},
    )
    def post(self, request, pk, bedspace_pk):
        bedspace = access.open_bedspace(request.user, pk, bedspace_pk)
        void = services.create_void(request.user, bedspace, **self.valid(s.VoidWriteSerializer))
        return Response(s.VoidSerializer(void).data, status=201)


class VoidView(EstateView):
    serializer_class = s.VoidSerializer

    @extend_schema(tags=TAG, summary="A void period", responses={200: s.VoidSerializer, 404: ProblemSerializer})
    def get(self, request, pk, bedspace_pk, void_pk):
        return Response(s.VoidSerializer(access.open_void(request.user, pk, bedspace_pk, void_pk)).data)

    @extend_schema(
        tags=TAG,
        summary="Change a void period",
        request=s.VoidUpdateSerializer,
        responses={200: s.VoidSerializer, **PROBLEMS},
    )
    def put(self, request, pk, bedspace_pk, void_pk):
        void = access.open_void(request.user, pk, bedspace_pk, void_pk)
        void = services.update_void(request.user, void, **self.valid(s.VoidUpdateSerializer))
        return Response(s.VoidSerializer(void).data)


class VoidCancelView(EstateView):
    permission = Permission.ESTATE_MANAGE
    serializer_class = s.VoidSerializer

    @extend_schema(
        tags=TAG,
        summary="Cancel a void period, saying why",
        request=s.VoidCancelSerializer,
        responses={200: s.VoidSerializer, **PROBLEMS},
    )
    def post(self, request, pk, bedspace_pk, void_pk):
        void = access.open_void(request.user, pk, bedspace_pk, void_pk)
        data = self.valid(s.VoidCancelSerializer)
        void = services.cancel_void(request.user, void, notes=data["notes"], version=data.get("version"))
        return Response(s.VoidSerializer(void).data, status=status.HTTP_200_OK)


P = "properties/<uuid:pk>"
B = f"{P}/bedspaces/<uuid:bedspace_pk>"
urlpatterns = [
    path("properties", api(PropertyListView.as_view()), name="estate-properties"),
    path(P, api(PropertyView.as_view()), name="estate-property"),
    path(f"{P}/archive", api(PropertyArchiveView.as_view()), name="estate-property-archive"),
    path(f"{P}/unarchive", api(PropertyUnarchiveView.as_view()), name="estate-property-unarchive"),
    path(f"{P}/calendar", api(CalendarView.as_view()), name="estate-property-calendar"),
    path(f"{P}/archive-changes", api(ArchiveChangeListView.as_view()), name="estate-archive-changes"),
    path(
        f"{P}/archive-changes/<uuid:change_pk>/cancel",
        api(ArchiveChangeCancelView.as_view()),
        name="estate-archive-change-cancel",
    ),
    path(f"{P}/bedspaces", api(BedspaceListView.as_view()), name="estate-bedspaces"),
    path(B, api(BedspaceView.as_view()), name="estate-bedspace"),
    path(f"{B}/archive", api(BedspaceArchiveView.as_view()), name="estate-bedspace-archive"),
    path(f"{B}/unarchive", api(BedspaceUnarchiveView.as_view()), name="estate-bedspace-unarchive"),
    path(f"{B}/voids", api(VoidListView.as_view()), name="estate-voids"),
    path(f"{B}/voids/<uuid:void_pk>", api(VoidView.as_view()), name="estate-void"),
    path(f"{B}/voids/<uuid:void_pk>/cancel", api(VoidCancelView.as_view()), name="estate-void-cancel"),
]
