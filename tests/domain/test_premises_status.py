"""Status comes from dates in one place: the Python function and the query expression agree."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cas.premises.models import Bedspace, Premises
from cas.premises.status import (
    BedspaceStatus,
    PremisesStatus,
    bedspace_status_expression,
    bedspace_status_filter,
    bedspace_status_on,
    premises_status_expression,
    premises_status_filter,
    premises_status_on,
)
from tests.estate_factories import make_premises

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 15)


def test_bedspace_status_rules():
    assert bedspace_status_on(DAY, None, DAY) == BedspaceStatus.ONLINE
    assert bedspace_status_on(DAY + dt.timedelta(days=1), None, DAY) == BedspaceStatus.UPCOMING
    assert bedspace_status_on(DAY - dt.timedelta(days=5), DAY, DAY) == BedspaceStatus.ARCHIVED
    assert bedspace_status_on(DAY - dt.timedelta(days=5), DAY + dt.timedelta(days=1), DAY) == BedspaceStatus.ONLINE


def test_premises_status_rules():
    assert premises_status_on(DAY, None, DAY) == PremisesStatus.ONLINE
    assert premises_status_on(DAY - dt.timedelta(days=9), DAY, DAY) == PremisesStatus.ARCHIVED
    # Due back online later: archived until then.
    assert premises_status_on(DAY + dt.timedelta(days=2), None, DAY) == PremisesStatus.ARCHIVED


offsets = st.integers(min_value=-5, max_value=5)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=offsets, length=st.one_of(st.none(), st.integers(min_value=0, max_value=6)), day=offsets)
def test_python_and_sql_agree(start, length, day):
    premises = make_premises()
    start_date = DAY + dt.timedelta(days=start)
    end_date = None if length is None else start_date + dt.timedelta(days=length)
    on = DAY + dt.timedelta(days=day)
    bedspace = Bedspace.objects.create(premises=premises, reference="Room 1", start_date=start_date, end_date=end_date)
    Premises.objects.filter(pk=premises.pk).update(start_date=start_date, end_date=end_date)

    expected = bedspace_status_on(start_date, end_date, on)
    assert Bedspace.objects.annotate(s=bedspace_status_expression(on)).get(pk=bedspace.pk).s == expected
    for status in BedspaceStatus.values:
        matched = Bedspace.objects.filter(bedspace_status_filter(status, on), pk=bedspace.pk).exists()
        assert matched == (status == expected)

    expected_premises = premises_status_on(start_date, end_date, on)
    assert Premises.objects.annotate(s=premises_status_expression(on)).get(pk=premises.pk).s == expected_premises
    for status in PremisesStatus.values:
        matched = Premises.objects.filter(premises_status_filter(status, on), pk=premises.pk).exists()
        assert matched == (status == expected_premises)
    bedspace.delete()
    Premises.objects.filter(pk=premises.pk).delete()
