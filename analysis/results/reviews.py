"""Human review wins: an analyst's verdicts on single mentions (data/reviews.csv) applied to the coding.

A row names a sentence by its offsets (as gold.csv does) and, optionally, one frame; it corrects the
speaker, the stance, or says the sentence does not carry the frame (``not_frame = yes``).  The briefing's
body uses the reviewed coding; validation figures stay computed on the machine's coding, so a review never
improves the coder's score.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.coding.speakers import OUTLET_ACTOR
from analysis.coding.stance import STANCES
from analysis.inputs.corpus import read_csv_rows
from analysis.io.errors import Problems

REVIEWS = "reviews.csv"
REVIEW_COLUMNS = ("article_id", "start", "end", "frame", "speaker", "stance", "not_frame", "reviewer", "note")
YES = ("yes", "true", "1")


@dataclass(frozen=True)
class Review:
    sentence_id: str
    frame: str      # '' = every frame of the sentence
    speaker: str    # actor id, '' = unchanged
    stance: str     # '' = unchanged
    not_frame: bool
    reviewer: str
    note: str


def _segment(segments: list, start: int, end: int):
    return next((s for s in segments if s.start == start and s.end == end), None)


def _check(row: dict, seg, frames: set, speakers: set, coded: set) -> tuple[str, str] | None:
    """The first problem of one row as (what, fix), or None."""
    if seg is None:
        return (f"no sentence of article '{row['article_id']}' at {row['start']}-{row['end']}",
                "copy article_id, start and end of the sentence from _output/tables/segments.csv")
    if row["frame"] and row["frame"] not in frames:
        return f"unknown frame '{row['frame']}'", f"use a frame id of the codebook: {', '.join(sorted(frames))}"
    if row["frame"] and (seg.sentence_id, row["frame"]) not in coded:
        return (f"the coder did not find frame '{row['frame']}' in sentence {seg.sentence_id}",
                "a review corrects a coded mention: leave frame empty or name a frame the sentence was coded for")
    if not row["frame"] and not any(s == seg.sentence_id for s, _ in coded):
        return f"the coder found no frame in sentence {seg.sentence_id}", "review only sentences that were coded"
    if row["speaker"] and row["speaker"] not in speakers:
        return f"unknown speaker '{row['speaker']}'", "use an actor id from actors.yaml or 'outlet'"
    if row["stance"] and row["stance"] not in STANCES:
        return f"stance '{row['stance']}' is not one of {', '.join(STANCES)}", "set stance or leave it empty"
    if row["not_frame"] and row["not_frame"].lower() not in YES + ("no", "false", "0"):
        return f"not_frame '{row['not_frame']}' is not yes or no", "write yes (the sentence does not carry the frame) or leave it empty"
    if not (row["speaker"] or row["stance"] or row["not_frame"].lower() in YES):
        return "the row changes nothing", "give a speaker, a stance, or not_frame = yes"
    return None


def load_reviews(path: Path, analysis, problems: Problems | None = None) -> list[Review]:
    """Reviews that point at a coded mention; every other row is a problem with its line and fix."""
    own = problems is None
    problems = problems if problems is not None else Problems()
    out: list[Review] = []
    if not path.exists():
        return out
    by_article: dict[str, list] = {}
    for s in analysis.segments:
        by_article.setdefault(s.article_id, []).append(s)
    frames = set(analysis.codebook.frame_ids)
    speakers = set(analysis.actors) | {OUTLET_ACTOR.id}
    coded = set(zip(analysis.stances.sentence_id, analysis.stances.frame))
    for line, row in read_csv_rows(path, REVIEW_COLUMNS, ("article_id", "start", "end"), problems):
        try:
            start, end = int(row["start"]), int(row["end"])
        except ValueError:
            problems.add(path, line, f"start/end must be whole numbers, got '{row['start']}', '{row['end']}'",
                         "copy the sentence offsets from _output/tables/segments.csv")
            continue
        seg = _segment(by_article.get(row["article_id"], []), start, end)
        problem = _check(row, seg, frames, speakers, coded)
        if problem:
            problems.add(path, line, *problem)
            continue
        out.append(Review(seg.sentence_id, row["frame"], row["speaker"], row["stance"],
                          row["not_frame"].lower() in YES, row["reviewer"], row["note"]))
    if own:
        problems.raise_if_any()
    return out


def _apply(df: pd.DataFrame, reviews: list[Review], actors: dict, names: bool) -> pd.DataFrame:
    """One table's rows corrected: speaker (and its name, kind, side where the table has them), stance, dropped."""
    if df.empty or not reviews:
        return df.assign(reviewed=False) if "sentence_id" in df else df
    df = df.assign(reviewed=False)
    keep = pd.Series(True, index=df.index)
    for r in reviews:
        hit = df.sentence_id == r.sentence_id
        if r.frame and "frame" in df:
            hit &= df.frame == r.frame
        if r.not_frame:
            keep &= ~hit
            continue
        df.loc[hit, "reviewed"] = True
        if r.stance and "stance" in df:
            df.loc[hit, "stance"] = r.stance
        if r.speaker:
            actor = actors.get(r.speaker, OUTLET_ACTOR)
            df.loc[hit, "speaker"] = actor.id
            for column, value in (("speaker_name", actor.name_en), ("speaker_kind", actor.kind),
                                  ("speaker_side", actor.side), ("speaker_words", "")):
                if column in df and names:
                    df.loc[hit, column] = value
    return df[keep]


def reviewed(analysis, reviews: list[Review]):
    """A copy of the analysis with the reviews applied to the tables it has of mentions, stances, claims and
    details (the tables-backed analysis of a render has no mentions)."""
    out = copy.copy(analysis)
    if not reviews:
        object.__setattr__(out, "stances", analysis.stances.assign(reviewed=False))
        return out
    for name, flag in (("mentions", True), ("stances", True), ("claims", False), ("details", False)):
        if hasattr(analysis, name):
            object.__setattr__(out, name, _apply(getattr(analysis, name), reviews, analysis.actors, flag))
    return out
