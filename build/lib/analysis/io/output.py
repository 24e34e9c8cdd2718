"""Atomic writes: every output goes to a temporary name first, then is renamed
into place, so a failed run never leaves a half-written file behind."""
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


def write_tables(out_dir: Path, tables: dict[str, pd.DataFrame]) -> list[Path]:
    return [write_csv(out_dir / TABLES / f"{name}.csv", df) for name, df in tables.items()]
