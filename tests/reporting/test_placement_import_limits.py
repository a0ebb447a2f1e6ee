"""The placement import's limits, like the estate import's: a file too large, too many rows, a value
over 128 KiB or a NUL character is refused with its own message and the line, and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cas.core.models import AuditEvent
from cas.core.permissions import Permission, role_permissions
from cas.core.roles import Role
from cas.reporting import placement_import
from cas.reporting.models import ManualPlacement, PlacementImport
from cas.reporting.placement_import import ImportRejected, import_placements
from tests.factories import make_user

pytestmark = pytest.mark.django_db

HEADER = "placement_reference,crn,probation_region,gender_identity,sex,start_date,end_date,move_on_category,source\n"
GOOD = "P1,X000001,Wales,Male,,2024-03-31,2024-04-10,Recalled,manual\n"


def rejected(content: bytes) -> list[str]:
    with pytest.raises(ImportRejected) as exc:
        import_placements(None, "placements.csv", content)
    assert ManualPlacement.objects.count() == 0 and PlacementImport.objects.count() == 0
    return [str(e) for e in exc.value.errors]


def test_a_value_over_128_kib_is_refused_with_its_line():
    long_value = "x" * (128 * 1024 + 1)
    messages = rejected((HEADER + GOOD + f'P2,"{long_value}",Wales,,,2024-01-01,,,manual\n').encode())
    assert len(messages) == 1
    assert messages[0].startswith("Line 3: A value is longer than 128 KiB")
    assert long_value not in messages[0]


def test_a_quote_left_open_is_a_value_over_128_kib_not_a_server_error():
    rows = "".join(f"P{n},X{n:06d},Wales,,,2024-01-01,,,manual\n" for n in range(4000))
    messages = rejected((HEADER + 'P0,"X000001,Wales\n' + rows).encode())
    assert "A value is longer than 128 KiB" in messages[0]


def test_a_value_of_exactly_128_kib_is_read_and_reported_briefly():
    value = "x" * (128 * 1024)
    messages = rejected((HEADER + f"P1,{value},Wales,,,2024-01-01,,,manual\n").encode())
    assert messages[0].startswith("Line 2: crn 'xxxxxxxx")
    assert len(messages[0]) < 200  # the message quotes the start of the value, not all of it


def test_a_nul_character_is_refused_with_its_line():
    messages = rejected((HEADER + GOOD + "P\x002,X000002,Wales,,,2024-01-01,,,manual\n").encode())
    assert messages == ["Line 3: The line has a NUL character: save the file as a CSV in UTF-8"]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(placement_import, "MAX_BYTES", 1024 * 1024)
    content = (HEADER + GOOD * 20_000).encode()
    assert len(content) > 1024 * 1024
    assert rejected(content) == ["Line 1: The file must be smaller than 1 MB: split it into smaller files"]


def test_more_rows_than_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(placement_import, "MAX_ROWS", 3)
    rows = "".join(f"P{n},X{n:06d},Wales,,,2024-01-01,,,manual\n" for n in range(5))
    messages = rejected((HEADER + rows).encode())
    assert messages == ["Line 5: The file has more than 3 rows: split it into smaller files"]


def test_the_import_page_shows_the_limit_and_writes_nothing(client):
    importer = next(r for r in Role if Permission.PLACEMENTS_IMPORT in role_permissions(r))
    client.force_login(make_user(importer, region_code="NA"))
    before = AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()
    upload = SimpleUploadedFile("big.csv", (HEADER + '"' + "x" * 200_000 + '",X000001\n').encode(), "text/csv")
    response = client.post(reverse("web:placement-import"), {"file": upload})
    assert response.status_code == 200
    assert "Line 2: A value is longer than 128 KiB" in response.content.decode()
    assert ManualPlacement.objects.count() == 0 and PlacementImport.objects.count() == 0
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count() == before
