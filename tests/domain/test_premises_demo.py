"""The demo estate: every region, a realistic mix, voids and scheduled archives; idempotent."""

import io

import pytest
from django.core.management import call_command

from cas.core import clock
from cas.demo.premises import DEMO_PROPERTIES, PRACTITIONER_PLACES, load_demo_estate
from cas.premises.models import ArchiveChange, Bedspace, Premises, VoidPeriod
from cas.reference.models import ProbationRegion

pytestmark = pytest.mark.django_db


def test_every_region_gets_a_realistic_estate_and_loading_again_changes_nothing():
    created = load_demo_estate()
    regions = ProbationRegion.objects.exclude(delius_code="NA")
    assert created == len(DEMO_PROPERTIES) * regions.count() == 8 * regions.count()
    today = clock.today()
    for region in regions:
        estate = Premises.objects.filter(region=region)
        names = set(estate.values_list("characteristics__name", flat=True))
        assert {"Women only", "Men only", "Single occupancy", "Shared property"} <= names, region
        bedspaces = Bedspace.objects.filter(premises__region=region)
        assert bedspaces.filter(characteristics__name="Wheelchair accessible").exists(), region
        assert VoidPeriod.objects.filter(bedspace__premises__region=region).count() >= 3, region
        scheduled = ArchiveChange.objects.filter(premises__region=region, effective_date__gt=today)
        assert (
            scheduled.filter(bedspace__isnull=True).exists()
            and scheduled.filter(cause="requested", bedspace__isnull=False).exists()
        )
        statuses = {p.status for p in estate}
        assert statuses == {"online", "archived"}, region
    counts = (
        Premises.objects.count(),
        Bedspace.objects.count(),
        VoidPeriod.objects.count(),
        ArchiveChange.objects.count(),
    )
    assert load_demo_estate() == 0
    assert counts == (
        Premises.objects.count(),
        Bedspace.objects.count(),
        VoidPeriod.objects.count(),
        ArchiveChange.objects.count(),
    )


def test_load_demo_data_command_includes_the_estate():
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert "96 properties" in out.getvalue()
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert "(0 users, 0 properties, 0 referrals, 0 bookings, 0 CAS2 applications created)" in out.getvalue()


def test_every_region_has_room_to_spare_where_its_demo_practitioner_works():
    """Two properties in the PDU of the region's demo practitioner with nothing booked, void or
    archived, taking anyone: a search from any demo referral finds a bedspace on any day."""
    load_demo_estate()
    for region in ProbationRegion.objects.exclude(delius_code="NA"):
        spare = Premises.objects.filter(region=region, reference__regex=r"(Hawthorn House|Juniper Mews)$")
        assert spare.count() == 2, region
        pdus = {p.pdu.delius_code for p in spare}
        assert len(pdus) == 1 and (region.delius_code not in PRACTITIONER_PLACES or pdus == {"N07LEBR"})
        bedspaces = Bedspace.objects.filter(premises__in=spare)
        assert bedspaces.count() == 5
        assert not VoidPeriod.objects.filter(bedspace__in=bedspaces).exists()
        assert not ArchiveChange.objects.filter(premises__in=spare).exists()
        assert not spare.filter(characteristics__name__startswith="Not suitable").exists()
