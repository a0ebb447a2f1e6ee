"""The review API: the HPT's queue with the same tabs, search, region filter and sorting as the
pages (and totals per tab that honour the search), a referral with its risks, flags, duplicates and
answers, the decisions (allocate, allocate to a colleague or reallocate, unallocate, accept, reject,
archive, reopen), corrected dates, notes and the timeline. Writes call `cas.referrals.cas3.review`, exactly as the pages do.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from cas.api.routing import api
from cas.core import clock
from cas.core.permissions import Permission
from cas.people import services as people
from cas.referrals import services, timeline
from cas.referrals.cas3 import queries, review
from cas.referrals.cas3.workflow import WORKFLOW, Action
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.lifecycle import allowed_actions
from cas.referrals.models import Referral, TimelineEntry

READ = Permission.REFERRAL_READ
ASSESS = Permission.REFERRAL_ASSESS

SORT_CHOICES = sorted([*queries.QUEUE_SORTS, *(f"-{key}" for key in queries.QUEUE_SORTS)])


# Shapes -----------------------------------------------------------------------------------------------------


class QueueReferralSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    crn = serializers.CharField()
    person_name = serializers.CharField()
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    status_label = serializers.CharField()
    region = serializers.CharField()
    region_code = serializers.CharField()
    pdu = serializers.CharField(allow_null=True)
    submitted_at = serializers.DateTimeField()
    release_date = serializers.DateField(allow_null=True)
    accommodation_required_from = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(
        allow_null=True, help_text="Days until accommodation is needed (negative once the date has passed)"
    )
    urgent = serializers.BooleanField(help_text="Open and needed within 7 days")
    review_due_on = serializers.DateField(allow_null=True, help_text="Last day of the region's service level")
    overdue = serializers.BooleanField(help_text="Still waiting for a decision after the review was due")
    allocated_to = serializers.CharField(allow_null=True, help_text="The assessor reviewing it")


class DuplicateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["referral", "booking"])
    label = serializers.CharField()
    region = serializers.CharField()
    status = serializers.CharField()
    since = serializers.CharField(allow_null=True)


class RejectionSerializer(serializers.Serializer):
    reason = serializers.CharField()
    details = serializers.CharField(allow_blank=True)
    withdrawal_requested = serializers.BooleanField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class ReviewReferralSerializer(QueueReferralSerializer):
    version = serializers.IntegerField(help_text="Send it back when changing dates, to refuse a stale change")
    allowed_actions = serializers.ListField(
        child=serializers.ChoiceField(choices=[a.value for a in Action]),
        help_text="What the current user may do now (empty for read-only users)",
    )
    referred_by = serializers.DictField(child=serializers.CharField())
    origin_region = serializers.CharField()
    is_out_of_region = serializers.BooleanField()
    person = serializers.DictField(help_text="Identity and index offence as recorded when the referral was made")
    risk = serializers.DictField(help_text="RoSH levels, MAPPA, tier, risk flags")
    placement_flags = serializers.DictField(
        child=serializers.BooleanField(allow_null=True), help_text="The key flags for placement; null: not known"
    )
    rejection = RejectionSerializer(allow_null=True)
    duplicates = DuplicateSerializer(many=True, help_text="Other open referrals or bookings for the CRN, any region")
    document = serializers.DictField(allow_null=True, help_text="The questions and answers as submitted")


class TimelineEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=TimelineEntry.Kind.choices)
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    author = serializers.CharField()
    author_kind = serializers.ChoiceField(choices=TimelineEntry.Author.choices)
    action = serializers.CharField(allow_blank=True)
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField(allow_blank=True)
    visible_to_referrer = serializers.BooleanField()
    details = serializers.DictField()


class RejectBodySerializer(serializers.Serializer):
    reason = serializers.IntegerField(
        help_text="Id of an active CAS3 entry of /api/v1/reference/referral-rejection-reasons"
    )
    details = serializers.CharField(required=False, allow_blank=True, max_length=review.DETAILS_MAX_LENGTH)
    withdrawal_requested = serializers.BooleanField(
        help_text="Whether the probation practitioner asked for the referral to be withdrawn"
    )


class NoteBodySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=timeline.NOTE_MAX_LENGTH)
    to_referrer = serializers.BooleanField(
        default=False, help_text="Addressed to the probation practitioner: they see it and are emailed"
    )


class ReferrerNoteBodySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=timeline.NOTE_MAX_LENGTH)


class AllocationBodySerializer(serializers.Serializer):
    assessor = serializers.IntegerField(
        help_text="Id of an assessor from GET /api/v1/review/referrals/{id}/assessors (yourself or a colleague)"
    )


class AssessorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    is_you = serializers.BooleanField()
    is_reviewing = serializers.BooleanField(help_text="Reviewing the referral now")


class DatesBodySerializer(serializers.Serializer):
    release_date = serializers.DateField()
    accommodation_required_from = serializers.DateField()
    version = serializers.IntegerField(required=False, min_value=0, help_text="The referral's version you read")


QueuePageSerializer = inline_serializer(
    "ReviewQueuePage",
    {
        "count": serializers.IntegerField(),
        "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
        "totals": inline_serializer(
            "ReviewQueueTotals",
            {key.replace("-", "_"): serializers.IntegerField() for key in queries.QUEUE_TABS},
        ),
        "totals_capped": serializers.ListField(
            child=serializers.ChoiceField(choices=[key.replace("-", "_") for key in queries.QUEUE_TABS]),
            help_text=(
                f"Tabs counted only up to {queries.QUEUE_COUNT_LIMIT:,} (the archive, when another tab is asked "
                "for): their total is then that limit and there are more"
            ),
        ),
        "results": QueueReferralSerializer(many=True),
    },
)


# Building the data ---------------------------------------------------------------------------------------------


def _name(user) -> str | None:
    return (user.get_full_name() or user.username) if user else None


def _queue_data(referral: Referral, flags: queries.Flags) -> dict:
    return {
        "id": referral.pk,
        "reference": referral.reference,
        "crn": referral.crn,
        "person_name": referral.person_name,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "region": referral.region.name,
        "region_code": referral.region.delius_code,
        "pdu": referral.pdu.name if referral.pdu else None,
        "submitted_at": referral.submitted_at,
        "release_date": referral.release_date,
        "accommodation_required_from": referral.accommodation_required_from,
        "days_left": flags.days_left,
        "urgent": flags.urgent,
        "review_due_on": flags.review_due_on,
        "overdue": flags.overdue,
        "allocated_to": _name(referral.allocated_to) if referral.status == ReferralStatus.IN_REVIEW else None,
    }


FLAG_FIELDS = (
    "is_registered_sex_offender",
    "has_history_of_sexual_offence",
    "has_concerning_sexual_behaviour",
    "has_history_of_arson",
    "has_concerning_arson_behaviour",
    "needs_accessible_property",
    "has_risk_to_self_concerns",
    "is_able_to_share",
)


def referral_data(user, referral: Referral) -> dict:
    data = _queue_data(referral, queries.flags_for(referral))
    snapshot = referral.risk_snapshot or {}
    can_assess = review.can_assess(user, referral)
    data.update(
        {
            "version": referral.version,
            "allowed_actions": [str(a) for a in allowed_actions(referral)] if can_assess else [],
            "referred_by": {"name": _name(referral.created_by), "email": referral.created_by.email},
            "origin_region": referral.origin_region.name,
            "is_out_of_region": referral.is_out_of_region,
            "person": {
                "name": referral.person_name,
                "crn": referral.crn,
                "date_of_birth": referral.date_of_birth.isoformat() if referral.date_of_birth else None,
                "sex": referral.sex,
                "gender_identity": referral.gender_identity,
                "ethnicity": referral.ethnicity,
                "pnc_number": referral.pnc_number,
                "noms_number": referral.noms_number,
                "prison": referral.prison_name_on_creation,
                "index_offence": referral.offence_description,
            },
            "risk": {
                "rosh": referral.rosh_level or None,
                "rosh_levels": snapshot.get("rosh") or {},
                "mappa": referral.mappa or None,
                "tier": referral.tier or None,
                "flags": snapshot.get("flags") or [],
                "assessment_completed_on": referral.risk_assessment_completed_on.isoformat()
                if referral.risk_assessment_completed_on
                else None,
            },
            "placement_flags": {name: getattr(referral, name) for name in FLAG_FIELDS},
            "rejection": {
                "reason": referral.rejection_reason.name,
                "details": referral.rejection_details,
                "withdrawal_requested": referral.withdrawal_requested,
                "decided_at": referral.decided_at,
            }
            if referral.status == ReferralStatus.REJECTED and referral.rejection_reason
            else None,
            "duplicates": [
                {
                    "kind": m.kind,
                    "label": m.label,
                    "region": m.region,
                    "status": m.status,
                    "since": m.since.isoformat() if m.since else None,
                }
                for m in queries.duplicates(referral)
            ],
            "document": referral.document,
        }
    )
    return dict(ReviewReferralSerializer(data).data)


def timeline_data(entries, *, for_referrer: bool = False) -> list[dict]:
    rows = []
    for entry in entries:
        title, description = timeline.describe(entry, for_referrer=for_referrer)
        rows.append(
            {
                "id": entry.pk,
                "kind": entry.kind,
                "title": title,
                "description": description,
                "created_at": entry.created_at,
                "author": entry.author_name,
                "author_kind": entry.author_kind,
                "action": entry.action,
                "from_status": entry.from_status,
                "to_status": entry.to_status,
                "visible_to_referrer": entry.visible_to_referrer,
                "details": entry.details,
            }
        )
    return TimelineEntrySerializer(rows, many=True).data


# Views ----------------------------------------------------------------------------------------------------------


class ReviewView(APIView):
    """CAS3's review endpoints are for the users who reach CAS3's referrals: another tier's assessors
    hold the same permissions for their own tier only, and are refused (403) before anything else."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not review.may_review(request.user):
            raise PermissionDenied("CAS3 referrals are reviewed by CAS3's assessors")


