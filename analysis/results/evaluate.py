"""Validation against hand coding (gold): precision, recall, F1, stance and
speaker accuracy, and Krippendorff's alpha (nominal) between coder and gold.

Gold comes at one of two levels, told apart by the file's header:

- **sentence**: ``article_id,start,end,frame[,stance,speaker,ambiguous,note]``, one row
  per (sentence, frame) the hand coder found and one row with an empty frame for each
  sentence with none, so that every coded sentence is known.  Each span must be a
  sentence of the coded text (offsets from ``segments.csv``).
- **article**: ``article_id,frame[,present,stance,speaker,ambiguous,note]``, one row per
  (article, frame) judged; ``present`` is yes (the default) or no, and a row with an
  empty frame lists an article that carries none.

Stance and speaker are optional at both levels and scored only where given.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd

from analysis.coding.stance import STANCES
from analysis.inputs.corpus import read_csv_rows
from analysis.io.errors import Problems, did_you_mean

GOLD = "gold.csv"
GOLD_COLUMNS = ("article_id", "start", "end", "frame", "stance", "speaker", "ambiguous", "note")
ARTICLE_GOLD_COLUMNS = ("article_id", "frame", "present", "stance", "speaker", "ambiguous", "note")
SENTENCE, ARTICLE = "sentence", "article"
POOLED = "all frames"
YES, NO = ("yes", "true", "1", "y", "x"), ("no", "false", "0", "n", "")
ROW_COLUMNS = ["article_id", "sentence_id", "frame", "stance", "speaker", "ambiguous", "note", "line"]


@dataclass
class Gold:
    level: str            # SENTENCE or ARTICLE
    rows: pd.DataFrame    # ROW_COLUMNS; sentence_id is '' at article level; frame '' = none
    path: str = ""

    @property
    def units(self) -> list[str]:
        """The coded units: sentence ids, or article ids."""
        col = "sentence_id" if self.level == SENTENCE else "article_id"
        return sorted(set(self.rows[col]))


def gold_level(path: Path) -> str:
    """ARTICLE when the header has no start/end columns, else SENTENCE (unreadable files: SENTENCE, and
    the reader says what is wrong)."""
    try:
        header = next(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))), [])
    except (OSError, UnicodeDecodeError, csv.Error, StopIteration):
        return SENTENCE
    names = {h.strip() for h in header}
    return ARTICLE if "article_id" in names and not names & {"start", "end"} else SENTENCE


class _Checks:
    """What every gold row is checked against: frames, stances, speakers."""

    def __init__(self, analysis, path: Path, problems: Problems):
        self.frames = set(analysis.codebook.frame_ids)
        self.speakers = set(analysis.actors) | {"outlet", "unknown", "unlisted"}  # unlisted: not in the gazetteer
        self.path, self.problems = path, problems

    def row_ok(self, line: int, row: dict) -> bool:
        frame, stance = row["frame"], row.get("stance", "")
        if row.get("ambiguous", "").strip().lower() not in YES + NO:
            self.problems.add(self.path, line, f"ambiguous '{row['ambiguous']}' is not yes or no",
                              "write yes or no (or leave it empty for no)")
            return False
        if frame and frame not in self.frames:
            self.problems.add(self.path, line, f"unknown frame '{frame}'{did_you_mean(frame, self.frames)}",
                              f"use a frame id from the codebook: {', '.join(sorted(self.frames))}")
            return False
        if stance and stance not in STANCES:
            self.problems.add(self.path, line, f"stance '{stance}' is not one of {', '.join(STANCES)}",
                              "set the stance, or leave it empty (then it is not scored)")
            return False
        if frame == "" and (stance or row.get("speaker")):
            self.problems.add(self.path, line, "a stance or speaker on a row with no frame",
                              "write the frame id, or leave stance and speaker empty")
            return False
        if row.get("speaker") and row["speaker"] not in self.speakers:
            self.problems.add(self.path, line, f"unknown speaker '{row['speaker']}'",
                              "use an actor id from actors.yaml, 'outlet', 'unlisted' or 'unknown'", level="note")
        return True


def _flag(value: str) -> bool:
    return value.strip().lower() in YES


def load_gold(path: Path, analysis, problems: Problems | None = None) -> Gold:
    """Gold rows at the level the header says, mapped onto the coder's sentences or articles; rows that
    point nowhere are errors naming the row and the fix."""
    own = problems is None
    problems = problems if problems is not None else Problems()
    path = Path(path)
    level = gold_level(path)
    checks = _Checks(analysis, path, problems)
    rows = _article_rows(path, analysis, checks) if level == ARTICLE else _sentence_rows(path, analysis, checks)
    if own:
        problems.raise_if_any()
    return Gold(level, pd.DataFrame(rows, columns=ROW_COLUMNS), str(path))


def _sentence_rows(path: Path, analysis, checks: _Checks) -> list[dict]:
    problems = checks.problems
    by_article: dict[str, list] = {}
    for s in analysis.segments:
        by_article.setdefault(s.article_id, []).append(s)
    articles = {a.id: a for a in analysis.corpus.articles}  # a text is read when a gold row names its article
    rows = []
    seen: dict[tuple[str, str], int] = {}  # (sentence, frame) -> its first line: counted once
    for line, row in read_csv_rows(path, GOLD_COLUMNS, ("article_id", "start", "end", "frame"), problems):
        aid = row["article_id"]
        try:
            start, end = int(row["start"]), int(row["end"])
        except ValueError:
            problems.add(path, line, "start/end must be whole numbers", "copy the sentence offsets from _output/tables/segments.csv")
            continue
        if start < 0 or end <= start:
            problems.add(path, line, f"offsets {start}-{end}: start must be 0 or more and end after start",
                         "copy the sentence offsets from _output/tables/segments.csv")
            continue
        seg = _sentence_at(by_article.get(aid, []), articles[aid].text if aid in articles else "", start, end,
                           path, line, aid, problems)
        if seg is None or not checks.row_ok(line, row):
            continue
        key = (seg.sentence_id, row["frame"])
        if key in seen:
            problems.add(path, line, f"sentence {seg.sentence_id} has {'frame ' + repr(row['frame']) if row['frame'] else 'no frame'} "
                                     f"twice (first on line {seen[key]}); each (sentence, frame) is counted once",
                         "delete the repeated row, or merge the two rows' notes")
            continue
        seen[key] = line
        rows.append({"article_id": aid, "sentence_id": seg.sentence_id, "frame": row["frame"], "stance": row["stance"],
                     "speaker": row["speaker"], "ambiguous": _flag(row.get("ambiguous", "")),
                     "note": row.get("note", ""), "line": line})
    return rows


def _sentence_at(segments, text: str, start: int, end: int, path, line, aid, problems: Problems):
    """The one sentence the span is (surrounding spaces aside); anything else is an error with its fix."""
    hit = [s for s in segments if min(end, s.end) - max(start, s.start) > 0]
    where = "check article_id and the offsets against _output/tables/segments.csv"
    if not hit:
        problems.add(path, line, f"no sentence of article '{aid}' at {start}-{end}", where)
        return None
    if len(hit) > 1:
        problems.add(path, line, f"{start}-{end} spans {len(hit)} sentences of article '{aid}' "
                     f"({hit[0].sentence_id} to {hit[-1].sentence_id}), not one",
                     "give one row per sentence with its offsets from _output/tables/segments.csv, or code whole "
                     "articles in a gold file with the header article_id,frame,present (docs/coding-instructions.md)")
        return None
    s = hit[0]
    lo, hi = start + len(text[start:end]) - len(text[start:end].lstrip()), end - len(text[start:end]) + len(text[start:end].rstrip())
    if (lo, hi) != (s.start, s.end):
        problems.add(path, line, f"{start}-{end} is part of sentence {s.sentence_id} ({s.start}-{s.end}), not a sentence",
                     f"write start={s.start}, end={s.end} (offsets from _output/tables/segments.csv)")
        return None
    return s


def _article_rows(path: Path, analysis, checks: _Checks) -> list[dict]:
    problems = checks.problems
    articles = {a.id for a in analysis.corpus.articles}
    rows, seen = [], {}
    for line, row in read_csv_rows(path, ARTICLE_GOLD_COLUMNS, ("article_id", "frame"), problems):
        aid, frame, present = row["article_id"], row["frame"], row.get("present", "").strip().lower()
        if aid not in articles:
            problems.add(path, line, f"no article '{aid}' in the corpus{did_you_mean(aid, articles)}",
                         "use an article id from manifest.csv")
            continue
        if present not in YES + NO:
            problems.add(path, line, f"present must be yes or no, got '{row['present']}'",
                         "write yes (the article carries the frame) or no; empty means yes")
            continue
        if not checks.row_ok(line, row):
            continue
        if (aid, frame) in seen and frame:
            problems.add(path, line, f"article '{aid}', frame '{frame}' is already judged on line {seen[(aid, frame)]}",
                         "keep one row per article and frame")
            continue
        seen[(aid, frame)] = line
        carries = bool(frame) and (present in YES or present == "")
        rows.append({"article_id": aid, "sentence_id": "", "frame": frame if carries else "",
                     "stance": row["stance"] if carries else "", "speaker": row["speaker"] if carries else "",
                     "ambiguous": _flag(row.get("ambiguous", "")), "note": row.get("note", ""), "line": line})
    return rows


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
    sentence: pd.DataFrame      # per frame + pooled: tp fp fn precision recall f1 alpha (empty for article gold)
    article: pd.DataFrame       # the same per (article, frame)
    stance: pd.DataFrame        # per frame + pooled: n, correct, accuracy (over the units whose gold gives one)
    speaker: pd.DataFrame
    disagreements: pd.DataFrame
    coded_sentences: int
    level: str = SENTENCE
    coded_articles: int = 0
    gold_path: str = field(default="")

    @property
    def main(self) -> pd.DataFrame:
        """The table at the gold's own level."""
        return self.sentence if self.level == SENTENCE else self.article

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"evaluation_sentence": self.sentence, "evaluation_article": self.article,
                "evaluation_stance": self.stance, "evaluation_speaker": self.speaker,
                "evaluation_disagreements": self.disagreements}

    def summary_text(self) -> str:
        cols = ["tp", "fp", "fn", "precision", "recall", "f1", "alpha"]
        lines = [f"Read {self.level}-level gold from {self.gold_path}."]
        if self.level == SENTENCE:
            lines += [f"Sentence-level agreement with gold ({self.coded_sentences} sentences):",
                      self.sentence.set_index("frame")[cols].round(3).to_string(), ""]
        lines += [f"Article-level agreement with gold ({self.coded_articles} articles"
                  + (", a frame present when any sentence carries it" if self.level == SENTENCE else "") + "):",
                  self.article.set_index("frame")[cols].round(3).to_string(), ""]
        for name, t in (("Stance", self.stance), ("Speaker", self.speaker)):
            last = t.iloc[-1]
            lines.append(f"{name} accuracy (pooled): {last.accuracy:.3f} over {int(last.n)} matched units with a gold {name.lower()}"
                         if last.n else f"{name} accuracy: not scored (the gold gives no {name.lower()})")
        lines.append(f"Disagreements: {len(self.disagreements)}")
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
    """Accuracy over the pairs whose gold gives ``col``; a system value that is a set counts when it holds it."""
    given = pairs[pairs[f"{col}_gold"] != ""]
    rows = []
    for f in frames + [POOLED]:
        sub = given if f == POOLED else given[given.frame == f]
        correct = sum(g == s or (isinstance(s, frozenset) and g in s) for g, s in zip(sub[f"{col}_gold"], sub[f"{col}_system"]))
        rows.append({"frame": f, "n": len(sub), "correct": int(correct), "accuracy": correct / len(sub) if len(sub) else float("nan")})
    return pd.DataFrame(rows)


