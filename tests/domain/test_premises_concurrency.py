"""Optimistic concurrency on the estate: a change made from a stale version is refused and writes
nothing; every other change to a property, bedspace or void period moves its version on, so a form
drawn before it is refused too."""

import datetime as dt

import pytest

from cas.core import clock
from cas.core.concurrency import StaleEdit
from cas.core.errors import DomainError
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.premises import services
from cas.premises.models import ArchiveChange
from tests.estate_factories import make_estate, make_premises, make_void, void_reason
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


@pytest.fixture
def hpt():
    return make_user(Role.CAS3_ASSESSOR)


def estate(**kwargs):
    """`make_estate`, read back: onboarding its bedspaces moved the property's start date (and version)."""
    premises, bedspaces = make_estate(**kwargs)
    premises.refresh_from_db()
    return premises, bedspaces


def audited(action: str, subject) -> int:
    return AuditEvent.objects.filter(action=action, subject_id=str(subject.pk)).count()


def test_update_premises_checks_and_bumps_the_version(hpt):
    premises = make_premises(reference="Acacia House")
    assert premises.version == 0
    services.update_premises(hpt, premises, notes="Keys in safe", version=0)
    premises.refresh_from_db()
    assert premises.version == 1

    with pytest.raises(StaleEdit):
        services.update_premises(hpt, premises, reference="Birch House", version=0)

    premises.refresh_from_db()
    assert (premises.reference, premises.notes, premises.version) == ("Acacia House", "Keys in safe", 1)
    assert audited("premises.updated", premises) == 1
    # None skips the check (the importer, API clients that leave it out) and still moves it on.
    services.update_premises(hpt, premises, reference="Birch House")
    premises.refresh_from_db()
    assert (premises.reference, premises.version) == ("Birch House", 2)


def test_update_bedspace_checks_and_bumps_the_version(hpt):
    premises, (a, _) = estate()
    services.update_bedspace(hpt, a, notes="Top floor", version=a.version)
    a.refresh_from_db()
    assert a.version == 1

    with pytest.raises(StaleEdit):
        services.update_bedspace(hpt, a, reference="Room Z", version=0)

    a.refresh_from_db()
    assert (a.reference, a.notes, a.version) == ("Room A", "Top floor", 1)
    assert audited("bedspace.updated", a) == 1


def void_fields(**changes) -> dict:
    fields = {
        "start_date": days(2),
        "end_date": days(5),
        "reason": void_reason(),
        "cost_borne_by": "hmpps",
    }
    fields.update(changes)
    return fields


def test_update_and_cancel_void_check_and_bump_the_version(hpt):
    _, (a, _) = estate()
    void = make_void(a, days(2), days(5))
    services.update_void(hpt, void, **void_fields(end_date=days(8)), version=0)
    void.refresh_from_db()
    assert (void.end_date, void.version) == (days(8), 1)

    with pytest.raises(StaleEdit):
        services.update_void(hpt, void, **void_fields(cost_borne_by="supplier"), version=0)
    with pytest.raises(StaleEdit):
        services.cancel_void(hpt, void, notes="Not needed", version=0)

    void.refresh_from_db()
    assert (void.cost_borne_by, void.is_cancelled, void.version) == ("hmpps", False, 1)
    services.cancel_void(hpt, void, notes="Not needed", version=1)
    void.refresh_from_db()
    assert void.is_cancelled and void.version == 2


def test_a_cancelled_void_says_so_rather_than_stale(hpt):
    _, (a, _) = estate()
    void = make_void(a, days(2), days(5))
    services.cancel_void(hpt, void, notes="Not needed", version=0)
    with pytest.raises(DomainError) as refused:
        services.update_void(hpt, void, **void_fields(), version=0)
    assert not isinstance(refused.value, StaleEdit)
    assert refused.value.message == "This void period has been cancelled and cannot be changed"
    with pytest.raises(DomainError, match="already been cancelled"):
        services.cancel_void(hpt, void, notes="Again", version=0)


def test_archive_with_a_stale_version_writes_nothing(hpt):
    premises, (a, b) = estate()
    services.update_premises(hpt, premises, notes="Changed", version=premises.version)

    with pytest.raises(StaleEdit):
        services.premises_archive_preview(premises, days(5), version=0)
    with pytest.raises(StaleEdit):
        services.archive_premises(hpt, premises, days(5), version=0)

    premises.refresh_from_db()
    assert premises.end_date is None and not ArchiveChange.objects.exists()
    with pytest.raises(StaleEdit):
        services.archive_bedspace(hpt, a, days(5), version=a.version + 1)
    a.refresh_from_db()
    assert a.end_date is None


def test_archiving_a_property_moves_on_the_version_of_every_row_it_changes(hpt):
    premises, (a, b) = estate()
    before = {x.pk: x.version for x in (premises, a, b)}
    services.archive_premises(hpt, premises, days(5), version=premises.version)
    for subject in (premises, a, b):
        subject.refresh_from_db()
        assert subject.version == before[subject.pk] + 1, subject
    # A bedspace form drawn before the archive is now stale.
    with pytest.raises(StaleEdit):
        services.update_bedspace(hpt, a, notes="Late", version=before[a.pk])


def test_archiving_the_last_bedspace_moves_on_the_property_version(hpt):
    premises, (a,) = estate(bedspaces=1)
    version = premises.version
    services.archive_bedspace(hpt, a, days(5), version=a.version)
    premises.refresh_from_db()
    assert premises.end_date == days(5) and premises.version == version + 1


def test_cancelling_a_change_moves_on_the_versions_it_restores(hpt):
    premises, (a, b) = estate()
    change = services.archive_premises(hpt, premises, days(5))
    for subject in (premises, a, b):
        subject.refresh_from_db()
    versions = {x.pk: x.version for x in (premises, a, b)}
    services.cancel_change(hpt, change)
    for subject in (premises, a, b):
        subject.refresh_from_db()
        assert subject.end_date is None and subject.version == versions[subject.pk] + 1


def test_unarchive_checks_the_version_and_brings_back_the_property(hpt):
    premises, (a,) = estate(bedspaces=1)
    services.archive_bedspace(None, a, days(-1))
    premises.refresh_from_db()
    a.refresh_from_db()
    assert premises.end_date == days(-1)
    with pytest.raises(StaleEdit):
        services.bedspace_unarchive_preview(a, days(1), version=a.version - 1)
    with pytest.raises(StaleEdit):
        services.unarchive_bedspace(hpt, a, days(1), version=a.version - 1)
    property_version = premises.version
    services.unarchive_bedspace(hpt, a, days(1), version=a.version)
    premises.refresh_from_db()
    assert premises.start_date == days(1) and premises.version == property_version + 1


def test_onboarding_a_bedspace_that_moves_the_property_start_moves_its_version_on():
    premises = make_premises()
    assert premises.version == 0
    services.create_bedspace(None, premises, reference="Room 1", start_date=days(-90), onboarding=True)
    premises.refresh_from_db()
    assert premises.start_date == days(-90) and premises.version == 1
