"""Small helpers for the briefing's conditional wording: plurals, name lists,
"only X reports", and a markdown string that an inline `{python}` expression
shows as markup (not as escaped text)."""
from __future__ import annotations

from analysis.report.markdown import join_names, mixed, plural

__all__ = ["Md", "join_names", "plural", "verb", "names_or", "outlet_names", "most", "only", "number", "of"]

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


class Md(str):
    """Markdown: inline `{python}` shows it as markup, print() as text."""

    def _repr_markdown_(self) -> str:
        return str(self)


def verb(n: int, singular: str, many: str) -> str:
    """The verb agreeing with a count: verb(1, 'asserts', 'assert') -> 'asserts'."""
    return singular if n == 1 else many


MAX_NAMES = 8  # a longer list of outlets reads as a count


def names_or(names: list[str], nobody: str = "nobody") -> str:
    """An escaped name list (join_names escapes each name), or ``nobody`` when it is empty."""
    return join_names(names) if len(names) else nobody


def outlet_names(names: list[str], nobody: str = "none") -> str:
    """Outlet names, or their count past MAX_NAMES ("26 outlets")."""
    return names_or(names, nobody) if len(names) <= MAX_NAMES else plural(len(names), "outlet")


def most(values, n: int = 4) -> str:
    """The n most frequent names, busiest first (ties: first seen), then "and k others"."""
    from collections import Counter
    top = [k for k, _ in Counter(values).most_common()]
    if len(top) <= n:
        return names_or(top)
    return ", ".join(mixed(x) for x in top[:n]) + f" and {plural(len(top) - n, 'other')}"


def only(names: list[str], singular: str, many: str, none: str = "No outlet") -> str:
    """"Only Outlet A reports", "Outlet A and Outlet B report", "12 outlets report", "No outlet reports"."""
    if not names:
        return f"{none} {singular}"
    return f"{'Only ' if len(names) == 1 else ''}{outlet_names(names)} {verb(len(names), singular, many)}"


def number(n: int) -> str:
    """Small counts in words (as prose writes them), larger ones in digits."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def of(n: int, word: str, many: str | None = None) -> str:
    """plural() with the count in words: "five articles", "one week"."""
    return f"{number(n)} {word if n == 1 else (many or word + 's')}"
