"""Atomic writes: every output goes to a temporary name first, then is renamed
into place, so a failed run never leaves a half-written file behind.

Tables are written as one set (``write_tables``): every CSV and its Parquet twin
go to a scratch folder first, and only when all are written are they moved into
place, the previous files kept aside until the last one is in.  A failure at any
point leaves the previous set whole."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

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
    """CSV in UTF-8 with LF line ends and a stable row order (the caller sorts)."""
    return write_text(path, df.to_csv(index=False, lineterminator="\n"))


class OutputError(Exception):
    """A set of outputs could not be written; the previous set is left as it was.

    ``os_error``: the operating-system error behind it, if any (the CLI names its fix and exit code).
    """

    def __init__(self, message: str, os_error: OSError | None = None):
        super().__init__(message)
        self.os_error = os_error


def _arrow_table(df: pd.DataFrame):
    """The table for Parquet; columns Arrow cannot type (mixed values, lists of tuples) go as text."""
    import pyarrow as pa
    try:
        return pa.Table.from_pandas(df, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError, TypeError):
        fixed = df.copy()
        for c in fixed.columns[fixed.dtypes == object]:
            fixed[c] = [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in fixed[c]]
        return pa.Table.from_pandas(fixed, preserve_index=False)


def write_parquet(path: Path, df: pd.DataFrame) -> Path:
    import pyarrow.parquet as pq
    pq.write_table(_arrow_table(df), path)
    return path


def write_tables(out_dir: Path, tables: dict[str, pd.DataFrame], parquet: bool = True) -> list[Path]:
    """Every table as OUT/tables/NAME.csv (and NAME.parquet), all of them or none.

    Other files in the folder (e.g. the evaluation tables when coding) are left alone.
    """
    target = out_dir / TABLES
    names = [f"{n}.{ext}" for n in tables for ext in (("csv", "parquet") if parquet else ("csv",))]
    for name in names:
        if (target / name).is_dir():
            raise OutputError(f"cannot write {target / name}: it is a folder; remove or rename it. "
                              f"Nothing was written; the previous tables in {target} are left whole")
    try:
        target.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".tables-new.", dir=out_dir))
    except OSError as e:
        raise OutputError(f"cannot write tables to {target}: {e.strerror or e}", e) from None
    backup = scratch.with_name(scratch.name.replace("new", "old", 1))
    moved: list[str] = []
    try:
        for name, df in tables.items():
            write_csv(scratch / f"{name}.csv", df)
            if parquet:
                write_parquet(scratch / f"{name}.parquet", df)
        backup.mkdir()
        for name in names:
            if (target / name).exists():
                os.replace(target / name, backup / name)
            moved.append(name)
            os.replace(scratch / name, target / name)
    except Exception as e:
        for name in moved:  # put the previous set back as it was
            (target / name).unlink(missing_ok=True)
            if (backup / name).exists():
                os.replace(backup / name, target / name)
        msg = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise OutputError(f"cannot write the tables to {target} ({msg}); "
                          f"nothing was written, the previous tables are left whole",
                          e if isinstance(e, OSError) else None) from None
    finally:
        for d in (scratch, backup):
            if d.exists():
                for f in d.iterdir():
                    f.unlink()
                d.rmdir()
    return [target / n for n in names if n.endswith(".csv")]
