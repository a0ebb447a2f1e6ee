"""Reporters read and change nothing: freezing a statistics release and importing placements are the
statistician's (the access matrix proves the rest: `test_reporters_hold_no_permission_that_changes_data`
and `test_read_only_roles_are_refused_every_change`)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.reporting import releases
from cas.reporting.models import ManualPlacement, PlacementImport, StatisticsRelease
from cas.reporting.placement_import import import_placements
from cas.reporting.statistics import compute
from tests.factories import make_user
from tests.reporting.test_official_statistics import FIRST

pytestmark = pytest.mark.django_db


def _import(client):
    file = SimpleUploadedFile("placements.csv", FIRST.encode())
    return client.post(reverse("web:placement-import"), {"file": file, "submission_key": "import-1"})


def _release(client):
    return client.post(reverse("web:statistics-release"), {"name": "2025/26 annual"})


def _nothing_written():
    assert not ManualPlacement.objects.exists()
    assert not PlacementImport.objects.exists()
    assert not StatisticsRelease.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["statistics.released", "placements.imported"]).exists()


@pytest.mark.parametrize("role", [Role.REPORTER, Role.ADMIN])
def test_reporters_and_administrators_can_neither_import_nor_freeze(client, role):
    client.force_login(make_user(role, region_code="NA"))
    assert client.get(reverse("web:placement-import")).status_code == 403
    assert _import(client).status_code == 403
    assert _release(client).status_code == 403
    _nothing_written()
    # They still read the statistics, without the button that would freeze them.
    page = client.get(reverse("web:statistics")).content.decode()
    assert "CAS3 official statistics" in page and "Freeze these figures as a release" not in page
    assert "Import placements recorded outside the service" not in page


def test_the_services_refuse_a_reporter_too():
    """The same rule in the domain, whatever calls it (the management commands pass no user)."""
    reporter = make_user(Role.REPORTER, region_code="NA")
    with pytest.raises(PermissionDenied):
        import_placements(reporter, "placements.csv", FIRST.encode())
    with pytest.raises(PermissionDenied):
        releases.freeze(reporter, "2025/26 annual", compute())
    _nothing_written()


def test_a_statistician_imports_and_freezes(client):
    client.force_login(make_user(Role.STATISTICIAN, region_code="NA"))
    assert _import(client).status_code == 302
    assert ManualPlacement.objects.count() == 10 and PlacementImport.objects.count() == 1
    page = client.get(reverse("web:statistics")).content.decode()
    assert "Freeze these figures as a release" in page
    assert _release(client).status_code == 302
    assert StatisticsRelease.objects.get().name == "2025/26 annual"
    assert AuditEvent.objects.filter(action="statistics.released").count() == 1


def test_each_home_page_offers_only_what_the_role_may_do(client):
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    reporter_home = client.get(reverse("web:role-home", args=["reporter"])).content.decode()
    assert "Official statistics" in reporter_home and "freeze" not in reporter_home.lower()
    assert reverse("web:placement-import") not in reporter_home
    assert client.get(reverse("web:role-home", args=["statistician"])).status_code == 403

    client.force_login(make_user(Role.STATISTICIAN, region_code="NA"))
    assert client.get(reverse("web:home"))["Location"] == reverse("web:role-home", args=["statistician"])
    home = client.get(reverse("web:role-home", args=["statistician"])).content.decode()
    for url in ("web:statistics", "web:placement-import", "web:dashboard"):
        assert f'href="{reverse(url)}"' in home, url
    # Least privilege: no referrals, bookings, properties, people or person-level MI reports.
    for url in ("web:review-home", "web:booking-list", "web:property-list", "web:person-search", "web:reports"):
        assert f'href="{reverse(url)}"' not in home, url
