"""The shape of the CAS3 referral form: 5 sections, 17 tasks, 54 pages, each page's form usable."""

import pytest

from cas.core.roles import Role
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
