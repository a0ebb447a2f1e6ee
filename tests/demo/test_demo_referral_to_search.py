"""Issue 20's acceptance, on the demo data as `scripts/run` loads it, on any day: a referral for any
demo person with no open referral reaches "Referral sent" with no error the practitioner did not
cause, and once the Homelessness Prevention Team accepts it, the search pre-filled from it finds at
least one bedspace.

The practitioner keeps every value a page shows them (pre-filled from the case, risk and prison
systems) and types only what is left blank, with the typical answers of `cas.demo.referrals`. The
day moves the service's clock, which the synthetic people's dates follow (`cas.people.synthetic`):
on a fixed anchor their release dates went into the past and were refused on pages nobody typed on.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cas.accounts.models import User
from cas.core import clock
from cas.demo.referrals import DEMO_ASSESSOR, complete_answers
from cas.forms_engine import engine
from cas.people.synthetic.demo_people import (
    CASE_FAILS,
    DEMO_CRNS,
    EXCLUDED_DEMO_USER,
    PRISON_FAILS,
    RISK_FAILS,
    UNKNOWN_CRN,
)
from cas.referrals import services
from cas.referrals.cas3 import review
from cas.referrals.cas3.workflow import Status
from cas.referrals.models import Referral
from tests.web.test_web_fuzz import FormParser

pytestmark = pytest.mark.django_db

REFERRER = "demo.cas3.referrer"
CLOSED = (Status.ARCHIVED, Status.REJECTED)
# Not people a practitioner can refer: unknown, or an upstream system that always fails.
NOT_REFERABLE = {UNKNOWN_CRN, *CASE_FAILS, *RISK_FAILS, *PRISON_FAILS}


def _on(monkeypatch, day: dt.date) -> None:
    instant = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    monkeypatch.setattr(timezone, "now", lambda: instant)


def _shown(value) -> bool:
    return value not in (None, "", [], {})


def _refer(client, referrer: User, crn: str) -> Referral:
    """The practitioner's referral, page by page, keeping what each page shows them."""
    today = clock.today()
    person = services.find_person(referrer, crn).person
    referral = services.create_draft(referrer, crn, offence_id=(person.index_offence or person.offences[0]).offence_id)
    draft = services.open_draft(referrer, referral.pk)
    release = (draft.ctx.get("prison") or {}).get("release_date")
    release_in = (dt.date.fromisoformat(release) - today).days if release else 21
    typed = complete_answers(today=today, release_in_days=release_in if 0 <= release_in <= 84 else 21)
    for task_slug, page_slug, values in typed:
        draft = services.open_draft(referrer, referral.pk)
        task, page = draft.locate(task_slug, page_slug)
        if values is not None:
            shown = engine.current_values(task, page, draft.answers, draft.ctx)
            values = {**values, **{k: v for k, v in shown.items() if _shown(v)}}
        try:
            services.save_page(referrer, referral.pk, task_slug, page_slug, values, from_json=True)
        except services.PageInvalid as exc:
            # A question the page opens on what it shows (details of a risk the risk system records)
            # is answered by the practitioner: that is typing, not an error they did not cause.
            unanswered = {name for name in exc.errors if values is not None and not _shown(values.get(name))}
            if not unanswered or unanswered != set(exc.errors):
                pytest.fail(f"{crn}, {task_slug}/{page_slug} {values}: {exc.errors}")
            values = {**values, **dict.fromkeys(unanswered, "Described by the practitioner.")}
            services.save_page(referrer, referral.pk, task_slug, page_slug, values, from_json=True)
    submit = reverse("web:referral-submit", args=[referral.pk])
    page = client.post(submit, {"declaration": "on"}, follow=True)
    body = page.content.decode()
    assert "Referral sent" in body, f"{crn}: {body[body.find('govuk-error-summary') :][:1500]}"
    return Referral.objects.get(pk=referral.pk)


def _search_from(client, referral: Referral) -> int:
    """The bedspaces found by the search pre-filled from the referral, submitted as shown."""
    page = client.get(reverse("web:placement-search"), {"referral": str(referral.pk)})
    assert page.status_code == 200
    parser = FormParser()
    parser.feed(page.content.decode())
    form = next(f for f in parser.forms if f.method == "get" and "nights" in f.names)
    found = client.get(reverse("web:placement-search"), form.fields)
    results = found.context_data["results"]
    assert results is not None, found.context_data["form"].errors
    return results.bedspace_count


@pytest.mark.parametrize("days_from_today", [0, 75, 200])
def test_a_referral_for_any_demo_person_is_sent_and_finds_a_bedspace(client, settings, monkeypatch, days_from_today):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    day = dt.date.today() + dt.timedelta(days=days_from_today)
    _on(monkeypatch, day)
    call_command("load_demo_data", verbosity=0)
    referrer = User.objects.get(username=REFERRER)
    assessor = User.objects.get(username=DEMO_ASSESSOR)
    open_crns = set(Referral.objects.exclude(status__in=CLOSED).values_list("crn", flat=True))
    people = sorted(set(DEMO_CRNS) - NOT_REFERABLE - open_crns - {"X100008"})  # X100008: restricted
    if REFERRER == EXCLUDED_DEMO_USER:
        people.remove("X100009")
    assert len(people) >= 10, people
    searched = {}
    for crn in people:
        client.force_login(referrer)
        referral = _refer(client, referrer, crn)
        assert referral.status == Status.UNALLOCATED
        review.allocate(assessor, referral.pk)
        assert review.accept(assessor, referral.pk).status == Status.READY_TO_PLACE
        client.force_login(assessor)
        searched[crn] = _search_from(client, referral)
    assert all(searched.values()), {crn: n for crn, n in searched.items() if not n}
