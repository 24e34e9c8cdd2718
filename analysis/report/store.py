"""The briefing's data: the tables `code` wrote (Parquet), read by DuckDB and pyarrow.

The kernel never codes and never holds a corpus-wide table of mentions, segments or
texts.  It holds the thin frame-sentence table (ids, outlet, frame, stance, speaker,
offsets: no text) and the manifest's metadata (``StoredArticle``: no text), answers
sizes by aggregation in DuckDB, and fetches the highlights of only the sentences it
shows, by id.  Quote texts are slices of the articles, read from their files for the
quotes shown only.

``Coded`` has the attributes of ``pipeline.Analysis`` that the briefing reads (corpus,
codebook, actors, rules, stances, claims, details, sourcing), so the views take either.
"""
from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from analysis.results.evidence import evidence_rows

TABLES_ENV = "FRAMING_TABLES"  # set by `render` once it has coded: the tables the kernel reads
DATA_ENV, CACHE_ENV, FIGURES_ENV = "FRAMING_DATA", "FRAMING_CACHE", "FRAMING_FIGURES"  # what `render` tells the kernel
MEMORY = "512MB"               # DuckDB's own ceiling (it spills to disk past it)


class Store:
    """Queries over OUT/tables/*.parquet; every answer a small DataFrame."""

    def __init__(self, tables: Path | str):
        import duckdb
        self.dir = Path(tables)
        self.con = duckdb.connect(config={"memory_limit": MEMORY, "threads": 2})
        try:  # outside a notebook its bar would print into the log; inside one it cannot draw (no ipywidgets)
            self.con.execute("SET enable_progress_bar = false")
        except duckdb.Error:
            pass

    def path(self, name: str) -> str:
        p = self.dir / f"{name}.parquet"
        if not p.is_file():
            raise FileNotFoundError(f"{p}: no such table; run `python -m analysis code` (render does it first)")
        return str(p)

    def src(self, name: str, *options: str) -> str:
        """A table as DuckDB reads it; the path is given as a bound-free literal with quotes doubled."""
        return "read_parquet('" + self.path(name).replace("'", "''") + "'" + "".join(", " + o for o in options) + ")"

    def query(self, sql: str, **frames: pd.DataFrame) -> pd.DataFrame:
        """``sql`` over ``src(...)`` tables and the DataFrames in ``frames``, registered by name."""
        for name, df in frames.items():
            self.con.register(name, df)
        try:
            return self.con.execute(sql).df()
        finally:
            for name in frames:
                self.con.unregister(name)

    def table(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        """A whole (thin) table: pyarrow reads it 4x faster than DuckDB hands it over, with its pandas types."""
        import pyarrow.parquet as pq
        return pq.read_table(self.path(name), columns=columns).to_pandas()

    def columns(self, name: str) -> list[str]:
        import pyarrow.parquet as pq
        return list(pq.read_schema(self.path(name)).names)

    def rows(self, name: str) -> int:
        import pyarrow.parquet as pq
        return pq.ParquetFile(self.path(name)).metadata.num_rows

    def article_sizes(self) -> pd.DataFrame:
        """Per article (index): sentences and words of cleaned content."""
        df = self.query("SELECT article_id, count(*) AS sentences, sum(words) AS words "
                        f"FROM {self.src('segments')} GROUP BY article_id")
        return df.astype({"sentences": int, "words": int}).set_index("article_id")

    def highlights(self, keys: pd.DataFrame) -> pd.DataFrame:
        """The mentions of the (sentence_id, frame) pairs in ``keys``, in the table's order."""
        return self.query('SELECT m.sentence_id, m.frame, m.start, m."end", m.indicator '
                          f"FROM {self.src('mentions', 'file_row_number=true')} m "
                          "SEMI JOIN wanted w ON m.sentence_id = w.sentence_id AND m.frame = w.frame "
                          "ORDER BY m.file_row_number", wanted=keys[["sentence_id", "frame"]].drop_duplicates())

    def heading_candidates(self, ends: str) -> pd.DataFrame:
        """The frame sentences that may be a headline or subheading: the article has a title, or the
        sentence does not end as a sentence does (``ends``, an RE2 pattern whose match in RE2 implies
        a match of the report's own pattern in Python: RE2's \\s is narrower)."""
        return self.query("SELECT DISTINCT f.article_id, f.sentence_start AS start, f.sentence_end AS \"end\" "
                          f"FROM {self.src('frame_sentences')} f JOIN {self.src('segments')} s ON s.sentence_id = f.sentence_id "
                          f"JOIN {self.src('articles')} a ON a.article_id = f.article_id "
                          "WHERE coalesce(a.title, '') <> '' OR NOT regexp_matches(s.sentence, $ends)"
                          .replace("$ends", "'" + ends.replace("'", "''") + "'"))

    def segments_of(self, article_ids) -> list[SimpleNamespace]:
        """The sentences of some articles (as the gold file's loader reads them)."""
        ids = pd.DataFrame({"article_id": sorted(article_ids)})
        df = self.query('SELECT s.article_id, s.sentence_id, s.start, s."end", s.sentence '
                        f"FROM {self.src('segments')} s SEMI JOIN ids USING (article_id)", ids=ids)
        return [SimpleNamespace(article_id=r.article_id, sentence_id=r.sentence_id, start=int(r.start),
                                end=int(r.end), text=r.sentence) for r in df.itertuples()]


@dataclass
class Coded:
    """A coded study read back from its tables: the inputs, and the tables as the views need them."""
    corpus: object
    codebook: object
    actors: dict
    extraction_rules: object
    store: Store
    stats: dict = field(default_factory=dict)

    @cached_property
    def stances(self) -> pd.DataFrame:
        """One row per (sentence, frame), without its text."""
        return self.store.table("frame_sentences")

    @cached_property
    def claims(self) -> pd.DataFrame:
        return self._thin("claims")

    @cached_property
    def details(self) -> pd.DataFrame:
        return self._thin("details")

    @cached_property
    def sourcing(self) -> pd.DataFrame:
        return self.store.table("sourcing")

    def _thin(self, name: str) -> pd.DataFrame:
        return self.store.table(name, [c for c in self.store.columns(name) if c != "sentence"])

    @cached_property
    def removed_count(self) -> int:
        return self.store.rows("removed")

    def counts(self) -> pd.DataFrame:
        """outlet x frame from the frame sentences: as `code` wrote it, or as the briefing's reviews left it."""
        from analysis.results.tables import outlet_frame_from
        st = self.stances
        units = st.groupby(["outlet", "frame"]).agg(sentences=("sentence_id", "nunique"),
                                                    articles=("article_id", "nunique"))
        return outlet_frame_from(self.corpus, self.codebook, self.article_sizes(), units)

    def article_sizes(self) -> pd.DataFrame:
        return self.store.article_sizes()

    def evidence(self, translations: dict) -> pd.DataFrame:
        """One row per (sentence, frame) without text or highlights (``with_text`` adds them)."""
        return evidence_rows(self.stances, self.corpus.articles, translations)

    def quotes(self, ev: pd.DataFrame) -> list[str]:
        """Each evidence row's sentence, sliced from its article (each article read once, then let go)."""
        return [text[s:e] for text, s, e in _by_article(self.corpus, ev.article_id, ev.start, ev.end)]

    def headings(self, ev: pd.DataFrame) -> list[bool]:
        """Which evidence rows are a headline or subheading (quotes.is_heading), reading only the
        articles of the rows that may be one (``Store.heading_candidates``)."""
        from analysis.report.quotes import ENDS_SENTENCE, is_heading
        maybe = self.store.heading_candidates(ENDS_SENTENCE.pattern)
        maybe = set(zip(maybe.article_id, maybe.start.astype(int), maybe.end.astype(int)))
        keys = list(zip(ev.article_id, ev.start.astype(int), ev.end.astype(int)))
        rows = [i for i, k in enumerate(keys) if k in maybe]
        out = [False] * len(keys)
        arts = [keys[i][0] for i in rows]
        for i, (text, s, e) in zip(rows, _by_article(self.corpus, arts, [keys[i][1] for i in rows],
                                                     [keys[i][2] for i in rows])):
            out[i] = is_heading(text, s, e, self.corpus.article(keys[i][0]).title)
        return out

    def with_text(self, ev: pd.DataFrame) -> pd.DataFrame:
        """A few evidence rows with their quote, highlights and indicators (fetched by id)."""
        ev = ev.drop(columns=[c for c in ("arabic", "highlights", "indicators") if c in ev.columns])
        spans: dict[tuple, set] = {}
        labels: dict[tuple, list] = {}
        if len(ev):
            m = self.store.highlights(ev)
            for sid, frame, start, end, ind in zip(m.sentence_id, m.frame, m.start, m.end, m.indicator):
                spans.setdefault((sid, frame), set()).add((int(start), int(end)))
                labels.setdefault((sid, frame), []).append(ind)
        keys = list(zip(ev.sentence_id, ev.frame))
        return ev.assign(
            arabic=self.quotes(ev),
            highlights=[sorted(spans.get(k, ())) for k in keys],
            indicators=["; ".join(dict.fromkeys(labels.get(k, []))) for k in keys])

    def subset(self, article_ids) -> SimpleNamespace:
        """The inputs as a checker of a few articles reads them (a translations file): its corpus holds
        those articles only, so that their texts alone are read.  An id not in the corpus stays out, as
        it is out of the whole corpus."""
        from analysis.inputs.corpus import Corpus
        ids = set(article_ids)
        c = self.corpus
        corpus = Corpus(c.data_dir, c.outlets, [a for a in c.articles if a.id in ids], c.warnings, c.set_aside)
        return SimpleNamespace(corpus=corpus, codebook=self.codebook, actors=self.actors)

    def gold_view(self, article_ids) -> SimpleNamespace:
        """What evaluation reads: codebook, actors, the gold articles (only: their texts are read) and
        their sentences, the stances."""
        view = self.subset(article_ids)
        view.stances, view.segments = self.stances, self.store.segments_of(article_ids)
        return view


def _by_article(corpus, article_ids, starts, ends):
    """(text, start, end) per row in the rows' order; each article's file is read once, held only while
    its rows are sliced.  One pass of reading: the data folder's subfolders are resolved once for it
    (``io.paths.Folder``), not once per article (0.9 s of a 10,000-article re-render's kernel)."""
    from analysis.inputs.corpus import StoredArticle
    article_ids, starts, ends = list(article_ids), list(starts), list(ends)
    order = sorted(range(len(article_ids)), key=lambda i: article_ids[i])
    out: list = [None] * len(order)
    aid, text, folder = None, "", None
    for i in order:
        if article_ids[i] != aid:
            aid = article_ids[i]
            a = corpus.article(aid)
            if isinstance(a, StoredArticle):
                folder = folder or a.path[0].fresh()
                text = a.texts.get(a, folder)
            else:
                text = a.text
        out[i] = (text, int(starts[i]), int(ends[i]))
    return out


CHANGED = ("the article changed after it was coded", "render again (it codes the changed article first)")


def stored_corpus(data_dir: Path, tables: Path, dedupe: bool = False):
    """The corpus `code` read (the manifest's rows, in id order), each article without its text; the
    hashes of their texts come from the articles table `code` wrote.  ``dedupe``: near-copies were
    left out of the coding, so they leave the corpus too.  A manifest that no longer lists what was
    coded (a row added or dropped since) is refused: its counts would not be the tables'."""
    import pyarrow.parquet as pq

    from analysis.inputs.corpus import MANIFEST, Corpus, StoredArticle, Texts, load_outlets, numbered_rows
    from analysis.io.errors import Problems
    from analysis.io.paths import Folder
    data_dir = Path(data_dir)
    problems = Problems()
    outlets = load_outlets(data_dir, problems)
    problems.raise_if_any()
    coded = pq.read_table(Path(tables) / "articles.parquet", columns=["article_id", "sha256"]).to_pydict()
    sha = dict(zip(coded["article_id"], coded["sha256"]))
    root, keep = Folder(data_dir), sys.intern  # repeated metadata strings held once
    articles, texts = [], Texts()
    lines: dict[str, int] = {}  # id → its row's line, for the rows that were coded
    aside, odd = [], []  # near-copies left out (dedupe); rows not coded, or listed twice: (id, line)
    with open(data_dir / MANIFEST, encoding="utf-8-sig", newline="") as f:  # checked when it was coded
        reader = csv.reader(f)
        header = next(reader, [])
        for line, fields in numbered_rows(reader):  # each row at the line it starts on, as `code` names it
            row = {k: (fields[i] if i < len(fields) else "").strip() for i, k in enumerate(header) if k}
            aid = row.get("id", "")
            if dedupe and row.get("duplicate_of"):
                aside.append(aid)
                continue
            if aid not in sha or aid in lines:  # never parsed further: its outlet or date may not be valid
                odd.append((aid, line))
                continue
            lines[aid] = line
            day = row.get("date", "")
            articles.append(StoredArticle(
                id=row["id"], file=Path(row["file"]).as_posix(), outlet=outlets[row["outlet"]],
                date=date.fromisoformat(day) if day else None, language=keep(row["language"]),
                sha256=sha.get(row["id"], ""), title=row.get("title", ""), url=row.get("url", ""),
                outlet_basis=keep(row.get("outlet_basis") or "unknown"),
                outlet_confidence=keep(row.get("outlet_confidence") or "low"),
                outlet_evidence=keep(row.get("outlet_evidence", "")),
                date_basis=keep(row.get("date_basis") or ("unknown" if not day else "stated")),
                date_confidence=keep(row.get("date_confidence") or "low"),
                date_evidence=keep(row.get("date_evidence", "")), duplicate_of=row.get("duplicate_of", ""),
                path=(root, row["file"]), texts=texts, changed=CHANGED))  # resolved when read: resolving 100,000 paths takes half a minute
    _same_articles(data_dir / MANIFEST, lines, odd, sha)
    articles.sort(key=lambda a: a.id)
    return Corpus(data_dir=data_dir, outlets=outlets, articles=articles, set_aside=sorted(aside))


def _same_articles(manifest: Path, lines: dict[str, int], odd: list[tuple[str, int]], coded: dict[str, str]) -> None:
    """An InputError if the manifest's rows are not the coded articles: a row not coded (added, or no
    longer marked ``duplicate_of``, since), an id listed twice, or a coded article it no longer lists
    (dropped, or marked ``duplicate_of`` since).  At most three of each kind are named."""
    from analysis.io.errors import Problems
    problems = Problems()
    for aid, line in odd[:3]:
        if aid in lines:
            problems.add(manifest, line, f"id {_shown(aid)} is listed twice (first on line {lines[aid]})",
                         "give each article its own id, then render again")
        else:
            problems.add(manifest, line, f"article {_shown(aid)} is not among the coded articles "
                         "(added, or no longer marked duplicate_of, since they were coded)", CHANGED[1])
    if len(odd) > 3:
        problems.add(manifest, None, f"{len(odd) - 3} more row(s) like these", CHANGED[1])
    gone = sorted(set(coded) - set(lines))
    if gone:
        more = f" and {len(gone) - 3} more" if len(gone) > 3 else ""
        problems.add(manifest, None, "coded article(s) the manifest no longer lists (dropped, or marked "
                     "duplicate_of, since they were coded): " + ", ".join(map(_shown, gone[:3])) + more, CHANGED[1])
    problems.raise_if_any()


def _shown(aid: str) -> str:
    """An id for a message: quoted as written if it is a plain id, else its first 40 characters escaped
    (a row no run has checked may hold a line break or a megabyte)."""
    from analysis.inputs.corpus import ID_RE
    if ID_RE.fullmatch(aid) and len(aid) <= 64:
        return f"'{aid}'"
    return repr(aid[:40]) + ("…" if len(aid) > 40 else "")


def open_coded(data_dir: Path, tables: Path, dedupe: bool = False) -> Coded:
    """The inputs of ``data_dir`` (the codebook, actors and rules loaded; the corpus as `code` read it,
    without its texts) with the tables `code` wrote for it (``dedupe``: near-copies were left out of
    the coding, so they leave the corpus too)."""
    from analysis.inputs.actors import load_actors
    from analysis.inputs.codebook import CODEBOOK, load_codebook
    from analysis.inputs.corpus import load_events
    from analysis.inputs.cues import load_cues
    from analysis.inputs.extraction_rules import load_extraction_rules
    data_dir = Path(data_dir)
    corpus = stored_corpus(data_dir, tables, dedupe)
    codebook = load_codebook(data_dir / CODEBOOK)
    rules = load_extraction_rules(data_dir, frame_ids=codebook.frame_ids, events=load_events(data_dir),
                                  cue_kinds=load_cues(data_dir).kinds())
    return Coded(corpus, codebook, load_actors(data_dir), rules, Store(tables))
