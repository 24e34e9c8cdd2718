"""The whole evidence as one SQLite file beside the Parquet tables (OUT/tables/evidence.sqlite),
for `python -m analysis explore`: one row per (sentence, frame) with its quote, translation and
highlights, indexed for the explorer's filters, and a trigram full-text index over each sentence's text
(Arabic, English, outlet, evidence id, file) folded as the coder folds it (analysis.text.normalize), so a
search finds a word inside its clitics.

Built from the tables `code` wrote, a few thousand rows at a time (DuckDB reads the Parquet);
written to a temporary name and renamed into place, so a reader never sees half a database.
Indexing the text is most of the work (the trigram index), so a rebuild starts from a copy of the
last database and indexes only the sentences that are new or whose indexed text changed (a
codebook edit adds and drops a few); the row table is written whole each time.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

from analysis.results.evidence import evidence_id
from analysis.text.normalize import normalize

DB = "evidence.sqlite"
CHUNK = 5000
VERSION = "3"  # the layout below: a database of another layout is built afresh
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE sentences (id INTEGER PRIMARY KEY, evidence_id TEXT UNIQUE, digest INTEGER);
CREATE VIRTUAL TABLE search USING fts5(hay, tokenize='trigram');
INSERT INTO search (search, rank) VALUES ('automerge', 16);
INSERT INTO search (search, rank) VALUES ('crisismerge', 64);
"""
# The index's segments are merged 16 at a time, not 4: building it for 100,000 articles (416,000 sentences)
# took 27-32 s instead of 38 s, with the same answers and query times (measured on the same sentences)
ROWS = """
CREATE TABLE evidence (
  id INTEGER PRIMARY KEY, evidence_id TEXT, article_id TEXT, outlet TEXT, date TEXT, file TEXT,
  start INTEGER, "end" INTEGER, frame TEXT, stance TEXT, speaker TEXT, arabic TEXT, english TEXT,
  highlights TEXT, sentence INTEGER, camp TEXT, grp TEXT, unnamed INTEGER);
"""
INDEXES = ("outlet", "frame", "stance", "speaker", "date", "evidence_id", "sentence", "camp", "grp", "unnamed")


def fold(text: str) -> str:
    """What search compares: the coder's normalization (diacritics, tatweel, alef/yeh/teh marbuta
    forms, digits), lower-cased."""
    return normalize(text or "").lower()


class Folder:
    """``fold`` of many texts at once, with the same result: the characters normalization changes are
    few (a dozen in an Arabic corpus), so one regex replaces those and leaves the rest in place, where
    ``str.translate`` looks every character up (3 s against 6-9 s for 416,000 sentences).  New
    characters are classified as they first appear."""

    def __init__(self):
        self.known: dict[str, str] = {}
        self.pattern = None

    def __call__(self, texts: list[str]) -> list[str]:
        new = set("".join(texts)).difference(self.known)
        if new:
            self.known.update((c, normalize(c)) for c in new)
            changing = sorted(c for c, folded in self.known.items() if folded != c)
            self.pattern = re.compile("[" + "".join(map(re.escape, changing)) + "]") if changing else None
        if self.pattern is None:
            return [t.lower() for t in texts]
        sub, get = self.pattern.sub, self.known.__getitem__
        return [sub(lambda m: get(m.group()), t).lower() for t in texts]


def db_path(tables: Path) -> Path:
    return Path(tables) / DB


def inputs_digest(data_dir: Path) -> str:
    """What the database holds beyond the tables: each row's camp (actors.yaml) and outlet group
    (outlets.csv, the manifest's outlets), as a digest of those files."""
    from analysis.io.cache import file_hash
    parts = (file_hash(Path(data_dir) / f) for f in ("actors.yaml", "outlets.csv", "manifest.csv"))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def fresh(tables: Path, inputs: str | None = None) -> bool:
    """The database exists in this layout, is newer than the tables it was built from and (given
    ``inputs_digest``) was built from the same actors and outlets."""
    db, src = db_path(tables), Path(tables) / "frame_sentences.parquet"
    if not (db.is_file() and src.is_file() and db.stat().st_mtime_ns >= src.stat().st_mtime_ns and _reusable(db)):
        return False
    return inputs is None or _meta(db, "inputs") == inputs


def _meta(db: Path, key: str) -> str | None:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _rows(con, tables: Path):
    """(sentence, frame) rows in reading order, with their highlights, from the Parquet tables."""
    src = lambda n: "read_parquet('" + str(Path(tables) / f"{n}.parquet").replace("'", "''") + "')"  # noqa: E731
    sql = f"""
      WITH h AS (SELECT sentence_id, frame, list(DISTINCT [start, "end"]) AS spans
                 FROM {src('mentions')} GROUP BY sentence_id, frame)
      SELECT f.article_id, f.outlet, a.date, a.file, f.sentence_start, f.sentence_end, f.frame, f.stance,
             f.speaker_name, s.sentence, h.spans, f.speaker, f.speaker_kind
      FROM {src('frame_sentences')} f
      JOIN {src('articles')} a USING (article_id)
      JOIN {src('segments')} s USING (sentence_id)
      LEFT JOIN h USING (sentence_id, frame)
      ORDER BY f.article_id, f.sentence_start, f.frame"""
    cur = con.execute(sql)
    while batch := cur.fetchmany(CHUNK):
        yield batch


