"""The CAS2 referrer's journey through the API: the routes open to the user, starting an application
(route and CRN or prison number), the user's and their prison's applications, one application as the
referrer sees it (status, answers as sent, timeline, the sections reopened for them), notes to the
provider, sending back the information the provider asked for, and abandoning a draft. The draft
itself is filled in and submitted through the shared referral endpoints (`/api/v1/referrals/<id>`,
its pages and its submission), which work for every tier.

And the prison system's events (`/api/v1/prison-events`), which make applications made in prison
follow the person.
"""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from cas.api.idempotency import idempotent
from cas.api.referrals import referral_data
from cas.api.routing import api
from cas.core.permissions import Permission
from cas.people import services as people
from cas.referrals import services, timeline
from cas.referrals.cas2 import access, applications, service_levels, transfers
from cas.referrals.cas2.access import Reach

MAKE = Permission.REFERRAL_MAKE
READERS = frozenset({Reach.REFERRER, Reach.PRISON})
LISTS = (applications.IN_PROGRESS, applications.SUBMITTED, "prison")


# Shapes -----------------------------------------------------------------------------------------------


class RouteSerializer(serializers.Serializer):
    code = serializers.CharField(source="route.code")
    name = serializers.CharField(source="route.name")
    description = serializers.CharField(source="route.description")
    person_key = serializers.ChoiceField(
        source="route.person_key", choices=["crn", "noms"], help_text="How the person is found: CRN or prison number"
    )
    is_open = serializers.BooleanField()
    closed_reason = serializers.CharField(help_text="Why it takes no applications (empty while open)")


class StartSerializer(serializers.Serializer):
    route = serializers.CharField(help_text="The route's code, from /cas2/routes")
    identifier = serializers.CharField(max_length=20, help_text="The person's CRN, or prison number for prison routes")


class ApplicationSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    crn = serializers.CharField()
    noms_number = serializers.CharField()
    person_name = serializers.CharField()
    route = serializers.CharField(source="route.code", allow_null=True, default=None)
    cohort = serializers.CharField(source="cohort.code", allow_null=True, default=None)
    status = serializers.CharField()
    status_label = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    current_prison = serializers.CharField(source="current_prison.code", allow_null=True, default=None)

    def get_status_label(self, obj) -> str:
        return obj.referrer_status[0]


class TimelineItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    author = serializers.CharField()
    created_at = serializers.DateTimeField()


class ApplicationSerializer(ApplicationSummarySerializer):
    service_level = serializers.SerializerMethodField()
    reopened_tasks = serializers.ListField(
        child=serializers.CharField(), help_text="Sections the provider asked the referrer to answer again"
    )
    referring_prison = serializers.CharField(source="referring_prison.code", allow_null=True, default=None)
    hdc_eligibility_date = serializers.DateField(allow_null=True)
    conditional_release_date = serializers.DateField(allow_null=True)
    bail_hearing_date = serializers.DateField(allow_null=True)
    preferred_area_1 = serializers.CharField()
    preferred_area_2 = serializers.CharField()
    document = serializers.DictField(allow_null=True, help_text="The questions and answers as sent")
    timeline = serializers.SerializerMethodField()

    def get_service_level(self, obj) -> str:
        return service_levels.describe(obj.cohort)

    def get_timeline(self, obj) -> list[dict]:
        items = []
        for entry in timeline.entries(obj, for_referrer=True):
            title, description = timeline.describe(entry, for_referrer=True)
            items.append(
                {
                    "kind": entry.kind,
                    "title": title,
                    "description": description,
                    "author": entry.author_name,
                    "created_at": entry.created_at,
                }
            )
        return TimelineItemSerializer(items, many=True).data


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=timeline.NOTE_MAX_LENGTH)


NoteAddedSerializer = inline_serializer(
    "Cas2NoteAdded", {"emailed_to": serializers.CharField(), "created_at": serializers.DateTimeField()}
)


class PrisonEventInformationSerializer(serializers.Serializer):
    nomsNumber = serializers.CharField(required=False, allow_blank=True)  # noqa: N815 - the HMPPS field names
    prisonId = serializers.CharField(required=False, allow_blank=True)  # noqa: N815
    categoriesChanged = serializers.ListField(child=serializers.CharField(), required=False)  # noqa: N815
    staffUsername = serializers.CharField(required=False, allow_blank=True)  # noqa: N815
    staffName = serializers.CharField(required=False, allow_blank=True)  # noqa: N815
    removedNomsNumber = serializers.CharField(required=False, allow_blank=True)  # noqa: N815


class PrisonEventSerializer(serializers.Serializer):
    eventType = serializers.ChoiceField(choices=transfers.EVENT_TYPES)  # noqa: N815
    additionalInformation = PrisonEventInformationSerializer()  # noqa: N815


PrisonEventOutcomeSerializer = inline_serializer(
    "PrisonEventOutcome",
    {
        "changed": serializers.ListField(child=serializers.UUIDField(), help_text="The applications it changed"),
        "reason": serializers.CharField(help_text="Why nothing changed, when nothing did"),
    },
)


# Views ------------------------------------------------------------------------------------------------


class RoutesView(APIView):
    permission = MAKE

    @extend_schema(
        summary="The CAS2 routes you may apply by (closed ones with why)", responses=RouteSerializer(many=True)
    )
    def get(self, request):
        return Response(RouteSerializer(applications.routes_for(request.user), many=True).data)


