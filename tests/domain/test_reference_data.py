from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection

from cas.reference.loader import load_all
from cas.reference.models import (
    CancellationReason,
    Characteristic,
    DepartureReason,
    DestinationProvider,
    LocalAuthorityArea,
    MoveOnCategory,
    NonArrivalReason,
    ProbationDeliveryUnit,
    ProbationRegion,
    ReferralRejectionReason,
    VoidReason,
)

pytestmark = pytest.mark.django_db

# Counts from the bundled files (see cas/reference/data/README.md).
EXPECTED = {
    ProbationRegion: 13,
    ProbationDeliveryUnit: 111,
    LocalAuthorityArea: 369,  # England and Wales
    Characteristic: 29,
    DepartureReason: 41,
    MoveOnCategory: 38,
    CancellationReason: 32,
    NonArrivalReason: 8,
    ReferralRejectionReason: 21,
    VoidReason: 10,
    DestinationProvider: 29,
}


def test_migrate_loads_every_list():
    for model, count in EXPECTED.items():
        assert model.objects.count() == count, model.__name__


def test_loading_again_changes_nothing_and_keeps_admin_edits():
    entry = VoidReason.objects.get(name="Other")
    entry.name = "Edited by an administrator"
    entry.save()
    assert load_all() == 0
    for model, count in EXPECTED.items():
        assert model.objects.count() == count
    entry.refresh_from_db()
    assert entry.name == "Edited by an administrator"


def test_refresh_restores_the_files_values():
    VoidReason.objects.filter(key="Other").update(name="Edited")
    load_all(refresh=True)
    assert VoidReason.objects.get(key="Other").name == "Other"


def test_services_and_active_flags():
    assert MoveOnCategory.objects.for_service("cas3").count() == 23
    assert MoveOnCategory.objects.for_service("cas3").active().count() == 20
    assert CancellationReason.objects.for_service("cas1").count() == 15
    assert not DepartureReason.objects.for_service("cas2").exists()
    assert NonArrivalReason.objects.for_service("cas3").count() == 8


def test_departure_reason_parents():
    child = DepartureReason.objects.get(name="Absconded", services="cas1", is_active=True)
    assert child.parent.name == "Breach or recall"
    assert DepartureReason.objects.filter(parent__isnull=False).count() == 8


def test_local_authorities_reflect_april_2023_reorganisation():
    for code, name in [
        ("E06000063", "Cumberland"),
        ("E06000064", "Westmorland and Furness"),
        ("E06000065", "North Yorkshire"),
        ("E06000066", "Somerset"),
    ]:
        assert LocalAuthorityArea.objects.get(identifier=code, is_active=True).name == name
    abolished = LocalAuthorityArea.objects.filter(is_active=False)
    assert abolished.count() == 20
    assert set(abolished.values_list("replaced_by", flat=True)) == {
        "E06000063",
        "E06000064",
        "E06000065",
        "E06000066",
        "",
    }


def test_every_pdu_belongs_to_a_region_and_national_is_marked():
    assert ProbationRegion.objects.get(delius_code="NA").is_national
    assert ProbationRegion.objects.get(name="Wales").pdus.count() == 6


def test_users_are_offered_tidy_reference_data():
    """No supplier's test row, one style for destination providers, and local authorities in England
    and Wales only (issue 20 point 15)."""
    providers = list(DestinationProvider.objects.active().values_list("name", flat=True))
    assert providers and not [name for name in providers if name.startswith("ZZ") or " - " in name]
    assert not [name for name in providers if name.startswith("Ext") or name.endswith("Region")]
    areas = LocalAuthorityArea.objects.active()
    assert areas.filter(name="Cardiff").exists() and areas.filter(name="Liverpool").exists()
    assert not areas.exclude(identifier__regex=r"^[EW]").exists()
    assert not areas.filter(name__in=["Glasgow City", "Belfast", "Fife"]).exists()


