"""The tiers of the Community Accommodation Service, and the profile each one declares.

Every record that belongs to a tier carries its code (`service`), so a person's journey across tiers
stays in one data model instead of three copied code paths. Shared code never names a tier: it asks
the profile of the record in hand (`tiers.get(referral.service)`) for its referral form and context,
how a submission is routed, its referral workflow, its booking rules, its event and email names, the
URLs of its pages and what a booking does to its referral. A tier is a package of declarations that
registers its profile from its app's `ready()` (CAS3: `cas/referrals/cas3/tier.py`);
`docs/adding-a-tier.md` says what a new tier declares.

This module is in `core`, the lowest layer, so a profile holds plain data and callables: the tier's
package, higher up, fills them in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import models
from django.urls import reverse


class Service(models.TextChoices):
    CAS1 = "cas1", "CAS1: Approved Premises"
    CAS2 = "cas2", "CAS2: bail and Home Detention Curfew accommodation"
    CAS3 = "cas3", "CAS3: transitional accommodation"


SERVICE_CODES = tuple(Service.values)

# The status every tier's referral starts in, before it is submitted.
DRAFT = "draft"


@dataclass(frozen=True)
class Status:
    """One status of a referral workflow and what each audience calls it."""

    code: str
    label: str  # what assessors, reports and the API call it
    referrer_label: str  # what the person who made the referral sees on their lists
    colour: str  # the GOV.UK tag colour of the referrer's label
    # True for a status that closes the referral: entering it sets `closed_at`, leaving it clears it.
    closes: bool = False


@dataclass(frozen=True)
class Workflow:
    """A referral workflow after submission, as data: the engine (`cas.referrals.lifecycle`) runs any
    tier's table, so the pages, the API and the booking rules ask one place what is allowed."""

    statuses: tuple[Status, ...]
    submitted: str  # the status a referral enters when it is submitted
    transitions: Mapping[str, Mapping[str, str]]  # action -> {from status: to status}
    action_labels: Mapping[str, str]
    # What each action is called on the referral's timeline (its label when not given).
    timeline_titles: Mapping[str, str] = field(default_factory=dict)
    # Actions the service takes itself (a booking confirmed or cancelled), never offered to a user.
    system_actions: frozenset[str] = frozenset()
    # The permission a user needs to take each action (the tier's assessing permission by default).
    action_permissions: Mapping[str, str] = field(default_factory=dict)
    # The details an action may carry (code, label): why an offer was declined, which sections need
    # more information. An action listed in `details_required` needs at least one.
    action_details: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    details_required: frozenset[str] = frozenset()

    def status(self, code: str) -> Status:
        for status in self.statuses:
            if status.code == code:
                return status
        raise KeyError(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.statuses)

    def allowed_actions(self, status: str, *, include_system: bool = False) -> list[str]:
        return [
            action
            for action, moves in self.transitions.items()
            if status in moves and (include_system or action not in self.system_actions)
        ]

    def next_status(self, status: str, action: str) -> str | None:
        return self.transitions.get(action, {}).get(status)

    def action_to(self, status: str, to: str, *, include_system: bool = False) -> str | None:
        """The action that moves a referral from `status` to `to`, or None when no action does: a
        workflow chosen by its next status (the provider's "what is the latest status?")."""
        for action in self.allowed_actions(status, include_system=include_system):
            if self.next_status(status, action) == to:
                return action
        return None

    def label(self, code: str) -> str:
        try:
            return self.status(code).label
        except KeyError:
            return code

    def timeline_title(self, action: str) -> str:
        return self.timeline_titles.get(action) or self.action_labels.get(action, action)


