"""Shapes of API responses. Serializers only validate and shape; writes go through services."""

from rest_framework import serializers


class OffenceSerializer(serializers.Serializer):
    offence_id = serializers.CharField()
    description = serializers.CharField()
    main_category = serializers.CharField(allow_blank=True)
    offence_date = serializers.DateField(allow_null=True)
    is_index = serializers.BooleanField()


class ManagerSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    team_name = serializers.CharField(allow_blank=True)
    pdu_code = serializers.CharField(allow_blank=True)
    region_code = serializers.CharField(allow_blank=True)


class PersonSerializer(serializers.Serializer):
    crn = serializers.CharField()
    noms_number = serializers.CharField(allow_null=True)
    pnc_number = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    date_of_birth = serializers.DateField()
    sex = serializers.CharField(allow_null=True)
    gender_identity = serializers.CharField(allow_null=True)
    ethnicity = serializers.CharField(allow_null=True)
    nationality = serializers.CharField(allow_null=True)
    religion = serializers.CharField(allow_null=True)
    custody_status = serializers.CharField(allow_null=True)
    prison_name = serializers.CharField(allow_null=True)
    offences = OffenceSerializer(many=True)
    manager = ManagerSerializer()
    fetched_at = serializers.DateTimeField()


class RoshSerializer(serializers.Serializer):
    overall = serializers.CharField(allow_null=True)
    children = serializers.CharField(allow_null=True)
    public = serializers.CharField(allow_null=True)
    known_adult = serializers.CharField(allow_null=True)
    staff = serializers.CharField(allow_null=True)


class MappaSerializer(serializers.Serializer):
    category = serializers.IntegerField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)


class RiskSerializer(serializers.Serializer):
    rosh = RoshSerializer()
    mappa = MappaSerializer(allow_null=True)
    flags = serializers.ListField(child=serializers.CharField())
    tier = serializers.CharField(allow_null=True)
    assessment_completed_on = serializers.DateField(allow_null=True)


class PrisonSerializer(serializers.Serializer):
    prison_name = serializers.CharField(allow_null=True)
    release_date = serializers.DateField(allow_null=True)
    release_type = serializers.CharField(allow_null=True)
    adjudication_count = serializers.SerializerMethodField()
    acct_alert_count = serializers.SerializerMethodField()

    def get_adjudication_count(self, obj) -> int:
        return len(obj.adjudications)

    def get_acct_alert_count(self, obj) -> int:
        return len(obj.acct_alerts)


class PersonRecordSerializer(serializers.Serializer):
    person = PersonSerializer()
    risk = RiskSerializer(allow_null=True)
    prison = PrisonSerializer(allow_null=True)
    problems = serializers.ListField(child=serializers.CharField())


class ReferenceEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    services = serializers.ListField(child=serializers.CharField(), source="service_list")
    is_active = serializers.BooleanField()
    sort_order = serializers.IntegerField()


class ReferenceAreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField(source="delius_code", help_text="The Delius code")
    is_active = serializers.BooleanField()


class ReferenceRegionSerializer(ReferenceAreaSerializer):
    pdus = ReferenceAreaSerializer(many=True, help_text="The region's probation delivery units")


class ReferenceLocalAuthoritySerializer(ReferenceAreaSerializer):
    code = serializers.CharField(source="identifier", help_text="The ONS code")
    region = serializers.IntegerField(
        source="probation_region_id",
        allow_null=True,
        help_text="The `id` of the probation region that covers it (abolished areas: their successor's)",
    )


class AreasSerializer(serializers.Serializer):
    regions = ReferenceRegionSerializer(many=True)
    local_authorities = ReferenceLocalAuthoritySerializer(many=True)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")
    roles = serializers.SerializerMethodField()
    region = serializers.CharField(source="region.name", allow_null=True, default=None)
    pdu = serializers.CharField(source="pdu.name", allow_null=True, default=None)

    def get_roles(self, obj) -> list[str]:
        return sorted(str(r) for r in obj.role_set)
