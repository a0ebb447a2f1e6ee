"""Two assessors change the same property, bedspace or void period: the first save wins, the second
is refused with the values saved first, and nothing of the first change is lost. The pages are read
as a browser would: the version is the one in the form the user was shown."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from cas.core import clock
from cas.core.dates import long_date
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.premises import services
from cas.premises.models import Bedspace, Premises
from tests.estate_factories import make_estate, make_premises, make_void, pdu, void_reason
from tests.factories import make_user

pytestmark = pytest.mark.django_db

STALE = "Someone else changed this while you were editing it"


def days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def date_fields(name: str, day: dt.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def assessor(username: str) -> Client:
    client = Client()
    client.force_login(make_user(Role.CAS3_ASSESSOR, username=username))
    return client


@pytest.fixture
def two_assessors():
    return assessor("first.assessor"), assessor("second.assessor")


def text(response) -> str:
    return response.content.decode()


def drawn_version(page: str) -> int:
    """The version in the form's hidden field, as the browser would post it back."""
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', page)
    assert match, "the form carries no version"
    return int(match.group(1))


def date_value(page: str, name: str, part: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}-{part}"[^>]*value="(\d+)"', page)
    assert match, f"no value for {name}-{part}"
    return match.group(1)


def property_post(premises: Premises, version: int, **changes) -> dict:
    liverpool = pdu("N51LPLS")
    data = {
        "reference": premises.reference,
        "address_line1": premises.address_line1,
        "town": premises.town,
        "postcode": premises.postcode,
        "region": liverpool.region_id,
        "pdu": liverpool.pk,
        "turnaround_working_days": str(premises.turnaround_working_days),
        "notes": premises.notes,
        "version": version,
    }
    data.update(changes)
    return data


def test_second_property_edit_is_refused_with_the_first_saved_values(two_assessors):
    first, second = two_assessors
    premises = make_premises(reference="Acacia House")
    url = reverse("web:property-edit", args=[premises.pk])
    first_version = drawn_version(text(first.get(url)))
    second_version = drawn_version(text(second.get(url)))
    assert first_version == second_version == premises.version

    saved = first.post(url, property_post(premises, first_version, reference="Birch House", notes="Keys with warden"))
    assert saved.status_code == 302
    refused = second.post(url, property_post(premises, second_version, turnaround_working_days="5"))

    page = text(refused)
    assert refused.status_code == 200 and STALE in page and "govuk-error-summary" in page
    assert 'value="Birch House"' in page and "Keys with warden" in page
    premises.refresh_from_db()
    assert (premises.reference, premises.notes, premises.turnaround_working_days) == (
        "Birch House",
        "Keys with warden",
        2,
    )
    assert AuditEvent.objects.filter(action="premises.updated", subject_id=str(premises.pk)).count() == 1
    # The redrawn form carries the new version, so making the change again saves it.
    again = second.post(url, property_post(premises, drawn_version(page), turnaround_working_days="5"))
    assert again.status_code == 302
    premises.refresh_from_db()
    assert (premises.reference, premises.turnaround_working_days) == ("Birch House", 5)


def test_second_bedspace_edit_is_refused_with_the_first_saved_values(two_assessors):
    first, second = two_assessors
    premises = make_premises()
    bedspace = services.create_bedspace(None, premises, reference="Room 1", start_date=days(2))
    url = reverse("web:bedspace-edit", args=[premises.pk, bedspace.pk])
    first_version = drawn_version(text(first.get(url)))
    second_version = drawn_version(text(second.get(url)))

    saved = first.post(
        url,
        {"reference": "Room 1A", **date_fields("start_date", days(5)), "notes": "Top floor", "version": first_version},
    )
    assert saved.status_code == 302
    refused = second.post(
        url,
        {"reference": "Room 1B", **date_fields("start_date", days(2)), "notes": "", "version": second_version},
    )

    page = text(refused)
    assert refused.status_code == 200 and STALE in page
    assert 'value="Room 1A"' in page and "Top floor" in page
    assert date_value(page, "start_date", "day") == str(days(5).day)
    bedspace.refresh_from_db()
    assert (bedspace.reference, bedspace.start_date, bedspace.notes) == ("Room 1A", days(5), "Top floor")


def test_second_void_edit_is_refused_with_the_first_saved_values(two_assessors):
    first, second = two_assessors
    premises, (a, _) = make_estate()
    void = make_void(a, days(2), days(5), reference_number="JOB-1")
    url = reverse("web:void-edit", args=[premises.pk, a.pk, void.pk])
    first_version = drawn_version(text(first.get(url)))
    second_version = drawn_version(text(second.get(url)))

    def post(client, version, end, **changes):
        data = {**date_fields("start_date", days(2)), **date_fields("end_date", end)}
        data.update({"reason": void_reason().pk, "cost_borne_by": "hmpps", "reference_number": "JOB-1"})
        data.update(changes, version=version)
        return client.post(url, data)

    assert post(first, first_version, days(8), reference_number="JOB-2").status_code == 302
    refused = post(second, second_version, days(5), cost_borne_by="supplier")

    page = text(refused)
    assert refused.status_code == 200 and STALE in page
    assert 'value="JOB-2"' in page and date_value(page, "end_date", "day") == str(days(8).day)
    void.refresh_from_db()
    assert (void.end_date, void.reference_number, void.cost_borne_by) == (days(8), "JOB-2", "hmpps")


