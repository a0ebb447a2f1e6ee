"""Opening one case of placement by its id (`cas.placements.access`): a booking, a bedspace to book and a
referral to place that do not exist and ones of another region or tier get the same error in the same
words; the refusal of the one that exists is audited; a booking or referral opened is audited as a view
of the person's details, and a person restricted from the user is refused (and audited)."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied

from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.people.services import PersonRestricted
from cas.placements import access
from cas.premises.access import BedspaceNotFound
from tests.estate_factories import make_estate
from tests.factories import make_user, pdu
from tests.placement_factories import make_booking, make_ready_referral
from tests.referral_factories import make_submitted
from tests.tiers import tier as test_tier

pytestmark = pytest.mark.django_db


@pytest.fixture
def north_west():
    return make_user(Role.CAS3_ASSESSOR, region_code="N51")


@pytest.fixture
def london():
    return make_user(Role.CAS3_ASSESSOR, region_code="N07")


@pytest.fixture
def booking():
    _, (bedspace, _) = make_estate("N51")
    return make_booking(bedspace, "X100001")


def events(user, kind) -> list[tuple[str, str, str]]:
    return list(AuditEvent.objects.filter(actor=user, kind=kind).order_by("id").values_list("action", "crn", "detail"))


def refused_alike(error, missing, theirs) -> str:
    """Both calls raise `error` with the same code and message; returns the message."""
    with pytest.raises(error) as not_there:
        missing()
    with pytest.raises(error) as not_theirs:
        theirs()
    assert not_there.value.code == not_theirs.value.code == "not_found"
    assert not_there.value.message == not_theirs.value.message
    return not_theirs.value.message


# A booking ------------------------------------------------------------------------------------------------


def test_a_missing_booking_and_another_regions_get_the_same_answer_and_the_refusal_is_audited(london, booking):
    message = refused_alike(
        access.BookingNotFound,
        lambda: access.open_booking(london, uuid.uuid4(), purpose="test"),
        lambda: access.open_booking(london, booking.pk, purpose="test"),
    )
    assert message == "Booking not found. Check the link, or it may belong to another region or service."
    assert events(london, AuditEvent.Kind.REFUSAL) == [
        ("booking.refused", "X100001", f"booking {booking.pk} is in another region")
    ]
    assert events(london, AuditEvent.Kind.VIEW) == []
    with pytest.raises(access.BookingNotFound):
        access.open_booking(london, "not-an-id", purpose="test")


def test_another_tiers_booking_is_not_found_and_the_refusal_is_audited(booking):
    with test_tier.registered():
        tst_assessor = make_user(test_tier.ASSESSOR, region_code="NA")
        refused_alike(
            access.BookingNotFound,
            lambda: access.open_booking(tst_assessor, uuid.uuid4(), purpose="test"),
            lambda: access.open_booking(tst_assessor, booking.pk, purpose="test"),
        )
        assert events(tst_assessor, AuditEvent.Kind.REFUSAL) == [
            ("booking.refused", "X100001", f"booking {booking.pk} is of another tier")
        ]


def test_opening_a_booking_is_audited_as_a_view_of_the_person(north_west, booking):
    opened = access.open_booking(north_west, booking.pk, purpose="web: read the booking")
    assert opened == booking
    view = AuditEvent.objects.get(actor=north_west, kind=AuditEvent.Kind.VIEW)
    assert (view.action, view.crn, view.subject_type, view.subject_label, view.detail) == (
        "booking.viewed",
        "X100001",
        "person",
        booking.person_name,
        "web: read the booking",
    )
    # Reporters read every region's bookings, and their views are audited too.
    reporter = make_user(Role.REPORTER, region_code="NA")
    access.open_booking(reporter, booking.pk, purpose="API: read the booking")
    assert events(reporter, AuditEvent.Kind.VIEW) == [("booking.viewed", "X100001", "API: read the booking")]
    with pytest.raises(PermissionDenied):
        access.open_booking(make_user(Role.CAS3_REFERRER), booking.pk, purpose="test")


def test_a_restricted_persons_booking_is_refused_and_audited_to_everyone_but_those_allowed(north_west):
    _, (bedspace, _) = make_estate("N51")
    restricted = make_booking(bedspace, "X100008")
    with pytest.raises(PersonRestricted):
        access.open_booking(north_west, restricted.pk, purpose="test")
    assert events(north_west, AuditEvent.Kind.REFUSAL) == [
        ("booking.refused", "X100008", f"booking {restricted.pk}: the person is restricted from the user")
    ]
    assert events(north_west, AuditEvent.Kind.VIEW) == []
    permitted = make_user(Role.CAS3_ASSESSOR, username="demo.restricted-access", region_code="N51")
    assert access.open_booking(permitted, restricted.pk, purpose="test") == restricted


# A bedspace to book -----------------------------------------------------------------------------------------


def test_a_missing_bedspace_and_another_regions_get_the_same_answer_and_the_refusal_is_audited(north_west, london):
    _, (bedspace, _) = make_estate("N51")
    message = refused_alike(
        BedspaceNotFound,
        lambda: access.open_bedspace_for_search(london, uuid.uuid4()),
        lambda: access.open_bedspace_for_search(london, bedspace.pk),
    )
    assert message == "Bedspace not found. Check the link, or it may belong to another region or service."
    assert events(london, AuditEvent.Kind.REFUSAL) == [
        (
            "placement.bedspace_refused",
            "",
            f"bedspace {bedspace.pk}: property {bedspace.premises_id} is in another region",
        )
    ]
    opened = access.open_bedspace_for_search(north_west, bedspace.pk)
    assert opened == bedspace and opened.premises.pdu.delius_code == "N51LPLS"
    # A bedspace names no one: no view is recorded.
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.VIEW).exists()


def test_another_tiers_bedspace_is_not_found_and_the_refusal_is_audited():
    _, (bedspace, _) = make_estate("N51")
    with test_tier.registered():
        tst_assessor = make_user(test_tier.ASSESSOR, region_code="NA")
        refused_alike(
            BedspaceNotFound,
            lambda: access.open_bedspace_for_search(tst_assessor, uuid.uuid4()),
            lambda: access.open_bedspace_for_search(tst_assessor, bedspace.pk),
        )
        assert events(tst_assessor, AuditEvent.Kind.REFUSAL) == [
            (
                "placement.bedspace_refused",
                "",
                f"bedspace {bedspace.pk}: property {bedspace.premises_id} is of another tier",
            )
        ]


# A referral to place ----------------------------------------------------------------------------------------


def test_a_missing_referral_and_another_regions_get_the_same_answer_and_the_refusal_is_audited(
    referrer, north_west, london
):
    referral = make_ready_referral(referrer, "X100001", pdu_code="N51LPLS")
    message = refused_alike(
        access.ReadyReferralNotFound,
        lambda: access.open_ready_referral(london, uuid.uuid4(), purpose="test"),
        lambda: access.open_ready_referral(london, referral.pk, purpose="test"),
    )
    assert message.startswith("Referral not found among those ready to place.")
    assert events(london, AuditEvent.Kind.REFUSAL) == [
        ("placement.referral_refused", "X100001", f"referral {referral.pk} is in another region")
    ]
    assert events(london, AuditEvent.Kind.VIEW) == []
    with pytest.raises(access.ReadyReferralNotFound):
        access.open_ready_referral(london, "not-an-id", purpose="test")

    assert access.open_ready_referral(north_west, referral.pk, purpose="web: book") == referral
    assert events(north_west, AuditEvent.Kind.VIEW) == [("referral.viewed", "X100001", "web: book")]


def test_a_referral_not_ready_to_place_gets_the_same_answer_without_a_refusal(referrer, north_west):
    submitted = make_submitted(referrer, "X100002", pdu_code="N51LPLS")
    refused_alike(
        access.ReadyReferralNotFound,
        lambda: access.open_ready_referral(north_west, uuid.uuid4(), purpose="test"),
        lambda: access.open_ready_referral(north_west, submitted.pk, purpose="test"),
    )
    assert not AuditEvent.objects.filter(
        actor=north_west, kind__in=[AuditEvent.Kind.REFUSAL, AuditEvent.Kind.VIEW]
    ).exists()


def test_another_tiers_referral_is_not_found_and_the_refusal_is_audited(referrer):
    referral = make_ready_referral(referrer, "X100001", pdu_code="N51LPLS")
    with test_tier.registered():
        tst_assessor = make_user(test_tier.ASSESSOR, region_code="NA")
        refused_alike(
            access.ReadyReferralNotFound,
            lambda: access.open_ready_referral(tst_assessor, uuid.uuid4(), purpose="test"),
            lambda: access.open_ready_referral(tst_assessor, referral.pk, purpose="test"),
        )
        assert events(tst_assessor, AuditEvent.Kind.REFUSAL) == [
            ("placement.referral_refused", "X100001", f"referral {referral.pk} is of another tier")
        ]


def test_a_restricted_persons_referral_is_refused_to_a_user_who_may_not_see_them(north_west):
    permitted = make_user(Role.CAS3_REFERRER, Role.CAS3_ASSESSOR, username="demo.restricted-access", pdu=pdu("N51LPLS"))
    referral = make_ready_referral(permitted, "X100008", pdu_code="N51LPLS")
    with pytest.raises(PersonRestricted):
        access.open_ready_referral(north_west, referral.pk, purpose="test")
    assert events(north_west, AuditEvent.Kind.REFUSAL) == [
        ("placement.referral_refused", "X100008", f"referral {referral.pk}: the person is restricted from the user")
    ]
    assert access.open_ready_referral(permitted, referral.pk, purpose="test") == referral
