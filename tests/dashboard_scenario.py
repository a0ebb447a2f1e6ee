"""A hand-built month for the dashboard's figures (tests/reporting/test_dashboard.py works out every
figure by hand; the API test reads the same ones)."""

import datetime as dt

import pytest

from cas.core.roles import Role
from tests.estate_factories import make_void
from tests.factories import make_user, pdu

# A hand-built March 2026 in North West, every figure worked out by hand below. The scenario is
# played through the services with the clock moved to each day, so every booking, stay, void,
# archive and incident is exactly as the service would record it.
#
# North West: property P1 (Liverpool South PDU) with bedspaces b1 and b2, property P2 (Cumbria PDU)
# with bedspace b3; London: property P3 with bedspace b5. Same-day turnarounds everywhere.
#
#   booking  bedspace  made      arrived   left      nights  referral submitted  move-on
#   E        b2        20 Jan    25 Jan    5 Mar     39      -                   They're deceased
#   A        b1        25 Feb    2 Mar     12 Mar    10      R1 20 Feb           Rental (settled)
#   C        b3        1 Mar     3 Mar     19 Mar    16      R3 1 Mar            Recalled
#   D        b2        5 Mar     -         -         -       -                   cancelled 6 Mar
#   H        b2        11 Mar    12 Mar    16 Mar    4       -                   Friends or family (settled)
#   B        b1        13 Mar    21 Mar    (20 Apr)  -       R2 12 Mar           still staying
#   F        b5 (London) 1 Mar   2 Mar     10 Mar    8       RL 1 Mar            Rental (settled)
#
# b2 is void 10-11 March; b3 is archived from 19 March. Incidents: P1 anti-social behaviour on
# 27 February (outside) and 8 March; P2 serious further offence 18 March; P3 (London) serious
# further offence 18 March.

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture(name="travel")
def travel_fixture(monkeypatch):
    """travel(day): the service's clock (and every timestamp it stores) reads 10:00 on `day`."""
    from django.utils import timezone

    def go(day: dt.date, hour: int = 10):
        instant = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
        monkeypatch.setattr(timezone, "now", lambda: instant)

    return go


@pytest.fixture(name="march")
def march_scenario(travel):
    from cas.placements import services
    from cas.premises import services as estate
    from tests.estate_factories import make_bedspace, make_premises
    from tests.placement_factories import cancellation_reason, departure_reason, make_ready_referral, move_on

    d = dt.date
    travel(d(2026, 1, 10))
    p1 = make_premises("N51", pdu_code="N51LPLS", turnaround_working_days=0)
    p2 = make_premises("N51", pdu_code="N51CUMB", turnaround_working_days=0)
    p3 = make_premises("N07", turnaround_working_days=0)
    start = d(2025, 11, 11)
    b1, b2 = make_bedspace(p1, "Room 1", start_date=start), make_bedspace(p1, "Room 2", start_date=start)
    b3 = make_bedspace(p2, "Room 3", start_date=start)
    b5 = make_bedspace(p3, "Room 5", start_date=start)
    referrer = make_user(Role.CAS3_REFERRER, pdu=pdu("N51LPLS"))
    london_referrer = make_user(Role.CAS3_REFERRER, region_code="N07", pdu=pdu("N07LEBR"))

    def book(bedspace, crn, arrival, departure, referral=None):
        booking = services.create_booking(
            None, bedspace, crn=crn, arrival_date=arrival, departure_date=departure, referral=referral
        )
        return services.confirm_booking(None, booking)

    def arrive(booking, day):
        travel(day)
        return services.record_arrival(None, booking, arrival_date=day, expected_departure_date=booking.departure_date)

    def leave(booking, day, category):
        travel(day)
        return services.record_departure(
            None, booking, departure_date=day, reason=departure_reason(), move_on_category=move_on(category)
        )

    def incident(premises, day, kind):
        travel(day)
        services.record_incident(None, premises=premises, kind=kind, occurred_on=day, details="Recorded by staff")

    travel(d(2026, 1, 20))
    e = book(b2, "X100002", d(2026, 1, 25), d(2026, 3, 5))
    e = arrive(e, d(2026, 1, 25))
    travel(d(2026, 2, 20))
    r1 = make_ready_referral(referrer, "X100013")
    travel(d(2026, 2, 25))
    a = book(b1, "X100013", d(2026, 3, 2), d(2026, 3, 12), referral=r1)
    incident(p1, d(2026, 2, 27), "asb")
    travel(d(2026, 3, 1))
    r3 = make_ready_referral(referrer, "X100001")
    c = book(b3, "X100001", d(2026, 3, 3), d(2026, 3, 19), referral=r3)
    rl = make_ready_referral(london_referrer, "X200005")
    f = book(b5, "X200005", d(2026, 3, 2), d(2026, 3, 10), referral=rl)
    a, f = arrive(a, d(2026, 3, 2)), arrive(f, d(2026, 3, 2))
    c = arrive(c, d(2026, 3, 3))
    e = leave(e, d(2026, 3, 5), "They’re deceased")
    dd = book(b2, "X100006", d(2026, 3, 20), d(2026, 3, 30))
    make_void(b2, d(2026, 3, 10), d(2026, 3, 11))
    travel(d(2026, 3, 6))
    services.cancel_booking(None, dd, cancelled_on=d(2026, 3, 6), reason=cancellation_reason())
    incident(p1, d(2026, 3, 8), "asb")
    f = leave(f, d(2026, 3, 10), "Rental accommodation (private rental)")
    travel(d(2026, 3, 11))
    h = book(b2, "X100004", d(2026, 3, 12), d(2026, 3, 16))
    travel(d(2026, 3, 12))
    r2 = make_ready_referral(referrer, "X100005")
    a = leave(a, d(2026, 3, 12), "Rental accommodation (private rental)")
    h = arrive(h, d(2026, 3, 12))
    travel(d(2026, 3, 13))
    b = book(b1, "X100005", d(2026, 3, 21), d(2026, 4, 20), referral=r2)
    h = leave(h, d(2026, 3, 16), "Friends or family (settled)")
    incident(p2, d(2026, 3, 18), "sfo")
    incident(p3, d(2026, 3, 18), "sfo")
    c = leave(c, d(2026, 3, 19), "Recalled")
    estate.archive_bedspace(None, b3, d(2026, 3, 19))
    b = arrive(b, d(2026, 3, 21))
    travel(d(2026, 4, 2))
    return {"a": a, "b": b, "c": c, "e": e, "f": f, "h": h, "p1": p1, "p2": p2}
