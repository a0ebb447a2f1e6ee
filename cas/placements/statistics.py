"""The service's own placements in the official statistics: every CAS3 booking with an arrival.

Provisional, confirmed, cancelled and not-arrived bookings never placed anyone, and the other
tiers' bookings are not CAS3 placements, so neither counts."""

from cas.reporting.statistics import PlacementRecord, register_source


def digital_placements():
    from cas.core.services import Service
    from cas.placements.models import Booking
    from cas.placements.status import BookingStatus as S

    rows = (
        Booking.objects.filter(
            service=Service.CAS3,
            actual_arrival_date__isnull=False,
            status__in=(S.ARRIVED, S.DEPARTED, S.CLOSED),
        )
        .order_by("actual_arrival_date", "pk")
        .values_list(
            "pk",
            "region__name",
            "gender_identity",
            "sex",
            "actual_arrival_date",
            "actual_departure_date",
            "move_on_category__outcome_group",
        )
    )
    for pk, region, identity, sex, start, end, group in rows.iterator(chunk_size=5000):
        yield PlacementRecord(f"booking:{pk}", region, identity, sex, start, end, group or "")


def register() -> None:
    register_source(digital_placements)
