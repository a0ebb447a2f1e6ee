"""The CAS2 MI reports: their columns and data dictionary, rows worked out by hand on a small June
(`cas2_scenario.py`), counts against the database, the period's edges in UK time, regions, streaming
with a fixed number of queries, the files, and who may run them (CAS2's assessors and reporters; CAS3's
assessors never, nor CAS2's assessors any CAS3 report)."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cas.core.errors import DomainError
from cas.core.roles import Role
from cas.datagen import cas2 as cas2_generator
from cas.datagen import generator
from cas.referrals.models import Referral, TimelineEntry
from cas.reporting import mi
from cas.reporting.models import ReportRun
from cas.reporting.report_fields import age_band
from tests.factories import make_user, region
from tests.reporting import cas2_scenario as sc

pytestmark = pytest.mark.django_db

CAS2_KEYS = ["cas2-submitted-applications", "cas2-status-updates", "cas2-unsubmitted-applications"]
CAS3_KEYS = ["bookings", "bedspace-usage", "occupancy", "referrals", "future-bookings", "gaps"]
PERSON = ["probationRegion", "sex", "ageBand", "ethnicity"]
COLUMNS = {
    "cas2-submitted-applications": [
        "applicationId", "crn", "nomsNumber", "route", "cohort", "referringPrisonCode", "preferredAreas",
        "hdcEligibilityDate", "conditionalReleaseDate", "bailHearingDate", "submittedAt", "submittedBy", "startedAt",
        "numberOfLocationTransfers", "numberOfPomTransfers", "currentStatus", *PERSON,
    ],
    "cas2-status-updates": [
        "applicationId", "crn", "nomsNumber", "newStatus", "newStatusLabel", "updatedAt", "updatedBy",
        "statusDetails", "numberOfLocationTransfers", "numberOfPomTransfers", "route", "cohort", *PERSON,
    ],
    "cas2-unsubmitted-applications": [
        "applicationId", "crn", "nomsNumber", "startedAt", "startedBy", "route", "cohort", "abandoned", *PERSON,
    ],
}  # fmt: skip


@pytest.fixture
def june():
    return sc.build()


def rows(key, region_code=None, start=sc.JUNE_1, end=sc.JUNE_30):
    definition = mi.REPORTS[key]
    params = mi.ReportParams(start, end, region(region_code).pk if region_code else None)
    keys = [c.key for c in definition.columns]
    return [dict(zip(keys, row, strict=True)) for row in definition.rows(params)]


def test_columns_each_explained_in_the_data_dictionary():
    for key, columns in COLUMNS.items():
        definition = mi.REPORTS[key]
        assert definition.service == "cas2"
        assert [c.key for c in definition.columns] == columns, key
        headers = [c.header for c in definition.columns]
        assert len(set(headers)) == len(headers), key
        assert all(c.description and c.header != c.key for c in definition.columns), key


def test_age_bands():
    at = sc.moment(6, 1)
    born = {dt.date(2008, 6, 2): "Under 18", dt.date(2008, 6, 1): "18-24", dt.date(2001, 6, 2): "18-24"}
    born |= {dt.date(2001, 6, 1): "25-34", dt.date(1991, 6, 1): "35-49", dt.date(1976, 6, 2): "35-49"}
    born |= {dt.date(1976, 6, 1): "50+"}
    assert {dob: age_band(dob, at) for dob in born} == born
    assert age_band(None, at) == age_band(dt.date(1990, 1, 1), None) == ""


def test_submitted_applications_by_hand(june):
    a = june.applications
    found = rows("cas2-submitted-applications")
    assert [r["applicationId"] for r in found] == [str(a["A1"].pk), str(a["A2"].pk), str(a["A3"].pk)]
    assert found[0] == {
        "applicationId": str(a["A1"].pk),
        "crn": "X200001",
        "nomsNumber": "A1111AA",
        "route": "Home Detention Curfew",
        "cohort": "Home Detention Curfew",
        "referringPrisonCode": "HEI",
        "preferredAreas": "Leeds | Bradford",
        "hdcEligibilityDate": dt.date(2026, 7, 1),
        "conditionalReleaseDate": dt.date(2026, 12, 1),
        "bailHearingDate": None,
        "submittedAt": dt.datetime(2026, 6, 1, 10, 0),
        "submittedBy": "hdc.hewell",
        "startedAt": dt.datetime(2026, 5, 31, 15, 0),
        "numberOfLocationTransfers": 1,
        "numberOfPomTransfers": 1,
        "currentStatus": "Offer accepted",
        "probationRegion": "North West",
        "sex": "Male",
        "ageBand": "35-49",  # 35 on 1 June: born 15 June 1990
        "ethnicity": "Asian: Pakistani",
    }
    assert found[1] | {"applicationId": ""} == {
        "applicationId": "",
        "crn": "X200002",
        "nomsNumber": "",
        "route": "Court bail",
        "cohort": "Court bail",
        "referringPrisonCode": "",
        "preferredAreas": "Manchester",
        "hdcEligibilityDate": None,
        "conditionalReleaseDate": None,
        "bailHearingDate": dt.date(2026, 6, 20),
        "submittedAt": dt.datetime(2026, 6, 20, 9, 30),
        "submittedBy": "court.london",
        "startedAt": dt.datetime(2026, 6, 20, 9, 0),
        "numberOfLocationTransfers": 0,
        "numberOfPomTransfers": 0,
        "currentStatus": "Referral cancelled",
        "probationRegion": "London",
        "sex": "Female",
        "ageBand": "18-24",  # 22 on the day
        "ethnicity": "Black: African",
    }
    # Submitted in the last half hour of 30 June, UK time (22:30 UTC); A4 at 00:30 on 1 July is not.
    assert (found[2]["submittedAt"], found[2]["route"], found[2]["ageBand"], found[2]["currentStatus"]) == (
        dt.datetime(2026, 6, 30, 23, 30),
        "Prison bail",
        "",
        "Received",
    )
    assert [r["crn"] for r in rows("cas2-submitted-applications", "N07")] == ["X200002"]
    july = rows("cas2-submitted-applications", start=dt.date(2026, 7, 1), end=dt.date(2026, 7, 31))
    assert [(r["crn"], r["cohort"]) for r in july] == [("X200004", "Moving on from an Approved Premises")]


def test_status_updates_by_hand(june):
    a = june.applications
    found = rows("cas2-status-updates")
    shape = [
        (r["applicationId"], r["newStatus"], r["newStatusLabel"], r["updatedAt"], r["updatedBy"], r["statusDetails"],
         r["numberOfLocationTransfers"], r["numberOfPomTransfers"])
        for r in found
    ]  # fmt: skip
    a0, a1, a2 = str(a["A0"].pk), str(a["A1"].pk), str(a["A2"].pk)
    assert shape == [
        (a0, "more_info_requested", "More information requested", dt.datetime(2026, 6, 2, 11), "nacro.assessor",
         "risk_to_self", 0, 0),
        (a1, "awaiting_decision", "Awaiting decision", dt.datetime(2026, 6, 3, 10), "nacro.assessor", "", 0, 0),
        (a0, "received", "Received", dt.datetime(2026, 6, 4, 9), "hdc.hewell", "", 0, 0),
        # Moved to Birmingham on 5 June and given an offender manager there on 8 June.
        (a1, "place_offered", "Place offered", dt.datetime(2026, 6, 10, 10), "nacro.assessor", "", 1, 1),
        (a1, "offer_accepted", "Offer accepted", dt.datetime(2026, 6, 12, 10), "nacro.assessor", "", 1, 1),
        (a2, "cancelled", "Referral cancelled", dt.datetime(2026, 6, 20, 14), "nacro.assessor",
         "no_property_available|not_eligible", 0, 0),
    ]  # fmt: skip
    last = found[-1]
    assert (last["crn"], last["nomsNumber"], last["route"], last["cohort"]) == (
        "X200002",
        "",
        "Court bail",
        "Court bail",
    )
    assert (last["probationRegion"], last["sex"], last["ageBand"], last["ethnicity"]) == (
        "London",
        "Female",
        "18-24",
        "Black: African",
    )
    assert [r["newStatus"] for r in rows("cas2-status-updates", "N07")] == ["cancelled"]


def test_unsubmitted_applications_by_hand(june):
    a = june.applications
    found = rows("cas2-unsubmitted-applications")
    assert found == [
        {
            "applicationId": str(a["D1"].pk),
            "crn": "X200011",
            "nomsNumber": "",
            "startedAt": dt.datetime(2026, 6, 15, 10),
            "startedBy": "probation.nw",
            "route": "Recall, release and move-on from probation",
            "cohort": "Alternative to custodial recall",
            "abandoned": "No",
            "probationRegion": "North West",
            "sex": "Male",
            "ageBand": "50+",  # 50 on 15 June: born 1 March 1976
            "ethnicity": "White: British",
        },
        {
            "applicationId": str(a["D2"].pk),
            "crn": "X200012",
            "nomsNumber": "",
            "startedAt": dt.datetime(2026, 6, 16, 10),
            "startedBy": "probation.nw",
            "route": "Recall, release and move-on from probation",
            "cohort": "HCRD cohort",
            "abandoned": "Yes",
            "probationRegion": "North West",
            "sex": "Male",
            "ageBand": "",
            "ethnicity": "White: British",
        },
    ]
    assert rows("cas2-unsubmitted-applications", "N07") == []


def test_counts_agree_with_the_rows_and_the_database(june):
    start, end = sc.moment(6, 1, 0), sc.moment(7, 1, 0)
    expected = {
        "cas2-submitted-applications": Referral.objects.filter(
            service="cas2", submitted_at__gte=start, submitted_at__lt=end
        ).count(),
        "cas2-status-updates": TimelineEntry.objects.filter(
            referral__service="cas2", kind="status", created_at__gte=start, created_at__lt=end
        ).count(),
        "cas2-unsubmitted-applications": Referral.objects.filter(
            service="cas2", status="draft", created_at__gte=start, created_at__lt=end
        ).count(),
    }
    assert expected == {"cas2-submitted-applications": 3, "cas2-status-updates": 6, "cas2-unsubmitted-applications": 2}
    for key, count in expected.items():
        params = mi.ReportParams(sc.JUNE_1, sc.JUNE_30, None)
        assert mi.REPORTS[key].count(params) == len(rows(key)) == count, key


def _grow(count: int, start: int, referrer, assessor) -> None:
    """`count` more HDC applications submitted in June, each with a status update, a move and a draft."""
    for n in range(start, start + count):
        app = sc.application(
            referrer, crn=f"X3{n:05d}", name=f"Person {n}", route="hdc", created=sc.moment(6, 2),
            submitted=sc.moment(6, 3), noms_number=f"B{n:04d}BB", referring_prison=sc.prison("HEI"),
        )  # fmt: skip
        sc.assignment(app, "HEI", "submitted", sc.moment(6, 3), referrer)
        sc.assignment(app, "BMI", "transfer", sc.moment(6, 4))
        sc.status(app, sc.moment(6, 5), assessor, "await_decision", "received", "awaiting_decision")
        sc.application(referrer, crn=f"X4{n:05d}", name=f"Draft {n}", route="hdc", created=sc.moment(6, 6))


def test_queries_do_not_grow_with_the_rows():
    referrer = make_user(Role.CAS2_HDC_REFERRER, prison=sc.prison("HEI"))
    assessor = make_user(Role.CAS2_ASSESSOR, region_code="NA")
    params = mi.ReportParams(sc.JUNE_1, sc.JUNE_30, None)

    def measure():
        counts = {}
        for key in CAS2_KEYS:
            with CaptureQueriesContext(connection) as queries:
                mi.REPORTS[key].count(params)
                written = sum(1 for _ in mi.REPORTS[key].rows(params))
            counts[key] = (len(queries), written)
        return counts

    _grow(3, 1, referrer, assessor)
    small = measure()
    _grow(27, 4, referrer, assessor)
    large = measure()
    for key in CAS2_KEYS:
        assert small[key][1] == 3 and large[key][1] == 30, (key, small, large)
        assert large[key][0] == small[key][0] <= 5, (key, small[key], large[key])


def test_rows_stream_from_the_database(june, monkeypatch):
    """The rows come from one query read in chunks (`.iterator()`), lazily: nothing is read before the
    first row is asked for, and no list of every row is built."""
    streamed = []
    original = QuerySet.iterator

    def spy(self, chunk_size=None):
        streamed.append((self.model.__name__, chunk_size))
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    params = mi.ReportParams(sc.JUNE_1, sc.JUNE_30, None)
    for key in CAS2_KEYS:
        streamed.clear()
        with CaptureQueriesContext(connection) as queries:
            produced = mi.REPORTS[key].rows(params)
            assert len(queries) == 0, key  # a generator: no query until the first row is asked for
            next(produced)
            assert len(queries) == 1, key
            rest = sum(1 for _ in produced)
        assert len(queries) == 1 and rest > 0, key
        assert len(streamed) == 1 and streamed[0][1] and streamed[0][1] >= 1000, (key, streamed)


def test_files_for_the_cas2_assessor_and_reporters(june, django_capture_on_commit_callbacks):
    assessor = june.users["assessor"]
    reporter = make_user(Role.REPORTER, region_code="NA")
    for user in (assessor, reporter):
        for key in CAS2_KEYS:
            definition = mi.REPORTS[key]
            headers = [c.header for c in definition.columns]
            with django_capture_on_commit_callbacks(execute=True):
                csv_run = mi.request_report(user, key, sc.JUNE_1, sc.JUNE_30, None, "csv")
                xlsx_run = mi.request_report(user, key, sc.JUNE_1, sc.JUNE_30, None, "xlsx")
            csv_run.refresh_from_db()
            xlsx_run.refresh_from_db()
            assert csv_run.status == xlsx_run.status == ReportRun.Status.READY, (csv_run.error, xlsx_run.error)
            assert csv_run.file_name == f"{key}-all-regions-01-06-2026-to-30-06-2026.csv"
            with mi.open_download(user, csv_run) as handle:
                lines = list(csv.reader(io.TextIOWrapper(handle, encoding="utf-8")))
            assert lines[0] == headers and len(lines) - 1 == csv_run.rows_written == len(rows(key))
            book = load_workbook(mi.report_path(xlsx_run), read_only=True)
            assert book.sheetnames == [definition.title, "Data dictionary"]
            sheet = list(book[definition.title].iter_rows(values_only=True))
            assert list(sheet[0]) == headers and len(sheet) - 1 == xlsx_run.rows_written == csv_run.rows_written
            dictionary = list(book["Data dictionary"].iter_rows(values_only=True))
            assert dictionary[1:] == [(c.header, c.description) for c in definition.columns]
            book.close()
    assert lines[1][headers.index("Abandoned")] == "No"


def test_each_tier_runs_its_own_reports_and_reporters_all(june, django_capture_on_commit_callbacks):
    cas2_assessor = june.users["assessor"]
    cas3_assessor = make_user(Role.CAS3_ASSESSOR)
    national_cas3_assessor = make_user(Role.CAS3_ASSESSOR, region_code="NA")
    reporter = make_user(Role.REPORTER, region_code="NA")
    assert [d.key for d in mi.reports_for(cas2_assessor)] == CAS2_KEYS
    assert [d.key for d in mi.reports_for(cas3_assessor)] == CAS3_KEYS
    assert [d.key for d in mi.reports_for(reporter)] == CAS3_KEYS + CAS2_KEYS
    for user, key in ((cas3_assessor, CAS2_KEYS[0]), (cas2_assessor, "bookings"), (cas2_assessor, "referrals")):
        with pytest.raises(DomainError, match="Select a report"):
            mi.request_report(user, key, sc.JUNE_1, sc.JUNE_30, None, "csv")
    assert not ReportRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        cas3_run = mi.request_report(reporter, "referrals", sc.JUNE_1, sc.JUNE_30, None, "csv")
        cas2_run = mi.request_report(reporter, CAS2_KEYS[1], sc.JUNE_1, sc.JUNE_30, None, "csv")
    # Someone else's run is open to users with national scope, within the tiers they report on.
    assert mi.can_download(cas2_assessor, cas2_run) and not mi.can_download(cas2_assessor, cas3_run)
    assert mi.can_download(national_cas3_assessor, cas3_run) and not mi.can_download(national_cas3_assessor, cas2_run)
    assert mi.can_download(reporter, cas3_run) and mi.can_download(reporter, cas2_run)


def test_pages_and_api_offer_each_user_their_tiers_reports(june, client):
    cas3_assessor = make_user(Role.CAS3_ASSESSOR)
    for user, offered, hidden in (
        (june.users["assessor"], CAS2_KEYS, CAS3_KEYS),
        (cas3_assessor, CAS3_KEYS, CAS2_KEYS),
    ):
        client.force_login(user)
        page = client.get(reverse("web:reports")).content.decode()
        assert all(f'value="{key}"' in page for key in offered)
        assert not any(f'value="{key}"' in page for key in hidden)
        listed = client.get("/api/v1/reports", HTTP_ACCEPT="application/json").json()["reports"]
        assert [r["key"] for r in listed] == offered
        refused = client.post(
            "/api/v1/reports",
            {"report": hidden[0], "start_date": "2026-06-01", "end_date": "2026-06-30", "file_format": "csv"},
            content_type="application/json",
        )
        assert refused.status_code == 400, refused.content
    # The CAS2 assessor's page shows the data dictionary of its reports.
    client.force_login(june.users["assessor"])
    page = client.get(reverse("web:reports")).content.decode()
    assert "Prison transfers" in page and "Age band" in page and "Gap days" not in page


def test_generated_history_row_counts_match_the_database(monkeypatch):
    """The three reports over five years of generated CAS2 history (a small national scale), nationally
    and region by region: as many rows as the database holds, counted independently."""
    for name, value in (("PROPERTIES", 20), ("REFERRALS", 50), ("BOOKINGS", 40), ("VOIDS", 10)):
        monkeypatch.setattr(generator, name, value)
    monkeypatch.setattr(cas2_generator, "DAILY", {"court_bail": 0.2, "prison_bail": 0.2, "hdc": 0.2, "probation": 1.0})
    generator.generate(1, progress=lambda line: None)
    end = dt.date(2026, 11, 1)
    start = end - dt.timedelta(days=5 * 365)
    params = mi.ReportParams(start, end, None)
    applications = Referral.objects.filter(service="cas2")
    expected = {
        "cas2-submitted-applications": applications.exclude(status="draft").count(),
        "cas2-status-updates": TimelineEntry.objects.filter(referral__service="cas2", kind="status").count(),
        "cas2-unsubmitted-applications": applications.filter(status="draft").count(),
    }
    assert all(n > 50 for n in expected.values()), expected
    regions = sorted(set(applications.values_list("region_id", flat=True)))
    assert len(regions) > 5
    for key, count in expected.items():
        definition = mi.REPORTS[key]
        produced = list(definition.rows(params))
        assert definition.count(params) == len(produced) == count, key
        updated = applications.filter(timeline__kind="status").distinct().count()
        assert len({row[0] for row in produced}) == (updated if key == "cas2-status-updates" else count), key
        by_region = sum(definition.count(mi.ReportParams(start, end, pk)) for pk in regions)
        assert by_region == count, key
