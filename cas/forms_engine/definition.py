"""How an application form is declared: sections of tasks of pages, as data plus Python.

    FormDefinition(key="cas3-referral", version=1, title=..., sections=(
        Section("accommodation-need", "Accommodation need", tasks=(
            Task("placement-location", "Placement location", pages=(
                Page("alternative-region", "Is the placement for the {region} region?", AlternativeRegionForm,
                     applies=lambda a, ctx: not ctx["is_national"],
                     next=lambda a, ctx: "alternative-pdu" if a.value(...) == "yes" else "different-region"),
                ...
            )),
        )),
    ))

Everything that varies per form (questions, rules, routes, pre-fill, reporting fields, migrations
between versions) lives in the definition; `engine.py` knows nothing about any particular form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from cas.forms_engine.answers import Answers
from cas.forms_engine.forms import InfoForm, ListPageForm, PageForm

# Returned by a page's `next` to end its task.
END = None


type NextPage = str | Callable[[Answers, dict], str | None] | None
type Predicate = Callable[[Answers, dict], bool]


class _NextInOrder:
    def __repr__(self) -> str:
        return "NEXT_IN_ORDER"


NEXT_IN_ORDER: Any = _NextInOrder()


@dataclass(frozen=True)
class Page:
    slug: str
    # The question or page heading; may use the context's placeholders ("{name}").
    title: str
    form: type[PageForm] = InfoForm
    # The next page of the task given the answers so far: a slug, a function of (answers, context)
    # returning a slug or END, or NEXT_IN_ORDER (the next applicable page in the task's list).
    next: NextPage = NEXT_IN_ORDER
    # Whether the page is asked at all (for example only for users outside the National region).
    applies: Predicate | None = None
    # Initial values from upstream data or the user's record: function of (context, answers).
    prefill: Callable[[dict, Answers], dict] | None = None
    # A reason the task cannot be completed while this page is on the route (an evidence gate):
    # function of (this page's values or None, answers, context) returning a message or None.
    blocker: Callable[[dict | None, Answers, dict], str | None] | None = None
    # "question": a form; "confirm": shows pre-filled values with links to change each on its own
    # sub-page; "review": the generated check-your-answers page; "list": a repeating list of
    # entries added and removed one at a time (its form is a `ListPageForm`).
    kind: Literal["question", "confirm", "review", "list"] = "question"
    # Sub-pages reached from a "confirm" page: their answers are saved into that page's answer.
    stores_in: str | None = None
    # For "confirm" pages: field name -> the sub-page that changes it.
    change_pages: dict[str, str] = field(default_factory=dict)
    # What an answer means for the application, told to the user without blocking it (a required
    # step not yet taken): function of (this page's values or None, answers, context) returning a
    # message or None. Shown on the page once answered and on check your answers.
    consequence: Callable[[dict | None, Answers, dict], str | None] | None = None
    # Rows for check your answers instead of the form's questions (imported, read-only data):
    # function of (this page's values or None, answers, context) returning (question, answer) pairs.
    summary: Callable[[dict | None, Answers, dict], list[tuple[str, str]]] | None = None
    # Paragraphs shown under the heading, and a template that adds page-specific content.
    guidance: tuple[str, ...] = ()
    template: str | None = None

    def resolve_next(self, task: Task, answers: Answers, ctx: dict) -> str | None:
        if self.next is NEXT_IN_ORDER:
            pages = [p for p in task.pages if p.stores_in is None]
            index = pages.index(self)
            for candidate in pages[index + 1 :]:
                if candidate.applies is None or candidate.applies(answers, ctx):
                    return candidate.slug
            return END
        if callable(self.next):
            return self.next(answers, ctx)
        return self.next


@dataclass(frozen=True)
class Task:
    slug: str
    title: str
    pages: tuple[Page, ...]
    # Tasks that must be completed (or do not apply) before this one can start. None: the previous
    # task, when the definition is sequential; () : can start at any time.
    depends_on: tuple[str, ...] | None = None
    # The first page, when it depends on the answers or context: function of (answers, context)
    # returning a slug. Otherwise the first page that applies.
    start: Callable[[Answers, dict], str] | None = None
    # Whether the task is part of this application at all (for example only for one route): a task
    # that does not apply shows as "Does not apply", keeps no answers and never blocks submission.
    applies: Predicate | None = None

    def __post_init__(self):
        for page in self.pages:
            if page.kind == "list":
                if not issubclass(page.form, ListPageForm):
                    raise TypeError(f"List page {self.slug}/{page.slug} needs a ListPageForm")
                if (page.form.list_task, page.form.list_page) != (self.slug, page.slug):
                    # The page is frozen, but nothing has seen it yet: this is still its construction.
                    object.__setattr__(page, "form", page.form.stored_at(self.slug, page.slug))

    def applies_to(self, answers: Answers, ctx: dict) -> bool:
        return self.applies is None or self.applies(answers, ctx)

    def page(self, slug: str) -> Page:
        for page in self.pages:
            if page.slug == slug:
                return page
        raise KeyError(slug)

    def has_page(self, slug: str) -> bool:
        return any(p.slug == slug for p in self.pages)

    def first_page(self, answers: Answers, ctx: dict) -> Page | None:
        if self.start is not None:
            return self.page(self.start(answers, ctx))
        for page in self.pages:
            if page.stores_in is None and (page.applies is None or page.applies(answers, ctx)):
                return page
        return None


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    tasks: tuple[Task, ...]


@dataclass(frozen=True)
class Migration:
    """How drafts saved on `from_version` move to `to_version`.

    `transform` rewrites stored answers (renamed fields, moved pages, mapped choices); answers it
    cannot carry over are listed in `reanswer` as (task, page, reason): they are removed and the
    referrer is told to answer those questions again.
    """

    from_version: int
    to_version: int
    description: str
    transform: Callable[[dict], dict] | None = None
    reanswer: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class FormDefinition:
    key: str
    version: int
    title: str
    sections: tuple[Section, ...]
    migrations: tuple[Migration, ...] = ()
    sequential: bool = True
    # Typed fields for reporting, extracted from the final answers at submission.
    reporting: Callable[[Answers, dict], dict] | None = None

    def tasks(self) -> Iterator[Task]:
        for section in self.sections:
            yield from section.tasks

    def task(self, slug: str) -> Task:
        for task in self.tasks():
            if task.slug == slug:
                return task
        raise KeyError(slug)

    def has_task(self, slug: str) -> bool:
        return any(t.slug == slug for t in self.tasks())

    def dependencies(self, task: Task) -> tuple[str, ...]:
        if task.depends_on is not None:
            return task.depends_on
        if not self.sequential:
            return ()
        tasks = list(self.tasks())
        index = tasks.index(task)
        return (tasks[index - 1].slug,) if index else ()

    def migration_from(self, version: int) -> Migration | None:
        for migration in self.migrations:
            if migration.from_version == version:
                return migration
        return None

    def page_count(self) -> int:
        return sum(len(t.pages) for t in self.tasks())
