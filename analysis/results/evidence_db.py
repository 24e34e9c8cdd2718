"""The whole evidence as one SQLite file beside the Parquet tables (OUT/tables/evidence.sqlite),
for `python -m analysis explore`: one row per (sentence, frame) with its quote, translation and
highlights, indexed for the explorer's filters, and a trigram full-text index over each sentence's text
(Arabic, English, outlet, evidence id, file) folded as the coder folds it (analysis.text.normalize), so a
search finds a word inside its clitics.

Built from the tables `code` wrote, a few thousand rows at a time (DuckDB reads the Parquet);
written to a temporary name and renamed into place, so a reader never sees half a database.
"""
from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path

from analysis.results.evidence import evidence_id
from analysis.text.normalize import normalize

DB = "evidence.sqlite"
CHUNK = 5000
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE evidence (
  id INTEGER PRIMARY KEY, evidence_id TEXT, article_id TEXT, outlet TEXT, date TEXT, file TEXT,
  start INTEGER, "end" INTEGER, frame TEXT, stance TEXT, speaker TEXT, arabic TEXT, english TEXT,
  highlights TEXT, sentence INTEGER);
CREATE VIRTUAL TABLE search USING fts5(hay, tokenize='trigram');
"""
INDEXES = ("outlet", "frame", "stance", "speaker", "date", "evidence_id", "sentence")


def fold(text: str) -> str:
    """What search compares: the coder's normalization (diacritics, tatweel, alef/yeh/teh marbuta
    forms, digits), lower-cased."""
    return normalize(text or "").lower()


def db_path(tables: Path) -> Path:
    return Path(tables) / DB


def fresh(tables: Path) -> bool:
    """The database exists and is newer than the tables it was built from."""
    db, src = db_path(tables), Path(tables) / "frame_sentences.parquet"
    return db.is_file() and src.is_file() and db.stat().st_mtime_ns >= src.stat().st_mtime_ns


def _rows(con, tables: Path):
    """(sentence, frame) rows in reading order, with their highlights, from the Parquet tables."""
    src = lambda n: "read_parquet('" + str(Path(tables) / f"{n}.parquet").replace("'", "''") + "')"  # noqa: E731
    sql = f"""
      WITH h AS (SELECT sentence_id, frame, list(DISTINCT [start, "end"]) AS spans
                 FROM {src('mentions')} GROUP BY sentence_id, frame)
      SELECT f.article_id, f.outlet, a.date, a.file, f.sentence_start, f.sentence_end, f.frame, f.stance,
             f.speaker_name, s.sentence, h.spans
      FROM {src('frame_sentences')} f
      JOIN {src('articles')} a USING (article_id)
      JOIN {src('segments')} s USING (sentence_id)
      LEFT JOIN h USING (sentence_id, frame)
      ORDER BY f.article_id, f.sentence_start, f.frame"""
    cur = con.execute(sql)
    while batch := cur.fetchmany(CHUNK):
        yield batch


def build(tables: Path, translations: dict, labels: dict[str, str]) -> Path:
    """Write OUT/tables/evidence.sqlite from the tables; ``translations`` by evidence id, ``labels``
    by frame id (both searched with the text)."""
    import duckdb
    tables = Path(tables)
    fd, tmp = tempfile.mkstemp(prefix=".evidence.", suffix=".sqlite", dir=tables)
    os.close(fd)
    try:
        out = sqlite3.connect(tmp)
        out.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)  # a scratch file until renamed
        con = duckdb.connect(config={"memory_limit": "512MB", "threads": 2})
        con.execute("SET enable_progress_bar = false")
        n, sent, last = 0, 0, None
        for batch in _rows(con, tables):
            rows, hay = [], []
            for aid, outlet, date, file, start, end, frame, stance, speaker, text, spans in batch:
                n += 1
                eid = evidence_id(aid, int(start), int(end))
                t = translations.get(eid)
                english = t.english if t else None
                marks = sorted((int(a) - int(start), int(b) - int(start)) for a, b in (spans or [])
                               if start <= a < b <= end)
                if eid != last:  # a sentence is indexed once, however many frames it carries
                    sent, last = sent + 1, eid
                    hay.append((sent, fold("\x01".join((text, english or "", outlet, eid, file)))))
                rows.append((n, eid, aid, outlet, str(date or "")[:10], file, int(start), int(end), frame, stance,
                             speaker, text, english, json.dumps(marks), sent))
            out.executemany("INSERT INTO evidence VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            out.executemany("INSERT INTO search (rowid, hay) VALUES (?, ?)", hay)
        for col in INDEXES:
            out.execute(f'CREATE INDEX ix_{col} ON evidence ("{col}")')
        out.executemany("INSERT INTO meta VALUES (?, ?)", [("rows", str(n)), ("labels", json.dumps(labels))])
        out.commit()
        out.close()
        con.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, db_path(tables))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return db_path(tables)
