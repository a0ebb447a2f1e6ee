"""Shapes of the placement API. Serializers validate and shape only; writes go through the services."""

from rest_framework import serializers

from cas.placements.models import MAX_NIGHTS, Booking, Incident
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

EARLIEST = "2000-01-01"
LATEST = "2100-12-31"


class BoundedDateField(serializers.DateField):
    """A date from 2000 to 2100: anything else is a typing mistake."""

    def to_internal_value(self, value):
        import datetime as dt

        day = super().to_internal_value(value)
        if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
            raise serializers.ValidationError("Enter a date between 2000 and 2100")
        return day


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SearchRequestSerializer(serializers.Serializer):
    start_date = BoundedDateField(help_text="The first night of the stay")
    nights = serializers.IntegerField(min_value=1, max_value=MAX_NIGHTS, default=MAX_NIGHTS)
    pdus = serializers.PrimaryKeyRelatedField(
        queryset=ProbationDeliveryUnit.objects.all(), many=True, help_text=f"1 to {MAX_PDUS} PDU ids"
    )
    occupancy = serializers.ChoiceField(choices=[o.value for o in Occupancy], default=Occupancy.ALL.value)
    sex = serializers.ChoiceField(choices=[s.value for s in SexNeed], default=SexNeed.NONE.value)
    sexual_risk = serializers.ListField(
        child=serializers.ChoiceField(choices=[r.value for r in SexualRisk]), default=list, max_length=2
    )
    arson = serializers.BooleanField(default=False)
    wheelchair = serializers.BooleanField(default=False)
    step_free = serializers.BooleanField(default=False)
    avoid_local_authorities = serializers.PrimaryKeyRelatedField(
        queryset=LocalAuthorityArea.objects.all(), many=True, default=list
    )

    def validate_pdus(self, value):
        if not value:
            raise serializers.ValidationError("Select at least one PDU")
        if len(value) > MAX_PDUS:
            raise serializers.ValidationError(f"Select up to {MAX_PDUS} PDUs")
        return value


class CodedSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ResultBedspaceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    characteristics = serializers.SerializerMethodField()

    def get_characteristics(self, obj) -> list[str]:
        return [c.name for c in obj.characteristics.all()]


class ResultPremisesSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    address_line1 = serializers.CharField()
    address_line2 = serializers.CharField(allow_blank=True)
    town = serializers.CharField(allow_blank=True)
    postcode = serializers.CharField()
    pdu = serializers.CharField(source="pdu.name")
    local_authority = serializers.CharField(source="local_authority.name", allow_null=True, default=None)
    notes = serializers.CharField(allow_blank=True)
    turnaround_working_days = serializers.IntegerField()
    characteristics = serializers.SerializerMethodField()

    def get_characteristics(self, obj) -> list[str]:
        return [c.name for c in obj.characteristics.all()]


class OverlapSerializer(serializers.Serializer):
    booking_id = serializers.UUIDField(source="booking.pk")
    person_name = serializers.CharField(source="booking.person_name")
    crn = serializers.CharField(source="booking.crn")
    sex = serializers.CharField(source="booking.sex", allow_blank=True)
    is_sexual_risk = serializers.BooleanField(source="booking.is_sexual_risk")
    bedspace = serializers.CharField(source="booking.bedspace.reference")
    nights = serializers.IntegerField()


class PropertyResultSerializer(serializers.Serializer):
    premises = ResultPremisesSerializer()
    bedspaces = ResultBedspaceSerializer(many=True)
    overlaps = OverlapSerializer(many=True)


class SearchResultsSerializer(serializers.Serializer):
    start_date = serializers.DateField(source="criteria.start_date")
    departure_date = serializers.DateField(source="criteria.departure_date")
    nights = serializers.IntegerField(source="criteria.nights")
    bedspace_count = serializers.IntegerField()
    properties = PropertyResultSerializer(many=True)


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


class BookingSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=BookingStatus.choices, read_only=True, source="current_status")
    premises = BookingPremisesSerializer(read_only=True)
    bedspace = BookingBedspaceSerializer(read_only=True)
    nights = serializers.IntegerField(read_only=True)
    cancellation_reason = serializers.CharField(source="cancellation_reason.name", allow_null=True, default=None)
    departure_reason = serializers.CharField(source="departure_reason.name", allow_null=True, default=None)
    move_on_category = serializers.CharField(source="move_on_category.name", allow_null=True, default=None)

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
            "created_at",
        ]


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
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


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
