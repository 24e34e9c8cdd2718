"""The `translations` command: what a translator still has to do, and merging their work back.

    python -m analysis translations --missing        # -> OUT/translations_missing.csv (+ glossary_missing.csv)
    python -m analysis translations --merge FILE     # validated, then added to DATA/translations.csv or glossary.csv

Only quotes the briefing shows are listed (each focus frame's selection, one per
other frame, the capped appendix), so a corpus of thousands of articles gives a
list a translator can finish.  A merged file is checked like data/translations.csv:
offsets, Arabic against the article, ids; a stale or broken row stops the merge.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from analysis.io.datawriter import DataWriter
from analysis.io.errors import InputError, Problem, Problems
from analysis.io.output import write_text
from analysis.io.untrusted import csv_cell
from analysis.results.evidence import TRANSLATION_COLUMNS, TRANSLATIONS, load_translations
from analysis.results.glossary import GLOSSARY, GLOSSARY_COLUMNS, load_glossary

MISSING_SENTENCES = "translations_missing.csv"
MISSING_WORDS = "glossary_missing.csv"


def _csv(columns, rows: list[dict], neutralize: bool = False) -> str:
    """``neutralize``: a file for a spreadsheet (formula cells get a ``'``, controls dropped), not a data file."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: _cell(r.get(c, ""), neutralize) for c in columns})
    return buf.getvalue()


def _cell(value, neutralize: bool):
    return csv_cell(value) if neutralize and isinstance(value, str) else value


def missing(briefing) -> tuple[list[dict], list[dict]]:
    """Shown quotes without a translation (translations.csv rows, English empty), and untranslated Arabic table words."""
    shown = briefing.shown_evidence()
    english = {a.id for a in briefing.analysis.corpus.articles if a.language == "en"}  # their own English
    todo = shown[shown.english.isna() & ~shown.article_id.isin(english)].sort_values(["article_id", "start"], kind="stable")
    sentences = [{"evidence_id": r.evidence_id, "article_id": r.article_id, "start": int(r.start), "end": int(r.end),
                  "arabic": r.arabic} for r in todo.itertuples()]
    words = sorted({w for w in briefing.shown_arabic_words() if w not in briefing.glossary})
    return sentences, [{"arabic": w} for w in words]


def write_missing(briefing, out_dir: Path) -> list[Path]:
    sentences, words = missing(briefing)
    paths = [write_text(out_dir / MISSING_SENTENCES, _csv(TRANSLATION_COLUMNS, sentences, neutralize=True))]
    paths.append(write_text(out_dir / MISSING_WORDS, _csv(GLOSSARY_COLUMNS, words, neutralize=True)))
    return paths


def merge(filled: Path, data_dir: Path, analysis) -> tuple[Path, int]:
    """Validate a filled-in file and fold its translated rows into the data folder; returns (file, rows added)."""
    try:
        header = next(csv.reader(io.StringIO(filled.read_text(encoding="utf-8-sig"))), [])
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(Problem(str(filled), None, f"cannot read: {e}", "give a UTF-8 CSV file")) from None
    problems = Problems()
    if "evidence_id" in header:
        new = load_translations(filled, analysis, problems)
        target, key, columns = data_dir / TRANSLATIONS, "evidence_id", TRANSLATION_COLUMNS
        rows = [{"evidence_id": eid, "article_id": eid.split(":")[0], "start": eid.split(":")[1].split("-")[0],
                 "end": eid.split("-")[-1], "arabic": _arabic(analysis, eid), "english": t.english,
                 "translator": t.translator, "note": t.note} for eid, t in new.items()]
    elif "arabic" in header:
        new = load_glossary(data_dir, problems, path=filled)
        target, key, columns = data_dir / GLOSSARY, "arabic", GLOSSARY_COLUMNS
        extra = _rows(filled, "arabic")
        rows = [{"arabic": a, "english": e, "translator": extra.get(a, {}).get("translator", ""),
                 "note": extra.get(a, {}).get("note", "")} for a, e in new.items()]
    else:
        raise InputError(Problem(str(filled), 1, "neither a translations nor a glossary file",
                                 f"use the header of {MISSING_SENTENCES} or {MISSING_WORDS}"))
    problems.raise_if_any()  # a stale or broken row: nothing is merged
    with DataWriter(data_dir) as w:  # read, merge and write under the data folder's lock
        old = pd.DataFrame(_rows(target, key).values()) if target.exists() else pd.DataFrame(columns=columns)
        keep = old[~old[key].isin({r[key] for r in rows})] if len(old) else old
        merged = keep.to_dict("records") + rows
        w.put_text(target.name, _csv(columns, merged))
        w.commit()
    return target, len(rows)


def _arabic(analysis, eid: str) -> str:
    aid, span = eid.split(":")
    start, end = (int(x) for x in span.split("-"))
    return analysis.corpus.article(aid).text[start:end]


def _rows(path: Path, key: str) -> dict[str, dict]:
    """Rows by their ``key`` column, wherever it stands in the header."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return {r.get(key) or "": r for r in csv.DictReader(f)}
