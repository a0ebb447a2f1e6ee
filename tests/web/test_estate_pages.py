"""Estate pages: lists, forms with GOV.UK errors, archive with confirmation, voids, calendar,
import; and every page refuses another region's properties."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cas.core import clock
from cas.core.dates import long_date
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.premises import services
from cas.premises.models import ArchiveChange, Bedspace, Premises, VoidPeriod
from cas.reference.models import LocalAuthorityArea
from tests.estate_factories import characteristic, make_estate, make_premises, make_void, pdu, void_reason
from tests.factories import make_user
from tests.url_samples import all_urls, build, build_context
from tests.url_samples.estate import SAMPLES as ESTATE_SAMPLES

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def date_fields(name: str, day: dt.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


@pytest.fixture
def assessor_client(client):
    client.force_login(make_user(Role.CAS3_ASSESSOR, username="nw.assessor"))
    return client


def text(response) -> str:
    return response.content.decode()


# Lists ---------------------------------------------------------------------------------------


def test_list_tabs_search_grouping_and_counts(assessor_client):
    premises, (a, b) = make_estate(reference="Acacia House", postcode="L8 1AB")
    make_estate(reference="Birch Court", postcode="L20 3QT", pdu=pdu("N51SEFT"))
    gone, _ = make_estate(reference="Cedar Lodge")
    services.archive_premises(None, gone, days(-1))
    services.archive_bedspace(None, b, days(10))
    page = text(assessor_client.get(reverse("web:property-list")))
    assert "Online properties (2)" in page and "Archived properties (1)" in page
    assert page.index("Liverpool South") < page.index("Acacia House") < page.index("Sefton") < page.index("Birch Court")
    assert "2 online, 0 upcoming, 0 archived" in page
    assert f"archive on {long_date(days(10))}" in page
    assert "Cedar Lodge" not in page
    found = text(assessor_client.get(reverse("web:property-list"), {"q": "l203qt"}))
    assert "Birch Court" in found and "Acacia House" not in found and "1 property" in found
    none = text(assessor_client.get(reverse("web:property-list"), {"q": "zzz"}))
    assert "No online properties match ‘zzz’" in none
    by_la = text(assessor_client.get(reverse("web:property-list"), {"group": "local_authority"}))
    assert '<h2 class="govuk-heading-m govuk-!-margin-top-6">Liverpool</h2>' in by_la
    archived = text(assessor_client.get(reverse("web:property-list-archived")))
    assert "Cedar Lodge" in archived and "Acacia House" not in archived


def test_list_empty_state_and_pagination(assessor_client):
    empty = text(assessor_client.get(reverse("web:property-list")))
    assert "There are no online properties yet." in empty and "import properties from a spreadsheet" in empty
    for i in range(27):
        make_premises(reference=f"House {i:02}")
    first = text(assessor_client.get(reverse("web:property-list")))
    assert "Showing 1 to 25 of 27 properties" in first and "govuk-pagination" in first
    second = text(assessor_client.get(reverse("web:property-list"), {"page": 2}))
    assert "House 26" in second and "House 00" not in second


def test_reporters_see_every_region_without_change_links(client):
    make_estate("N51", reference="North House")
    make_estate("N07", reference="London House", postcode="HA9 0AA")
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    page = text(client.get(reverse("web:property-list")))
    assert "North House" in page and "London House" in page and "Add a property" not in page
    premises = Premises.objects.get(reference="London House")
    detail = text(client.get(reverse("web:property-detail", args=[premises.pk])))
    assert "Archive property" not in detail and "Change" not in detail.split("Property details")[1].split("</h2>")[0]


# Property forms ------------------------------------------------------------------------------


def property_post(**changes):
    liverpool = pdu("N51LPLS")
    data = {
        "reference": "12 Acacia Road",
        "address_line1": "12 Acacia Road",
        "town": "Liverpool",
        "postcode": "l81ab",
        "region": liverpool.region_id,
        "pdu": liverpool.pk,
        "turnaround_working_days": "2",
        "characteristics": [characteristic("Women only").pk],
    }
    data.update(changes)
    return data


def test_add_a_property(assessor_client):
    form = text(assessor_client.get(reverse("web:property-create")))
    assert "Turnaround time in working days" in form and 'name="csrfmiddlewaretoken"' in form
    response = assessor_client.post(reverse("web:property-create"), property_post())
    premises = Premises.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:property-detail", args=[premises.pk])
    assert premises.postcode == "L8 1AB" and [c.name for c in premises.characteristics.all()] == ["Women only"]
    page = text(assessor_client.get(response["Location"]))
    assert "Property 12 Acacia Road added" in page and "Property added" in page


def test_empty_form_shows_every_error(assessor_client):
    page = text(assessor_client.post(reverse("web:property-create"), {}))
    assert "<title>Error: Add a property" in page
    for message in (
        "Enter a property reference",
        "Enter the first line of the address",
        "Enter a postcode",
        "Select a PDU",
    ):
        assert message in page
    assert 'href="#id_reference"' in page


def test_duplicate_reference_and_wrong_pdu_are_friendly_errors(assessor_client):
    make_premises(reference="12 Acacia Road")
    page = text(assessor_client.post(reverse("web:property-create"), property_post(reference="12 ACACIA ROAD")))
    assert "A property with the reference 12 ACACIA ROAD already exists in Liverpool South" in page
    assert 'href="#id_reference"' in page
    bad = text(assessor_client.post(reverse("web:property-create"), property_post(postcode="nowhere")))
    assert "Enter a real postcode, like SW1A 1AA" in bad
    assert Premises.objects.count() == 1


def test_assessors_cannot_choose_another_region(assessor_client):
    london = pdu("N07BRNT")
    page = text(
        assessor_client.post(reverse("web:property-create"), property_post(region=london.region_id, pdu=london.pk))
    )
    assert "Select a region you manage" in page and "Select a PDU from the list" in page
    assert not Premises.objects.exists()


def _area(name: str) -> LocalAuthorityArea:
    return LocalAuthorityArea.objects.get(name=name, is_active=True)


def test_a_propertys_local_authority_is_one_in_its_region(assessor_client, client):
    """Issue 20.15: the list offers the region's authorities only, and the server refuses another's."""
    form = text(assessor_client.get(reverse("web:property-create")))
    assert ">Wirral<" in form and ">Cardiff<" not in form and ">Manchester<" not in form
    page = text(
        assessor_client.post(reverse("web:property-create"), property_post(local_authority=_area("Cardiff").pk))
    )
    assert "<title>Error: Add a property" in page and 'href="#id_local_authority"' in page
    assert "Select a local authority in North West, or select Not known" in page
    assert not Premises.objects.exists()
    response = assessor_client.post(reverse("web:property-create"), property_post(local_authority=_area("Wirral").pk))
    assert response.status_code == 302 and Premises.objects.get().local_authority.name == "Wirral"

    # Someone who manages every region sees each authority's region, and must match the property's.
    national = Client()
    national.force_login(make_user(Role.CAS3_ASSESSOR, region_code="NA", username="national.assessor"))
    form = text(national.get(reverse("web:property-create")))
    assert ">Cardiff (Wales)<" in form and ">Wirral (North West)<" in form
    page = text(
        national.post(
            reverse("web:property-create"),
            property_post(reference="2 Elm Road", local_authority=_area("Cardiff").pk),
        )
    )
    assert "Select a local authority in North West, or select Not known" in page
    assert Premises.objects.count() == 1


def test_editing_keeps_an_authority_recorded_before_regions_were_checked(assessor_client):
    premises = make_premises(reference="Old Name")
    Premises.objects.filter(pk=premises.pk).update(local_authority=_area("Cardiff"))
    url = reverse("web:property-edit", args=[premises.pk])
    assert ">Cardiff<" in text(assessor_client.get(url))
    response = assessor_client.post(url, property_post(reference="New Name", local_authority=_area("Cardiff").pk))
    assert response.status_code == 302
    page = text(assessor_client.post(url, property_post(local_authority=_area("Swansea").pk)))
    assert "Select a local authority in North West, or select Not known" in page


def test_edit_a_property(assessor_client):
    premises = make_premises(reference="Old Name")
    url = reverse("web:property-edit", args=[premises.pk])
    assert 'value="Old Name"' in text(assessor_client.get(url))
    response = assessor_client.post(url, property_post(reference="New Name", turnaround_working_days="0"))
    assert response.status_code == 302
    premises.refresh_from_db()
    assert premises.reference == "New Name" and premises.turnaround_working_days == 0
    history = text(assessor_client.get(reverse("web:property-detail", args=[premises.pk])))
    assert "Property details changed" in history and "Reference: Old Name → New Name" in history


def test_property_history_names_who_made_each_change(client):
    assessor = make_user(Role.CAS3_ASSESSOR, username="nw.assessor", first_name="Gareth", last_name="Lloyd")
    client.force_login(assessor)
    premises = make_premises(reference="Old Name")
    client.post(reverse("web:property-edit", args=[premises.pk]), property_post(reference="New Name"))
    history = text(client.get(reverse("web:property-detail", args=[premises.pk])))
    history = history[history.index('id="history"') :]
    # By name, as the referral timeline and the archive history say it; never the username.
    assert "Gareth Lloyd" in history and "nw.assessor" not in history


# Bedspaces -----------------------------------------------------------------------------------


def test_add_and_edit_a_bedspace(assessor_client):
    premises = make_premises()
    url = reverse("web:bedspace-create", args=[premises.pk])
    wheelchair = characteristic("Wheelchair accessible", "bedspace")
    response = assessor_client.post(
        url, {"reference": "Room 1", **date_fields("start_date", clock.today()), "characteristics": [wheelchair.pk]}
    )
    assert response.status_code == 302
    bedspace = Bedspace.objects.get()
    early = text(assessor_client.post(url, {"reference": "Room 2", **date_fields("start_date", days(-30))}))
    assert f"The start date must be between {long_date(days(-7))} and {long_date(days(7))}" in early
    assert 'href="#start_date-day"' in early
    duplicate = text(assessor_client.post(url, {"reference": "room 1", **date_fields("start_date", clock.today())}))
    assert "This property already has a bedspace with the reference room 1" in duplicate
    edit = reverse("web:bedspace-edit", args=[premises.pk, bedspace.pk])
    form = text(assessor_client.get(edit))
    assert "The start date cannot change once a bedspace is in service" in form
    assessor_client.post(edit, {"reference": "Room 1A", "notes": "Near the lift"})
    bedspace.refresh_from_db()
    assert (bedspace.reference, bedspace.notes, list(bedspace.characteristics.all())) == (
        "Room 1A",
        "Near the lift",
        [],
    )


# Archive, bring back online, cancel ----------------------------------------------------------


def test_archive_a_bedspace_with_confirmation_then_cancel(assessor_client):
    premises, (a, b) = make_estate()
    url = reverse("web:bedspace-archive", args=[premises.pk, a.pk])
    form = text(assessor_client.get(url))
    assert "When should it be archived?" in form
    confirm = text(assessor_client.post(url, date_fields("date", days(10))))
    assert f"Archive bedspace {a.reference} on {long_date(days(10))}?" in confirm
    assert 'name="confirm" value="yes"' in confirm and a.reference in confirm
    a.refresh_from_db()
    assert a.end_date is None  # nothing happens until confirmed
    done = assessor_client.post(url, {**date_fields("date", days(10)), "confirm": "yes"})
    assert done.status_code == 302
    page = text(assessor_client.get(done["Location"]))
    assert f"Bedspace {a.reference} will be archived on {long_date(days(10))}" in page
    change = ArchiveChange.objects.get(bedspace=a)
    cancel_url = reverse("web:archive-change-cancel", args=[premises.pk, change.pk])
    assert cancel_url in page
    assert "Cancel this change?" in text(assessor_client.get(cancel_url))
    cancelled = assessor_client.post(cancel_url)
    assert cancelled.status_code == 302
    a.refresh_from_db()
    assert a.end_date is None
    detail = text(assessor_client.get(reverse("web:property-detail", args=[premises.pk])))
    assert "Cancelled" in detail and "scheduled archive cancelled" in detail


def test_archive_refusal_names_the_earliest_date(assessor_client):
    premises, (a, _) = make_estate()
    make_void(a, days(2), days(6))
    page = text(
        assessor_client.post(reverse("web:bedspace-archive", args=[premises.pk, a.pk]), date_fields("date", days(3)))
    )
    assert f"The earliest date you can archive this bedspace is {long_date(days(7))}" in page
    assert "govuk-error-summary" in page and 'href="#date-day"' in page


def test_archive_the_last_bedspace_warns_that_the_property_goes_too(assessor_client):
    premises, (a,) = make_estate(bedspaces=1)
    confirm = text(
        assessor_client.post(reverse("web:bedspace-archive", args=[premises.pk, a.pk]), date_fields("date", days(1)))
    )
    assert "the property will be archived too" in confirm


def test_archive_and_bring_back_a_property(assessor_client):
    premises, (a, b) = make_estate()
    url = reverse("web:property-archive", args=[premises.pk])
    confirm = text(assessor_client.post(url, date_fields("date", clock.today())))
    assert "These bedspaces will be archived too:" in confirm and "Room A" in confirm and "Room B" in confirm
    assessor_client.post(url, {**date_fields("date", clock.today()), "confirm": "yes"})
    premises.refresh_from_db()
    assert premises.status == "archived"
    back = reverse("web:property-unarchive", args=[premises.pk])
    late = text(assessor_client.post(back, date_fields("date", days(15))))
    assert "The date it comes back online must be between" in late
    assessor_client.post(back, {**date_fields("date", days(1)), "confirm": "yes"})
    premises.refresh_from_db()
    assert premises.scheduled_online_date == days(1)


def test_cancelling_a_change_that_has_happened_is_refused(assessor_client):
    premises, (a, _) = make_estate()
    change = services.archive_bedspace(None, a, clock.today())
    url = reverse("web:archive-change-cancel", args=[premises.pk, change.pk])
    assert "This change can no longer be cancelled" in text(assessor_client.get(url))
    page = text(assessor_client.post(url))
    assert "can no longer be cancelled" in page and "govuk-error-summary" in page


# Voids ----------------------------------------------------------------------------------------


def void_post(start, end, **changes):
    data = {**date_fields("start_date", start), **date_fields("end_date", end)}
    data.update({"reason": void_reason().pk, "cost_borne_by": "hmpps", "reference_number": "JOB-1"})
    data.update(changes)
    return data


def test_record_edit_and_cancel_a_void(assessor_client):
    premises, (a, _) = make_estate()
    url = reverse("web:void-create", args=[premises.pk, a.pk])
    assert "Who pays for the void period?" in text(assessor_client.get(url))
    assert assessor_client.post(url, void_post(days(2), days(5))).status_code == 302
    void = VoidPeriod.objects.get()
    overlap = text(assessor_client.post(url, void_post(days(4), days(8))))
    assert (
        f"These dates overlap a void period on this bedspace, from {long_date(days(2))} to {long_date(days(5))}"
        in overlap
    )
    backwards = text(assessor_client.post(url, void_post(days(9), days(8))))
    assert "The end date must be the same as or after the start date" in backwards
    edit = reverse("web:void-edit", args=[premises.pk, a.pk, void.pk])
    assessor_client.post(edit, void_post(days(2), days(6), cost_borne_by="supplier"))
    void.refresh_from_db()
    assert void.end_date == days(6) and void.cost_borne_by == "supplier"
    cancel = reverse("web:void-cancel", args=[premises.pk, a.pk, void.pk])
    assert "Enter why the void period is cancelled" in text(assessor_client.post(cancel, {"notes": ""}))
    assessor_client.post(cancel, {"notes": "Work done early"})
    void.refresh_from_db()
    assert void.is_cancelled
    assert assessor_client.get(edit).status_code == 404
    page = text(assessor_client.get(reverse("web:bedspace-detail", args=[premises.pk, a.pk])))
    assert "Work done early" in page and "Cancelled" in page
    actions = set(AuditEvent.objects.filter(subject_type="premises.voidperiod").values_list("action", flat=True))
    assert actions == {"void.created", "void.updated", "void.cancelled"}


# Calendar --------------------------------------------------------------------------------------


def test_calendar_shows_periods_with_text_and_a_table(assessor_client, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 6, 10))
    premises, (a, b) = make_estate()
    make_void(a, dt.date(2026, 6, 15), dt.date(2026, 6, 19))
    services.archive_bedspace(None, b, dt.date(2026, 6, 25))
    url = reverse("web:property-calendar", args=[premises.pk])
    page = text(assessor_client.get(url, {"period": "month", "month": 6, "year": 2026}))
    assert "Occupancy calendar: June 2026" in page
    assert 'colspan="5" class="cas-calendar__seg cas-calendar__seg--void"' in page
    assert "Void: Deep clean, from 15 June 2026 to 19 June 2026" in page
    assert 'class="cas-calendar__seg cas-calendar__seg--archived"' in page and "Archived from 25 June 2026" in page
    assert "Periods in June 2026" in page and "not a working day" in page
    assert "Previous month" in page and "month=7&amp;year=2026" in page
    quarter = text(assessor_client.get(url, {"period": "quarter", "month": 5, "year": 2026}))
    assert "Occupancy calendar: April to June 2026" in quarter and "Previous quarter" in quarter
    bad = text(assessor_client.get(url, {"year": "20x6"}))
    assert "Enter a year, like 2027" in bad


# Import ---------------------------------------------------------------------------------------

HEADER = "property_reference,pdu,address_line_1,postcode,bedspace_reference,bedspace_start_date\n"


def upload(client, content: bytes, name="estate.csv", **extra):
    return client.post(reverse("web:property-import"), {"file": SimpleUploadedFile(name, content), **extra})


def test_import_page_shows_every_problem_and_writes_nothing(assessor_client):
    content = (
        HEADER
        + "1 Road,Liverpool South,1 Road,L8 1AB,Room 1,2025-01-01\n1 Road,Liverpool South,1 Road,nope,R,2025-01-01\n"
    ).encode()
    page = text(upload(assessor_client, content))
    assert "There is a problem: nothing was imported" in page
    assert "Line 3 (postcode): Enter a real postcode, like SW1A 1AA" in page
    assert "Line 3 (bedspace reference): The bedspace reference must be at least 3 characters" in page
    assert 'href="#problem-1"' in page and 'id="problem-2"' in page
    assert "<title>Error: Import properties" in page
    assert not Premises.objects.exists()


def test_import_page_imports_and_reimport_changes_nothing(assessor_client):
    content = (
        HEADER
        + "1 Road,Liverpool South,1 Road,L8 1AB,Room 1,2025-01-01\n1 Road,N51LPLS,1 Road,L81AB,Room 2,01/02/2025\n"
    ).encode()
    checked = text(upload(assessor_client, content, dry_run="on"))
    assert "File checked: no problems" in checked and not Premises.objects.exists()
    done = text(upload(assessor_client, content))
    assert "Import complete" in done and Bedspace.objects.count() == 2
    again = text(upload(assessor_client, content))
    assert "Everything in the file was already in the service, so nothing changed." in again


def test_import_needs_a_csv_or_xlsx_file(assessor_client):
    assert "Select a CSV or XLSX file" in text(assessor_client.post(reverse("web:property-import"), {}))
    assert "must be a CSV or XLSX file" in text(upload(assessor_client, b"x", name="estate.pdf"))


def test_template_downloads_and_data_dictionary(assessor_client):
    url = reverse("web:property-import-template")
    page = text(assessor_client.get(url))
    assert "property_reference" in page and "Liverpool South (N51LPLS)" in page and "Sefton (N51SEFT)" in page
    assert "Brent" not in page.split("PDUs")[1].split("Property characteristics")[0]
    csv_response = assessor_client.get(url, {"format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv") and b"bedspace_start_date" in csv_response.content
    xlsx = assessor_client.get(url, {"format": "xlsx"})
    assert "attachment" in xlsx["Content-Disposition"]
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["Bedspaces", "Data dictionary", "Allowed values"]


# Other regions, reporters and CSRF ---------------------------------------------------------


def test_an_assessor_cannot_read_or_change_another_regions_property_by_web(client):
    ctx = build_context()  # objects in North West
    london = make_user(Role.CAS3_ASSESSOR, region_code="N07")
    client.force_login(london)
    routes = [name for name, _ in all_urls() if name.startswith("web:") and name in _object_routes()]
    assert len(routes) == 14
    for name in routes:
        url = build(name, ctx)
        assert client.get(url).status_code in (403, 404), name
        if name in READ_ONLY:
            continue
        data = {"reference": "Taken", "notes": "x", "confirm": "yes", **date_fields("date", clock.today())}
        assert client.post(url, data).status_code in (403, 404), name
    assert ctx["premises"].reference == Premises.objects.get(pk=ctx["premises"].pk).reference
    assert not AuditEvent.objects.filter(actor=london, kind="change").exists()
    # Their own lists do not show the other region either.
    assert "Sample House" not in text(client.get(reverse("web:property-list")))


READ_ONLY = {"web:property-detail", "web:bedspace-detail", "web:property-calendar"}


def _object_routes():
    return {name for name in ESTATE_SAMPLES if name.startswith("web:")}


def _form_routes():
    return (_object_routes() - READ_ONLY) | {"web:property-create", "web:property-import"}


def test_reporters_cannot_change_anything(client):
    ctx = build_context()
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    for name in _form_routes():
        response = client.post(build(name, ctx), {"reference": "x"})
        assert response.status_code == 403, name


def test_every_estate_form_needs_a_csrf_token():
    csrf_client = Client(enforce_csrf_checks=True)
    ctx = build_context()
    csrf_client.force_login(make_user(Role.CAS3_ASSESSOR))
    for name in _form_routes():
        response = csrf_client.post(build(name, ctx), {"reference": "x"})
        assert response.status_code == 403, name