def test_cancelling_a_void_someone_has_just_changed_is_refused(two_assessors):
    first, second = two_assessors
    premises, (a, _) = make_estate()
    void = make_void(a, days(2), days(5))
    edit = reverse("web:void-edit", args=[premises.pk, a.pk, void.pk])
    cancel = reverse("web:void-cancel", args=[premises.pk, a.pk, void.pk])
    first_version = drawn_version(text(first.get(edit)))
    second_version = drawn_version(text(second.get(cancel)))
    changed = {**date_fields("start_date", days(2)), **date_fields("end_date", days(9))}
    changed.update({"reason": void_reason().pk, "cost_borne_by": "hmpps", "version": first_version})
    assert first.post(edit, changed).status_code == 302

    refused = second.post(cancel, {"notes": "Work finished", "version": second_version})

    page = text(refused)
    assert refused.status_code == 200 and STALE in page
    assert long_date(days(9)) in page  # the void period as it is now
    assert "Work finished" in page  # the reason typed is kept
    void.refresh_from_db()
    assert not void.is_cancelled and void.end_date == days(9)
    assert second.post(cancel, {"notes": "Work finished", "version": drawn_version(page)}).status_code == 302
    void.refresh_from_db()
    assert void.is_cancelled


def test_confirming_a_property_archive_after_someone_changed_it_is_refused(two_assessors):
    first, second = two_assessors
    premises, _ = make_estate(reference="Acacia House")
    edit = reverse("web:property-edit", args=[premises.pk])
    archive = reverse("web:property-archive", args=[premises.pk])
    second_version = drawn_version(text(second.get(archive)))
    confirm = text(second.post(archive, {**date_fields("date", days(10)), "version": second_version}))
    assert drawn_version(confirm) == second_version  # the confirmation carries the version on
    # Meanwhile the first assessor renames it.
    first_version = drawn_version(text(first.get(edit)))
    assert first.post(edit, property_post(premises, first_version, reference="Birch House")).status_code == 302

    refused = second.post(archive, {**date_fields("date", days(10)), "version": second_version, "confirm": "yes"})

    page = text(refused)
    assert refused.status_code == 200 and STALE in page and "Archive property Birch House" in page
    assert date_value(page, "date", "day") == str(days(10).day)
    premises.refresh_from_db()
    assert premises.end_date is None and premises.reference == "Birch House"
    assert not Bedspace.objects.filter(premises=premises, end_date__isnull=False).exists()


def test_a_stale_bedspace_archive_page_is_refused_before_its_confirmation(two_assessors):
    first, second = two_assessors
    premises, (a, _) = make_estate()
    archive = reverse("web:bedspace-archive", args=[premises.pk, a.pk])
    second_version = drawn_version(text(second.get(archive)))
    edit = reverse("web:bedspace-edit", args=[premises.pk, a.pk])
    first_version = drawn_version(text(first.get(edit)))
    assert first.post(edit, {"reference": "Room Z", "notes": "", "version": first_version}).status_code == 302

    refused = second.post(archive, {**date_fields("date", days(10)), "version": second_version})

    page = text(refused)
    assert STALE in page and "Archive bedspace Room Z" in page and 'name="confirm"' not in page
    confirm = text(second.post(archive, {**date_fields("date", days(10)), "version": drawn_version(page)}))
    assert "Archive bedspace Room Z on" in confirm
    a.refresh_from_db()
    assert a.end_date is None


def test_archiving_a_property_makes_an_open_bedspace_form_stale(two_assessors):
    """Bedspaces archived with their property change too: a form drawn before is refused."""
    first, second = two_assessors
    premises, (a, _) = make_estate()
    edit = reverse("web:bedspace-edit", args=[premises.pk, a.pk])
    second_version = drawn_version(text(second.get(edit)))
    archive = reverse("web:property-archive", args=[premises.pk])
    version = drawn_version(text(first.get(archive)))
    done = first.post(archive, {**date_fields("date", days(10)), "version": version, "confirm": "yes"})
    assert done.status_code == 302

    refused = second.post(edit, {"reference": "Room Q", "notes": "", "version": second_version})

    assert STALE in text(refused)
    assert Bedspace.objects.get(pk=a.pk).reference == "Room A"
