"""Opening one record of the estate by its id (`cas.premises.access`): a property, bedspace, void period or
scheduled change that does not exist and one of another region or tier get the same error in the same
words; the refusal of the one that exists is audited, and opening a property records no view (it names
no one)."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied

from cas.core import clock
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.premises import access, services
from tests.estate_factories import make_estate, make_void
from tests.factories import make_user
from tests.tiers import tier as test_tier

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


@pytest.fixture
def assessor():
    return make_user(Role.CAS3_ASSESSOR, region_code="N51")


def refusals(user) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(actor=user, kind=AuditEvent.Kind.REFUSAL)
        .order_by("id")
        .values_list("action", "detail")
    )


def refused_alike(error, missing, theirs):
    """Both calls raise `error` with the same code and message; returns the message."""
    with pytest.raises(error) as not_there:
        missing()
    with pytest.raises(error) as not_theirs:
        theirs()
    assert not_there.value.code == not_theirs.value.code == "not_found"
    assert not_there.value.message == not_theirs.value.message
    return not_theirs.value.message


def test_a_missing_property_and_another_regions_get_the_same_answer_and_the_refusal_is_audited(assessor):
    theirs, _ = make_estate("N07")
    message = refused_alike(
        access.PremisesNotFound,
        lambda: access.open_premises(assessor, uuid.uuid4()),
        lambda: access.open_premises(assessor, theirs.pk),
    )
    assert message == "Property not found. Check the link, or it may belong to another region or service."
    assert refusals(assessor) == [("premises.refused", f"property {theirs.pk} is in another region")]
    # An id that is not one is missing too, and nothing more is recorded.
    with pytest.raises(access.PremisesNotFound):
        access.open_premises(assessor, "not-an-id")
    assert len(refusals(assessor)) == 1


def test_bedspaces_voids_and_changes_of_another_region_get_the_answer_a_missing_one_gets(assessor):
    mine, (my_bedspace, _) = make_estate("N51")
    theirs, (their_bedspace, _) = make_estate("N07")
    their_void = make_void(their_bedspace, days(3), days(5))
    my_void = make_void(my_bedspace, days(3), days(5))
    their_change = services.archive_premises(None, theirs, days(10))
    my_change = services.archive_premises(None, mine, days(10))

    refused_alike(
        access.PremisesNotFound,
        lambda: access.open_bedspace(assessor, uuid.uuid4(), my_bedspace.pk),
        lambda: access.open_bedspace(assessor, theirs.pk, their_bedspace.pk),
    )
    refused_alike(
        access.BedspaceNotFound,
        lambda: access.open_bedspace(assessor, mine.pk, uuid.uuid4()),
        # Another region's bedspace under a property of the user's own is not found either.
        lambda: access.open_bedspace(assessor, mine.pk, their_bedspace.pk),
    )
    refused_alike(
        access.PremisesNotFound,
        lambda: access.open_void(assessor, uuid.uuid4(), my_bedspace.pk, my_void.pk),
        lambda: access.open_void(assessor, theirs.pk, their_bedspace.pk, their_void.pk),
    )
    refused_alike(
        access.VoidNotFound,
        lambda: access.open_void(assessor, mine.pk, my_bedspace.pk, uuid.uuid4()),
        lambda: access.open_void(assessor, mine.pk, my_bedspace.pk, their_void.pk),
    )
    refused_alike(
        access.PremisesNotFound,
        lambda: access.open_change(assessor, uuid.uuid4(), my_change.pk),
        lambda: access.open_change(assessor, theirs.pk, their_change.pk),
    )
    refused_alike(
        access.ChangeNotFound,
        lambda: access.open_change(assessor, mine.pk, 0),
        lambda: access.open_change(assessor, mine.pk, their_change.pk),
    )
    # Each refused property of another region is audited; ids under the user's own property are not.
    assert refusals(assessor) == [("premises.refused", f"property {theirs.pk} is in another region")] * 3

    assert access.open_bedspace(assessor, mine.pk, my_bedspace.pk).current_status == "online"
    assert access.open_void(assessor, mine.pk, my_bedspace.pk, my_void.pk) == my_void
    assert access.open_change(assessor, mine.pk, my_change.pk) == my_change


def test_another_tiers_property_is_not_found_and_the_refusal_is_audited(assessor):
    with test_tier.registered():
        tst_assessor = make_user(test_tier.ASSESSOR, region_code="NA")
        cas3, _ = make_estate("N51")
        tst, _ = make_estate("N51", service=test_tier.SERVICE)
        refused_alike(
            access.PremisesNotFound,
            lambda: access.open_premises(tst_assessor, uuid.uuid4()),
            lambda: access.open_premises(tst_assessor, cas3.pk),
        )
        assert refusals(tst_assessor) == [("premises.refused", f"property {cas3.pk} is of another tier")]
        with pytest.raises(access.PremisesNotFound):
            access.open_premises(assessor, tst.pk)
        assert refusals(assessor) == [("premises.refused", f"property {tst.pk} is of another tier")]
        assert access.open_premises(tst_assessor, tst.pk) == tst


def test_opening_a_property_records_no_view_and_needs_the_estate_permission(assessor):
    premises, _ = make_estate("N51")
    assert access.open_premises(assessor, premises.pk) == premises
    reporter = make_user(Role.REPORTER, region_code="NA")
    assert access.open_premises(reporter, premises.pk) == premises
    assert not AuditEvent.objects.filter(kind__in=[AuditEvent.Kind.VIEW, AuditEvent.Kind.REFUSAL]).exists()
    with pytest.raises(PermissionDenied):
        access.open_premises(make_user(Role.CAS3_REFERRER), premises.pk)
