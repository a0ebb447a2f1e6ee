"""The CAS3 referral workflow, as data: the statuses the Homelessness Prevention Team (HPT) moves a
referral through, what each audience calls them, the actions between them and the two actions a
booking takes. The shared engine (`cas.referrals.lifecycle`) runs it; the HPT's review
(`cas3/review.py`) adds its notes, fields and emails around each action.
"""

from enum import StrEnum

from django.db import models

from cas.core.tiers import DRAFT, Workflow
from cas.core.tiers import Status as StatusInfo


class Status(models.TextChoices):
    DRAFT = DRAFT, "In progress"
    # Submitted and waiting in the destination region's queue for an assessor.
    UNALLOCATED = "unallocated", "Unallocated"
    IN_REVIEW = "in_review", "In review"
    READY_TO_PLACE = "ready_to_place", "Ready to place"
    ARCHIVED = "archived", "Archived"
    REJECTED = "rejected", "Rejected"


S = Status

# The statuses a submitted referral can be in (the referrer's "sent" list).
SUBMITTED_STATUSES = (S.UNALLOCATED, S.IN_REVIEW, S.READY_TO_PLACE, S.ARCHIVED)


class Action(StrEnum):
    ALLOCATE = "allocate"  # an assessor takes the referral: it is now in review
    REALLOCATE = "reallocate"  # a referral in review goes to another assessor: it stays in review
    UNALLOCATE = "unallocate"
    ACCEPT = "accept"  # ready to place
    REJECT = "reject"
    ARCHIVE = "archive"
    REOPEN = "reopen"
    BOOKING_CONFIRMED = "booking_confirmed"  # system: a confirmed booking closes the referral
    BOOKING_CANCELLED = "booking_cancelled"  # system: cancelling that booking puts it back to place


WORKFLOW = Workflow(
    statuses=(
        # code, label, what the referrer sees, its colour
        StatusInfo(S.DRAFT, S.DRAFT.label, "In progress", "blue"),
        StatusInfo(S.UNALLOCATED, S.UNALLOCATED.label, "Submitted", "purple"),
        StatusInfo(S.IN_REVIEW, S.IN_REVIEW.label, "In review", "orange"),
        StatusInfo(S.READY_TO_PLACE, S.READY_TO_PLACE.label, "Accepted", "green"),
        # The referrer's word is the HPT's: "Closed" beside the HPT's "Archived" read as two outcomes.
        # Once a booking is confirmed, the referrer's page says where and when (`referrals.placement`).
        StatusInfo(S.ARCHIVED, S.ARCHIVED.label, "Archived", "grey", closes=True),
        StatusInfo(S.REJECTED, S.REJECTED.label, "Rejected", "red"),
    ),
    submitted=S.UNALLOCATED,
    transitions={
        Action.ALLOCATE: {S.UNALLOCATED: S.IN_REVIEW, S.READY_TO_PLACE: S.IN_REVIEW},
        Action.REALLOCATE: {S.IN_REVIEW: S.IN_REVIEW},
        Action.UNALLOCATE: {S.IN_REVIEW: S.UNALLOCATED},
        Action.ACCEPT: {S.IN_REVIEW: S.READY_TO_PLACE},
        Action.REJECT: {S.UNALLOCATED: S.REJECTED, S.IN_REVIEW: S.REJECTED, S.READY_TO_PLACE: S.REJECTED},
        Action.ARCHIVE: {S.READY_TO_PLACE: S.ARCHIVED},
        Action.REOPEN: {S.ARCHIVED: S.READY_TO_PLACE, S.REJECTED: S.UNALLOCATED},
        Action.BOOKING_CONFIRMED: {S.READY_TO_PLACE: S.ARCHIVED},
        Action.BOOKING_CANCELLED: {S.ARCHIVED: S.READY_TO_PLACE},
    },
    action_labels={
        Action.ALLOCATE: "Allocate",
        Action.REALLOCATE: "Reallocate",
        Action.UNALLOCATE: "Return to unallocated",
        Action.ACCEPT: "Mark as ready to place",
        Action.REJECT: "Reject",
        Action.ARCHIVE: "Archive",
        Action.REOPEN: "Reopen",
        Action.BOOKING_CONFIRMED: "Booking confirmed",
        Action.BOOKING_CANCELLED: "Booking cancelled",
    },
    # What each action is called on the referral's timeline.
    timeline_titles={
        Action.ALLOCATE: "Allocated for review",
        Action.REALLOCATE: "Reallocated",
        Action.UNALLOCATE: "Returned to the unallocated queue",
        Action.ACCEPT: "Accepted: ready to place",
        Action.REJECT: "Rejected",
        Action.ARCHIVE: "Archived",
        Action.REOPEN: "Reopened",
        Action.BOOKING_CONFIRMED: "Booking confirmed: referral archived",
        Action.BOOKING_CANCELLED: "Booking cancelled: ready to place again",
    },
    system_actions=frozenset({Action.BOOKING_CONFIRMED, Action.BOOKING_CANCELLED}),
)
