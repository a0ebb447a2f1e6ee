from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from cas.api import serializers as s
from cas.core.permissions import Permission
from cas.people import services as people
from cas.reference.lists import REFERENCE_LISTS


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


class ReferenceListView(ListAPIView):
    permission = Permission.REFERENCE_VIEW
    serializer_class = s.ReferenceEntrySerializer

    def get_queryset(self):
        rl = REFERENCE_LISTS.get(self.kwargs["slug"])
        if rl is None:
            raise Http404
        qs = rl.model.objects.all().order_by("sort_order", "name")
        service = self.request.query_params.get("service")
        if service in {"cas1", "cas2", "cas3"}:
            qs = qs.for_service(service)
        if self.request.query_params.get("active") == "true":
            qs = qs.active()
        return qs


class SchemaView(SpectacularAPIView):
    permission = Permission.SIGNED_IN


schema_view = login_not_required(SchemaView.as_view())