def _pairs(marks: list[tuple[int, int]]) -> str:
    """``json.dumps`` of (start, end) pairs, written directly (a third of its time; one per evidence row)."""
    return "[" + ", ".join(f"[{a}, {b}]" for a, b in marks) + "]"


def _reusable(db: Path) -> bool:
    """The last database can be updated in place of a new one: it exists and has this layout."""
    return db.is_file() and _meta(db, "schema") == VERSION


def _digest(text: str) -> int:
    """What a sentence's index entry was built from, as a signed 64-bit number (SQLite's INTEGER)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


class _Index:
    """The text index of the sentences, updated against what the last database indexed."""

    def __init__(self, out: sqlite3.Connection):
        self.out = out
        self.known = {eid: (sid, dg) for eid, sid, dg in out.execute("SELECT evidence_id, id, digest FROM sentences")}
        self.next = (out.execute("SELECT max(id) FROM sentences").fetchone()[0] or 0) + 1
        self.added = self.reindexed = 0
        self.fold = Folder()

    def sentence(self, eid: str, source: str, pending: list) -> int:
        """The sentence's id; its text is (re)indexed (into ``pending``) when new or changed."""
        dg = _digest(source)
        old = self.known.pop(eid, None)
        if old is not None and old[1] == dg:
            return old[0]
        if old is None:
            sid, self.next = self.next, self.next + 1
            self.added += 1
        else:
            sid = old[0]
            self.reindexed += 1
            self.out.execute("DELETE FROM search WHERE rowid = ?", (sid,))
        pending.append((sid, eid, dg, source))
        return sid

    def write(self, pending: list) -> None:
        self.out.executemany("INSERT OR REPLACE INTO sentences VALUES (?, ?, ?)", [p[:3] for p in pending])
        hay = self.fold([p[3] for p in pending])
        self.out.executemany("INSERT INTO search (rowid, hay) VALUES (?, ?)", zip((p[0] for p in pending), hay))
        pending.clear()

    def drop_rest(self) -> int:
        """Forget the sentences no longer in the evidence."""
        gone = [(sid,) for sid, _ in self.known.values()]
        self.out.executemany("DELETE FROM search WHERE rowid = ?", gone)
        self.out.executemany("DELETE FROM sentences WHERE id = ?", gone)
        return len(gone)


def build(tables: Path, translations: dict, labels: dict[str, str], camp=None, groups: dict | None = None,
          inputs: str = "") -> Path:
    """Write OUT/tables/evidence.sqlite from the tables; ``translations`` by evidence id, ``labels``
    by frame id (both searched with the text); ``camp(speaker id)`` the speaker's camp and ``groups``
    {outlet: outlet group} as the briefing's outlet table has them (none: not offered); ``inputs``
    the inputs_digest they came from (what ``fresh`` compares)."""
    camp = camp or (lambda _: "")
    groups = groups or {}
    import duckdb
    tables = Path(tables)
    fd, tmp = tempfile.mkstemp(prefix=".evidence.", suffix=".sqlite", dir=tables)
    os.close(fd)
    try:
        if _reusable(db_path(tables)):
            shutil.copyfile(db_path(tables), tmp)
        else:
            Path(tmp).unlink()
        out = sqlite3.connect(tmp)
        out.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")  # a scratch file until renamed
        if not out.execute("SELECT name FROM sqlite_master WHERE name = 'meta'").fetchone():
            out.executescript(SCHEMA)
        out.executescript("DROP TABLE IF EXISTS evidence;" + ROWS)  # its indexes go with it
        index = _Index(out)
        con = duckdb.connect(config={"memory_limit": "512MB", "threads": 2})
        con.execute("SET enable_progress_bar = false")
        n, sid, last, pending = 0, 0, None, []
        for batch in _rows(con, tables):
            rows = []
            for aid, outlet, date, file, start, end, frame, stance, speaker, text, spans, sp_id, kind in batch:
                n += 1
                eid = evidence_id(aid, int(start), int(end))
                t = translations.get(eid)
                english = t.english if t else None
                marks = sorted((int(a) - int(start), int(b) - int(start)) for a, b in (spans or [])
                               if start <= a < b <= end)
                if eid != last:  # a sentence is indexed once, however many frames it carries
                    last = eid
                    sid = index.sentence(eid, "\x01".join((text, english or "", outlet, eid, file)), pending)
                rows.append((n, eid, aid, outlet, str(date or "")[:10], file, int(start), int(end), frame, stance,
                             speaker, text, english, _pairs(marks), sid, camp(sp_id), groups.get(outlet, ""),
                             int(kind == "anonymous")))
            out.executemany("INSERT INTO evidence VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            index.write(pending)
        index.drop_rest()
        for col in INDEXES:
            out.execute(f'CREATE INDEX ix_{col} ON evidence ("{col}")')
        out.execute("DELETE FROM meta")
        out.executemany("INSERT INTO meta VALUES (?, ?)", [("rows", str(n)), ("labels", json.dumps(labels)),
                                                           ("schema", VERSION), ("inputs", inputs)])
        out.commit()
        out.close()
        con.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, db_path(tables))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return db_path(tables)
