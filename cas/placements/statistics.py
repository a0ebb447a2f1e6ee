"""The service's own placements in the official statistics: every CAS3 booking with an arrival.

Provisional, confirmed, cancelled and not-arrived bookings never placed anyone, and the other
tiers' bookings are not CAS3 placements, so neither counts."""

from cas.reporting.statistics import records_of, register_source


def digital_placement_rows():
    """CAS3 bookings with an arrival, as rows with the fields the statistics count."""
    from django.db.models import F

    from cas.core.services import Service
    from cas.placements.models import Booking
    from cas.placements.status import BookingStatus as S

    return (
        Booking.objects.filter(
            service=Service.CAS3,
            actual_arrival_date__isnull=False,
            status__in=(S.ARRIVED, S.DEPARTED, S.CLOSED),
        )
        .order_by("actual_arrival_date", "pk")
        .annotate(
            stat_reference=F("pk"),
            stat_region=F("region__name"),
            stat_gender_identity=F("gender_identity"),
            stat_sex=F("sex"),
            stat_start=F("actual_arrival_date"),
            stat_end=F("actual_departure_date"),
            stat_group=F("move_on_category__outcome_group"),
        )
    )


def digital_placements():
    return records_of(digital_placement_rows(), prefix="booking:")


def register() -> None:
    register_source(digital_placements, digital_placement_rows)
