"""Shapes of the placement API. Serializers validate and shape only; writes go through the services."""

import datetime as dt

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cas.placements import lifecycle
from cas.placements.models import Booking, Incident
from cas.placements.search import MAX_PDUS, Occupancy, SexNeed, SexualRisk
from cas.placements.status import BookingStatus
from cas.reference.models import (
    CancellationReason,
    DepartureReason,
    DestinationProvider,
    LocalAuthorityArea,
    MoveOnCategory,
    NonArrivalReason,
    ProbationDeliveryUnit,
)
from cas.referrals.cas3.tier import MAX_NIGHTS

# More than there are local authority areas in England and Wales (about 400 with the abolished ones).
MAX_AVOIDED = 500
EARLIEST = "2000-01-01"
LATEST = "2100-12-31"


class BoundedDateField(serializers.DateField):
    """A date from 2000 to 2100: anything else is a typing mistake."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
            raise serializers.ValidationError("Enter a date between 2000 and 2100")
        return day


class RelatedIdsField(serializers.ListField):
    """Ids of `queryset`'s rows, given back as the rows, read in one query (PrimaryKeyRelatedField
    with many=True reads one row per id)."""

    def __init__(self, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), **kwargs)

    def to_internal_value(self, data):
        ids = super().to_internal_value(data)
        found = self.queryset.in_bulk(ids)
        missing = [i for i in ids if i not in found]
        if missing:
            raise serializers.ValidationError(f'Invalid pk "{missing[0]}" - object does not exist.')
        return [found[i] for i in ids]


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SearchRequestSerializer(serializers.Serializer):
    start_date = BoundedDateField(help_text="The first night of the stay")
    nights = serializers.IntegerField(min_value=1, max_value=MAX_NIGHTS, default=MAX_NIGHTS)
    pdus = RelatedIdsField(
        queryset=ProbationDeliveryUnit.objects.all(),
        max_length=MAX_PDUS,
        default=list,
        error_messages={"max_length": f"Select up to {MAX_PDUS} PDUs"},
        help_text="PDU ids; none (or an empty list) searches every PDU of your region",
    )
    occupancy = serializers.ChoiceField(choices=[o.value for o in Occupancy], default=Occupancy.ALL.value)
    sex = serializers.ChoiceField(choices=[s.value for s in SexNeed], default=SexNeed.NONE.value)
    sexual_risk = serializers.ListField(
        child=serializers.ChoiceField(choices=[r.value for r in SexualRisk]), default=list, max_length=2
    )
    arson = serializers.BooleanField(default=False)
    wheelchair = serializers.BooleanField(default=False)
    step_free = serializers.BooleanField(default=False)
    avoid_local_authorities = RelatedIdsField(
        queryset=LocalAuthorityArea.objects.all(), default=list, max_length=MAX_AVOIDED
    )

    def validate_pdus(self, value):
        if len(value) > MAX_PDUS:
            raise serializers.ValidationError(f"Select up to {MAX_PDUS} PDUs")
        return value


class CodedSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


# The search results are built as dictionaries by `search_results` (a search returns hundreds of
# bedspaces, and DRF serialising them field by field cost more than the search's SQL); these
# serializers describe the same shape for the OpenAPI document, and the schema tests hold the two
# together.


class ResultBedspaceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    characteristics = serializers.ListField(child=serializers.CharField())


class ResultPremisesSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    address_line1 = serializers.CharField()
    address_line2 = serializers.CharField(allow_blank=True)
    town = serializers.CharField(allow_blank=True)
    postcode = serializers.CharField()
    pdu = serializers.CharField()
    local_authority = serializers.CharField(allow_null=True)
    notes = serializers.CharField(allow_blank=True)
    turnaround_working_days = serializers.IntegerField()
    characteristics = serializers.ListField(child=serializers.CharField())


class OverlapSerializer(serializers.Serializer):
    booking_id = serializers.UUIDField()
    person_name = serializers.CharField()
    crn = serializers.CharField()
    sex = serializers.CharField(allow_blank=True)
    is_sexual_risk = serializers.BooleanField()
    bedspace = serializers.CharField()
    nights = serializers.IntegerField()


class PropertyResultSerializer(serializers.Serializer):
    premises = ResultPremisesSerializer()
    bedspaces = ResultBedspaceSerializer(many=True)
    overlaps = OverlapSerializer(many=True)


class SearchResultsSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    departure_date = serializers.DateField()
    nights = serializers.IntegerField()
    bedspace_count = serializers.IntegerField()
    properties = PropertyResultSerializer(many=True)


def search_results(results) -> dict:
    """`SearchResultsSerializer`'s shape, from a `search.Results`."""
    criteria = results.criteria
    return {
        "start_date": criteria.start_date.isoformat(),
        "departure_date": criteria.departure_date.isoformat(),
        "nights": criteria.nights,
        "bedspace_count": results.bedspace_count,
        "properties": [
            {
                "premises": {
                    "id": str(p.id),
                    "reference": p.reference,
                    "address_line1": p.address_line1,
                    "address_line2": p.address_line2,
                    "town": p.town,
                    "postcode": p.postcode,
                    "pdu": p.pdu,
                    "local_authority": p.local_authority,
                    "notes": p.notes,
                    "turnaround_working_days": p.turnaround_working_days,
                    "characteristics": p.characteristics,
                },
                "bedspaces": [
                    {"id": str(b.id), "reference": b.reference, "characteristics": b.characteristics}
                    for b in group.bedspaces
                ],
                "overlaps": [
                    {
                        "booking_id": str(o.booking_id),
                        "person_name": o.person_name,
                        "crn": o.crn,
                        "sex": o.sex,
                        "is_sexual_risk": o.is_sexual_risk,
                        "bedspace": o.bedspace,
                        "nights": o.nights,
                    }
                    for o in group.overlaps
                ],
            }
            for group in results.properties
            for p in (group.premises,)
        ],
    }


