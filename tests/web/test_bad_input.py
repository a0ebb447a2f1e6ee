"""Bad input that used to be a server error: each is now a form error or a 400, and writes nothing.
(tests/web/test_web_fuzz.py finds this class of problem on every page; these pin each one down.)"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cas.core.forms import GovukDateField
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.placements.status import BookingStatus
from cas.reference.models import ProbationDeliveryUnit
from cas.referrals.models import ReviewServiceLevel
from tests.estate_factories import make_estate
from tests.factories import make_user
from tests.placement_factories import cancellation_reason, make_booking

pytestmark = pytest.mark.django_db


def changes() -> int:
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()


@pytest.mark.parametrize(
    "parts",
    [
        ["1", "1", "99999999999"],  # OverflowError in dt.date
        ["1", "1", str(10**30)],  # too large for a C long
        [str(10**30), "1", "2026"],
        ["1", "9" * 5000, "2026"],  # int() refuses over 4300 digits
        ["1", "1", "10000"],
    ],
)
def test_a_date_part_no_date_can_have_is_told_to_enter_a_real_date(parts):
    field = GovukDateField(label_for_errors="arrival date")
    with pytest.raises(ValidationError) as exc:
        field.clean(parts)
    assert exc.value.messages == ["The arrival date must be a real date"]


def test_a_real_date_with_four_digit_parts_is_still_accepted():
    import datetime as dt

    assert GovukDateField().clean(["0007", "03", "2027"]) == dt.date(2027, 3, 7)


@pytest.fixture
def north_west():
    premises, (bedspace,) = make_estate("N51", bedspaces=1, reference="Input House")
    return premises, bedspace


def test_a_huge_year_on_a_booking_form_is_a_form_error_and_changes_nothing(client, north_west):
    _, bedspace = north_west
    booking = make_booking(bedspace, "X100001")
    client.force_login(make_user(Role.CAS3_ASSESSOR, region_code="N51"))
    before = changes()
    response = client.post(
        reverse("web:booking-cancel", kwargs={"pk": booking.pk}),
        {
            "cancelled_on-day": "1",
            "cancelled_on-month": "1",
            "cancelled_on-year": "99999999999",
            "reason": cancellation_reason().pk,
            "version": booking.version,
        },
    )
    assert response.status_code in (200, 400)
    assert "must be a real date" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status != BookingStatus.CANCELLED
    assert changes() == before


def _search(client, **extra):
    pdu = ProbationDeliveryUnit.objects.get(delius_code="N51LPLS")
    query = {"start_date-day": "1", "start_date-month": "6", "start_date-year": "2027", "nights": "7", "pdus": pdu.pk}
    return client.get(reverse("web:placement-search"), {**query, **extra})


@pytest.mark.parametrize(
    ("field", "message"),
    [("pdus", "Select PDUs from the list"), ("avoid", "Select local authorities from the list")],
)
@pytest.mark.parametrize("value", [str(10**30), "9" * 30, str(2**63)])
def test_a_huge_id_in_the_search_filters_is_a_form_error(client, north_west, field, value, message):
    client.force_login(make_user(Role.CAS3_ASSESSOR, region_code="N51"))
    response = _search(client, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_huge_characteristic_id_on_the_property_form_is_a_form_error(client, north_west):
    premises, _ = north_west
    client.force_login(make_user(Role.CAS3_ASSESSOR, region_code="N51"))
    before = changes()
    response = client.post(
        reverse("web:bedspace-create", kwargs={"pk": premises.pk}),
        {
            "reference": "Room 9",
            "start_date-day": "1",
            "start_date-month": "1",
            "start_date-year": "2027",
            "characteristics": str(10**30),
        },
    )
    assert response.status_code in (200, 400)
    assert "Choose bedspace characteristics from the list" in response.content.decode()
    assert changes() == before


@pytest.mark.parametrize("pdu", ["9" * 5000, "²", "１２３", str(10**30)])
def test_the_dashboard_leaves_out_a_pdu_that_is_not_an_id(client, pdu):
    client.force_login(make_user(Role.CAS3_ASSESSOR, region_code="N51"))
    response = client.get(reverse("web:dashboard"), {"pdu": pdu})
    assert response.status_code == 200


def test_a_service_level_edit_with_a_made_up_version_is_refused_as_stale_and_writes_nothing(client):
    client.force_login(make_user(Role.ADMIN, region_code="NA"))
    assert not ReviewServiceLevel.objects.filter(region__delius_code="N51").exists()
    response = client.post(
        reverse("web:review-service-level-edit", kwargs={"code": "N51"}), {"working_days": "7", "version": "12"}
    )
    assert response.status_code == 400
    assert "Someone else changed this" in response.content.decode()
    assert not ReviewServiceLevel.objects.filter(region__delius_code="N51").exists()


def test_digits_int_cannot_read_in_the_estate_import_are_a_problem_on_the_line():
    from cas.premises import imports
    from tests.domain.test_premises_import import estate_rows, to_csv

    rows = estate_rows(1, 2)
    rows[0]["turnaround_working_days"] = "²"
    rows[1]["turnaround_working_days"] = "9" * 5000
    result = imports.import_file(make_user(Role.CAS3_ASSESSOR, region_code="N51"), "estate.csv", to_csv(rows))
    messages = [str(p) for p in result.problems]
    assert "Line 2 (turnaround working days): Enter the turnaround as a whole number of working days, 0 or more" in (
        messages
    )
    assert any(m.startswith("Line 3 (turnaround working days)") for m in messages)
