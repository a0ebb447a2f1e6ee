"""The engine's repeating-list pages and task-level applicability, on a small form of their own:
a list added to and removed from one entry at a time (as a browser without JavaScript posts it,
and as the API sends it), and tasks that apply only to some applications."""

import datetime as dt

from django import forms

from cas.forms_engine import engine
from cas.forms_engine import forms as f
from cas.forms_engine.answers import Answers
from cas.forms_engine.definition import END, FormDefinition, Page, Section, Task
from cas.forms_engine.engine import TaskStatus

CTX = {"placeholders": {"name": "Alex"}, "today": dt.date(2026, 11, 23), "route": "short"}


class KindForm(f.PageForm):
    heading_field = "kind"
    kind = f.radios("Which kind?", [("short", "Short"), ("long", "Long")], error="Select the kind")


class OffenceForm(f.PageForm):
    title = f.text("Offence", error="Enter the offence")
    committed_on = f.date("Date of the offence", what="date of the offence")
    weapon = f.yes_no("Was a weapon involved?", error="Select yes if a weapon was involved")
    weapon_detail = f.text("Which weapon?", error="Enter the weapon")
    conditional_fields = {"weapon": {"yes": ("weapon_detail",)}}

    def clean_committed_on(self):
        value = self.cleaned_data["committed_on"]
        if value and value > self.today:
            raise forms.ValidationError("The date of the offence must be today or in the past")
        return value


class OffencesForm(f.ListPageForm):
    item_form = OffenceForm
    item_label = "Offence"
    list_label = "Offences"
    min_items = 1
    max_items = 3
    empty_error = "Add at least one offence"


class NotesForm(f.PageForm):
    heading_field = "notes"
    notes = f.textarea("Notes", error="Enter the notes")


class ConsentForm(f.PageForm):
    heading_field = "consent"
    consent = f.yes_no("Has consent been given?", error="Select yes if consent has been given")


def _is(route: str):
    return lambda answers, ctx: ctx["route"] == route


DEFINITION = FormDefinition(
    key="lists",
    version=1,
    title="Lists and applicability",
    sequential=False,
    sections=(
        Section(
            "main",
            "Main",
            (
                Task("consent", "Consent", (Page("consent", "Consent", ConsentForm),)),
                Task(
                    "offences",
                    "Offences",
                    (Page("offences", "Offences", OffencesForm, kind="list", next=END),),
                    depends_on=("consent",),
                ),
                Task(
                    "short-only",
                    "Short only",
                    (Page("notes", "Notes", NotesForm),),
                    depends_on=("consent",),
                    applies=_is("short"),
                ),
                Task(
                    "long-only",
                    "Long only",
                    (Page("notes", "Notes", NotesForm),),
                    depends_on=("consent",),
                    applies=_is("long"),
                ),
                Task(
                    "after-long",
                    "After the long-only task",
                    (Page("notes", "Notes", NotesForm),),
                    depends_on=("long-only",),
                ),
                Task(
                    "check",
                    "Check",
                    (Page("review", "Check", kind="review"),),
                    depends_on=("consent", "offences", "short-only", "long-only", "after-long"),
                ),
            ),
        ),
    ),
)

OFFENCE = {
    "title": "Theft",
    "committed_on-day": "3",
    "committed_on-month": "4",
    "committed_on-year": "2026",
    "weapon": "no",
}


def post(answers, task, page, data, ctx=CTX):
    """Bind the page's form to a browser post, as the app's save path does, and save it."""
    t = DEFINITION.task(task)
    p = t.page(page)
    form = p.form(data, context=ctx, answers=answers)
    if not form.is_valid():
        return answers, form
    new, _ = engine.save(DEFINITION, answers, t, p, form.values(), ctx)
    return new, form


def items(answers):
    return answers.value("offences", "offences", "items")


# Repeating lists ----------------------------------------------------------------------------------------


def test_entries_are_added_one_post_at_a_time_and_removed_by_index():
    a = Answers()
    a, form = post(a, "offences", "offences", {"action": "add", **OFFENCE})
    assert form.is_valid()
    assert items(a) == [{"title": "Theft", "committed_on": "2026-04-03", "weapon": "no"}]
    a, _ = post(
        a,
        "offences",
        "offences",
        {"action": "add", **OFFENCE, "title": "Burglary", "weapon": "yes", "weapon_detail": "Knife"},
    )
    assert [i["title"] for i in items(a)] == ["Theft", "Burglary"]
    assert items(a)[1]["weapon_detail"] == "Knife"
    a, _ = post(a, "offences", "offences", {"action": "remove", "index": "0"})
    assert [i["title"] for i in items(a)] == ["Burglary"]
    # Continuing keeps the list as it is.
    a, form = post(a, "offences", "offences", {})
    assert form.is_valid() and [i["title"] for i in items(a)] == ["Burglary"]


