"""Evidence: the quoted sentences a reader sees, with their translations.

A quote is always ``article.text[start:end]`` of a whole sentence; the matched
phrases are listed as offsets for highlighting.  Its id is ``article_id:start-end``; translations are
keyed by that id and checked against the original text, so an edited article
never shows a stale translation.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.io.errors import Problems
from analysis.io.untrusted import CONTROL, from_csv_cell

TRANSLATIONS = "translations.csv"
TRANSLATION_COLUMNS = ("evidence_id", "article_id", "start", "end", "arabic", "english", "translator", "note")
MISSING = "[translation missing: add it to data/translations.csv]"


def evidence_id(article_id: str, start: int, end: int) -> str:
    return f"{article_id}:{start}-{end}"


@dataclass(frozen=True)
class Translation:
    english: str
    translator: str
    note: str


def load_translations(path: Path, analysis, problems: Problems | None = None) -> dict[str, Translation]:
    """Translations whose Arabic still equals the article text at their offsets."""
    from analysis.inputs.corpus import read_csv_rows
    own = problems is None
    problems = problems if problems is not None else Problems()
    out: dict[str, Translation] = {}
    if not path.exists():
        return out
    texts = _Texts(analysis.corpus.articles)
    seen: dict[str, int] = {}
    for line, row in read_csv_rows(path, TRANSLATION_COLUMNS, ("evidence_id", "article_id", "start", "end", "english"), problems):
        aid = row["article_id"]
        if row["evidence_id"] in seen:  # which of two translations the briefing shows would depend on row order
            problems.add(path, line, f"evidence '{row['evidence_id']}' is translated twice (first on line {seen[row['evidence_id']]})",
                         "keep one row per evidence_id: delete the other, or merge the two translations")
            continue
        seen[row["evidence_id"]] = line
        try:
            start, end = int(row["start"]), int(row["end"])
        except ValueError:
            problems.add(path, line, f"start/end must be whole numbers, got '{row['start']}', '{row['end']}'",
                         "copy the offsets from _output/tables/segments.csv")
            continue
        if aid not in texts:
            problems.add(path, line, f"evidence '{row['evidence_id']}' points at article '{aid}', which is not in the manifest",
                         "fix the article_id or remove the row")
            continue
        if row["evidence_id"] != evidence_id(aid, start, end):
            problems.add(path, line, f"evidence_id '{row['evidence_id']}' does not match article_id/start/end",
                         f"set it to {evidence_id(aid, start, end)}")
            continue
        original = texts[aid][start:end]
        if not row["arabic"] and 0 <= start < end <= len(texts[aid]):  # nothing to check it against later
            problems.add(path, line, f"evidence '{row['evidence_id']}' has an empty 'arabic' cell, so an edit of the article "
                                     "would leave this translation stale unnoticed",
                         f"copy the sentence at {start}-{end} into the arabic column (it begins: {original.strip()[:40]}…)")
            continue
        if not (0 <= start < end <= len(texts[aid])) or not _same_text(row["arabic"], original):
            problems.add(path, line, f"evidence '{row['evidence_id']}' no longer matches the article text (it was edited or the offsets are wrong)",
                         "re-translate the sentence now at those offsets (see _output/tables/segments.csv) and update start/end/arabic")
            continue
        if not row["english"].strip():
            problems.add(path, line, f"empty translation for '{row['evidence_id']}'", "write the English or remove the row", level="note")
            continue
        out[row["evidence_id"]] = Translation(row["english"].strip(), row["translator"], row["note"])
    if own:
        problems.raise_if_any()
    return out


class _Texts(dict):
    """Article id -> text, each read when first asked: a translations file names a few articles of a
    corpus that may be too large to hold."""

    def __init__(self, articles):
        super().__init__()
        self.articles = {a.id: a for a in articles}

    def __contains__(self, article_id) -> bool:
        return article_id in self.articles

    def __missing__(self, article_id: str) -> str:
        text = self[article_id] = self.articles[article_id].text
        return text


def _same_text(cell: str, original: str) -> bool:
    """The arabic cell holds the article's sentence, also as translations_missing.csv wrote it
    (a formula start behind a ``'``, controls dropped)."""
    return cell.strip() == original.strip() or (
        CONTROL.sub("", from_csv_cell(cell)).strip() == CONTROL.sub("", original).strip())


EVIDENCE_COLUMNS = ["evidence_id", "article_id", "outlet", "date", "date_confidence", "file", "frame", "stance",
                    "speaker", "sentence_id", "start", "end", "highlights", "indicators", "arabic", "english",
                    "translator", "reviewed"]


def evidence_table(analysis, translations: dict[str, Translation], frames: list[str] | None = None) -> pd.DataFrame:
    """One row per (sentence, frame): quote offsets, highlight offsets, stance, speaker, translation."""
    st = analysis.stances if frames is None else analysis.stances[analysis.stances.frame.isin(frames)]
    meta = {a.id: a for a in analysis.corpus.articles}
    # the mentions of each (sentence, frame), grouped once rather than masked per row
    spans: dict[tuple[str, str], set] = {}
    labels: dict[tuple[str, str], list] = {}
    m = analysis.mentions
    for sid, frame, start, end, ind in zip(m.sentence_id, m.frame, m.start, m.end, m.indicator):
        spans.setdefault((sid, frame), set()).add((int(start), int(end)))
        labels.setdefault((sid, frame), []).append(ind)
    rows = []
    for r in st.itertuples(index=False):
        key = (r.sentence_id, r.frame)
        eid = evidence_id(r.article_id, r.sentence_start, r.sentence_end)
        t = translations.get(eid)
        art = meta[r.article_id]
        rows.append({
            "evidence_id": eid, "article_id": r.article_id, "outlet": r.outlet, "date": art.date,
            "date_confidence": art.date_confidence, "file": art.file,
            "frame": r.frame, "stance": r.stance, "speaker": r.speaker_name, "sentence_id": r.sentence_id,
            "start": r.sentence_start, "end": r.sentence_end,
            "highlights": sorted(spans.get(key, ())),
            "indicators": "; ".join(dict.fromkeys(labels.get(key, []))), "arabic": r.sentence,
            "english": t.english if t else None, "translator": t.translator if t else "",
            "reviewed": bool(getattr(r, "reviewed", False)),  # an analyst's verdict (data/reviews.csv) replaced the coder's
        })
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)  # the columns even with no rows (a blank codebook)


