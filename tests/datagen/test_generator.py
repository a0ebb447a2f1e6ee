"""The national data generator at a small size: shape, determinism, and rules the data must keep."""

import hashlib

import pytest
from django.core.management import call_command

from cas.datagen import generator
from cas.premises.models import Bedspace, Premises, VoidPeriod
from cas.reference.models import ProbationRegion
from cas.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(generator, "PROPERTIES", 120)
    monkeypatch.setattr(generator, "REFERRALS", 600)
    monkeypatch.setattr(generator, "VOIDS", 150)


def fingerprint() -> str:
    crns = ",".join(Referral.objects.order_by("id").values_list("crn", flat=True))
    refs = ",".join(Premises.objects.order_by("id").values_list("reference", flat=True))
    return hashlib.sha256((crns + refs).encode()).hexdigest()


def test_shape_and_rules(small):
    counts = generator.generate(1, progress=lambda line: None)
    assert counts["properties"] == 120 and counts["referrals"] == 600
    assert Bedspace.objects.count() == counts["bedspaces"] > 240
    regions = set(Premises.objects.values_list("region__name", flat=True))
    assert regions == set(ProbationRegion.objects.exclude(delius_code="NA").values_list("name", flat=True))
    assert set(Referral.objects.values_list("status", flat=True)) >= {"archived", "rejected", "unallocated"}
    for bedspace_id in VoidPeriod.objects.values_list("bedspace_id", flat=True).distinct():
        voids = list(VoidPeriod.objects.filter(bedspace_id=bedspace_id).order_by("start_date"))
        assert all(a.end_date < b.start_date for a, b in zip(voids, voids[1:], strict=False))


def test_same_scale_same_data(small):
    generator.generate(1, progress=lambda line: None)
    first = fingerprint()
    Referral.objects.all().delete()
    VoidPeriod.objects.all().delete()
    Bedspace.objects.all().delete()
    Premises.objects.all().delete()
    generator.generate(1, progress=lambda line: None)
    assert fingerprint() == first


def test_command_refuses_a_database_with_generated_data(small):
    from django.core.management.base import CommandError

    call_command("generate_national_data", "--scale", "1", verbosity=0)
    with pytest.raises(CommandError, match="already has generated data"):
        call_command("generate_national_data", "--scale", "1", verbosity=0)
