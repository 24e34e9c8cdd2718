"""What reading each article file gave the last run, by the file's identity and status: a run that finds a
file unchanged takes its hash and note from here instead of reading it again (at 10,000 articles, 0.4 s of
every re-code, spent before any coder can start).

Unchanged means the same device, inode, size, modification and status-change times (``os.stat``, in ns).
The status-change time moves with every write and a user cannot set it back, so an edit that keeps the
size and restores the modification time (``touch -r``) is still seen.  A file whose status changed less
than ``RACY_NS`` before the run began is not remembered: a second write within the clock's granularity
could leave both times as they were (git's "racily clean" entries).  The run keeps the memo in its signed
cache (``pipeline.Run``), so a handed-over one is never read.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

RACY_NS = 2_000_000_000

Status = tuple[int, int, int, int, int]  # device, inode, size, mtime_ns, ctime_ns


@dataclass
class Seen:
    """``known``: the last run's memo (path → (status, sha256, note, note's line)); ``now``: this run's,
    holding only the files read or found unchanged (an article dropped from the manifest is forgotten)."""
    known: dict = field(default_factory=dict)
    now: dict = field(default_factory=dict)
    began: int = field(default_factory=time.time_ns)

    @staticmethod
    def status(path: Path) -> Status | None:
        try:
            st = os.stat(path)
        except OSError:
            return None  # the reader reports it
        return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns

    def get(self, path: Path, status: Status) -> tuple[str, str | None, int | None] | None:
        """(sha256, note, note's line) of an unchanged file, or None."""
        entry = self.known.get(str(path))
        if not (isinstance(entry, tuple) and len(entry) == 4 and entry[0] == status):
            return None
        self.now[str(path)] = entry
        return entry[1:]

    def put(self, path: Path, status: Status, sha256: str, note: str | None, line: int | None) -> None:
        if status[4] <= self.began - RACY_NS:
            self.now[str(path)] = (status, sha256, note, line)

    @property
    def changed(self) -> bool:
        return self.now != self.known