def test_an_entry_is_validated_by_the_item_form_and_nothing_is_saved_when_it_fails():
    a, _ = post(Answers(), "offences", "offences", {"action": "add", **OFFENCE})
    a2, form = post(a, "offences", "offences", {"action": "add", **OFFENCE, "title": "", "weapon": "yes"})
    assert not form.is_valid()
    assert form.errors["title"] == ["Enter the offence"]
    assert form.errors["weapon_detail"] == ["Enter the weapon"]
    assert a2 is a and len(items(a)) == 1
    _, form = post(a, "offences", "offences", {"action": "add", **OFFENCE, "committed_on-year": "2027"})
    assert form.errors["committed_on"] == ["The date of the offence must be today or in the past"]


def test_a_list_needs_its_minimum_and_refuses_more_than_its_maximum_and_a_bad_index():
    _, form = post(Answers(), "offences", "offences", {})
    assert form.non_field_errors() == ["Add at least one offence"]
    a = Answers()
    for title in ("One", "Two", "Three"):
        a, _ = post(a, "offences", "offences", {"action": "add", **OFFENCE, "title": title})
    _, form = post(a, "offences", "offences", {"action": "add", **OFFENCE, "title": "Four"})
    assert form.non_field_errors() == ["You can add up to 3 entries"]
    for index in ("3", "-1", "x", ""):
        _, form = post(a, "offences", "offences", {"action": "remove", "index": index})
        assert form.non_field_errors() == ["Select the offence to remove"]
    # Removing the last entry leaves a list that no longer passes: the task is not complete.
    a, _ = post(Answers(), "offences", "offences", {"action": "add", **OFFENCE})
    a, _ = post(a, "offences", "offences", {"action": "remove", "index": "0"})
    assert items(a) == []
    assert not engine.is_valid(DEFINITION.task("offences"), DEFINITION.task("offences").page("offences"), a, CTX)


def test_the_list_works_through_the_api_values_and_revalidates_stored_entries():
    task = DEFINITION.task("offences")
    page = task.page("offences")
    a, _ = post(Answers(), "offences", "offences", {"action": "add", **OFFENCE})
    added = engine.bind(page, CTX, a, {"action": "add", "title": "Fraud", "committed_on": "2026-01-02", "weapon": "no"})
    assert added.is_valid() and [i["title"] for i in added.values()["items"]] == ["Theft", "Fraud"]
    removed = engine.bind(page, CTX, a, {"action": "remove", "index": 0})
    assert removed.is_valid() and removed.values() == {"items": []}
    whole = engine.bind(page, CTX, a, {"items": [{"title": "Arson", "committed_on": "2026-02-01", "weapon": "no"}]})
    assert whole.is_valid() and whole.values()["items"][0]["title"] == "Arson"
    bad = engine.bind(page, CTX, a, {"items": [{"title": "", "committed_on": "2026-02-01", "weapon": "no"}]})
    assert bad.non_field_errors() == ["Offence 1: Enter the offence"]
    for malformed in ("Arson", ["Arson"], 3):
        assert engine.bind(page, CTX, a, {"items": malformed}).non_field_errors() == ["Add each offence again"]
    # A stored entry that no longer passes (its date is now in the future for an earlier "today")
    # stops the route there and is reported as a problem.
    earlier = {**CTX, "today": dt.date(2026, 4, 1)}
    assert engine.route(task, a, earlier).stopped_at == page
    found = [p for p in engine.problems(DEFINITION, a, earlier) if p.task == "offences"]
    assert "Offence 1: The date of the offence must be today or in the past" in found[0].message


