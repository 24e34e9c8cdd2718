"""Small helpers for the briefing's conditional wording: plurals, name lists, agreement."""
from __future__ import annotations

from analysis.report.markdown import join_names, plural

__all__ = ["join_names", "plural", "verb", "names_or"]


def verb(n: int, singular: str, many: str) -> str:
    """The verb agreeing with a count: verb(1, 'asserts', 'assert') -> 'asserts'."""
    return singular if n == 1 else many


def names_or(names: list[str], nobody: str = "nobody") -> str:
    """A name list, or ``nobody`` when it is empty."""
    return join_names(names) if len(names) else nobody
