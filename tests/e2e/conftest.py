"""Browser journeys in Debian's Chromium via Playwright (a browser download is impossible here)."""

import base64
import json
import os
import shutil
import struct
import zlib
from collections import Counter
from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "cas" / "web" / "static" / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# The user guides' pictures (docs/guides/): taken by tests/e2e/test_user_guides.py on every run, so
# that they follow the pages. Committed with the guides.
GUIDE_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "guides" / "images"
GUIDE_VIEWPORT = {"width": 1280, "height": 720}

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    # Conftest hooks see every collected item, so mark only this folder's tests.
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-sync",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-dev-shm-usage",
        ],
    }


def assert_accessible(page, label: str = "") -> None:
    """Run axe-core (vendored) on the current page; fail listing every violation."""
    page.evaluate(AXE_JS.read_text())  # evaluate() is not subject to the page's CSP
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    violations = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert not violations, f"axe violations on {label or page.url}:\n{json.dumps(violations, indent=2)}"


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def guide_screenshot(page, name: str, *, full_page: bool = False, at=None) -> Path:
    """Save the page as a user guide's picture, docs/guides/images/<name> ("assessor/03-accept.png").

    Overwrites the picture, so each run of the journeys refreshes the guides. The viewport is fixed
    (GUIDE_VIEWPORT) and animations and the caret are off, so the same page gives the same picture;
    `full_page` takes the whole length of a long page instead of the first screenful; `at` (a locator)
    scrolls the page so that the element is at the top of the picture, for what is below the fold.
    """
    if not name.endswith(".png") or ".." in Path(name).parts or Path(name).is_absolute():
        raise ValueError(f"guide screenshot names are relative PNG paths, not {name!r}")
    path = GUIDE_IMAGES / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if page.viewport_size != GUIDE_VIEWPORT:
        page.set_viewport_size(GUIDE_VIEWPORT)
    if at is not None:
        at.first.evaluate("el => el.scrollIntoView({block: 'start'})")
    png = page.screenshot(full_page=full_page, animations="disabled", caret="hide", scale="css")
    path.write_bytes(_with_palette(page, png))
    return path


def _nearest(colour: tuple[int, int, int], colours: list[tuple[int, int, int]]) -> int:
    red, green, blue = colour
    best, best_distance = 0, 1 << 30
    for n, (r, g, b) in enumerate(colours):
        distance = (red - r) ** 2 + (green - g) ** 2 + (blue - b) ** 2
        if distance < best_distance:
            best, best_distance = n, distance
    return best


# The browser's decoder, in a blank page of the same browser (no CSP there, nothing to install).
_DECODE_PNG = """async (b64) => {
  const blob = await (await fetch("data:image/png;base64," + b64)).blob();
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d");
  context.drawImage(bitmap, 0, 0);
  const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  let text = "";
  for (let i = 0; i < data.length; i += 0x8000) text += String.fromCharCode.apply(null, data.subarray(i, i + 0x8000));
  return [bitmap.width, bitmap.height, btoa(text)];
}"""


def _with_palette(page, png: bytes) -> bytes:
    """The screenshot as an 8-bit palette PNG, about a third of the size of Chromium's true-colour one.

    Pages are mostly a few flat colours: the 256 commonest colours are kept exactly and the rest (the
    edges of letters) take the nearest of them, which is invisible at this size. The result depends
    only on the pixels, so an unchanged page gives an unchanged file.
    """
    helper = page.context.new_page()
    try:
        width, height, encoded = helper.evaluate(_DECODE_PNG, base64.b64encode(png).decode())
    finally:
        helper.close()
    rgba = base64.b64decode(encoded)
    pixels = [rgba[i : i + 3] for i in range(0, len(rgba), 4)]
    counts = Counter(pixels)
    palette = [colour for colour, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:256]]
    index = {colour: n for n, colour in enumerate(palette)}
    colours = [tuple(colour) for colour in palette]
    for colour in counts:
        if colour not in index:
            index[colour] = _nearest(tuple(colour), colours)
    rows = b"".join(b"\x00" + bytes(index[p] for p in pixels[y * width : (y + 1) * width]) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
        + chunk(b"PLTE", b"".join(palette))
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def sign_in(page, live_server):
    def _sign_in(username: str, password: str):
        page.goto(f"{live_server.url}/account/sign-in")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()

    return _sign_in