def test_check_answers_and_the_document_show_each_entry():
    a, _ = post(Answers(), "offences", "offences", {"action": "add", **OFFENCE})
    a, _ = post(
        a,
        "offences",
        "offences",
        {"action": "add", **OFFENCE, "title": "Fraud", "weapon": "yes", "weapon_detail": "None really"},
    )
    task = next(t for s in engine.check_answers(DEFINITION, a, CTX) for t in s.tasks if t.slug == "offences")
    assert [(r.question, r.answer, r.page) for r in task.rows] == [
        ("Offence 1", "Offence: Theft\nDate of the offence: 3 April 2026\nWas a weapon involved?: No", "offences"),
        (
            "Offence 2",
            "Offence: Fraud\nDate of the offence: 3 April 2026\nWas a weapon involved?: Yes\nWhich weapon?: None really",
            "offences",
        ),
    ]
    questions = next(
        t["questions"]
        for s in engine.document(DEFINITION, a, CTX)["sections"]
        for t in s["tasks"]
        if t["title"] == "Offences"
    )
    assert questions[0] == {"question": "Offence 1", "answer": task.rows[0].answer}
    page = DEFINITION.task("offences").page("offences")
    form = engine.display_form(DEFINITION.task("offences"), page, CTX, a)
    assert [index for index, _ in form.entries()] == [0, 1]
    assert form.entries()[0][1][0] == ("title", "Offence", "Theft")
    assert list(form.fields) == ["title", "committed_on", "weapon", "weapon_detail"]
    empty = OffencesForm(context=CTX).summary_rows({"items": []})
    assert empty == [("items", "Offences", "None added")]


def test_a_list_page_needs_a_list_form():
    try:
        Task("t", "T", (Page("p", "P", NotesForm, kind="list"),))
    except TypeError as exc:
        assert "needs a ListPageForm" in str(exc)
    else:
        raise AssertionError("a list page with an ordinary form was accepted")


# Tasks that apply to some applications only -------------------------------------------------------------


def test_tasks_that_do_not_apply_show_as_such_and_hold_up_nothing():
    s = engine.task_statuses(DEFINITION, Answers(), CTX)
    assert s["long-only"] == TaskStatus.NOT_APPLICABLE and s["long-only"].label == "Does not apply"
    assert s["short-only"] == TaskStatus.CANNOT_START  # waits for consent
    # A task that depends only on a task that does not apply can start.
    assert s["after-long"] == TaskStatus.NOT_STARTED
    a, _ = post(Answers(), "consent", "consent", {"consent": "yes"})
    s = engine.task_statuses(DEFINITION, a, CTX)
    assert s["short-only"] == TaskStatus.NOT_STARTED and s["offences"] == TaskStatus.NOT_STARTED
    assert engine.blocking_tasks(DEFINITION, DEFINITION.task("check"), s) == [
        DEFINITION.task("offences"),
        DEFINITION.task("short-only"),
        DEFINITION.task("after-long"),
    ]


def test_pages_of_a_task_that_does_not_apply_cannot_be_opened_and_its_answers_are_pruned():
    long_only = DEFINITION.task("long-only")
    notes = long_only.page("notes")
    assert not engine.is_reachable(long_only, notes, Answers(), CTX)
    assert engine.resume_page(long_only, Answers(), CTX) is None
    long_ctx = {**CTX, "route": "long"}
    assert engine.is_reachable(long_only, notes, Answers(), long_ctx)
    a, _ = post(Answers(), "long-only", "notes", {"notes": "Long notes"}, ctx=long_ctx)
    assert a.value("long-only", "notes", "notes") == "Long notes"
    # The same answers seen for a short application: the long-only answers go at the next save.
    a, removed = engine.prune(DEFINITION, a, CTX)
    assert removed == [("long-only", "notes")] and "long-only" not in a.data


def test_a_complete_application_needs_nothing_from_tasks_that_do_not_apply():
    a = Answers()
    a, _ = post(a, "consent", "consent", {"consent": "yes"})
    a, _ = post(a, "offences", "offences", {"action": "add", **OFFENCE})
    a, _ = post(a, "short-only", "notes", {"notes": "Short notes"})
    a, _ = post(a, "after-long", "notes", {"notes": "After"})
    assert [p.task for p in engine.problems(DEFINITION, a, CTX)] == ["check"]
    a, _ = post(a, "check", "review", {})
    assert engine.problems(DEFINITION, a, CTX) == []
    statuses = engine.task_statuses(DEFINITION, a, CTX)
    assert statuses["long-only"] == TaskStatus.NOT_APPLICABLE
    assert all(v == TaskStatus.COMPLETED for k, v in statuses.items() if k != "long-only")
    titles = [t.title for s in engine.check_answers(DEFINITION, a, CTX) for t in s.tasks]
    assert "Long only" not in titles and "Short only" in titles
    document_titles = [t["title"] for s in engine.document(DEFINITION, a, CTX)["sections"] for t in s["tasks"]]
    assert document_titles == titles
    # For a long application the short-only task does not apply and the long-only one is missing.
    long_ctx = {**CTX, "route": "long"}
    assert [p.task for p in engine.problems(DEFINITION, a, long_ctx)] == ["long-only"]
