from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.generics import ListAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cas.api import serializers as s
from cas.core.permissions import Permission
from cas.core.tiers import SERVICE_CODES
from cas.people import services as people
from cas.reference.lists import REFERENCE_LISTS
from cas.reference.models import LocalAuthorityArea, ProbationDeliveryUnit, ProbationRegion


class MeView(APIView):
    permission = Permission.SIGNED_IN

    @extend_schema(responses=s.MeSerializer, summary="The signed-in user, their roles and region")
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)


class PersonView(APIView):
    permission = Permission.PERSON_VIEW

    @extend_schema(
        responses=s.PersonRecordSerializer,
        summary="A person from the probation case system, with risk and prison details",
    )
    def get(self, request, crn: str):
        record = people.view_person(request.user, crn, purpose="API person details")
        return Response(s.PersonRecordSerializer(record).data)


SERVICES = list(SERVICE_CODES)


class ReferenceListView(ListAPIView):
    permission = Permission.REFERENCE_VIEW
    serializer_class = s.ReferenceEntrySerializer

    @extend_schema(
        summary="One reference list (reasons, categories, characteristics), in display order",
        description="The lists, by `slug`:\n\n"
        + "\n".join(f"- `{rl.slug}`: {rl.title}. {rl.description}" for rl in REFERENCE_LISTS.values())
        + "\n\nSend an entry's `id` where a request asks for one (a departure `reason`, a `move_on_category`...).",
        parameters=[
            OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(REFERENCE_LISTS)),
            OpenApiParameter(
                "service", OpenApiTypes.STR, enum=SERVICES, description="Only the entries used by this tier"
            ),
            OpenApiParameter(
                "active",
                OpenApiTypes.STR,
                enum=["true"],
                description="`true`: only entries that can be chosen now (default: retired ones too)",
            ),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        rl = REFERENCE_LISTS.get(self.kwargs["slug"])
        if rl is None:
            raise Http404
        qs = rl.model.objects.all().order_by("sort_order", "name")
        service = self.request.query_params.get("service")
        if service in SERVICES:
            qs = qs.for_service(service)
        if self.request.query_params.get("active") == "true":
            qs = qs.active()
        return qs


class AreasView(APIView):
    permission = Permission.REFERENCE_VIEW

    @extend_schema(
        responses=s.AreasSerializer,
        summary="Probation regions with their PDUs, and local authority areas",
        description="The ids to send as `pdus` and `avoid_local_authorities` in a bedspace search, and as "
        "`region` and `pdu` to the dashboard; `code` is the Delius code (regions, PDUs) or the ONS code "
        "(local authorities); each list is in order of code. Each local authority names its probation "
        "`region`.",
        parameters=[
            OpenApiParameter(
                "active", OpenApiTypes.STR, enum=["true"], description="`true`: only areas in use (default: all)"
            )
        ],
    )
    def get(self, request):
        # By code: unique, and sorted alike by every database (names sort by each database's collation).
        regions = ProbationRegion.objects.order_by("delius_code")
        pdus = ProbationDeliveryUnit.objects.order_by("delius_code")
        local_authorities = LocalAuthorityArea.objects.order_by("identifier")
        if request.query_params.get("active") == "true":
            regions, pdus = regions.filter(is_active=True), pdus.filter(is_active=True)
            local_authorities = local_authorities.filter(is_active=True)
        regions = regions.prefetch_related(Prefetch("pdus", queryset=pdus))
        return Response(s.AreasSerializer({"regions": regions, "local_authorities": local_authorities}).data)


class SchemaView(SpectacularAPIView):
    permission = Permission.SIGNED_IN

    def finalize_response(self, request, response, *args, **kwargs):
        # The document is YAML or JSON as asked, but an error is always problem+json: JSON, whatever
        # the Accept header chose for the document (YAML labelled application/problem+json otherwise).
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


schema_view = login_not_required(SchemaView.as_view())
