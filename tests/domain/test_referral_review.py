"""The review services: decisions through the lifecycle with timeline, audit and emails; dates;
notes; the booking system actions; region scope; service levels; the queue's rules."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from cas.core import clock
from cas.core.concurrency import StaleEdit
from cas.core.errors import DomainError
from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.events.models import DomainEvent, OutboundEmail
from cas.people.services import PersonRestricted
from cas.referrals import lifecycle, services, timeline
from cas.referrals.cas3 import queries, review
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.lifecycle import TransitionNotAllowed
from cas.referrals.models import ReviewServiceLevel, TimelineEntry
from tests.factories import make_user, pdu, region
from tests.referral_factories import make_submitted
from tests.review_factories import bring_to, copy_of, first_reason

S = ReferralStatus


@pytest.fixture
def referrer(db):
    return make_user(Role.CAS3_REFERRER, username="review.pp", pdu=pdu("N51LPLS"), first_name="Priya", last_name="Shah")


@pytest.fixture
def submitted(referrer):
    return make_submitted(referrer, "X100001")


@pytest.fixture
def hpt(db):
    return make_user(Role.CAS3_ASSESSOR, username="review.hpt", first_name="Alex", last_name="Carter")


def test_submission_starts_the_timeline(submitted):
    (entry,) = timeline.entries(submitted)
    assert entry.kind == TimelineEntry.Kind.SUBMITTED
    assert entry.author_name == "Priya Shah"
    assert timeline.describe(entry)[0] == "Referral sent"


def test_allocate_accept_archive_reopen_write_status_timeline_and_audit(submitted, hpt):
    referral = review.allocate(hpt, submitted.pk)
    assert (referral.status, referral.allocated_to) == (S.IN_REVIEW, hpt)
    referral = review.accept(hpt, referral.pk)
    assert referral.status == S.READY_TO_PLACE and referral.decided_at
    referral = review.archive(hpt, referral.pk)
    assert referral.status == S.ARCHIVED and referral.closed_at
    referral = review.reopen(hpt, referral.pk)
    assert referral.status == S.READY_TO_PLACE and referral.closed_at is None
    entries = timeline.entries(referral)
    assert [e.action for e in entries] == ["reopen", "archive", "accept", "allocate", ""]
    assert all(e.author == hpt for e in entries[:4])
    assert [(e.from_status, e.to_status) for e in entries[:4]] == [
        (S.ARCHIVED, S.READY_TO_PLACE),
        (S.READY_TO_PLACE, S.ARCHIVED),
        (S.IN_REVIEW, S.READY_TO_PLACE),
        (S.UNALLOCATED, S.IN_REVIEW),
    ]
    actions = list(
        AuditEvent.objects.filter(subject_id=str(referral.pk), action__startswith="referral.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == ["referral.allocate", "referral.accept", "referral.archive", "referral.reopen"]
    assert referral.version == 4


def test_accepting_emails_the_referrer(submitted, hpt, referrer):
    bring_to(submitted, S.READY_TO_PLACE, hpt)
    email = OutboundEmail.objects.get(template_key="cas3_referral_accepted")
    assert email.to_address == referrer.email
    assert "accepted your referral" in email.body and "X100001" in email.subject
    entry = TimelineEntry.objects.get(referral=submitted, action="accept")
    assert entry.emailed_to == referrer.email


def test_rejecting_needs_an_active_cas3_reason_and_emails_it(submitted, hpt, referrer):
    from cas.reference.models import ReferralRejectionReason

    inactive = ReferralRejectionReason.objects.filter(is_active=False).first()
    with pytest.raises(DomainError) as exc:
        review.reject(hpt, submitted.pk, reason_id=inactive.pk, withdrawal_requested=False)
    assert exc.value.field == "reason"
    with pytest.raises(DomainError):
        review.reject(hpt, submitted.pk, reason_id="not a number", withdrawal_requested=False)
    reason = ReferralRejectionReason.objects.get(name="Out of region referral")
    referral = review.reject(
        hpt, submitted.pk, reason_id=reason.pk, details="Placed by Leeds instead.", withdrawal_requested=True
    )
    assert (referral.status, referral.rejection_reason, referral.withdrawal_requested) == (S.REJECTED, reason, True)
    email = OutboundEmail.objects.get(template_key="cas3_referral_rejected")
    assert email.to_address == referrer.email
    assert "Reason: Out of region referral" in email.body
    assert "Placed by Leeds instead." in email.body
    assert "asked for this referral to be withdrawn" in email.body
    title, description = timeline.describe(TimelineEntry.objects.get(referral=submitted, action="reject"))
    assert title == "Rejected" and "Out of region referral" in description


def test_reopening_a_rejected_referral_clears_the_decision(submitted, hpt):
    bring_to(submitted, S.REJECTED, hpt)
    referral = review.reopen(hpt, submitted.pk)
    assert referral.status == S.UNALLOCATED
    assert (referral.rejection_reason, referral.rejection_details, referral.allocated_to) == (None, "", None)


def test_refused_transitions_change_nothing(submitted, hpt):
    with pytest.raises(TransitionNotAllowed) as exc:
        review.accept(hpt, submitted.pk)
    assert exc.value.message == "You cannot mark as ready to place a referral that is unallocated."
    submitted.refresh_from_db()
    assert submitted.status == S.UNALLOCATED and submitted.version == 0
    assert not TimelineEntry.objects.filter(referral=submitted, kind=TimelineEntry.Kind.STATUS).exists()


def test_a_second_assessor_cannot_take_a_referral_already_taken(submitted, hpt):
    other = make_user(Role.CAS3_ASSESSOR)
    review.allocate(hpt, submitted.pk)
    with pytest.raises(TransitionNotAllowed):
        review.allocate(other, submitted.pk)
    submitted.refresh_from_db()
    assert submitted.allocated_to == hpt


def test_unallocating_returns_it_to_the_queue(submitted, hpt):
    review.allocate(hpt, submitted.pk)
    referral = review.unallocate(hpt, submitted.pk)
    assert (referral.status, referral.allocated_to) == (S.UNALLOCATED, None)
    entry = TimelineEntry.objects.get(referral=submitted, action="unallocate")
    assert "It was with Alex Carter." in timeline.describe(entry)[1]


def test_booking_system_actions(submitted, hpt):
    bring_to(submitted, S.READY_TO_PLACE, hpt)
    referral = lifecycle.booking_event(submitted, hpt, "confirmed")
    assert referral.status == S.ARCHIVED and referral.closed_at
    with pytest.raises(TransitionNotAllowed):
        lifecycle.booking_event(referral, hpt, "confirmed")
    referral = lifecycle.booking_event(referral, None, "cancelled")
    assert referral.status == S.READY_TO_PLACE
    cancelled, confirmed = [e for e in timeline.entries(referral) if e.action.startswith("booking")]
    assert timeline.describe(confirmed)[0] == "Booking confirmed: referral archived"
    assert confirmed.author == hpt
    assert (cancelled.author, cancelled.author_kind) == (None, TimelineEntry.Author.SYSTEM)


def test_another_regions_assessor_can_neither_read_nor_act_and_is_audited(submitted):
    london = make_user(Role.CAS3_ASSESSOR, region_code="N07")
    with pytest.raises(review.ReviewReferralNotFound):
        review.open_referral(london, submitted.pk)
    for call in (
        lambda: review.allocate(london, submitted.pk),
        lambda: review.reject(london, submitted.pk, reason_id=first_reason().pk, withdrawal_requested=False),
        lambda: review.add_note(london, submitted.pk, "Hello", to_referrer=False),
        lambda: review.change_dates(
            london,
            submitted.pk,
            release_date=submitted.release_date,
            accommodation_required_from=submitted.accommodation_required_from,
        ),
    ):
        with pytest.raises(review.ReviewReferralNotFound):
            call()
    assert AuditEvent.objects.filter(action="referral.review_refused", actor=london).count() == 5
    assert submitted.pk not in {r.pk for r in queries.review_queue(london, "unallocated").referrals}


def test_reporters_read_every_region_but_change_nothing(submitted):
    reporter = make_user(Role.REPORTER, region_code="NA")
    assert review.open_referral(reporter, submitted.pk) == submitted
    with pytest.raises(PermissionDenied):
        review.allocate(reporter, submitted.pk)
    with pytest.raises(PermissionDenied):
        review.add_note(reporter, submitted.pk, "Hello", to_referrer=False)


def test_restricted_people_need_the_case_systems_permission(submitted, hpt):
    restricted = copy_of(submitted, crn="X100008", person_name="Gary Whitfield")
    with pytest.raises(PersonRestricted):
        review.open_referral(hpt, restricted.pk)
    with pytest.raises(PersonRestricted):
        review.allocate(hpt, restricted.pk)
    allowed = make_user(Role.CAS3_ASSESSOR, username="demo.restricted-access")
    assert review.open_referral(allowed, restricted.pk) == restricted


# Dates -----------------------------------------------------------------------------------------------------


def test_correcting_dates_keeps_history_and_publishes_from_and_to(submitted, hpt):
    old_release, old_required = submitted.release_date, submitted.accommodation_required_from
    new_release = old_release + dt.timedelta(days=7)
    referral = review.change_dates(
        hpt, submitted.pk, release_date=new_release, accommodation_required_from=new_release, version=0
    )
    assert (referral.release_date, referral.accommodation_required_from) == (new_release, new_release)
    entries = [e for e in timeline.entries(referral) if e.kind == TimelineEntry.Kind.DATE]
    assert {e.details["field"] for e in entries} == {"release_date", "accommodation_required_from"}
    assert entries[0].visible_to_referrer
    events = DomainEvent.objects.filter(event_type="accommodation.cas3.assessment.updated").order_by("occurred_at")
    assert [(e.detail["updatedField"], e.detail["from"], e.detail["to"]) for e in events] == [
        ("releaseDate", old_release.isoformat(), new_release.isoformat()),
        ("accommodationRequiredFromDate", old_required.isoformat(), new_release.isoformat()),
    ]
    assert AuditEvent.objects.filter(action="referral.dates_changed", subject_id=str(referral.pk)).count() == 1
    title, description = timeline.describe(entries[0])
    assert title.endswith("changed") and f"to {new_release:%-d %B %Y}" in description


def test_dates_are_validated(submitted, hpt):
    release = submitted.release_date
    with pytest.raises(DomainError) as exc:
        review.change_dates(
            hpt, submitted.pk, release_date=release, accommodation_required_from=release - dt.timedelta(days=1)
        )
    assert exc.value.field == "accommodation_required_from"
    far = clock.today() + dt.timedelta(days=400)
    with pytest.raises(DomainError) as exc:
        review.change_dates(hpt, submitted.pk, release_date=far, accommodation_required_from=far)
    assert exc.value.field == "release_date"
    with pytest.raises(StaleEdit):
        review.change_dates(hpt, submitted.pk, release_date=release, accommodation_required_from=release, version=3)


def test_unchanged_dates_change_nothing_and_closed_referrals_cannot_change(submitted, hpt):
    release, required = submitted.release_date, submitted.accommodation_required_from
    review.change_dates(hpt, submitted.pk, release_date=release, accommodation_required_from=required)
    assert not TimelineEntry.objects.filter(kind=TimelineEntry.Kind.DATE).exists()
    bring_to(submitted, S.REJECTED, hpt)
    with pytest.raises(DomainError) as exc:
        review.change_dates(hpt, submitted.pk, release_date=release, accommodation_required_from=required)
    assert "Reopen it first" in exc.value.message


# Notes ------------------------------------------------------------------------------------------------------


def test_hpt_notes_stay_with_the_hpt_unless_addressed_to_the_referrer(submitted, hpt, referrer):
    review.add_note(hpt, submitted.pk, "Checked the DTR with the council.", to_referrer=False)
    assert not OutboundEmail.objects.filter(template_key="cas3_referral_note_to_referrer").exists()
    entry = review.add_note(hpt, submitted.pk, "Is the release date confirmed?", to_referrer=True)
    email = OutboundEmail.objects.get(template_key="cas3_referral_note_to_referrer")
    assert email.to_address == referrer.email and "Is the release date confirmed?" in email.body
    assert entry.emailed_to == referrer.email
    seen_by_referrer = [e.text for e in timeline.entries(submitted, for_referrer=True) if e.kind == "note"]
    assert seen_by_referrer == ["Is the release date confirmed?"]
    assert len([e for e in timeline.entries(submitted) if e.kind == "note"]) == 2
    with pytest.raises(DomainError):
        review.add_note(hpt, submitted.pk, "   ", to_referrer=False)


def test_the_referrer_replies_to_the_assessor_or_the_hpt_mailbox(submitted, hpt, referrer):
    from cas.referrals.services import ReferralNotFound

    entry = services.add_referrer_note(referrer, submitted.pk, "Yes, confirmed by the prison today.")
    assert entry.author_kind == TimelineEntry.Author.REFERRER and entry.visible_to_referrer
    assert entry.emailed_to == submitted.region.hpt_email
    review.allocate(hpt, submitted.pk)
    entry = services.add_referrer_note(referrer, submitted.pk, "And the curfew address is agreed.")
    assert entry.emailed_to == hpt.email
    assert OutboundEmail.objects.filter(template_key="cas3_referral_note_from_referrer", to_address=hpt.email).exists()
    with pytest.raises(ReferralNotFound):
        services.add_referrer_note(make_user(Role.CAS3_REFERRER), submitted.pk, "Not mine")


# Service levels, urgency and overdue ----------------------------------------------------------------------------


def test_service_levels_are_set_by_administrators(db):
    admin = make_user(Role.ADMIN, region_code="NA")
    north_west = region("N51")
    assert queries.service_level_for(north_west) == ReviewServiceLevel.DEFAULT_WORKING_DAYS
    review.set_service_level(admin, north_west, 3, version=0)
    assert queries.service_level_for(north_west) == 3
    assert queries.service_levels()[north_west.pk] == 3
    assert queries.service_levels()[region("N07").pk] == 5
    with pytest.raises(StaleEdit):
        review.set_service_level(admin, north_west, 4, version=0)
    with pytest.raises(DomainError):
        review.set_service_level(admin, north_west, 0, version=1)
    with pytest.raises(PermissionDenied):
        review.set_service_level(make_user(Role.CAS3_ASSESSOR), north_west, 4)


def test_review_due_counts_working_days_over_easter():
    # Arrived Thursday 2 April 2026: Good Friday (3rd) and Easter Monday (6th) are bank holidays.
    arrived = dt.datetime(2026, 4, 2, 10, 0, tzinfo=dt.UTC)
    assert queries.review_due_on(arrived, 5) == dt.date(2026, 4, 13)
    # On the 13th it is due, not overdue; one arriving the day before (due on the 10th) is overdue.
    assert queries.earliest_on_time_arrival(5, dt.date(2026, 4, 13)) == dt.date(2026, 4, 2)
    # On the 14th, arrivals up to Easter Monday are overdue: the 7th's review is due on the 14th.
    assert queries.earliest_on_time_arrival(5, dt.date(2026, 4, 14)) == dt.date(2026, 4, 7)


def test_urgent_and_overdue_flags_and_counts_agree(submitted, hpt, monkeypatch):
    today = clock.today()
    level = queries.service_level_for(submitted.region)
    long_ago = clock.now() - dt.timedelta(days=30)
    overdue = copy_of(submitted, crn="X200007", submitted_at=long_ago)
    urgent = copy_of(submitted, crn="X100006", accommodation_required_from=today + dt.timedelta(days=7))
    later = copy_of(submitted, crn="X100007", accommodation_required_from=today + dt.timedelta(days=8))
    closed = copy_of(submitted, crn="X100011", submitted_at=long_ago, status=S.ARCHIVED)
    levels = queries.service_levels()
    assert queries.flags_for(overdue, levels).overdue and not queries.flags_for(submitted, levels).overdue
    assert not queries.flags_for(closed, levels).overdue
    assert queries.flags_for(urgent, levels).urgent and not queries.flags_for(later, levels).urgent
    assert queries.flags_for(urgent, levels).days_left == 7
    assert queries.flags_for(overdue, levels).service_level == level
    counts = queries.attention_counts(hpt)
    open_referrals = [submitted, overdue, urgent, later]
    assert counts["overdue"] == sum(queries.flags_for(r, levels).overdue for r in open_referrals) == 1
    assert counts["urgent"] == sum(queries.flags_for(r, levels).urgent for r in open_referrals)
    # A referral still in review after the service level is overdue too; accepting ends that.
    review.allocate(hpt, overdue.pk)
    assert queries.attention_counts(hpt)["overdue"] == 1
    review.accept(hpt, overdue.pk)
    assert queries.attention_counts(hpt)["overdue"] == 0


def test_a_shorter_service_level_makes_referrals_overdue_sooner(submitted, hpt):
    admin = make_user(Role.ADMIN, region_code="NA")
    arrived = clock.now() - dt.timedelta(days=4)
    referral = copy_of(submitted, crn="X200007", submitted_at=arrived)
    due_default = queries.flags_for(referral).review_due_on
    review.set_service_level(admin, referral.region, 1)
    flags = queries.flags_for(referral)
    assert flags.review_due_on < due_default and flags.service_level == 1
    assert flags.overdue == (clock.today() > flags.review_due_on)


# Duplicates -----------------------------------------------------------------------------------------------------


def test_duplicates_list_other_open_referrals_for_the_crn_in_any_region(submitted, hpt):
    elsewhere = copy_of(submitted, region=region("N07"), pdu=None)
    closed = copy_of(submitted, status=S.ARCHIVED)
    someone_else = copy_of(submitted, crn="X200007")
    matters = queries.duplicates(submitted)
    assert [m.pk for m in matters] == [elsewhere.pk]
    assert matters[0].region == "London" and matters[0].kind == "referral"
    assert closed.pk not in [m.pk for m in queries.duplicates(elsewhere)]
    assert queries.duplicates(someone_else) == []


def test_bookings_can_add_their_duplicates_in_one_place(submitted, monkeypatch):
    monkeypatch.setattr(queries, "OPEN_MATTER_SOURCES", list(queries.OPEN_MATTER_SOURCES))

    def bookings(referral):
        return [
            queries.OpenMatter(
                "booking", "Booking at 1 Sample Road", "London", "Confirmed", None, "b1", region("N07").pk
            )
        ]

    queries.register_open_matter_source(bookings)
    queries.register_open_matter_source(bookings)
    assert [m.kind for m in queries.duplicates(submitted)] == ["booking"]


def test_an_empty_queue_counts_nothing(db):
    counts = queries.attention_counts(make_user(Role.CAS3_ASSESSOR))
    assert counts == {"unallocated": 0, "in_review": 0, "ready_to_place": 0, "urgent": 0, "overdue": 0}
