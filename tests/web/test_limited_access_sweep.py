"""A restricted person, referred and booked by the one user allowed to see them, is never named to
anyone else: every page, endpoint and download of the URL samples is read as every role and searched
for the person's name, surname, prison number, PNC number and date of birth (CSV and XLSX files
opened). A new page joins the sweep by being routed; a new list that shows people must also be marked
in its area's `LISTS_PEOPLE` (the sweep fails when the permitted user sees the person on a page that is
not marked); other users see the row as "Limited access" or not at all (a referrer's own list).

X100008 is restricted by the (synthetic) probation case system to `demo.restricted-access`."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from cas.core.roles import Role
from cas.events.notifications import send_email
from cas.people import registry
from cas.people.services import LIMITED_ACCESS
from cas.placements import services as placements
from cas.reference.models import Prison
from cas.referrals.models import Referral
from cas.reporting import mi
from cas.reporting.models import ReportRun
from tests.cas2_factories import add_applications
from tests.estate_factories import make_bedspace
from tests.factories import make_user, pdu
from tests.placement_factories import arrived_booking, days, make_booking
from tests.referral_factories import make_submitted
from tests.review_factories import bring_to
from tests.url_samples import all_urls, build, build_context, lists_people, person_pages, post_only, view_rule
from tests.web.test_access_matrix import role_user

pytestmark = pytest.mark.django_db
CRN = "X100008"


def secrets() -> dict[str, str]:
    person = registry.get_case_system().find_by_crn(CRN)
    born = person.date_of_birth
    return {
        "name": person.name,
        "surname": person.last_name,
        "prison number": person.noms_number,
        "PNC number": person.pnc_number,
        "date of birth": f"{born:%-d %B %Y}",
        "date of birth (ISO)": born.isoformat(),
        "date of birth (numbers)": f"{born:%d/%m/%Y}",
    }


def restricted_everywhere(ctx: dict) -> None:
    """The restricted person in every list the samples show: the review queue and ready to place, a
    booking on each sample property (staying now, so on this month's calendar), an incident, an
    email, and the placement search's other bookings."""
    # Every role, so that every page shows them what it shows anyone.
    permitted = make_user(*Role, username="demo.restricted-access", pdu=pdu("N51LPLS"))
    ctx["permitted"] = permitted
    make_submitted(permitted, CRN)
    ready = bring_to(make_submitted(permitted, CRN), "ready_to_place", permitted)
    for premises in (ctx["premises"], ctx["placement_premises"]):
        bedspace = make_bedspace(premises, f"Limited {premises.pk}"[:20], start_date=days(-30))
        booking = arrived_booking(bedspace, CRN, arrived_days_ago=2, nights=20)
        placements.record_incident(
            permitted, premises=premises, booking=booking, kind="other", occurred_on=days(0), details="Lost key"
        )
    extra = make_bedspace(ctx["placement_premises"], "Limited later", start_date=days(-30))
    make_booking(extra, CRN, start=1, nights=5, referral=ready)
    # CAS2: an application in progress, and one sent from the permitted user's prison.
    permitted.prison = Prison.objects.get(code="CFI")
    permitted.save(update_fields=["prison"])
    add_applications(permitted, "court_bail", 1, sent=False, identifier=CRN)
    add_applications(permitted, "court_bail", 1, sent=True, identifier=CRN)
    Referral.objects.filter(created_by=permitted, service="cas2").exclude(status="draft").update(
        current_prison=permitted.prison
    )
    send_email(
        "cas3_referral_submitted",
        to="someone@justice.gov.uk",
        personalisation={
            "name": "Someone",
            "person_name": secrets()["name"],
            "crn": CRN,
            "reference": "R1",
            "region": "North West",
            "hpt_email": "hpt@justice.gov.uk",
            "submitted_at": "1 December 2026",
            "referral_url": "http://127.0.0.1:8000/",
        },
    )


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(content)):
        archive = zipfile.ZipFile(io.BytesIO(content))
        if "[Content_Types].xml" in archive.namelist():  # XLSX: cells as values (dates are numbers inside)
            book = load_workbook(io.BytesIO(content), read_only=True)
            return "\n".join(
                " ".join("" if v is None else str(v) for v in row)
                for sheet in book
                for row in sheet.iter_rows(values_only=True)
            )
        return "\n".join(archive.read(member).decode("utf-8", errors="replace") for member in archive.namelist())
    return content.decode("utf-8", errors="replace")


def found(text: str) -> list[str]:
    return [what for what, value in secrets().items() if value and value in text]


@pytest.fixture
def ctx(db):
    context = build_context()
    restricted_everywhere(context)
    return context