def evaluate(analysis, gold_path: Path, gold: Gold | None = None) -> Evaluation:
    gold = gold or load_gold(Path(gold_path), analysis)
    if gold.level == ARTICLE:
        return _evaluate_articles(analysis, gold)
    g = gold.rows
    frames = analysis.codebook.frame_ids
    coded = gold.units
    article_of = {s.sentence_id: s.article_id for s in analysis.segments}
    g_units = {(r.sentence_id, r.frame) for r in g.itertuples() if r.frame}
    st = analysis.stances[analysis.stances.sentence_id.isin(coded)]
    s_units = {(r.sentence_id, r.frame) for r in st.itertuples()}
    sentence = _confusion(g_units, s_units, frames, [(sid, f) for sid in coded for f in frames])
    articles = sorted({article_of[s] for s in coded})
    article = _confusion({(article_of[s], f) for s, f in g_units}, {(article_of[s], f) for s, f in s_units},
                         frames, [(a, f) for a in articles for f in frames])
    pairs = g[g.frame != ""].merge(st, on=["sentence_id", "frame"], suffixes=("_gold", "_system"))
    text = {s.sentence_id: s.text for s in analysis.segments}
    dis = _disagreements(g_units, s_units, pairs, "sentence_id")
    dis["ambiguous_in_gold"] = _ambiguous(g, dis, "sentence_id")
    dis["article_id"] = dis.sentence_id.map(article_of)
    dis["sentence"] = dis.sentence_id.map(text)
    dis = dis.sort_values(["sentence_id", "frame", "kind"], kind="stable").reset_index(drop=True)
    return Evaluation(sentence, article, _accuracy(pairs, "stance", frames), _accuracy(pairs, "speaker", frames),
                      dis, len(coded), SENTENCE, len(articles), gold.path)


