"""The service's own placements in the official statistics: every booking with an arrival."""

from cas.reporting.statistics import PlacementRecord, register_source


def digital_placements():
    from cas.placements.models import Booking

    rows = (
        Booking.objects.filter(actual_arrival_date__isnull=False)
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
