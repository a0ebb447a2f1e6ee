"""The form engine on a small two-version definition: routes, status, saving, pruning, check your
answers, the frozen document, what blocks submission, and moving drafts between versions."""

import dataclasses

import pytest

from cas.forms_engine import engine
from cas.forms_engine.answers import Answers
from cas.forms_engine.engine import TaskStatus
from tests.forms_engine.sample import CTX, definition

V1 = definition(1)
V2 = definition(2)


def save(defn, answers, task, page, data):
    """Validate form data as a browser would post it and save it; returns the new answers."""
    t = defn.task(task)
    p = t.page(page)
    form = p.form(data, context=CTX, answers=answers)
    assert form.is_valid(), form.errors
    new, _ = engine.save(defn, answers, t, p, form.values(), CTX)
    return new


def complete_v1():
    a = Answers()
    a = save(V1, a, "household", "has-pets", {"has_pets": "yes"})
    a = save(V1, a, "household", "pet-details", {"pet_type": "other", "other": "Tortoise"})
    a = save(V1, a, "household", "housing", {"moved_in-day": "1", "moved_in-month": "6", "moved_in-year": "2025"})
    a = save(V1, a, "needs", "needs", {"needs": ["hearing"], "hearing_detail": "Uses a hearing aid"})
    a = save(V1, a, "contact", "email", {"email": "alex@example.gov.uk"})
    a = save(V1, a, "contact", "phone", {"phone": ""})
    a = save(V1, a, "consent", "consent", {"consent": "yes"})
    a = save(V1, a, "check", "review", {})
    return a


def test_route_follows_answers_and_next_previous():
    household = V1.task("household")
    a = Answers()
    assert engine.route(household, a, CTX).slugs() == ["has-pets"]
    a = save(V1, a, "household", "has-pets", {"has_pets": "no"})
    r = engine.route(household, a, CTX)
    assert r.slugs() == ["has-pets", "housing"] and r.stopped_at.slug == "housing"
    assert engine.previous_page(household, household.page("housing"), a, CTX).slug == "has-pets"
    assert engine.next_page(household, household.page("has-pets"), a, CTX).slug == "housing"
    assert not engine.is_reachable(household, household.page("pet-details"), a, CTX)
    a = save(V1, a, "household", "has-pets", {"has_pets": "yes"})
    assert engine.next_page(household, household.page("has-pets"), a, CTX).slug == "pet-details"
    assert engine.is_reachable(household, household.page("pet-details"), a, CTX)


def test_task_statuses_and_sequential_unlocking():
    a = Answers()
    s = engine.task_statuses(V1, a, CTX)
    assert s["household"] == TaskStatus.NOT_STARTED
    assert s["needs"] == TaskStatus.CANNOT_START  # waits for household
    assert s["consent"] == TaskStatus.NOT_STARTED  # declared with no dependencies
    assert s["check"] == TaskStatus.CANNOT_START
    a = save(V1, a, "household", "has-pets", {"has_pets": "no"})
    assert engine.task_statuses(V1, a, CTX)["household"] == TaskStatus.IN_PROGRESS
    a = save(V1, a, "household", "housing", {"moved_in-day": "1", "moved_in-month": "6", "moved_in-year": "2025"})
    s = engine.task_statuses(V1, a, CTX)
    assert s["household"] == TaskStatus.COMPLETED and s["needs"] == TaskStatus.NOT_STARTED
    assert engine.blocking_tasks(V1, V1.task("contact"), s) == [V1.task("needs")]
    assert all(v == TaskStatus.COMPLETED for v in engine.task_statuses(V1, complete_v1(), CTX).values())


def test_resume_goes_to_the_first_page_still_to_answer():
    a = save(V1, Answers(), "household", "has-pets", {"has_pets": "yes"})
    household = V1.task("household")
    assert engine.resume_page(household, a, CTX).slug == "pet-details"
    a = save(V1, a, "household", "pet-details", {"pet_type": "cat"})
    assert engine.resume_page(household, a, CTX).slug == "housing"
    # Previous answers are shown again when the page is opened.
    form = engine.display_form(household, household.page("pet-details"), CTX, a)
    assert not form.is_bound and form.initial == {"pet_type": "cat"}


