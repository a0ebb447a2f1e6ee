"""Demo estate: every region gets properties and bedspaces with a realistic mix of characteristics
(women only, men only, wheelchair accessible, single occupancy, shared), some void periods, a
scheduled archive and an archived property. Made through the services, so it obeys every rule;
idempotent (a region that already has its demo properties is left alone). Dates are relative to
today so the demo always looks current.

The first six properties are busy (the demo bookings fill them); the last two, in the PDU the region's
demo practitioner works in, have no bookings, voids or archive dates and take anyone (no "not
suitable for" characteristics, a wheelchair-accessible room and a single-occupancy flat), so a search
from any demo referral finds somewhere on any day (`tests/demo/test_demo_referral_to_search.py`)."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from cas.core import clock
from cas.core.tiers import Service
from cas.premises import services
from cas.premises.models import Premises
from cas.reference.models import Characteristic, LocalAuthorityArea, ProbationDeliveryUnit, VoidReason


@dataclass(frozen=True)
class Place:
    pdu_code: str
    town: str
    outward: str
    local_authority: str


# Two PDUs per region, each with a town in it.
PLACES: dict[str, tuple[Place, Place]] = {
    "N53": (Place("N53DRBY", "Derby", "DE1", "Derby"), Place("N53DERS", "Chesterfield", "S40", "Chesterfield")),
    "N56": (Place("N56BEDS", "Luton", "LU1", "Luton"), Place("N56CAMB", "Peterborough", "PE1", "Peterborough")),
    "N50": (Place("N50BOLT", "Bolton", "BL1", "Bolton"), Place("N50ROBO", "Rochdale", "OL16", "Rochdale")),
    "N57": (
        Place("N57EKNT", "Canterbury", "CT1", "Canterbury"),
        Place("N57SUS", "Brighton", "BN1", "Brighton and Hove"),
    ),
    "N07": (Place("LDNBDN", "Romford", "RM1", "Havering"), Place("N07BRNT", "Wembley", "HA9", "Brent")),
    "N54": (Place("N54DUR", "Darlington", "DL1", "Darlington"), Place("N54SOT", "Gateshead", "NE8", "Gateshead")),
    "N51": (Place("N51LPLS", "Liverpool", "L8", "Liverpool"), Place("N51SEFT", "Bootle", "L20", "Sefton")),
    "N59": (Place("N59BUOX", "Milton Keynes", "MK9", "Milton Keynes"), Place("N59BRK", "Slough", "SL1", "Slough")),
    "N58": (
        Place("N58BNS", "Bath", "BA1", "Bath and North East Somerset"),
        Place("N58BSG", "Bristol", "BS5", "Bristol, City of"),
    ),
    "N03": (Place("N03SW1", "Cardiff", "CF24", "Cardiff"), Place("N03CTM", "Bridgend", "CF31", "Bridgend")),
    "N52": (Place("N52BIRM", "Birmingham", "B12", "Birmingham"), Place("N52BNES", "Solihull", "B91", "Solihull")),
    "N55": (Place("N55BAS", "Barnsley", "S70", "Barnsley"), Place("N55BAC", "Bradford", "BD1", "Bradford")),
}

# Where the properties with room to spare go (`DemoProperty.place` AVAILABLE): the PDU of the region's
# demo CAS3 practitioner (cas.demo.accounts), whose referrals are searched in it, when that is not
# the region's first place.
PRACTITIONER_PLACES: dict[str, Place] = {"N07": Place("N07LEBR", "Bromley", "BR1", "Bromley")}
AVAILABLE = 2


def _place(code: str, index: int) -> Place:
    if index == AVAILABLE:
        return PRACTITIONER_PLACES.get(code) or PLACES[code][0]
    return PLACES[code][index]


@dataclass(frozen=True)
class DemoProperty:
    street: str
    place: int  # which of the region's two places, or AVAILABLE (see PRACTITIONER_PLACES)
    characteristics: tuple[str, ...]
    bedspaces: tuple[tuple[str, tuple[str, ...]], ...]  # (reference, characteristics)
    notes: str = ""
    turnaround: int = 2


DEMO_PROPERTIES: tuple[DemoProperty, ...] = (
    DemoProperty(
        "Acacia Road",
        0,
        ("Women only", "Single occupancy", "Ground floor level access"),
        (("Flat 1", ("Wheelchair accessible", "Ground floor level access")),),
        "Self-contained ground-floor flat. Close to a women's centre.",
    ),
    DemoProperty(
        "Beech Avenue",
        0,
        ("Men only", "Shared property", "Pub nearby"),
        (
            ("Room 1", ("Shared bathroom", "Shared kitchen")),
            ("Room 2", ("Shared bathroom", "Shared kitchen")),
            ("Room 3", ("Shared kitchen",)),
            ("Room 4", ("Shared kitchen",)),
        ),
        "Four-bedroom shared house. Key safe at the back door.",
        turnaround=3,
    ),
    DemoProperty(
        "Cedar Court",
        1,
        (
            "Shared property",
            "Lift available",
            "Not suitable for those who pose a sexual risk to children",
            "School nearby",
        ),
        (
            ("Room A", ("Wheelchair accessible", "Shared kitchen")),
            ("Room B", ("Shared kitchen",)),
            ("Room C", ("Shared kitchen", "Shared bathroom")),
        ),
        "Second-floor flats with a lift.",
    ),
    DemoProperty(
        "Damson Close",
        1,
        ("Single occupancy", "Men only", "Rural or out of town"),
        (("Annexe", ()),),
        "Rural annexe, 20 minutes from the bus station.",
        turnaround=0,
    ),
    DemoProperty(
        "Elm Terrace",
        0,
        ("Women only", "Shared property", "Sensitive let"),
        (("Room 1", ("Shared kitchen",)), ("Room 2", ("Shared kitchen", "Shared bathroom"))),
        "Sensitive let: do not share the address outside the team.",
    ),
    DemoProperty(
        "Foxglove Lane",
        1,
        ("Shared property", "Men only"),
        (("Room 1", ("Shared kitchen",)), ("Room 2", ("Shared kitchen",))),
        "Handed back to the landlord.",
    ),
    DemoProperty(
        "Hawthorn House",
        AVAILABLE,
        ("Shared property", "Men only", "Lift available"),
        (
            ("Room 1", ("Wheelchair accessible", "Ground floor level access", "Shared kitchen")),
            ("Room 2", ("Shared kitchen",)),
            ("Room 3", ("Shared kitchen", "Shared bathroom")),
        ),
        "Three-bedroom shared house, newly onboarded. Staff office on the ground floor.",
    ),
    DemoProperty(
        "Juniper Mews",
        AVAILABLE,
        ("Single occupancy", "Ground floor level access"),
        (("Flat A", ("Wheelchair accessible", "Ground floor level access")), ("Flat B", ())),
        "Two self-contained flats with their own front doors.",
        turnaround=1,
    ),
)


def _characteristics(names, scope: str) -> list[Characteristic]:
    found = {c.name: c for c in Characteristic.objects.active().for_service("cas3").filter(model_scope=scope)}
    return [found[n] for n in names if n in found]


def _postcode(outward: str, index: int) -> str:
    inward = f"{(index % 9) + 1}{'ABDEFGHJLNPQRSTUWXYZ'[index % 20]}{'ABDEFGHJLNPQRSTUWXYZ'[(index * 7) % 20]}"
    return f"{outward} {inward}"


def _make_region(code: str, today: dt.date) -> int:
    reasons = list(VoidReason.objects.active().for_service("cas3").order_by("sort_order", "name"))
    created = 0
    for index, demo in enumerate(DEMO_PROPERTIES):
        place = _place(code, demo.place)
        pdu = ProbationDeliveryUnit.objects.select_related("region").get(delius_code=place.pdu_code)
        number = 3 + index * 7 + len(code)
        reference = f"{number} {demo.street}"
        if Premises.objects.filter(pdu=pdu, reference__iexact=reference).exists():
            continue
        premises = services.create_premises(
            None,
            service=Service.CAS3,  # the demo estate is CAS3's
            reference=reference,
            address_line1=f"{number} {demo.street}",
            town=place.town,
            postcode=_postcode(place.outward, number),
            local_authority=LocalAuthorityArea.objects.filter(name=place.local_authority).first(),
            region=pdu.region,
            pdu=pdu,
            characteristics=_characteristics(demo.characteristics, "premises"),
            turnaround_working_days=demo.turnaround,
            notes=demo.notes,
        )
        created += 1
        bedspaces = [
            services.create_bedspace(
                None,
                premises,
                reference=bedspace_ref,
                start_date=today - dt.timedelta(days=400 + 30 * i + index * 11),
                characteristics=_characteristics(chars, "bedspace"),
                onboarding=True,
            )
            for i, (bedspace_ref, chars) in enumerate(demo.bedspaces)
        ]
        reason = reasons[(index + len(code)) % len(reasons)]
        if demo.street == "Beech Avenue":
            # A past void, a current one and one coming up; the last room is due to be archived.
            services.create_void(
                None,
                bedspaces[0],
                start_date=today - dt.timedelta(days=40),
                end_date=today - dt.timedelta(days=33),
                reason=reasons[0],
                cost_borne_by="supplier",
                reference_number=f"REP-{number}01",
            )
            services.create_void(
                None,
                bedspaces[1],
                start_date=today - dt.timedelta(days=2),
                end_date=today + dt.timedelta(days=5),
                reason=reason,
                cost_borne_by="hmpps",
                reference_number=f"REP-{number}02",
                notes="Contractor booked",
            )
            services.create_void(
                None,
                bedspaces[2],
                start_date=today + dt.timedelta(days=10),
                end_date=today + dt.timedelta(days=16),
                reason=reasons[-1],
                cost_borne_by="supplier",
            )
            services.archive_bedspace(None, bedspaces[3], today + dt.timedelta(days=24))
        elif demo.street == "Cedar Court":
            services.create_void(
                None,
                bedspaces[0],
                start_date=today + dt.timedelta(days=3),
                end_date=today + dt.timedelta(days=8),
                reason=reason,
                cost_borne_by="hmpps",
            )
        elif demo.street == "Elm Terrace":
            services.archive_premises(None, premises, today + dt.timedelta(days=45))
        elif demo.street == "Foxglove Lane":
            services.archive_premises(None, premises, today - dt.timedelta(days=5))
    return created


@transaction.atomic
def load_demo_estate(today: dt.date | None = None) -> int:
    """Create the demo estate in every region; returns how many properties were created."""
    today = today or clock.today()
    return sum(_make_region(code, today) for code in PLACES)
