"""Apply the codebook: segments (sentences) → mentions (one row per match).

Counting unit: the sentence.  A frame counts once per sentence however many
of its indicators fire there; the mentions table keeps every match so that
each count can be traced to its evidence.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from analysis.coding.clean import Removed, Rule, content_ranges, find_boilerplate
from analysis.inputs.codebook import Codebook, Frame
from analysis.inputs.corpus import Article
from analysis.text.normalize import TEH_MARBUTA, normalize_with_map, original_span
from analysis.match.patterns import MatchText
from analysis.text.segment import split_sentences

SEGMENT_COLUMNS = ["article_id", "sentence_id", "start", "end", "words", "sentence"]
MENTION_COLUMNS = ["article_id", "file", "outlet", "language", "frame", "indicator", "sentence_id",
                   "start", "end", "match", "sentence", "sentence_start", "sentence_end"]


@dataclass
class Segment:
    article_id: str
    sentence_id: str
    start: int
    end: int
    text: str
    norm: str
    index: tuple[int, ...]  # normalized position → offset in the original *article* text

    @cached_property
    def match_text(self) -> MatchText:
        return MatchText(self.norm, frozenset(i for i, o in enumerate(self.index[:-1])
                                               if self.text[o - self.start] == TEH_MARBUTA))

    @property
    def words(self) -> int:
        return len(self.match_text.word_starts)

    def original(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        return original_span(list(self.index), norm_start, norm_end)


def segment_article(article: Article, rules: list[Rule]) -> tuple[list[Segment], list[Removed]]:
    removed = find_boilerplate(article, rules)
    segments = []
    for line_start, line_end in content_ranges(article.text, removed):
        for span in split_sentences(article.text, line_start, line_end):
            raw = article.text[span.start:span.end]
            norm, index = normalize_with_map(raw)
            sid = f"{article.id}:s{len(segments) + 1:03d}"
            segments.append(Segment(article.id, sid, span.start, span.end, raw, norm,
                                    tuple(span.start + i for i in index)))
    return segments, removed


def code_frame_in_segment(seg: Segment, frame: Frame, language: str) -> list[dict]:
    """Every match of one frame's indicators in one sentence, honouring its exclusions."""
    text = seg.match_text
    if any(x.find(text) for x in frame.excludes.get(language, [])):
        return []
    rows = []
    for ind in frame.indicators.get(language, []):
        spans = ind.pattern.find(text)
        if not spans or any(x.find(text) for x in ind.excludes):
            continue
        for ns, ne in spans:
            start, end = seg.original(ns, ne)
            rows.append({"frame": frame.id, "indicator": ind.label, "sentence_id": seg.sentence_id,
                         "start": start, "end": end})
    return rows


def code_segment(seg: Segment, codebook: Codebook, language: str) -> list[dict]:
    """Every indicator match of every frame in one sentence."""
    return [r for frame in codebook.frames for r in code_frame_in_segment(seg, frame, language)]


def code_frame(article: Article, segments: list[Segment], frame: Frame) -> list[dict]:
    """Mention rows of one frame in one article (the unit the cache keeps)."""
    rows = []
    for seg in segments:
        for row in code_frame_in_segment(seg, frame, article.language):
            rows.append({"article_id": article.id, "file": article.file, "outlet": article.outlet.name_en,
                         "language": article.language, **row,
                         "match": article.text[row["start"]:row["end"]], "sentence": seg.text,
                         "sentence_start": seg.start, "sentence_end": seg.end})
    return rows


def segments_frame(segments: list[Segment]) -> pd.DataFrame:
    return pd.DataFrame([{"article_id": s.article_id, "sentence_id": s.sentence_id, "start": s.start,
                          "end": s.end, "words": s.words, "sentence": s.text} for s in segments],
                        columns=SEGMENT_COLUMNS)


def mentions_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    return df.sort_values(["article_id", "start", "frame", "indicator"], kind="stable").reset_index(drop=True)
