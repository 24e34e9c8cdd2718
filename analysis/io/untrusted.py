"""Untrusted text on its way out: spreadsheet cells, the terminal, bidirectional text.

Three rules, each in one place, for data strings (article text, outlet, actor and
frame names, labels) that the tool writes:

* ``csv_frame`` / ``csv_text``: a CSV cell that a spreadsheet would read as a formula
  (it begins with ``= + - @``, a tab or a carriage return, OWASP's list) gets a
  leading ``'``; control characters other than tab and line ends are dropped.
  Only text cells: numbers (a count of ``-1``) are left as numbers.  Parquet keeps
  the raw value.  ``from_csv_cell`` undoes the ``'`` for files the tool reads back.
* ``terminal``: what is printed drops every control character except newline and
  tab (ESC, BEL, CR, C1 such as CSI) and the explicit bidi controls, so nothing in
  the data can clear, colour, hide or reorder the terminal.
* ``balance_bidi``: explicit bidi controls (U+202A–U+202E, U+2066–U+2069) kept only
  in matched pairs; a closer with no opener and an opener never closed are dropped,
  so a name cannot reorder the text after it.  The report isolates names on top of
  this (``report/markdown.py``).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

# C0 and C1 controls other than tab, LF and CR, and DEL (the README's "control characters").
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORMULA_START = frozenset("=+-@\t\r")
_SUSPECT = FORMULA_START | {"'"} | {chr(c) for c in (*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20),
                                                      *range(0x7f, 0xa0))}
_NEUTRALIZED = re.compile(r"'+(?=[=+\-@\t\r])")

EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE RLE LRO RLO, closed by PDF
PDF = "\u202c"
ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI RLI FSI, closed by PDI
PDI = "\u2069"
BIDI_CONTROLS = EMBEDDINGS | ISOLATES | {PDF, PDI}
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Everything a terminal acts on: controls (CR and C1 included) and explicit bidi controls.
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# ---- CSV ------------------------------------------------------------------
def csv_cell(value: str) -> str:
    """One text cell as written: controls dropped, then a ``'`` before a formula start.

    A cell that already begins with ``'`` before a formula start gets one more, so
    ``from_csv_cell`` gives back exactly what was there."""
    if not value or value[0] not in _SUSPECT:
        return CONTROL.sub("", value) if CONTROL.search(value) else value
    value = CONTROL.sub("", value)
    return "'" + value if value[:1] in FORMULA_START or _NEUTRALIZED.match(value) else value


def from_csv_cell(value: str) -> str:
    """A cell as ``csv_cell`` wrote it, back to its value (one ``'`` before a formula start removed)."""
    return value[1:] if value[:1] == "'" and _NEUTRALIZED.match(value) else value


# A cell to rewrite: a control anywhere, or a formula sign (or a ' before one) first. RE2 and re both read it.
_REWRITE = r"^['=+\-@\t\r]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_REWRITE_RE = re.compile(_REWRITE)


def _column(col: pd.Series) -> pd.Series | None:
    """The column with its suspect text cells rewritten, or None when none is (the usual case)."""
    if isinstance(col.dtype, pd.StringDtype):  # Arrow strings: the test runs in C++ over the whole column
        mask = col.str.contains(_REWRITE, regex=True, na=False).to_numpy(dtype=bool)
    else:
        mask = np.array([type(v) is str and _REWRITE_RE.search(v) is not None for v in col.tolist()], dtype=bool)
    if not mask.any():
        return None
    out = col.astype(object)
    out[mask] = [csv_cell(v) for v in out[mask]]
    return out


def _arrow_clean(columns: list[pd.Series]) -> bool:
    """Whether no cell of these Arrow string columns needs rewriting, in one regex call over all of
    them: a table of a batch (a few hundred rows) paid more for a call per column than for its cells."""
    import pyarrow as pa
    import pyarrow.compute as pc
    chunks = [c.cast(pa.large_string()) for col in columns for c in col.array.__arrow_array__().chunks]
    return not chunks or not pc.any(pc.match_substring_regex(pa.concat_arrays(chunks), _REWRITE)).as_py()


def csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame as its CSV shows it: text cells (and column names) through ``csv_cell``; the frame
    is copied only if one changes."""
    fixed = {}
    texts = [k for k, dtype in enumerate(df.dtypes) if dtype.kind == "O" or isinstance(dtype, pd.StringDtype)]
    arrow = [k for k in texts if isinstance(df.dtypes.iloc[k], pd.StringDtype) and df.dtypes.iloc[k].storage == "pyarrow"]
    if arrow and _arrow_clean([df.iloc[:, k] for k in arrow]):
        texts = [k for k in texts if k not in set(arrow)]  # the others are checked one by one below
    for k in texts:
        col = _column(df.iloc[:, k])
        if col is not None:
            fixed[k] = col
    names = [csv_cell(c) if isinstance(c, str) else c for c in df.columns]
    if not fixed and names == list(df.columns):
        return df
    out = df.copy(deep=False)
    for k, col in fixed.items():
        out.isetitem(k, col)
    out.columns = names
    return out


def csv_text(df: pd.DataFrame, header: bool = True) -> str:
    """The CSV text of a frame (UTF-8 text, LF line ends), every cell neutralized."""
    return csv_frame(df).to_csv(index=False, header=header, lineterminator="\n")


def csv_rows(df: pd.DataFrame) -> bytes:
    """The rows of ``csv_text(df, header=False)``, as UTF-8 bytes (what a file or a pipe takes)."""
    lines = csv_lines(df) if len(df) else None
    if lines is not None:
        return lines.text
    return csv_text(df, header=False).encode("utf-8")


@dataclass(frozen=True)
class Lines:
    """A frame's CSV rows (``csv_rows``) and where each ends, so that rows can be picked and put in
    another order without writing them again; ``dtypes``: the columns' types they were written with."""
    text: bytes
    ends: tuple[int, ...]   # row i is text[ends[i - 1] if i else 0:ends[i]]
    dtypes: tuple[str, ...]

    def row(self, i: int) -> bytes:
        return self.text[self.ends[i - 1] if i else 0:self.ends[i]]


def dtypes_of(df: pd.DataFrame) -> tuple[str, ...]:
    return tuple(str(d) for d in df.dtypes)


def _quoted_by_csv() -> str:
    """The characters that make Python's csv writer (pandas' ``to_csv``) quote a cell, with LF line
    ends: asked of the running Python, not assumed (whether a lone CR counts has changed between versions)."""
    import csv
    import io

    def quotes(c: str) -> bool:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(["a" + c, "b"])
        return buf.getvalue().startswith('"')
    return "".join(c for c in ',"\n\r' if quotes(c))


_QUOTE_IF = "[" + re.escape(_quoted_by_csv()) + "]"


def csv_lines(df: pd.DataFrame) -> Lines | None:
    """The CSV rows pandas' ``to_csv`` writes for ``df`` (no header, every cell through ``csv_cell``), row
    by row; None for columns this does not write (anything but Arrow strings, int64 and bool; or a single
    column, whose empty cell Python writes as ``""``): write those with ``csv_text``.  Written in C++ (every
    text cell of the frame quoted in one set of Arrow calls, then each row joined in one), so each row's
    end is known and rows written once can be kept (``extract.batch``)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    if df.shape[1] < 2:
        return None
    kinds = []
    for dtype in df.dtypes:
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
            kinds.append("str")
        elif dtype == np.int64 or dtype == np.bool_:
            kinds.append(dtype.name)
        else:
            return None
    dtypes, text = dtypes_of(df), pa.large_string()
    empty = pa.scalar("", text)

    def texts(frame: pd.DataFrame):  # every text cell of the frame, column after column, as one array
        cols = [_arrow_text(col, text) for (_, col), kind in zip(frame.items(), kinds) if kind == "str"]
        return pc.fill_null(pa.concat_arrays(cols), empty) if cols else None
    flat = texts(df)
    if flat is not None and pc.any(pc.match_substring_regex(flat, _REWRITE)).as_py():
        df = csv_frame(df)  # a cell to neutralize (rare): csv_cell's way, then the same
        flat = texts(df)
    if flat is not None:
        needs = pc.match_substring_regex(flat, _QUOTE_IF)
        if pc.any(needs).as_py():
            quote = pa.scalar('"', text)
            flat = pc.if_else(needs, pc.binary_join_element_wise(quote, pc.replace_substring(flat, '"', '""'), quote, empty),
                              flat)
    cells, at, n = [], 0, len(df)
    for (_, col), kind in zip(df.items(), kinds):
        if kind == "str":
            cells.append(flat.slice(at, n))
            at += n
        else:  # str() of each value, as pandas writes it: 12, -3, True
            values = pa.array(col.to_numpy())
            cells.append(values.cast(text) if kind == "int64" else
                         pc.if_else(values, pa.scalar("True", text), pa.scalar("False", text)))
    cells.append(pc.binary_join_element_wise(cells.pop(), empty, pa.scalar("\n", text)))  # each row ends in LF
    lines = pc.binary_join_element_wise(*cells, pa.scalar(",", text))
    _, offsets, data = lines.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64)[lines.offset:lines.offset + n + 1]
    return Lines(data.slice(int(ends[0]), int(ends[-1] - ends[0])).to_pybytes(), tuple((ends[1:] - ends[0]).tolist()),
                 dtypes)


def _arrow_text(col: pd.Series, text):
    """A text column as one Arrow array (a column ``csv_frame`` rewrote is plain Python strings again)."""
    import pyarrow as pa
    if isinstance(col.dtype, pd.StringDtype):
        return pa.concat_arrays([c.cast(text) for c in col.array.__arrow_array__().chunks]) if len(col) else pa.array([], text)
    return pa.array(col.to_numpy(dtype=object), type=text, from_pandas=True)  # NaN, None: no value


# ---- terminal ---------------------------------------------------------------
def terminal(text) -> str:
    """Text safe to print: no control character but newline and tab, no bidi control."""
    s = str(text)
    return _TERMINAL.sub("", s) if _TERMINAL.search(s) else s


def say(*parts, file=None, end: str = "\n", sep: str = " ", flush: bool = False) -> None:
    """``print`` for anything that may echo data: the one terminal-safe printer."""
    stream = file if file is not None else sys.stdout
    stream.write(terminal(sep.join(str(p) for p in parts)) + end)
    if flush:
        stream.flush()


# ---- bidi -------------------------------------------------------------------
def balance_bidi(text: str) -> str:
    """Explicit bidi controls kept only in matched pairs (an isolate's closer also ends the
    embeddings opened inside it); stray closers and unclosed openers are dropped."""
    if not _BIDI.search(text):
        return text
    drop: set[int] = set()
    stack: list[int] = []  # positions of open controls
    for i, ch in enumerate(text):
        if ch in EMBEDDINGS or ch in ISOLATES:
            stack.append(i)
        elif ch == PDF:
            if stack and text[stack[-1]] in EMBEDDINGS:
                stack.pop()
            else:
                drop.add(i)
        elif ch == PDI:
            isolate = next((k for k in range(len(stack) - 1, -1, -1) if text[stack[k]] in ISOLATES), None)
            if isolate is None:
                drop.add(i)
            else:
                drop.update(stack[isolate + 1:])  # embeddings left open inside the isolate
                del stack[isolate:]
    drop.update(stack)
    return "".join(ch for i, ch in enumerate(text) if i not in drop)


def has_bidi_control(text: str) -> bool:
    return bool(_BIDI.search(text))
