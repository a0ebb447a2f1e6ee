"""The seam holds: a tier declared only by the test suite (`tests/tiers/tier.py`) goes through draft,
submission, its own workflow, booking and events using shared code alone, and its users get nothing
of CAS3 (nor CAS3's users anything of it)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from cas.core import clock
from cas.core.errors import DomainError
from cas.core.roles import Role
from cas.events.models import DomainEvent, OutboundEmail
from cas.placements import access as placement_access
from cas.placements import queries as booking_queries
from cas.placements import search
from cas.placements import services as bookings
from cas.premises import access as estate_access
from cas.premises import queries as estate_queries
from cas.premises import services as estate
from cas.reference.models import CancellationReason
from cas.referrals import lifecycle, services
from cas.referrals import queries as referral_queries
from cas.referrals.cas3 import review
from cas.referrals.models import Referral, TimelineEntry
from tests.estate_factories import make_bedspace, make_premises
from tests.factories import make_user, pdu
from tests.placement_factories import make_booking
from tests.referral_factories import make_submitted
from tests.tiers import tier as test_tier

pytestmark = pytest.mark.django_db


@pytest.fixture
def tst():
    with test_tier.registered() as declared:
        yield declared


@pytest.fixture
def tst_referrer(tst):
    return make_user(test_tier.REFERRER, region_code="N51")


@pytest.fixture
def tst_assessor(tst):
    # National, so every refusal of CAS3 below comes from the tier, not from the region.
    return make_user(test_tier.ASSESSOR, region_code="NA")


def _submitted(referrer) -> Referral:
    draft = services.create_draft(referrer, "X100001", offence_id=_offence(referrer))
    services.save_page(referrer, draft.pk, "need", "need", {"need": "room"})
    return services.submit_referral(referrer, draft.pk, declaration=True).referral


def _offence(user) -> str:
    return services.find_person(user, "X100001").person.index_offence.offence_id


def _tst_bedspace(assessor):
    unit = pdu("N51LPLS")
    premises = estate.create_premises(
        assessor,
        reference="Test Tier House",
        address_line1="1 Seam Street",
        postcode="L8 1AB",
        region=unit.region,
        pdu=unit,
    )
    return make_bedspace(premises, "Room 1")


def test_a_tier_goes_from_draft_to_booking_through_shared_code(tst_referrer, tst_assessor):
    referral = _submitted(tst_referrer)
    assert (referral.service, referral.status, referral.region.delius_code) == ("tst", "received", "N51")
    assert referral.form_key == "tst-referral" and referral.answers == {"need": {"need": {"need": "room"}}}
    assert referral.referrer_status == ("Sent", "purple")
    assert not OutboundEmail.objects.exists()  # the tier declares no emails

    # Its workflow, run by the shared engine, with the tier's labels.
    assert lifecycle.allowed_actions(referral) == ["offer"]
    referral = lifecycle.take(tst_assessor, referral.pk, "offer")
    assert referral.status == "offered" and referral.status_label == "Offered"
    with pytest.raises(lifecycle.TransitionNotAllowed, match="You cannot offer a place a referral that is offered"):
        lifecycle.take(tst_assessor, referral.pk, "offer")
    with pytest.raises(lifecycle.TransitionNotAllowed):
        lifecycle.take(tst_assessor, referral.pk, "booking_confirmed")  # the system's, not a user's

    # Its estate and its booking rule (10 nights), its referral placeable in "offered".
    bedspace = _tst_bedspace(tst_assessor)
    assert bedspace.premises.service == "tst"
    assert list(booking_queries.ready_to_place(tst_assessor)) == [referral]
    start = clock.today() + dt.timedelta(days=1)
    with pytest.raises(DomainError, match="within 10 nights"):
        bookings.create_booking(
            tst_assessor,
            bedspace,
            crn=referral.crn,
            arrival_date=start,
            departure_date=start + dt.timedelta(days=11),
            referral=referral,
        )
    booking = bookings.create_booking(
        tst_assessor,
        bedspace,
        crn=referral.crn,
        arrival_date=start,
        departure_date=start + dt.timedelta(days=10),
        referral=referral,
    )
    assert booking.service == "tst"
    booking = bookings.confirm_booking(tst_assessor, booking)
    referral.refresh_from_db()
    assert referral.status == "housed" and referral.closed_at is not None

    # The search finds the tier's own bedspaces only.
    results = search.search(
        tst_assessor, search.Criteria(start_date=start + dt.timedelta(days=20), nights=5, pdus=(bedspace.premises.pdu,))
    )
    assert results.criteria.service == "tst"
    assert {str(found.premises.id) for found in results.properties} == {str(bedspace.premises_id)}

    bookings.cancel_booking(tst_assessor, booking, cancelled_on=clock.today(), reason=_cancellation_reason())
    referral.refresh_from_db()
    assert referral.status == "offered" and referral.closed_at is None

    # Events in the tier's namespace; the timeline in its words.
    assert list(DomainEvent.objects.order_by("occurred_at", "id").values_list("event_type", flat=True)) == [
        "accommodation.tst.booking.provisionally-made",
        "accommodation.tst.booking.confirmed",
        "accommodation.tst.booking.cancelled",
    ]
    titles = [
        (e.action, e.to_status)
        for e in TimelineEntry.objects.filter(referral=referral).order_by("created_at", "id")
        if e.kind == TimelineEntry.Kind.STATUS
    ]
    assert titles == [("offer", "offered"), ("booking_confirmed", "housed"), ("booking_cancelled", "offered")]
    assert not OutboundEmail.objects.exists()


def _cancellation_reason():
    """The tier's reasons are reference-list entries tagged with its code, like CAS3's."""
    reason = CancellationReason.objects.active().order_by("pk").first()
    reason.services = f"{reason.services},tst"
    reason.save()
    return reason


def test_its_users_get_nothing_of_cas3(tst_referrer, tst_assessor, referrer, assessor):
    cas3_referrer, cas3_assessor = referrer, assessor
    referral = make_submitted(cas3_referrer, pdu_code="N51LPLS")
    review.allocate(cas3_assessor, referral.pk)
    review.accept(cas3_assessor, referral.pk)
    premises = make_premises("N51")
    bedspace = make_bedspace(premises)
    booking = make_booking(bedspace, referral=referral, actor=cas3_assessor)

    # Lists: none of CAS3's records.
    assert not referral_queries.review_scope(tst_assessor).exists()
    assert not booking_queries.scoped_bookings(tst_assessor).exists()
    assert not estate_queries.scoped_premises(tst_assessor).exists()
    assert not booking_queries.ready_to_place(tst_assessor).exists()
    # Objects: "not found", as if they did not exist, or refused.
    with pytest.raises(review.ReviewReferralNotFound):
        review.open_referral(tst_assessor, referral.pk)
    with pytest.raises(lifecycle.ReferralNotFound):
        lifecycle.take(tst_assessor, referral.pk, "archive")
    with pytest.raises(services.ReferralNotFound):
        services.get_referral(tst_referrer, referral.pk)
    with pytest.raises(placement_access.BookingNotFound):
        placement_access.open_booking(tst_assessor, booking.pk, purpose="test")
    with pytest.raises(placement_access.ReadyReferralNotFound):
        placement_access.open_ready_referral(tst_assessor, referral.pk, purpose="test")
    with pytest.raises(estate_access.BedspaceNotFound):
        placement_access.open_bedspace_for_search(tst_assessor, bedspace.pk)
    with pytest.raises(estate_access.PremisesNotFound):
        estate_access.open_premises(tst_assessor, premises.pk)
    with pytest.raises(PermissionDenied):
        bookings.confirm_booking(tst_assessor, booking)
    with pytest.raises(PermissionDenied):
        estate.create_bedspace(tst_assessor, premises, reference="Room 99", start_date=clock.today())
    with pytest.raises(PermissionDenied):
        estate.create_premises(
            tst_assessor,
            service="cas3",
            reference="Not Mine",
            address_line1="2 Seam Street",
            postcode="L8 1AB",
            region=premises.region,
            pdu=premises.pdu,
        )
    # The search looks at the tier's own estate, never CAS3's.
    results = search.search(
        tst_assessor, search.Criteria(start_date=clock.today() + dt.timedelta(days=40), nights=5, pdus=(premises.pdu,))
    )
    assert results.properties == []


def test_cas3_users_get_nothing_of_the_tier(tst_referrer, tst_assessor):
    referral = _submitted(tst_referrer)
    national_cas3_assessor = make_user(Role.CAS3_ASSESSOR, region_code="NA")
    cas3_referrer = make_user(Role.CAS3_REFERRER, region_code="N51")
    bedspace = _tst_bedspace(tst_assessor)

    assert referral not in referral_queries.review_scope(national_cas3_assessor)
    assert not estate_queries.scoped_premises(national_cas3_assessor).filter(pk=bedspace.premises_id).exists()
    with pytest.raises(review.ReviewReferralNotFound):
        review.open_referral(national_cas3_assessor, referral.pk)
    with pytest.raises(lifecycle.ReferralNotFound):
        lifecycle.take(national_cas3_assessor, referral.pk, "offer")
    with pytest.raises(services.ReferralNotFound):
        services.get_referral(cas3_referrer, referral.pk)
    with pytest.raises(estate_access.PremisesNotFound):
        estate_access.open_premises(national_cas3_assessor, bedspace.premises_id)
    with pytest.raises(estate_access.BedspaceNotFound):
        placement_access.open_bedspace_for_search(national_cas3_assessor, bedspace.pk)
    with pytest.raises(PermissionDenied):
        bookings.create_booking(
            national_cas3_assessor,
            bedspace,
            crn="X100001",
            arrival_date=clock.today() + dt.timedelta(days=1),
            departure_date=clock.today() + dt.timedelta(days=5),
        )
    # A forgotten tier fails loudly: records have no default service.
    with pytest.raises(Exception):  # noqa: B017, PT011 - IntegrityError or the tiers' lookup error
        Referral.objects.create(
            created_by=cas3_referrer,
            crn="X100001",
            person_name="Nobody",
            origin_region=cas3_referrer.region,
            region=cas3_referrer.region,
            form_key="none",
            form_version=1,
        )
