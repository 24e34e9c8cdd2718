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


MAX_NAME = 100  # characters in a name or label the briefing prints in headings, tables and figures


def check_names(problems: Problems, file: Path | str, line, owner: str, fields: dict, lines: dict | None = None) -> bool:
    """Names no longer than MAX_NAME (a 20,000-character outlet name slowed the render tenfold and
    clipped every figure); each one over it is reported. ``lines``: the line of each field, if known."""
    ok = True
    for key, value in fields.items():
        if value is not None and len(str(value)) > MAX_NAME:
            problems.add(file, (lines or {}).get(key, line), f"{owner}: {key} is {len(str(value)):,} characters long, "
                         f"over the limit of {MAX_NAME}", f"shorten {key} to at most {MAX_NAME} characters "
                         "(it is printed in headings, tables and figures); put a longer description in a note")
            ok = False
    return ok


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _blocking_file(path: Path) -> Path:
    """The first part of ``path`` that exists and is a file (why a folder inside it cannot be made)."""
    for p in [*reversed(path.parents), path]:
        if p.exists() and not p.is_dir():
            return p
    return path


def os_problem(e: OSError) -> tuple[Problem, bool]:
    """An operating-system error as a Problem naming the path and the fix.

    The flag says whether the input (a path the analyst gave or a file in the
    data folder) is at fault, as opposed to the machine (a full disk, an I/O error).
    """
    import errno
    name = e.filename if e.filename is not None else ""
    path = Path(str(name)) if name != "" else None
    where = display_path(path) if path is not None else "(no path)"
    code = e.errno
    kind = getattr(e, "kind", None)  # paths.NotRegularFile: a FIFO, socket or device
    if kind is not None:
        return Problem(where, None, f"is a {kind}, not a regular file (reading it could wait forever)",
                       "replace it with a regular file"), True
    if code == errno.ENOTDIR and path is not None:
        blocker = _blocking_file(path)
        return Problem(display_path(blocker), None, "is a file where a folder is expected",
                       "give --data and --out a folder (not a file), or move the file away"), True
    if code == errno.EISDIR:
        return Problem(where, None, "is a folder where a file is expected",
                       "give the path of a file, or move the folder away"), True
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        what = "read-only file system" if code == errno.EROFS else "permission denied"
        return Problem(where, None, f"cannot write or read here: {what}",
                       "choose a folder you can write to with --out, or fix the permissions"), True
    if code == errno.ELOOP:
        return Problem(where, None, "a symbolic link loops back on itself",
                       "point the link at a real file or folder"), True
    if code == errno.ENOENT:
        return Problem(where, None, "no such file or folder", "check the path"), True
    if code == errno.ENAMETOOLONG:
        return Problem(where, None, "the file name is too long", "use a shorter path or file name"), True
    if code in (errno.ENOSPC, errno.EDQUOT):
        return Problem(where, None, "the disk is full (or over quota)",
                       "free some space, or write elsewhere with --out; each file already written is whole"), False
    return Problem(where, None, f"operating-system error: {e.strerror or e}",
                   "check the disk and the path, then run again"), False


class SchedulerError(Exception):
    """A Dask scheduler given with --scheduler could not be reached (or its address is malformed:
    ``input_fault``, exit 2)."""

    def __init__(self, message: str, fix: str = "check that the scheduler runs (dask scheduler) and that this "
                 "machine can reach its address, or leave out --scheduler to code here", input_fault: bool = False):
        super().__init__(message)
        self.fix, self.input_fault = fix, input_fault
