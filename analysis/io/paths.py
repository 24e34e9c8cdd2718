"""The one way a path that comes from data or a flag is resolved and read.

``inside(root, rel)`` resolves a path written in a data file (the manifest's ``file``
column) and refuses an empty one, a NUL byte, an absolute path, a link loop or a path
that leaves the root.  ``read_regular(path)`` reads an input file and refuses anything
but a regular file: a FIFO would block ``read()`` forever, a device would never end.
It opens without blocking (``O_NONBLOCK``) and checks the open descriptor, so a file
swapped for a FIFO between a check and the read is refused too.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class UnsafePath(ValueError):
    """A path from data that must not be followed; ``str(e)`` says why, ``e.fix`` what to do."""

    def __init__(self, what: str, fix: str):
        super().__init__(what)
        self.fix = fix


class NotRegularFile(OSError):
    """An input path that is a FIFO, a socket or a device: reading it could block forever."""

    def __init__(self, path: Path | str, kind: str):
        super().__init__(errno.EINVAL, f"is a {kind}, not a regular file", str(path))
        self.kind = kind


def kind_of(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "named pipe (FIFO)"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISDIR, "folder")):
        if test(mode):
            return name
    return "special file"


def inside(root: Path | str, rel: str) -> Path:
    """``root / rel`` resolved, if it stays inside ``root``; otherwise UnsafePath."""
    if not rel:
        raise UnsafePath("is empty", "give a path relative to the data folder, e.g. articles/005.txt")
    if "\x00" in rel:
        raise UnsafePath(f"'{rel.replace(chr(0), '␀')}' holds a NUL byte (shown as ␀)", "retype the path without it")
    root = Path(root).resolve()
    if Path(rel).is_absolute():
        raise UnsafePath(f"'{rel}' is an absolute path, outside the data folder {root}",
                         "give a path relative to the data folder, e.g. articles/005.txt")
    try:
        path = (root / rel).resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError on a symlink loop
        raise UnsafePath(f"'{rel}' is a symbolic link that loops", "point the link at a real file, or copy the article in") from None
    if not path.is_relative_to(root):
        raise UnsafePath(f"'{rel}' is outside the data folder {root}",
                         "give a path relative to the data folder, e.g. articles/005.txt")
    return path


class Folder:
    """A data folder whose paths are resolved as ``inside`` resolves them, each subfolder once: resolving
    a path walks every component with a system call and a Python step each, so a corpus of 10,000
    articles resolved the same folder 20,000 times (once when read, once when coded).  A path's last
    component is still looked at each time (a link there, or anything unusual, takes ``inside``'s way).
    What it resolved is kept for one pass (reading the manifest, coding a batch: ``fresh``), and is not
    pickled: a worker resolves again when it reads its batch."""

    def __init__(self, root: Path | str):
        self.root = Path(root).resolve()
        self._dirs: dict[str, Path] = {}

    def __getstate__(self):
        return {"root": self.root, "_dirs": {}}

    def fresh(self) -> Folder:
        """The same folder with nothing resolved yet: what a later read starts from (a folder may have
        been swapped for a link since)."""
        again = Folder.__new__(Folder)  # the root as resolved already
        again.root, again._dirs = self.root, {}
        return again

    def path(self, rel: str) -> Path:
        """``inside(self.root, rel)``."""
        head, _, name = rel.rpartition("/")
        if name in ("", ".", "..") or "\x00" in rel or rel.startswith("/") or os.sep != "/":
            return inside(self.root, rel)
        folder = self._dirs.get(head)
        if folder is None:
            try:
                folder = inside(self.root, head) if head else self.root
            except UnsafePath:
                return inside(self.root, rel)  # its own message, about the whole path
            self._dirs[head] = folder
        path = folder / name
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return inside(self.root, rel)
        except OSError:  # missing, or not reachable: the reader says which
            return inside(self.root, rel)
        return path


def check_flag(path: Path | str) -> None:
    """A path given on the command line: no NUL (the OS would refuse it with a traceback)."""
    if "\x00" in str(path):
        raise UnsafePath(f"'{str(path).replace(chr(0), '␀')}' holds a NUL byte (shown as ␀)", "retype the path without it")


def read_regular(path: Path | str) -> bytes:
    """The bytes of a regular file; NotRegularFile for a FIFO, socket or device (never blocks on one)."""
    check_flag(path)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
            raise NotRegularFile(path, kind_of(mode))
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


def require_regular(path: Path | str) -> None:
    """Raise NotRegularFile (or the OSError of opening it) unless ``path`` is a regular file; reads nothing."""
    check_flag(path)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
    finally:
        os.close(fd)
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    if not stat.S_ISREG(mode):
        raise NotRegularFile(path, kind_of(mode))


def read_text(path: Path | str, encoding: str = "utf-8") -> str:
    return read_regular(path).decode(encoding)