class AvailabilityQuerySerializer(serializers.Serializer):
    start_date = BoundedDateField(required=False, help_text="Default today")
    nights = serializers.IntegerField(min_value=1, max_value=MAX_NIGHTS, default=MAX_NIGHTS)


class ReasonSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["not_open", "archived", "booking", "turnaround", "void", "filter", "pdu"])
    text = serializers.CharField()
    until = serializers.DateField(allow_null=True)
    booking_id = serializers.UUIDField(allow_null=True)


class AvailabilitySerializer(serializers.Serializer):
    bedspace_id = serializers.UUIDField()
    start_date = serializers.DateField()
    nights = serializers.IntegerField()
    available = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)


class BookingPremisesSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    address_line1 = serializers.CharField()
    address_line2 = serializers.CharField(allow_blank=True)
    town = serializers.CharField(allow_blank=True)
    postcode = serializers.CharField()


class BookingBedspaceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()


# Where each action of `allowed_actions` is done: POST /api/v1/bookings/{id}/<endpoint>.
ACTION_ENDPOINTS = {
    lifecycle.Action.CONFIRM: "confirmation",
    lifecycle.Action.ARRIVE: "arrival",
    lifecycle.Action.CHANGE_DEPARTURE_DATE: "departure-date",
    lifecycle.Action.DEPART: "departure",
    lifecycle.Action.CHANGE_ARRIVAL_DATE: "arrival-date",
    lifecycle.Action.UPDATE_DEPARTURE: "departure",
    lifecycle.Action.RECORD_NON_ARRIVAL: "non-arrival",
    lifecycle.Action.CANCEL: "cancellation",
    lifecycle.Action.UPDATE_CANCELLATION: "cancellation",
    lifecycle.Action.CHANGE_TURNAROUND: "turnaround",
    lifecycle.Action.RECORD_INCIDENT: "incidents",
}
ALLOWED_ACTIONS_HELP = (
    "What the current user may do to the booking now, from the booking lifecycle (empty for read-only users). "
    "Each is a POST to /api/v1/bookings/{id}/ followed by: "
    + "; ".join(f"{action.value}: {endpoint}" for action, endpoint in ACTION_ENDPOINTS.items())
    + ". Anything else is refused with 409 transition_not_allowed."
)