def evidence_rows(stances: pd.DataFrame, articles, translations: dict[str, Translation]) -> pd.DataFrame:
    """``evidence_table`` without the quote, its highlights and indicators: one row per (sentence, frame)."""
    meta = {a.id: a for a in articles}
    arts = [meta[a] for a in stances.article_id]
    eids = [evidence_id(a, s, e) for a, s, e in zip(stances.article_id, stances.sentence_start, stances.sentence_end)]
    found = [translations.get(e) for e in eids]
    return pd.DataFrame({
        "evidence_id": eids, "article_id": stances.article_id.values, "outlet": stances.outlet.values,
        "date": [a.date for a in arts], "date_confidence": [a.date_confidence for a in arts],
        "file": [a.file for a in arts], "frame": stances.frame.values, "stance": stances.stance.values,
        "speaker": stances.speaker_name.values, "sentence_id": stances.sentence_id.values,
        "start": stances.sentence_start.values, "end": stances.sentence_end.values,
        "english": [t.english if t else None for t in found], "translator": [t.translator if t else "" for t in found],
        # an analyst's verdict (data/reviews.csv) replaced the coder's
        "reviewed": stances.reviewed.values if "reviewed" in stances else False,
    }, columns=EVIDENCE_THIN)


EVIDENCE_THIN = [c for c in EVIDENCE_COLUMNS if c not in ("highlights", "indicators", "arabic")]  # with_text adds them
