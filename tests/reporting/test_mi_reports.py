"""The MI report machinery: background generation, streaming files, scope, expiry and audit."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from cas.core.errors import DomainError, NotAllowed
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.reporting import mi
from cas.reporting.models import ReportRun
from tests.factories import make_user, region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reports_dir(settings, tmp_path):
    settings.REPORTS_DIR = tmp_path


@pytest.fixture
def numbers_report():
    """A report over the days of the period, so sizes are easy to check."""

    def days(params):
        day = params.start_date
        while day <= params.end_date:
            yield (day.isoformat(), params.region_id or "all", day.day)
            day += dt.timedelta(days=1)

    definition = mi.ReportDefinition(
        key="days",
        title="Days",
        description="One row per day",
        columns=(
            mi.Column("day", "Day", "The date"),
            mi.Column("region", "Region", "Region id"),
            mi.Column("n", "Day of month", "1 to 31"),
        ),
        count=lambda p: (p.end_date - p.start_date).days + 1,
        rows=days,
    )
    mi.REPORTS[definition.key] = definition
    yield definition
    del mi.REPORTS[definition.key]


def test_csv_report_generated_after_commit(numbers_report, django_capture_on_commit_callbacks):
    reporter = make_user(Role.REPORTER, region_code="NA")
    with django_capture_on_commit_callbacks(execute=True):
        run = mi.request_report(reporter, "days", dt.date(2020, 1, 1), dt.date(2024, 12, 31), None, "csv")
    run.refresh_from_db()
    assert run.status == "ready" and run.progress == 100 and run.rows_written == 1827
    assert run.file_name == "days-all-regions-01-01-2020-to-31-12-2024.csv"
    with mi.open_download(reporter, run) as handle:
        rows = list(csv.reader(io.TextIOWrapper(handle, encoding="utf-8")))
    assert rows[0] == ["Day", "Region", "Day of month"] and len(rows) == 1828
    assert AuditEvent.objects.filter(action="report.downloaded").count() == 1


def test_xlsx_report_has_a_data_dictionary(numbers_report, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    assessor = make_user(Role.CAS3_ASSESSOR)
    with django_capture_on_commit_callbacks(execute=True):
        run = mi.request_report(assessor, "days", dt.date(2026, 1, 1), dt.date(2026, 1, 31), None, "xlsx")
    run.refresh_from_db()
    book = load_workbook(mi.report_path(run), read_only=True)
    assert book.sheetnames == ["Days", "Data dictionary"]
    assert run.region == region("N51")  # an assessor's report is for their own region


def test_assessors_cannot_ask_for_another_region(numbers_report):
    assessor = make_user(Role.CAS3_ASSESSOR)
    with pytest.raises(NotAllowed):
        mi.request_report(assessor, "days", dt.date(2026, 1, 1), dt.date(2026, 1, 2), region("N07").pk, "csv")
    with pytest.raises(DomainError, match="end date"):
        mi.request_report(assessor, "days", dt.date(2026, 1, 2), dt.date(2026, 1, 1), None, "csv")
    with pytest.raises(DomainError, match="on or after 1 January 2000"):
        mi.request_report(assessor, "days", dt.date(1999, 12, 31), dt.date(2026, 1, 1), None, "csv")
    with pytest.raises(DomainError, match="on or before 31 December 2100"):
        mi.request_report(assessor, "days", dt.date(2026, 1, 1), dt.date(9999, 12, 31), None, "csv")


def test_expired_reports_are_refused_and_pruned(numbers_report, django_capture_on_commit_callbacks):
    reporter = make_user(Role.REPORTER, region_code="NA")
    with django_capture_on_commit_callbacks(execute=True):
        run = mi.request_report(reporter, "days", dt.date(2026, 1, 1), dt.date(2026, 1, 2), None, "csv")
    ReportRun.objects.filter(pk=run.pk).update(expires_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    run.refresh_from_db()
    with pytest.raises(DomainError, match="no longer available"):
        mi.open_download(reporter, run)
    assert mi.prune_expired() == 1
    assert not mi.report_path(run).exists()
    run.refresh_from_db()
    assert run.status == "expired"


def test_a_failing_report_leaves_no_file_and_can_run_again(numbers_report, django_capture_on_commit_callbacks):
    def broken(params):
        yield ("2026-01-01", "all", 1)
        raise RuntimeError("database went away")

    reporter = make_user(Role.REPORTER, region_code="NA")
    original = mi.REPORTS["days"]
    mi.REPORTS["days"] = mi.ReportDefinition(**{**original.__dict__, "rows": broken})
    with django_capture_on_commit_callbacks(execute=True):
        run = mi.request_report(reporter, "days", dt.date(2026, 1, 1), dt.date(2026, 1, 2), None, "csv")
    run.refresh_from_db()
    assert run.status == "failed" and "database went away" in run.error
    assert not list(mi.report_path(run).parent.iterdir())
    mi.REPORTS["days"] = original
    assert mi.generate_report.call(str(run.pk)) == "ready"
    run.refresh_from_db()
    assert run.attempts == 2 and run.rows_written == 2


def test_report_pages(numbers_report, client, django_capture_on_commit_callbacks):
    assessor = make_user(Role.CAS3_ASSESSOR)
    client.force_login(assessor)
    page = client.get(reverse("web:reports")).content.decode()
    assert "One row per day" in page and 'name="region"' not in page  # own region only
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("web:reports"),
            {
                "report": "days",
                "start_date-day": "1",
                "start_date-month": "1",
                "start_date-year": "2026",
                "end_date-day": "31",
                "end_date-month": "1",
                "end_date-year": "2026",
                "file_format": "csv",
            },
        )
    run = ReportRun.objects.get()
    assert response["Location"] == reverse("web:report-run", args=[run.pk])
    assert "Download days-north-west-01-01-2026-to-31-01-2026.csv" in client.get(response["Location"]).content.decode()
    download = client.get(reverse("web:report-download", args=[run.pk]))
    assert b"".join(download.streaming_content).decode().count("\n") == 32
    other = make_user(Role.CAS3_ASSESSOR)
    client.force_login(other)
    assert client.get(reverse("web:report-run", args=[run.pk])).status_code == 404
    errors = client.post(
        reverse("web:reports"),
        {
            "report": "days",
            "start_date-day": "31",
            "start_date-month": "2",
            "start_date-year": "2026",
            "file_format": "csv",
        },
    ).content.decode()
    assert "The start date must be a real date" in errors and "Enter the end date" in errors


def test_referrals_report_columns_and_scope(client, django_capture_on_commit_callbacks):
    """The referrals report reads the typed columns of submitted referrals in the period."""
    from django.utils import timezone

    from cas.referrals.models import Referral

    referrer = make_user(Role.CAS3_REFERRER)
    common = {
        "created_by": referrer,
        "crn": "X100001",
        "person_name": "Sam Field",
        "form_key": "cas3",
        "form_version": 1,
        "origin_region": region("N51"),
        "service": "cas3",
    }
    Referral.objects.create(
        status="unallocated",
        region=region("N51"),
        submitted_at=timezone.now(),
        is_registered_sex_offender=True,
        **common,
    )
    Referral.objects.create(
        status="unallocated",
        region=region("N07"),
        submitted_at=timezone.now(),
        **{**common, "origin_region": region("N07")},
    )
    Referral.objects.create(status="draft", region=region("N51"), **common)
    assessor = make_user(Role.CAS3_ASSESSOR)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        run = mi.request_report(assessor, "referrals", today, today, None, "csv")
    run.refresh_from_db()
    assert run.status == "ready" and run.rows_written == 1  # own region, submitted only
    with mi.open_download(assessor, run) as handle:
        rows = list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8")))
    assert rows[0]["CRN"] == "X100001" and rows[0]["Registered sex offender"] == "Yes"
    assert rows[0]["Destination region"] == "North West" and rows[0]["Referral rejected"] == "No"


def test_reports_api_request_and_poll(client, django_capture_on_commit_callbacks):
    reporter = make_user(Role.REPORTER, region_code="NA")
    client.force_login(reporter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("api:reports"),
            {"report": "referrals", "start_date": "2026-01-01", "end_date": "2026-01-31", "file_format": "csv"},
            content_type="application/json",
        )
    assert response.status_code == 202
    polled = client.get(reverse("api:report-run", args=[response.json()["id"]])).json()
    assert polled["status"] == "ready" and polled["progress"] == 100 and polled["download_url"]
    bad = client.post(
        reverse("api:reports"),
        {"report": "referrals", "start_date": "2026-01-01", "end_date": "2026-01-31", "region_id": 999999},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "region"


# The six reports on a hand-built June 2026 (tests/reporting/mi_scenario.py) ----------------------------------

DOMAIN_COLUMNS = {
    # Section 7 of the CAS3 domain reference, column for column.
    "bookings": "bookingId, referralId, referralDate, personName, pncNumber, gender, ethnicity, dateOfBirth, "
    "riskOfSeriousHarm, registeredSexOffender, historyOfSexualOffence, concerningSexualBehaviour, "
    "needForAccessibleProperty, historyOfArsonOffence, concerningArsonBehaviour, dutyToReferMade, "
    "dateDutyToReferMade, dutyToReferLocalAuthorityAreaName, isReferralEligibleForCas3, referralEligibilityReason, "
    "probationRegion, pdu, localAuthority, town, postCode, crn, bookingStatus, offerAccepted, isCancelled, "
    "cancellationReason, isNotArrived, notArrivedReason, startDate, endDate, actualEndDate, currentNightsStayed, actualNightsStayed, overstay, authorised, reason, "
    "accommodationOutcome",
    "bedspace-usage": "probationRegion, pdu, localAuthority, propertyRef, addressLine1, town, postCode, bedspaceRef, "
    "crn, type, startDate, endDate, durationOfBookingDays, bookingStatus, overstay, authorised, reason, voidCategory, "
    "voidNotes, costCentre, uniquePropertyRef, uniqueBedspaceRef",
    "occupancy": "probationRegion, pdu, localAuthority, propertyRef, addressLine1, town, postCode, bedspaceRef, "
    "bookedDaysActiveAndClosed, confirmedDays, provisionalDays, scheduledTurnaroundDays, effectiveTurnaroundDays, "
    "voidDays, totalBookedDays, bedspaceStartDate, bedspaceEndDate, bedspaceOnlineDays, occupancyRate, "
    "uniquePropertyRef, uniqueBedspaceRef",
    "referrals": "referralId, referralDate, personName, pncNumber, crn, sex, genderIdentity, ethnicity, dateOfBirth, "
    "registeredSexOffender, historyOfSexualOffence, concerningSexualBehaviour, needForAccessibleProperty, "
    "riskOfSeriousHarm, historyOfArsonOffence, concerningArsonBehaviour, dutyToReferMade, dateDutyToReferMade, "
    "dutyToReferLocalAuthorityAreaName, dutyToReferOutcome, town, postCode, probationRegion, pdu, outOfRegion, "
    "destinationRegion, destinationPdu, referralSubmittedDate, referralRejected, rejectionReason, "
    "rejectionReasonExplained, rejectionDate, sourceOfReferral, prisonReleaseType, prisonAtReferral, releaseDate, "
    "updatedReleaseDate, accommodationRequiredDate, updatedAccommodationRequiredFromDate, bookingOffered",
    "future-bookings": "bookingId, referralId, referralDate, personName, gender, ethnicity, dateOfBirth, "
    "riskOfSeriousHarm, registeredSexOffender, historyOfSexualOffence, concerningSexualBehaviour, dutyToReferMade, "
    "dateDutyToReferMade, dutyToReferLocalAuthorityAreaName, probationRegion, pdu, localAuthority, addressLine1, "
    "postCode, crn, sourceOfReferral, prisonAtReferral, startDate, accommodationRequiredDate, "
    "updatedAccommodationRequiredDate, bookingStatus",
    "gaps": "probationRegion, pduName, premisesName, bedName, gap, gapDays",
}


def test_every_report_has_exactly_the_domain_columns_each_explained():
    assert list(mi.REPORTS) == [
        "bookings",
        "bedspace-usage",
        "occupancy",
        "referrals",
        "future-bookings",
        "gaps",
        # Their columns are checked in tests/reporting/test_cas2_reports.py.
        "cas2-submitted-applications",
        "cas2-status-updates",
        "cas2-unsubmitted-applications",
    ]
    for key, columns in DOMAIN_COLUMNS.items():
        definition = mi.REPORTS[key]
        assert [c.key for c in definition.columns] == columns.split(", "), key
        headers = [c.header for c in definition.columns]
        assert len(set(headers)) == len(headers), key  # readable and distinct
        assert all(c.description and c.header != c.key for c in definition.columns), key


def test_short_references_are_base58():
    import uuid

    from cas.reporting.report_fields import short_ref

    assert short_ref(uuid.UUID(int=0)) == "1"
    assert short_ref(uuid.UUID(int=58)) == "21"
    assert short_ref(uuid.UUID(int=57)) == "z"
    assert len(short_ref(uuid.UUID(int=2**128 - 1))) == 22


@pytest.fixture
def june(monkeypatch):
    from cas.core import clock
    from tests.reporting import mi_scenario

    monkeypatch.setattr(clock, "today", lambda: mi_scenario.TODAY)
    return mi_scenario.build()


def _rows(key, region_code=None):
    from tests.reporting.mi_scenario import JUNE_1, JUNE_30

    definition = mi.REPORTS[key]
    params = mi.ReportParams(JUNE_1, JUNE_30, region(region_code).pk if region_code else None)
    keys = [c.key for c in definition.columns]
    return [dict(zip(keys, row, strict=True)) for row in definition.rows(params)]


def _d(month, day):
    return dt.date(2026, month, day)


def _estate(s, room):
    from cas.reporting.report_fields import short_ref

    bedspace = s.bedspaces[room]
    premises = bedspace.premises
    place = {
        "NW-1": ("North West", "Liverpool South", "Liverpool", "NW-1", "1 Dock Road", "Liverpool", "L8 1AB"),
        "NW-2": ("North West", "Liverpool South", "Liverpool", "NW-2", "2 Dock Road", "Liverpool", "L8 1AB"),
        "LDN-1": ("London", "Brent", "Brent", "LDN-1", "3 High Road", "London", "NW10 1AA"),
    }[premises.reference]
    return place + (f"Room {room}",), (short_ref(premises.pk), short_ref(bedspace.pk))


ELIGIBLE_FROM_PRISON = "They will be homeless when released from prison"
ELIGIBLE_FROM_CAS2 = "They are moving on, homeless, from CAS2 accommodation (formerly BASS)"
WHITE_BRITISH = "White: English, Welsh, Scottish, Northern Irish or British"


def test_bookings_report_rows_worked_out_by_hand(june):
    s = june
    rows = _rows("bookings", "N51")
    # Stays overlapping June in North West, by arrival: a1 (25 May), c1, a2, b2 (cancelled), b1.
    assert [r["bookingId"] for r in rows] == [str(s.bookings[k].pk) for k in ("a1", "c1", "a2", "b2", "b1")]
    assert list(rows[0].values()) == [
        str(s.bookings["a1"].pk),
        str(s.referrals["R1"].pk),
        _d(5, 10),
        "Alex One",
        "",
        "Male",
        WHITE_BRITISH,
        dt.date(1990, 1, 1),
        "Medium",
        "No",
        "No",
        "No",
        "No",
        "No",
        "No",
        "Yes",
        _d(5, 1),
        "Liverpool",
        "Yes",
        ELIGIBLE_FROM_PRISON,
        "North West",
        "Liverpool South",
        "Liverpool",
        "Liverpool",
        "L8 1AB",
        "X000001",
        "Departed",
        "Yes",
        "No",
        "",
        "No",
        "",
        _d(5, 25),
        _d(6, 5),
        _d(6, 5),
        None,
        11,
        "No",
        "",
        "",
        "Rental accommodation (private rental)",
    ]
    fields = [
        "referralId",
        "gender",
        "bookingStatus",
        "offerAccepted",
        "isCancelled",
        "cancellationReason",
        "isNotArrived",
        "startDate",
        "endDate",
        "actualEndDate",
        "currentNightsStayed",
        "actualNightsStayed",
        "overstay",
        "authorised",
        "reason",
        "accommodationOutcome",
    ]
    r3 = str(s.referrals["R3"].pk)
    assert [tuple(r[f] for f in fields) for r in rows[1:]] == [
        ("", "", "Provisional", "No", "No", "", "No", _d(6, 1), _d(6, 8), None, None, None, "No", "", "", ""),
        # Arrived 15 June, the report prepared on 1 July: 16 nights so far; 91 nights booked.
        ("", "Non-binary", "Active", "Yes", "No", "", "No", _d(6, 15), _d(9, 14), None, 16, None, "Yes", "Yes",
         "Waiting for a council tenancy", ""),
        (r3, "", "Cancelled", "No", "Yes", "Person on probation rejected placement", "No", _d(6, 16), _d(6, 19),
         None, None, None, "No", "", "", ""),
        (r3, "Transgender Male", "Confirmed", "Yes", "No", "", "No", _d(6, 20), _d(7, 10), None, None, None, "No",
         "", "", ""),
    ]  # fmt: skip
    assert rows[4]["referralDate"] == _d(6, 8) and rows[4]["referralEligibilityReason"] == ELIGIBLE_FROM_CAS2
    assert [r["bookingId"] for r in _rows("bookings", "N07")] == [str(s.bookings["d1"].pk)]
    london = _rows("bookings", "N07")[0]
    assert (london["actualNightsStayed"], london["accommodationOutcome"], london["localAuthority"]) == (
        10,
        "Homeless (rough sleeping)",
        "Brent",
    )
    assert len(_rows("bookings")) == 6  # every region: d2 arrives in July


def test_bookings_report_says_the_status_and_a_non_arrival():
    from cas.core import clock
    from cas.placements import services
    from tests.estate_factories import make_estate
    from tests.placement_factories import make_booking, non_arrival_reason

    _, (bedspace, other) = make_estate("N51", bedspaces=2)
    booking = services.confirm_booking(None, make_booking(bedspace, "X100001", start=0, nights=7))
    services.record_non_arrival(None, booking, reason=non_arrival_reason(), notes="Recalled")
    make_booking(other, "X100002", start=0, nights=7)
    today = clock.today()
    params = mi.ReportParams(today, today + dt.timedelta(days=1), region("N51").pk)
    keys = [c.key for c in mi.REPORTS["bookings"].columns]
    rows = {
        row["crn"]: (row["bookingStatus"], row["offerAccepted"], row["isNotArrived"], row["notArrivedReason"])
        for row in (dict(zip(keys, r, strict=True)) for r in mi.REPORTS["bookings"].rows(params))
    }
    assert rows == {
        # Confirmed, then the person did not arrive: no longer read as a confirmed booking with no arrival.
        "X100001": ("Did not arrive", "Yes", "Yes", "Failed to arrive as planned"),
        "X100002": ("Provisional", "No", "No", ""),
    }


def test_bedspace_usage_rows_worked_out_by_hand(june):
    s = june
    a, a_refs = _estate(s, "A")
    b, b_refs = _estate(s, "B")
    c, c_refs = _estate(s, "C")
    expected = [
        # Room A: a1's nights from 25 May, its turnaround from the departure day (Friday 5 June) to
        # Tuesday 9 June (2 working days); a2 from 15 June, its September turnaround is outside June.
        a + ("X000001", "Booking", _d(5, 25), _d(6, 5), 11, "Departed", "No", "", "", "", "", "") + a_refs,
        a + ("X000001", "Turnaround", _d(6, 5), _d(6, 9), 5, "Departed", "", "", "", "", "", "") + a_refs,
        a + ("X000006", "Booking", _d(6, 15), _d(9, 14), 91, "Active", "Yes", "Yes", "Waiting for a council tenancy",
             "", "", "") + a_refs,
        # Room B: the void, then b1 (same-day turnaround, so no turnaround row); b2 was cancelled.
        b + ("", "Void", _d(6, 12), _d(6, 14), 3, "", "", "", "", "Deep clean", "Boiler repair", "HMPPS") + b_refs,
        b + ("X000003", "Booking", _d(6, 20), _d(7, 10), 20, "Confirmed", "No", "", "", "", "", "") + b_refs,
        # Room C: c1 and its 1-working-day turnaround (Monday 8 and Tuesday 9 June); the void was cancelled.
        c + ("X000007", "Booking", _d(6, 1), _d(6, 8), 7, "Provisional", "No", "", "", "", "", "") + c_refs,
        c + ("X000007", "Turnaround", _d(6, 8), _d(6, 9), 2, "Provisional", "", "", "", "", "", "") + c_refs,
    ]  # fmt: skip
    assert [tuple(r.values()) for r in _rows("bedspace-usage", "N51")] == expected
    d, d_refs = _estate(s, "D")
    assert [tuple(r.values()) for r in _rows("bedspace-usage", "N07")] == [
        d + ("X000008", "Booking", _d(6, 2), _d(6, 12), 10, "Departed", "No", "", "", "", "", "") + d_refs,
        d + ("X000008", "Turnaround", _d(6, 12), _d(6, 17), 6, "Departed", "", "", "", "", "", "") + d_refs,
    ]
    assert len(_rows("bedspace-usage")) == 9


def test_occupancy_rows_worked_out_by_hand(june):
    from decimal import Decimal

    s = june
    a, a_refs = _estate(s, "A")
    b, b_refs = _estate(s, "B")
    c, c_refs = _estate(s, "C")
    d, d_refs = _estate(s, "D")
    # occupied, confirmed, provisional, turnaround working days, turnaround days, void days, total occupied,
    # start, archive date, days online, rate.
    assert [tuple(r.values()) for r in _rows("occupancy", "N51")] == [
        # a1's nights 1-4 June and a2's 15-30 June = 20 of 30; a1's turnaround 5-9 June (Mon 8, Tue 9 working).
        a + (20, 0, 0, 2, 5, 0, 20, _d(1, 1), None, 30, Decimal("66.7")) + a_refs,
        # Online from 10 June (21 days); b1 confirmed 20-30 June; void 12-14 June.
        b + (0, 11, 0, 0, 0, 3, 0, _d(6, 10), None, 21, Decimal("0.0")) + b_refs,
        # Archived from 21 June (20 days online); c1 provisional 1-7 June; turnaround 8-9 June (Tue 9 working).
        c + (0, 0, 7, 1, 2, 0, 0, _d(1, 1), _d(6, 21), 20, Decimal("0.0")) + c_refs,
    ]
    # d1: nights 2-11 June; turnaround Friday 12 to Wednesday 17 June (Mon, Tue, Wed working).
    assert [tuple(r.values()) for r in _rows("occupancy", "N07")] == [
        d + (10, 0, 0, 3, 6, 0, 10, _d(1, 1), None, 30, Decimal("33.3")) + d_refs,
    ]


def test_referrals_rows_worked_out_by_hand(june):
    s = june
    rows = _rows("referrals", "N51")
    # Submitted in June and received by or sent from North West: R2, R3, R4 (London to North West).
    assert [r["crn"] for r in rows] == ["X000002", "X000003", "X000004"]
    assert list(rows[1].values()) == [
        str(s.referrals["R3"].pk),
        _d(6, 7),
        "Cal Three",
        "",
        "X000003",
        "Male",
        "Transgender Male",
        WHITE_BRITISH,
        dt.date(1990, 1, 1),
        "No",
        "No",
        "No",
        "No",
        "Medium",
        "No",
        "No",
        "Yes",
        _d(5, 1),
        "Liverpool",
        "Yes, accepted under the prevention and relief duty",
        "Liverpool",
        "L8 1AB",
        "North West",
        "Liverpool South",
        "No",
        "North West",
        "Liverpool South",
        _d(6, 8),
        "No",
        "",
        "",
        None,
        ELIGIBLE_FROM_CAS2,
        "CRD licence",
        "HMP Liverpool",
        _d(6, 15),
        _d(6, 19),
        _d(6, 18),
        _d(6, 20),
        "Yes",
    ]
    r2, r4 = rows[0], rows[2]
    assert (
        r2["referralRejected"],
        r2["rejectionReason"],
        r2["rejectionReasonExplained"],
        r2["rejectionDate"],
        r2["registeredSexOffender"],
        r2["releaseDate"],
        r2["updatedReleaseDate"],
        r2["bookingOffered"],
        r2["town"],
    ) == ("Yes", "CAS1 (approved premises) alternative suitable accommodation provided", "An AP place was found", _d(6, 5), "Yes",
          _d(6, 10), None, "No", "")  # fmt: skip
    assert (r4["outOfRegion"], r4["probationRegion"], r4["pdu"], r4["destinationRegion"], r4["destinationPdu"]) == (
        "Yes",
        "London",
        "Brent",
        "North West",
        "Liverpool South",
    )
    assert [r["crn"] for r in _rows("referrals", "N07")] == ["X000004", "X000005"]
    assert [r["crn"] for r in _rows("referrals")] == ["X000002", "X000003", "X000004", "X000005"]


def test_future_bookings_rows_worked_out_by_hand(june):
    s = june
    rows = _rows("future-bookings", "N51")
    # Not arrived, not cancelled, arriving from 1 June up to 30 December: c1 (provisional), b1 (confirmed).
    assert [tuple(r.values()) for r in rows] == [
        (str(s.bookings["c1"].pk), "", None, "Gus Seven", "", "", None, "", "", "", "", "", None, "", "North West",
         "Liverpool South", "Liverpool", "2 Dock Road", "L8 1AB", "X000007", "", "", _d(6, 1), None, None,
         "Provisional"),
        (str(s.bookings["b1"].pk), str(s.referrals["R3"].pk), _d(6, 8), "Cal Three", "Transgender Male", "", None, "",
         "No", "No", "No", "Yes", _d(5, 1), "Liverpool", "North West", "Liverpool South", "Liverpool", "1 Dock Road",
         "L8 1AB", "X000003", ELIGIBLE_FROM_CAS2, "HMP Liverpool", _d(6, 20), _d(6, 18), _d(6, 20), "Confirmed"),
    ]  # fmt: skip
    assert [r["bookingId"] for r in _rows("future-bookings", "N07")] == [str(s.bookings["d2"].pk)]


def test_gap_rows_worked_out_by_hand(june):
    rows = [tuple(r.values()) for r in _rows("gaps")]
    assert rows == [
        # Room D: free on 1 June, then from the end of d1's turnaround (18 June) to the end of June.
        ("London", "Brent", "LDN-1", "Room D", "2026-06-01 to 2026-06-01", 1),
        ("London", "Brent", "LDN-1", "Room D", "2026-06-18 to 2026-06-30", 13),
        # Room A: between a1's turnaround and a2's arrival.
        ("North West", "Liverpool South", "NW-1", "Room A", "2026-06-10 to 2026-06-14", 5),
        # Room B: online from 10 June; around the void; until b1 arrives.
        ("North West", "Liverpool South", "NW-1", "Room B", "2026-06-10 to 2026-06-11", 2),
        ("North West", "Liverpool South", "NW-1", "Room B", "2026-06-15 to 2026-06-19", 5),
        # Room C: after c1's turnaround until it is archived on 21 June (the cancelled void does not count).
        ("North West", "Liverpool South", "NW-2", "Room C", "2026-06-10 to 2026-06-20", 11),
    ]
    assert [r[3] for r in (tuple(x.values()) for x in _rows("gaps", "N51"))] == ["Room A", "Room B", "Room B", "Room C"]


def _run(user, key, file_format, region_code=None):
    from tests.reporting.mi_scenario import JUNE_1, JUNE_30

    run = mi.request_report(user, key, JUNE_1, JUNE_30, region(region_code).pk if region_code else None, file_format)
    mi.generate_report.call(str(run.pk))
    run.refresh_from_db()
    assert run.status == "ready", run.error
    return run


def _csv_rows(user, run):
    with mi.open_download(user, run) as handle:
        return list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8")))


# What identifies a row of each report, and that row's region column.
ROW_KEYS = {
    "bookings": ("Booking ID", "Probation region"),
    "bedspace-usage": ("Bedspace reference", "Probation region"),
    "occupancy": ("Bedspace reference", "Probation region"),
    "referrals": ("CRN", "Destination region"),
    "future-bookings": ("Booking ID", "Probation region"),
    "gaps": ("Empty from and to", "Probation region"),
}


@pytest.mark.parametrize("key", list(ROW_KEYS))
def test_region_scope_for_assessors_and_reporters(june, key):
    """An assessor's report covers their region only, whatever they ask for; a reporter's covers any
    region or all of them. The files come from the background task."""
    london_assessor = make_user(Role.CAS3_ASSESSOR, region_code="N07")
    reporter = make_user(Role.REPORTER, region_code="NA")
    with pytest.raises(NotAllowed):
        mi.request_report(london_assessor, key, dt.date(2026, 6, 1), dt.date(2026, 6, 30), region("N51").pk, "csv")
    london = _csv_rows(london_assessor, _run(london_assessor, key, "csv"))
    everything = _csv_rows(reporter, _run(reporter, key, "csv"))
    north_west = _csv_rows(reporter, _run(reporter, key, "csv", "N51"))
    _, region_column = ROW_KEYS[key]
    assert london and north_west
    if key == "referrals":
        # London sees what its HPT received and what its practitioners sent: never North West's own.
        assert {r["CRN"] for r in london} == {"X000004", "X000005"}
    else:
        assert {r[region_column] for r in london} == {"London"}
        assert {r[region_column] for r in north_west} == {"North West"}
    assert len(everything) == len(london) + len(north_west) - (1 if key == "referrals" else 0)  # R4 is in both


def test_csv_and_xlsx_from_the_background_task(june, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    reporter = make_user(Role.REPORTER, region_code="NA")
    for key in DOMAIN_COLUMNS:
        definition = mi.REPORTS[key]
        headers = [c.header for c in definition.columns]
        with django_capture_on_commit_callbacks(execute=True):
            csv_run = mi.request_report(reporter, key, dt.date(2026, 6, 1), dt.date(2026, 6, 30), None, "csv")
            xlsx_run = mi.request_report(reporter, key, dt.date(2026, 6, 1), dt.date(2026, 6, 30), None, "xlsx")
        csv_run.refresh_from_db()
        xlsx_run.refresh_from_db()
        assert csv_run.status == xlsx_run.status == "ready"
        assert csv_run.file_name == f"{key}-all-regions-01-06-2026-to-30-06-2026.csv"
        with mi.open_download(reporter, csv_run) as handle:
            lines = list(csv.reader(io.TextIOWrapper(handle, encoding="utf-8")))
        assert lines[0] == headers and len(lines) - 1 == csv_run.rows_written == len(_rows(key)) > 0
        book = load_workbook(mi.report_path(xlsx_run), read_only=True)
        assert book.sheetnames == [definition.title, "Data dictionary"]
        sheet = list(book[definition.title].iter_rows(values_only=True))
        assert list(sheet[0]) == headers and len(sheet) - 1 == xlsx_run.rows_written == csv_run.rows_written
        dictionary = list(book["Data dictionary"].iter_rows(values_only=True))
        assert dictionary[1:] == [(c.header, c.description) for c in definition.columns]
    assert sheet[1] == ("London", "Brent", "LDN-1", "Room D", "2026-06-01 to 2026-06-01", 1)
    assert AuditEvent.objects.filter(action="report.downloaded").count() == len(DOMAIN_COLUMNS)


def _grow_estate(count: int, start: int) -> None:
    """`count` more bedspaces in North West, each with a booking for a referral whose date was corrected,
    a turnaround and a void, so every report has rows of every kind."""
    from tests.reporting import mi_scenario as sc

    referrer = make_user(Role.CAS3_REFERRER)
    premises = sc.make_premises("N51", reference=f"Grow {start}", address_line1="9 Grow Street", postcode="L1 1AA")
    for n in range(start, start + count):
        bedspace = sc.make_bedspace(premises, f"Bed {n:03d}", start_date=_d(1, 1))
        sc.make_void(bedspace, _d(6, 25), _d(6, 27))
        ref = sc.referral(
            referrer, crn=f"X{n:06d}", name=f"Person {n}", submitted=sc.moment(6, 2), created=sc.moment(6, 1)
        )
        sc.date_corrected(ref, "accommodation_required_from", _d(6, 3), _d(6, 4), sc.moment(6, 3))
        sc.book(bedspace, crn=ref.crn, name=ref.person_name, arrival=_d(6, 5), departure=_d(6, 20), turnaround=2,
                status=sc.S.CONFIRMED, referral=ref)  # fmt: skip


def test_queries_do_not_grow_with_the_rows():
    """Each CAS3 report reads a fixed handful of queries: the same for 3 bookings as for 30 (the CAS2
    reports', for 3 applications and 30, in tests/reporting/test_cas2_reports.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    params = mi.ReportParams(dt.date(2026, 6, 1), dt.date(2026, 6, 30), None)
    cas3 = {key: d for key, d in mi.REPORTS.items() if d.service == "cas3"}
    assert set(cas3) == set(DOMAIN_COLUMNS)

    def measure():
        counts = {}
        for key, definition in cas3.items():
            with CaptureQueriesContext(connection) as queries:
                definition.count(params)
                rows = sum(1 for _ in definition.rows(params))
            counts[key] = (len(queries), rows)
        return counts

    _grow_estate(3, 1)
    small = measure()
    _grow_estate(27, 4)
    large = measure()
    for key in cas3:
        assert large[key][1] > small[key][1] > 0, key
        assert large[key][0] == small[key][0] <= 5, (key, small[key], large[key])


def test_reporters_page_offers_every_report_for_any_region(june, client, django_capture_on_commit_callbacks):
    from markupsafe import escape

    reporter = make_user(Role.REPORTER, region_code="NA")
    client.force_login(reporter)
    page = client.get(reverse("web:reports")).content.decode()
    assert 'name="region"' in page
    for definition in mi.REPORTS.values():
        assert f'value="{definition.key}"' in page and definition.title in page
        assert all(escape(column.header) in page for column in definition.columns)  # the data dictionary
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("web:reports"),
            {
                "report": "occupancy",
                "start_date-day": "1",
                "start_date-month": "6",
                "start_date-year": "2026",
                "end_date-day": "30",
                "end_date-month": "6",
                "end_date-year": "2026",
                "region": str(region("N51").pk),
                "file_format": "csv",
            },
        )
    run = ReportRun.objects.get(report_key="occupancy")
    assert response["Location"] == reverse("web:report-run", args=[run.pk])
    assert (
        "Download occupancy-north-west-01-06-2026-to-30-06-2026.csv"
        in client.get(response["Location"]).content.decode()
    )
    body = b"".join(client.get(reverse("web:report-download", args=[run.pk])).streaming_content).decode()
    assert body.splitlines()[1].startswith(
        "North West,Liverpool South,Liverpool,NW-1,1 Dock Road,Liverpool,L8 1AB,Room A,20,"
    )


