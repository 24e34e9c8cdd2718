"""The coding cache (io/cache.py) on its own: signatures, keys, pending writes, pruning, readers.

Every expected value here is worked out from the format the module's docstring states (MAGIC, then
HMAC-SHA256 over the key's length, the key and the packed value, then the packed value: its length
in 8 bytes and the LZ4-compressed pickle), with hashlib and hmac, not by calling the cache again.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import sqlite3

import pyarrow as pa
import pytest

from analysis.io import cache as C
from analysis.io.cache import ArticleCache, Shared

KEY = bytes(range(32))  # this file's signing key


@pytest.fixture(autouse=True)
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "cache.key"
    path.write_bytes(KEY)
    monkeypatch.setenv(C.KEY_ENV, str(path))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # whatever a test unsets, no key lands in the real one
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    return path


def rows(directory) -> dict[str, bytes]:
    with sqlite3.connect(directory / C.FILE) as db:
        return dict(db.execute("SELECT key, value FROM entries"))


def hexkey(n: int) -> str:
    """A key as ``ArticleCache.key`` makes them (64 hex digits) whose first 64 bits are ``n``."""
    return f"{n:016x}" + "0" * 48


def test_a_value_is_stored_compressed_and_signed_with_the_key_it_is_stored_under(tmp_path):
    c = ArticleCache(tmp_path, "salt")
    blob = pickle.dumps({"a": [1, 2, 3]})
    stored = c.sign(blob, "k1")
    packed = len(blob).to_bytes(8, "little") + pa.compress(blob, codec="lz4", asbytes=True)
    mac = hmac.digest(KEY, (2).to_bytes(4, "little") + b"k1" + packed, "sha256")
    assert stored == b"FBS3" + mac + packed
    assert c.verified(stored, "k1") == blob
    assert c.verified(stored, "k2") is None                         # moved to another key
    assert c.verified(stored[:-1], "k1") is None                     # cut short
    assert c.verified(b"FBS2" + stored[4:], "k1") is None            # another format
    assert c.verified(stored[:40] + bytes([stored[40] ^ 1]) + stored[41:], "k1") is None  # signature touched
    assert c.verified("FBS3", "k1") is None                          # not bytes
    other = ArticleCache(tmp_path / "o", "salt")
    other._key = bytes(32)
    assert other.verified(stored, "k1") is None                      # another user's key


def test_a_signed_value_that_does_not_decompress_is_recomputed(tmp_path):
    c = ArticleCache(tmp_path, "salt")
    blob = pickle.dumps("x" * 1000)
    packed = (len(blob) - 5).to_bytes(8, "little") + pa.compress(blob, codec="lz4", asbytes=True)
    stored = b"FBS3" + hmac.digest(KEY, (2).to_bytes(4, "little") + b"k1" + packed, "sha256") + packed
    assert c.verified(stored, "k1") is None  # signed here, but its stated length is short: recomputed


def test_keys_hash_the_salts_then_the_parts(tmp_path):
    c = ArticleCache(tmp_path, "s1", "s2")
    salt = hashlib.sha256(b"s1|s2").hexdigest()
    assert c.salt == salt
    assert c.key("a", "b") == hashlib.sha256(f"{salt}|a|b".encode()).hexdigest()
    assert ArticleCache(None, "s1", "s2").key("a", "b") == c.key("a", "b")  # a cache of None keys alike


def test_put_then_get_and_what_does_not_check_is_counted(tmp_path):
    c = ArticleCache(tmp_path, "salt")
    c.put("k1", {"rows": [1]})
    c.put("k2", [1, 2])
    assert c.get("k1") is None  # waiting to be written: not read back before the flush
    c.flush()
    assert c.get("k1") == {"rows": [1]} and c.rejected == 0
    assert c.get("missing") is None and c.rejected == 0              # absent: nothing to reject
    assert c.get("k2", expect=lambda v: isinstance(v, dict)) is None and c.rejected == 1
    with sqlite3.connect(tmp_path / C.FILE) as db:                   # a value moved to another key
        db.execute("UPDATE entries SET value = (SELECT value FROM entries WHERE key = 'k1') WHERE key = 'k2'")
    assert c.get("k2") is None and c.rejected == 2
    assert c.load(b"not a pickle") is None and c.rejected == 3
    assert c.note() == (f"3 cache entries in {tmp_path / C.FILE} did not check (signed elsewhere, damaged or "
                        "of an older kind) and were recomputed, not read")
    c.rejected = 1
    assert c.note().startswith("1 cache entry in ")
    c.rejected = 0
    assert c.note() == ""


def test_writes_wait_in_memory_until_500_then_go_in_one_transaction(tmp_path):
    c = ArticleCache(tmp_path, "salt")
    for i in range(499):
        c.put_bytes(f"k{i}", b"v")
    assert rows(tmp_path) == {}
    c.put_bytes("k499", b"v")
    assert len(rows(tmp_path)) == 500 and c._pending == []
    c.put_bytes("k500", b"v")
    c.close()  # flushes what waits
    assert len(rows(tmp_path)) == 501
    assert len(ArticleCache(tmp_path, "salt")) == 501


def test_present_asks_in_chunks_of_500_and_has_needs_every_key(tmp_path):
    c = ArticleCache(tmp_path, "salt")
    keys = [f"k{i}" for i in range(1201)]
    for k in keys:
        c.put_bytes(k, b"v")
    c.flush()
    assert c.present(*keys, "absent") == set(keys)
    assert c.has("k0", "k1200") and not c.has("k0", "absent")
    assert ArticleCache(None).present("k0") == set() and not ArticleCache(None).has("k0")


def test_prune_keeps_what_this_run_wrote_or_used_and_drops_the_rest(tmp_path):
    old = ArticleCache(tmp_path, "salt")
    for n in (1, 2, 3, 4):
        old.put_bytes(hexkey(n), b"v")
    old.put_bytes("not-one-of-our-keys", b"v")  # a handed-over file's: pruned
    old.close()
    run = ArticleCache(tmp_path, "salt")
    run.put(hexkey(1), "written again")
    run.touch(hexkey(2))
    assert run.blob(hexkey(3)) is not None  # read: used
    assert run.prune() == 2  # key 4 and the foreign key
    assert sorted(rows(tmp_path)) == [hexkey(1), hexkey(2), hexkey(3)]


def test_what_is_read_once_more_and_let_go_is_pruned(tmp_path):
    """An edited frame's earlier entries are read with ``keep=False``: read, yet not kept by the pruning;
    the same for a reader, whose used keys the run that writes records."""
    old = ArticleCache(tmp_path, "salt")
    for n in (1, 2):
        old.put(hexkey(n), f"v{n}")
    old.close()
    run = ArticleCache(tmp_path, "salt")
    assert run.get(hexkey(1), keep=False) == "v1" and run.blob(hexkey(2), keep=False) == pickle.dumps(
        "v2", protocol=pickle.HIGHEST_PROTOCOL)
    reader = ArticleCache.reader(run.reader_spec())
    assert reader.get(hexkey(1), keep=False) == "v1" and reader.take_used() == []
    assert reader.get(hexkey(2)) == "v2" and reader.take_used() == [hexkey(2)]
    assert run.prune() == 2 and rows(tmp_path) == {}


def test_prune_of_a_run_that_used_nothing_drops_everything(tmp_path):
    old = ArticleCache(tmp_path, "salt")
    old.put_bytes(hexkey(7), b"v")
    old.close()
    assert ArticleCache(tmp_path, "salt").prune() == 1
    assert rows(tmp_path) == {}


def test_tags_are_the_keys_first_64_bits(tmp_path):
    assert C._tag(hexkey(1)) == 1
    assert C._tag("ff" * 8 + "0" * 48) == 2 ** 64 - 1 == C.NO_TAG
    assert C._tag(hexkey(0x0123456789ABCDEF)) == 0x0123456789ABCDEF
    assert C._tag("k1") == C.NO_TAG and C._tag(None) == C.NO_TAG
    assert C._tag("zz" + "0" * 62) == C.NO_TAG             # 64 characters, not hex
    assert C._tag("٠" * 64) == C.NO_TAG                     # Arabic-Indic digits: int() would read them
    assert list(C._tags([hexkey(1), hexkey(0xABC)])) == [1, 0xABC]
    assert list(C._tags((hexkey(5),))) == [5]
    assert list(C._tags(iter([hexkey(6)]))) == [6]
    # one key not ours falls back to key by key: the others keep their tags
    assert list(C._tags([hexkey(2), "k"])) == [2, C.NO_TAG]
    # fromhex skips spaces, so the digits come out two bytes short: key by key, where int() refuses the spaces
    assert list(C._tags(["00  " + "0" * 60, hexkey(3)])) == [C.NO_TAG, 3]
    assert list(C._tags(["g" * 64, hexkey(4)])) == [C.NO_TAG, 4]
    assert list(C._tags([])) == []                           # a run that touched nothing
    assert list(C._tags(["0123456789abcdef"])) == [C.NO_TAG]  # hex, but not one of our 64-digit keys


def test_signed_covers_the_key_length_first():
    assert C._signed("ab", b"xy") == b"\x02\x00\x00\x00abxy"
    assert C._signed("ع", b"") == b"\x02\x00\x00\x00" + "ع".encode()  # its length in bytes, not letters


def test_a_cache_folder_that_is_a_link_is_never_used(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    c = ArticleCache(link, "salt")
    c.put_bytes("k", b"v")
    c.close()
    assert c.get("k") is None and len(c) == 0 and list(real.iterdir()) == []
    assert c.note() == f"{link} or its {C.FILE} is a symbolic link; the cache was not used (replace the link with a folder)"
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / C.FILE).symlink_to(tmp_path / "elsewhere.sqlite")
    assert ArticleCache(tmp_path / "d", "salt")._db is None and not (tmp_path / "elsewhere.sqlite").exists()
    assert ArticleCache.peek(link, "salt")._db is None


def test_a_file_that_is_not_a_database_is_started_afresh(tmp_path):
    (tmp_path / C.FILE).write_bytes(b"this is not SQLite " * 100)
    c = ArticleCache(tmp_path, "salt")
    c.put("k", 1)
    c.close()
    assert ArticleCache(tmp_path, "salt").get("k") == 1


def test_a_reader_reads_notes_what_it_used_and_never_writes(tmp_path):
    c = ArticleCache(tmp_path, "salt")
    c.put("k1", "one")
    c.flush()
    r = ArticleCache.reader(c.reader_spec())
    assert r.readonly and r.get("k1") == "one"
    r.touch("k2")
    assert r.take_used() == ["k1", "k2"] and r.take_used() == []
    r.put("k3", "three")
    r.put_stored("k4", c.sign(b"four", "k4"))
    assert r._pending == []  # nothing queued: a reader never writes, not even what a coder signed
    r.flush()
    assert r.prune() == 0 and set(rows(tmp_path)) == {"k1"}
    assert ArticleCache.reader(None)._db is None
    gone = ArticleCache.reader((tmp_path / "no such folder", KEY, c.salt))  # nothing to open: all computed
    assert gone.get("k1") is None and gone.present("k1") == set() and not (tmp_path / "no such folder").exists()
    assert ArticleCache(None).reader_spec() is None


def test_peek_makes_nothing_and_reads_what_is_there(tmp_path):
    assert ArticleCache.peek(None, "salt")._db is None          # a run without a cache
    assert ArticleCache.peek(tmp_path / "none", "salt")._db is None and not (tmp_path / "none").exists()
    c = ArticleCache(tmp_path / "c", "salt")
    c.put(c.key("a"), "A")
    c.close()
    p = ArticleCache.peek(tmp_path / "c", "salt")
    assert p.readonly and p.get(p.key("a")) == "A"
    assert sorted(x.name for x in (tmp_path / "c").iterdir()) == [C.FILE]  # no lock files left beside it


def test_a_cache_of_none_does_nothing(tmp_path):
    c = ArticleCache(None, "salt")
    c.put("k", 1)
    c.put_stored("k2", b"signed elsewhere")
    assert c._pending == []
    c.flush()
    assert c.get("k") is None and c.blob("k") is None and len(c) == 0 and c.prune() == 0
    c.close()


def test_the_signing_key_is_read_made_or_replaced_for_the_run(tmp_path, monkeypatch, key_file):
    assert C.signing_key() == (KEY, True)
    key_file.write_bytes(b"short")
    key, lasting = C.signing_key()
    assert len(key) == 32 and key != KEY and not lasting       # too short to trust
    made = tmp_path / "cfg" / "cache.key"
    monkeypatch.setenv(C.KEY_ENV, str(made))
    key, lasting = C.signing_key()
    assert lasting and made.read_bytes() == key and len(key) == 32
    assert oct(made.stat().st_mode & 0o777) == "0o600"
    assert C.signing_key() == (key, True)                      # read, not made again
    assert [p.name for p in made.parent.iterdir()] == ["cache.key"]  # no temporary file left
    monkeypatch.delenv(C.KEY_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert C.key_file() == tmp_path / "xdg" / "framing-briefing" / "cache.key"


def test_a_key_that_cannot_be_written_gives_a_key_of_this_run(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("a file where the key's folder would be")
    monkeypatch.setenv(C.KEY_ENV, str(tmp_path / "file" / "cache.key"))
    key, lasting = C.signing_key()
    assert len(key) == 32 and not lasting
    assert C.signing_key()[0] != key  # a new one each run: nothing it signed is read by the next


def test_shared_objects_are_pickled_by_name():
    obj = object.__new__(type("Actor", (), {}))
    other = object.__new__(type("Actor", (), {}))
    shared = Shared({"kadhimi": obj})
    blob = shared.dumps([obj, 1])
    assert b"kadhimi" in blob
    got = shared.loads(blob)
    assert got[0] is obj and got[1] == 1
    assert Shared({"kadhimi": other}).loads(blob)[0] is other  # the receiver's object of that name
    with pytest.raises(KeyError):
        Shared({}).loads(blob)                                 # an unknown name: the entry is recomputed


def test_a_link_beside_the_file_where_sqlite_keeps_its_log_is_refused_too(tmp_path):
    for suffix in ("-wal", "-shm"):
        d = tmp_path / suffix
        d.mkdir()
        (d / (C.FILE + suffix)).symlink_to(tmp_path / f"elsewhere{suffix}")
        c = ArticleCache(d, "salt")
        assert c._db is None and c.note().endswith("the cache was not used (replace the link with a folder)")
        assert not (d / C.FILE).exists() and not (tmp_path / f"elsewhere{suffix}").exists()


def test_the_cache_makes_its_folders_and_a_folder_it_cannot_make_costs_only_time(tmp_path):
    c = ArticleCache(tmp_path / "a" / "b" / "c", "salt")
    c.put("k", 1)
    c.close()
    assert (tmp_path / "a" / "b" / "c" / C.FILE).is_file()
    (tmp_path / "f").write_text("a file where the cache folder would be")
    c = ArticleCache(tmp_path / "f", "salt")
    c.put("k", 1)
    c.touch("k")
    c.flush()
    assert c.get("k") is None and c.take_used() == [] and c.prune() == 0 and len(c) == 0
    c.close()
    assert (tmp_path / "f").read_text() == "a file where the cache folder would be"


def test_a_cache_of_none_makes_no_key(tmp_path, monkeypatch):
    monkeypatch.setenv(C.KEY_ENV, str(tmp_path / "never" / "cache.key"))
    c = ArticleCache(None, "salt")
    assert not c.lasting and not (tmp_path / "never").exists()


def test_prune_reads_the_keys_in_rounds_and_deletes_in_chunks(tmp_path):
    n = 20_001  # one more than a round of fetchmany
    with sqlite3.connect(tmp_path / C.FILE) as db:  # an older run's entries, written straight in
        db.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, run INTEGER, value BLOB)")
        db.executemany("INSERT INTO entries VALUES (?, 0, x'00')", [(hexkey(i + 10),) for i in range(n)])
    run = ArticleCache(tmp_path, "salt")
    run.touch(hexkey(5))  # one key used, below all of theirs
    assert run.prune() == n and len(run) == 0


def test_prune_with_one_key_used_keeps_that_key_only(tmp_path):
    old = ArticleCache(tmp_path, "salt")
    for n in (3, 9, 20):
        old.put_bytes(hexkey(n), b"v")
    old.close()
    run = ArticleCache(tmp_path, "salt")
    run.touch(hexkey(9))
    assert run.prune() == 2 and list(rows(tmp_path)) == [hexkey(9)]


def test_a_value_pickled_with_shared_objects_is_read_with_them_only(tmp_path):
    obj = object.__new__(type("Actor", (), {}))
    shared = Shared({"kadhimi": obj})
    c = ArticleCache(tmp_path, "salt")
    c.put_bytes("k", shared.dumps({"speaker": obj}))
    c.put("d", {"a": 1})
    c.flush()
    assert c.get("k", shared)["speaker"] is obj and c.rejected == 0
    assert c.get("k") is None and c.rejected == 1  # without them it does not load: recomputed
    assert c.get("d", expect=lambda v: v == {"a": 1}) == {"a": 1} and c.rejected == 1
    assert c.get("d", expect=lambda v: False) is None and c.rejected == 2
    assert c.get("d", expect=lambda v: False) is None and c.rejected == 3


def test_the_default_key_file_is_under_the_home_config(tmp_path, monkeypatch):
    monkeypatch.delenv(C.KEY_ENV)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert C.key_file() == tmp_path / ".config" / "framing-briefing" / "cache.key"


def test_a_key_is_made_in_new_folders_and_in_an_existing_one(tmp_path, monkeypatch):
    deep = tmp_path / "x" / "y" / "cache.key"
    monkeypatch.setenv(C.KEY_ENV, str(deep))
    key, lasting = C.signing_key()
    assert lasting and deep.read_bytes() == key
    assert oct(deep.parent.stat().st_mode & 0o777) == "0o700"
    there = tmp_path / "there"
    there.mkdir()
    monkeypatch.setenv(C.KEY_ENV, str(there / "cache.key"))
    key, lasting = C.signing_key()
    assert lasting and (there / "cache.key").read_bytes() == key


def test_a_key_whose_folder_cannot_be_made_gives_a_key_of_this_run(tmp_path, monkeypatch):
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")  # reading says "no such file"; making it fails
    monkeypatch.setenv(C.KEY_ENV, str(tmp_path / "dangling" / "cache.key"))
    key, lasting = C.signing_key()
    assert len(key) == 32 and not lasting and not (tmp_path / "nowhere").exists()


def test_the_source_hash_covers_the_coding_modules_only(tmp_path, monkeypatch):
    files = {"text/a.py": b"A", "text/sub/b.py": b"B", "text/notes.txt": b"not python", "match/m.py": b"M",
             "inputs/i.py": b"I", "coding/c.py": b"C", "extract/e.py": b"E", "io/cache.py": b"Z",
             "io/other.py": b"not the cache", "io/lazy.py": b"L", "pipeline.py": b"P", "report/r.py": b"R"}
    for rel, data in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    monkeypatch.setattr(C, "PACKAGE", tmp_path)
    want = hashlib.sha256(b"text/a.pyA" b"text/sub/b.pyB" b"match/m.pyM" b"inputs/i.pyI" b"coding/c.pyC"
                          b"extract/e.pyE" b"io/cache.pyZ" b"io/lazy.pyL" b"pipeline.pyP").hexdigest()
    assert C.source_hash() == want
    (tmp_path / "report" / "r.py").write_bytes(b"the briefing edited")
    (tmp_path / "io" / "other.py").write_bytes(b"edited")
    assert C.source_hash() == want                         # recodes nothing
    (tmp_path / "text" / "sub" / "b.py").write_bytes(b"B2")
    assert C.source_hash() != want


def test_file_hash_and_cpu_count(tmp_path, monkeypatch):
    (tmp_path / "rules.yaml").write_bytes(b"abc")
    assert C.file_hash(tmp_path / "rules.yaml") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert C.file_hash(tmp_path / "absent.yaml") == "-"
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    assert C.cpu_count() == 3                               # the cores this process may use, not the machine's
    monkeypatch.delattr(os, "sched_getaffinity")
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert C.cpu_count() == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert C.cpu_count() == 1


class _Torn:
    """A connection to a file damaged mid-run: every statement fails, and so does closing it."""

    def execute(self, *args):
        raise sqlite3.DatabaseError("database disk image is malformed")

    executemany = execute

    def close(self):
        raise sqlite3.Error("cannot close")


def test_a_file_damaged_mid_run_is_dropped_and_the_run_goes_on(tmp_path):
    c = ArticleCache(tmp_path, "salt")
    c.put("k", 1)
    c.flush()
    real, c._db = c._db, _Torn()
    real.close()
    assert c.blob("k") is None and c._db is None
    assert not (tmp_path / C.FILE).exists()  # the run that writes starts afresh next time
    c.put("k", 2)
    c.flush()
    c.touch("k")
    assert c.get("k") is None and len(c) == 0 and c.prune() == 0 and c.present("k") == set()
    c._broken()  # twice: nothing left to close
    c.close()


def test_a_reader_of_a_damaged_file_leaves_it_for_the_run_that_writes(tmp_path):
    c = ArticleCache(tmp_path, "salt")
    c.put("k", 1)
    c.flush()
    r = ArticleCache.reader(c.reader_spec())
    real, r._db = r._db, _Torn()
    real.close()
    assert r.get("k") is None and r._db is None and r.present("k") == set()
    assert (tmp_path / C.FILE).exists() and c.get("k") == 1
    c.close()