class ReviewQueueView(ReviewView):
    permission = READ

    @extend_schema(
        summary="The review queue: one tab, searched and sorted, with the totals of every tab",
        parameters=[
            OpenApiParameter(
                "tab", OpenApiTypes.STR, enum=list(queries.QUEUE_TABS), description="Default: unallocated"
            ),
            OpenApiParameter("q", OpenApiTypes.STR, description="A CRN (exact) or words of the person's name"),
            OpenApiParameter("sort", OpenApiTypes.STR, enum=SORT_CHOICES, description="A column; '-' sorts descending"),
            OpenApiParameter(
                "region",
                OpenApiTypes.STR,
                description="Delius code of a region (national users only; ignored otherwise)",
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses=QueuePageSerializer,
        operation_id="review_referrals_list",
    )
    def get(self, request):
        tab = request.query_params.get("tab", "unallocated")
        if tab not in queries.QUEUE_TABS:
            tab = "unallocated"
        queue = queries.review_queue(
            request.user,
            tab,
            q=request.query_params.get("q", ""),
            sort=request.query_params.get("sort"),
            region_code=request.query_params.get("region", "")[:10],
        )
        paginator = PageNumberPagination()
        page = people.hide_limited_access(
            request.user, paginator.paginate_queryset(queue.referrals, request, view=self)
        )
        levels = queries.service_levels()
        today = clock.today()
        results = QueueReferralSerializer(
            [_queue_data(r, queries.flags_for(r, levels, today)) for r in page], many=True
        ).data
        response = paginator.get_paginated_response(results)
        response.data["totals"] = {key.replace("-", "_"): value for key, value in queue.totals.items()}
        response.data["totals_capped"] = sorted(key.replace("-", "_") for key in queue.capped)
        return response


class ReviewReferralView(ReviewView):
    permission = READ

    @extend_schema(
        summary="A referral for review: person, risks, flags, duplicates and answers",
        responses=ReviewReferralSerializer,
    )
    def get(self, request, pk):
        referral = review.open_referral(request.user, pk, purpose="CAS3 review (API): read the referral")
        return Response(referral_data(request.user, referral))


def _action_view(action: Action):
    service = review.ACTIONS[action]

    class ActionView(ReviewView):
        permission = ASSESS

        @extend_schema(
            summary=f"{WORKFLOW.timeline_title(action)} ({action.value})",
            description="Refused with 409 when the referral's status does not allow it; the message says why.",
            request=None,
            responses={200: ReviewReferralSerializer},
        )
        def post(self, request, pk):
            referral = service(request.user, pk)
            return Response(referral_data(request.user, referral))

    ActionView.__name__ = f"Review{action.value.title()}View"
    ActionView.__qualname__ = ActionView.__name__
    return ActionView


class ReviewAssessorsView(ReviewView):
    permission = ASSESS

    @extend_schema(
        summary="Who the referral can be allocated to: its region's assessors (and you)",
        responses=AssessorSerializer(many=True),
    )
    def get(self, request, pk):
        referral = review.open_referral(request.user, pk, purpose="CAS3 review (API): allocate")
        reviewing = referral.allocated_to_id if referral.status == ReferralStatus.IN_REVIEW else None
        rows = [
            {
                "id": a.pk,
                "name": timeline.author_name(a),
                "is_you": a.pk == request.user.pk,
                "is_reviewing": a.pk == reviewing,
            }
            for a in review.allocation_choices(request.user, referral)
        ]
        return Response(AssessorSerializer(rows, many=True).data)


class ReviewAllocationView(ReviewView):
    permission = ASSESS

    @extend_schema(
        summary="Allocate the referral to an assessor (yourself or a colleague), or reallocate one in review",
        description="Refused with 409 when the referral's status does not allow it; 400 for an assessor who "
        "is not in the list, or who is reviewing it already.",
        request=AllocationBodySerializer,
        responses={200: ReviewReferralSerializer},
    )
    def post(self, request, pk):
        body = AllocationBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = review.allocate_to(request.user, pk, body.validated_data["assessor"])
        return Response(referral_data(request.user, referral))


class ReviewRejectView(ReviewView):
    permission = ASSESS

    @extend_schema(
        summary="Reject the referral, with a reason (the referrer is emailed)",
        request=RejectBodySerializer,
        responses={200: ReviewReferralSerializer},
    )
    def post(self, request, pk):
        body = RejectBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = review.reject(
            request.user,
            pk,
            reason_id=body.validated_data["reason"],
            details=body.validated_data.get("details", ""),
            withdrawal_requested=body.validated_data["withdrawal_requested"],
        )
        return Response(referral_data(request.user, referral))


class ReviewDatesView(ReviewView):
    permission = ASSESS

    @extend_schema(
        summary="Correct the release date and the date accommodation is required from",
        request=DatesBodySerializer,
        responses={200: ReviewReferralSerializer},
    )
    def put(self, request, pk):
        body = DatesBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = review.change_dates(
            request.user,
            pk,
            release_date=body.validated_data["release_date"],
            accommodation_required_from=body.validated_data["accommodation_required_from"],
            version=body.validated_data.get("version"),
        )
        return Response(referral_data(request.user, referral))


class ReviewTimelineView(ReviewView):
    permission = READ

    @extend_schema(summary="The referral's timeline, newest first", responses=TimelineEntrySerializer(many=True))
    def get(self, request, pk):
        referral = review.open_referral(request.user, pk, purpose="CAS3 review (API): read the timeline")
        return Response(timeline_data(timeline.entries(referral)))


class ReviewNotesView(ReviewView):
    permission = ASSESS

    @extend_schema(
        summary="Add a note (for the HPT, or addressed to the referrer, who is emailed)",
        request=NoteBodySerializer,
        responses={201: TimelineEntrySerializer},
    )
    def post(self, request, pk):
        body = NoteBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = review.add_note(
            request.user, pk, body.validated_data["text"], to_referrer=body.validated_data["to_referrer"]
        )
        return Response(timeline_data([entry])[0], status=status.HTTP_201_CREATED)


# The referrer's side: their own referral's timeline and their replies.


class ReferralTimelineView(APIView):
    permission = Permission.REFERRAL_MAKE

    @extend_schema(
        summary="Your referral's timeline: decisions, corrected dates and notes between you and the HPT",
        responses=TimelineEntrySerializer(many=True),
    )
    def get(self, request, pk):
        referral = services.view_submitted(request.user, pk)
        return Response(timeline_data(timeline.entries(referral, for_referrer=True), for_referrer=True))


class ReferralNotesView(APIView):
    permission = Permission.REFERRAL_MAKE

    @extend_schema(
        summary="Add a note to your referral for the HPT (they are emailed)",
        request=ReferrerNoteBodySerializer,
        responses={201: TimelineEntrySerializer, 409: OpenApiResponse(description="Not sent yet")},
    )
    def post(self, request, pk):
        body = ReferrerNoteBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.add_referrer_note(request.user, pk, body.validated_data["text"])
        return Response(timeline_data([entry])[0], status=status.HTTP_201_CREATED)


urlpatterns = [
    path("review/referrals", api(ReviewQueueView.as_view()), name="review-referrals"),
    path("review/referrals/<uuid:pk>", api(ReviewReferralView.as_view()), name="review-referral"),
    path("review/referrals/<uuid:pk>/timeline", api(ReviewTimelineView.as_view()), name="review-referral-timeline"),
    path("review/referrals/<uuid:pk>/notes", api(ReviewNotesView.as_view()), name="review-referral-notes"),
    path("review/referrals/<uuid:pk>/dates", api(ReviewDatesView.as_view()), name="review-referral-dates"),
    path("review/referrals/<uuid:pk>/reject", api(ReviewRejectView.as_view()), name="review-referral-reject"),
    path("review/referrals/<uuid:pk>/assessors", api(ReviewAssessorsView.as_view()), name="review-referral-assessors"),
    path(
        "review/referrals/<uuid:pk>/allocation",
        api(ReviewAllocationView.as_view()),
        name="review-referral-allocation",
    ),
    *(
        path(
            f"review/referrals/<uuid:pk>/{action.value}",
            api(_action_view(action).as_view()),
            name=f"review-referral-{action.value}",
        )
        for action in review.ACTIONS
    ),
    path("referrals/<uuid:pk>/timeline", api(ReferralTimelineView.as_view()), name="referral-timeline"),
    path("referrals/<uuid:pk>/notes", api(ReferralNotesView.as_view()), name="referral-notes"),
]
