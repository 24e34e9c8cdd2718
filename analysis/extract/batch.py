"""A batch's tables in parts that are cached apart, so that a one-frame edit rebuilds one part.

- ``Base``: what no frame changes (sentence speakers, removed lines, the sourcing profile and the
  quotations without their frames); it depends on the articles, boilerplate, actors and cues only.
- ``FramePart``: one frame's voiced mentions, sentence stances, claims and details.

``assemble`` puts the parts together into the tables one pass over every frame builds, row for
row: mentions sorted by article, start, frame and indicator; one stance row per (sentence, frame);
claims and details rule by rule, as ``rules.yaml`` lists them.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.coding import article as coding
from analysis.coding import clean, voices
from analysis.extract import extractions as extract

MENTION_TABLE = coding.MENTION_COLUMNS + voices.VOICE_COLUMNS


@dataclass
class Base:
    speakers: pd.DataFrame
    removed: pd.DataFrame
    sourcing: pd.DataFrame
    quotations: list[dict]            # without their frames (``voices.with_frames`` adds them)


@dataclass
class FramePart:
    mentions: dict[str, list]         # the frame's voiced mention rows, column by column, in table order
    stances: list[dict]               # one row per sentence of the frame, by sentence
    claims: list[dict]
    details: list[dict]


@dataclass
class BatchView:
    """What a batch's parts are built from: its articles (as a corpus), sentences and attributions."""
    corpus: object
    segments: list
    found: dict | None

    def __post_init__(self):
        self.by_id = {s.sentence_id: s for s in self.segments}
        self.articles = {a.id: a for a in self.corpus.articles}


def base_part(view: BatchView, removed: list, actors, cues) -> Base:
    speakers = voices.sentence_speakers(view.corpus, view.segments, actors, found=view.found)
    removed_df = clean.removed_frame(removed, view.articles)
    return Base(speakers, removed_df, extract.sourcing_profile(view.corpus, view.segments, speakers, removed_df, cues),
                voices.quotation_rows(view.corpus, view.segments, view.found))


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
    return {"mentions": mentions, "quotations": voices.with_frames(base.quotations, mentions), "stances": stances,
            "speakers": base.speakers, "claims": pd.DataFrame(claims, columns=extract.CLAIM_COLUMNS),
            "details": extract.details_frame(details, rules), "sourcing": base.sourcing, "removed": base.removed}
