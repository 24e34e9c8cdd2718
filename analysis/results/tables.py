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


class RunCounts:
    """The summable counts of a run, added up batch by batch in plain Python: the same frames as
    ``article_sizes``, ``language_sizes``, ``unit_counts`` and ``indicator_counts`` of the whole
    run (pandas' group-bys cost more per batch than the counting itself, in `code`'s parent)."""

    def __init__(self, language: dict[str, str]):
        self.language = language
        self.per_article: list[tuple[str, int, int]] = []                # per article, in batch order
        self._lang: dict[str, list[int]] = {}                       # language → [sentences, words]
        self.units: dict[tuple[str, str], list[int]] = {}           # (outlet, frame) → [sentences, articles]
        self._indicators: dict[tuple[str, str, str], list[int]] = {}  # (frame, language, indicator) → [sentences, matches]

    def add_segments(self, segments) -> None:
        self.add_sizes([s.article_id for s in segments], [s.words for s in segments])

    def add_sizes(self, article_ids: list[str], words: list[int]) -> None:
        """One batch's sentences, as their articles and word counts."""
        per: dict[str, list[int]] = {}
        for aid, n in zip(article_ids, words):
            got = per.get(aid)
            if got is None:
                got = per[aid] = [0, 0]
            got[0] += 1
            got[1] += n
        for aid in sorted(per):  # as a group-by orders them
            n, words = per[aid]
            self.per_article.append((aid, n, words))
            lang = self.language.get(aid)
            if lang is not None:
                total = self._lang.setdefault(lang, [0, 0])
                total[0] += n
                total[1] += words

    def add_mentions(self, mentions: pd.DataFrame) -> None:
        """One batch's mentions (an article, so its sentences, lies in one batch: distinct counts add up)."""
        cols = {c: mentions[c].tolist() for c in ("outlet", "frame", "sentence_id", "article_id", "language", "indicator")}
        units: dict[tuple[str, str], tuple[set, set]] = {}
        inds: dict[tuple[str, str, str], list] = {}
        for outlet, frame, sid, aid, lang, ind in zip(*cols.values()):
            u = units.get((outlet, frame))
            if u is None:
                u = units[(outlet, frame)] = (set(), set())
            u[0].add(sid)
            u[1].add(aid)
            i = inds.get((frame, lang, ind))
            if i is None:
                i = inds[(frame, lang, ind)] = [set(), 0]
            i[0].add(sid)
            i[1] += 1
        for key, (sids, aids) in units.items():
            total = self.units.setdefault(key, [0, 0])
            total[0] += len(sids)
            total[1] += len(aids)
        for key, (sids, n) in inds.items():
            total = self._indicators.setdefault(key, [0, 0])
            total[0] += len(sids)
            total[1] += n

    def article_sizes(self) -> pd.DataFrame:
        aids = [a for a, _, _ in self.per_article]
        return pd.DataFrame({"sentences": [n for _, n, _ in self.per_article], "words": [w for _, _, w in self.per_article]},
                            index=pd.Index(aids, dtype="str", name="article_id"), dtype="int64")

    def language_sizes(self) -> pd.DataFrame:
        return _counted(self._lang, ["language"], ["sentences", "words"])

    def unit_counts(self) -> pd.DataFrame:
        return _counted(self.units, ["outlet", "frame"], ["sentences", "articles"])

    def indicator_counts(self) -> pd.DataFrame:
        return _counted(self._indicators, ["frame", "language", "indicator"], ["sentences", "matches"])


def _counted(counts: dict, names: list[str], columns: list[str]) -> pd.DataFrame:
    """Counts by key as ``summed`` gives them: sorted by key; an empty frame when there are none."""
    if not counts:
        return pd.DataFrame()
    keys = sorted(counts)
    index = (pd.Index(keys, dtype="str", name=names[0]) if len(names) == 1
             else pd.MultiIndex.from_tuples(keys, names=names))
    return pd.DataFrame({c: [counts[k][j] for k in keys] for j, c in enumerate(columns)}, index=index, dtype="int64")


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
