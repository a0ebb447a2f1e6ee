"""Properties and bedspaces: references, postcodes, region and PDU, characteristics, start dates."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from cas.core import clock
from cas.core.errors import DomainError
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.premises import services
from cas.premises.models import Bedspace, Premises
from cas.premises.services import normalise_postcode
from cas.reference.models import Characteristic
from tests.estate_factories import characteristic, make_bedspace, make_estate, make_premises, pdu
from tests.factories import make_user

pytestmark = pytest.mark.django_db
TODAY = clock.today


def new_premises_fields(**changes):
    unit = pdu("N51LPLS")
    fields = {
        "reference": "12 Acacia Road",
        "address_line1": "12 Acacia Road",
        "town": "Liverpool",
        "postcode": "l8 1ab",
        "region": unit.region,
        "pdu": unit,
        "service": "cas3",
    }
    fields.update(changes)
    return fields


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("sw1a1aa", "SW1A 1AA"), (" L8  1AB ", "L8 1AB"), ("m11ae", "M1 1AE"), ("CF10 1AA", "CF10 1AA")],
)
def test_postcodes_are_normalised(raw, expected):
    assert normalise_postcode(raw) == expected
    assert len(expected) <= 8


@pytest.mark.parametrize("raw", ["", "   ", "L8", "12345", "SW1A 1AAA", "ABC 123", "SW1A-1AA"])
def test_postcodes_that_are_not_uk_format_are_refused(raw):
    with pytest.raises(DomainError) as error:
        normalise_postcode(raw)
    assert error.value.field == "postcode"


def test_create_property_defaults_and_audit():
    assessor = make_user(Role.CAS3_ASSESSOR)
    premises = services.create_premises(assessor, **new_premises_fields())
    assert premises.postcode == "L8 1AB"
    assert premises.turnaround_working_days == 2
    assert premises.service == "cas3" and premises.start_date == TODAY()
    event = AuditEvent.objects.get(action="premises.created", subject_id=str(premises.pk))
    assert event.actor == assessor and event.after["postcode"] == "L8 1AB"


def test_zero_day_turnaround_is_allowed_and_negative_is_refused():
    premises = services.create_premises(None, **new_premises_fields(turnaround_working_days=0))
    assert premises.turnaround_working_days == 0
    with pytest.raises(DomainError, match="0 or more"):
        services.update_premises(None, premises, turnaround_working_days=-1)


def test_property_reference_is_unique_in_its_pdu_ignoring_case():
    services.create_premises(None, **new_premises_fields(reference="Acacia House"))
    with pytest.raises(DomainError, match="already exists in Liverpool South") as error:
        services.create_premises(None, **new_premises_fields(reference="  ACACIA house "))
    assert error.value.field == "reference"
    # The same reference in another PDU is a different property.
    other = pdu("N51SEFT")
    services.create_premises(None, **new_premises_fields(reference="Acacia House", pdu=other, region=other.region))
    assert Premises.objects.filter(reference__iexact="acacia house").count() == 2


def test_the_database_also_refuses_a_duplicate_property_reference():
    first = make_premises(reference="Birch Court")
    with pytest.raises(IntegrityError), transaction.atomic():
        Premises.objects.create(
            reference="BIRCH COURT",
            address_line1="1 Road",
            postcode="L1 1AA",
            region=first.region,
            pdu=first.pdu,
            start_date=TODAY(),
        )


def test_renaming_a_property_onto_another_reference_is_refused():
    make_premises(reference="Cedar Lodge")
    second = make_premises(reference="Oak Lodge")
    with pytest.raises(DomainError, match="already exists"):
        services.update_premises(None, second, reference="cedar lodge")


def test_the_pdu_must_belong_to_the_region():
    london = pdu("N07BRNT")
    with pytest.raises(DomainError, match="Select a PDU in North West") as error:
        services.create_premises(None, **new_premises_fields(pdu=london))
    assert error.value.field == "pdu"
    premises = make_premises()
    with pytest.raises(DomainError, match="Select a PDU in North West"):
        services.update_premises(None, premises, pdu=london)


def test_assessors_only_manage_their_own_region():
    london_assessor = make_user(Role.CAS3_ASSESSOR, region_code="N07")
    with pytest.raises(PermissionDenied):
        services.create_premises(london_assessor, **new_premises_fields())
    premises, (bedspace, _) = make_estate("N51")
    with pytest.raises(PermissionDenied):
        services.update_premises(london_assessor, premises, notes="Taken over")
    # Moving a property into a region you do not manage is refused too (the MoJ's FM-1104).
    north_west_assessor = make_user(Role.CAS3_ASSESSOR, region_code="N51")
    london_pdu = pdu("N07BRNT")
    with pytest.raises(PermissionDenied):
        services.update_premises(north_west_assessor, premises, region=london_pdu.region, pdu=london_pdu)
    with pytest.raises(PermissionDenied):
        services.create_bedspace(london_assessor, premises, reference="Room Z", start_date=TODAY())
    reporter = make_user(Role.REPORTER, region_code="NA")
    with pytest.raises(PermissionDenied):
        services.update_bedspace(reporter, bedspace, notes="Read only")


def test_property_characteristics_must_be_active_property_ones():
    women_only = characteristic("Women only")
    premises = services.create_premises(None, **new_premises_fields(characteristics=[women_only]))
    assert list(premises.characteristics.all()) == [women_only]
    wheelchair = characteristic("Wheelchair accessible", Characteristic.Scope.BEDSPACE)
    with pytest.raises(DomainError, match="Choose property characteristics"):
        services.update_premises(None, premises, characteristics=[wheelchair])
    inactive = Characteristic.objects.get(name="Not suitable for arson offenders", model_scope="premises")
    with pytest.raises(DomainError):
        services.update_premises(None, premises, characteristics=[inactive])


def test_bedspace_reference_rules():
    premises = make_premises()
    for bad, message in (("", "Enter a bedspace reference"), ("B1", "at least 3"), ("---", "a letter or a number")):
        with pytest.raises(DomainError, match=message):
            services.create_bedspace(None, premises, reference=bad, start_date=TODAY())
    services.create_bedspace(None, premises, reference="Room 1", start_date=TODAY())
    with pytest.raises(DomainError, match="already has a bedspace with the reference ROOM 1"):
        services.create_bedspace(None, premises, reference=" ROOM 1 ", start_date=TODAY())
    # Another property may use the same bedspace reference.
    services.create_bedspace(None, make_premises(), reference="Room 1", start_date=TODAY())


def test_the_database_also_refuses_a_duplicate_bedspace_reference():
    premises = make_premises()
    make_bedspace(premises, "Room 9")
    with pytest.raises(IntegrityError), transaction.atomic():
        Bedspace.objects.create(premises=premises, reference="room 9", start_date=TODAY())


def test_bedspace_start_date_window_and_property_start():
    premises = make_premises()
    today = TODAY()
    too_early, too_late = today - dt.timedelta(days=8), today + dt.timedelta(days=8)
    for day in (too_early, too_late):
        with pytest.raises(DomainError, match="The start date must be between") as error:
            services.create_bedspace(None, premises, reference="Room 1", start_date=day)
        assert error.value.field == "start_date"
    # Within the window but before the property came online.
    with pytest.raises(DomainError, match="when the property came online"):
        services.create_bedspace(None, premises, reference="Room 1", start_date=today - dt.timedelta(days=3))
    upcoming = services.create_bedspace(None, premises, reference="Room 1", start_date=today + dt.timedelta(days=7))
    assert upcoming.status == "upcoming"
    # Importing an existing estate accepts old start dates, and moves the property's start back.
    old = services.create_bedspace(
        None, premises, reference="Room 2", start_date=today - dt.timedelta(days=400), onboarding=True
    )
    premises.refresh_from_db()
    assert old.status == "online" and premises.start_date == old.start_date


def test_bedspace_start_date_changes_only_while_upcoming():
    premises, (online, _) = make_estate()
    with pytest.raises(DomainError, match="cannot be changed once the bedspace is in service"):
        services.update_bedspace(None, online, start_date=TODAY() + dt.timedelta(days=1))
    upcoming = services.create_bedspace(None, premises, reference="Room Z", start_date=TODAY() + dt.timedelta(days=5))
    updated = services.update_bedspace(None, upcoming, start_date=TODAY() + dt.timedelta(days=2), notes="Keys ready")
    assert updated.start_date == TODAY() + dt.timedelta(days=2)
    event = AuditEvent.objects.filter(action="bedspace.updated", subject_id=str(upcoming.pk)).get()
    assert {name for name, *_ in event.changed_fields()} == {"start_date", "notes"}


def test_bedspace_characteristics_are_bedspace_ones():
    premises = make_premises()
    wheelchair = characteristic("Wheelchair accessible", Characteristic.Scope.BEDSPACE)
    bedspace = services.create_bedspace(
        None, premises, reference="Room 1", start_date=TODAY(), characteristics=[wheelchair]
    )
    assert list(bedspace.characteristics.all()) == [wheelchair]
    with pytest.raises(DomainError, match="Choose bedspace characteristics"):
        services.update_bedspace(None, bedspace, characteristics=[characteristic("Women only")])


def test_no_bedspaces_can_be_added_to_an_archived_property():
    premises, (a, b) = make_estate()
    services.archive_premises(None, premises, TODAY())
    with pytest.raises(DomainError, match="Bring it back online before adding bedspaces"):
        services.create_bedspace(None, premises, reference="Room Z", start_date=TODAY())


def test_adding_a_bedspace_to_a_property_due_to_be_archived_keeps_it_online():
    premises, _ = make_estate()
    services.archive_premises(None, premises, TODAY() + dt.timedelta(days=10))
    services.create_bedspace(None, premises, reference="Room Z", start_date=TODAY())
    premises.refresh_from_db()
    assert premises.end_date is None
    change = premises.archive_changes.get(bedspace__isnull=True)
    assert change.is_cancelled and change.cancellation_reason == "Bedspace Room Z was added"