def test_changing_an_earlier_answer_prunes_the_branch_no_longer_taken():
    a = complete_v1()
    assert a.page("household", "pet-details")
    a = save(V1, a, "household", "has-pets", {"has_pets": "no"})
    assert a.page("household", "pet-details") is None
    assert a.page("household", "housing")  # still on the route, kept
    # The confirmation of the check-your-answers page is withdrawn after a change.
    assert a.page("check", "review") is None
    assert engine.task_statuses(V1, a, CTX)["check"] == TaskStatus.NOT_STARTED


def test_branch_answers_are_kept_until_the_new_route_is_answered():
    a = save(V1, Answers(), "household", "has-pets", {"has_pets": "no"})
    a = save(V1, a, "household", "housing", {"moved_in-day": "1", "moved_in-month": "6", "moved_in-year": "2025"})
    a = save(V1, a, "household", "has-pets", {"has_pets": "yes"})
    # pet-details is now the next page to answer; housing is still ahead on the route.
    assert (
        a.page("household", "housing") and engine.route(V1.task("household"), a, CTX).stopped_at.slug == "pet-details"
    )


def test_conditional_details_required_only_behind_their_answer():
    task = V1.task("household")
    page = task.page("pet-details")
    form = page.form({"pet_type": "other", "other": ""}, context=CTX, answers=Answers())
    assert not form.is_valid() and form.errors["other"] == ["Enter the kind of pet"]
    form = page.form({"pet_type": "cat", "other": "left over"}, context=CTX, answers=Answers())
    assert form.is_valid() and form.values() == {"pet_type": "cat"}


def test_exclusive_none_option_and_per_choice_details():
    page = V1.task("needs").page("needs")
    form = page.form({"needs": ["hearing", "none"], "hearing_detail": "x"}, context=CTX, answers=Answers())
    assert not form.is_valid() and "on its own" in form.errors["needs"][0]
    form = page.form({"needs": ["hearing", "mobility"], "hearing_detail": "x"}, context=CTX, answers=Answers())
    assert not form.is_valid() and form.errors["mobility_detail"] == ["Describe their mobility needs"]
    form = page.form({"needs": []}, context=CTX, answers=Answers())
    assert not form.is_valid() and form.errors["needs"] == ["Select their needs, or ‘None of these’"]


def test_placeholders_fill_labels_and_errors():
    form = V1.task("household").page("has-pets").form({}, context=CTX, answers=Answers())
    assert form.fields["has_pets"].label == "Does Alex have pets?"
    assert not form.is_valid() and form.errors["has_pets"] == ["Select yes if Alex has pets"]
    assert engine.page_title(V1.task("household").page("has-pets"), CTX, Answers()) == "Does Alex have pets?"


def test_check_answers_and_document_follow_the_route():
    a = complete_v1()
    sections = engine.check_answers(V1, a, CTX)
    assert [s.title for s in sections] == ["About the person"]  # the review task has no rows
    household = sections[0].tasks[0]
    assert [(r.question, r.answer, r.page) for r in household.rows] == [
        ("Does Alex have pets?", "Yes", "has-pets"),
        ("What kind of pet?", "Other", "pet-details"),
        ("What other kind of pet?", "Tortoise", "pet-details"),
        ("When did they move in?", "1 June 2025", "housing"),
    ]
    doc = engine.document(V1, a, CTX)
    assert doc["form"] == "sample" and doc["version"] == 1
    assert doc["sections"][0]["tasks"][1]["questions"] == [
        {"question": "Which needs?", "answer": "Hearing"},
        {"question": "Hearing needs", "answer": "Uses a hearing aid"},
    ]
    phone = doc["sections"][0]["tasks"][2]["questions"][1]
    assert phone == {"question": "Phone number", "answer": "None given"}


