"""A small estate in June 2026, in two regions, whose report rows are worked out by hand in
`test_mi_reports.py`. June 2026 starts on a Monday and has no bank holiday.

North West (N51), PDU Liverpool South, local authority Liverpool:
- NW-1, 1 Dock Road, Liverpool L8 1AB: Room A (from 1 January), Room B (from 10 June; void 12-14 June).
- NW-2, 2 Dock Road, Liverpool L8 1AB: Room C (1 January, archived from 21 June; a cancelled void).
London (N07), PDU Brent, local authority Brent:
- LDN-1, 3 High Road, London NW10 1AA: Room D (from 1 January).

Bookings (turnaround in working days):
- a1 Room A, Alex One (R1): 25 May to 5 June, left 5 June, turnaround 2 (free from 10 June).
- a2 Room A, Finn Six (no referral): arrived 15 June until 14 September (91 nights, authorised).
- b2 Room B, Cal Three (R3): 16 to 19 June, cancelled on 10 June.
- b1 Room B, Cal Three (R3): confirmed, 20 June to 10 July, same-day turnaround.
- c1 Room C, Gus Seven (no referral): provisional, 1 to 8 June, turnaround 1 (free from 10 June).
- d1 Room D, Hal Eight (no referral): 2 to 12 June, left, turnaround 3 (free from 18 June).
- d2 Room D, Ivy Nine (no referral): provisional, 5 to 19 July.

Referrals (submitted): R1 North West 10 May; R2 North West 3 June, rejected 5 June; R3 North West
8 June, release date corrected 15 -> 19 June and required-from 18 -> 20 June; R4 from London to
North West 9 June; R5 London 20 June; and a North West draft.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cas.core.roles import Role
from cas.placements.models import Booking
from cas.placements.status import BookingStatus as S
from cas.placements.status import available_from
from cas.premises.models import Bedspace, VoidPeriod
from cas.reference.models import LocalAuthorityArea, ReferralRejectionReason
from cas.referrals.models import Referral, TimelineEntry
from tests.estate_factories import make_bedspace, make_premises, make_void
from tests.factories import make_user, pdu, region
from tests.placement_factories import cancellation_reason, departure_reason, move_on

JUNE_1, JUNE_30 = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
TODAY = dt.date(2026, 7, 1)
REJECTION_REASON = "CAS1 (approved premises) alternative suitable accommodation provided"


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def moment(month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, month, day, hour))


def book(bedspace, *, crn: str, name: str, arrival, departure, turnaround: int, status: str, created=None, **fields):
    """A booking as the services leave it after its steps (the scenario's dates are in the past,
    which the services rightly refuse for new bookings)."""
    premises = bedspace.premises
    values = {
        "service": premises.service,
        "bedspace": bedspace,
        "premises": premises,
        "region": premises.region,
        "pdu": premises.pdu,
        "crn": crn,
        "person_name": name,
        "arrival_date": arrival,
        "departure_date": departure,
        "turnaround_working_days": turnaround,
        "available_from": available_from(departure, turnaround),
        "status": status,
    }
    if status in (S.CONFIRMED, S.ARRIVED, S.DEPARTED):
        values["confirmed_at"] = moment(5, 20)
    if status in (S.ARRIVED, S.DEPARTED):
        values["actual_arrival_date"] = arrival
    if status == S.DEPARTED:
        values.update(
            actual_departure_date=departure,
            departure_reason=departure_reason(),
        )
    values.update(fields)
    booking = Booking.objects.create(**values)
    if created:
        Booking.objects.filter(pk=booking.pk).update(created_at=created)
    return booking


def referral(referrer, *, crn: str, name: str, submitted, created, origin="N51", to="N51", **fields) -> Referral:
    values = {
        "created_by": referrer,
        "crn": crn,
        "person_name": name,
        "form_key": "cas3",
        "form_version": 1,
        "service": "cas3",
        "origin_region": region(origin),
        "origin_pdu": pdu({"N51": "N51LPLS", "N07": "N07BRNT"}[origin]),
        "region": region(to),
        "pdu": pdu({"N51": "N51LPLS", "N07": "N07BRNT"}[to]),
        "is_out_of_region": origin != to,
        "status": "unallocated",
        "submitted_at": submitted,
    }
    values.update(fields)
    made = Referral.objects.create(**values)
    Referral.objects.filter(pk=made.pk).update(created_at=created)
    made.refresh_from_db()
    return made


def date_corrected(ref: Referral, field: str, old: dt.date, new: dt.date, when) -> None:
    TimelineEntry.objects.create(
        referral=ref,
        kind=TimelineEntry.Kind.DATE,
        created_at=when,
        author_name="An assessor",
        author_kind=TimelineEntry.Author.ASSESSOR,
        details={"field": field, "from": old.isoformat(), "to": new.isoformat()},
    )


@dataclass
class Scenario:
    premises: dict
    bedspaces: dict
    bookings: dict
    referrals: dict
    voids: dict


def build() -> Scenario:
    liverpool = LocalAuthorityArea.objects.get(identifier="E08000012")
    brent = LocalAuthorityArea.objects.get(identifier="E09000005")
    nw1 = make_premises(
        "N51",
        reference="NW-1",
        address_line1="1 Dock Road",
        town="Liverpool",
        postcode="L8 1AB",
        local_authority=liverpool,
    )
    nw2 = make_premises(
        "N51",
        reference="NW-2",
        address_line1="2 Dock Road",
        town="Liverpool",
        postcode="L8 1AB",
        local_authority=liverpool,
    )
    ldn = make_premises(
        "N07", reference="LDN-1", address_line1="3 High Road", town="London", postcode="NW10 1AA", local_authority=brent
    )
    room_a = make_bedspace(nw1, "Room A", start_date=d(1, 1))
    room_b = make_bedspace(nw1, "Room B", start_date=d(6, 10))
    room_c = make_bedspace(nw2, "Room C", start_date=d(1, 1))
    room_d = make_bedspace(ldn, "Room D", start_date=d(1, 1))
    void_b = make_void(room_b, d(6, 12), d(6, 14), notes="Boiler repair")
    void_c = make_void(room_c, d(6, 12), d(6, 13))
    VoidPeriod.objects.filter(pk=void_c.pk).update(cancelled_at=moment(6, 11))
    Bedspace.objects.filter(pk=room_c.pk).update(end_date=d(6, 21))
    room_c.refresh_from_db()

    referrer = make_user(Role.CAS3_REFERRER)
    profile = {
        "date_of_birth": dt.date(1990, 1, 1),
        "sex": "Male",
        "ethnicity": "White: English, Welsh, Scottish, Northern Irish or British",
        "rosh_level": "Medium",
        "is_registered_sex_offender": False,
        "has_history_of_sexual_offence": False,
        "has_concerning_sexual_behaviour": False,
        "needs_accessible_property": False,
        "has_history_of_arson": False,
        "has_concerning_arson_behaviour": False,
        "is_duty_to_refer_submitted": True,
        "duty_to_refer_submitted_on": d(5, 1),
        "duty_to_refer_local_authority": liverpool,
        "duty_to_refer_outcome": "accepted_prevention_relief",
        "is_eligible": True,
        "eligibility_reason": "homeless_from_prison",
        "prison_release_types": "CRD licence",
        "prison_name_on_creation": "HMP Liverpool",
    }
    r1 = referral(
        referrer,
        crn="X000001",
        name="Alex One",
        submitted=moment(5, 10),
        created=moment(5, 9),
        status="archived",
        release_date=d(5, 24),
        accommodation_required_from=d(5, 25),
        **profile,
    )
    r2 = referral(
        referrer,
        crn="X000002",
        name="Bea Two",
        submitted=moment(6, 3),
        created=moment(6, 2),
        status="rejected",
        rejection_reason=ReferralRejectionReason.objects.get(name=REJECTION_REASON),
        rejection_details="An AP place was found",
        decided_at=moment(6, 5, 9),
        release_date=d(6, 10),
        accommodation_required_from=d(6, 10),
        **{**profile, "is_registered_sex_offender": True, "sex": "Female"},
    )
    r3 = referral(
        referrer,
        crn="X000003",
        name="Cal Three",
        submitted=moment(6, 8),
        created=moment(6, 7),
        status="archived",
        release_date=d(6, 19),
        accommodation_required_from=d(6, 20),
        **{**profile, "gender_identity": "Transgender Male", "eligibility_reason": "homeless_from_cas2"},
    )
    date_corrected(r3, "release_date", d(6, 15), d(6, 19), moment(6, 9))
    date_corrected(r3, "accommodation_required_from", d(6, 18), d(6, 19), moment(6, 9, 11))
    date_corrected(r3, "accommodation_required_from", d(6, 19), d(6, 20), moment(6, 9, 12))
    r4 = referral(
        referrer, crn="X000004", name="Dee Four", submitted=moment(6, 9), created=moment(6, 9, 9), origin="N07"
    )
    r5 = referral(
        referrer, crn="X000005", name="Eve Five", submitted=moment(6, 20), created=moment(6, 19), origin="N07", to="N07"
    )
    Referral.objects.create(
        created_by=referrer,
        crn="X000010",
        person_name="Draft Ten",
        form_key="cas3",
        form_version=1,
        service="cas3",
        origin_region=region("N51"),
        region=region("N51"),
        status="draft",
    )

    a1 = book(
        room_a,
        crn="X000001",
        name="Alex One",
        arrival=d(5, 25),
        departure=d(6, 5),
        turnaround=2,
        status=S.DEPARTED,
        referral=r1,
        sex="Male",
        ethnicity=profile["ethnicity"],
        date_of_birth=dt.date(1990, 1, 1),
        rosh_level="Medium",
        move_on_category=move_on("Rental accommodation (private rental)"),
    )
    a2 = book(
        room_a,
        crn="X000006",
        name="Finn Six",
        arrival=d(6, 15),
        departure=d(9, 14),
        turnaround=2,
        status=S.ARRIVED,
        sex="Female",
        gender_identity="Non-binary",
        rosh_level="High",
        is_overstay=True,
        overstay_authorised=True,
        overstay_reason="Waiting for a council tenancy",
    )
    b2 = book(
        room_b,
        crn="X000003",
        name="Cal Three",
        arrival=d(6, 16),
        departure=d(6, 19),
        turnaround=2,
        status=S.CANCELLED,
        referral=r3,
        created=moment(6, 9, 13),
        cancelled_on=d(6, 10),
        cancellation_reason=cancellation_reason(),
    )
    b1 = book(
        room_b,
        crn="X000003",
        name="Cal Three",
        arrival=d(6, 20),
        departure=d(7, 10),
        turnaround=0,
        status=S.CONFIRMED,
        referral=r3,
        created=moment(6, 10, 13),
        sex="Male",
        gender_identity="Transgender Male",
    )
    c1 = book(
        room_c, crn="X000007", name="Gus Seven", arrival=d(6, 1), departure=d(6, 8), turnaround=1, status=S.PROVISIONAL
    )
    d1 = book(
        room_d,
        crn="X000008",
        name="Hal Eight",
        arrival=d(6, 2),
        departure=d(6, 12),
        turnaround=3,
        status=S.DEPARTED,
        sex="Female",
        move_on_category=move_on("Homeless (rough sleeping)"),
    )
    d2 = book(
        room_d, crn="X000009", name="Ivy Nine", arrival=d(7, 5), departure=d(7, 19), turnaround=3, status=S.PROVISIONAL
    )
    return Scenario(
        premises={"NW-1": nw1, "NW-2": nw2, "LDN-1": ldn},
        bedspaces={"A": room_a, "B": room_b, "C": room_c, "D": room_d},
        bookings={"a1": a1, "a2": a2, "b1": b1, "b2": b2, "c1": c1, "d1": d1, "d2": d2},
        referrals={"R1": r1, "R2": r2, "R3": r3, "R4": r4, "R5": r5},
        voids={"B": void_b, "C": void_c},
    )