def _evaluate_articles(analysis, gold: Gold) -> Evaluation:
    """Article × frame: the tool finds a frame in an article when any of its sentences carries it; its stance
    (speaker) agrees with the gold's when one of those sentences has it."""
    g, frames, coded = gold.rows, analysis.codebook.frame_ids, gold.units
    st = analysis.stances[analysis.stances.article_id.isin(coded)]
    g_units = {(r.article_id, r.frame) for r in g.itertuples() if r.frame}
    s_units = {(r.article_id, r.frame) for r in st.itertuples()}
    article = _confusion(g_units, s_units, frames, [(a, f) for a in coded for f in frames])
    sets = st.groupby(["article_id", "frame"]).agg(stance=("stance", frozenset), speaker=("speaker", frozenset)).reset_index()
    pairs = g[g.frame != ""].merge(sets, on=["article_id", "frame"], suffixes=("_gold", "_system"))
    dis = _disagreements(g_units, s_units, pairs, "article_id")
    dis["ambiguous_in_gold"] = _ambiguous(g, dis, "article_id")
    dis["article_id"] = dis.unit
    first = st.drop_duplicates(["article_id", "frame"]).set_index(["article_id", "frame"]).sentence_id
    dis["sentence_id"] = [first.get((d.unit, d.frame), "") for d in dis.itertuples()]
    dis["sentence"] = dis.sentence_id.map({s.sentence_id: s.text for s in analysis.segments}).fillna("")
    dis = dis.sort_values(["article_id", "frame", "kind"], kind="stable").reset_index(drop=True)
    empty = pd.DataFrame(columns=["frame", "tp", "fp", "fn", "precision", "recall", "f1", "alpha"])
    return Evaluation(empty, article, _accuracy(pairs, "stance", frames), _accuracy(pairs, "speaker", frames),
                      dis.drop(columns="unit"), 0, ARTICLE, len(coded), gold.path)


