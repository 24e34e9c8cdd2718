"""The one family of input errors.

The library raises these; the command line prints them without a traceback
and exits non-zero.  Anything else escaping is a bug and keeps its traceback.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Problem:
    """One thing wrong with one input file, phrased for the analyst who fixes it."""

    file: str
    line: int | None
    what: str
    fix: str
    column: int | None = None
    level: str = "error"  # "error" stops the run; "note" is a tolerated quirk

    def location(self) -> str:
        loc = self.file
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def __str__(self) -> str:
        head = "ERROR" if self.level == "error" else "note"
        return f"{head} {self.location()}: {self.what}\n    fix: {self.fix}"


class InputError(Exception):
    """Bad input: carries one or more problems, each with file, line and fix."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class Problems:
    """Collects problems so that `validate` can report all of them in one run."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, file: Path | str, line: int | None, what: str, fix: str,
            column: int | None = None, level: str = "error") -> None:
        self.items.append(Problem(display_path(file), line, what, fix, column, level))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == "error"]

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputError(self.items)


def display_path(path: Path | str) -> str:
    """Paths relative to the working directory where possible, as an analyst typed them."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
