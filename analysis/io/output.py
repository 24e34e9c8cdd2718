"""Atomic writes: every output goes to a temporary name first, then is renamed
into place, so a failed run never leaves a half-written file behind.

Tables are written as one set (``write_tables``): every CSV and its Parquet twin
go to a scratch folder first, and only when all are written are they moved into
place, the previous files kept aside until the last one is in.  A failure at any
point leaves the previous set whole."""
from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

import pandas as pd

from analysis.io import scratch
from analysis.io.untrusted import csv_rows, csv_text

TABLES = "tables"
_UMASK = os.umask(0)
os.umask(_UMASK)


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def write_csv(path: Path, df: pd.DataFrame) -> Path:
    """CSV in UTF-8 with LF line ends and a stable row order (the caller sorts); text cells that a
    spreadsheet would run as a formula get a leading ``'``, controls are dropped (``io/untrusted.py``)."""
    return write_text(path, csv_text(df))


class OutputError(Exception):
    """A set of outputs could not be written; the previous set is left as it was.

    ``os_error``: the operating-system error behind it, if any (the CLI names its fix and exit code);
    or ``fix`` and ``input_fault`` given directly (the data writer, whose fix is not about --out).
    """

    def __init__(self, message: str, os_error: OSError | None = None, fix: str | None = None,
                 input_fault: bool = False):
        super().__init__(message)
        self.os_error = os_error
        self.fix, self.input_fault = fix, input_fault


def _arrow_table(df: pd.DataFrame):
    """The table for Parquet; columns Arrow cannot type (mixed values, lists of tuples) go as text.

    One thread: pyarrow converts a large frame's columns in a thread pool it starts and joins on
    every call, and beside busy coders the parent waited on that more than it converted (6,000 rows:
    0.25 s of wall with the pool, 0.10-0.13 s without; a 10,000-article edit did not get measurably faster)."""
    import pyarrow as pa
    try:
        return pa.Table.from_pandas(df, preserve_index=False, nthreads=1)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError, TypeError):
        fixed = df.copy()
        for c in fixed.columns[fixed.dtypes == object]:
            fixed[c] = [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in fixed[c]]
        return pa.Table.from_pandas(fixed, preserve_index=False, nthreads=1)


def write_parquet(path: Path, df: pd.DataFrame) -> Path:
    import pyarrow.parquet as pq
    pq.write_table(_arrow_table(df), path)
    return path