def _show(v) -> str:
    return " | ".join(sorted(v)) if isinstance(v, frozenset) else v


def _disagreements(g_units: set, s_units: set, pairs: pd.DataFrame, key: str) -> pd.DataFrame:
    dis = [{"unit": u, "frame": f, "kind": "false positive", "gold": "", "system": f} for u, f in sorted(s_units - g_units)]
    dis += [{"unit": u, "frame": f, "kind": "false negative", "gold": f, "system": ""} for u, f in sorted(g_units - s_units)]
    for r in pairs.to_dict("records"):
        for col in ("stance", "speaker"):
            gv, sv = r[f"{col}_gold"], r[f"{col}_system"]
            if gv and not (gv == sv or (isinstance(sv, frozenset) and gv in sv)):
                dis.append({"unit": r[key], "frame": r["frame"], "kind": f"wrong {col}", "gold": gv, "system": _show(sv)})
    out = pd.DataFrame(dis, columns=["unit", "frame", "kind", "gold", "system"])
    if key == "sentence_id":
        out = out.rename(columns={"unit": "sentence_id"})
    return out


def _ambiguous(g: pd.DataFrame, dis: pd.DataFrame, key: str) -> list[bool]:
    amb = {(getattr(r, key), r.frame): r.ambiguous for r in g.itertuples()}
    col = "sentence_id" if key == "sentence_id" else "unit"
    return [bool(amb.get((u, f), False)) for u, f in zip(dis[col], dis.frame)]