class BookingSerializer(serializers.ModelSerializer):
    """A booking. Pass `context={"can_manage": True}` for a user who may act on it: `allowed_actions`
    is empty otherwise."""

    status = serializers.ChoiceField(choices=BookingStatus.choices, read_only=True, source="current_status")
    allowed_actions = serializers.SerializerMethodField(help_text=ALLOWED_ACTIONS_HELP)
    premises = BookingPremisesSerializer(read_only=True)
    bedspace = BookingBedspaceSerializer(read_only=True)
    nights = serializers.IntegerField(read_only=True)
    cancellation_reason = serializers.CharField(
        source="cancellation_reason.name", allow_null=True, default=None, read_only=True
    )
    departure_reason = serializers.CharField(
        source="departure_reason.name", allow_null=True, default=None, read_only=True
    )
    move_on_category = serializers.CharField(
        source="move_on_category.name", allow_null=True, default=None, read_only=True
    )

    class Meta:
        model = Booking
        fields = [
            "id",
            "service",
            "status",
            "version",
            "referral",
            "crn",
            "noms_number",
            "person_name",
            "sex",
            "gender_identity",
            "is_sexual_risk",
            "premises",
            "bedspace",
            "arrival_date",
            "departure_date",
            "nights",
            "actual_arrival_date",
            "actual_departure_date",
            "turnaround_working_days",
            "available_from",
            "is_overstay",
            "overstay_authorised",
            "overstay_reason",
            "cancelled_on",
            "cancellation_reason",
            "departure_reason",
            "move_on_category",
            "notes",
            "created_at",
            "allowed_actions",
        ]
        # A response shape only: every field is always sent, so the document marks each one required.
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=[a.value for a in lifecycle.Action]))
    )
    def get_allowed_actions(self, booking) -> list[str]:
        if not self.context.get("can_manage"):
            return []
        return [a.value for a in lifecycle.allowed_actions(booking.current_status)]


class HistoryEntrySerializer(serializers.Serializer):
    label = serializers.CharField()
    at = serializers.DateTimeField()
    by = serializers.CharField()
    lines = serializers.ListField(child=serializers.CharField())


class BookingCreateSerializer(serializers.Serializer):
    crn = serializers.CharField(max_length=20)
    arrival_date = BoundedDateField()
    departure_date = BoundedDateField()
    referral_id = serializers.UUIDField(required=False, allow_null=True, help_text="A ready-to-place referral")
    notes = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default="", help_text="Kept on the booking"
    )
    sharing_acknowledged = serializers.BooleanField(
        default=False,
        help_text="The referral says the person is not suitable to share and the property is shared: booking it "
        "anyway needs true (400 `not_suitable_to_share` otherwise)",
    )


class VersionedSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="The booking's version you read (refused if stale)"
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class OverstaySerializerMixin(serializers.Serializer):
    overstay_authorised = serializers.BooleanField(
        required=False, allow_null=True, help_text="Needed when the stay goes past 84 nights"
    )
    overstay_reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class ArrivalSerializer(OverstaySerializerMixin, VersionedSerializer):
    arrival_date = BoundedDateField()
    expected_departure_date = BoundedDateField()


class ArrivalDateSerializer(VersionedSerializer):
    arrival_date = BoundedDateField()


class DepartureDateSerializer(OverstaySerializerMixin, VersionedSerializer):
    departure_date = BoundedDateField()


class DepartureSerializer(OverstaySerializerMixin, VersionedSerializer):
    departure_date = BoundedDateField()
    reason = serializers.PrimaryKeyRelatedField(queryset=DepartureReason.objects.all())
    move_on_category = serializers.PrimaryKeyRelatedField(queryset=MoveOnCategory.objects.all())
    destination_provider = serializers.PrimaryKeyRelatedField(
        queryset=DestinationProvider.objects.all(), required=False, allow_null=True, default=None
    )


class CancellationSerializer(VersionedSerializer):
    cancelled_on = BoundedDateField()
    reason = serializers.PrimaryKeyRelatedField(queryset=CancellationReason.objects.all())


class NonArrivalSerializer(VersionedSerializer):
    expected_on = BoundedDateField(required=False, allow_null=True, default=None)
    reason = serializers.PrimaryKeyRelatedField(queryset=NonArrivalReason.objects.all())


class TurnaroundSerializer(VersionedSerializer):
    working_days = serializers.IntegerField(min_value=0, max_value=365)


class IncidentCreateSerializer(serializers.Serializer):
    """What a client sends to record an incident (the answer is an `Incident`)."""

    kind = serializers.ChoiceField(choices=Incident.Kind.choices)
    occurred_on = BoundedDateField()
    details = serializers.CharField(max_length=5000)


class IncidentSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Incident.Kind.choices)
    occurred_on = BoundedDateField()
    details = serializers.CharField(max_length=5000)
    booking = serializers.UUIDField(source="booking_id", read_only=True, allow_null=True)
    premises = serializers.UUIDField(source="premises_id", read_only=True)

    class Meta:
        model = Incident
        fields = ["id", "kind", "occurred_on", "details", "booking", "premises", "created_at"]
        read_only_fields = ["id", "booking", "premises", "created_at"]
