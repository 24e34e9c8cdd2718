"""Validation against hand coding (gold): precision, recall, F1, stance and
speaker accuracy, and Krippendorff's alpha (nominal) between coder and gold.

The gold file has one row per (sentence, frame) the hand coder found, and one
row with an empty frame for each sentence with none, so that every coded
sentence is known.  Sentences are matched to the coder's by offsets.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd

from analysis.coding.stance import STANCES
from analysis.inputs.corpus import read_csv_rows
from analysis.io.errors import Problems

GOLD = "gold.csv"
GOLD_COLUMNS = ("article_id", "start", "end", "frame", "stance", "speaker", "ambiguous", "note")
POOLED = "all frames"


def load_gold(path: Path, analysis, problems: Problems | None = None) -> pd.DataFrame:
    """Gold rows mapped onto the coder's sentences; rows that point nowhere are errors."""
    own = problems is None
    problems = problems if problems is not None else Problems()
    frames = set(analysis.codebook.frame_ids)
    speakers = set(analysis.actors) | {"outlet", "unknown", "unlisted"}  # unlisted: not in the gazetteer
    by_article: dict[str, list] = {}
    for s in analysis.segments:
        by_article.setdefault(s.article_id, []).append(s)
    rows = []
    for line, row in read_csv_rows(path, GOLD_COLUMNS, ("article_id", "start", "end", "frame"), problems):
        aid = row["article_id"]
        try:
            start, end = int(row["start"]), int(row["end"])
        except ValueError:
            problems.add(path, line, "start/end must be whole numbers", "copy the sentence offsets from _output/tables/segments.csv")
            continue
        seg = _best_segment(by_article.get(aid, []), start, end)
        if seg is None:
            problems.add(path, line, f"no sentence of article '{aid}' at {start}-{end}",
                         "check article_id and the offsets against _output/tables/segments.csv")
            continue
        if row["frame"] and row["frame"] not in frames:
            problems.add(path, line, f"unknown frame '{row['frame']}'", f"use a frame id from the codebook: {', '.join(sorted(frames))}")
            continue
        if row["frame"] and row["stance"] not in STANCES:
            problems.add(path, line, f"stance '{row['stance']}' is not one of {', '.join(STANCES)}", "set the stance")
            continue
        if row["speaker"] and row["speaker"] not in speakers:
            problems.add(path, line, f"unknown speaker '{row['speaker']}'", "use an actor id from actors.yaml, 'outlet' or 'unknown'", level="note")
        rows.append({"article_id": aid, "sentence_id": seg.sentence_id, "frame": row["frame"], "stance": row["stance"],
                     "speaker": row["speaker"], "ambiguous": row.get("ambiguous", "").lower() in ("yes", "true", "1"),
                     "note": row.get("note", ""), "line": line})
    if own:
        problems.raise_if_any()
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "frame", "stance", "speaker", "ambiguous", "note", "line"])


def gold_articles(path: Path) -> set[str]:
    """The articles the gold file points at (their sentences are all its check needs)."""
    import csv
    path = Path(path)
    if not path.exists():
        return set()
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            return {row.get("article_id") or "" for row in csv.DictReader(f)}
    except (OSError, UnicodeDecodeError, csv.Error):
        return set()  # load_gold says what is wrong with it


def _best_segment(segments, start, end):
    overlap = [(min(end, s.end) - max(start, s.start), s) for s in segments]
    overlap = [(o, s) for o, s in overlap if o > 0]
    return max(overlap, key=lambda x: x[0])[1] if overlap else None


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1; a measure with an empty denominator is NaN, not 0 or 1."""
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    f = 2 * p * r / (p + r) if tp else (0.0 if fp + fn else float("nan"))
    return p, r, f


def alpha_nominal(a: list, b: list) -> float:
    """Krippendorff's alpha, nominal, for two coders; NaN when there is no variation to agree on."""
    values = set(a) | set(b)
    if len(values) < 2:
        return float("nan")
    codes = {v: i for i, v in enumerate(sorted(values, key=str))}
    data = np.array([[codes[x] for x in a], [codes[x] for x in b]], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


@dataclass
class Evaluation:
    sentence: pd.DataFrame      # per frame + pooled: tp fp fn precision recall f1 alpha
    article: pd.DataFrame
    stance: pd.DataFrame        # per frame + pooled: n, correct, accuracy
    speaker: pd.DataFrame
    disagreements: pd.DataFrame
    coded_sentences: int

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"evaluation_sentence": self.sentence, "evaluation_article": self.article,
                "evaluation_stance": self.stance, "evaluation_speaker": self.speaker,
                "evaluation_disagreements": self.disagreements}

    def summary_text(self) -> str:
        s = self.sentence.set_index("frame")
        lines = [f"Sentence-level agreement with gold ({self.coded_sentences} sentences):",
                 s[["tp", "fp", "fn", "precision", "recall", "f1", "alpha"]].round(3).to_string(), "",
                 f"Stance accuracy (pooled): {self.stance.iloc[-1].accuracy:.3f} over {int(self.stance.iloc[-1].n)} matched mentions",
                 f"Speaker accuracy (pooled): {self.speaker.iloc[-1].accuracy:.3f} over {int(self.speaker.iloc[-1].n)} matched mentions",
                 f"Disagreements: {len(self.disagreements)}"]
        return "\n".join(lines)


