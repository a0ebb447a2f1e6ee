"""Sharing: a person the referral says is not suitable to share accommodation, and shared properties.

The referral's answer ("Is the person suitable to share accommodation with others?") is a judgement
for the assessor, not a hard rule of the estate: a shared property can still be the right (or only)
place. So a search pre-filled from such a referral looks for single occupancy, the results mark every
shared property, the booking check page warns, and booking such a person into a shared property needs
the assessor to say they have considered it (`NotSuitableToShare` until they do). A booking made
without a referral has no answer to go on, so nothing is asked.
"""

from __future__ import annotations

from cas.core.errors import DomainError

# The characteristic of a shared property, by its stable `property_name` (display names are data).
SHARED_PROPERTY = "isSharedProperty"


class NotSuitableToShare(DomainError):
    """The person is not suitable to share and the property is shared: acknowledge it first."""

    def __init__(self, person_name: str):
        super().__init__(
            f"The referral says {person_name} is not suitable to share accommodation, and this is a shared "
            "property. Confirm you have considered this, or choose a single occupancy bedspace",
            field="sharing_acknowledged",
            code="not_suitable_to_share",
        )


def is_shared(premises) -> bool:
    """Is the property a shared property? (Reads its characteristics: one query unless prefetched.)"""
    return any(c.property_name == SHARED_PROPERTY for c in premises.characteristics.all())


def not_suitable_to_share(referral) -> bool:
    """Does the referral say the person is not suitable to share? (Unanswered is not a no.)"""
    return referral is not None and referral.is_able_to_share is False


def needs_acknowledgement(referral, premises) -> bool:
    return not_suitable_to_share(referral) and is_shared(premises)


def check_sharing(referral, premises, *, acknowledged: bool) -> None:
    if needs_acknowledgement(referral, premises) and not acknowledged:
        raise NotSuitableToShare(referral.person_name)
