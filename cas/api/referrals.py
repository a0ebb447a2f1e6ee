"""The referral API: everything the referral pages do, for systems that make referrals directly.

Create a draft from a CRN, read it (task statuses, answers, what still blocks submission), read a
page's questions, save a page's answers with the same rules as the web form (errors per field as
JSON), submit, delete a draft, and list your own referrals.
"""

from django import forms
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from cas.api.errors import ProblemSerializer, problem_response
from cas.api.idempotency import idempotent
from cas.api.routing import api
from cas.core.forms import GovukDateField
from cas.core.permissions import Permission
from cas.forms_engine import engine
from cas.forms_engine.forms import fill
from cas.people import services as people
from cas.referrals import placement, services
from cas.referrals.cas3 import queries
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.models import Referral

MAKE = Permission.REFERRAL_MAKE


# Shapes -----------------------------------------------------------------------------------------------


class TaskStatusSerializer(serializers.Serializer):
    section = serializers.CharField()
    slug = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=[s.value for s in engine.TaskStatus])
    next_page = serializers.CharField(allow_null=True, help_text="The page to answer next in this task")
    blockers = serializers.ListField(child=serializers.CharField())


class SubmissionProblemSerializer(serializers.Serializer):
    task = serializers.CharField()
    page = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ReferralSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    crn = serializers.CharField()
    person_name = serializers.CharField()
    # Each tier has its own workflow (CAS3's statuses, CAS2's at /api/v1/cas2/statuses), and a
    # referrer of several tiers lists them all here.
    service = serializers.CharField(help_text="The referral's tier: cas3 or cas2")
    status = serializers.CharField(
        help_text="A status of the tier's workflow: for CAS3 "
        + ", ".join(ReferralStatus.values)
        + "; for CAS2 the codes of /api/v1/cas2/statuses"
    )
    status_label = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    region = serializers.CharField(source="region.name")
    pdu = serializers.CharField(source="pdu.name", allow_null=True, default=None)
    is_out_of_region = serializers.BooleanField()
    release_date = serializers.DateField(allow_null=True)
    accommodation_required_from = serializers.DateField(allow_null=True)

    def get_status_label(self, obj) -> str:
        return obj.referrer_status[0]


class PlacementSerializer(serializers.Serializer):
    """What the referrer may know of the booking made for their referral (`cas.referrals.placement`)."""

    stage = serializers.ChoiceField(choices=list(placement.STAGE_LABELS), help_text="booked, arrived or left")
    address = serializers.CharField()
    expected_arrival = serializers.DateField(help_text="The arrival date booked (the arrival itself once recorded)")
    expected_departure = serializers.DateField()
    arrived_on = serializers.DateField(allow_null=True)
    left_on = serializers.DateField(allow_null=True)
    move_on = serializers.CharField(allow_blank=True, help_text="Where they moved on to, once they have left")


class ReferralSerializer(ReferralSummarySerializer):
    form = serializers.SerializerMethodField()
    offence = serializers.CharField(source="offence_description")
    tasks = TaskStatusSerializer(many=True, required=False)
    problems = SubmissionProblemSerializer(many=True, required=False, help_text="What still blocks submission (drafts)")
    notices = serializers.ListField(
        child=serializers.DictField(), source="form_notices", help_text="Questions to answer again after a form change"
    )
    answers = serializers.DictField(help_text="Answers so far: {task: {page: {field: value}}}")
    document = serializers.DictField(allow_null=True, help_text="The questions and answers as submitted")
    placement = serializers.SerializerMethodField(
        help_text="Once a booking for the referral is confirmed: where and when, then the arrival, departure "
        "and move-on (null until then, and after it is cancelled)"
    )

    def get_form(self, obj) -> dict:
        return {"key": obj.form_key, "version": obj.form_version}

    @extend_schema_field(PlacementSerializer(allow_null=True))
    def get_placement(self, obj) -> dict | None:
        found = None if obj.is_draft else placement.for_referrer(obj)
        if found is None:
            return None
        return PlacementSerializer({**vars(found), "stage": found.stage}).data


class FieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(
        choices=["text", "textarea", "date", "choice", "multiple_choice", "integer", "boolean"]
    )
    required = serializers.BooleanField()
    required_when = serializers.DictField(allow_null=True, help_text="Only asked (and required) for these answers")
    choices = serializers.ListField(
        child=serializers.DictField(),
        allow_null=True,
        help_text="Each choice's value and label, in the page's order; grouped choices also name their group "
        "(e.g. the placement region's local authorities, then those elsewhere in England and Wales)",
    )
    hint = serializers.CharField(allow_blank=True)


class PageSerializer(serializers.Serializer):
    task = serializers.CharField()
    page = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    reachable = serializers.BooleanField(help_text="On the task's route given the answers so far")
    fields = FieldSerializer(many=True)
    values = serializers.DictField(help_text="Saved answer, or the pre-filled values when not yet answered")
    answered = serializers.BooleanField()


