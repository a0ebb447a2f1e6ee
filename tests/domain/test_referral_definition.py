"""The shape of the CAS3 referral form: 5 sections, 17 tasks, 54 pages, each page's form usable."""

import pytest

from cas.core import clock
from cas.core.roles import Role
from cas.demo import referrals as demo
from cas.forms_engine import engine, registry
from cas.referrals import services
from cas.referrals.cas3 import definition as cas3
from tests.factories import make_user, pdu
from tests.referral_factories import make_draft

pytestmark = pytest.mark.django_db


def test_five_sections_seventeen_tasks_fifty_four_pages():
    definition = registry.get(cas3.KEY)
    assert definition is cas3.DEFINITION
    assert len(definition.sections) == 5
    assert len(list(definition.tasks())) == 17
    assert definition.page_count() == 54
    slugs = [(t.slug, p.slug) for t in definition.tasks() for p in t.pages]
    assert len(set(slugs)) == 54


def test_every_page_builds_and_has_a_question():
    user = make_user(Role.CAS3_REFERRER, pdu=pdu("N51LPLS"))
    draft = services.open_draft(user, make_draft(user).pk)
    for task in draft.definition.tasks():
        for page in task.pages:
            form = engine.build_form(page, draft.ctx, draft.answers)
            title = engine.page_title(page, draft.ctx, draft.answers)
            assert "{" not in title, (task.slug, page.slug, title)
            for field in form.fields.values():
                assert "{" not in str(field.label), (page.slug, field.label)
                if field.required:
                    assert field.error_messages["required"] != "This field is required.", (page.slug, field.label)


def test_a_duty_to_refer_not_made_is_told_not_blocked():
    user = make_user(Role.CAS3_REFERRER, pdu=pdu("N51LPLS"))
    referral = make_draft(user)
    answers = [
        (t, p, {"answer": "no"} if p == "dtr-submitted" else v)
        for t, p, v in demo.complete_answers(today=clock.today())
        if p != "dtr-details"
    ]
    demo.fill(user, referral, answers)
    draft = services.open_draft(user, referral.pk)
    rr = draft.definition.task("accommodation-referral-details")
    message = engine.consequence(rr, rr.page("dtr-submitted"), draft.answers, draft.ctx)
    assert message.startswith("You can still send this referral, but the HPT will see that no Duty to Refer")
    summary = {t.slug: t for s in engine.check_answers(draft.definition, draft.answers, draft.ctx) for t in s.tasks}
    assert summary[rr.slug].consequences == [message]
    assert all(not t.consequences for slug, t in summary.items() if slug != rr.slug)
    # Not a blocker: the referral is sent, and says the Duty to Refer was not made.
    services.submit_referral(user, referral.pk, declaration=True)
    referral.refresh_from_db()
    assert referral.status == "unallocated" and referral.is_duty_to_refer_submitted is False
