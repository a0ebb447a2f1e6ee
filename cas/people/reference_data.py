"""Probation regions and PDUs as the people adapters need them, read from ``cas/reference/data``.

Read from the CSVs rather than the database so the adapters work in plain Python (tests, scripts)
and agree with the reference data the rest of the service loads from the same files.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "reference" / "data"
NATIONAL_REGION_CODE = "NA"


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    delius_code: str


@dataclass(frozen=True, slots=True)
class Pdu:
    name: str
    delius_code: str
    region: Region

    @property
    def short_name(self) -> str:
        """PDU names carry long bracketed lists of local authorities; team names only need the start."""
        return self.name.split(" (", 1)[0]


def _rows(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def regions() -> tuple[Region, ...]:
    return tuple(Region(row["name"], row["delius_code"]) for row in _rows("probation_regions.csv"))


@functools.cache
def regions_by_name() -> dict[str, Region]:
    return {region.name: region for region in regions()}


@functools.cache
def regions_by_code() -> dict[str, Region]:
    return {region.delius_code: region for region in regions()}


@functools.cache
def pdus() -> tuple[Pdu, ...]:
    by_name = regions_by_name()
    return tuple(
        Pdu(row["name"], row["delius_code"], by_name[row["probation_region"]])
        for row in _rows("probation_delivery_units.csv")
    )


@functools.cache
def pdus_by_code() -> dict[str, Pdu]:
    return {pdu.delius_code: pdu for pdu in pdus()}


@functools.cache
def local_pdus() -> tuple[Pdu, ...]:
    """PDUs that hold people on probation: the National region's units are specialist teams."""
    return tuple(pdu for pdu in pdus() if pdu.region.delius_code != NATIONAL_REGION_CODE)


@functools.cache
def _area_to_region() -> dict[str, Region]:
    by_name = regions_by_name()
    return {
        row["probation_area_delius_code"]: by_name[row["probation_region"]]
        for row in _rows("probation_area_probation_region_mappings.csv")
    }


def region_for_probation_area(area_code: str) -> Region | None:
    """NDelius gives a provider (probation area) code; several old areas map to one region."""
    return _area_to_region().get(area_code) or regions_by_code().get(area_code)
