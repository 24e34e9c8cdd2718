"""What `code` writes, batch by batch: the row tables go out as each batch comes in,
the counts are summed, so a corpus of any size codes in bounded memory.

The tables are the same, byte for byte, as ``export_tables`` of the whole analysis:
row tables are concatenations of the batches' rows in article order, and every count
is summable because an article (so each of its sentences) lies in one batch.
"""
from __future__ import annotations

import pandas as pd

from analysis.coding import clean
from analysis.coding.article import segments_frame
from analysis.io.output import TableSet
from analysis.pipeline import BatchResult, Run, claims_table, details_table, sourcing_table
from analysis.results.tables import STREAMED, RunCounts, article_sizes, counted_tables, outlet_frame_from, unit_counts

FLUSH_ROWS = 5000  # sentences held before their rows are written
FOLD = 64          # batches whose small per-batch frames are held before they are added up into one


class TableStream:
    """Feed it every batch of a run, in order, then ``finish``."""

    def __init__(self, run: Run, tables: TableSet):
        self.run, self.tables = run, tables
        self.language = {a.id: a.language for a in run.corpus.articles}
        empty = run.empty()
        self._empty = empty
        for name, df in (("mentions", empty["mentions"]), ("frame_sentences", empty["stances"].drop(columns=["sentence"])),
                         ("segments", segments_frame([])), ("removed", clean.removed_frame([], {})),
                         ("quotations", empty["quotations"]), ("speakers", empty["speakers"])):
            tables.append(name, df)  # their columns, should no batch have rows
        self.counted = RunCounts(self.language)
        self.claims, self.details, self.sourcing = [], [], []
        self.rows = {"segments": 0, "mentions": 0, "frame_sentences": 0}
        self._held: dict[str, list[tuple[pd.DataFrame, bytes | None]]] = {name: [] for name in STREAMED}
        self._held_rows = 0
        self.keep_articles: set[str] = set()  # their sentences are kept (the gold file's, for its check)
        self.kept: list = []

    def _flush(self) -> None:
        """Write the rows held so far (a few batches at a time: writing costs per call)."""
        for name, parts in self._held.items():
            if parts:
                frames, texts = [df for df, _ in parts], [t for _, t in parts]
                self.tables.append(name, pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0],
                                   csv=None if None in texts else b"".join(texts))
        self._held = {name: [] for name in STREAMED}
        self._held_rows = 0

    def add(self, r: BatchResult) -> None:
        if self.keep_articles:
            self.kept += [s for cut in r.cuts for s in cut[0] if s.article_id in self.keep_articles]
        batch = r.row_tables()  # removed: cut by the batch's coder
        segs = batch["segments"]
        for name in STREAMED:
            if len(batch[name]):  # with its CSV rows where a worker wrote them
                self._held[name].append((batch[name], r.csv.get(name) if r.csv is not None else None))
        self._held_rows += len(segs)
        if self._held_rows >= FLUSH_ROWS:
            self._flush()
        for name in self.rows:
            self.rows[name] += len(batch[name])
        self.counted.add_sizes(segs["article_id"].tolist(), segs["words"].tolist())
        if len(r.mentions):
            self.counted.add_mentions(r.mentions)
        self.claims.append(r.claims)
        self.details.append(r.details)
        self.sourcing.append(r.sourcing)
        if len(self.claims) >= FOLD:
            self._fold()

    def _fold(self) -> None:
        """The small tables of the batches so far (claims, details, sourcing), as one frame each: at
        100,000 articles they were 1,563 small pandas frames apiece.  Concatenated in the same order, so
        the written tables are the same."""
        self.claims, self.details, self.sourcing = (_joined(x) for x in (self.claims, self.details, self.sourcing))

    def counts(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Per-language sizes and per-indicator counts of the whole run (for the overbroad check)."""
        return self.counted.language_sizes(), self.counted.indicator_counts()

    def finish(self) -> dict[str, pd.DataFrame]:
        """Write the counted tables and the small ones; returns them (the printed summary reads them)."""
        self._flush()
        run, empty = self.run, self._empty
        counted = self.counted
        sizes = counted.article_sizes() if counted.per_article else article_sizes(segments_frame([]))
        units = counted.unit_counts() if counted.units else unit_counts(empty["mentions"])
        long = outlet_frame_from(run.corpus, run.codebook, sizes, units)
        small = {**counted_tables(long),
                 "claims": claims_table(self.claims, empty, run.extraction_rules),
                 "details": details_table(self.details, empty, run.extraction_rules),
                 "sourcing": sourcing_table(self.sourcing, empty),
                 "articles": run.corpus.frame()}
        for name, df in small.items():
            self.tables.add(name, df)
        return small


def _joined(parts: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Row tables of several batches as one (``pipeline._concat``'s way: empty parts left out)."""
    parts = [p for p in parts if len(p)]
    return [pd.concat(parts, ignore_index=True)] if parts else []


def code_tables(data_dir, out_dir, *, jobs: int | None = None, scheduler=None, progress: bool = False,
                on_run=None, keep_articles: set[str] | None = None, dedupe: bool | None = None) -> tuple[Run, TableStream, list]:
    """Code a data folder into OUT/tables/ (CSV + Parquet, one set), batch by batch through the cache.

    What `code` does and what `render` does before its kernel starts; returns the run, the
    stream (its row counts and small tables) and the CSV paths written.  ``on_run(run, stream)``
    runs after the last batch, before anything is committed (checks that refuse the set);
    the sentences of ``keep_articles`` are kept on ``stream.kept`` for them.
    """
    from pathlib import Path

    from analysis.io.errors import Problems
    from analysis.results.tables import ORDER
    out_dir = Path(out_dir)
    run = Run(data_dir, progress=progress, cache_dir=out_dir / ".cache", jobs=jobs, scheduler=scheduler, dedupe=dedupe)
    run.lazy_cuts = not keep_articles  # the sentences' frames come from the workers: no cut read here but the gold's
    with TableSet(out_dir, ORDER) as tables:  # nothing lands unless everything is written
        stream = TableStream(run, tables)
        stream.keep_articles = set(keep_articles or ())
        for batch in run.batches():
            stream.add(batch)
        problems = Problems()
        if on_run is not None:
            on_run(run, stream, problems)
        problems.raise_if_any()
        stream.small = stream.finish()
        paths = tables.commit()
    return run, stream, paths
