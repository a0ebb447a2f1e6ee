"""The provider's CAS2 API: the national queue (the pages' tabs, search, filters and sorting), one
application with its frozen answers, its timeline, and the provider's writes (status updates with
their details, assessment details, notes to the referrer), for the pages' users and for the
provider's own case system (an API token of a CAS2 assessor). The statuses, their next statuses and
their details come from the workflow declaration. Writes call `cas.referrals.cas2.assessment`,
exactly as the pages do.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from cas.api.review import TimelineEntrySerializer, timeline_data
from cas.api.routing import api
from cas.core import clock
from cas.core.permissions import Permission
from cas.people import services as people
from cas.referrals import timeline
from cas.referrals.cas2 import access, assessment, queries
from cas.referrals.cas2.access import Reach
from cas.referrals.cas2.workflow import WORKFLOW, Action, Status, detail_choices
from cas.referrals.models import Referral

READ = Permission.REFERRAL_READ
ASSESS = Permission.REFERRAL_ASSESS
READERS = frozenset({Reach.ASSESSOR, Reach.READER})
SORT_CHOICES = sorted([*queries.SORTS, *(f"-{key}" for key in queries.SORTS)])
# One enum for every status field of these endpoints (named in the settings' ENUM_NAME_OVERRIDES).
STATUS_CHOICES = [(s.code, s.label) for s in WORKFLOW.statuses if s.code != Status.DRAFT]


# Shapes -----------------------------------------------------------------------------------------------------


class Cas2QueueApplicationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    crn = serializers.CharField()
    noms_number = serializers.CharField(allow_blank=True, help_text="Prison number")
    person_name = serializers.CharField()
    sex = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    status_label = serializers.CharField()
    route = serializers.CharField(allow_null=True)
    cohort = serializers.CharField(allow_null=True)
    region_code = serializers.CharField(allow_null=True)
    current_prison_code = serializers.CharField(allow_null=True)
    submitted_at = serializers.DateTimeField()
    urgency = inline_serializer(
        "Cas2Urgency",
        {"label": serializers.CharField(), "date": serializers.DateField(allow_null=True)},
        help_text="The date that makes it urgent, by route: bail hearing, HDC eligibility or conditional release "
        "date, or submission for the other cohorts",
    )
    due_at = serializers.DateTimeField(allow_null=True, help_text="When the cohort's service level ends")
    overdue = serializers.BooleanField(help_text="Received or waiting for information after the service level")


class Cas2ApplicationSerializer(Cas2QueueApplicationSerializer):
    version = serializers.IntegerField(help_text="Send it back with a change, to refuse a stale one")
    allowed_statuses = serializers.ListField(
        child=serializers.ChoiceField(choices=STATUS_CHOICES),
        help_text="The statuses the current user may move it to now (empty for read-only users)",
    )
    person = serializers.DictField(help_text="Identity as recorded when the application was made")
    referrer = serializers.DictField(help_text="Who made it: name, email, phone, job title")
    referring_prison_code = serializers.CharField(allow_null=True)
    offender_manager = serializers.CharField(allow_null=True)
    dates = serializers.DictField(help_text="HDC eligibility, conditional release and bail hearing dates")
    preferred_areas = serializers.ListField(child=serializers.CharField())
    risks = serializers.DictField(help_text="Risk of serious harm, risk to self and needs, as typed columns")
    assessor_name = serializers.CharField(allow_blank=True)
    provider_reference = serializers.CharField(allow_blank=True)
    reopened_tasks = serializers.ListField(
        child=serializers.CharField(), help_text="Tasks of the form reopened for the referrer to answer"
    )
    document = serializers.DictField(allow_null=True, help_text="The questions and answers as submitted")


class Cas2StatusBodySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUS_CHOICES, help_text="The new status")
    details = serializers.ListField(
        child=serializers.CharField(max_length=50),
        required=False,
        max_length=50,
        help_text="Codes of the status's details (see /api/v1/cas2/statuses), required for some statuses",
    )
    text = serializers.CharField(required=False, allow_blank=True, max_length=assessment.TEXT_MAX_LENGTH)
    version = serializers.IntegerField(required=False, min_value=0, help_text="The application's version you read")


class Cas2DetailsBodySerializer(serializers.Serializer):
    assessor_name = serializers.CharField(allow_blank=True, max_length=assessment.ASSESSOR_NAME_MAX_LENGTH)
    provider_reference = serializers.CharField(allow_blank=True, max_length=assessment.PROVIDER_REFERENCE_MAX_LENGTH)
    version = serializers.IntegerField(required=False, min_value=0, help_text="The application's version you read")


class Cas2NoteBodySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=timeline.NOTE_MAX_LENGTH)


QueuePageSerializer = inline_serializer(
    "Cas2QueuePage",
    {
        "count": serializers.IntegerField(),
        "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
        "totals": inline_serializer(
            "Cas2QueueTotals", {key.replace("-", "_"): serializers.IntegerField() for key in queries.TABS}
        ),
        "results": Cas2QueueApplicationSerializer(many=True),
    },
)


class Cas2StatusDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class Cas2StatusReferenceSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    referrer_label = serializers.CharField()
    closes = serializers.BooleanField()
    next_statuses = serializers.ListField(child=serializers.CharField(), help_text="Where the provider may move it")
    details = Cas2StatusDetailSerializer(many=True, help_text="The details given with this status, for every route")
    hdc_only_details = serializers.ListField(
        child=serializers.CharField(), help_text="Details offered for Home Detention Curfew applications only"
    )
    details_required = serializers.BooleanField()


# Building the data ---------------------------------------------------------------------------------------------


def _queue_data(referral: Referral, now) -> dict:
    urgency = queries.urgency(referral)
    return {
        "id": referral.pk,
        "reference": referral.reference,
        "crn": referral.crn,
        "noms_number": referral.noms_number,
        "person_name": referral.person_name,
        "sex": referral.sex,
        "status": referral.status,
        "status_label": referral.status_label,
        "route": referral.route.code if referral.route_id else None,
        "cohort": referral.cohort.code if referral.cohort_id else None,
        "region_code": referral.region.delius_code if referral.region_id else None,
        "current_prison_code": referral.current_prison.code if referral.current_prison_id else None,
        "submitted_at": referral.submitted_at,
        "urgency": {"label": urgency.label, "date": urgency.on},
        "due_at": queries.due_at(referral),
        "overdue": queries.is_overdue(referral, now),
    }


def application_data(referral: Referral, how: Reach) -> dict:
    data = _queue_data(referral, clock.now())
    creator = referral.created_by
    data.update(
        {
            "version": referral.version,
            "allowed_statuses": [code for code, _, _ in assessment.status_options(referral)]
            if how == Reach.ASSESSOR
            else [],
            "person": {
                "name": referral.person_name,
                "crn": referral.crn,
                "noms_number": referral.noms_number,
                "date_of_birth": referral.date_of_birth.isoformat() if referral.date_of_birth else None,
                "sex": referral.sex,
                "gender_identity": referral.gender_identity,
            },
            "referrer": {
                "name": creator.get_full_name() or creator.username,
                "email": creator.email,
                "phone": referral.referrer_phone,
                "job_title": referral.referrer_job_title,
            },
            "referring_prison_code": referral.referring_prison.code if referral.referring_prison_id else None,
            "offender_manager": (referral.offender_manager.get_full_name() or referral.offender_manager.username)
            if referral.offender_manager_id
            else None,
            "dates": {
                name: getattr(referral, name).isoformat() if getattr(referral, name) else None
                for name in ("hdc_eligibility_date", "conditional_release_date", "bail_hearing_date")
            },
            "preferred_areas": [a for a in (referral.preferred_area_1, referral.preferred_area_2) if a],
            "risks": {
                name: getattr(referral, name)
                for name in (
                    "rosh_level",
                    "has_risk_to_self_concerns",
                    "has_exclusion_zones",
                    "has_substance_misuse_needs",
                    "has_mental_health_needs",
                    "has_physical_health_needs",
                    "needs_accessible_property",
                    "needs_women_only",
                    "funding_source",
                    "has_id_documents",
                )
            },
            "assessor_name": referral.assessor_name,
            "provider_reference": referral.provider_reference,
            "reopened_tasks": list(referral.reopened_tasks or []),
            "document": referral.document,
        }
    )
    return dict(Cas2ApplicationSerializer(data).data)


def _open(request, pk, purpose: str):
    return access.open_application(request.user, pk, purpose=f"CAS2 assessment (API): {purpose}", allowed=READERS)


# Views ----------------------------------------------------------------------------------------------------------


class Cas2QueueView(APIView):
    permission = READ

    @extend_schema(
        summary="The provider's national queue: one tab, searched, filtered and sorted, with every tab's total",
        parameters=[
            OpenApiParameter("tab", OpenApiTypes.STR, enum=list(queries.TABS), description="Default: new"),
            OpenApiParameter("q", OpenApiTypes.STR, description="A CRN or prison number (exact), or words of the name"),
            OpenApiParameter("route", OpenApiTypes.STR, description="A route code (court_bail, prison_bail, hdc...)"),
            OpenApiParameter("cohort", OpenApiTypes.STR, description="A cohort code"),
            OpenApiParameter("region", OpenApiTypes.STR, description="Delius code of a probation region"),
            OpenApiParameter("sex", OpenApiTypes.STR, enum=list(queries.SEXES)),
            OpenApiParameter("status", OpenApiTypes.STR, description="One status of the tab"),
            OpenApiParameter("sort", OpenApiTypes.STR, enum=SORT_CHOICES, description="'-' sorts descending"),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses=QueuePageSerializer,
        operation_id="cas2_assessments_list",
    )
    def get(self, request):
        if not queries.may_use_queue(request.user):
            raise PermissionDenied("CAS2 applications are read by the provider and reporters")
        params = request.query_params
        tab = params.get("tab", "new")
        if tab not in queries.TABS:
            tab = "new"
        filters = queries.Filters(**{name: params.get(name, "") for name in queries.Filters.__dataclass_fields__})
        queue = queries.queue(request.user, tab, filters, sort=params.get("sort"))
        paginator = PageNumberPagination()
        page = people.hide_limited_access(
            request.user, paginator.paginate_queryset(queue.referrals, request, view=self)
        )
        now = clock.now()
        results = Cas2QueueApplicationSerializer([_queue_data(r, now) for r in page], many=True).data
        response = paginator.get_paginated_response(results)
        response.data["totals"] = {key.replace("-", "_"): value for key, value in queue.totals.items()}
        return response


class Cas2ApplicationView(APIView):
    permission = READ

    @extend_schema(
        summary="A CAS2 application: person, route, dates, risks, assessment details and answers",
        responses=Cas2ApplicationSerializer,
    )
    def get(self, request, pk):
        referral, how = _open(request, pk, "read the application")
        return Response(application_data(referral, how))


class Cas2TimelineView(APIView):
    permission = READ

    @extend_schema(summary="The application's timeline, newest first", responses=TimelineEntrySerializer(many=True))
    def get(self, request, pk):
        referral, _ = _open(request, pk, "read the timeline")
        return Response(timeline_data(timeline.entries(referral)))


class Cas2StatusView(APIView):
    permission = ASSESS

    @extend_schema(
        summary="Update the status, with its details (the referrer is emailed, an event is published)",
        description="Refused with 409 when no move of the workflow leads from the current status to the one asked "
        "for, or when `version` is stale; 400 when the details are missing or not of the status's list.",
        request=Cas2StatusBodySerializer,
        responses={200: Cas2ApplicationSerializer},
    )
    def post(self, request, pk):
        body = Cas2StatusBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        referral = assessment.update_status(
            request.user,
            pk,
            status=data["status"],
            details=data.get("details", ()),
            text=data.get("text", ""),
            version=data.get("version"),
        )
        return Response(application_data(referral, Reach.ASSESSOR))


class Cas2DetailsView(APIView):
    permission = ASSESS

    @extend_schema(
        summary="Record the assessor's name and the provider's own reference",
        request=Cas2DetailsBodySerializer,
        responses={200: Cas2ApplicationSerializer},
    )
    def put(self, request, pk):
        body = Cas2DetailsBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = assessment.record_assessment_details(
            request.user,
            pk,
            assessor_name=body.validated_data["assessor_name"],
            provider_reference=body.validated_data["provider_reference"],
            version=body.validated_data.get("version"),
        )
        return Response(application_data(referral, Reach.ASSESSOR))


class Cas2NotesView(APIView):
    permission = ASSESS

    @extend_schema(
        summary="Add a note for the referrer (they see it on the application and are emailed)",
        request=Cas2NoteBodySerializer,
        responses={201: TimelineEntrySerializer},
    )
    def post(self, request, pk):
        body = Cas2NoteBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = assessment.add_assessor_note(request.user, pk, body.validated_data["text"])
        return Response(timeline_data([entry])[0], status=status.HTTP_201_CREATED)


def statuses_data() -> list[dict]:
    rows = []
    for info in WORKFLOW.statuses:
        if info.code == Status.DRAFT:
            continue
        # The provider's moves: sending back requested information is the referrer's.
        moves = [
            WORKFLOW.next_status(info.code, action)
            for action in WORKFLOW.allowed_actions(info.code)
            if action != Action.SEND_INFORMATION
        ]
        # The details a status carries are those of the action that leads to it.
        leading = next((a for a, moves in WORKFLOW.transitions.items() if info.code in moves.values()), None)
        details = WORKFLOW.action_details.get(leading, ()) if leading else ()
        hdc_only = {code for code, _ in details} - {code for code, _ in detail_choices(leading or "", "court_bail")}
        rows.append(
            {
                "code": info.code,
                "label": info.label,
                "referrer_label": info.referrer_label,
                "closes": info.closes,
                "next_statuses": moves,
                "details": [{"code": code, "label": label} for code, label in details],
                "hdc_only_details": sorted(hdc_only),
                "details_required": bool(leading and leading in WORKFLOW.details_required),
            }
        )
    return rows


class Cas2StatusesView(APIView):
    permission = Permission.SIGNED_IN

    @extend_schema(
        summary="The CAS2 statuses, where the provider may move each, and the details each carries",
        responses=Cas2StatusReferenceSerializer(many=True),
    )
    def get(self, request):
        return Response(statuses_data())


urlpatterns = [
    path("cas2/assessments", api(Cas2QueueView.as_view()), name="cas2-assessments"),
    path("cas2/statuses", api(Cas2StatusesView.as_view()), name="cas2-statuses"),
    path("cas2/assessments/<uuid:pk>", api(Cas2ApplicationView.as_view()), name="cas2-assessment"),
    path("cas2/assessments/<uuid:pk>/timeline", api(Cas2TimelineView.as_view()), name="cas2-assessment-timeline"),
    path("cas2/assessments/<uuid:pk>/status", api(Cas2StatusView.as_view()), name="cas2-assessment-status"),
    path("cas2/assessments/<uuid:pk>/details", api(Cas2DetailsView.as_view()), name="cas2-assessment-details"),
    path("cas2/assessments/<uuid:pk>/notes", api(Cas2NotesView.as_view()), name="cas2-assessment-notes"),
]
