"""Grouped counts: outlet × frame, from the mentions (counting unit: sentence)."""
from __future__ import annotations

import pandas as pd

from analysis.inputs.codebook import Codebook
from analysis.inputs.corpus import Corpus


def frame_sentences(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, frame): the counting unit."""
    cols = ["article_id", "outlet", "frame", "sentence_id"]
    return mentions[cols].drop_duplicates().reset_index(drop=True)


def article_sizes(segments: pd.DataFrame) -> pd.DataFrame:
    """Per article (index): sentences and words of cleaned content.  Articles never span
    batches, so the sizes of a corpus are the concatenated sizes of its batches."""
    g = segments.groupby("article_id")  # not .agg(name=...): its set-up costs more than the sums (per batch, in `code`'s parent)
    return pd.DataFrame({"sentences": g.size(), "words": g["words"].sum()})


def unit_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per (outlet, frame): sentences and articles carrying it.  Summable over batches, as a
    sentence and an article belong to one batch."""
    g = frame_sentences(mentions).groupby(["outlet", "frame"])
    return pd.DataFrame({"sentences": g["sentence_id"].nunique(), "articles": g["article_id"].nunique()})


def outlet_sizes(corpus: Corpus, segments: pd.DataFrame | None = None, per_article: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per outlet: articles, sentences and words of cleaned content."""
    per_article = article_sizes(segments) if per_article is None else per_article
    meta = corpus.frame().set_index("article_id")[["outlet"]]
    sized = meta.join(per_article).fillna(0)
    out = sized.groupby("outlet").agg(articles=("outlet", "size"), sentences=("sentences", "sum"), words=("words", "sum"))
    return out.astype(int)


def outlet_frame_table(corpus: Corpus, codebook: Codebook, segments: pd.DataFrame,
                       mentions: pd.DataFrame) -> pd.DataFrame:
    """Long table: outlet, frame, sentences, articles, share of sentences, rate per 1,000 words."""
    return outlet_frame_from(corpus, codebook, article_sizes(segments), unit_counts(mentions))


def outlet_frame_from(corpus: Corpus, codebook: Codebook, per_article: pd.DataFrame,
                      counts: pd.DataFrame) -> pd.DataFrame:
    """``outlet_frame_table`` from article sizes and unit counts (whole, or summed over batches)."""
    sizes = outlet_sizes(corpus, per_article=per_article)
    grid = pd.MultiIndex.from_product([sorted(sizes.index), codebook.frame_ids], names=["outlet", "frame"])
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


def language_sizes(segments: pd.DataFrame, language: dict[str, str]) -> pd.DataFrame:
    """Per language (index): sentences and words; summable over batches."""
    g = segments.groupby(segments.article_id.map(language).rename("language"))
    return pd.DataFrame({"sentences": g.size(), "words": g["words"].sum()})


def indicator_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per (frame, language, indicator): sentences it fired in and its matches; summable over batches."""
    g = mentions.groupby(["frame", "language", "indicator"])["sentence_id"]
    return pd.DataFrame({"sentences": g.nunique(), "matches": g.size()})


def summed(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Per-batch counts added up (their index names what is counted)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts).groupby(level=list(range(parts[0].index.nlevels))).sum()


# The tables `code` writes, in this order; the first six are written batch by batch when streaming.
STREAMED = ("mentions", "frame_sentences", "segments", "removed", "quotations", "speakers")
ORDER = ("mentions", "frame_sentences", "outlet_frame", "outlet_frame_sentences", "outlet_frame_articles",
         "outlet_frame_share", "outlet_frame_per_1000_words", "segments", "removed", "quotations", "speakers",
         "claims", "details", "sourcing", "articles")


def counted_tables(long: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {"outlet_frame": long,
            "outlet_frame_sentences": wide(long, "sentences").reset_index(),
            "outlet_frame_articles": wide(long, "articles").reset_index(),
            "outlet_frame_share": wide(long, "share").reset_index(),
            "outlet_frame_per_1000_words": wide(long, "per_1000_words").reset_index()}


def export_tables(analysis) -> dict[str, pd.DataFrame]:
    """Everything `code` writes under _output/tables/, by file stem."""
    segs = analysis.segments_frame()
    long = outlet_frame_table(analysis.corpus, analysis.codebook, segs, analysis.mentions)
    tables = {
        "mentions": analysis.mentions,
        "frame_sentences": analysis.stances.drop(columns=["sentence"]),
        **counted_tables(long),
        "segments": segs,
        "removed": analysis.removed,
        "quotations": analysis.quotations,
        "speakers": analysis.speakers,
        "claims": analysis.claims,
        "details": analysis.details,
        "sourcing": analysis.sourcing,
        "articles": analysis.corpus.frame(),
    }
    return {name: tables[name] for name in ORDER}
