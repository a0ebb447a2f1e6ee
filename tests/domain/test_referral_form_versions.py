"""A draft started on an older version of the CAS3 form is moved forward when it is next opened:
by the declared migration step, and anything it cannot carry over is listed for re-answering, on
the task list and in the API. Nothing changes silently."""

import dataclasses

import pytest
from django import forms
from django.urls import reverse

from cas.core.models import AuditEvent
from cas.core.roles import Role
from cas.forms_engine import registry
from cas.forms_engine.definition import Migration
from cas.forms_engine.engine import TaskStatus
from cas.referrals import services
from cas.referrals.cas3 import definition as cas3
from cas.referrals.cas3 import forms as pf
from tests.factories import make_user, pdu
from tests.referral_factories import complete, make_draft

pytestmark = pytest.mark.django_db


class SentenceTypeV2(pf.SentenceTypeForm):
    """Version 2 merges the two determinate sentence types under a new key."""

    sentence_type = forms.ChoiceField(
        label="Which of these best describes the sentence?",
        widget=forms.RadioSelect,
        choices=[("determinate", "Determinate sentence"), ("life", "Life sentence"), ("ipp", "IPP")],
        error_messages={"required": "Select the type of sentence"},
    )


def _replace_page(definition, task_slug, page_slug, **changes):
    sections = []
    for section in definition.sections:
        tasks = []
        for task in section.tasks:
            if task.slug == task_slug:
                pages = tuple(dataclasses.replace(p, **changes) if p.slug == page_slug else p for p in task.pages)
                task = dataclasses.replace(task, pages=pages)
            tasks.append(task)
        sections.append(dataclasses.replace(section, tasks=tuple(tasks)))
    return dataclasses.replace(definition, sections=tuple(sections))


def _map_sentence_types(data):
    page = (data.get("sentence-information") or {}).get("sentence-type")
    if page and page.get("sentence_type") in ("standard_determinate", "extended_determinate"):
        page["sentence_type"] = "determinate"
    return data


@pytest.fixture
def version_2(monkeypatch):
    v2 = _replace_page(cas3.DEFINITION, "sentence-information", "sentence-type", form=SentenceTypeV2)
    v2 = dataclasses.replace(
        v2,
        version=2,
        migrations=(
            Migration(
                1,
                2,
                "determinate sentence types merged; consent now covers sharing information",
                transform=_map_sentence_types,
                reanswer=(
                    ("consent", "consent-given", "We now also ask about sharing information with the provider."),
                ),
            ),
        ),
    )
    return lambda: monkeypatch.setitem(registry._DEFINITIONS, cas3.KEY, v2)


@pytest.fixture
def referrer():
    return make_user(Role.CAS3_REFERRER, username="pp.versions", pdu=pdu("N51LPLS"))


def test_draft_on_version_1_is_migrated_and_flagged(referrer, version_2, client):
    referral = complete(referrer, make_draft(referrer))  # saved on version 1
    assert referral.form_version == 1
    version_2()
    draft = services.open_draft(referrer, referral.pk)
    referral.refresh_from_db()
    assert referral.form_version == 2
    assert referral.answers["sentence-information"]["sentence-type"] == {"sentence_type": "determinate"}
    assert "consent-given" not in referral.answers.get("consent", {})
    assert referral.form_notices == [
        {
            "task": "consent",
            "page": "consent-given",
            "question": "Has Daniel Hughes agreed to this referral?",
            "reason": "We now also ask about sharing information with the provider.",
            "action": "reanswer",
        }
    ]
    statuses = draft.statuses()
    assert statuses["sentence-information"] == TaskStatus.COMPLETED
    assert statuses["consent"] == TaskStatus.NOT_STARTED
    assert statuses["check-your-answers"] == TaskStatus.CANNOT_START
    event = AuditEvent.objects.get(action="referral.form_upgraded")
    assert event.before == {"form_version": 1} and event.after["form_version"] == 2

    # The task list tells the referrer exactly what to answer again, with a link to it.
    client.force_login(referrer)
    page = client.get(reverse("web:referral-tasks", args=[referral.pk])).content.decode()
    assert "The referral form has changed since you started this referral" in page
    assert reverse("web:referral-page", args=[referral.pk, "consent", "consent-given"]) in page
    # Answering it again clears the notice.
    services.save_page(referrer, referral.pk, "consent", "consent-given", {"consent": "yes"}, from_json=True)
    referral.refresh_from_db()
    assert referral.form_notices == []


def test_undeclared_change_is_caught_and_flagged(referrer, monkeypatch):
    referral = complete(referrer, make_draft(referrer))
    v2 = _replace_page(cas3.DEFINITION, "sentence-information", "sentence-type", form=SentenceTypeV2)
    monkeypatch.setitem(registry._DEFINITIONS, cas3.KEY, dataclasses.replace(v2, version=2))
    # Back on version 1 when saved; now the definition changed with no migration step declared.
    draft = services.open_draft(referrer, referral.pk)
    (notice,) = draft.referral.form_notices
    assert notice["page"] == "sentence-type" and notice["action"] == "reanswer"
    assert "Select a valid choice" in notice["reason"] or "Select the type of sentence" in notice["reason"]
    assert draft.statuses()["sentence-information"] == TaskStatus.IN_PROGRESS
    with pytest.raises(services.SubmissionIncomplete) as exc:
        services.submit_referral(referrer, referral.pk, declaration=True)
    assert any("Which of these best describes the sentence?" in p.message for p in exc.value.problems)


def test_api_shows_the_notices(referrer, version_2, client):
    referral = complete(referrer, make_draft(referrer))
    version_2()
    client.force_login(referrer)
    data = client.get(reverse("api:referral", args=[referral.pk])).json()
    assert data["form"] == {"key": "cas3-referral", "version": 2}
    assert data["notices"][0]["page"] == "consent-given"
