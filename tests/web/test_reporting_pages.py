import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.reporting.models import ManualPlacement, StatisticsRelease
from tests.factories import make_user
from tests.reporting.test_official_statistics import FIRST, HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def statistician_client(client):
    client.force_login(make_user(Role.STATISTICIAN, region_code="NA"))
    return client


def upload(client, text, name="placements.csv"):
    return client.post(reverse("web:placement-import"), {"file": SimpleUploadedFile(name, text.encode())})


def test_statistician_imports_and_sees_statistics(statistician_client):
    response = upload(statistician_client, FIRST)
    assert response.status_code == 302
    page = statistician_client.get(reverse("web:placement-import")).content.decode()
    assert "placements.csv imported: 10 added, 0 updated, 0 unchanged" in page
    assert ManualPlacement.objects.count() == 10
    stats = statistician_client.get(reverse("web:statistics"), {"year": "2025/26"}).content.decode()
    assert "CAS3 placements by gender and performance year" in stats and "60.0" in stats
    workbook = statistician_client.get(reverse("web:statistics-download", args=["workbook"]))
    assert workbook["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    csv_file = statistician_client.get(reverse("web:statistics-download", args=["placements_by_gender"]))
    assert csv_file.content.decode().startswith("performance_year,gender,placements,percentage")
    assert AuditEvent.objects.filter(action="statistics.downloaded").count() == 2


def test_bad_file_lists_every_row_and_imports_nothing(statistician_client):
    bad = HEADER + "P1,X1,Wales,,,2024-01-01,,,manual\nP2,X000002,Nowhere,,,2024-01-01,,,manual\n"
    page = upload(statistician_client, bad).content.decode()
    assert "2 problems in the file. Nothing was imported." in page
    assert "Line 2: crn" in page and "Line 3: probation_region" in page
    assert ManualPlacement.objects.count() == 0
    assert (
        "The selected file must be a CSV or XLSX file" in upload(statistician_client, FIRST, "x.pdf").content.decode()
    )
    empty = statistician_client.post(reverse("web:placement-import"), {}).content.decode()
    assert "Select a CSV or XLSX file" in empty


def test_release_and_revisions_on_the_page(statistician_client):
    upload(statistician_client, FIRST)
    statistician_client.post(reverse("web:statistics-release"), {"name": "First release"})
    assert StatisticsRelease.objects.get().name == "First release"
    upload(statistician_client, HEADER + "P11,X000011,Wales,Female,,2025-05-01,,,manual\n", "late.csv")
    page = statistician_client.get(reverse("web:statistics")).content.decode()
    assert "Since the release ‘First release’" in page and "changed" in page
    again = statistician_client.post(reverse("web:statistics-release"), {"name": "first release"}, follow=True)
    assert "There is already a release called first release" in again.content.decode()


def test_assessors_cannot_import_or_see_statistics(client):
    client.force_login(make_user(Role.CAS3_ASSESSOR))
    assert client.get(reverse("web:placement-import")).status_code == 403
    assert client.get(reverse("web:statistics")).status_code == 403