def test_the_tidying_migration_renames_and_switches_off_what_existing_databases_hold():
    tidy = import_module("cas.reference.migrations.0008_tidy_reference_data")
    DestinationProvider.objects.filter(key="North West").update(key="North West Region", name="North West Region")
    DestinationProvider.objects.create(
        key="ZZ BAST Public Provider 1", name="ZZ BAST Public Provider 1", services="cas3"
    )
    LocalAuthorityArea.objects.create(identifier="S12000049", name="Glasgow City")

    tidy.tidy(apps, type("Editor", (), {"connection": connection})())

    assert DestinationProvider.objects.get(key="North West").name == "North West"
    assert not DestinationProvider.objects.get(key="ZZ BAST Public Provider 1").is_active
    assert not LocalAuthorityArea.objects.get(identifier="S12000049").is_active


def test_every_active_local_authority_has_a_probation_region_and_every_region_has_some():
    """Pickers offer a region's own authorities first, so the mapping must be complete (issue 20.15)."""
    active = LocalAuthorityArea.objects.active()
    assert not active.filter(probation_region__isnull=True).exists()
    for region in ProbationRegion.objects.exclude(delius_code=ProbationRegion.NATIONAL_CODE):
        assert active.filter(probation_region=region).exists(), region.name
    assert not active.filter(probation_region__delius_code=ProbationRegion.NATIONAL_CODE).exists()
    # A few that follow probation's boundaries rather than the ONS regions'.
    for name, region in [
        ("Salford", "Greater Manchester"),
        ("Wirral", "North West"),
        ("Medway", "Kent, Surrey & Sussex"),
        ("Brighton and Hove", "Kent, Surrey & Sussex"),
        ("Milton Keynes", "South Central"),
        ("Reading", "South Central"),
        ("Isle of Wight", "South Central"),
        ("West Northamptonshire", "East of England"),
        ("North Lincolnshire", "Yorkshire & The Humber"),
        ("Cardiff", "Wales"),
        ("Camden", "London"),
    ]:
        assert active.get(name=name).probation_region.name == region, name
    # Abolished districts take their successor's region.
    for old in LocalAuthorityArea.objects.filter(is_active=False).exclude(replaced_by=""):
        successor = LocalAuthorityArea.objects.get(identifier=old.replaced_by)
        assert old.probation_region_id == successor.probation_region_id, old.name


def test_the_region_migration_fills_in_regions_existing_databases_lack():
    load = import_module("cas.reference.migrations.0010_load_local_authority_regions")
    LocalAuthorityArea.objects.update(probation_region=None)
    kept = ProbationRegion.objects.get(name="London")
    LocalAuthorityArea.objects.filter(name="Cardiff").update(probation_region=kept)  # an administrator's edit

    load.load(apps, type("Editor", (), {"connection": connection})())

    assert not LocalAuthorityArea.objects.active().filter(probation_region__isnull=True).exists()
    assert LocalAuthorityArea.objects.get(name="Salford").probation_region.name == "Greater Manchester"
    assert LocalAuthorityArea.objects.get(name="Cardiff").probation_region == kept


def test_characteristic_labels_are_in_sentence_case_without_slashes_or_dashes():
    labels = list(Characteristic.objects.values_list("name", flat=True))
    assert labels and not [n for n in labels if "/" in n or " – " in n or " - " in n]
    assert not [n for n in labels if n[0] != n[0].upper()]


def test_the_relabelling_migration_updates_existing_databases_but_keeps_admin_edits():
    relabel = import_module("cas.reference.migrations.0011_characteristic_labels")
    Characteristic.objects.filter(key="cas3:premises:isRural").update(name="Rural/out of town")
    Characteristic.objects.filter(key="cas3:bedspace:other").update(name="Something else")

    relabel.relabel(apps, type("Editor", (), {"connection": connection})())

    assert Characteristic.objects.get(key="cas3:premises:isRural").name == "Rural or out of town"
    assert Characteristic.objects.get(key="cas3:premises:other").name == "Other (add details in the notes)"
    assert Characteristic.objects.get(key="cas3:bedspace:other").name == "Something else"


