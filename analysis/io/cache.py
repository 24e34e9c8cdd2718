"""Cache of the coding step: one SQLite file, values pickled and signed, keys hashed from the inputs.

Never unpickle what a user can hand you: a study folder passed on with its ``_output/.cache``
must not run its sender's code.  Every value is signed (HMAC-SHA256) with a key kept outside
the study (``signing_key``: ``$FRAMING_CACHE_KEY``, else ``~/.config/framing-briefing/cache.key``,
made on first use, mode 0600), and only a value whose signature checks is unpickled.  An entry
that does not check (another machine's, damaged, of the wrong kind) is recomputed and counted in
``rejected``, which the commands report in one line.

Keys cover the source of the modules that do the coding (``source_hash``: text/,
match/, inputs/, coding/, extract/, io/lazy.py and pipeline.py; not report/, render/ or
results/, so editing the briefing recodes nothing) plus whatever the caller
names (article text and metadata, boilerplate rules, a frame's fingerprint), so
editing one article recodes that article and editing one frame recodes that frame.

Bounded: every run notes the entries it used (the first 64 bits of each key, eight bytes an entry);
``prune`` then drops the rest, i.e. entries for articles, frames or rules that no longer exist.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
import secrets
import sqlite3
import sys
import time
from array import array
from contextlib import suppress
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
CODING_SOURCES = ("text", "match", "inputs", "coding", "extract", "io/cache.py", "io/lazy.py", "pipeline.py")
FILE = "coding.sqlite"


KEY_ENV = "FRAMING_CACHE_KEY"  # a file holding the signing key, for a shared cache or a test
MAGIC = b"FBS3"                 # signed entry: MAGIC + HMAC-SHA256(signing key, entry's key + packed) + packed
_SIG = len(MAGIC) + 32
# packed: the pickle's length (8 bytes, little-endian) + the pickle, LZ4-compressed.  The pickles hold
# sentences and tables of text: LZ4 makes them about five times smaller for a fraction of a second per
# 10,000 articles, so SQLite writes, reads and the signature hashes a fifth of the bytes.
CODEC = "lz4"
_SIZE = 8


def key_file() -> Path:
    if os.environ.get(KEY_ENV):
        return Path(os.environ[KEY_ENV])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "framing-briefing" / "cache.key"


def signing_key() -> tuple[bytes, bool]:
    """This user's key (made once, 0600, outside any study) and whether it lasts beyond this run."""
    from analysis.io.paths import read_regular
    path = key_file()
    for _ in range(2):
        try:
            key = read_regular(path)
            if len(key) >= 32:
                return key, True
            break  # too short to trust: use a key of this run only
        except FileNotFoundError:
            try:
                _make_key(path)
            except OSError:
                break
        except OSError:
            break
    return secrets.token_bytes(32), False  # no place for a key: the cache still serves this run


