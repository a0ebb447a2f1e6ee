"""Compare captured outputs with the committed golden files in `tests/golden/snapshots/`.

`CAS_UPDATE_GOLDEN=1` writes the files instead of comparing (and removes the ones no longer produced);
see tests/golden/README.md for when that is legitimate.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
MAX_DIFF_LINES = 150


def updating() -> bool:
    return os.environ.get("CAS_UPDATE_GOLDEN", "") not in ("", "0")


def as_json(value) -> str:
    """Readable, stable JSON: keys sorted, two-space indent, non-ASCII kept, one final newline."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"


def check_group(group: str, outputs: dict[str, str]) -> None:
    """Compare every output of a group (file name -> text) with `snapshots/<group>/`; files there that the
    group no longer produces fail too, so a removed output is noticed."""
    folder = SNAPSHOTS / group
    if updating():
        folder.mkdir(parents=True, exist_ok=True)
        for stale in _files(folder) - set(outputs):
            (folder / stale).unlink()
        for name, text in outputs.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or _read(path) != text:
                path.write_bytes(text.encode("utf-8"))
        return
    problems = []
    for name in sorted(outputs):
        path = folder / name
        if not path.exists():
            problems.append(f"{group}/{name}: no golden file (new output?)")
            continue
        expected = _read(path)
        if expected != outputs[name]:
            problems.append(_diff(f"{group}/{name}", expected, outputs[name]))
    problems.extend(f"{group}/{name}: golden file no longer produced" for name in sorted(_files(folder) - set(outputs)))
    if problems:
        pytest.fail(
            f"{len(problems)} output(s) differ from tests/golden/snapshots (regenerate with CAS_UPDATE_GOLDEN=1 "
            "only for an intended change of output):\n\n" + "\n\n".join(problems),
            pytrace=False,
        )


def _read(path: Path) -> str:
    # Bytes, not text mode: a CSV's CRLF line endings are part of the output.
    return path.read_bytes().decode("utf-8")


def _files(folder: Path) -> set[str]:
    if not folder.exists():
        return set()
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def _diff(name: str, expected: str, actual: str) -> str:
    lines = list(
        difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), f"golden/{name}", f"now/{name}", lineterm="", n=2
        )
    )
    if not lines:
        return f"{name}: only line endings differ ({expected[:80]!r} became {actual[:80]!r})"
    if len(lines) > MAX_DIFF_LINES:
        lines = [*lines[:MAX_DIFF_LINES], f"... {len(lines) - MAX_DIFF_LINES} more diff lines"]
    return "\n".join(lines)
