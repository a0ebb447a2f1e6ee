"""Sample URLs for placement (web and API): a booking at each stage in North West (N51), the
test users' region, on its own property so the estate's samples are not disturbed."""

from cas.placements import services
from tests.estate_factories import make_estate
from tests.placement_factories import arrived_booking, make_booking


def build_context(ctx: dict) -> None:
    premises, (first, second, third) = make_estate("N51", bedspaces=3, reference="Placement House")
    ctx["placement_premises"] = premises
    ctx["placement_bedspace"] = first
    ctx["booking"] = make_booking(first, "X100001", start=1, nights=10)
    confirmed = make_booking(second, "X100002", start=0, nights=10)
    ctx["confirmed_booking"] = services.confirm_booking(None, confirmed)
    ctx["arrived_booking"] = arrived_booking(third, "X100003")


def _booking(key):
    return lambda ctx: {"pk": ctx[key].pk}


SAMPLES = {
    "web:bedspace-availability": lambda ctx: {"bedspace_pk": ctx["placement_bedspace"].pk},
    "web:booking-create": lambda ctx: {"bedspace_pk": ctx["placement_bedspace"].pk},
    "web:booking-detail": _booking("booking"),
    "web:booking-confirm": _booking("booking"),
    "web:booking-arrival": _booking("confirmed_booking"),
    "web:booking-arrival-date": _booking("arrived_booking"),
    "web:booking-departure-date": _booking("arrived_booking"),
    "web:booking-departure": _booking("arrived_booking"),
    "web:booking-cancel": _booking("booking"),
    "web:booking-non-arrival": _booking("confirmed_booking"),
    "web:booking-turnaround": _booking("booking"),
    "web:booking-incident": _booking("arrived_booking"),
    "web:premises-incidents": lambda ctx: {"pk": ctx["placement_premises"].pk},
    "web:premises-incident": lambda ctx: {"pk": ctx["placement_premises"].pk},
    "api:bedspace-availability": lambda ctx: {"bedspace_pk": ctx["placement_bedspace"].pk},
    "api:booking-create": lambda ctx: {"bedspace_pk": ctx["placement_bedspace"].pk},
    "api:booking": _booking("booking"),
    "api:booking-history": _booking("booking"),
    "api:booking-confirmation": _booking("booking"),
    "api:booking-arrival": _booking("confirmed_booking"),
    "api:booking-arrival-date": _booking("arrived_booking"),
    "api:booking-departure-date": _booking("arrived_booking"),
    "api:booking-departure": _booking("arrived_booking"),
    "api:booking-cancellation": _booking("booking"),
    "api:booking-non-arrival": _booking("confirmed_booking"),
    "api:booking-turnaround": _booking("booking"),
    "api:booking-incidents": _booking("arrived_booking"),
    "api:premises-incidents": lambda ctx: {"pk": ctx["placement_premises"].pk},
}

POST_ONLY = {
    "api:placement-search",
    "api:booking-create",
    "api:booking-confirmation",
    "api:booking-arrival",
    "api:booking-arrival-date",
    "api:booking-departure-date",
    "api:booking-departure",
    "api:booking-cancellation",
    "api:booking-non-arrival",
    "api:booking-turnaround",
}

# Every sample route is about North West's estate or bookings: other regions are refused.
REGION_OBJECTS = {name: (lambda ctx: ctx["placement_premises"].region_id) for name in SAMPLES}

LISTS_PEOPLE = {
    "web:premises-incidents",
    "web:booking-list",
    "web:placement-home",
    "api:bookings",
}
