"""The domain event feed for other systems: thin messages in order, and each event's detail."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from cas.core.permissions import Permission
from cas.events.domain_events import thin_message
from cas.events.models import DomainEvent
from cas.people import services as people


def _hide_people(user, events):
    """Events about a person the reader may not see keep the CRN (the case's reference, shown in every
    list) but not the prison number. Display copies: never saved."""
    events = list(events)
    limited = people.limited_access_crns(user, {e.crn for e in events})
    for event in events:
        if event.crn in limited:
            event.noms_number = ""
            reference = event.detail.get("personReference") if isinstance(event.detail, dict) else None
            if isinstance(reference, dict) and "noms" in reference:
                event.detail = {**event.detail, "personReference": {**reference, "noms": None}}
            event.save = None
    return events


class PersonReferenceSerializer(serializers.Serializer):
    identifiers = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


class EventMessageSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    eventType = serializers.CharField()
    version = serializers.IntegerField()
    description = serializers.CharField(allow_blank=True)
    detailUrl = serializers.URLField()
    occurredAt = serializers.DateTimeField()
    service = serializers.CharField()
    personReference = PersonReferenceSerializer()

    def to_representation(self, instance):
        return thin_message(instance)


class EventDetailSerializer(EventMessageSerializer):
    detail = serializers.DictField()

    def to_representation(self, instance):
        return {**thin_message(instance), "detail": instance.detail}


class EventFeedView(ListAPIView):
    permission = Permission.EVENTS_READ
    serializer_class = EventMessageSerializer

    @extend_schema(
        summary="Domain events in the order they happened",
        parameters=[
            OpenApiParameter("after", OpenApiTypes.DATETIME, description="Only events after this time (ISO 8601)"),
            OpenApiParameter("type", OpenApiTypes.STR, description="Only this eventType"),
            OpenApiParameter("crn", OpenApiTypes.STR, description="Only events about this person"),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else _hide_people(self.request.user, page)

    def get_queryset(self):
        events = DomainEvent.objects.order_by("occurred_at", "id")
        params = self.request.query_params
        if "after" in params:
            try:
                after = parse_datetime(params["after"])
                if after is not None:
                    # Any offset Python accepts, but PostgreSQL only takes sane ones: compare in UTC.
                    after = after.astimezone(dt.UTC) if after.tzinfo else after.replace(tzinfo=dt.UTC)
            except (ValueError, OverflowError):
                after = None
            if after is None:
                raise ValidationError({"after": "Enter a date and time in ISO 8601 format"})
            events = events.filter(occurred_at__gt=after)
        if params.get("type"):
            events = events.filter(event_type=params["type"][:100])
        if params.get("crn"):
            events = events.filter(crn=params["crn"].strip().upper()[:7])
        return events


class EventDetailView(APIView):
    permission = Permission.EVENTS_READ

    @extend_schema(responses=EventDetailSerializer, summary="One domain event with its full detail")
    def get(self, request, pk):
        [event] = _hide_people(request.user, [get_object_or_404(DomainEvent, pk=pk)])
        return Response(EventDetailSerializer(event).data)
