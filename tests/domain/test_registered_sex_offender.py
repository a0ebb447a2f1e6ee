"""Issue 20, point 13: "Registered sex offender" on a referral made in the service is the case
system's answer (its registrations, copied with the risk snapshot when the draft was made), not
"not known" whenever the form did not ask (it asks only after a sexual offence)."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.db import connection

from cas.core.roles import Role
from cas.people.ports import FLAG_REGISTERED_SEX_OFFENDER
from cas.referrals.cas3.definition import registered_sex_offender
from cas.referrals.models import Referral
from cas.reporting.booking_reports import BOOKING_COLUMNS, booking_rows
from cas.reporting.mi import ReportParams
from tests.estate_factories import make_estate
from tests.factories import make_user, pdu
from tests.placement_factories import make_booking, make_ready_referral
from tests.referral_factories import make_submitted

pytestmark = pytest.mark.django_db

REGISTERED = {"flags": [FLAG_REGISTERED_SEX_OFFENDER]}
NOT_REGISTERED = {"flags": ["Arson"]}


@pytest.mark.parametrize(
    ("answer", "risk", "expected"),
    [
        (None, NOT_REGISTERED, False),  # not asked, the case system holds no registration
        (None, {"flags": []}, False),
        (None, REGISTERED, True),  # not asked, the case system holds one
        (False, REGISTERED, True),  # the registration is the case system's fact
        (True, NOT_REGISTERED, True),  # the practitioner knows of one the snapshot lacks
        (False, NOT_REGISTERED, False),
        (None, None, None),  # the case system could not be read, nobody asked: not known
        (True, None, True),
        (False, None, False),
    ],
)
def test_the_answer_combines_the_case_system_and_the_form(answer, risk, expected):
    assert registered_sex_offender(answer, risk) is expected


@pytest.fixture
def referrer():
    return make_user(Role.CAS3_REFERRER, username="pp.rso", pdu=pdu("N51LPLS"))


def test_a_referral_made_in_the_service_takes_the_case_systems_answer(referrer):
    # Both answered "no sexual offence" on the form, so the form never asked the question.
    assert make_submitted(referrer, "X100001").is_registered_sex_offender is False
    assert make_submitted(referrer, "X100004").is_registered_sex_offender is True  # registered in NDelius


def _bookings_report_value(referral) -> str:
    _, (bedspace, *_) = make_estate("N51")
    booking = make_booking(bedspace, referral.crn, referral=referral)
    params = ReportParams(booking.arrival_date - dt.timedelta(days=1), booking.departure_date, referral.region_id)
    column = [c.key for c in BOOKING_COLUMNS].index("registeredSexOffender")
    (row,) = [r for r in booking_rows(params) if r[0] == str(booking.pk)]
    return row[column]


def test_the_review_page_and_the_bookings_report_say_no(referrer, client):
    referral = make_ready_referral(referrer, "X100001")
    assert _bookings_report_value(referral) == "No"
    assessor = make_user(Role.CAS3_ASSESSOR, region_code="N51")
    client.force_login(assessor)
    page = client.get(f"/review/referrals/{referral.pk}").content.decode()
    assert "Registered sex offender" in page
    value = re.search(r"Registered sex offender\s*</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S).group(1)
    assert value.strip() == "No"


def test_old_referrals_are_filled_from_their_snapshot_by_the_migration(referrer):
    """The data migration's rule, run on referrals stored as "not known" before the fix."""
    migration = importlib.import_module("cas.referrals.migrations.0008_registered_sex_offender_from_case_system")
    plain = make_submitted(referrer, "X100001")
    registered = make_submitted(referrer, "X100004")
    Referral.objects.filter(pk__in=[plain.pk, registered.pk]).update(is_registered_sex_offender=None)

    migration.fill(apps, type("SchemaEditor", (), {"connection": connection})())
    assert Referral.objects.get(pk=plain.pk).is_registered_sex_offender is False
    assert Referral.objects.get(pk=registered.pk).is_registered_sex_offender is True