def test_reworded_reasons_keep_their_keys_and_existing_databases_are_relabelled():
    relabel = import_module("cas.reference.migrations.0012_reason_labels")
    arrested = NonArrivalReason.objects.get(key="Arrested / In custody / Recalled:1H")
    assert arrested.name == "Arrested, in custody or recalled"
    death = VoidReason.objects.get(key="Death – personal property collection")
    assert death.name == "Death (collecting personal property)"
    names = list(NonArrivalReason.objects.values_list("name", flat=True)) + list(
        VoidReason.objects.values_list("name", flat=True)
    )
    assert not [n for n in names if "/" in n or " – " in n or " - " in n]
    NonArrivalReason.objects.filter(pk=arrested.pk).update(name="Arrested / In custody / Recalled")
    VoidReason.objects.filter(pk=death.pk).update(name="Collecting belongings after a death")  # an admin's edit

    relabel.relabel(apps, type("Editor", (), {"connection": connection})())
    load_all()  # loading the files again matches the rows by key: nothing is added

    arrested.refresh_from_db()
    death.refresh_from_db()
    assert arrested.name == "Arrested, in custody or recalled"
    assert death.name == "Collecting belongings after a death"
    assert NonArrivalReason.objects.count() == EXPECTED[NonArrivalReason]
    assert VoidReason.objects.count() == EXPECTED[VoidReason]


def test_cas3_cancellation_reasons_use_one_style_and_keep_their_keys():
    relabel = import_module("cas.reference.migrations.0013_cancellation_reason_labels")
    names = list(CancellationReason.objects.for_service("cas3").values_list("name", flat=True))
    assert names and not [n for n in names if " – " in n or " - " in n or "e.g." in n]
    key = "temporary-accommodation:Recording Error (e.g. a data entry error)"
    CancellationReason.objects.filter(key=key).update(name="Recording Error (e.g. a data entry error)")

    relabel.relabel(apps, type("Editor", (), {"connection": connection})())
    load_all()

    assert CancellationReason.objects.get(key=key).name == "Recording error (for example, a data entry error)"
    assert CancellationReason.objects.count() == EXPECTED[CancellationReason]


def test_move_on_departure_rejection_and_void_labels_use_one_style_and_keep_their_keys():
    relabel = import_module("cas.reference.migrations.0014_list_labels")
    names = [
        *MoveOnCategory.objects.values_list("name", flat=True),
        *DepartureReason.objects.values_list("name", flat=True),
        *ReferralRejectionReason.objects.values_list("name", flat=True),
        *VoidReason.objects.values_list("name", flat=True),
    ]
    assert names and not [n for n in names if "/" in n or " – " in n or " - " in n or "e.g." in n]
    rental_key = "temporary-accommodation:Rental accommodation - private rental:"
    rental = MoveOnCategory.objects.get(key=rental_key)
    assert (rental.name, rental.outcome_group) == ("Rental accommodation (private rental)", "settled")
    parent = DepartureReason.objects.get(key="approved-premises::Breach / Recall:")
    child = DepartureReason.objects.get(key="approved-premises:Breach / Recall:Positive drug test / use:C")
    assert (parent.name, child.name, child.parent_id) == ("Breach or recall", "Positive drug test or use", parent.pk)
    MoveOnCategory.objects.filter(pk=rental.pk).update(name="Rental accommodation - private rental")
    DepartureReason.objects.filter(pk=parent.pk).update(name="Breach")  # an admin's edit

    relabel.relabel(apps, type("Editor", (), {"connection": connection})())
    load_all()  # matched by key: nothing is added

    rental.refresh_from_db()
    parent.refresh_from_db()
    assert rental.name == "Rental accommodation (private rental)"
    assert parent.name == "Breach"
    assert DepartureReason.objects.count() == EXPECTED[DepartureReason]
    assert MoveOnCategory.objects.count() == EXPECTED[MoveOnCategory]
    assert ReferralRejectionReason.objects.count() == EXPECTED[ReferralRejectionReason]
