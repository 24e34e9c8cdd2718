"""Separate article content from page boilerplate, line by line.

Rules come from ``boilerplate.yaml`` (data an analyst edits).  One rule is
built in: a line printed again later in the article (a repeated title, lead or
caption) is removed at its second and later appearances.  Every removed span
is kept, with its reason, so that anyone can audit what was not counted.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.inputs.corpus import Article
from analysis.io.errors import Problems
from analysis.io.yamlio import check_keys, line_of, load_yaml
from analysis.match.patterns import PatternError, Regex
from analysis.text.normalize import normalize

BOILERPLATE = "boilerplate.yaml"
RULE_KEYS = ("label", "reason", "equals", "starts_with", "contains", "regex", "max_words")
STRIP = " \t:：-–—|•·.،,«»\"'()"
MIN_REPEAT_WORDS = 3  # a repeated two-word line ("نفي عراقي") may be a genuine subheading


@dataclass(frozen=True)
class Rule:
    label: str
    reason: str
    equals: frozenset[str] = frozenset()
    starts_with: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    regex: Regex | None = None
    max_words: int | None = None

    def matches(self, norm_line: str, lower: str | None = None) -> bool:
        """``lower``: the line lower-cased, when the caller has it (every rule reads it)."""
        if self.max_words is not None and len(norm_line.split()) > self.max_words:
            return False
        lower = norm_line.lower() if lower is None else lower
        return (lower.strip(STRIP) in self.equals
                or any(lower.startswith(s) for s in self.starts_with)
                or any(s in lower for s in self.contains)
                or (self.regex is not None and self.regex.search(norm_line)))


@dataclass(frozen=True)
class Removed:
    article_id: str
    start: int
    end: int
    rule: str
    reason: str


def _norm_list(values) -> list[str]:
    return [normalize(str(v)).lower() for v in values or []]


def load_rules(data_dir: Path, problems: Problems) -> list[Rule]:
    path = data_dir / BOILERPLATE
    if not path.exists():
        return []
    doc = load_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
        problems.add(path, line_of(doc) or 1, "expected a top-level 'rules:' list", "see the comments at the top of the shipped file")
        return []
    rules = []
    for node in doc["rules"]:
        if not isinstance(node, dict):
            problems.add(path, line_of(node), "each rule must be a mapping", "start the rule with '- label: ...'")
            continue
        if not check_keys(node, RULE_KEYS, ("label",), path, problems, "boilerplate rule"):
            continue
        rx = None
        if node.get("regex"):
            try:
                rx = Regex(str(node["regex"]))
            except PatternError as e:
                problems.add(path, line_of(node, "regex"), str(e), "fix the regex (RE2 syntax)")
                continue
        rules.append(Rule(
            label=str(node["label"]), reason=str(node.get("reason", node["label"])),
            equals=frozenset(s.strip(STRIP) for s in _norm_list(node.get("equals"))),
            starts_with=tuple(_norm_list(node.get("starts_with"))),
            contains=tuple(_norm_list(node.get("contains"))),
            regex=rx, max_words=node.get("max_words"),
        ))
    return rules


def lines(text: str):
    """(start, end) of every line, without its newline."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def find_boilerplate(article: Article, rules: list[Rule]) -> list[Removed]:
    removed: list[Removed] = []
    seen: set[str] = set()
    for start, end in lines(article.text):
        raw = article.text[start:end]
        if not raw.strip():
            continue
        norm = normalize(raw).strip()
        lower = norm.lower()
        rule = next((r for r in rules if r.matches(norm, lower)), None)
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
