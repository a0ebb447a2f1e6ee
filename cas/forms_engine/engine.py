"""The form engine: routes, task status, saving, pruning, check your answers, the frozen document
and version upgrades, for any `FormDefinition`. Pure functions of (definition, answers, context);
storage and permissions belong to the app that uses the engine."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from enum import StrEnum

from cas.forms_engine.answers import Answers
from cas.forms_engine.definition import FormDefinition, Page, Task
from cas.forms_engine.forms import PageForm, fill
from cas.forms_engine.values import to_form_data, to_initial


class FormVersionError(Exception):
    pass


class TaskStatus(StrEnum):
    CANNOT_START = "cannot_start"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    # The task's `applies` is false for this application: shown, never started, never blocking.
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return {
            "cannot_start": "Cannot start yet",
            "not_started": "Not yet started",
            "in_progress": "In progress",
            "completed": "Completed",
            "not_applicable": "Does not apply",
        }[self.value]


# A task that does not apply holds up nothing that depends on it.
SATISFIED = frozenset({TaskStatus.COMPLETED, TaskStatus.NOT_APPLICABLE})


# Building forms ---------------------------------------------------------------------------------------


def build_form(page: Page, ctx: dict, answers: Answers, data=None, initial=None) -> PageForm:
    return page.form(data, context=ctx, answers=answers, initial=initial)


def page_title(page: Page, ctx: dict, answers: Answers) -> str:
    form = build_form(page, ctx, answers)
    return fill(page.title, {**ctx.get("placeholders", {}), **form.placeholders()})


def stored_values(task: Task, page: Page, answers: Answers) -> dict | None:
    return answers.page(task.slug, page.stores_in or page.slug)


def current_values(task: Task, page: Page, answers: Answers, ctx: dict) -> dict:
    """What the page shows: the stored answer, or the pre-filled values when there is none yet."""
    owner = task.page(page.stores_in) if page.stores_in else page
    values = answers.page(task.slug, owner.slug)
    if values is None and owner.prefill is not None:
        values = owner.prefill(ctx, answers)
    return dict(values or {})


def bind(page: Page, ctx: dict, answers: Answers, values: dict) -> PageForm:
    """The page's form bound to stored or API values, ready to validate.

    A list page's values are either its stored answer (`items`: the whole list, checked as it
    stands) or an API request to add an entry (`action`, the entry's fields) or remove one (`action`,
    `index`) from the stored list."""
    unbound = build_form(page, ctx, answers)
    data = to_form_data(unbound, values)
    if page.kind == "list":
        for name in ("action", "index"):
            if values.get(name) is not None:
                data[name] = str(values[name])
        return page.form(data, context=ctx, answers=answers, items=values.get("items"))
    return build_form(page, ctx, answers, data=data)


def display_form(task: Task, page: Page, ctx: dict, answers: Answers) -> PageForm:
    """The form to show on a GET: unbound with the current values, or bound (showing its errors)
    when a stored answer no longer passes the page's rules."""
    values = current_values(task, page, answers, ctx)
    stored = stored_values(task, page, answers)
    if stored is not None and page.kind == "question" and page.stores_in is None:
        bound = bind(page, ctx, answers, stored)
        if not bound.is_valid():
            return bound
    unbound = build_form(page, ctx, answers)
    return build_form(page, ctx, answers, initial=to_initial(unbound, values))


def confirm_problems(task: Task, page: Page, answers: Answers, ctx: dict) -> dict[str, str]:
    """What stops a "confirm" page's values being confirmed as they stand (a detail missing from the
    user's account, an email the rules refuse): field name -> the message saying what to do, so the
    page can say it beside the value before the user presses the button rather than after."""
    form = bind(page, ctx, answers, current_values(task, page, answers, ctx))
    if form.is_valid():
        return {}
    return {name: str(errors[0]) for name, errors in form.errors.items() if name in form.fields and errors}


def is_valid(task: Task, page: Page, answers: Answers, ctx: dict) -> bool:
    values = answers.page(task.slug, page.slug)
    if values is None:
        return False
    return bind(page, ctx, answers, values).is_valid()


# Routes and status ---------------------------------------------------------------------------------


@dataclass
class Route:
    pages: list[Page]
    # The first page on the route that needs an answer (none yet, or one that no longer passes).
    stopped_at: Page | None
    blockers: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.stopped_at is None and not self.blockers

    def slugs(self) -> list[str]:
        return [p.slug for p in self.pages]


