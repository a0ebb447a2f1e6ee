"""A small CAS2 June 2026 whose report rows are worked out by hand in `test_cas2_reports.py`. Times are
UK time (British Summer Time, UTC+1), so the edges of the period are checked in the zone people read.

Submitted applications:
- A0 HDC, Hewell (HEI), North West person, submitted 20 May: before the period. In June the provider
  asked for more information on risk to self (2 June 11:00), and the referrer sent it (4 June 09:00).
- A1 HDC, Hewell (HEI), North West, Sam One (born 15 June 1990: 35 when submitted), started 31 May 15:00,
  submitted 1 June 10:00, HDC eligibility 1 July, conditional release 1 December, preferred areas Leeds
  and Bradford. Moved to Birmingham (BMI) on 5 June; a new offender manager there on 8 June. Awaiting
  decision 3 June 10:00, place offered 10 June 10:00, offer accepted 12 June 10:00.
- A2 court bail, London, Kim Two (Female, born 20 June 2004: 22 on 20 June), no prison number, started
  20 June 09:00, submitted 09:30, hearing 20 June, preferred area Manchester. Cancelled at 14:00 (no
  property available; not eligible).
- A3 prison bail, Holme House (HHI), North West, no date of birth, submitted 30 June 23:30: the last
  half hour of the period (22:30 UTC). No status update yet.
- A4 probation cohort (from an Approved Premises), submitted 1 July 00:30 (30 June 23:30 UTC): after
  the period, as is its status update that morning.
Unsubmitted (North West, probation): D1 started 15 June, in progress; D2 started 16 June, abandoned
18 June; D3 started 31 May (before the period).
And a CAS3 referral submitted on 10 June, which no CAS2 report shows.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cas.core.roles import Role
from cas.reference.models import Prison
from cas.referrals.models import PrisonAssignment, Referral, ReferralCohort, ReferralRoute, TimelineEntry
from tests.factories import make_user, region

JUNE_1, JUNE_30 = dt.date(2026, 6, 1), dt.date(2026, 6, 30)


def moment(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, month, day, hour, minute))


def prison(code: str) -> Prison:
    return Prison.objects.get(code=code)


def cohort(route_code: str, code: str | None = None) -> ReferralCohort:
    return ReferralCohort.objects.get(route__service="cas2", route__code=route_code, code=code or route_code)


def application(referrer, *, crn: str, name: str, route: str, created, submitted=None, cohort_code=None, **fields):
    values = {
        "service": "cas2",
        "created_by": referrer,
        "crn": crn,
        "person_name": name,
        "form_key": "cas2-referral",
        "form_version": 1,
        "origin_region": referrer.region,
        "region": referrer.region,
        "route": ReferralRoute.objects.get(service="cas2", code=route),
        "cohort": cohort(route, cohort_code),
        "status": "received" if submitted else "draft",
        "submitted_at": submitted,
        "sex": "Male",
        "ethnicity": "White: British",
    }
    values.update(fields)
    made = Referral.objects.create(**values)
    Referral.objects.filter(pk=made.pk).update(created_at=created)
    if submitted:
        TimelineEntry.objects.create(
            referral=made,
            kind=TimelineEntry.Kind.SUBMITTED,
            created_at=submitted,
            author=referrer,
            author_name=referrer.get_full_name(),
            author_kind=TimelineEntry.Author.REFERRER,
            to_status="received",
        )
    made.refresh_from_db()
    return made


def status(app: Referral, when, author, action: str, before: str, after: str, codes=(), *, by_referrer=False):
    TimelineEntry.objects.create(
        referral=app,
        kind=TimelineEntry.Kind.STATUS,
        created_at=when,
        author=author,
        author_name=author.get_full_name(),
        author_kind=TimelineEntry.Author.REFERRER if by_referrer else TimelineEntry.Author.ASSESSOR,
        action=action,
        from_status=before,
        to_status=after,
        details={"status_details": list(codes), "labels": [c.replace("_", " ") for c in codes]} if codes else {},
    )
    Referral.objects.filter(pk=app.pk).update(status=after)


def assignment(app: Referral, prison_code: str, reason: str, when, manager=None):
    PrisonAssignment.objects.create(
        referral=app,
        prison=prison(prison_code),
        offender_manager=manager,
        offender_manager_name=manager.get_full_name() if manager else "",
        reason=reason,
        created_at=when,
    )


@dataclass
class Scenario:
    applications: dict
    users: dict


def build() -> Scenario:
    hdc = make_user(Role.CAS2_HDC_REFERRER, username="hdc.hewell", prison=prison("HEI"))
    hdc_birmingham = make_user(Role.CAS2_HDC_REFERRER, username="hdc.birmingham", prison=prison("BMI"))
    court = make_user(Role.CAS2_COURT_REFERRER, region_code="N07", username="court.london")
    bail = make_user(Role.CAS2_PRISON_REFERRER, username="bail.holme", prison=prison("HHI"))
    probation = make_user(Role.CAS2_PROBATION_REFERRER, username="probation.nw")
    assessor = make_user(Role.CAS2_ASSESSOR, region_code="NA", username="nacro.assessor")
    cas3 = make_user(Role.CAS3_REFERRER, username="cas3.referrer")

    a0 = application(
        hdc, crn="X200000", name="Ann Zero", route="hdc", created=moment(5, 19), submitted=moment(5, 20),
        noms_number="A0000AA", referring_prison=prison("HEI"), current_prison=prison("HEI"),
    )  # fmt: skip
    assignment(a0, "HEI", "submitted", moment(5, 20), hdc)
    status(a0, moment(6, 2, 11), assessor, "request_information", "received", "more_info_requested", ["risk_to_self"])
    status(a0, moment(6, 4, 9), hdc, "send_information", "more_info_requested", "received", by_referrer=True)

    a1 = application(
        hdc, crn="X200001", name="Sam One", route="hdc", created=moment(5, 31, 15), submitted=moment(6, 1),
        noms_number="A1111AA", referring_prison=prison("HEI"), current_prison=prison("BMI"),
        offender_manager=hdc_birmingham, date_of_birth=dt.date(1990, 6, 15), ethnicity="Asian: Pakistani",
        hdc_eligibility_date=dt.date(2026, 7, 1), conditional_release_date=dt.date(2026, 12, 1),
        preferred_area_1="Leeds", preferred_area_2="Bradford",
    )  # fmt: skip
    assignment(a1, "HEI", "submitted", moment(6, 1), hdc)
    status(a1, moment(6, 3), assessor, "await_decision", "received", "awaiting_decision")
    assignment(a1, "BMI", "transfer", moment(6, 5))
    assignment(a1, "BMI", "allocation", moment(6, 8), hdc_birmingham)
    status(a1, moment(6, 10), assessor, "offer_place", "awaiting_decision", "place_offered")
    status(a1, moment(6, 12), assessor, "accept_offer", "place_offered", "offer_accepted")

    a2 = application(
        court, crn="X200002", name="Kim Two", route="court_bail", created=moment(6, 20, 9),
        submitted=moment(6, 20, 9, 30), sex="Female", date_of_birth=dt.date(2004, 6, 20), ethnicity="Black: African",
        bail_hearing_date=dt.date(2026, 6, 20), bail_hearing_court="Westminster Magistrates' Court",
        preferred_area_1="Manchester",
    )  # fmt: skip
    status(
        a2, moment(6, 20, 14), assessor, "cancel", "received", "cancelled", ["no_property_available", "not_eligible"]
    )

    a3 = application(
        bail, crn="X200003", name="Lee Three", route="prison_bail", created=moment(6, 29),
        submitted=moment(6, 30, 23, 30), noms_number="A3333AA", referring_prison=prison("HHI"),
        current_prison=prison("HHI"), bail_hearing_date=dt.date(2026, 7, 14), ethnicity="",
    )  # fmt: skip
    assignment(a3, "HHI", "submitted", moment(6, 30, 23, 30))

    a4 = application(
        probation, crn="X200004", name="Max Four", route="probation", cohort_code="from_ap",
        created=moment(6, 30, 20), submitted=moment(7, 1, 0, 30), date_of_birth=dt.date(1970, 1, 1),
    )  # fmt: skip
    status(a4, moment(7, 1, 9), assessor, "await_decision", "received", "awaiting_decision")

    d1 = application(probation, crn="X200011", name="Dan Draft", route="probation", cohort_code="atcr",
                     created=moment(6, 15), date_of_birth=dt.date(1976, 3, 1))  # fmt: skip
    d2 = application(probation, crn="X200012", name="Eve Abandoned", route="probation", cohort_code="hcrd",
                     created=moment(6, 16), deleted_at=moment(6, 18), answers={})  # fmt: skip
    d3 = application(
        probation, crn="X200013", name="Fay Early", route="probation", cohort_code="isc", created=moment(5, 31)
    )

    cas3_referral = Referral.objects.create(
        service="cas3", created_by=cas3, crn="X200020", person_name="Cas Three", form_key="cas3", form_version=1,
        origin_region=region("N51"), region=region("N51"), status="unallocated", submitted_at=moment(6, 10),
    )  # fmt: skip
    TimelineEntry.objects.create(
        referral=cas3_referral, kind="status", created_at=moment(6, 11), author_name="HPT", author_kind="assessor",
        action="allocate", from_status="unallocated", to_status="in_review",
    )  # fmt: skip
    return Scenario(
        applications={"A0": a0, "A1": a1, "A2": a2, "A3": a3, "A4": a4, "D1": d1, "D2": d2, "D3": d3},
        users={"hdc": hdc, "court": court, "assessor": assessor, "probation": probation, "bail": bail},
    )