def _confusion(gold: set, system: set, frames: list[str], units: list) -> pd.DataFrame:
    rows = []
    for f in frames + [POOLED]:
        g = {u for u in gold if f == POOLED or u[1] == f}
        s = {u for u in system if f == POOLED or u[1] == f}
        tp, fp, fn = len(g & s), len(s - g), len(g - s)
        p, r, f1 = prf(tp, fp, fn)
        keys = [u for u in units if f == POOLED or u[1] == f]
        rows.append({"frame": f, "tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f1,
                     "alpha": alpha_nominal([u in g for u in keys], [u in s for u in keys])})
    return pd.DataFrame(rows)


def _accuracy(pairs: pd.DataFrame, col: str, frames: list[str]) -> pd.DataFrame:
    rows = []
    for f in frames + [POOLED]:
        sub = pairs if f == POOLED else pairs[pairs.frame == f]
        correct = int((sub[f"{col}_gold"] == sub[f"{col}_system"]).sum())
        rows.append({"frame": f, "n": len(sub), "correct": correct, "accuracy": correct / len(sub) if len(sub) else float("nan")})
    return pd.DataFrame(rows)


def evaluate(analysis, gold_path: Path) -> Evaluation:
    gold = load_gold(Path(gold_path), analysis)
    frames = analysis.codebook.frame_ids
    coded = sorted(set(gold.sentence_id))
    article_of = {s.sentence_id: s.article_id for s in analysis.segments}
    g_units = {(r.sentence_id, r.frame) for r in gold.itertuples() if r.frame}
    st = analysis.stances[analysis.stances.sentence_id.isin(coded)]
    s_units = {(r.sentence_id, r.frame) for r in st.itertuples()}
    units = [(sid, f) for sid in coded for f in frames]
    sentence = _confusion(g_units, s_units, frames, units)
    articles = sorted({article_of[s] for s in coded})
    article = _confusion({(article_of[s], f) for s, f in g_units}, {(article_of[s], f) for s, f in s_units},
                         frames, [(a, f) for a in articles for f in frames])
    pairs = gold[gold.frame != ""].merge(st, on=["sentence_id", "frame"], suffixes=("_gold", "_system"))
    stance = _accuracy(pairs, "stance", frames)
    speaker = _accuracy(pairs, "speaker", frames)
    text = {s.sentence_id: s.text for s in analysis.segments}
    amb = {(r.sentence_id, r.frame): r.ambiguous for r in gold.itertuples()}
    dis = []
    for sid, f in sorted(s_units - g_units):
        dis.append({"sentence_id": sid, "frame": f, "kind": "false positive", "gold": "", "system": f})
    for sid, f in sorted(g_units - s_units):
        dis.append({"sentence_id": sid, "frame": f, "kind": "false negative", "gold": f, "system": ""})
    for r in pairs.itertuples():
        if r.stance_gold != r.stance_system:
            dis.append({"sentence_id": r.sentence_id, "frame": r.frame, "kind": "wrong stance", "gold": r.stance_gold, "system": r.stance_system})
        if r.speaker_gold != r.speaker_system:
            dis.append({"sentence_id": r.sentence_id, "frame": r.frame, "kind": "wrong speaker", "gold": r.speaker_gold, "system": r.speaker_system})
    disagreements = pd.DataFrame(dis, columns=["sentence_id", "frame", "kind", "gold", "system"])
    disagreements["ambiguous_in_gold"] = [amb.get((d.sentence_id, d.frame), False) for d in disagreements.itertuples()]
    disagreements["article_id"] = disagreements.sentence_id.map(article_of)
    disagreements["sentence"] = disagreements.sentence_id.map(text)
    disagreements = disagreements.sort_values(["sentence_id", "frame", "kind"], kind="stable").reset_index(drop=True)
    return Evaluation(sentence, article, stance, speaker, disagreements, len(coded))