def route(task: Task, answers: Answers, ctx: dict) -> Route:
    """Follow the task's pages from the first, through each answer, as far as the answers go.
    A task that does not apply has no pages on its route."""
    pages: list[Page] = []
    blockers: list[str] = []
    if not task.applies_to(answers, ctx):
        return Route(pages, None, blockers)
    page = task.first_page(answers, ctx)
    while page is not None:
        if page in pages:
            raise ValueError(f"Task {task.slug} loops back to {page.slug}")
        pages.append(page)
        values = answers.page(task.slug, page.slug)
        if page.blocker is not None:
            message = page.blocker(values, answers, ctx)
            if message:
                blockers.append(message)
        if values is None or not is_valid(task, page, answers, ctx):
            return Route(pages, page, blockers)
        slug = page.resolve_next(task, answers, ctx)
        page = task.page(slug) if slug else None
    return Route(pages, None, blockers)


def task_statuses(definition: FormDefinition, answers: Answers, ctx: dict) -> dict[str, TaskStatus]:
    statuses: dict[str, TaskStatus] = {}
    for task in definition.tasks():
        if not task.applies_to(answers, ctx):
            statuses[task.slug] = TaskStatus.NOT_APPLICABLE
            continue
        r = route(task, answers, ctx)
        if r.complete:
            statuses[task.slug] = TaskStatus.COMPLETED
        elif answers.data.get(task.slug):
            statuses[task.slug] = TaskStatus.IN_PROGRESS
        else:
            statuses[task.slug] = TaskStatus.NOT_STARTED
    for task in definition.tasks():
        dependencies = definition.dependencies(task)
        if statuses[task.slug] == TaskStatus.NOT_STARTED and any(statuses[d] not in SATISFIED for d in dependencies):
            statuses[task.slug] = TaskStatus.CANNOT_START
    return statuses


def blocking_tasks(definition: FormDefinition, task: Task, statuses: dict[str, TaskStatus]) -> list[Task]:
    """The tasks to complete before `task` can start."""
    return [definition.task(d) for d in definition.dependencies(task) if statuses[d] not in SATISFIED]


def is_reachable(task: Task, page: Page, answers: Answers, ctx: dict) -> bool:
    """A page can be opened when it is on the task's route as far as it goes (including the next
    page to answer); a sub-page when the page it belongs to can. No page of a task that does not
    apply can be opened (its route is empty)."""
    if page.stores_in:
        return is_reachable(task, task.page(page.stores_in), answers, ctx)
    return page in route(task, answers, ctx).pages


def resume_page(task: Task, answers: Answers, ctx: dict) -> Page | None:
    """Where to carry on with a task: the first page needing an answer, else its first page."""
    r = route(task, answers, ctx)
    return r.stopped_at or (r.pages[0] if r.pages else None)


def next_page(task: Task, page: Page, answers: Answers, ctx: dict) -> Page | None:
    if page.stores_in:
        return task.page(page.stores_in)
    slug = page.resolve_next(task, answers, ctx)
    return task.page(slug) if slug else None


def previous_page(task: Task, page: Page, answers: Answers, ctx: dict) -> Page | None:
    if page.stores_in:
        return task.page(page.stores_in)
    pages = route(task, answers, ctx).pages
    if page in pages:
        index = pages.index(page)
        return pages[index - 1] if index else None
    return None


# Saving and pruning ------------------------------------------------------------------------------


def save(definition: FormDefinition, answers: Answers, task: Task, page: Page, values: dict, ctx: dict):
    """New answers with `values` saved for `page`, answers that no longer apply removed, and any
    confirmation of the check-your-answers page withdrawn when an answer changed.
    Returns (answers, removed pages as (task, page) pairs)."""
    data = copy.deepcopy(answers.data)
    target = page.stores_in or page.slug
    if page.stores_in:
        values = {**current_values(task, page, answers, ctx), **values}
    before = (data.get(task.slug) or {}).get(target)
    data.setdefault(task.slug, {})[target] = values
    if before != values and page.kind != "review":
        for other in definition.tasks():
            for candidate in other.pages:
                if candidate.kind == "review":
                    (data.get(other.slug) or {}).pop(candidate.slug, None)
    return prune(definition, Answers(data), ctx)


