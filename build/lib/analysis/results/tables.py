"""Grouped counts: outlet × frame, from the mentions (counting unit: sentence)."""
from __future__ import annotations

import pandas as pd

from analysis.inputs.codebook import Codebook
from analysis.inputs.corpus import Corpus


def frame_sentences(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, frame): the counting unit."""
    cols = ["article_id", "outlet", "frame", "sentence_id"]
    return mentions[cols].drop_duplicates().reset_index(drop=True)


def outlet_sizes(corpus: Corpus, segments: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: articles, sentences and words of cleaned content."""
    per_article = segments.groupby("article_id").agg(sentences=("sentence_id", "size"), words=("words", "sum"))
    meta = corpus.frame().set_index("article_id")[["outlet"]]
    sized = meta.join(per_article).fillna(0)
    out = sized.groupby("outlet").agg(articles=("outlet", "size"), sentences=("sentences", "sum"), words=("words", "sum"))
    return out.astype(int)


def outlet_frame_table(corpus: Corpus, codebook: Codebook, segments: pd.DataFrame,
                       mentions: pd.DataFrame) -> pd.DataFrame:
    """Long table: outlet, frame, sentences, articles, share of sentences, rate per 1,000 words."""
    sizes = outlet_sizes(corpus, segments)
    units = frame_sentences(mentions)
    grid = pd.MultiIndex.from_product([sorted(sizes.index), codebook.frame_ids], names=["outlet", "frame"])
    counts = units.groupby(["outlet", "frame"]).agg(sentences=("sentence_id", "nunique"),
                                                     articles=("article_id", "nunique"))
    table = counts.reindex(grid, fill_value=0).reset_index()
    table = table.merge(sizes, left_on="outlet", right_index=True, suffixes=("", "_total"))
    table["share"] = (table["sentences"] / table["sentences_total"]).where(table["sentences_total"] > 0, 0.0)
    table["per_1000_words"] = (1000 * table["sentences"] / table["words"]).where(table["words"] > 0, 0.0)
    table["label"] = table["frame"].map(codebook.labels())
    cols = ["outlet", "frame", "label", "sentences", "articles", "share", "per_1000_words",
            "sentences_total", "articles_total", "words"]
    return table[cols].round({"share": 4, "per_1000_words": 2})


def wide(table: pd.DataFrame, value: str = "sentences") -> pd.DataFrame:
    """Outlet rows × frame columns of one measure, frames in codebook order."""
    frames = list(dict.fromkeys(table["frame"]))
    return table.pivot(index="outlet", columns="frame", values=value)[frames]


def frame_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Frames ranked by sentences across outlets, with how many outlets carry each."""
    g = table.groupby(["frame", "label"], sort=False).agg(
        sentences=("sentences", "sum"), articles=("articles", "sum"),
        outlets=("sentences", lambda s: int((s > 0).sum())))
    return g.reset_index().sort_values(["sentences", "frame"], ascending=[False, True], kind="stable").reset_index(drop=True)


def export_tables(analysis) -> dict[str, pd.DataFrame]:
    """Everything `code` writes under _output/tables/, by file stem."""
    segs = analysis.segments_frame()
    long = outlet_frame_table(analysis.corpus, analysis.codebook, segs, analysis.mentions)
    return {
        "mentions": analysis.mentions,
        "frame_sentences": analysis.stances.drop(columns=["sentence"]),
        "outlet_frame": long,
        "outlet_frame_sentences": wide(long, "sentences").reset_index(),
        "outlet_frame_articles": wide(long, "articles").reset_index(),
        "outlet_frame_share": wide(long, "share").reset_index(),
        "outlet_frame_per_1000_words": wide(long, "per_1000_words").reset_index(),
        "segments": segs,
        "removed": analysis.removed,
        "quotations": analysis.quotations,
        "speakers": analysis.speakers,
        "claims": analysis.claims,
        "details": analysis.details,
        "sourcing": analysis.sourcing,
        "articles": analysis.corpus.frame(),
    }
