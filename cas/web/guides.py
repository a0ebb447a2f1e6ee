"""The user guides (docs/guides/*.md) as pages of the service, under /help.

The guides are written in Markdown so that they read the same in the repository. They use a small
subset, which this module turns into GOV.UK markup: headings (#, ##, ###), paragraphs, bulleted and
numbered lists, inset text (> ), pictures on a line of their own, links, **bold** and `code`. Every
piece of text is escaped; anything else is shown as the text it is. Links to another guide (`assessor.md`)
and pictures (`images/assessor/01-home.png`, taken by the browser journeys) become the service's own
addresses; a link to any other file of the repository is shown as its text.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from markupsafe import Markup, escape


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    summary: str

    @property
    def path(self) -> Path:
        return Path(settings.GUIDES_DIR) / f"{self.slug}.md"


GUIDES: dict[str, Guide] = {
    g.slug: g
    for g in (
        Guide(
            "practitioner",
            "Guide for practitioners",
            "Make a referral for transitional accommodation (CAS3), send it, follow what happens to it and see where "
            "the person stays.",
        ),
        Guide(
            "assessor",
            "Guide for assessors",
            "Review referrals in the Homelessness Prevention Team, allocate them to colleagues, find a bedspace, "
            "book it, and record arrivals and departures.",
        ),
        Guide(
            "reporter",
            "Guide for reporters",
            "Read the delivery dashboard, prepare and download reports, and find the official statistics.",
        ),
        Guide(
            "administrator",
            "Guide for administrators",
            "Manage users and their roles, reference data and service levels, and read the audit and the emails "
            "the service sent.",
        ),
    )
}

_IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.png$")


def image_path(role: str, name: str) -> Path | None:
    """The file of a guide's picture, or None when there is no such picture (never outside the folder)."""
    if role not in GUIDES or not _IMAGE_NAME.match(name):
        return None
    path = Path(settings.GUIDES_DIR) / "images" / role / name
    return path if path.is_file() else None


@dataclass(frozen=True)
class Rendered:
    title: str
    html: Markup
    contents: list[tuple[str, str]]  # (anchor, heading) of each section


def render_guide(guide: Guide) -> Rendered:
    return render(guide.path.read_text(encoding="utf-8"))


def _href(target: str) -> str | None:
    """The service's address for a link in a guide; None when it has none (shown as text)."""
    if target.startswith(("https://", "http://", "mailto:")):
        return target
    if target.startswith("#"):
        return target
    name, _, anchor = target.partition("#")
    anchor = f"#{anchor}" if anchor else ""
    if name == "README.md":
        return reverse("web:help") + anchor
    if name.endswith(".md") and name[:-3] in GUIDES:
        return reverse("web:help-guide", args=[name[:-3]]) + anchor
    return None


def _src(target: str) -> str | None:
    parts = target.split("/")
    if len(parts) == 3 and parts[0] == "images" and image_path(parts[1], parts[2]):
        return reverse("web:help-guide-image", args=[parts[1], parts[2]])
    return None


_INLINE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)"
    r"|\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\)"
    r"|\*\*(?P<strong>.+?)\*\*"
    r"|`(?P<code>[^`]+)`"
)


def _inline(text: str) -> Markup:
    out = []
    last = 0
    for match in _INLINE.finditer(text):
        out.append(escape(text[last : match.start()]))
        last = match.end()
        if match["src"] is not None:
            src = _src(match["src"])
            out.append(
                Markup('<img class="cas-guide-image" src="{}" alt="{}">').format(src, match["alt"])
                if src
                else escape(match["alt"])
            )
        elif match["href"] is not None:
            href = _href(match["href"])
            out.append(
                Markup('<a class="govuk-link" href="{}">{}</a>').format(href, match["text"])
                if href
                else escape(match["text"])
            )
        elif match["strong"] is not None:
            out.append(Markup("<strong>{}</strong>").format(match["strong"]))
        else:
            out.append(Markup("<code>{}</code>").format(match["code"]))
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _anchor(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    anchor, n = base, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor


_HEADING = re.compile(r"^(#{1,3}) +(.+?) *#*$")
_BULLET = re.compile(r"^[-*] +(.*)$")
_NUMBER = re.compile(r"^(\d+)[.)] +(.*)$")
_HEADING_CLASSES = {1: "govuk-heading-l", 2: "govuk-heading-m", 3: "govuk-heading-s"}


def render(markdown: str) -> Rendered:
    blocks: list[Markup] = []
    contents: list[tuple[str, str]] = []
    used: set[str] = set()
    title = ""
    paragraph: list[str] = []
    inset: list[str] = []
    items: list[list[str]] = []
    list_kind = ""
    list_start = 1  # a numbered list that goes on after a picture starts at its own number

    def flush():
        nonlocal list_kind, list_start
        if paragraph:
            text = " ".join(paragraph)
            css = "cas-guide-figure" if re.fullmatch(r"!\[[^\]]*\]\([^)\s]+\)", text) else "govuk-body"
            blocks.append(Markup('<p class="{}">{}</p>').format(css, _inline(text)))
            paragraph.clear()
        if inset:
            blocks.append(Markup('<div class="govuk-inset-text">{}</div>').format(_inline(" ".join(inset))))
            inset.clear()
        if items:
            body = Markup("").join(Markup("<li>{}</li>").format(_inline(" ".join(item))) for item in items)
            template = (
                Markup('<ul class="govuk-list govuk-list--bullet">{}</ul>')
                if list_kind == "ul"
                else Markup('<ol class="govuk-list govuk-list--number"{}>{}</ol>')
            )
            start = Markup(' start="{}"').format(list_start) if list_start != 1 else ""
            blocks.append(template.format(body) if list_kind == "ul" else template.format(start, body))
            items.clear()
            list_kind = ""

    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if heading := _HEADING.match(line):
            flush()
            level, text = len(heading[1]), heading[2]
            anchor = _anchor(text, used)
            if level == 1 and not title:
                title = text  # the page's own heading, drawn by its template
                continue
            if level == 2:
                contents.append((anchor, text))
            blocks.append(
                Markup('<h{} class="{}" id="{}">{}</h{}>').format(
                    level, _HEADING_CLASSES[level], anchor, _inline(text), level
                )
            )
            continue
        if line.startswith(">"):
            if not inset:
                flush()
            inset.append(line.lstrip("> ").strip())
            continue
        bullet, number = _BULLET.match(line), _NUMBER.match(line)
        if bullet or number:
            kind = "ul" if bullet else "ol"
            if paragraph or inset or (items and kind != list_kind):
                flush()
            if not items:
                list_start = int(number[1]) if number else 1
            list_kind = kind
            items.append([bullet[1] if bullet else number[2]])
            continue
        if items and raw[:1].isspace():
            items[-1].append(line)  # an item that goes on over several lines
            continue
        if items or inset:
            flush()
        paragraph.append(line)
    flush()
    return Rendered(title=title, html=Markup("\n").join(blocks), contents=contents)