def _make_key(path: Path) -> None:
    """Write a new key whole, under its final name only if none is there yet (two runs may race)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_bytes(32))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def source_hash() -> str:
    """The source of the modules whose output the cache keeps (not the report's or the renderer's)."""
    h = hashlib.sha256()
    for part in CODING_SOURCES:
        p = PACKAGE / part
        for f in sorted(p.rglob("*.py")) if p.is_dir() else [p]:
            h.update(f.relative_to(PACKAGE).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def file_hash(path: Path) -> str:
    from analysis.io.paths import read_regular
    return hashlib.sha256(read_regular(path)).hexdigest() if path.exists() else "-"


class Shared:
    """Objects both sides of a pickle already hold (the actors of the gazetteer, with their
    compiled names): pickled as their name, not as a copy, in every cached attribution."""

    def __init__(self, objects: dict[str, object]):
        self.by_name = dict(objects)
        self._by_id = {id(o): name for name, o in self.by_name.items()}

    def dumps(self, value) -> bytes:
        buf = io.BytesIO()
        p = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
        p.persistent_id = lambda o: self._by_id.get(id(o))
        p.dump(value)
        return buf.getvalue()

    def loads(self, blob: bytes):
        u = pickle.Unpickler(io.BytesIO(blob))
        u.persistent_load = self.by_name.__getitem__  # an unknown name raises: the entry is recomputed
        return u.load()


class ArticleCache:
    """Key → pickled value in ``directory/coding.sqlite``; a cache of None does nothing."""

    def __init__(self, directory: Path | str | None, *salts: str):
        self.dir = directory = Path(directory) if directory is not None else None
        self.salt = hashlib.sha256("|".join(salts).encode()).hexdigest()
        self.run = time.time_ns()
        self._db = None
        self.readonly = False  # a reader's (``reader``): it never writes, nor removes a broken file
        self.rejected = 0  # entries that did not check (signature, format or kind): recomputed
        self.refused = ""  # why the cache folder was not used at all
        self._key, self.lasting = signing_key() if directory is not None else (b"", False)
        if directory is not None and any(p.is_symlink() for p in (directory, *(directory / (FILE + x) for x in ("", "-wal", "-shm")))):
            directory = None  # a link could point anywhere (a colleague's folder, another database): never written through
            self.refused = f"{self.dir} or its {FILE} is a symbolic link; the cache was not used (replace the link with a folder)"
        for _ in range(2 if directory is not None else 0):
            try:
                directory.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(directory / FILE, isolation_level=None, timeout=30)
                self._db.execute("PRAGMA trusted_schema=OFF")  # a handed-over file's triggers or views run nothing
                # 16 KB pages for a new file (an existing one keeps its own): most values span pages, and
                # inserting a 10,000-article run's entries took 1.35 s of CPU, not 1.73 s with 4 KB pages
                self._db.execute("PRAGMA page_size=16384")
                self._db.execute("PRAGMA journal_mode=WAL")
                # No fsync at all: a cache. A crash of the machine mid-run may tear pages or lose the last
                # commits; every value is signed with the key it is stored under, so whatever such a file
                # then returns under a key does not check and is recomputed (and a file SQLite cannot read
                # is started afresh). The checkpoints' fsyncs held the parent 0.4 s of a 10 s re-code.
                self._db.execute("PRAGMA synchronous=OFF")
                # Keys are hashes, so every insert lands on a random page of the key index: a 32 MB page
                # cache (not 2) and a checkpoint every 40 MB of log (not 4, each with its fsyncs) took a
                # quarter off inserting a 10,000-article run's 110,000 entries (1.6 s of CPU, not 2.2)
                self._db.execute("PRAGMA cache_size=-32768")
                self._db.execute("PRAGMA wal_autocheckpoint=10000")
                self._db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, run INTEGER, value BLOB)")
                break
            except sqlite3.DatabaseError:  # not a database (overwritten, truncated): start afresh
                self._broken()
            except (OSError, sqlite3.Error):
                self._db = None  # an unusable cache folder only costs time
                break
        self._pending: list[tuple[str, int, bytes]] = []
        self._used: list[str] = []  # a reader's, for ``take_used``
        # What this run wrote or used, for ``prune``, as the first 64 bits of each key (keys are SHA-256 hex): not
        # stamped on the entries' rows, which made SQLite read each value again (1.9 GB, 18 s, at 100,000
        # articles), nor inserted into a table of their own, which took 1.0 s of the parent's 8 s after a
        # one-frame edit at 10,000 articles; a million keys hold 8 MB here.
        self._used_tags = array("Q")

    def reader_spec(self) -> tuple | None:
        """What another process of this run needs to read this cache (``reader``), or None without one."""
        return (self.dir, self._key, self.salt) if self._db is not None else None

    @classmethod
    def reader(cls, spec: tuple | None, still: bool = False) -> ArticleCache:
        """The cache of ``reader_spec`` for reading alone (a coder reading its batch's entries): a
        read-only connection, and the keys it reads or touches collected (``take_used``) for the run
        that writes, which alone records them for pruning.  ``still``: read the file as it is, leaving
        no lock files beside it (SQLite's ``immutable``): what the last run closed, without what a
        running one has not yet moved in from its log."""
        self = cls(None)
        if spec is None:
            return self
        self.dir, self._key, self.salt = spec
        self.readonly = True
        try:
            self._db = sqlite3.connect(f"{(self.dir / FILE).resolve().as_uri()}?mode=ro{'&immutable=1' if still else ''}",
                                       uri=True, timeout=30, isolation_level=None)
            self._db.execute("PRAGMA trusted_schema=OFF")
        except sqlite3.Error:
            self._db = None  # nothing read: everything is computed
        return self

    @classmethod
    def peek(cls, directory: Path | str | None, *salts: str) -> ArticleCache:
        """The cache that ``ArticleCache(directory, *salts)`` opens, for reading alone, and without making
        its folder or file if they are not there (a run that stops at a bad input leaves nothing)."""
        nothing = cls(None, *salts)  # its keys are the cache's keys
        if directory is None or not (Path(directory) / FILE).is_file():
            return nothing
        if any(p.is_symlink() for p in (Path(directory), Path(directory) / FILE)):
            return nothing  # never read through a link (as the cache itself)
        return cls.reader((Path(directory), signing_key()[0], nothing.salt), still=True)

    def take_used(self) -> list[str]:
        """The keys read or touched since the last call (a reader's)."""
        used, self._used = self._used, []
        return used

    def key(self, *parts: str) -> str:
        return hashlib.sha256("|".join((self.salt, *parts)).encode()).hexdigest()

    def _broken(self) -> None:
        """A corrupt cache file costs a recode, never the run: stop using it, start afresh next time."""
        with suppress(sqlite3.Error, AttributeError):
            self._db.close()
        self._db = None
        if not self.readonly:  # the run that writes decides
            with suppress(OSError):
                (self.dir / FILE).unlink()

    def sign(self, blob: bytes, key: str) -> bytes:
        """The stored value of a pickle under ``key``: compressed, then signed with the key it is stored
        under, so that a value read under any other key (a row moved, a page torn) does not check."""
        import pyarrow as pa
        packed = len(blob).to_bytes(_SIZE, "little") + pa.compress(blob, codec=CODEC, asbytes=True)
        return MAGIC + hmac.digest(self._key, _signed(key, packed), "sha256") + packed

    def verified(self, stored, key: str) -> bytes | None:
        """The pickle inside a value stored under ``key``, if this user's key signed it there; else None
        (never decompressed before its signature checks)."""
        if not isinstance(stored, bytes) or not stored.startswith(MAGIC) or len(stored) < _SIG + _SIZE:
            return None
        packed = stored[_SIG:]
        good = hmac.digest(self._key, _signed(key, packed), "sha256")
        if not hmac.compare_digest(good, stored[len(MAGIC):_SIG]):
            return None
        import pyarrow as pa
        try:
            return pa.decompress(packed[_SIZE:], decompressed_size=int.from_bytes(packed[:_SIZE], "little"),
                                 codec=CODEC, asbytes=True)
        except (OSError, ValueError):  # signed here, but cut short on disk: recomputed
            return None

    def blob(self, key: str, keep: bool = True) -> bytes | None:
        """The pickle under ``key``, if signed with this user's key (for a process that unpickles it
        itself: a value that then does not load is recomputed there); else None.  ``keep``: noted as
        in use, so that pruning keeps it (False: read once more, then let go, as an earlier version)."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            self._broken()
            return None
        if row is None:
            return None
        blob = self.verified(row[0], key)
        if blob is None:  # not signed here: never unpickled
            self.rejected += 1
            return None
        if keep:
            self._note_used(key)
        return blob

    def get(self, key: str, shared: Shared | None = None, expect=None, keep: bool = True):
        """The value under ``key``, if signed with this user's key and ``expect(value)`` holds; else None."""
        return self.load(self.blob(key, keep), shared, expect)

    def load(self, blob: bytes | None, shared: Shared | None = None, expect=None):
        """The value of a pickle ``blob`` gave, if it loads and ``expect(value)`` holds; else None (counted)."""
        if blob is None:
            return None
        try:
            value = shared.loads(blob) if shared is not None else pickle.loads(blob)
        except Exception:  # from an older layout of our own: recompute
            self.rejected += 1
            return None
        if expect is not None and not expect(value):
            self.rejected += 1
            return None
        return value

    def note(self) -> str:
        """One line on entries that did not check, for the command's warnings ('' if none)."""
        if self.refused:
            return self.refused
        if not self.rejected:
            return ""
        return (f"{self.rejected} cache entr{'y' if self.rejected == 1 else 'ies'} in {self.dir / FILE} did not check "
                "(signed elsewhere, damaged or of an older kind) and were recomputed, not read")

    def has(self, *keys: str) -> bool:
        """Whether every key has an entry (without reading them)."""
        return len(self.present(*keys)) == len(set(keys))

    def present(self, *keys: str) -> set[str]:
        """Those of the keys that have an entry (without reading them): one query per 500 keys, not one
        look-up each (after a frame edit, every article's entry for that frame is missing)."""
        if self._db is None:
            return set()
        found: set[str] = set()
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                found.update(k for (k,) in self._db.execute(
                    f"SELECT key FROM entries WHERE key IN ({','.join('?' * len(chunk))})", chunk))
        except sqlite3.Error:
            self._broken()
            return set()
        return found

    def touch(self, *keys: str) -> None:
        """Mark entries as used without reading them."""
        if self._db is not None:
            self._note_used(*keys)

    def _note_used(self, *keys: str) -> None:
        if self.readonly:
            self._used += keys
        else:
            self._used_tags.extend(_tags(keys))

    def put(self, key: str, value) -> None:
        if self._db is not None:
            self.put_bytes(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_bytes(self, key: str, blob: bytes) -> None:
        """Keep a value pickled elsewhere (a worker process) as it is, signed."""
        if self._db is not None and not self.readonly:
            self.put_stored(key, self.sign(blob, key))

    def put_stored(self, key: str, stored: bytes) -> None:
        """Keep a value signed elsewhere (a coder of this run, with this run's key: ``sign``) as it is."""
        if self._db is not None and not self.readonly:
            self._pending.append((key, self.run, stored))
            self._used_tags.append(_tag(key))  # written by this run: pruning keeps it
            if len(self._pending) >= 500:
                self.flush()

    def flush(self) -> None:
        if self._db is None or self.readonly:
            return
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", self._pending)
        except sqlite3.Error:
            self._broken()
        self._pending = []

    def prune(self) -> int:
        """Drop every entry this run neither wrote nor used; returns how many."""
        if self._db is None or self.readonly:
            return 0
        self.flush()
        import numpy as np
        used = np.sort(np.frombuffer(self._used_tags, dtype=np.uint64))  # sorted, searched: np.unique took 6x as long
        try:
            if self._db is None:
                return 0
            stale: list[str] = []
            # the keys alone (SQLite reads them from the key's index, 8 MB at 10,000 articles), not the
            # table's rows for their run (its 270 MB): what this run wrote is among its tags
            older = self._db.execute("SELECT key FROM entries")
            while rows := older.fetchmany(20000):  # not a million keys at once (120 MB)
                keys = [k for (k,) in rows]
                tags = np.frombuffer(_tags(keys), dtype=np.uint64)
                at = np.minimum(np.searchsorted(used, tags), max(len(used) - 1, 0))
                kept = used[at] == tags if len(used) else np.zeros(len(tags), dtype=bool)
                stale += [keys[i] for i in np.flatnonzero(~kept).tolist()]
            with self._db:
                self._db.execute("BEGIN")
                for i in range(0, len(stale), 500):
                    chunk = stale[i:i + 500]
                    self._db.execute(f"DELETE FROM entries WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            return len(stale)
        except sqlite3.Error:
            self._broken()
            return 0

    def __len__(self) -> int:
        return 0 if self._db is None else self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]

    def close(self) -> None:
        if self._db is not None:
            self.flush()
            self._db.close()
            self._db = None


def _signed(key: str, packed: bytes) -> bytes:
    """What an entry's signature covers: the key it is stored under (its length first), then its value."""
    k = key.encode("utf-8")
    return len(k).to_bytes(4, "little") + k + packed


def _tag(key) -> int:
    """A key's first 64 bits (``key`` gives SHA-256 hex).  Any other key a handed-over file holds
    gets ``NO_TAG``, which no key of ours has but by a one in 2**64 chance: pruning drops it."""
    try:
        return int(key[:16], 16) if isinstance(key, str) and len(key) == 64 and key.isascii() else NO_TAG
    except ValueError:
        return NO_TAG


NO_TAG = 2 ** 64 - 1


def _tags(keys) -> array:
    """``_tag`` of each key, at once: the keys of ours (64 characters each) decoded from hex in one call
    (a run notes 230,000 at 10,000 articles); anything else, or any key that is not hex, key by key."""
    keys = keys if isinstance(keys, (list, tuple)) else list(keys)
    if all(type(k) is str and len(k) == 64 for k in keys):
        try:
            raw = bytes.fromhex("".join([k[:16] for k in keys]))
        except ValueError:
            raw = b""
        if len(raw) == 8 * len(keys):  # fromhex skips spaces: a key with one would come out short
            out = array("Q", raw)
            if sys.byteorder == "little":
                out.byteswap()  # the hex is big-endian, as ``int(key[:16], 16)`` reads it
            return out
    return array("Q", map(_tag, keys))


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