def test_problems_list_what_blocks_submission():
    a = save(V1, Answers(), "household", "has-pets", {"has_pets": "no"})
    a = save(V1, a, "consent", "consent", {"consent": "no"})
    messages = [p.message for p in engine.problems(V1, a, CTX)]
    assert messages == [
        "Household: not finished",
        "Needs: not started",
        "Contact: not started",
        "Consent: consent must be given before you submit",
        "Check your answers: check and confirm your answers",
    ]
    assert engine.task_statuses(V1, a, CTX)["consent"] == TaskStatus.IN_PROGRESS
    assert engine.problems(V1, complete_v1(), CTX) == []


def test_stored_answers_that_no_longer_pass_are_reported():
    later = {**CTX, "today": CTX["today"].replace(year=2024)}  # the moving-in date is now "in the future"
    a = complete_v1()
    assert engine.task_statuses(V1, a, later)["household"] == TaskStatus.IN_PROGRESS
    (problem,) = [p for p in engine.problems(V1, a, later) if p.task == "household"]
    assert "When did they move in?" in problem.message and "today or in the past" in problem.message
    form = engine.display_form(V1.task("household"), V1.task("household").page("housing"), later, a)
    assert form.is_bound and form.errors


def test_values_from_json_use_the_same_rules():
    page = V1.task("household").page("housing")
    assert engine.bind(page, CTX, Answers(), {"moved_in": "2025-06-01"}).is_valid()
    bad = engine.bind(page, CTX, Answers(), {"moved_in": "2025-02-30"})
    assert not bad.is_valid() and bad.errors["moved_in"] == ["The date they moved in must be a real date"]
    assert not engine.bind(page, CTX, Answers(), {"moved_in": "next week"}).is_valid()


def test_upgrade_runs_declared_migration_and_flags_what_to_reanswer():
    a = complete_v1()
    result = engine.upgrade(V2, a, 1, CTX)
    assert result.version == 2
    # "other" is not a species any more: kept (the page shows it with its error) and flagged.
    assert result.answers.page("household", "pet-details") == {"species": "other"}
    assert result.answers.page("household", "housing") is None
    assert result.answers.page("contact", "phone") is None
    assert result.answers.page("check", "review") is None
    notices = {(n.task, n.page, n.action): n for n in result.notices}
    assert notices[("household", "housing", "reanswer")].reason == "We now ask for the date the tenancy started."
    assert ("contact", "phone", "removed") in notices
    assert notices[("household", "pet-details", "reanswer")].question == "Pet details"
    assert result.steps[0].startswith("v1 to v2")
    s = engine.task_statuses(V2, result.answers, CTX)
    assert s["household"] == TaskStatus.IN_PROGRESS and s["contact"] == TaskStatus.COMPLETED


def test_upgrade_carries_valid_answers_over():
    a = save(V1, Answers(), "household", "has-pets", {"has_pets": "yes"})
    a = save(V1, a, "household", "pet-details", {"pet_type": "dog"})
    result = engine.upgrade(V2, a, 1, CTX)
    assert result.answers.page("household", "pet-details") == {"species": "dog"}
    assert result.notices == []


def test_upgrade_without_a_declared_step_checks_every_answer():
    undeclared = dataclasses.replace(V2, migrations=())
    a = complete_v1()
    result = engine.upgrade(undeclared, a, 1, CTX)
    flagged = {(n.task, n.page, n.action) for n in result.notices}
    assert ("household", "pet-details", "reanswer") in flagged  # pet_type is not a field any more
    assert ("contact", "phone", "removed") in flagged
    assert "no declared step" in result.steps[0]


def test_upgrade_refuses_answers_from_a_newer_version():
    with pytest.raises(engine.FormVersionError):
        engine.upgrade(V1, Answers(), 2, CTX)


def test_same_version_is_untouched():
    a = complete_v1()
    result = engine.upgrade(V1, a, 1, CTX)
    assert result.answers.data == a.data and result.notices == []
