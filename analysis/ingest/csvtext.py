"""Appending rows to a data CSV (manifest.csv, outlets.csv) without disturbing what is there.

Rows are written in the file's own column order; a column the new rows need and the file lacks
(e.g. ``duplicate_of`` in an older manifest) is added at the end of the header, and the old rows
get it empty.  Existing rows are otherwise copied byte for byte.
"""
from __future__ import annotations

import csv
import io


def header_of(text: str) -> list[str]:
    first = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))), [])
    return [c.strip() for c in first]


def _line(columns, row: dict) -> str:
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n").writerow({c: row.get(c, "") for c in columns})
    return buf.getvalue()


def append_rows(text: str, rows: list[dict], columns: tuple[str, ...]) -> str:
    """``text`` (a CSV with a header, or empty) with ``rows`` added; ``columns``: the header of a new file."""
    header = header_of(text) if text.strip() else []
    if not header:
        text, header = _line(columns, {c: c for c in columns}), list(columns)
    needed = [c for r in rows for c, v in r.items() if v and c not in header]
    if needed:  # widen the header; old rows get the new columns empty
        header += list(dict.fromkeys(needed))
        old = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
        text = _line(header, {c: c for c in header}) + "".join(_line(header, r) for r in old)
    if text and not text.endswith("\n"):
        text += "\n"
    return text + "".join(_line(header, r) for r in rows)


def widen(text: str, header: list[str]) -> str:
    """The CSV rewritten with ``header`` (a superset of its own columns); new columns empty."""
    old = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    return _line(header, {c: c for c in header}) + "".join(_line(header, r) for r in old)


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ tab or CR is prefixed with ' (OWASP's advice)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
