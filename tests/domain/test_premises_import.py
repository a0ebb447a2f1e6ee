"""Bulk import: every line checked with its number, nothing written unless the whole file is right,
and importing the same file again changes nothing."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from cas.core import clock
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.premises import imports
from cas.premises.models import Bedspace, Premises
from tests.estate_factories import make_premises
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NORTH_WEST_PDUS = ["Liverpool South", "N51SEFT", "Wirral", "Cumbria", "N51KNST"]


def estate_rows(properties: int = 250, per_property: int = 4) -> list[dict]:
    rows = []
    for p in range(properties):
        for b in range(per_property):
            rows.append(
                {
                    "property_reference": f"{p + 1} Example Street",
                    "pdu": NORTH_WEST_PDUS[p % len(NORTH_WEST_PDUS)],
                    "local_authority": "Liverpool" if p % 2 else "E08000014",
                    "address_line_1": f"{p + 1} Example Street",
                    "address_line_2": "",
                    "town": "Liverpool",
                    "postcode": "l81ab" if p % 3 else "L20 3QT",
                    "property_characteristics": "Women only; Single occupancy" if p % 4 == 0 else "Shared property",
                    "turnaround_working_days": str(p % 3),
                    "property_notes": "",
                    "bedspace_reference": f"Room {b + 1}",
                    "bedspace_start_date": "2024-04-01" if b % 2 else "15/01/2025",
                    "bedspace_characteristics": "Wheelchair accessible" if b == 0 else "",
                    "bedspace_notes": "",
                }
            )
    return rows


def to_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=imports.COLUMN_KEYS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def to_xlsx(rows: list[dict], header=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or list(imports.COLUMN_KEYS))
    for row in rows:
        sheet.append([row[k] for k in imports.COLUMN_KEYS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def assessor():
    return make_user(Role.CAS3_ASSESSOR, region_code="N51")


def test_a_thousand_bedspaces_with_one_bad_line_writes_nothing_then_imports_then_changes_nothing(assessor):
    rows = estate_rows()
    assert len(rows) == 1000
    good_postcode = rows[736]["postcode"]
    rows[736]["postcode"] = "NOT A POSTCODE"  # line 738: the header is line 1
    result = imports.import_file(assessor, "estate.csv", to_csv(rows))
    assert not result.ok
    assert [str(p) for p in result.problems] == ["Line 738 (postcode): Enter a real postcode, like SW1A 1AA"]
    assert Premises.objects.count() == 0 and Bedspace.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="premises").exists()

    rows[736]["postcode"] = good_postcode
    corrected = to_csv(rows)
    result = imports.import_file(assessor, "estate.csv", corrected)
    assert result.ok, result.problems
    assert (result.created_premises, result.created_bedspaces) == (250, 1000)
    assert Premises.objects.count() == 250 and Bedspace.objects.count() == 1000
    first = Premises.objects.get(reference="1 Example Street")
    assert first.postcode == "L20 3QT" and first.turnaround_working_days == 0
    assert sorted(c.name for c in first.characteristics.all()) == ["Single occupancy", "Women only"]
    assert first.start_date == dt.date(2024, 4, 1)
    room1 = first.bedspaces.get(reference="Room 1")
    assert room1.start_date == dt.date(2025, 1, 15) and room1.status == "online"
    assert [c.name for c in room1.characteristics.all()] == ["Wheelchair accessible"]
    events = AuditEvent.objects.count()
    updated_at = sorted(Bedspace.objects.values_list("updated_at", flat=True))

    again = imports.import_file(assessor, "estate.csv", corrected)
    assert again.ok and not again.changed
    assert (again.unchanged_premises, again.unchanged_bedspaces) == (250, 1000)
    assert AuditEvent.objects.count() == events
    assert sorted(Bedspace.objects.values_list("updated_at", flat=True)) == updated_at


def test_every_problem_is_reported_at_once_with_its_line(assessor):
    rows = estate_rows(4, 2)
    rows[0]["pdu"] = "Cardiff and the Vale of Glamorgan"  # another region
    rows[1]["bedspace_start_date"] = "31/02/2025"
    rows[2]["turnaround_working_days"] = rows[3]["turnaround_working_days"] = "-1"
    rows[3]["bedspace_reference"] = "R1"
    rows[4]["property_characteristics"] = rows[5]["property_characteristics"] = "Women only; Pool table"
    rows[7]["address_line_1"] = "Somewhere else"  # differs from line 8 for the same property
    rows.append(dict(rows[6]))  # Room 1 again
    result = imports.import_file(assessor, "estate.csv", to_csv(rows))
    messages = [str(p) for p in result.problems]
    assert messages == [
        "Line 2 (pdu): There is no PDU called Cardiff and the Vale of Glamorgan in North West",
        "Line 3 (bedspace start date): Enter a real date, like 31/03/2026 (not 31/02/2025)",
        "Line 4 (turnaround working days): Enter the turnaround as a whole number of working days, 0 or more",
        "Line 5 (turnaround working days): Enter the turnaround as a whole number of working days, 0 or more",
        "Line 5 (bedspace reference): The bedspace reference must be at least 3 characters",
        "Line 6 (property characteristics): Unknown property characteristics: Pool table",
        "Line 7 (property characteristics): Unknown property characteristics: Pool table",
        "Line 9 (address line 1): This is different from line 8 for property 4 Example Street. "
        "Give the property the same details on every line",
        "Line 10 (bedspace reference): Bedspace Room 1 is already on line 8 for property 4 Example Street",
    ]
    assert Premises.objects.count() == 0


def test_xlsx_import_with_labels_as_headers_and_real_dates(assessor):
    rows = estate_rows(2, 2)
    header = [c.label for c in imports.COLUMNS]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bedspaces"
    sheet.append(header)
    for row in rows:
        values = [row[k] for k in imports.COLUMN_KEYS]
        values[imports.COLUMN_KEYS.index("bedspace_start_date")] = dt.datetime(2025, 6, 1)
        values[imports.COLUMN_KEYS.index("turnaround_working_days")] = 3.0
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    result = imports.import_file(assessor, "estate.xlsx", out.getvalue())
    assert result.ok, result.problems
    assert Bedspace.objects.filter(start_date=dt.date(2025, 6, 1)).count() == 4
    assert set(Premises.objects.values_list("turnaround_working_days", flat=True)) == {3}


def test_reimport_with_changes_updates_only_what_changed(assessor):
    rows = estate_rows(2, 2)
    imports.import_file(assessor, "estate.csv", to_csv(rows))
    rows[0]["property_notes"] = rows[1]["property_notes"] = "Keys with the neighbour"
    rows[3]["bedspace_characteristics"] = "Shared kitchen"
    rows.append(dict(rows[3], bedspace_reference="Room 3", bedspace_characteristics=""))
    result = imports.import_file(assessor, "estate.csv", to_csv(rows))
    assert result.ok, result.problems
    assert (result.updated_premises, result.unchanged_premises) == (1, 1)
    assert (result.created_bedspaces, result.updated_bedspaces, result.unchanged_bedspaces) == (1, 1, 3)
    assert Premises.objects.get(reference="1 Example Street").notes == "Keys with the neighbour"


def test_existing_bedspace_with_another_start_date_is_a_problem(assessor):
    premises = make_premises(reference="1 Example Street", address_line1="1 Example Street")
    Bedspace.objects.create(premises=premises, reference="Room 1", start_date=clock.today())
    rows = estate_rows(1, 1)
    result = imports.import_file(assessor, "estate.csv", to_csv(rows))
    assert [p.column for p in result.problems] == ["bedspace_start_date"]
    assert "already exists with the start date" in result.problems[0].message


def test_file_level_problems():
    assessor = make_user(Role.CAS3_ASSESSOR)
    assert str(imports.import_file(assessor, "x.csv", b"").problems[0]) == "The file: The file is empty"
    only_header = imports.import_file(assessor, "x.csv", imports.template_csv())
    assert "has no bedspaces" in only_header.problems[0].message
    wrong = imports.import_file(assessor, "x.csv", b"reference,colour\nA,blue\n")
    assert [p.message.split(":")[0] for p in wrong.problems] == ["Unknown columns", "Missing columns"]
    assert imports.import_file(assessor, "x.pdf", b"%PDF").problems[0].message.startswith("The file must be a CSV")
    assert "UTF-8" in imports.import_file(assessor, "x.csv", "café,\n".encode("utf-16")).problems[0].message
    assert "XLSX" in imports.import_file(assessor, "x.xlsx", b"PK not really a zip").problems[0].message


def test_dry_run_checks_without_writing(assessor):
    result = imports.import_file(assessor, "estate.csv", to_csv(estate_rows(2, 2)), dry_run=True)
    assert result.ok and result.created_bedspaces == 4
    assert Bedspace.objects.count() == 0


def test_only_assessors_import():
    with pytest.raises(PermissionDenied):
        imports.import_file(make_user(Role.REPORTER, region_code="NA"), "estate.csv", to_csv(estate_rows(1, 1)))


def test_templates_have_every_column_and_a_data_dictionary():
    header = next(csv.reader(io.StringIO(imports.template_csv().decode("utf-8-sig"))))
    assert tuple(header) == imports.COLUMN_KEYS
    workbook = load_workbook(io.BytesIO(imports.template_xlsx(None)))
    assert workbook.sheetnames == ["Bedspaces", "Data dictionary", "Allowed values"]
    assert [c.value for c in workbook["Bedspaces"][1]] == list(imports.COLUMN_KEYS)
    dictionary = list(workbook["Data dictionary"].values)
    assert len(dictionary) == len(imports.COLUMNS) + 1 and dictionary[1][0] == "property_reference"
    allowed = [row[0] for row in workbook["Allowed values"].values]
    assert "Liverpool South (N51LPLS)" in allowed


def test_management_command_imports_and_reports_problems(tmp_path, capsys):
    path = tmp_path / "estate.csv"
    rows = estate_rows(3, 2)
    rows[2]["postcode"] = "nonsense"
    path.write_bytes(to_csv(rows))
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("import_estate", str(path), region="N51")
    assert "Line 4 (postcode)" in capsys.readouterr().err
    rows[2]["postcode"] = "L8 1AB"
    path.write_bytes(to_csv(rows))
    out = io.StringIO()
    call_command("import_estate", str(path), region="N51", stdout=out)
    assert "bedspaces 6 new" in out.getvalue()
    out = io.StringIO()
    call_command("import_estate", str(path), region="N51", stdout=out)
    assert "bedspaces 0 new, 0 changed, 6 unchanged" in out.getvalue()
    xlsx = tmp_path / "estate.xlsx"
    xlsx.write_bytes(to_xlsx(estate_rows(4, 1)))
    assessor = make_user(Role.CAS3_ASSESSOR, username="importer")
    out = io.StringIO()
    call_command("import_estate", str(xlsx), user=assessor.username, stdout=out)
    assert "properties 1 new, 0 changed, 3 unchanged" in out.getvalue()
    template = tmp_path / "template.csv"
    call_command("import_estate", str(template), region="N51", template=True, stdout=io.StringIO())
    assert template.read_bytes() == imports.template_csv()


def test_the_same_date_formats_as_the_placement_import(assessor):
    rows = estate_rows(1, 3)
    for row, text in zip(rows, ["2024-03-31", "31/03/2024", "31-03-2024"], strict=True):
        row["bedspace_start_date"] = text
    result = imports.import_file(assessor, "estate.csv", to_csv(rows))
    assert result.ok, result.problems
    assert set(Bedspace.objects.values_list("start_date", flat=True)) == {dt.date(2024, 3, 31)}


def test_the_same_limits_on_a_value_as_the_placement_import(assessor):
    rows = estate_rows(1, 2)
    rows[1]["bedspace_notes"] = "Quiet\x00room"
    assert [str(p) for p in imports.import_file(assessor, "estate.csv", to_csv(rows)).problems] == [
        "Line 3 (bedspace notes): The line has a NUL character: save the file as a CSV in UTF-8"
    ]
    rows[1]["bedspace_notes"] = "x" * (128 * 1024 + 1)
    problem = imports.import_file(assessor, "estate.csv", to_csv(rows)).problems[0]
    assert problem.line == 3 and problem.message.startswith("A value is longer than 128 KiB")
    assert Premises.objects.count() == 0
