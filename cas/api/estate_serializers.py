"""Shapes of the estate API. Serializers validate and shape only; writes go through the services."""

from rest_framework import serializers

from cas.core import clock
from cas.premises.models import ArchiveChange, Bedspace, Premises, VoidPeriod
from cas.premises.status import BedspaceStatus, PremisesStatus
from cas.reference.models import (
    Characteristic,
    LocalAuthorityArea,
    ProbationDeliveryUnit,
    ProbationRegion,
    VoidReason,
)


def version_field(what: str) -> serializers.IntegerField:
    """The version the client read, sent back with a change: a stale one is refused with 409 `stale`
    (as for bookings and referrals); leaving it out skips the check."""
    return serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text=f"The {what}'s version you read (refused if stale)"
    )


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CodedRefSerializer(NamedRefSerializer):
    code = serializers.CharField(source="delius_code")


class LocalAuthoritySerializer(NamedRefSerializer):
    code = serializers.CharField(source="identifier")


class BedspaceCountsSerializer(serializers.Serializer):
    online = serializers.IntegerField()
    upcoming = serializers.IntegerField()
    archived = serializers.IntegerField()


class PremisesSerializer(serializers.ModelSerializer):
    region = CodedRefSerializer()
    pdu = CodedRefSerializer()
    local_authority = LocalAuthoritySerializer(allow_null=True)
    characteristics = NamedRefSerializer(many=True)
    status = serializers.ChoiceField(choices=PremisesStatus.choices, read_only=True)
    bedspace_counts = serializers.SerializerMethodField()
    # Declared, not derived from the column: the column's range depends on the database, and the
    # document must be the same on SQLite and PostgreSQL.
    turnaround_working_days = serializers.IntegerField(min_value=0, max_value=365)

    class Meta:
        model = Premises
        fields = [
            "id",
            "service",
            "version",
            "reference",
            "address_line1",
            "address_line2",
            "town",
            "postcode",
            "local_authority",
            "region",
            "pdu",
            "characteristics",
            "turnaround_working_days",
            "notes",
            "start_date",
            "end_date",
            "status",
            "bedspace_counts",
        ]

    def get_bedspace_counts(self, obj) -> BedspaceCountsSerializer:
        if hasattr(obj, "online_bedspaces"):
            return {
                "online": obj.online_bedspaces,
                "upcoming": obj.upcoming_bedspaces,
                "archived": obj.archived_bedspaces,
            }
        today = clock.today()
        counts = dict.fromkeys(BedspaceStatus.values, 0)
        for bedspace in obj.bedspaces.all():
            counts[bedspace.status_on(today)] += 1
        return counts


class PremisesWriteSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=100)
    address_line1 = serializers.CharField(max_length=200)
    address_line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    town = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=10)
    local_authority = serializers.PrimaryKeyRelatedField(
        queryset=LocalAuthorityArea.objects.all(), allow_null=True, required=False, default=None
    )
    region = serializers.PrimaryKeyRelatedField(queryset=ProbationRegion.objects.all())
    pdu = serializers.PrimaryKeyRelatedField(queryset=ProbationDeliveryUnit.objects.select_related("region"))
    characteristics = serializers.PrimaryKeyRelatedField(
        queryset=Characteristic.objects.all(), many=True, required=False, default=list
    )
    turnaround_working_days = serializers.IntegerField(min_value=0, max_value=365, required=False, default=2)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PremisesUpdateSerializer(PremisesWriteSerializer):
    version = version_field("property")


class BedspaceSerializer(serializers.ModelSerializer):
    characteristics = NamedRefSerializer(many=True)
    status = serializers.SerializerMethodField()
    property = serializers.UUIDField(source="premises_id", read_only=True)

    class Meta:
        model = Bedspace
        fields = [
            "id",
            "property",
            "version",
            "reference",
            "start_date",
            "end_date",
            "status",
            "characteristics",
            "notes",
        ]

    def get_status(self, obj) -> str:
        return getattr(obj, "current_status", None) or obj.status_on(clock.today())


class BedspaceWriteSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=100)
    start_date = serializers.DateField(required=False)
    characteristics = serializers.PrimaryKeyRelatedField(
        queryset=Characteristic.objects.all(), many=True, required=False
    )
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class BedspaceUpdateSerializer(BedspaceWriteSerializer):
    version = version_field("bedspace")


class VoidSerializer(serializers.ModelSerializer):
    reason = NamedRefSerializer()
    bedspace = serializers.UUIDField(source="bedspace_id", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = VoidPeriod
        fields = [
            "id",
            "bedspace",
            "version",
            "start_date",
            "end_date",
            "reason",
            "reference_number",
            "notes",
            "cost_borne_by",
            "status",
            "cancelled_at",
            "cancellation_notes",
        ]

    def get_status(self, obj) -> str:
        return "cancelled" if obj.is_cancelled else "active"


class VoidWriteSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    reason = serializers.PrimaryKeyRelatedField(queryset=VoidReason.objects.all())
    cost_borne_by = serializers.ChoiceField(choices=VoidPeriod.CostBorneBy.choices)
    reference_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class VoidUpdateSerializer(VoidWriteSerializer):
    version = version_field("void period")


class VoidCancelSerializer(serializers.Serializer):
    notes = serializers.CharField(max_length=2000)
    version = version_field("void period")


class ScheduleSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="Archive date (first day out of service), or the date it comes back online")
    version = version_field("property or bedspace")


class ArchiveChangeSerializer(serializers.ModelSerializer):
    property = serializers.UUIDField(source="premises_id", read_only=True)
    bedspace = serializers.UUIDField(source="bedspace_id", read_only=True, allow_null=True)
    bedspace_reference = serializers.CharField(source="bedspace.reference", default=None, allow_null=True)
    made_by = serializers.CharField(source="made_by.username", default=None, allow_null=True)
    cancelled_by = serializers.CharField(source="cancelled_by.username", default=None, allow_null=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = ArchiveChange
        fields = [
            "id",
            "property",
            "bedspace",
            "bedspace_reference",
            "action",
            "cause",
            "effective_date",
            "previous_start_date",
            "previous_end_date",
            "batch",
            "status",
            "made_by",
            "created_at",
            "cancelled_at",
            "cancelled_by",
            "cancellation_reason",
        ]

    def get_status(self, obj) -> str:
        if obj.is_cancelled:
            return "cancelled"
        return "scheduled" if obj.effective_date > clock.today() else "done"


class CalendarPeriodSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="archived, upcoming, void; booking and turnaround once bookings exist")
    start = serializers.DateField(allow_null=True, help_text="Empty when it started before any recorded date")
    end = serializers.DateField(allow_null=True, help_text="Last day included; empty when open-ended")
    label = serializers.CharField()
    description = serializers.CharField()


class CalendarRowSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    periods = CalendarPeriodSerializer(many=True)


class CalendarSerializer(serializers.Serializer):
    property = serializers.UUIDField()
    period = serializers.ChoiceField(choices=["month", "quarter"])
    start = serializers.DateField()
    end = serializers.DateField()
    non_working_days = serializers.ListField(child=serializers.DateField())
    bedspaces = CalendarRowSerializer(many=True)
