"""Referrals for tests, made through the services (so they are valid and audited)."""

from cas.core import clock
from cas.core.tiers import Service
from cas.demo import referrals as demo
from cas.referrals import services


def make_draft(user, crn: str = "X100001"):
    """A CAS3 draft (named, for a user who refers in several tiers)."""
    person = services.find_person(user, crn, service=Service.CAS3).person
    return services.create_draft(user, crn, offence_id=person.index_offence.offence_id, service=Service.CAS3)


def complete(user, referral, **kwargs):
    """Answer every task of the CAS3 referral (placement in the referrer's own region)."""
    return demo.fill(user, referral, demo.complete_answers(today=clock.today(), **kwargs))


def make_submitted(user, crn: str = "X100001", **kwargs):
    referral = complete(user, make_draft(user, crn), **kwargs)
    return services.submit_referral(user, referral.pk, declaration=True).referral