def prune(definition: FormDefinition, answers: Answers, ctx: dict) -> tuple[Answers, list[tuple[str, str]]]:
    """Remove answers to pages that are no longer on their task's route: pages that no longer
    apply, every page of a task that no longer applies, and, once a task's route is fully
    answered, pages on branches it no longer takes."""
    data = copy.deepcopy(answers.data)
    removed: list[tuple[str, str]] = []
    changed = True
    while changed:
        changed = False
        current = Answers(data)
        for task in definition.tasks():
            stored = data.get(task.slug) or {}
            if not stored:
                continue
            r = route(task, current, ctx)
            on_route = set(r.slugs())
            for slug in list(stored):
                if not task.has_page(slug):
                    continue
                page = task.page(slug)
                off_route = r.stopped_at is None and slug not in on_route
                if (page.applies is not None and not page.applies(current, ctx)) or off_route:
                    del stored[slug]
                    removed.append((task.slug, slug))
                    changed = True
            if not stored:
                data.pop(task.slug, None)
            if changed:
                break
    return Answers(data), removed


# Check your answers and the frozen document -------------------------------------------------------


@dataclass
class Row:
    question: str
    answer: str
    task: str
    page: str
    field: str = ""
    # Imported, read-only answers have no change link.
    changeable: bool = True


@dataclass
class TaskSummary:
    slug: str
    title: str
    status: TaskStatus
    rows: list[Row]
    # What the answers mean for the application (`Page.consequence`), in the route's order.
    consequences: list[str] = field(default_factory=list)


@dataclass
class SectionSummary:
    slug: str
    title: str
    tasks: list[TaskSummary]


def page_rows(task: Task, page: Page, answers: Answers, ctx: dict) -> list[Row]:
    values = answers.page(task.slug, page.slug)
    if page.kind == "review":
        return []
    form = build_form(page, ctx, answers)
    title = fill(page.title, {**ctx.get("placeholders", {}), **form.placeholders()})
    rows: list[Row] = []
    if page.summary is not None:
        for question, answer in page.summary(values, answers, ctx):
            rows.append(Row(question, answer, task.slug, page.slug, changeable=False))
        return rows
    if values is None:
        return rows
    for name, label, display in form.summary_rows(values):
        question = title if name == form.heading_field else label
        change = page.change_pages.get(name, page.slug)
        rows.append(Row(question, display, task.slug, change, name))
    return rows


def consequence(task: Task, page: Page, answers: Answers, ctx: dict) -> str | None:
    """What the page's stored answer means for the application (`Page.consequence`), if anything."""
    values = stored_values(task, page, answers)
    if page.consequence is None or values is None:
        return None
    return page.consequence(values, answers, ctx)


def check_answers(definition: FormDefinition, answers: Answers, ctx: dict) -> list[SectionSummary]:
    statuses = task_statuses(definition, answers, ctx)
    sections = []
    for section in definition.sections:
        tasks = []
        for task in section.tasks:
            if all(p.kind == "review" for p in task.pages) or statuses[task.slug] == TaskStatus.NOT_APPLICABLE:
                continue
            rows, consequences = [], []
            for page in route(task, answers, ctx).pages:
                rows.extend(page_rows(task, page, answers, ctx))
                message = consequence(task, page, answers, ctx)
                if message:
                    consequences.append(message)
            tasks.append(TaskSummary(task.slug, task.title, statuses[task.slug], rows, consequences))
        if tasks:
            sections.append(SectionSummary(section.slug, section.title, tasks))
    return sections


def document(definition: FormDefinition, answers: Answers, ctx: dict) -> dict:
    """The questions and answers exactly as the check-your-answers page shows them, as JSON, to be
    stored at submission and shown from then on (it never changes with later form versions)."""
    return {
        "form": definition.key,
        "version": definition.version,
        "title": definition.title,
        "sections": [
            {
                "title": section.title,
                "tasks": [
                    {
                        "title": task.title,
                        "questions": [{"question": r.question, "answer": r.answer} for r in task.rows],
                    }
                    for task in section.tasks
                ],
            }
            for section in check_answers(definition, answers, ctx)
        ],
    }


# What stops submission -------------------------------------------------------------------------------


@dataclass
class Problem:
    task: str
    page: str | None
    message: str


