"""The demo estate: every region, a realistic mix, voids and scheduled archives; idempotent."""

import io

import pytest
from django.core.management import call_command

from cas.core import clock
from cas.demo.premises import load_demo_estate
from cas.premises.models import ArchiveChange, Bedspace, Premises, VoidPeriod
from cas.reference.models import ProbationRegion

pytestmark = pytest.mark.django_db


def test_every_region_gets_a_realistic_estate_and_loading_again_changes_nothing():
    created = load_demo_estate()
    regions = ProbationRegion.objects.exclude(delius_code="NA")
    assert created == 6 * regions.count()
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
    assert "72 properties" in out.getvalue()
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert "(0 users, 0 properties, 0 referrals, 0 bookings, 0 CAS2 applications created)" in out.getvalue()
