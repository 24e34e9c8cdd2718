"""Scratch folders under --out that a killed run leaves behind.

A render works in ``.render-*`` / ``.quarto-*`` folders and removes them when
it ends; a SIGKILL or a power cut skips that.  Whoever holds the lock on the
output folder knows no other render is using them and removes the leftovers.
"""
from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

LOCK = ".render.lock"
PREFIXES = (".render-", ".quarto-")


def leftovers(out_dir: Path) -> list[Path]:
    return sorted(p for p in out_dir.iterdir() if p.is_dir() and p.name.startswith(PREFIXES)) if out_dir.is_dir() else []


@contextmanager
def render_lock(out_dir: Path):
    """Hold the output folder's render lock; on taking it, remove scratch folders of dead renders.

    Yields the folders removed.  If another render holds the lock, nothing is
    removed and this waits for it (two renders writing one briefing at once
    would race on the final rename).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        stale = leftovers(out_dir)
        for p in stale:
            shutil.rmtree(p, ignore_errors=True)
        yield stale
    finally:
        os.close(fd)  # releases the lock
