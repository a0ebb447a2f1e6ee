"""The placement import reads files with the estate import's reader (cas/core/tabular.py): XLSX as well
as CSV, and dates as DD-MM-YYYY as well as YYYY-MM-DD and DD/MM/YYYY, like the estate import."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from cas.core.roles import Role
from cas.reporting.models import ManualPlacement
from cas.reporting.placement_import import COLUMNS, ImportRejected, import_placements
from tests.factories import make_user
from tests.reporting.test_official_statistics import HEADER

pytestmark = pytest.mark.django_db


def workbook(*rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_file_is_imported_with_its_date_cells_and_text_dates():
    content = workbook(
        ["P1", "X000001", "Wales", "Male", None, dt.datetime(2024, 3, 31), dt.date(2024, 4, 10), "Recalled", "manual"],
        ["P2", "X000002", "London", None, "Female", "01/05/2024", "31-05-2024", None, "digital"],
    )
    record = import_placements(None, "placements.xlsx", content)
    assert (record.rows_added, record.file_name) == (2, "placements.xlsx")
    dates = dict(ManualPlacement.objects.values_list("placement_reference", "start_date"))
    assert dates == {"P1": dt.date(2024, 3, 31), "P2": dt.date(2024, 5, 1)}
    assert ManualPlacement.objects.get(placement_reference="P2").end_date == dt.date(2024, 5, 31)


def test_an_xlsx_file_with_problems_names_their_rows():
    content = workbook(["P1", "BAD", "Wales", None, None, "31-13-2024", None, None, "manual"])
    with pytest.raises(ImportRejected) as exc:
        import_placements(None, "placements.xlsx", content)
    messages = [str(e) for e in exc.value.errors]
    assert messages[0].startswith("Line 2: crn 'BAD'")
    assert "Line 2: start_date '31-13-2024' must be a real date as YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY" in messages
    assert ManualPlacement.objects.count() == 0


def test_dates_as_dd_mm_yyyy_are_read_in_a_csv():
    import_placements(None, "placements.csv", (HEADER + "P1,X000001,Wales,,,31-03-2024,10-04-2024,,manual\n").encode())
    placement = ManualPlacement.objects.get()
    assert (placement.start_date, placement.end_date) == (dt.date(2024, 3, 31), dt.date(2024, 4, 10))


def test_the_page_takes_an_xlsx_file(client):
    client.force_login(make_user(Role.STATISTICIAN, region_code="NA"))
    page = client.get(reverse("web:placement-import")).content.decode()
    assert 'accept=".csv,.xlsx"' in page and "Upload a CSV or XLSX file" in page
    upload = SimpleUploadedFile(
        "placements.xlsx", workbook(["P1", "X000001", "Wales", None, None, "2024-03-31", None, None, "manual"])
    )
    response = client.post(reverse("web:placement-import"), {"file": upload})
    assert response.status_code == 302
    assert ManualPlacement.objects.get().placement_reference == "P1"
