"""Apply the codebook: segments (sentences) → mentions (one row per match).

Counting unit: the sentence.  A frame counts once per sentence however many
of its indicators fire there; the mentions table keeps every match so that
each count can be traced to its evidence.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass
from operator import itemgetter

import pandas as pd

from analysis.coding.clean import Removed, content_ranges, find_boilerplate
from analysis.inputs.boilerplate import BoilerplateRule
from analysis.inputs.codebook import Codebook, CodebookScanner, Frame
from analysis.inputs.corpus import Article
from analysis.io.lazy import cached_property
from analysis.match.patterns import MatchText, feminine_in
from analysis.text.normalize import NormalizedText, original_span
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
    index: range | array  # normalized position → offset in the original *article* text (a range if one to one)

    def __getstate__(self):  # cache and workers get the data, not what is recomputed from it
        state = self.__dict__.copy()
        mt = state.pop("match_text", None)
        if mt is not None:
            state["words"] = len(mt.word_starts)  # the tables need it; the words are counted already
        return state

    @cached_property
    def match_text(self) -> MatchText:
        return MatchText(self.norm, feminine_in(self.text, self.index, self.start))

    @cached_property
    def words(self) -> int:
        return len(self.match_text.word_starts)

    def original(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        return original_span(self.index, norm_start, norm_end)


def segment_article(article: Article, rules: list[BoilerplateRule]) -> tuple[list[Segment], list[Removed]]:
    normalized = NormalizedText(article.text)  # once: boilerplate and sentences slice it
    removed = find_boilerplate(article, rules, normalized)
    segments = []
    for line_start, line_end in content_ranges(article.text, removed):
        for span in split_sentences(article.text, line_start, line_end):
            raw = article.text[span.start:span.end]
            norm, index = normalized.with_offsets(span.start, span.end)
            sid = f"{article.id}:s{len(segments) + 1:03d}"
            segments.append(Segment(article.id, sid, span.start, span.end, raw, norm, index))
    return segments, removed


def code_frame_in_segment(seg: Segment, frame: Frame, language: str, maybe: set[int] | None = None,
                          found: dict[str, list] | None = None) -> list[dict]:
    """Every match of one frame's indicators in one sentence, honouring its exclusions.

    ``maybe`` (from the scanner) holds the ids of the patterns that can match here at all;
    the others are skipped, which changes nothing but the time taken.  ``found`` keeps the
    sentence's matches by pattern fingerprint: frames share patterns (a YAML alias, a set
    reference), and a fingerprint spells out what a pattern matches.
    """
    def may(p) -> bool:
        return maybe is None or id(p) in maybe

    inds = [i for i in frame.indicators.get(language, []) if may(i.pattern)]
    if not inds:
        return []
    text = seg.match_text
    memo: dict[str, list] = {} if found is None else found

    def find(p) -> list:
        return p.find_in(text, memo)

    if any(find(x) for x in frame.excludes.get(language, []) if may(x)):
        return []
    rows = []
    for ind in inds:
        spans = find(ind.pattern)
        if not spans or any(find(x) for x in ind.excludes if may(x)):
            continue
        for ns, ne in spans:
            start, end = seg.original(ns, ne)
            rows.append({"frame": frame.id, "indicator": ind.label, "sentence_id": seg.sentence_id,
                         "start": start, "end": end})
    return rows


def code_segment(seg: Segment, codebook: Codebook, language: str) -> list[dict]:
    """Every indicator match of every frame in one sentence."""
    return [r for frame in codebook.frames for r in code_frame_in_segment(seg, frame, language)]


def _mention(article: Article, seg: Segment, row: dict) -> dict:
    return {"article_id": article.id, "file": article.file, "outlet": article.outlet.name_en,
            "language": article.language, **row, "match": article.text[row["start"]:row["end"]],
            "sentence": seg.text, "sentence_start": seg.start, "sentence_end": seg.end}


def code_frame(article: Article, segments: list[Segment], frame: Frame) -> list[dict]:
    """Mention rows of one frame in one article, every pattern on every sentence.

    The straightforward matcher: ``code_frames`` must give the same rows, and tests hold it to that.
    """
    return [_mention(article, seg, row) for seg in segments
            for row in code_frame_in_segment(seg, frame, article.language)]


def scanner(codebook: Codebook, language: str, frames: list[Frame] | None = None) -> CodebookScanner:
    """The codebook's scanner for a language and set of frames (compiled once, kept on the codebook)."""
    return codebook.scanner(language, frames)


def code_frames(article: Article, segments: list[Segment], codebook: Codebook,
                frames: list[Frame] | None = None) -> dict[str, list[dict]]:
    """Mention rows of the given frames (default: all) in one article, from one scan of its sentences."""
    frames = codebook.frames if frames is None else frames
    out: dict[str, list[dict]] = {f.id: [] for f in frames}
    scan = scanner(codebook, article.language, frames)
    for seg, may in zip(segments, scan.maybe(segments)):
        if not may:
            continue
        some = scan.frames(may)  # a frame none of whose indicators may match here has no row here
        found: dict[str, list] = {}
        for frame in frames:
            if frame.id not in some:
                continue
            out[frame.id] += [_mention(article, seg, row)
                              for row in code_frame_in_segment(seg, frame, article.language, may, found)]
    return out


def segments_frame(segments: list[Segment]) -> pd.DataFrame:
    if not segments:
        return pd.DataFrame(columns=SEGMENT_COLUMNS)
    # column by column: a frame from a list of dicts costs several times more (per batch, in `code`'s parent)
    return pd.DataFrame({"article_id": [s.article_id for s in segments], "sentence_id": [s.sentence_id for s in segments],
                         "start": [s.start for s in segments], "end": [s.end for s in segments],
                         "words": [s.words for s in segments], "sentence": [s.text for s in segments]},
                        columns=SEGMENT_COLUMNS)


MENTION_SORT = ("article_id", "start", "frame", "indicator")  # the mentions table's order (a stable sort)
MENTION_ORDER = itemgetter(*MENTION_SORT)


def mentions_frame(rows: list[dict], columns: list[str] = MENTION_COLUMNS) -> pd.DataFrame:
    """The rows sorted by article, start, frame and indicator (a stable sort), column by column."""
    if not rows or any(not r.keys() >= set(columns) for r in rows):  # a row without some column: pandas fills it
        df = pd.DataFrame(rows, columns=columns)
        return df.sort_values(list(MENTION_SORT)).reset_index(drop=True)
    rows = sorted(rows, key=MENTION_ORDER)  # sorting dicts costs far less than sorting a frame of four keys
    return pd.DataFrame({c: [r[c] for r in rows] for c in columns}, columns=columns)
