"""Keyword in context over the corpus, with the codebook's normalization and clitic rules."""
from __future__ import annotations

import pandas as pd

from analysis.io.errors import InputError, Problem
from analysis.match.patterns import PatternError, Regex, Term

KWIC_COLUMNS = ["outlet", "date", "article_id", "sentence_id", "start", "end", "left", "match", "right"]


def compile_query(pattern: str, regex: bool, sets: dict | None = None):
    try:
        return Regex(pattern) if regex else Term(pattern, sets or {})
    except PatternError as e:
        raise InputError(Problem("PATTERN", None, f"{e}: {pattern!r}", "see docs/codebook.md for the pattern syntax")) from None


def kwic(analysis, pattern: str, regex: bool = False, width: int = 50) -> pd.DataFrame:
    rows = []
    for seg in analysis.segments:
        art = analysis.corpus.article(seg.article_id)
        query = compile_query(pattern, regex, analysis.codebook.sets.get(art.language, {}))
        for ns, ne in query.find(seg.match_text):
            s, e = seg.original(ns, ne)
            rows.append({"outlet": art.outlet.name_en, "date": art.date, "article_id": art.id,
                         "sentence_id": seg.sentence_id, "start": s, "end": e,
                         "left": art.text[max(seg.start, s - width):s], "match": art.text[s:e],
                         "right": art.text[e:min(seg.end, e + width)]})
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)
