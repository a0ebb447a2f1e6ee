"""Load reference data from the CSV files bundled in `cas/reference/data/`.

Idempotent: rows are matched on a stable key, missing ones are created, and existing ones are left
as administrators edited them unless `refresh=True` asks for the files to win.
"""

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from django.apps import apps

DATA_DIR = Path(__file__).resolve().parent / "data"

# The source's service_scope values -> our service codes. "*" rows were shared by CAS1 and CAS3.
SCOPE_TO_SERVICES = {"approved-premises": "cas1", "temporary-accommodation": "cas3", "*": "cas1,cas3"}


def read_csv(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def _bool(value: str) -> bool:
    return value.strip().lower() == "true"


def _key_name(row: dict[str, str]) -> str:
    """The name a row's key is made from: its first name, kept in `key_name` when the label was reworded
    (so databases that hold the row match it, and records that name it keep it)."""
    return row.get("key_name") or row["name"]


def _upsert(model, lookup: dict, defaults: dict, refresh: bool) -> tuple[object, bool]:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), True
    if refresh:
        for k, v in defaults.items():
            setattr(obj, k, v)
        obj.save()
    return obj, False


def load_geography(get_model: Callable, refresh: bool = False) -> int:
    Region = get_model("reference", "ProbationRegion")
    Pdu = get_model("reference", "ProbationDeliveryUnit")
    Mapping = get_model("reference", "ProbationAreaMapping")
    La = get_model("reference", "LocalAuthorityArea")
    created = 0
    regions = {}
    for row in read_csv("probation_regions.csv"):
        region, new = _upsert(
            Region,
            {"delius_code": row["delius_code"]},
            {"name": row["name"], "hpt_email": row["hpt_email"], "ap_area": row["ap_area"]},
            refresh,
        )
        regions[row["name"]] = region
        created += new
    for row in read_csv("probation_delivery_units.csv"):
        _, new = _upsert(
            Pdu,
            {"delius_code": row["delius_code"]},
            {"name": row["name"], "region": regions[row["probation_region"]]},
            refresh,
        )
        created += new
    for row in read_csv("probation_area_probation_region_mappings.csv"):
        _, new = _upsert(
            Mapping,
            {"delius_area_code": row["probation_area_delius_code"]},
            {"region": regions[row["probation_region"]]},
            refresh,
        )
        created += new
    # Early migrations run this before the region field exists (0009 fills it in then).
    has_region = any(f.name == "probation_region" for f in La._meta.get_fields())
    for row in read_csv("local_authority_areas.csv"):
        fields = {"name": row["name"], "is_active": _bool(row["is_active"]), "replaced_by": row["replaced_by"]}
        if has_region:
            fields["probation_region"] = regions.get(row["probation_region"])
        _, new = _upsert(La, {"identifier": row["identifier"]}, fields, refresh)
        created += new
    return created


def load_local_authority_regions(get_model: Callable, using: str = "default") -> int:
    """Set each local authority's probation region from the data file, where it has none yet."""
    Region = get_model("reference", "ProbationRegion")
    La = get_model("reference", "LocalAuthorityArea")
    regions = {r.name: r for r in Region.objects.using(using)}
    updated = 0
    for row in read_csv("local_authority_areas.csv"):
        # A database whose reference rows are copied in after migrating (the anonymised copy) has no
        # regions yet: nothing to set, and the copy brings each authority's region with it.
        region = regions.get(row["probation_region"])
        if region is not None:
            updated += (
                La.objects.using(using)
                .filter(identifier=row["identifier"], probation_region__isnull=True)
                .update(probation_region=region)
            )
    return updated