class ApplicationsView(APIView):
    permission = MAKE

    @extend_schema(
        summary="Your CAS2 applications, or your prison's",
        operation_id="cas2_applications_list",
        parameters=[
            OpenApiParameter("list", OpenApiTypes.STR, enum=list(LISTS), description="Default: in-progress"),
            OpenApiParameter("q", OpenApiTypes.STR, description="Search your prison's by name, CRN or prison number"),
        ],
        responses=inline_serializer(
            "PaginatedCas2ApplicationList",
            fields={
                "count": serializers.IntegerField(),
                "next": serializers.CharField(allow_null=True),
                "previous": serializers.CharField(allow_null=True),
                "results": ApplicationSummarySerializer(many=True),
            },
        ),
    )
    def get(self, request):
        which = request.query_params.get("list", applications.IN_PROGRESS)
        if which == "prison":
            queryset = applications.prison_applications(request.user, request.query_params.get("q", ""))
        else:
            tab = which if which in (applications.IN_PROGRESS, applications.SUBMITTED) else applications.IN_PROGRESS
            queryset = applications.own_applications(request.user, tab)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        page = people.hide_limited_access(request.user, page)
        return paginator.get_paginated_response(ApplicationSummarySerializer(page, many=True).data)

    @extend_schema(
        summary="Start a CAS2 application by a route, for the person with a CRN or prison number",
        description="Then answer its pages and submit it through /referrals/{id}. Consent is its first task.",
        request=StartSerializer,
        responses={
            201: OpenApiTypes.OBJECT,
            400: OpenApiResponse(description="Route closed or not yours, badly formed identifier, not in your prison"),
            403: OpenApiResponse(description="Restricted person"),
            404: OpenApiResponse(description="Unknown CRN or prison number"),
            503: OpenApiResponse(description="The probation case system is not responding"),
        },
    )
    def post(self, request):
        body = StartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = applications.start_application(
            request.user, body.validated_data["route"], body.validated_data["identifier"]
        )
        draft = services.open_draft(request.user, referral.pk)
        return Response(referral_data(draft.referral, draft), status=status.HTTP_201_CREATED)


class ApplicationView(APIView):
    permission = MAKE

    @extend_schema(
        summary="One CAS2 application as its referrer (or their prison) sees it", responses=ApplicationSerializer
    )
    def get(self, request, pk):
        referral, _ = access.open_application(request.user, pk, purpose="CAS2 application (API)", allowed=READERS)
        return Response(ApplicationSerializer(referral).data)

    @extend_schema(
        summary="Abandon an application you have not sent (its answers are removed)",
        responses={204: None, 409: OpenApiResponse(description="Already sent")},
    )
    def delete(self, request, pk):
        applications.abandon(request.user, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApplicationNotesView(APIView):
    permission = MAKE

    @extend_schema(
        summary="Add a note for the provider (emailed to its inbox)",
        request=NoteSerializer,
        responses={201: NoteAddedSerializer},
    )
    def post(self, request, pk):
        access.check_reach(request.user, pk, allowed=READERS)
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.add_referrer_note(request.user, pk, body.validated_data["text"])
        return Response(
            {"emailed_to": entry.emailed_to, "created_at": entry.created_at}, status=status.HTTP_201_CREATED
        )


class InformationView(APIView):
    permission = MAKE

    @extend_schema(
        summary="Send the provider the sections it asked about, answered again",
        description="Answer the reopened sections' pages through /referrals/{id}/pages first.",
        request=None,
        responses={200: ApplicationSerializer, 400: OpenApiResponse(description="A reopened section is unfinished")},
    )
    @idempotent("cas2.send_information")
    def post(self, request, pk):
        referral = applications.send_information(request.user, pk)
        return Response(ApplicationSerializer(referral).data)


class PrisonEventsView(APIView):
    permission = Permission.PRISON_EVENTS_RECEIVE

    @extend_schema(
        summary="Receive a prison system event (HMPPS domain event shape)",
        description=(
            "A prisoner moved (`prisoner-offender-search.prisoner.updated` with LOCATION among "
            "`categoriesChanged`), a prison offender manager was allocated "
            "(`offender-management.allocation.changed`), or two prison numbers were merged "
            "(`prison-offender-events.prisoner.merged`): applications made in prison follow the person."
        ),
        request=PrisonEventSerializer,
        responses={200: PrisonEventOutcomeSerializer},
    )
    def post(self, request):
        body = PrisonEventSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        outcome = transfers.handle_event(
            {
                "eventType": body.validated_data["eventType"],
                "additionalInformation": body.validated_data["additionalInformation"],
            }
        )
        return Response({"changed": [r.pk for r in outcome.changed], "reason": outcome.reason})


urlpatterns = [
    path("cas2/routes", api(RoutesView.as_view()), name="cas2-routes"),
    path("cas2/applications", api(ApplicationsView.as_view()), name="cas2-applications"),
    path("cas2/applications/<uuid:pk>", api(ApplicationView.as_view()), name="cas2-application"),
    path("cas2/applications/<uuid:pk>/notes", api(ApplicationNotesView.as_view()), name="cas2-application-notes"),
    path("cas2/applications/<uuid:pk>/information", api(InformationView.as_view()), name="cas2-information"),
    path("prison-events", api(PrisonEventsView.as_view()), name="prison-events"),
]
