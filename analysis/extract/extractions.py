"""Structured claims read from frame sentences: withdrawal timelines, rocket
attacks, and each outlet's sourcing profile.

Numbers may be written in digits (any script, normalized to ASCII) or words.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import regex

from analysis.inputs.codebook import term_list
from analysis.coding.article import Segment
from analysis.inputs.corpus import Corpus
from analysis.io.errors import Problems
from analysis.match.patterns import AnyOf, MatchText, Term
from analysis.io.yamlio import line_of, load_yaml

CUES = "cues.yaml"
CUE_KEYS = ("attack_targets", "attack_frequency", "attack_perpetrators", "anonymous_sources", "exclusivity")
SOLEIMANI_ANNIVERSARY = date(2021, 1, 3)
PARLIAMENT_VOTE = date(2020, 1, 5)

NUMBER_WORDS = {
    "واحد": 1, "واحده": 1, "اثنين": 2, "اثنان": 2, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5,
    "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثماني": 8, "ثمان": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9,
    "عشر": 10, "عشره": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1,
}
# unit word → (unit, count implied by the word itself: dual forms mean two)
UNITS = {
    "عام": ("year", 1), "اعوام": ("year", None), "سنه": ("year", 1), "سنوات": ("year", None), "سنين": ("year", None),
    "عامين": ("year", 2), "سنتين": ("year", 2), "شهر": ("month", 1), "اشهر": ("month", None), "شهور": ("month", None),
    "شهرين": ("month", 2), "اسبوع": ("week", 1), "اسابيع": ("week", None), "year": ("year", 1), "years": ("year", None),
    "month": ("month", 1), "months": ("month", None),
}
_NUM = r"(?P<{g}>\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<{g}>" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")"


def _duration(g: str) -> str:
    return rf"(?:{_NUM.format(g=g + 'n')}\s+)?{_UNIT.format(g=g + 'u')}(?:\s+(?P<{g}n2>واحد|واحده))?"


TIMELINE_RULES = [
    ("reduction", regex.compile(rf"(?<!\w)من\s+{_duration('a')}\s+(?:الي|حتي)\s+{_duration('b')}|(?i:from\s+{_duration('a')}\s+to\s+{_duration('b')})")),
    ("within", regex.compile(rf"(?<!\w)(?:في\s+غضون|خلال|في\s+مده|بحلول|(?i:within|in\s+the\s+next))\s+{_duration('a')}(?!\w)")),
    ("anniversary deadline", regex.compile(r"(?:قبل|تحل|حلول)\s+(?:\w+\s+){0,2}الذكري\s+(?:\w+\s+){0,2}(?:ل|ب)?(?:اغتيال|مقتل)\s+(?:\w+\s+){0,2}سليماني|(?i:before\s+the\s+anniversary\s+of\s+(?:the\s+)?(?:killing|assassination)\s+of\s+(?:\w+\s+)?soleimani)")),
    ("parliament vote", regex.compile(r"(?:قرار|تصويت|صوت|دعا)\s+(?:\w+\s+){0,4}البرلمان|البرلمان\s+(?:\w+\s+){0,8}(?:بطرد|طرد|اخراج|باخراج|مغادره|بمغادره|خروج)|(?i:parliament(?:ary)?\s+(?:\w+\s+){0,4}(?:vote|voted|resolution|decision))")),
    ("troop numbers", regex.compile(r"(?<!\w)(?:نحو|حوالي|قرابه|about|around|some)?\s*(?P<troops>\d[\d,]*)\s+(?:\w+\s+)?(?:جندي|عسكري|جنود|(?i:troops|soldiers|service\s+members))")),
    ("condition", regex.compile(r"(?:مرهون|مشروط)\s*ب\w*(?:\s+\w+){1,5}|دون\s+ان\s+(?:\w+\s+){0,1}تضمن(?:\s+\w+){1,4}|(?i:(?:conditional|contingent)\s+on(?:\s+\w+){1,5}|only\s+(?:if|once)(?:\s+\w+){1,5})")),
    ("quick exit", regex.compile(r"(?:خروج|انسحاب)\s+سريع|فتره\s+زمنيه\s+قصيره|سرعه\s+جدوله|باسرع\s+وقت|(?i:as\s+soon\s+as\s+possible|swift\s+withdrawal|quick\s+withdrawal)")),
    ("schedule", regex.compile(r"جدول\s+زمني|جدوله\s+\w+|(?i:timetable|time\s*line|schedule)")),
]

# Whether the sentence puts the timeline as a demand, an offer, or only reports it.
ROLE_CUES = {
    "demand": {"ar": ["طلب", "طالب", "يطالب", "تطالب", "مطالب", "مطالبه", "رغبه", "اصرار", "شرط", "شرطنا",
                       "دعا", "يدعو", "ضروره", "يصر", "تصر"],
                "en": ["demand*", "insist*", "call for", "calls for", "called for", "urge*", "want*"]},
    "offer": {"ar": ["وعد", "يعد", "عرض", "يعرض", "مستعد", "مستعده", "ستحترم", "تعهد", "يتعهد"],
               "en": ["offer*", "promis*", "pledg*", "agree*"]},
}
TIMELINE_COLUMNS = ["article_id", "outlet", "sentence_id", "kind", "content", "deadline", "role", "speaker", "stance",
                    "start", "end", "match", "sentence"]
ATTACK_COLUMNS = ["article_id", "outlet", "sentence_id", "targets", "frequency", "perpetrator",
                  "linked_to_withdrawal", "speaker", "stance", "sentence"]


def _count(m, g: str) -> tuple[int | None, str]:
    unit, implied = UNITS[m.group(g + "u")]
    n = m.group(g + "n")
    value = int(n) if n and n.isdigit() else NUMBER_WORDS.get(n or "", None)
    if m.groupdict().get(g + "n2"):
        value = 1
    return value if value is not None else implied, unit


def _fmt(n: int | None, unit: str) -> str:
    return f"{n} {unit}{'s' if n != 1 else ''}" if n is not None else f"some {unit}s"


def describe(kind: str, m) -> tuple[str, date | None]:
    """English content of one timeline claim, and its deadline where the text fixes one."""
    if kind == "reduction":
        return f"cut from {_fmt(*_count(m, 'a'))} to {_fmt(*_count(m, 'b'))}", None
    if kind == "within":
        return f"within {_fmt(*_count(m, 'a'))}", None
    if kind == "anniversary deadline":
        return "before the anniversary of Soleimani's killing", SOLEIMANI_ANNIVERSARY
    if kind == "parliament vote":
        return "the Iraqi parliament's vote to expel foreign troops (5 Jan 2020)", PARLIAMENT_VOTE
    if kind == "troop numbers":
        return f"about {m.group('troops').replace(',', '')} troops", None
    if kind == "condition":
        return "withdrawal tied to a condition", None
    if kind == "quick exit":
        return "a quick exit / short period", None
    return "a set schedule or timetable", None


@dataclass
class Cues:
    targets: dict[str, dict[str, AnyOf]]
    lists: dict[str, dict[str, AnyOf]]


def load_cues(data_dir: Path, problems: Problems) -> Cues:
    path = data_dir / CUES
    doc = load_yaml(path) or {}
    targets: dict[str, dict[str, AnyOf]] = {}
    lists: dict[str, dict[str, AnyOf]] = {}

    def terms(node, where) -> AnyOf:
        return term_list(node, where, path, problems, "write the cue in plain spelling")

    for key, node in doc.items():
        if key not in CUE_KEYS:
            problems.add(path, line_of(doc, key), f"unknown list '{key}'", f"allowed: {', '.join(CUE_KEYS)}")
        elif key == "attack_targets":
            targets = {name: {lang: terms(v, name) for lang, v in langs.items()} for name, langs in node.items()}
        else:
            lists[key] = {lang: terms(v, key) for lang, v in node.items()}
    return Cues(targets, lists)


def _frame_rows(stances: pd.DataFrame, frame: str) -> pd.DataFrame:
    return stances[stances.frame == frame]


_ROLE_PATTERNS: dict[tuple[str, str], AnyOf] = {}


def role_of(text: MatchText, language: str) -> str:
    """demand / offer (the first such cue in the sentence), else report."""
    found = []
    for role, langs in ROLE_CUES.items():
        key = (role, language)
        if key not in _ROLE_PATTERNS:
            _ROLE_PATTERNS[key] = AnyOf([Term(t) for t in langs[language]], name=role)
        found += [(s, role) for s, _ in _ROLE_PATTERNS[key].find(text)]
    return min(found)[1] if found else "report"


def timeline_claims(corpus: Corpus, segments: list[Segment], stances: pd.DataFrame) -> pd.DataFrame:
    by_id = {s.sentence_id: s for s in segments}
    rows = []
    for r in _frame_rows(stances, "withdrawal_timeline").itertuples(index=False):
        seg = by_id[r.sentence_id]
        art = corpus.article(r.article_id)
        role = role_of(seg.match_text, art.language)
        for kind, rx in TIMELINE_RULES:
            for m in rx.finditer(seg.norm):
                start, end = seg.original(*m.span())
                content, deadline = describe(kind, m)
                rows.append({"article_id": art.id, "outlet": art.outlet.name_en, "sentence_id": r.sentence_id,
                             "kind": kind, "content": content, "deadline": deadline, "role": role, "speaker": r.speaker,
                             "stance": r.stance, "start": start, "end": end, "match": art.text[start:end],
                             "sentence": seg.text})
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS)


def _names(found: dict[str, dict[str, AnyOf]], text: MatchText, lang: str) -> list[str]:
    return [name for name, langs in found.items() if lang in langs and langs[lang].find(text)]


def _first_cue(cues: Cues, key: str, seg: Segment, lang: str) -> str:
    """The original words of the first cue of a list in the sentence, or ''."""
    pattern = cues.lists.get(key, {}).get(lang)
    hits = pattern.find(seg.match_text) if pattern else []
    if not hits:
        return ""
    start, end = seg.original(*hits[0])
    return seg.text[start - seg.start:end - seg.start]


def attack_mentions(corpus: Corpus, segments: list[Segment], stances: pd.DataFrame, cues: Cues) -> pd.DataFrame:
    by_id = {s.sentence_id: s for s in segments}
    withdrawal = set(_frame_rows(stances, "withdrawal_timeline").sentence_id)
    rows = []
    for r in _frame_rows(stances, "rocket_attacks").itertuples(index=False):
        seg, art = by_id[r.sentence_id], corpus.article(r.article_id)
        text, lang = seg.match_text, art.language
        rows.append({"article_id": art.id, "outlet": art.outlet.name_en, "sentence_id": r.sentence_id,
                     "targets": "; ".join(_names(cues.targets, text, lang)),
                     "frequency": _first_cue(cues, "attack_frequency", seg, lang),
                     "perpetrator": _first_cue(cues, "attack_perpetrators", seg, lang),
                     "linked_to_withdrawal": r.sentence_id in withdrawal,
                     "speaker": r.speaker, "stance": r.stance, "sentence": seg.text})
    return pd.DataFrame(rows, columns=ATTACK_COLUMNS)


def sourcing_profile(corpus: Corpus, segments: list[Segment], speakers: pd.DataFrame,
                     removed: pd.DataFrame, cues: Cues) -> pd.DataFrame:
    """Per outlet: sentences resting on anonymous sources, named officials, other media; exclusivity claims."""
    rows = []
    kinds = speakers.set_index("sentence_id")["speaker_kind"]
    for art in corpus.articles:
        segs = [s for s in segments if s.article_id == art.id]
        own_name = Term(art.outlet.name_ar) if art.outlet.name_ar else None
        counts = {"anonymous sources": 0, "named officials": 0, "other media": 0, "exclusivity claims": 0}
        for seg in segs:
            text = seg.match_text
            kind = kinds.get(seg.sentence_id, "outlet")
            anon_cue = cues.lists.get("anonymous_sources", {}).get(art.language)
            counts["anonymous sources"] += kind == "anonymous" or bool(anon_cue and anon_cue.find(text))
            counts["named officials"] += kind in ("named", "office")
            counts["other media"] += kind == "media"
            told_us = own_name is not None and any(seg.norm[max(0, s - 3):s].strip(' "«“').endswith("ل")
                                                   or seg.norm[s:s + 1] == "ل" for s, _ in own_name.find(text))
            excl = cues.lists.get("exclusivity", {}).get(art.language)
            counts["exclusivity claims"] += told_us or bool(excl and excl.find(text))
        counts["exclusivity claims"] += int(((removed.article_id == art.id) & (removed.rule == "exclusive_tag")).sum())
        for measure, n in counts.items():
            rows.append({"outlet": art.outlet.name_en, "article_id": art.id, "measure": measure, "sentences": int(n)})
    df = pd.DataFrame(rows, columns=["outlet", "article_id", "measure", "sentences"])
    return df.groupby(["outlet", "measure"], sort=False, as_index=False)["sentences"].sum()
