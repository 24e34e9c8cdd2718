"""Words and two-word phrases that could grow a frame's indicators (`python -m analysis suggest FRAME`).

Keyness as quanteda's ``textstat_keyness``: for each feature a 2×2 table of its count in the target and in
the reference, against the other words of each; the likelihood-ratio statistic G² (``measure = "lr"``) or
Pearson's χ² (``"chi2"``, with Yates' correction as quanteda's default), signed positive when the feature
is more frequent in the target than expected.  Features are words folded as the codebook's terms see them
(normalized, ال and the proclitics before it dropped: match/grammar.fold_word) and pairs of adjacent
words in one sentence.  Each language is counted against itself.

Two targets per frame:
- the sentences the tool codes with the frame, against the other sentences (what the frame's words are);
- the gold-positive sentences or articles the tool missed, against the rest (what the misses use instead).
"""
from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pandas as pd
from scipy.stats import chi2 as chi2_dist

from analysis.io.errors import InputError, Problem, did_you_mean
from analysis.match.grammar import fold_word
from analysis.match.patterns import WORD
from analysis.results.evaluate import ARTICLE, load_gold

MEASURES = ("lr", "chi2")
FRAME_WORDS, MISSED = "frame sentences", "missed by the tool"
COLUMNS = ["list", "language", "feature", "measure", "score", "p", "n_target", "n_reference", "example", "sentence_id",
           "indicator"]


def keyness(target: Counter, reference: Counter, measure: str = "lr") -> pd.DataFrame:
    """Per feature: n_target, n_reference, the signed score and its p-value (1 degree of freedom)."""
    n1, n2 = sum(target.values()), sum(reference.values())
    rows = []
    for f in sorted(set(target) | set(reference)):
        a, b = target.get(f, 0), reference.get(f, 0)
        score = (g2 if measure == "lr" else chi2_yates)(a, b, n1 - a, n2 - b)
        sign = 1 if a * (n1 + n2) > n1 * (a + b) else -1  # observed above expected in the target
        rows.append({"feature": f, "n_target": a, "n_reference": b, "score": sign * score, "p": float(chi2_dist.sf(score, 1))})
    return pd.DataFrame(rows, columns=["feature", "n_target", "n_reference", "score", "p"])


def g2(a: int, b: int, c: int, d: int) -> float:
    """Likelihood ratio G² = 2 Σ O ln(O/E) of the table [[a, b], [c, d]] (cells of 0 add nothing)."""
    n = a + b + c + d
    rows, cols = (a + b, c + d), (a + c, b + d)
    cells = ((a, 0, 0), (b, 0, 1), (c, 1, 0), (d, 1, 1))
    return 2 * sum(o * math.log(o / (rows[i] * cols[j] / n)) for o, i, j in cells if o)


def chi2_yates(a: int, b: int, c: int, d: int) -> float:
    """Pearson's χ² with Yates' continuity correction of the table [[a, b], [c, d]]."""
    n = a + b + c + d
    den = (a + b) * (c + d) * (a + c) * (b + d)
    return n * max(abs(a * d - b * c) - n / 2, 0) ** 2 / den if den else 0.0


def sentence_features(norm: str) -> list[tuple[str, int, int]]:
    """Folded words and adjacent pairs, with normalized spans (pure digits and one-letter words left out)."""
    words = [(fold_word(m.group()), m.start(), m.end()) for m in WORD.finditer(norm)]
    words = [w for w in words if len(w[0]) > 1 and not w[0].isdigit()]
    pairs = [(f"{x[0]} {y[0]}", x[1], y[2]) for x, y in zip(words, words[1:])]
    return words + pairs


