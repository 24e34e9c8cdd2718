"""A batch's tables in parts that are cached apart, so that a one-frame edit rebuilds one part.

- ``Base``: what no frame changes (sentence speakers, removed lines, the sourcing profile and the
  quotations without their frames); it depends on the articles, boilerplate, actors and cues only.
- ``FramePart``: one frame's voiced mentions, sentence stances, claims and details.

``assemble`` puts the parts together into the tables one pass over every frame builds, row for
row: mentions sorted by article, start, frame and indicator; one stance row per (sentence, frame);
claims and details rule by rule, as ``rules.yaml`` lists them.

The parts also keep their rows as written to CSV (``Lines``): writing the CSV cost a quarter of a
coder's time after a frame edit, and most of it was the same rows as before (the sentences, every
other frame's mentions).  ``assemble`` writes only the rows no part holds yet, and puts the written
rows in the table's order.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

import pandas as pd

from analysis.coding import article as coding
from analysis.coding import clean, voices
from analysis.extract import extractions as extract
from analysis.io.untrusted import Lines, csv_lines, csv_rows, dtypes_of

MENTION_TABLE = coding.MENTION_COLUMNS + voices.VOICE_COLUMNS


@dataclass
class Base:
    speakers: pd.DataFrame
    removed: pd.DataFrame
    sourcing: pd.DataFrame
    quotations: list[dict]            # without their frames (``voices.with_frames`` adds them)
    csv: dict[str, bytes]             # its tables' CSV rows: speakers, removed and the sentences ("segments")


@dataclass
class FramePart:
    mentions: dict[str, list]         # the frame's voiced mention rows, column by column, in table order
    stances: list[dict]               # one row per sentence of the frame, by sentence
    claims: list[dict]
    details: list[dict]
    lines: Lines | None = None        # its mention rows as written to CSV, in this order (set by ``assemble``)


@dataclass
class BatchView:
    """What a batch's parts are built from: its articles (as a corpus), sentences and attributions."""
    corpus: object
    segments: list
    found: dict | None

    def __post_init__(self):
        self.by_id = {s.sentence_id: s for s in self.segments}
        self.articles = {a.id: a for a in self.corpus.articles}


def base_part(view: BatchView, removed: list, actors, cues, segments: pd.DataFrame) -> Base:
    """``segments``: the batch's sentences as a frame (``coding.segments_frame``), for their CSV rows."""
    speakers = voices.sentence_speakers(view.corpus, view.segments, actors, found=view.found)
    removed_df = clean.removed_frame(removed, view.articles)
    return Base(speakers, removed_df, extract.sourcing_profile(view.corpus, view.segments, speakers, removed_df, cues),
                voices.quotation_rows(view.corpus, view.segments, view.found),
                {"speakers": csv_rows(speakers), "removed": csv_rows(removed_df), "segments": csv_rows(segments)})


def frame_part(frame_id: str, rows: list[dict], stances: list[dict], linked: dict[str, list[dict]],
               view: BatchView, cues, rules) -> FramePart:
    """A frame's part from its voiced mention rows and stance rows; ``linked``: the stance rows of the
    frames its detail rule links to."""
    claim, detail = rules.claims.get(frame_id), rules.details.get(frame_id)
    table = pd.DataFrame(stances, columns=voices.STANCE_COLUMNS) if claim or detail else None
    return FramePart(
        {c: [r.get(c) for r in rows] for c in MENTION_TABLE}, stances,
        extract.claim_rows(view.by_id, view.articles, frame_id, claim, table) if claim else [],
        extract.detail_rows(view.by_id, view.articles, frame_id, detail, table,
                            pd.DataFrame(linked.get(detail.linked, []), columns=voices.STANCE_COLUMNS)
                            if detail.linked else None, cues) if detail else [])


def assemble(base: Base, parts: dict[str, FramePart], frames: list[str], rules) -> dict[str, pd.DataFrame]:
    """The batch's tables from its parts (``frames``: the codebook's frame ids, in order)."""
    columns = {c: [v for f in frames for v in parts[f].mentions[c]] for c in MENTION_TABLE}
    keys = [columns[c] for c in coding.MENTION_SORT]  # ``coding.mentions_frame``'s order
    order = sorted(range(len(columns["frame"])), key=lambda i: tuple(k[i] for k in keys))
    mentions = pd.DataFrame({c: [values[i] for i in order] for c, values in columns.items()}, columns=MENTION_TABLE)
    stances = voices.stances_frame(sorted((r for f in frames for r in parts[f].stances),
                                          key=lambda r: (r["sentence_id"], r["frame"])))
    claims = [r for f in rules.claims if f in parts for r in parts[f].claims]
    details = [r for f in rules.details if f in parts for r in parts[f].details]
    quotations = voices.with_frames(base.quotations, columns)
    csv = {**base.csv, "mentions": mention_rows(mentions, order, [parts[f] for f in frames]),
           "frame_sentences": csv_rows(stances.drop(columns=["sentence"])), "quotations": csv_rows(quotations)}
    return {"mentions": mentions, "quotations": quotations, "stances": stances,
            "speakers": base.speakers, "claims": pd.DataFrame(claims, columns=extract.CLAIM_COLUMNS),
            "details": extract.details_frame(details, rules), "sourcing": base.sourcing, "removed": base.removed,
            "csv": csv}


def mention_rows(mentions: pd.DataFrame, order: list[int], parts: list[FramePart]) -> bytes:
    """The mentions table's CSV rows: each part's rows as it holds them written, the rows of the parts
    that hold none (or hold them written with other column types) written now, in one go, and kept on
    them.  ``order``: the table's row i is row ``order[i]`` of the parts' rows one after the other."""
    where = [0] * len(order)  # a part row's place in the table
    for i, j in enumerate(order):
        where[j] = i
    kinds, at, spans = dtypes_of(mentions), 0, []
    for part in parts:
        spans.append((at, len(part.mentions["frame"])))
        at += spans[-1][1]
    stale = [part.lines is None or part.lines.dtypes != kinds for part in parts]
    if any(stale):
        fresh = csv_lines(mentions.take([i for (at, n), old in zip(spans, stale) if old for i in where[at:at + n]]))
        if fresh is None:  # columns csv_lines does not write: the table is written whole
            return csv_rows(mentions)
        k = 0
        for part, (_, n), old in zip(parts, spans, stale):
            if old:
                rows = [fresh.row(k + j) for j in range(n)]
                part.lines = Lines(b"".join(rows), tuple(accumulate(map(len, rows))), kinds)
                k += n
    rows = [(part.lines, j) for part, (_, n) in zip(parts, spans) for j in range(n)]
    return b"".join(rows[j][0].row(rows[j][1]) for j in order)