def test_no_page_names_a_restricted_person_to_anyone_else(client, ctx):
    skip = post_only()
    marked = lists_people()
    declared = marked | person_pages()
    leaks, unmarked = [], []
    shown_as_limited = set()
    routes = [(name, build(name, ctx)) for name, cb in all_urls() if name not in skip and view_rule(cb)[0] != "public"]
    # The permitted user: where they see the person, the page must be declared.
    client.force_login(ctx["permitted"])
    seen_by_permitted, named_to_permitted = set(), set()
    for name, url in routes:
        response = client.get(url)
        shown = found(text_of(response)) if response.status_code == 200 else []
        if shown:
            seen_by_permitted.add(name)
            if "name" in shown:
                named_to_permitted.add(name)
            if name not in declared:
                unmarked.append(name)
    swept = 0
    for role in Role:
        user = role_user(role)
        client.force_login(user)
        for name, url in routes:
            response = client.get(url)
            if response.status_code != 200:
                continue
            swept += 1
            text = text_of(response)
            if found(text):
                leaks.append((role.value, name, found(text)))
            elif name in named_to_permitted and LIMITED_ACCESS in text:
                shown_as_limited.add(name)
    assert not leaks, leaks
    assert not unmarked, f"Pages naming people that are not in any LISTS_PEOPLE or PERSON_PAGES: {unmarked}"
    assert swept > 200
    # The sweep is not empty: the permitted user saw the person on every marked list, and others saw
    # the same rows as "Limited access" on most of them.
    assert marked <= seen_by_permitted, marked - seen_by_permitted
    assert len(shown_as_limited) >= 8, shown_as_limited


@pytest.mark.parametrize("report_key", sorted(mi.REPORTS))
def test_no_report_names_a_restricted_person_to_anyone_else(ctx, report_key, settings, tmp_path):
    settings.REPORTS_DIR = tmp_path
    today = dt.date.today()

    def file_for(user) -> str:
        run = mi.request_report(user, report_key, today - dt.timedelta(days=60), today, None, "xlsx")
        mi.generate_report.call(str(run.pk))
        run.refresh_from_db()
        assert run.status == ReportRun.Status.READY
        with mi.open_download(user, run) as handle:
            book = load_workbook(handle, read_only=True)
            return "\n".join(
                " ".join("" if v is None else str(v) for v in row)
                for row in book.worksheets[0].iter_rows(values_only=True)
            )

    # The assessors of the report's tier (CAS3's may not run CAS2's reports, nor CAS2's CAS3's), and reporters.
    assessor = Role.CAS2_ASSESSOR if mi.REPORTS[report_key].service == "cas2" else Role.CAS3_ASSESSOR
    for role in (assessor, Role.REPORTER):
        text = file_for(role_user(role))
        assert not found(text), (role, found(text))
    if "personName" in {c.key for c in mi.REPORTS[report_key].columns}:
        assert secrets()["name"] in file_for(ctx["permitted"])  # the permitted user still sees them


def test_a_report_naming_a_restricted_person_is_downloaded_only_by_its_requester(ctx, settings, tmp_path):
    settings.REPORTS_DIR = tmp_path
    today = dt.date.today()
    run = mi.request_report(ctx["permitted"], "bookings", today - dt.timedelta(days=60), today, None, "csv")
    mi.generate_report.call(str(run.pk))
    run.refresh_from_db()
    assert run.names_limited_people
    from cas.core.errors import NotAllowed

    with pytest.raises(NotAllowed, match="Ask for the report yourself"):
        mi.open_download(role_user(Role.REPORTER), run)
    with mi.open_download(ctx["permitted"], run) as handle:
        assert secrets()["name"].encode() in handle.read()


def test_searching_by_name_finds_no_limited_access_row_and_sorting_places_it_as_limited_access(client, ctx):
    assessor = role_user(Role.CAS3_ASSESSOR)
    client.force_login(assessor)
    surname = secrets()["surname"]
    pages = {
        "review queue": ("/review/unallocated", "/api/v1/review/referrals?tab=unallocated"),
        "bookings": ("/bookings?status=arrived", "/api/v1/bookings?status=arrived"),
    }
    for name, (page, api) in pages.items():
        body = client.get(page, {"q": surname}).content.decode()
        assert LIMITED_ACCESS not in body, name
        listed = client.get(api, {"q": surname}).json()
        assert listed["count"] == 0, name
        assert client.get(page, {"q": CRN}).content.decode().count(LIMITED_ACCESS) >= 1, name
    client.force_login(ctx["permitted"])
    assert surname in client.get("/review/unallocated", {"q": surname}).content.decode()