class ReferralCreateSerializer(serializers.Serializer):
    crn = serializers.CharField()
    offence_id = serializers.CharField(required=False, help_text="Needed when the person has several offences")


class ReferralSubmitSerializer(serializers.Serializer):
    declaration = serializers.BooleanField(
        help_text="The referrer confirms the information is complete, accurate and up to date"
    )


class PageErrorsSerializer(ProblemSerializer):
    """A page's answers refused: the messages the web form shows, by field, under `errors`."""


class SubmissionIncompleteSerializer(ProblemSerializer):
    """The referral cannot be submitted yet: what is missing, task by task, under `problems`."""

    problems = SubmissionProblemSerializer(
        many=True, required=False, help_text="What is missing; absent when the request itself could not be read"
    )


SavedSerializer = inline_serializer(
    "PageSaved",
    {
        "next_page": serializers.CharField(allow_null=True, help_text="The next page of the task, if any"),
        "task_status": serializers.CharField(),
        "referral": ReferralSerializer(),
    },
)
SubmittedSerializer = inline_serializer(
    "ReferralSubmitted",
    {"newly_submitted": serializers.BooleanField(), "referral": ReferralSerializer()},
)


def referral_data(referral: Referral, draft: services.Draft | None = None) -> dict:
    data = dict(ReferralSerializer(referral).data)
    data["tasks"], data["problems"] = [], []
    if draft is not None:
        statuses = draft.statuses()
        for section in draft.definition.sections:
            for task in section.tasks:
                r = engine.route(task, draft.answers, draft.ctx)
                data["tasks"].append(
                    {
                        "section": section.slug,
                        "slug": task.slug,
                        "title": task.title,
                        "status": statuses[task.slug].value,
                        "next_page": r.stopped_at.slug if r.stopped_at else None,
                        "blockers": r.blockers,
                    }
                )
        data["problems"] = [
            {"task": p.task, "page": p.page, "message": p.message}
            for p in engine.problems(draft.definition, draft.answers, draft.ctx)
        ]
    if not referral.is_draft:
        data["answers"] = {}
    return data


def _field_type(field) -> str:
    if isinstance(field, GovukDateField):
        return "date"
    if isinstance(field, forms.MultipleChoiceField):
        return "multiple_choice"
    if isinstance(field, forms.ChoiceField):
        return "choice"
    if isinstance(field, forms.IntegerField):
        return "integer"
    if isinstance(field, forms.BooleanField):
        return "boolean"
    return "textarea" if isinstance(field.widget, forms.Textarea) else "text"


def _describe_choices(choices) -> list[dict]:
    """Each choice's value and label; a grouped one (e.g. the referral region's local authorities)
    also names its group, in the order the page shows them."""
    described = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            described += [{"value": str(v), "label": str(t), "group": str(value)} for v, t in label]
        elif str(value) != "":
            described.append({"value": str(value), "label": str(label)})
    return described


def _describe_fields(form) -> list[dict]:
    triggers = {}
    for trigger, mapping in form.conditional_fields.items():
        for value, dependents in mapping.items():
            for dependent in dependents:
                triggers.setdefault(dependent, {}).setdefault(trigger, []).append(value)
    fields = []
    for name, field in form.fields.items():
        choices = None
        if hasattr(field, "choices"):
            choices = _describe_choices(field.choices)
        fields.append(
            {
                "name": name,
                "label": str(field.label),
                "type": _field_type(field),
                "required": bool(field.required) or name in triggers,
                "required_when": triggers.get(name),
                "choices": choices,
                "hint": str(field.help_text or ""),
            }
        )
    return fields


# Views ------------------------------------------------------------------------------------------------


class ReferralsView(APIView):
    permission = MAKE

    @extend_schema(
        summary="List your own referrals",
        operation_id="referrals_list",
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=list(queries.TAB_STATUSES), description="Default: in-progress"
            )
        ],
        responses=inline_serializer(
            "PaginatedReferralSummaryList",
            fields={
                "count": serializers.IntegerField(),
                "next": serializers.CharField(allow_null=True),
                "previous": serializers.CharField(allow_null=True),
                "results": ReferralSummarySerializer(many=True),
            },
        ),
    )
    def get(self, request):
        tab = request.query_params.get("status", "in-progress")
        if tab not in queries.TAB_STATUSES:
            tab = "in-progress"
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(queries.referrer_referrals(request.user, tab), request, view=self)
        page = people.hide_limited_access(request.user, page)
        return paginator.get_paginated_response(ReferralSummarySerializer(page, many=True).data)

    @extend_schema(
        summary="Start a draft referral for a person (by CRN)",
        request=ReferralCreateSerializer,
        responses={
            201: ReferralSerializer,
            400: OpenApiResponse(description="Invalid CRN or offence"),
            403: OpenApiResponse(description="Restricted person"),
            404: OpenApiResponse(description="Unknown CRN"),
            503: OpenApiResponse(description="The probation case system is not responding"),
        },
    )
    def post(self, request):
        body = ReferralCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = services.create_draft(
            request.user, body.validated_data["crn"], offence_id=body.validated_data.get("offence_id")
        )
        draft = services.open_draft(request.user, referral.pk)
        return Response(referral_data(draft.referral, draft), status=status.HTTP_201_CREATED)


