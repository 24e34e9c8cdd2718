"""The briefing's data: the tables `code` wrote (Parquet), read by DuckDB and pyarrow.

The kernel never codes and never holds a corpus-wide table of mentions, segments or
texts.  It holds the thin frame-sentence table (ids, outlet, frame, stance, speaker,
offsets: no text), answers sizes by aggregation in DuckDB, and fetches the highlights
of only the sentences it shows, by id.  Quote texts are slices of the articles.

``Coded`` has the attributes of ``pipeline.Analysis`` that the briefing reads (corpus,
codebook, actors, rules, stances, claims, details, sourcing), so the views take either.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from analysis.results.evidence import evidence_rows

TABLES_ENV = "FRAMING_TABLES"  # set by `render` once it has coded: the tables the kernel reads
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
        """Each evidence row's sentence, sliced from its article."""
        texts = {a.id: a.text for a in self.corpus.articles}
        return [texts[a][int(s):int(e)] for a, s, e in zip(ev.article_id, ev.start, ev.end)]

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

    def gold_view(self, article_ids) -> SimpleNamespace:
        """What evaluation reads: codebook, actors, the gold articles' sentences, the stances."""
        return SimpleNamespace(corpus=self.corpus, codebook=self.codebook, actors=self.actors, stances=self.stances,
                               segments=self.store.segments_of(article_ids))


def open_coded(data_dir: Path, tables: Path, dedupe: bool = False) -> Coded:
    """The inputs of ``data_dir`` (checked, not coded) with the tables `code` wrote for it (``dedupe``:
    near-copies were left out of the coding, so they leave the corpus too)."""
    from analysis.inputs.study import Study
    study = Study.load(data_dir)
    if dedupe:
        study.corpus.set_aside = [a.id for a in study.corpus.articles if a.duplicate_of]
        study.corpus.articles = [a for a in study.corpus.articles if not a.duplicate_of]
    return Coded(study.corpus, study.codebook, study.actors, study.extraction_rules, Store(tables))