class TableSet:
    """Tables written as one set, all of them or none: each goes to a scratch folder, whole
    (``add``) or in pieces as they come (``append``: CSV rows and Parquet row groups, so a
    table need never be held whole), and ``commit`` moves the set into ``OUT/tables/``.

    Leaving the ``with`` block without a commit (an error, a refused codebook) discards the
    scratch folder and leaves the previous set whole.  Other files in the folder (e.g. the
    evaluation tables when coding) are left alone.
    """

    def __init__(self, out_dir: Path, order: tuple[str, ...] = (), parquet: bool = True):
        self.out_dir, self.target, self.parquet = out_dir, out_dir / TABLES, parquet
        self.order = list(order)
        self._csv: dict[str, object] = {}      # open CSV files of appended tables
        self._pq: dict[str, object] = {}       # their Parquet writers
        self._empty: dict[str, pd.DataFrame] = {}  # their columns, for a table that never gets a row
        self._done: list[str] = []
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            scratch.clean(out_dir, scratch.TABLES_PREFIXES)  # what a killed run left (only ours, only of dead runs)
            self.scratch = scratch.make(out_dir, ".tables-new.")
        except OSError as e:
            raise OutputError(f"cannot write tables to {self.target}: {e.strerror or e}", e) from None

    def __enter__(self) -> "TableSet":
        return self

    def __exit__(self, *exc) -> None:
        self._discard()

    def _names(self, name: str) -> list[str]:
        return [f"{name}.{ext}" for ext in (("csv", "parquet") if self.parquet else ("csv",))]

    def _note(self, name: str) -> None:
        if name not in self.order:
            self.order.append(name)
        for n in self._names(name):
            if (self.target / n).is_dir():
                raise OutputError(f"cannot write {self.target / n}: it is a folder; remove or rename it. "
                                  f"Nothing was written; the previous tables in {self.target} are left whole")

    def add(self, name: str, df: pd.DataFrame) -> None:
        """A whole table."""
        self._note(name)
        self._guard(lambda: (write_csv(self.scratch / f"{name}.csv", df),
                             self.parquet and write_parquet(self.scratch / f"{name}.parquet", df)))
        self._done.append(name)

    def append(self, name: str, df: pd.DataFrame, csv: bytes | None = None) -> None:
        """More rows of a table, in order; the first call (even with no rows) sets its columns.
        ``csv``: those rows as ``csv_rows(df)`` gives them, if already written elsewhere."""
        if name not in self._empty:
            self._note(name)
            self._empty[name] = df.iloc[0:0]
        if not len(df):
            return
        self._guard(lambda: self._append(name, df, csv))

    def _append(self, name: str, df: pd.DataFrame, csv: bytes | None = None) -> None:
        if name not in self._csv:
            self._csv[name] = open(self.scratch / f"{name}.csv", "wb")
            self._csv[name].write(csv_text(df.iloc[0:0]).encode("utf-8"))
        self._csv[name].write(csv_rows(df) if csv is None else csv)
        if self.parquet:
            import pyarrow.parquet as pq
            table = _arrow_table(df)
            if name not in self._pq:
                self._pq[name] = pq.ParquetWriter(self.scratch / f"{name}.parquet", table.schema)
            writer = self._pq[name]
            writer.write_table(table if table.schema.equals(writer.schema) else table.cast(writer.schema))

    def _guard(self, write) -> None:
        try:
            write()
        except OutputError:
            raise
        except Exception as e:
            self._discard()
            msg = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            raise OutputError(f"cannot write the tables to {self.target} ({msg}); "
                              f"nothing was written, the previous tables are left whole",
                              e if isinstance(e, OSError) else None) from None

    def _close_appended(self) -> None:
        for name, empty in self._empty.items():
            if name in self._csv:
                self._csv.pop(name).close()
                if name in self._pq:
                    self._pq.pop(name).close()
            else:  # no rows at all: the header alone
                write_csv(self.scratch / f"{name}.csv", empty)
                if self.parquet:
                    write_parquet(self.scratch / f"{name}.parquet", empty)
            self._done.append(name)
        self._empty = {}

    def commit(self) -> list[Path]:
        """Move the set into place; returns the CSV paths, in order."""
        self._guard(self._close_appended)
        names = [n for name in self.order if name in self._done for n in self._names(name)]
        backup = self.scratch.with_name(self.scratch.name.replace("new", "old", 1))
        moved: list[str] = []
        try:
            self.target.mkdir(exist_ok=True)
            backup.mkdir()
            scratch.mark(backup)
            for name in names:
                if (self.target / name).exists():
                    os.replace(self.target / name, backup / name)
                moved.append(name)
                os.replace(self.scratch / name, self.target / name)
        except Exception as e:
            for name in moved:  # put the previous set back as it was
                (self.target / name).unlink(missing_ok=True)
                if (backup / name).exists():
                    os.replace(backup / name, self.target / name)
            msg = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            raise OutputError(f"cannot write the tables to {self.target} ({msg}); "
                              f"nothing was written, the previous tables are left whole",
                              e if isinstance(e, OSError) else None) from None
        finally:
            _remove(backup)
            self._discard()
        return [self.target / n for n in names if n.endswith(".csv")]

    def _discard(self) -> None:
        for f in list(self._csv.values()) + list(self._pq.values()):
            with suppress(Exception):
                f.close()
        self._csv, self._pq = {}, {}
        _remove(self.scratch)


def _remove(folder: Path) -> None:
    if folder.exists():
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()


def write_tables(out_dir: Path, tables: dict[str, pd.DataFrame], parquet: bool = True) -> list[Path]:
    """Every table as OUT/tables/NAME.csv (and NAME.parquet), all of them or none."""
    with TableSet(out_dir, tuple(tables), parquet) as ts:
        for name in tables:
            ts._note(name)  # a folder in the way is refused before anything is written
        for name, df in tables.items():
            ts.add(name, df)
        return ts.commit()