class ReferralView(APIView):
    permission = MAKE

    @extend_schema(summary="Read one of your referrals", responses=ReferralSerializer)
    def get(self, request, pk):
        referral = services.get_referral(request.user, pk)
        draft = services.open_draft(request.user, pk) if referral.is_draft else None
        return Response(referral_data(draft.referral if draft else referral, draft))

    @extend_schema(
        summary="Delete a draft referral", responses={204: None, 409: OpenApiResponse(description="Submitted")}
    )
    def delete(self, request, pk):
        services.delete_draft(request.user, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReferralPageView(APIView):
    permission = MAKE

    @extend_schema(summary="A page's questions and current answer", responses=PageSerializer)
    def get(self, request, pk, task, page):
        draft = services.open_draft(request.user, pk)
        task_def, page_def = draft.locate(task, page)
        form = engine.build_form(page_def, draft.ctx, draft.answers)
        title = fill(page_def.title, {**draft.ctx["placeholders"], **form.placeholders()})
        return Response(
            {
                "task": task,
                "page": page,
                "title": title,
                "kind": page_def.kind,
                "reachable": engine.is_reachable(task_def, page_def, draft.answers, draft.ctx),
                "fields": _describe_fields(form),
                "values": engine.current_values(task_def, page_def, draft.answers, draft.ctx),
                "answered": engine.stored_values(task_def, page_def, draft.answers) is not None,
            }
        )

    @extend_schema(
        summary="Save a page's answers (the same rules as the web form)",
        description=(
            "Send the answers as a JSON object of field name to value: text, a list of values for "
            "multiple choices, dates as YYYY-MM-DD. For a page that confirms pre-filled values, send "
            "an empty object to confirm them as they are."
        ),
        request=OpenApiTypes.OBJECT,
        responses={200: SavedSerializer, 400: PageErrorsSerializer, 409: OpenApiResponse(description="Not applicable")},
    )
    def put(self, request, pk, task, page):
        data = request.data if isinstance(request.data, dict) else {}
        try:
            draft_page = services.open_draft(request.user, pk).locate(task, page)[1]
            if draft_page.kind == "confirm" and not data:
                data = None
            saved = services.save_page(request.user, pk, task, page, data, from_json=True)
        except services.PageInvalid as exc:
            return problem_response(status.HTTP_400_BAD_REQUEST, exc.message, exc.code, errors=exc.errors)
        statuses = saved.draft.statuses()
        return Response(
            {
                "next_page": saved.next_page.slug if saved.next_page else None,
                "task_status": statuses[saved.task.slug].value,
                "referral": referral_data(saved.referral, saved.draft),
            }
        )


class ReferralSubmissionView(APIView):
    permission = MAKE

    @extend_schema(
        summary="Submit a referral (idempotent: repeating it returns the submitted referral)",
        request=ReferralSubmitSerializer,
        responses={200: SubmittedSerializer, 201: SubmittedSerializer, 400: SubmissionIncompleteSerializer},
    )
    @idempotent("referral.submit")
    def post(self, request, pk):
        body = ReferralSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = services.submit_referral(request.user, pk, declaration=body.validated_data["declaration"])
        except services.SubmissionIncomplete as exc:
            return problem_response(
                status.HTTP_400_BAD_REQUEST,
                "You cannot submit the referral yet",
                exc.code,
                detail=" ".join(p.message for p in exc.problems),
                problems=[{"task": p.task, "page": p.page, "message": p.message} for p in exc.problems],
            )
        return Response(
            {"newly_submitted": result.newly_submitted, "referral": referral_data(result.referral)},
            status=status.HTTP_201_CREATED if result.newly_submitted else status.HTTP_200_OK,
        )


urlpatterns = [
    path("referrals", api(ReferralsView.as_view()), name="referrals"),
    path("referrals/<uuid:pk>", api(ReferralView.as_view()), name="referral"),
    path("referrals/<uuid:pk>/pages/<slug:task>/<slug:page>", api(ReferralPageView.as_view()), name="referral-page"),
    path("referrals/<uuid:pk>/submission", api(ReferralSubmissionView.as_view()), name="referral-submission"),
]