class Suggester:
    """Counts features once per sentence of the corpus, then ranks them for any target."""

    def __init__(self, analysis, frame: str = ""):
        self.analysis = analysis
        m = analysis.mentions[analysis.mentions.frame == frame]
        self.mentions = {sid: list(zip(g.start, g.end, g.indicator)) for sid, g in m.groupby("sentence_id")}
        self.language = {a.id: a.language for a in analysis.corpus.articles}
        self.features = {s.sentence_id: sentence_features(s.norm) for s in analysis.segments}
        self.segments = {s.sentence_id: s for s in analysis.segments}

    def rank(self, target: set[str], language: str, measure: str, top: int, min_count: int, name: str) -> pd.DataFrame:
        ids = [sid for sid, s in self.segments.items() if self.language[s.article_id] == language]
        t = Counter(f for sid in ids if sid in target for f, _, _ in self.features[sid])
        r = Counter(f for sid in ids if sid not in target for f, _, _ in self.features[sid])
        if not t:
            return pd.DataFrame(columns=COLUMNS)
        k = keyness(t, r, measure)
        k = k[(k.score > 0) & (k.n_target >= min_count)].sort_values(["score", "feature"], ascending=[False, True]).head(top)
        k["list"], k["language"], k["measure"] = name, language, measure
        ex = [self._example(f, target, ids) for f in k.feature]
        k["example"] = [e[0] for e in ex]
        k["sentence_id"] = [e[1] for e in ex]
        k["indicator"] = [e[2] for e in ex]  # already an indicator's words there: not a new candidate
        return k[COLUMNS]

    def _example(self, feature: str, target: set[str], ids: list[str], width: int = 40) -> tuple[str, str, str]:
        """Keyword in context from the first target sentence holding the feature, sliced from the article,
        and the label of the frame's indicator whose match covers it there, if one does."""
        for sid in ids:
            if sid not in target:
                continue
            hit = next(((s, e) for f, s, e in self.features[sid] if f == feature), None)
            if hit:
                seg = self.segments[sid]
                text = self.analysis.corpus.article(seg.article_id).text
                s, e = seg.original(*hit)
                left, right = text[max(seg.start, s - width):s], text[e:min(seg.end, e + width)]
                label = next((lab for ms, me, lab in self.mentions.get(sid, ()) if ms <= s and e <= me), "")
                return f"…{left}【{text[s:e]}】{right}…".replace("\n", " "), sid, label
        return "", "", ""


def suggest(analysis, frame: str, gold_path: Path | None = None, measure: str = "lr", top: int = 20,
            min_count: int = 2) -> tuple[pd.DataFrame, str]:
    """Both lists for ``frame`` (per language), and a line saying what the missed list rests on."""
    frames = analysis.codebook.frame_ids
    if frame not in frames:
        raise InputError(Problem("FRAME", None, f"unknown frame '{frame}'{did_you_mean(frame, frames)}",
                                 f"use a frame id from the codebook: {', '.join(frames)}"))
    sg = Suggester(analysis, frame)
    coded = set(analysis.stances.sentence_id[analysis.stances.frame == frame])
    missed, note = _missed(analysis, frame, gold_path)
    parts = []
    for lang in sorted(set(sg.language.values())):
        parts.append(sg.rank(coded, lang, measure, top, min_count, FRAME_WORDS))
        if missed:
            parts.append(sg.rank(missed, lang, measure, top, min_count, MISSED))
    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else pd.DataFrame(columns=COLUMNS)
    return out, note


def _missed(analysis, frame: str, gold_path: Path | None) -> tuple[set[str], str]:
    """Sentences of the gold-positive units the tool missed: the sentences themselves (sentence gold) or
    every sentence of the missed articles (article gold)."""
    if gold_path is None or not Path(gold_path).exists():
        return set(), "no gold file: only the frame's own sentences are compared"
    gold = load_gold(Path(gold_path), analysis)
    st = analysis.stances[analysis.stances.frame == frame]
    pos = gold.rows[gold.rows.frame == frame]
    if gold.level == ARTICLE:
        units = set(pos.article_id) - set(st.article_id)
        sids = {s.sentence_id for s in analysis.segments if s.article_id in units}
        what = f"{len(units)} article(s)"
    else:
        sids = set(pos.sentence_id) - set(st.sentence_id)
        what = f"{len(sids)} sentence(s)"
    return sids, f"{gold.level}-level gold {gold.path}: the tool missed the frame in {what} ({len(pos)} gold-positive)"
