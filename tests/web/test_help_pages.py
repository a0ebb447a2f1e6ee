"""The help page and the user guides (docs/guides/) as pages of the service."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from cas.web import guides

pytestmark = pytest.mark.django_db


def test_help_page_is_public_linked_from_the_footer_and_lists_every_guide(client):
    body = client.get(reverse("web:help")).content.decode()
    for guide in guides.GUIDES.values():
        assert f'href="{reverse("web:help-guide", args=[guide.slug])}"' in body
        assert guide.title in body
    footer = client.get(reverse("accounts:sign-in")).content.decode()
    assert f'href="{reverse("web:help")}"' in footer


@pytest.mark.parametrize("slug", list(guides.GUIDES))
def test_each_guide_is_a_page_whose_pictures_are_served(client, slug):
    response = client.get(reverse("web:help-guide", args=[slug]))
    assert response.status_code == 200
    body = response.content.decode()
    sources = re.findall(r'<img class="cas-guide-image" src="([^"]+)" alt="([^"]+)"', body)
    assert len(sources) >= 5
    for src, alt in sources:
        assert alt.strip(), f"{src} has no text alternative"
        picture = client.get(src)
        assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
        assert b"".join(picture.streaming_content).startswith(b"\x89PNG")


def test_every_picture_a_guide_names_exists_and_every_picture_is_used():
    folder = settings.GUIDES_DIR
    named = set()
    for slug in guides.GUIDES:
        text = (folder / f"{slug}.md").read_text()
        named |= set(re.findall(r"!\[[^\]]+\]\((images/[^)]+)\)", text))
    on_disk = {str(p.relative_to(folder)) for p in (folder / "images").rglob("*.png")}
    assert named <= on_disk, f"pictures missing: {named - on_disk}"
    assert on_disk <= named, f"pictures no guide shows (remove them or use them): {on_disk - named}"


@pytest.mark.parametrize(
    "url",
    [
        "/help/guides/nobody",
        "/help/guides/images/assessor/missing.png",
        "/help/guides/images/nobody/01-home.png",
        "/help/guides/images/assessor/..%2F..%2F..%2FREADME.md",
        "/help/guides/images/assessor/01-home.PNG",
    ],
)
def test_unknown_guides_and_pictures_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_markdown_subset_is_escaped_and_links_point_into_the_service(settings, tmp_path):
    settings.GUIDES_DIR = tmp_path
    (tmp_path / "images" / "assessor").mkdir(parents=True)
    (tmp_path / "images" / "assessor" / "01-home.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    rendered = guides.render(
        "# The title\n\nSome <script>alert(1)</script> text with **bold** and `code`.\n\n"
        "## First task\n\n1. Open [the assessor guide](assessor.md#find-a-bedspace).\n"
        "2. Read [the code](../../cas/web/guides.py) and [GOV.UK](https://www.gov.uk/).\n"
        "   It goes on.\n\n- one\n- two\n\n> Take care.\n\n"
        '![A "page"](images/assessor/01-home.png)\n\n3. Third step.\n\n![Missing](images/x/../../secret.png)\n\n## First task\n'
    )
    html = str(rendered.html)
    assert rendered.title == "The title" and "The title" not in html
    assert rendered.contents == [("first-task", "First task"), ("first-task-2", "First task")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html
    assert f'href="{reverse("web:help-guide", args=["assessor"])}#find-a-bedspace"' in html
    assert "Read the code and" in html  # a link to a repository file is shown as text
    assert 'href="https://www.gov.uk/"' in html
    assert '<ol class="govuk-list govuk-list--number">' in html and "It goes on.</li>" in html
    assert '<ul class="govuk-list govuk-list--bullet"><li>one</li><li>two</li></ul>' in html
    assert '<div class="govuk-inset-text">Take care.</div>' in html
    assert '<ol class="govuk-list govuk-list--number" start="3"><li>Third step.</li></ol>' in html
    src = reverse("web:help-guide-image", args=["assessor", "01-home.png"])
    assert f'<img class="cas-guide-image" src="{src}" alt="A &#34;page&#34;">' in html
    assert "secret" not in html and "Missing" in html
