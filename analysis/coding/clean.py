"""Separate article content from page boilerplate, line by line.

Rules come from ``boilerplate.yaml`` (data an analyst edits; inputs/boilerplate.py loads them).  One rule is
built in: a line printed again later in the article (a repeated title, lead or
caption) is removed at its second and later appearances.  Every removed span
is kept, with its reason, so that anyone can audit what was not counted.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.inputs.boilerplate import STRIP, BoilerplateRule, Line
from analysis.inputs.corpus import Article
from analysis.text.normalize import NormalizedText

MIN_REPEAT_WORDS = 3  # a repeated two-word line ("نفي عراقي") may be a genuine subheading


@dataclass(frozen=True)
class Removed:
    article_id: str
    start: int
    end: int
    rule: str
    reason: str


def lines(text: str):
    """(start, end) of every line, without its newline."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def find_boilerplate(article: Article, rules: list[BoilerplateRule],
                     normalized: NormalizedText | None = None) -> list[Removed]:
    removed: list[Removed] = []
    seen: set[str] = set()
    normalized = normalized if normalized is not None else NormalizedText(article.text)
    for start, end in lines(article.text):
        raw = article.text[start:end]
        if not raw.strip():
            continue
        norm = normalized.of(start, end).strip()
        line = Line.of(norm)  # what every rule reads of the line, once
        rule = next((r for r in rules if r.matches(norm, line=line)), None)
        key = " ".join(norm.strip(STRIP).split())
        if rule is not None:
            removed.append(Removed(article.id, start, end, rule.label, rule.reason))
        elif key in seen and len(key.split()) >= MIN_REPEAT_WORDS:
            removed.append(Removed(article.id, start, end, "repeated", "line printed again (repeated title, lead or caption)"))
        seen.add(key)
    return removed


def content_ranges(text: str, removed: list[Removed]) -> list[tuple[int, int]]:
    """Line ranges that survive cleaning."""
    gone = {(r.start, r.end) for r in removed}
    return [(s, e) for s, e in lines(text) if (s, e) not in gone and text[s:e].strip()]


def removed_frame(removed: list[Removed], articles: dict[str, Article]) -> pd.DataFrame:
    rows = [{"article_id": r.article_id, "file": articles[r.article_id].file, "start": r.start, "end": r.end,
             "rule": r.rule, "reason": r.reason, "text": articles[r.article_id].text[r.start:r.end]}
            for r in removed]
    return pd.DataFrame(rows, columns=["article_id", "file", "start", "end", "rule", "reason", "text"])
