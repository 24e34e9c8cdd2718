"""Who speaks: the actors gazetteer, quotation spans and speech attribution.

Attribution is read from the sentence, in this order (first that applies):
1. a source phrase: بحسب / وفقا لـ / نقلا عن / according to + actor;
2. a statement owner: تصريح(ات) لـ + actor ("a statement by the minister");
3. a reporting verb followed by its subject (Arabic verb–subject order):
   قال / أكد / أشار / أعلن / نفى / أوضح … + actor;
4. an actor followed by a reporting verb (subject–verb order, English "X said");
5. a reporting verb with no subject of its own, or an anaphor (المصدر, الأخير):
   the last speaker named earlier in the same article.
Sentences with none of these are in the outlet's own voice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import regex

from analysis.inputs.corpus import LANGUAGES
from analysis.inputs.codebook import term_list
from analysis.io.errors import Problems
from analysis.match.patterns import AnyOf, MatchText, Term
from analysis.io.yamlio import check_keys, line_of, load_yaml

ACTORS = "actors.yaml"
ACTOR_KEYS = ("id", "name_en", "role", "kind", "side", "patterns")
KINDS = ("named", "office", "anonymous", "media")
OUTLET = "outlet"
OUTLET_SIDE = "Outlet's own voice"

# Grammar tables (normalized spellings; Terms add clitics).
SOURCE_PHRASES = {
    "ar": ["بحسب", "حسب", "وفقا ل", "وفق ما", "وفقا لما", "نقلا عن", "طبقا ل"],
    "en": ["according to", "quoting", "cited by"],
}
# "تصريحا للكاظمي": a statement *by* someone (with ل); "في بيان البيت الأبيض" merely names one.
STATEMENT_OWNER = regex.compile(r"(?:تصريح\w*|حديث\w*|بيان\w*)\s+$")
REPORTING_VERBS = {
    "ar": ["قال", "يقول", "تقول", "قالت", "اكد", "يؤكد", "اكدت", "تؤكد", "اشار", "يشير", "اشارت", "اعلن",
           "يعلن", "اعلنت", "نفي", "نفت", "ينفي", "اوضح", "يوضح", "اوضحت", "اضاف", "يضيف", "اضافت", "ذكر",
           "يذكر", "ذكرت", "كشف", "يكشف", "كشفت", "لفت", "لفتت", "شدد", "يشدد", "اعتبر", "يعتبر", "يري",
           "صرح", "يصرح", "افاد", "افادت", "نقل", "نقلت", "ابلغ", "تحدث", "عبر عن", "طالب", "حذر", "توعد",
           "تعهد", "اكتفي بقول", "دعا", "يدعو", "دعت", "تدعو", "يطلب"],  # not طلب: also the noun "request"
    "en": ["said", "says", "told", "stated", "added", "noted", "denied", "announced", "confirmed", "warned",
           "claimed", "insisted", "reported", "quoted"],
}
# Participles share the subject of the main verb: "قال X …، مشيرا إلى أن …".
PARTICIPLES = {"ar": ["مؤكدا", "مشيرا", "مضيفا", "موضحا", "مشددا", "قائلا", "معتبرا", "لافتا", "محذرا"],
               "en": ["saying", "adding", "noting", "insisting", "warning"]}
ANAPHORA = {"ar": ["المصدر", "المصادر", "الاخير", "القيادي", "المصدر المطلع"], "en": ["the source", "the official"]}
VERB_SUBJECT_WINDOW = 6   # words between a reporting verb and its subject
SUBJECT_VERB_WINDOW = 3   # words between a subject and its verb
SOURCE_WINDOW = 4         # words between بحسب and the source
QUOTE_MIN_WORDS = 4       # «…» around a name or a short phrase is emphasis, not a quotation
PATRONYMIC = regex.compile(r"(?<!\w)(?:بن|ابن|bin|ibn)(?!\w)")  # «سلمان بن عبد العزيز» is a name
# Where the reported words begin: a colon, or the complementizer إن/أن (normalized ان).
CONTENT_START = regex.compile(r":|(?<!\w)[بلف]?ان(?!\w)|(?i:(?<!\w)that(?!\w))")
CLAUSE_GAP = regex.compile(r"[،,;؛.]")
QUOTES = regex.compile(r"«[^«»\n]+»|“[^“”\n]+”|\"[^\"\n]+\"")


@dataclass(frozen=True)
class Actor:
    id: str
    name_en: str
    role: str
    kind: str
    side: str
    patterns: dict[str, AnyOf] = field(repr=False, compare=False)


OUTLET_ACTOR = Actor(OUTLET, "the outlet itself", "", OUTLET, OUTLET_SIDE, {})


def load_actors(data_dir: Path, problems: Problems) -> dict[str, Actor]:
    path = data_dir / ACTORS
    doc = load_yaml(path)
    actors: dict[str, Actor] = {}
    if not isinstance(doc, dict) or not isinstance(doc.get("actors"), list):
        problems.add(path, line_of(doc) or 1, "expected a top-level 'actors:' list", "see the comments at the top of the shipped file")
        return actors
    for node in doc["actors"]:
        if not isinstance(node, dict) or not check_keys(node, ACTOR_KEYS, ("id", "name_en", "kind", "patterns"), path, problems, "actor"):
            continue
        aid = str(node["id"])
        if aid in actors or aid == OUTLET:
            problems.add(path, line_of(node, "id"), f"duplicate or reserved actor id '{aid}'", "give each actor its own id")
            continue
        if node["kind"] not in KINDS:
            problems.add(path, line_of(node, "kind"), f"actor '{aid}': kind '{node['kind']}' is not one of {', '.join(KINDS)}",
                         f"set kind to one of {', '.join(KINDS)}")
            continue
        pats: dict[str, AnyOf] = {}
        for lang, items in (node["patterns"] or {}).items():
            if lang not in LANGUAGES:
                problems.add(path, line_of(node["patterns"], lang), f"actor '{aid}': unknown language '{lang}'", "use ar or en")
                continue
            pats[lang] = term_list(items, aid, path, problems, "write the name in plain spelling")
        actors[aid] = Actor(aid, str(node["name_en"]), str(node.get("role", "")), str(node["kind"]),
                            str(node.get("side", "")), pats)
    return actors


@dataclass(frozen=True)
class ActorMention:
    start: int  # normalized offsets within the sentence
    end: int
    actor: Actor
    governed: bool = False  # behind a preposition (للكاظمي): an object, never the speaker


def find_actors(text: MatchText, actors: dict[str, Actor], language: str) -> list[ActorMention]:
    """Actor mentions, longest first where they overlap (an adviser to the PM is not the PM)."""
    found = []
    for a in actors.values():
        if language in a.patterns:
            governed = set(a.patterns[language].find_governed(text))
            found += [ActorMention(s, e, a, (s, e) in governed) for s, e in a.patterns[language].find(text)]
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[ActorMention] = []
    for m in found:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


_CUE_CACHE: dict[tuple[str, str], AnyOf] = {}


def cue(kind: str, language: str) -> AnyOf:
    key = (kind, language)
    if key not in _CUE_CACHE:
        table = {"source": SOURCE_PHRASES, "verb": REPORTING_VERBS, "anaphor": ANAPHORA,
                 "participle": PARTICIPLES}[kind]
        _CUE_CACHE[key] = AnyOf([Term(t) for t in table[language]], name=kind)
    return _CUE_CACHE[key]


@dataclass(frozen=True)
class Attribution:
    actor: Actor
    how: str  # source phrase, statement owner, verb-subject, subject-verb, carried over, own voice
    at: int = 0  # normalized position of the cue in the sentence


OWN_VOICE = Attribution(OUTLET_ACTOR, "own voice")


def attributions(text: MatchText, actors: dict[str, Actor], language: str,
                 previous: Actor | None, earlier: tuple[Actor, ...] = ()) -> list[Attribution]:
    """Every attribution cue in the sentence with the speaker it introduces, in text order.

    ``earlier`` are the article's speakers so far: a definite "the Iraqi source"
    (المصدر العراقي) is the unnamed source of that side introduced before, if any.
    """
    mentions = [_resolve_definite(m, text, earlier) for m in find_actors(text, actors, language)]
    found: list[Attribution] = []

    def words_between(a: int, b: int) -> int:
        return text.word_index(b) - text.word_index(a)

    anaphors = cue("anaphor", language).find(text)
    quote_starts = [q for q, _ in find_quotations(text.norm, 0)] + [m.start() for m in CONTENT_START.finditer(text.norm)]

    def refers_back(e: int) -> bool:
        """An anaphor (المصدر, الأخير) right after a cue that is not itself the start of a named actor."""
        return any(a_s >= e and words_between(e, a_s) <= 1 and not any(m.start == a_s for m in mentions)
                   for a_s, _ in anaphors)

    for s, e in cue("source", language).find(text):
        limit = next((q for q in quote_starts if q >= e), len(text.norm))
        after = [m for m in mentions if e <= m.start < limit and words_between(e, m.start) <= SOURCE_WINDOW]
        if refers_back(e):
            if previous is not None:
                found.append(Attribution(previous, "source phrase, carried over", s))
        elif after:
            found.append(Attribution(after[0].actor, "source phrase", s))
    for m in mentions:
        owner = text.norm[m.start:m.start + 1] == "ل" or text.norm[:m.start].endswith("ل")
        if owner and STATEMENT_OWNER.search(text.norm[:m.start].removesuffix("ل")):
            found.append(Attribution(m.actor, "statement owner", m.start))
    verbs = cue("verb", language).find(text)
    for s, e in verbs:
        if any(a.at <= s < a.at + 1 for a in found):
            continue
        if refers_back(e):
            if previous is not None:
                found.append(Attribution(previous, "carried over", s))
            continue
        limit = next((q for q in quote_starts if q >= e), len(text.norm))
        after = [m for m in mentions if e <= m.start < limit and not m.governed
                 and words_between(e, m.start) <= VERB_SUBJECT_WINDOW]
        before = [m for m in mentions if m.end <= s and words_between(m.end, s) <= SUBJECT_VERB_WINDOW
                  and not CLAUSE_GAP.search(text.norm, m.end, s)]
        earlier = [a for a in found if a.at < s]
        subject_first = language == "en" and before  # "the minister told the AP": the object follows the verb
        if after and not subject_first and not any(e < v[0] < after[0].start for v in verbs):
            found.append(Attribution(after[0].actor, "verb-subject", s))
        elif before:
            found.append(Attribution(before[-1].actor, "subject-verb", before[-1].start))
        elif earlier:  # a verb with no subject of its own continues the sentence's speaker
            found.append(Attribution(max(earlier, key=lambda a: a.at).actor, "same subject", s))
        elif previous is not None:
            found.append(Attribution(previous, "carried over", s))
    for s, _ in cue("participle", language).find(text):
        earlier = [a for a in found if a.at < s]
        speaker = max(earlier, key=lambda a: a.at).actor if earlier else previous
        if speaker is not None:
            found.append(Attribution(speaker, "same subject", s))
    if not found and previous is not None:
        found += [Attribution(previous, "carried over", s) for s, _ in cue("anaphor", language).find(text)][:1]
    return sorted(found, key=lambda a: a.at)


DEFINITE_SOURCE = regex.compile(r"^[وف]?(?:ال|ل?ل)?(?:مصدر|مصادر)|^(?i:the\s+sources?)")


def _resolve_definite(m: ActorMention, text: MatchText, earlier: tuple[Actor, ...]) -> ActorMention:
    if m.actor.kind != "anonymous" or not DEFINITE_SOURCE.search(text.norm[m.start:m.end]):
        return m
    if not text.norm[m.start:m.end].lstrip("وف").startswith(("ال", "لل", "the", "The")):
        return m
    same_side = [a for a in earlier if a.kind == "anonymous" and a.side == m.actor.side]
    return ActorMention(m.start, m.end, same_side[-1], m.governed) if same_side else m


def speaker_at(found: list[Attribution], quote_start: int | None = None) -> Attribution:
    """Who voices a mention.

    Inside a direct quotation: whoever the text attributes the quotation to
    (the nearest cue before it).  Elsewhere: the sentence's source, i.e. its
    first attribution, so that in "according to the source, the envoy told
    the minister …" the voice is the source that told the outlet.  Media that only
    relay someone's statement give way to that someone.
    """
    if not found:
        return OWN_VOICE
    if quote_start is not None:
        before = [a for a in found if a.at <= quote_start]
        return before[-1] if before else found[0]
    return next((a for a in found if a.actor.kind != "media"), found[0])


def carried_forward(found: list[Attribution]) -> Actor | None:
    """The speaker a following sentence inherits ("وأضاف …", "the source added …"): this sentence's voice."""
    return speaker_at(found).actor if found else None


def find_quotations(sentence: str, sentence_start: int) -> list[tuple[int, int]]:
    """Original-offset spans of direct quotations of at least QUOTE_MIN_WORDS words."""
    spans = []
    for m in QUOTES.finditer(sentence):
        words = m.group()[1:-1].split()
        if len(words) < QUOTE_MIN_WORDS or (len(words) <= 5 and PATRONYMIC.search(m.group())):
            continue
        spans.append((sentence_start + m.start(), sentence_start + m.end()))
    return spans
