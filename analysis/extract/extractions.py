"""Structured facts read from frame sentences, as data/rules.yaml says: claims
(pattern matches with content, deadline and role) and details (cue lists looked
up per sentence), plus each outlet's sourcing profile.

Numbers may be written in digits (any script, normalized to ASCII) or words.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from analysis.coding.article import Segment
from analysis.inputs.corpus import Corpus
from analysis.inputs.cues import Cues
from analysis.inputs.extraction_rules import ExtractionRules
from analysis.match.patterns import AnyOf, MatchText, Term

SOURCING_KEYS = ("anonymous_sources", "exclusivity")  # read by the sourcing profile
CLAIM_COLUMNS = ["frame", "article_id", "outlet", "sentence_id", "kind", "content", "deadline", "role", "speaker",
                 "stance", "start", "end", "match", "sentence"]
DETAIL_COLUMNS = ["frame", "article_id", "outlet", "sentence_id", "linked", "speaker", "stance", "sentence"]


def _frame_rows(stances: pd.DataFrame, frame: str) -> pd.DataFrame:
    return stances[stances.frame == frame]


def role_of(text: MatchText, language: str, roles: dict[str, dict[str, AnyOf]]) -> str:
    """The role of the first role cue in the sentence (demand, offer ...), else report."""
    found = []
    for role, langs in roles.items():
        if language in langs:
            found += [(s, role) for s, _ in langs[language].find(text)]
    return min(found)[1] if found else "report"


def claims(corpus: Corpus, segments: list[Segment], stances: pd.DataFrame, rules: ExtractionRules) -> pd.DataFrame:
    """One row per match of a claim pattern in a sentence carrying the rule's frame."""
    by_id, articles = {s.sentence_id: s for s in segments}, {a.id: a for a in corpus.articles}
    rows = [row for frame, rule in rules.claims.items()
            for row in claim_rows(by_id, articles, frame, rule, _frame_rows(stances, frame))]
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def claim_rows(by_id: dict[str, Segment], articles: dict, frame: str, rule, stances: pd.DataFrame) -> list[dict]:
    """One claim rule's rows, from the stances of its frame's sentences (a batch caches them per frame)."""
    rows = []
    for r in stances.itertuples(index=False):
        seg = by_id[r.sentence_id]
        art = articles[r.article_id]
        role = role_of(seg.match_text, art.language, rule.roles)
        for kind in rule.kinds:
            for m in kind.pattern.finditer(seg.norm):
                start, end = seg.original(*m.span())
                rows.append({"frame": frame, "article_id": art.id, "outlet": art.outlet.name_en,
                             "sentence_id": r.sentence_id, "kind": kind.kind, "content": kind.describe(m),
                             "deadline": kind.deadline, "role": role, "speaker": r.speaker,
                             "stance": r.stance, "start": start, "end": end, "match": art.text[start:end],
                             "sentence": seg.text})
    return rows


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


def details(corpus: Corpus, segments: list[Segment], stances: pd.DataFrame, cues: Cues, rules: ExtractionRules) -> pd.DataFrame:
    """One row per sentence carrying a frame with detail rules: the cues found, "; "-joined."""
    by_id, articles = {s.sentence_id: s for s in segments}, {a.id: a for a in corpus.articles}
    rows = [row for frame, rule in rules.details.items()
            for row in detail_rows(by_id, articles, frame, rule, _frame_rows(stances, frame),
                                   _frame_rows(stances, rule.linked) if rule.linked else None, cues)]
    return details_frame(rows, rules)


def details_frame(rows: list[dict], rules: ExtractionRules) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=detail_columns(rules)).fillna({c: "" for c in detail_fields(rules)})


def detail_rows(by_id: dict[str, Segment], articles: dict, frame: str, rule, stances: pd.DataFrame,
                linked_stances: pd.DataFrame | None, cues: Cues) -> list[dict]:
    """One detail rule's rows, from the stances of its frame's sentences and of its linked frame's."""
    linked = set(linked_stances.sentence_id) if linked_stances is not None else set()
    rows = []
    for r in stances.itertuples(index=False):
        seg, art = by_id[r.sentence_id], articles[r.article_id]
        row = {"frame": frame, "article_id": art.id, "outlet": art.outlet.name_en, "sentence_id": r.sentence_id}
        for column, (how, name) in rule.fields.items():
            row[column] = ("; ".join(_names(cues.named.get(name, {}), seg.match_text, art.language)) if how == "all"
                           else _first_cue(cues, name, seg, art.language))
        rows.append(row | {"linked": rule.linked if r.sentence_id in linked else "", "speaker": r.speaker,
                           "stance": r.stance, "sentence": seg.text})
    return rows


def detail_fields(rules: ExtractionRules) -> list[str]:
    """The columns rules.yaml names for details, in the order the rules first name them."""
    return list(dict.fromkeys(c for d in rules.details.values() for c in d.fields))


def detail_columns(rules: ExtractionRules) -> list[str]:
    return DETAIL_COLUMNS[:4] + detail_fields(rules) + DETAIL_COLUMNS[4:]


@lru_cache(maxsize=1024)
def _own_name(name: str) -> Term:
    """An outlet's own name as a pattern (``sourcing_profile`` builds it once per outlet and batch)."""
    return Term(name)


def sourcing_profile(corpus: Corpus, segments: list[Segment], speakers: pd.DataFrame,
                     removed: pd.DataFrame, cues: Cues) -> pd.DataFrame:
    """Per outlet: sentences resting on anonymous sources, named officials, other media; exclusivity claims."""
    rows = []
    kinds = dict(zip(speakers.sentence_id, speakers.speaker_kind))
    by_article: dict[str, list[Segment]] = {}
    for seg in segments:
        by_article.setdefault(seg.article_id, []).append(seg)
    tagged = removed[removed.rule == "exclusive_tag"].article_id.value_counts().to_dict()  # counted once, not per article
    own: dict[str, Term] = {}  # per outlet, not per article: a new Term plans its anchors again
    for art in corpus.articles:
        segs = by_article.get(art.id, [])
        name_ar = art.outlet.name_ar
        own_name = (own.get(name_ar) or own.setdefault(name_ar, _own_name(name_ar))) if name_ar else None
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
        counts["exclusivity claims"] += int(tagged.get(art.id, 0))
        for measure, n in counts.items():
            rows.append({"outlet": art.outlet.name_en, "article_id": art.id, "measure": measure, "sentences": int(n)})
    df = pd.DataFrame(rows, columns=["outlet", "article_id", "measure", "sentences"])
    return df.groupby(["outlet", "measure"], sort=False, as_index=False)["sentences"].sum()