def _entry_rows() -> Iterator[tuple[str, dict, dict | None]]:
    """(model name, fields, parent lookup) for every reason-list and characteristic row."""
    for scope_name, file in (
        ("premises", "premises_characteristics.csv"),
        ("bedspace", "bedspace_characteristics.csv"),
    ):
        for row in read_csv(file):
            yield (
                "Characteristic",
                {
                    "key": f"cas3:{scope_name}:{row['property_name']}",
                    "name": row["name"],
                    "services": "cas3",
                    "is_active": _bool(row["is_active"]),
                    "model_scope": scope_name,
                    "property_name": row["property_name"],
                },
                None,
            )
    departures = list(read_csv("departure_reasons.csv"))
    # A child names its parent by the parent's current name; keys are made from the parent's first name.
    parents = {(row["service_scope"], row["name"]): row for row in departures if not row["parent_reason"]}
    for row in departures:
        services = SCOPE_TO_SERVICES[row["service_scope"]]
        parent = parents[(row["service_scope"], row["parent_reason"])] if row["parent_reason"] else None
        parent_key_name = _key_name(parent) if parent else ""
        parent_key = parent and f"{row['service_scope']}::{parent_key_name}:{parent['legacy_delius_reason_code']}"
        key = f"{row['service_scope']}:{parent_key_name}:{_key_name(row)}:{row['legacy_delius_reason_code']}"
        yield (
            "DepartureReason",
            {
                "key": key,
                "name": row["name"],
                "services": services,
                "is_active": _bool(row["is_active"]),
                "legacy_code": row["legacy_delius_reason_code"],
            },
            ({"key": parent_key, "parent__isnull": True} if parent else None),
        )
    for row in read_csv("move_on_categories.csv"):
        yield (
            "MoveOnCategory",
            {
                "key": f"{row['service_scope']}:{_key_name(row)}:{row['legacy_delius_category_code']}",
                "name": row["name"],
                "services": SCOPE_TO_SERVICES[row["service_scope"]],
                "is_active": _bool(row["is_active"]),
                "legacy_code": row["legacy_delius_category_code"],
            },
            None,
        )
    for row in read_csv("cancellation_reasons.csv"):
        yield (
            "CancellationReason",
            {
                "key": f"{row['service_scope']}:{_key_name(row)}",
                "name": row["name"],
                "services": SCOPE_TO_SERVICES[row["service_scope"]],
                "is_active": _bool(row["is_active"]),
                "sort_order": int(row["sort_order"] or 0),
            },
            None,
        )
    for row in read_csv("non_arrival_reasons.csv"):
        yield (
            "NonArrivalReason",
            {
                "key": f"{_key_name(row)}:{row['legacy_delius_reason_code']}",
                "name": row["name"],
                "services": "cas1,cas3",
                "is_active": _bool(row["is_active"]),
                "legacy_code": row["legacy_delius_reason_code"],
            },
            None,
        )
    for model, file in (
        ("ReferralRejectionReason", "referral_rejection_reasons.csv"),
        ("VoidReason", "void_bedspace_reasons.csv"),
        ("DestinationProvider", "destination_providers.csv"),
    ):
        for row in read_csv(file):
            yield (
                model,
                {"key": _key_name(row), "name": row["name"], "services": "cas3", "is_active": _bool(row["is_active"])},
                None,
            )


def load_entries(get_model: Callable, refresh: bool = False) -> int:
    created = 0
    # Parents come first in the departure file's order only by luck; do two passes instead.
    pending_parents: list[tuple[object, str, dict]] = []
    for model_name, fields, parent_lookup in _entry_rows():
        model = get_model("reference", model_name)
        key = fields.pop("key")
        obj, new = _upsert(model, {"key": key}, fields, refresh)
        created += new
        if parent_lookup and (new or refresh):
            pending_parents.append((obj, model_name, parent_lookup))
    for obj, model_name, lookup in pending_parents:
        obj.parent = get_model("reference", model_name).objects.get(**lookup)
        obj.save(update_fields=["parent"])
    return created


def load_outcome_groups(get_model: Callable, refresh: bool = False) -> int:
    """Set each move-on category's statistics group from the data file (blank ones only, unless refreshing)."""
    MoveOnCategory = get_model("reference", "MoveOnCategory")
    updated = 0
    for row in read_csv("move_on_outcome_groups.csv"):
        services = SCOPE_TO_SERVICES[row["service_scope"]]
        for category in MoveOnCategory.objects.filter(name=row["move_on_category"], services=services):
            if refresh or not category.outcome_group:
                category.outcome_group = row["outcome_group"]
                category.save(update_fields=["outcome_group"])
                updated += 1
    return updated


def load_prisons(get_model: Callable, refresh: bool = False) -> int:
    Region = get_model("reference", "ProbationRegion")
    Prison = get_model("reference", "Prison")
    regions = {r.name: r for r in Region.objects.all()}
    created = 0
    for row in read_csv("prisons.csv"):
        _, new = _upsert(
            Prison,
            {"code": row["code"]},
            {
                "name": row["name"],
                "region": regions[row["probation_region"]],
                "is_womens_prison": _bool(row["womens_prison"]),
                "omu_email": row["omu_email"],
            },
            refresh,
        )
        created += new
    return created


def load_all(get_model: Callable | None = None, refresh: bool = False) -> int:
    if get_model is None:
        get_model = apps.get_model
    created = load_geography(get_model, refresh) + load_entries(get_model, refresh) + load_prisons(get_model, refresh)
    load_outcome_groups(get_model, refresh)
    return created


def relabel(get_model: Callable, labels: dict, using: str = "default", forwards: bool = True) -> None:
    """Rename reference rows found by key, {model name: {key: (old label, new label)}}: only a row that
    still has the label being replaced changes, so one an administrator renamed keeps its name."""
    for model_name, pairs in labels.items():
        model = get_model("reference", model_name)
        for key, (old, new) in pairs.items():
            before, after = (old, new) if forwards else (new, old)
            model.objects.using(using).filter(key=key, name=before).update(name=after)
