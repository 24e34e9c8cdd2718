"""One locked, all-or-nothing writer for the files a command changes in a data folder.

    with DataWriter(data_dir) as w:            # an exclusive lock on the data folder itself
        text = w.read_text("manifest.csv")     # read inside the lock: no other writer can change it now
        w.put("articles/x.txt", b"...", new=True)
        w.put("manifest.csv", text_plus_a_row.encode())
        w.commit()                             # every file lands, or none does

``add``, ``translations --merge`` and ``import`` go through it.  Why each part:

- **Lock**: ``flock`` on the data folder's own descriptor (nothing is written for it), held from the
  first read to the last rename, so two commands never read the same manifest and both append to it.
- **Staging**: new contents are written under ``DATA/.framing-txn-*/`` (same file system, so the
  final step is a rename) and checked there before anything real is touched.
- **Journal**: before the first rename the planned renames are written down, and a file about to be
  replaced keeps a hard link to its old contents.  If a rename fails, the ones done are undone.  If the
  process is killed between renames, the next writer (which takes the lock first) finds the journal
  and undoes them, so the folder is as it was before the interrupted command.
- **Ownership**: only folders carrying this writer's marker file are ever removed.

The guarantee is against a failed write or a killed process, not a power cut (articles are not
fsynced one by one; the journal and the tables are).
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from analysis.io.errors import display_path
from analysis.io.output import OutputError

PREFIX = ".framing-txn-"
MARKER = "written-by-framing-datawriter"
JOURNAL = "journal.json"
_UMASK = os.umask(0)
os.umask(_UMASK)


class DataWriter:
    """A transaction on one data folder; see the module docstring."""

    def __init__(self, data_dir: Path | str, wait_message: bool = True):
        self.data = Path(data_dir)
        self.wait_message = wait_message
        self._fd: int | None = None
        self.txn: Path | None = None
        self._ops: list[dict] = []  # {"dst", "staged", "kind": new|auto}
        self._created = self._committed = False
        self.recovered: list[str] = []  # interrupted transactions undone on entry

    # -- the lock ---------------------------------------------------------------------------------
    def __enter__(self) -> "DataWriter":
        self._created = not self.data.exists()
        self.data.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.data, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if self.wait_message:
                print(f"waiting for another command that is writing to {display_path(self.data)} …", file=sys.stderr)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        self.recovered = recover(self.data)
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.txn is not None:  # a commit cut short by anything (Ctrl-C too) is undone from its journal
                _rollback(self.data, self.txn)
                self.txn = None
        finally:
            if self._fd is not None:
                os.close(self._fd)  # releases the lock
                self._fd = None
            if self._created and not self._committed:
                try:
                    self.data.rmdir()  # the folder this command made, if it stayed empty
                except OSError:
                    pass

    # -- staging ----------------------------------------------------------------------------------
    def _staging(self) -> Path:
        if self.txn is None:
            self.txn = Path(tempfile.mkdtemp(prefix=PREFIX, dir=self.data))
            (self.txn / MARKER).write_text("a transaction of the framing data writer; safe to delete\n")
            (self.txn / "staged").mkdir()
        return self.txn

    def scratch(self, name: str) -> Path:
        """A folder of our own inside the transaction (removed with it), e.g. to check new rows."""
        p = self._staging() / "scratch" / name
        p.mkdir(parents=True, exist_ok=True)
        return p

    def read_text(self, rel: str) -> str:
        """DATA/rel as this transaction will leave it (staged contents if any), '' if absent."""
        op = next((o for o in self._ops if o["dst"] == rel), None)
        path = self.txn / "staged" / op["staged"] if op and self.txn else self.data / rel
        return path.read_text(encoding="utf-8-sig") if path.exists() else ""

    def _target(self, rel: str) -> Path:
        dst = (self.data / rel)
        if Path(rel).is_absolute() or ".." in Path(rel).parts or not rel:
            raise ValueError(f"not a path inside the data folder: {rel!r}")  # callers validate ids first
        return dst

    def put(self, rel: str, data: bytes, new: bool = False) -> None:
        """Stage the new contents of DATA/rel; ``new``: the file must not exist yet.  Staging a file
        twice keeps the last contents."""
        self._target(rel)
        op = next((o for o in self._ops if o["dst"] == rel), None)
        if op is None:
            op = {"dst": rel, "staged": f"f{len(self._ops):07d}", "kind": "new" if new else "auto"}
            self._ops.append(op)
        staged = self._staging() / "staged" / op["staged"]
        with open(staged, "wb") as f:
            f.write(data)
        os.chmod(staged, 0o666 & ~_UMASK)

    def open(self, rel: str, new: bool = False):
        """A text file (UTF-8, LF) to write the new contents of DATA/rel into, a piece at a time."""
        self.put(rel, b"", new=new)
        op = next(o for o in self._ops if o["dst"] == rel)
        return open(self.txn / "staged" / op["staged"], "a", encoding="utf-8", newline="")

    def put_text(self, rel: str, text: str, new: bool = False) -> None:
        self.put(rel, text.encode("utf-8"), new=new)

    def new_folder(self, rel: str) -> Path:
        """A staged folder that becomes DATA/rel (which must not exist) at commit; write files into it."""
        self._target(rel)
        staged = self._staging() / "staged" / f"d{len(self._ops):07d}"
        staged.mkdir(mode=0o777 & ~_UMASK)
        self._ops.append({"dst": rel, "staged": staged.name, "kind": "new"})
        return staged

    # -- commit -----------------------------------------------------------------------------------
    def commit(self) -> list[Path]:
        """Move every staged file into place, all of them or none; returns the paths written."""
        if not self._ops:
            return []
        txn = self._staging()
        backup = txn / "backup"
        backup.mkdir(exist_ok=True)
        plan = []
        for i, op in enumerate(self._ops):
            dst = self.data / op["dst"]
            staged = txn / "staged" / op["staged"]
            exists = dst.exists() or dst.is_symlink()
            if exists and op["kind"] == "new":
                raise OutputError(f"{display_path(dst)} appeared while this command ran; nothing was changed")
            entry = {"dst": op["dst"], "staged": op["staged"], "ino": staged.stat().st_ino, "backup": None,
                     "made_dirs": _missing_parents(dst, self.data)}
            if exists:
                entry["backup"] = f"b{i:07d}"
                self._guard(os.link, dst, dst, backup / entry["backup"], follow_symlinks=False)
            plan.append(entry)
        self._guard(_write_journal, self.data, txn, plan)
        done: list[dict] = []
        try:
            for entry in plan:
                dst = self.data / entry["dst"]
                dst.parent.mkdir(parents=True, exist_ok=True)
                _replace(txn / "staged" / entry["staged"], dst)
                done.append(entry)
        except OSError as e:
            _undo(self.data, txn, done)
            (txn / JOURNAL).unlink(missing_ok=True)
            raise _failure(e, self.data / entry["dst"]) from None
        (txn / JOURNAL).unlink()  # the commit point: from here the new files stay
        self._committed = True
        return [self.data / e["dst"] for e in plan]

    def _guard(self, action, path: Path, *args, **kw) -> None:
        try:
            action(*args, **kw)
        except OSError as e:
            raise _failure(e, path) from None


def _replace(src: Path, dst: Path) -> None:
    os.replace(src, dst)  # one seam, so tests can fail or kill the commit between renames


def _missing_parents(dst: Path, root: Path) -> list[str]:
    out, p = [], dst.parent
    while p != root and not p.exists():
        out.append(str(p.relative_to(root)))
        p = p.parent
    return out


def _write_journal(txn: Path, plan: list[dict]) -> None:
    tmp = txn / (JOURNAL + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(plan, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, txn / JOURNAL)


def _failure(e: OSError, dst: Path) -> OutputError:
    """The message names the data file (never a staging name) and a fix that fits a data folder."""
    full = e.errno in (errno.ENOSPC, errno.EDQUOT)
    what = "the disk is full" if full else (e.strerror or str(e))
    fix = ("free some space, then run the command again" if full else
           f"make {display_path(dst.parent)} and {dst.name} writable (ls -l; chattr -i if immutable), then run again")
    return OutputError(f"{display_path(dst)}: cannot write ({what}); nothing was changed: every data file is "
                       f"as it was before this command", fix=fix, input_fault=not full)


def _undo(data: Path, txn: Path, done: list[dict]) -> None:
    """Put back what the renames in ``done`` replaced, newest first; remove what they created."""
    for entry in reversed(done):
        dst = data / entry["dst"]
        if entry["backup"]:
            os.replace(txn / "backup" / entry["backup"], dst)
        elif dst.exists() and not dst.is_symlink() and dst.stat().st_ino == entry["ino"]:
            (shutil.rmtree if dst.is_dir() else os.unlink)(dst)  # ours: the inode we staged
        for d in entry.get("made_dirs", []):
            try:
                (data / d).rmdir()  # only if still empty
            except OSError:
                pass


def recover(data: Path) -> list[str]:
    """Undo transactions a killed command left half-done, and remove their staging folders.

    Called with the lock held, so no living writer owns them.  Returns their names.
    """
    found = []
    for txn in sorted(data.glob(PREFIX + "*")):
        if txn.is_dir() and (txn / MARKER).is_file():  # not ours: never touched
            _rollback(data, txn)
            found.append(txn.name)
    return found


def _rollback(data: Path, txn: Path) -> None:
    """Undo a transaction's renames if its journal says a commit was under way; remove its folder."""
    journal = txn / JOURNAL
    if journal.is_file():
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            plan = []  # a journal cut short is written before any rename: nothing to undo
        _undo(data, txn, [e for e in plan if not (txn / "staged" / e["staged"]).exists()])  # renamed into place
    _remove_owned(txn)


def _remove_owned(txn: Path) -> None:
    if txn.is_dir() and (txn / MARKER).is_file():
        shutil.rmtree(txn, ignore_errors=True)
