"""Builders for the estate: properties, bedspaces and voids, made through the services (so every
test object obeys the rules) with the system as the actor."""

import datetime as dt
import itertools

from cas.core import clock
from cas.premises import services
from cas.premises.models import Bedspace, Premises, VoidPeriod
from cas.reference.models import Characteristic, LocalAuthorityArea, ProbationDeliveryUnit, VoidReason

_counter = itertools.count(1)

# A PDU in each region the tests use.
PDU_BY_REGION = {"N51": "N51LPLS", "N07": "N07BRNT", "N03": "N03SW1"}


def pdu(code: str) -> ProbationDeliveryUnit:
    return ProbationDeliveryUnit.objects.select_related("region").get(delius_code=code)


def characteristic(name: str, scope: str = Characteristic.Scope.PREMISES) -> Characteristic:
    return Characteristic.objects.get(name=name, model_scope=scope, services__contains="cas3")


def void_reason(name: str = "Deep clean") -> VoidReason:
    return VoidReason.objects.get(name=name)


def make_premises(region_code: str = "N51", *, pdu_code: str | None = None, **fields) -> Premises:
    unit = pdu(pdu_code or PDU_BY_REGION[region_code])
    n = next(_counter)
    values = {
        "reference": f"Property {n}",
        "address_line1": f"{n} Test Street",
        "town": "Liverpool",
        "postcode": "L8 1AB",
        "local_authority": LocalAuthorityArea.objects.get(identifier="E08000012"),
        "region": unit.region,
        "pdu": unit,
        "service": "cas3",
    }
    values.update(fields)
    return services.create_premises(None, **values)


def make_bedspace(premises: Premises, reference: str | None = None, *, start_date=None, **fields) -> Bedspace:
    return services.create_bedspace(
        None,
        premises,
        reference=reference or f"Room {next(_counter)}",
        start_date=start_date or clock.today() - dt.timedelta(days=30),
        onboarding=True,
        **fields,
    )


def make_void(bedspace: Bedspace, start_date: dt.date, end_date: dt.date, **fields) -> VoidPeriod:
    values = {"reason": void_reason(), "cost_borne_by": VoidPeriod.CostBorneBy.HMPPS}
    values.update(fields)
    return services.create_void(None, bedspace, start_date=start_date, end_date=end_date, **values)


def make_estate(region_code: str = "N51", bedspaces: int = 2, **fields) -> tuple[Premises, list[Bedspace]]:
    premises = make_premises(region_code, **fields)
    # Onboarded bedspaces move the property's start date back to theirs.
    start = clock.today() - dt.timedelta(days=60)
    made = [make_bedspace(premises, f"Room {chr(65 + i)}", start_date=start) for i in range(bedspaces)]
    return premises, made