@dataclass(frozen=True)
class BookingRules:
    """What a tier allows of a booking: how long a stay may be booked for before an overstay must be
    decided, and which reference lists' entries (tagged with the tier's code) give the reasons."""

    max_nights: int | None  # None: no limit
    # The reference lists whose entries a booking's steps choose from (each filtered by the tier's code).
    reason_lists: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tier:
    service: str  # the code stored on every record of the tier
    name: str  # how people call it on pages ("CAS3")
    description: str
    # The roles that belong to the tier. A role in no tier (reporters, statisticians, administrators)
    # works across every tier.
    roles: frozenset[str]
    # Permissions the tier's roles hold: permission value -> roles. Object checks and list scoping
    # then limit each holder to the records of their own tier.
    grants: Mapping[str, frozenset[str]]
    # The referral: its form (a key in the form engine's registry), the context its pages see, and
    # where a submission goes (the owning region's code, from the submitted answers and the referrer).
    form_key: str
    form_context: Callable
    route: Callable
    workflow: Workflow
    booking: BookingRules
    # Domain events are named "<event_namespace>.<event>" ("accommodation.cas3.booking.confirmed").
    event_namespace: str
    # Emails by purpose ("referral_submitted") -> the template key in the email registry.
    emails: Mapping[str, str]
    # The tier's pages by purpose ("booking", "referral_for_referrer") -> URL name, so domain code links
    # to a page without naming the web layer's routes.
    pages: Mapping[str, str]
    # What a booking does to its referral: booking event ("confirmed", "cancelled") -> workflow action.
    booking_effects: Mapping[str, str] = field(default_factory=dict)
    # The permission a user needs to make a referral of this tier, and to assess one.
    make_permission: str = "referral.make"
    assess_permission: str = "referral.assess"
    # Who assesses the tier's referrals, as timelines and emails name them.
    assessing_team: str = "the assessing team"
    # How a referral's timeline calls the referrer and the assessing team ("the probation
    # practitioner", "the HPT" for CAS3).
    referrer_title: str = "the referrer"
    team_title: str = "the assessing team"
    # Whether the referrer picks the person's index offence when the draft is made (CAS3); a tier
    # whose form asks for the offences itself (CAS2) takes the index offence when there is one.
    chooses_index_offence: bool = True
    # What the tier does once a referral is submitted, in the submission's transaction, after the
    # receipt: `after_submission(referral, user)` (CAS2: the provider's inbox, the first prison
    # assignment, the domain event).
    after_submission: Callable | None = None
    # Where a referrer's note goes when no assessor has the referral: `inbox(referral) -> email`
    # (CAS2: the provider's shared inbox for the route); by default the region's shared mailbox.
    inbox: Callable | None = None
    # Whether a draft starts by a route (`Referral.route`, given in `create_draft`'s `extra` by the
    # tier's own start: CAS2's `applications.start_application`), so a bare CRN is refused.
    starts_by_route: bool = False
    # Who, besides the person who made it, may act as a submitted referral's referrer (add notes):
    # `shares_referral(user, referral) -> bool` (CAS2: prison staff of the prison the person is in).
    shares_referral: Callable | None = None

    def email(self, purpose: str) -> str:
        return self.emails[purpose]

    def event(self, name: str) -> str:
        return f"{self.event_namespace}.{name}"

    def page_path(self, purpose: str, *args) -> str:
        return reverse(self.pages[purpose], args=args)


class UnknownTier(LookupError):
    pass


_REGISTRY: dict[str, Tier] = {}


def register(tier: Tier) -> Tier:
    """Add a tier's profile (from its app's `ready()`, or from the test suite for the test tier)."""
    _REGISTRY[tier.service] = tier
    return tier


def unregister(service: str) -> None:
    """Remove a profile: only the test suite does this, after its test-only tier."""
    _REGISTRY.pop(service, None)


def get(service: str) -> Tier:
    """The profile of a record's tier. A record of a tier nobody registered is a programming error,
    so it fails loudly instead of falling back to another tier's rules."""
    try:
        return _REGISTRY[service]
    except KeyError:
        raise UnknownTier(f"No tier is registered for service {service!r}") from None


def registered() -> list[Tier]:
    return list(_REGISTRY.values())


def service_of_role(role: str) -> str | None:
    """The tier a role belongs to, or None for a role that works across tiers."""
    for tier in _REGISTRY.values():
        if role in tier.roles:
            return tier.service
    return None


def grants(permission: str) -> frozenset[str]:
    """Every role a registered tier gives `permission` to."""
    roles: set[str] = set()
    for tier in _REGISTRY.values():
        roles |= tier.grants.get(permission, frozenset())
    return frozenset(roles)