def problems(definition: FormDefinition, answers: Answers, ctx: dict) -> list[Problem]:
    """Everything that must be done before the form can be submitted, in the task list's order."""
    found: list[Problem] = []
    statuses = task_statuses(definition, answers, ctx)
    for task in definition.tasks():
        r = route(task, answers, ctx)
        # A task that does not apply has an empty, complete route.
        if r.complete:
            continue
        for message in r.blockers:
            found.append(Problem(task.slug, r.stopped_at.slug if r.stopped_at else None, f"{task.title}: {message}"))
        if r.stopped_at is None:
            continue
        page = r.stopped_at
        values = answers.page(task.slug, page.slug)
        if values is not None:
            form = bind(page, ctx, answers, values)
            form.is_valid()
            error = next(iter(e for errors in form.errors.values() for e in errors), "")
            title = page_title(page, ctx, answers)
            found.append(Problem(task.slug, page.slug, f"{task.title}: change your answer to ‘{title}’. {error}"))
        elif not r.blockers:
            state = (
                "not started"
                if statuses[task.slug] in (TaskStatus.NOT_STARTED, TaskStatus.CANNOT_START)
                else "not finished"
            )
            if page.kind == "review":
                found.append(Problem(task.slug, page.slug, f"{task.title}: check and confirm your answers"))
            else:
                found.append(Problem(task.slug, page.slug, f"{task.title}: {state}"))
    return found


# Versions ------------------------------------------------------------------------------------------


@dataclass
class Notice:
    """A page the referrer must look at again after the form changed."""

    task: str
    page: str
    question: str
    reason: str
    action: str = "reanswer"  # or "removed": the question is no longer asked, nothing to do

    def as_dict(self) -> dict:
        return {
            "task": self.task,
            "page": self.page,
            "question": self.question,
            "reason": self.reason,
            "action": self.action,
        }


@dataclass
class Upgrade:
    answers: Answers
    version: int
    notices: list[Notice]
    steps: list[str]


def upgrade(definition: FormDefinition, answers: Answers, version: int, ctx: dict) -> Upgrade:
    """Move answers saved on `version` to the definition's current version.

    Declared migration steps run in order. Then, as a safety net for any change a step did not
    declare, every stored answer is checked against the current definition: answers to pages that
    no longer exist are reported as removed, and answers that no longer pass their page's rules are
    reported for re-answering. Nothing changes without a notice.
    """
    if version > definition.version:
        raise FormVersionError(f"Answers are on version {version}, newer than {definition.key} v{definition.version}")
    data = copy.deepcopy(answers.data)
    notices: list[Notice] = []
    steps: list[str] = []
    current = version
    while current < definition.version:
        migration = definition.migration_from(current)
        if migration is None:
            steps.append(f"v{current} to v{definition.version}: no declared step, answers checked against the new form")
            current = definition.version
            break
        if migration.transform is not None:
            data = migration.transform(copy.deepcopy(data))
        for task_slug, page_slug, reason in migration.reanswer:
            stored = data.get(task_slug) or {}
            if page_slug in stored:
                del stored[page_slug]
                question = _question(definition, task_slug, page_slug, ctx, Answers(data))
                notices.append(Notice(task_slug, page_slug, question, reason))
        steps.append(f"v{migration.from_version} to v{migration.to_version}: {migration.description}")
        current = migration.to_version
    if version == definition.version:
        return Upgrade(Answers(data), current, notices, steps)
    flagged = {(n.task, n.page) for n in notices}
    for task_slug in list(data):
        stored = data[task_slug] or {}
        if not definition.has_task(task_slug):
            for page_slug in list(stored):
                notices.append(Notice(task_slug, page_slug, page_slug, "This question is no longer asked.", "removed"))
            del data[task_slug]
            continue
        task = definition.task(task_slug)
        for page_slug in list(stored):
            if not task.has_page(page_slug):
                del stored[page_slug]
                notices.append(Notice(task_slug, page_slug, page_slug, "This question is no longer asked.", "removed"))
                continue
            page = task.page(page_slug)
            if (task_slug, page_slug) in flagged or page.kind == "review":
                continue
            form = bind(page, ctx, Answers(data), stored[page_slug])
            if not form.is_valid():
                error = next(iter(e for errors in form.errors.values() for e in errors), "")
                question = page_title(page, ctx, Answers(data))
                notices.append(Notice(task_slug, page_slug, question, f"The question has changed. {error}".strip()))
    # Any confirmation of the answers was given on the old form.
    for task in definition.tasks():
        for page in task.pages:
            if page.kind == "review":
                (data.get(task.slug) or {}).pop(page.slug, None)
    pruned, _ = prune(definition, Answers(data), ctx)
    return Upgrade(pruned, current, notices, steps)


def _question(definition: FormDefinition, task_slug: str, page_slug: str, ctx: dict, answers: Answers) -> str:
    if definition.has_task(task_slug):
        task = definition.task(task_slug)
        if task.has_page(page_slug):
            return page_title(task.page(page_slug), ctx, answers)
    return page_slug