@pytest.mark.parametrize("key", ["bookings", "bedspace-usage", "occupancy", "future-bookings", "gaps"])
def test_api_requests_each_report_and_polls_it(june, client, key, django_capture_on_commit_callbacks):
    assessor = make_user(Role.CAS3_ASSESSOR, region_code="N07")
    client.force_login(assessor)
    period = {"report": key, "start_date": "2026-06-01", "end_date": "2026-06-30", "file_format": "xlsx"}
    refused = client.post(
        reverse("api:reports"), {**period, "region_id": region("N51").pk}, content_type="application/json"
    )
    assert refused.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("api:reports"), period, content_type="application/json")
    assert response.status_code == 202 and response.json()["region"] == region("N07").pk
    polled = client.get(reverse("api:report-run", args=[response.json()["id"]])).json()
    assert (
        polled["status"] == "ready" and polled["progress"] == 100 and polled["rows_written"] == len(_rows(key, "N07"))
    )
    # The file is downloaded through the API, so an API token can fetch it too.
    assert polled["download_url"] == reverse("api:report-file", args=[polled["id"]])
    file = client.get(polled["download_url"])
    assert file.status_code == 200
    assert file["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert b"".join(file.streaming_content).startswith(b"PK")  # an XLSX workbook is a zip file


@pytest.mark.django_db(transaction=True)
def test_a_report_survives_other_writers_while_its_rows_stream(monkeypatch):
    """Found on national demo data: on SQLite, the connection streaming a report's rows could not record
    progress once another connection (the worker renewing its lease) had written, and the report failed
    with "database is locked". Progress now goes through its own connection."""
    from django.db import connections

    from cas.accounts.models import User

    reporter = make_user(Role.REPORTER, region_code="NA")
    for n in range(5):
        make_user(Role.CAS3_REFERRER, username=f"streamed.{n}")
    seen_progress = []

    def users(params):
        streamed = User.objects.filter(username__startswith="streamed.").order_by("pk")
        for n, user in enumerate(streamed.iterator(chunk_size=1)):
            if n == 1:
                # Another connection writes while this read is open, as the worker's lease renewal does.
                other = connections.create_connection("default")
                with other.cursor() as cursor:
                    cursor.execute("UPDATE accounts_user SET first_name = %s WHERE username = %s", ["x", "streamed.4"])
                other.close()
            if n == 3:
                # What a page polling the run sees (its own connection; this one's snapshot is older).
                poller = connections.create_connection("default")
                with poller.cursor() as cursor:
                    cursor.execute("SELECT rows_written FROM reporting_reportrun WHERE report_key = 'streamed'")
                    seen_progress.append(cursor.fetchone()[0])
                poller.close()
            yield (user.username,)

    definition = mi.ReportDefinition(
        key="streamed",
        title="Streamed",
        description="Users, read while another connection writes",
        columns=(mi.Column("username", "Username", "The username"),),
        count=lambda p: 5,
        rows=users,
    )
    monkeypatch.setitem(mi.REPORTS, "streamed", definition)
    monkeypatch.setattr(mi, "PROGRESS_EVERY", 1)
    run = mi.request_report(reporter, "streamed", dt.date(2026, 1, 1), dt.date(2026, 1, 31), None, "csv")
    run.refresh_from_db()
    assert (run.status, run.error, run.rows_written) == ("ready", "", 5)
    assert seen_progress == [3]  # progress moved while the rows were still streaming
