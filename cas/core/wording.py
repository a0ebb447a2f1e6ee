"""Words that go with numbers: "1 person", "2 people", "0 bedspaces"."""

from __future__ import annotations


def quantity(number: int, singular: str, plural: str | None = None) -> str:
    """The number and its noun, singular for exactly one ("1 night", "3 nights", "1 person", "2 people")."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"
