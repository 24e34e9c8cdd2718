"""Scratch folders under --out that a killed run leaves behind, and who may remove them.

A render works in ``.render-*`` / ``.quarto-*`` folders and ``code`` in ``.tables-new.*``; each
removes its own when it ends, but a SIGKILL or a power cut skips that.  Every scratch folder is
made by ``make``, which writes an ownership marker in it (``.framing-scratch``: the pid and start
time of the process that made it).  Only a folder with that marker, whose maker is no longer
running, is ever removed as a leftover: a folder of the user's that happens to share a prefix
(``.render-keep/``) is never touched, and neither is a running process's.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path

PREFIXES = (".render-", ".quarto-")
TABLES_PREFIXES = (".tables-new.", ".tables-old.")
MARKER = ".framing-scratch"


def _started(pid: int) -> str:
    """When a process started (clock ticks since boot), so a reused pid is not taken for its maker."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return ""


def mark(folder: Path) -> Path:
    """Write the ownership marker into a folder this process just made."""
    pid = os.getpid()
    (folder / MARKER).write_text(json.dumps({"tool": "framing-briefing", "pid": pid, "started": _started(pid)}),
                                 encoding="utf-8")
    return folder


def make(parent: Path, prefix: str) -> Path:
    """A new scratch folder under ``parent``, marked as this process's."""
    return mark(Path(tempfile.mkdtemp(prefix=prefix, dir=parent)))


def _alive(pid: int, started: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return not started or _started(pid) in ("", started)


def abandoned(folder: Path) -> bool:
    """A folder this tool made (its marker is there) whose maker is no longer running."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    marker = folder / MARKER
    try:
        if marker.is_symlink() or not marker.is_file() or marker.stat().st_size > 4096:
            return False
        info = json.loads(marker.read_text(encoding="utf-8"))
        pid, started = int(info["pid"]), str(info.get("started", ""))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return info.get("tool") == "framing-briefing" and not _alive(pid, started)


def leftovers(out_dir: Path, prefixes: tuple[str, ...] = PREFIXES) -> list[Path]:
    if not out_dir.is_dir():
        return []
    return sorted(p for p in out_dir.iterdir() if p.name.startswith(prefixes) and abandoned(p))


def clean(out_dir: Path, prefixes: tuple[str, ...]) -> list[Path]:
    """Remove the abandoned scratch folders with these prefixes; returns them."""
    stale = leftovers(out_dir, prefixes)
    for p in stale:
        with suppress(OSError):
            shutil.rmtree(p)
    return stale


@contextmanager
def render_lock(out_dir: Path):
    """Hold the output folder's render lock; on taking it, remove scratch folders of dead renders.

    Yields the folders removed.  If another render holds the lock, nothing is
    removed and this waits for it (two renders writing one briefing at once
    would race on the final rename).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)  # the folder itself: no lock file left behind
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield clean(out_dir, PREFIXES)
    finally:
        os.close(fd)  # releases the lock
