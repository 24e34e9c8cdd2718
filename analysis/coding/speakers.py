"""Who speaks: the actors gazetteer, quotation spans and speech attribution.

Attribution is an ordered list of named rules (``RULES``), one function each;
a test may run any of them alone or leave one out (``attributions(…, rules=…)``):
- source phrase: بحسب / وفقا لـ / نقلا عن / according to + actor;
- statement owner: تصريح(ات) لـ + actor ("a statement by the minister");
- then, on each reporting verb (data/lexicon.yaml) in turn, the first verb rule that decides it:
  anaphoric subject (وأضاف المصدر: the speaker named before), noun reading and other subject (the verb
  reports nobody: «رفض الفصائل لأي تفاوض», «وتشير الزيارة إلى …»), verb-subject (Arabic order: قال / أكد /
  رأى … + actor; a speaker the gazetteer does not know, «قال مسؤول في المفوضية», "a ministry spokesman
  said", is "unlisted", with the words that name them, named when a title is followed by a proper name,
  anonymous otherwise; after a verb read as a passive, «يُتهم الوزير من قيادات …», the agent after من
  speaks), subject-verb (English "X said"), same subject (a verb with no subject of its own continues the
  sentence's speaker, else the article's last one);
- participle: مؤكدا / مشيرا … continue the speaker before them;
- colon: an actor (or unlisted speaker) right before an early colon: «قآني في بغداد: لا عودة …»;
- carried over: a sentence with no other cue whose source noun (المصدر) refers back.
Sentences with none of these are in the outlet's own voice.

Each mention takes the speaker of its own clause (``speaker_for``): the first
cue before it, unless a later cue opens a new clause with a new subject; a cue
after it only in its own clause or in a short closing tag ("…, he said").
"""
from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import regex

from analysis.inputs.actors import (
    OUTLET_ACTOR,
    UNLISTED,
    UNLISTED_SIDE,
    Actor,
    gazetteer_of,
    lexicon_of,
)
from analysis.inputs.corpus import LANGUAGES
from analysis.inputs.lexicon import Lexicon
from analysis.io.lazy import cached_property
from analysis.match.grammar import (
    COMPLEMENTIZER_PREFIX,
    CONJUNCTION,
    DEFINITE_NOUN,
    DEFINITE_SOURCE_PREFIX,
    DEFINITE_WORD,
    SOURCE_NOUN_PREFIX,
)
from analysis.match.patterns import AnyOf, MatchText, Term

# Closed grammar tables stay here; the open-ended word lists are in data/lexicon.yaml.
SOURCE_PHRASES = {
    "ar": ["بحسب", "حسب", "وفقا ل", "وفق ما", "وفقا لما", "نقلا عن", "طبقا ل"],
    "en": ["according to", "quoting", "cited by"],
}
# "تصريحا للكاظمي": a statement *by* someone (with ل); "في بيان البيت الأبيض" merely names one.
STATEMENT_OWNER = regex.compile(r"(?:تصريح\w*|حديث\w*|بيان\w*)\s+$")
STATEMENT_NOUNS = regex.compile(r"تصريح|حديث|بيان")  # STATEMENT_OWNER cannot match a text without one
ANAPHORA = {"ar": ["المصدر", "المصادر", "الاخير", "القيادي", "المصدر المطلع"], "en": ["the source", "the official"]}
# Anaphors are definite: «مصادر الطاقة» (energy sources) is not "the sources".
DEFINITE = regex.compile(rf"^{DEFINITE_NOUN}|^(?i:the)(?!\w)")
DEFINITE_AT = regex.compile(rf"{DEFINITE_WORD}|(?i:the)(?!\w)")
# Only a source noun speaks without a verb («المصدر: …»); «وقصد الأخير الموقع» is no speech.
SOURCE_NOUN = regex.compile(rf"^{SOURCE_NOUN_PREFIX}(?:مصدر|مصادر)|^(?i:the\s+source)")
VERB_SUBJECT_WINDOW = 6   # words between a reporting verb and its subject
SUBJECT_VERB_WINDOW = 3   # words between a subject and its verb
SOURCE_WINDOW = 4         # words between بحسب and the source
COLON_WINDOW = 3          # words between a speaker and the colon that opens their words
COLON_LEAD = 12           # the colon must come early: «قآني في بغداد: …»
UNLISTED_WORDS = 6        # longest run of words naming an unlisted speaker
TAG_WORDS = 3             # words after a closing "…, X said [on Tuesday]." (it covers the sentence)
TAG_REST = regex.compile(r"\s*(?:$|(?:on|in|at|during|late|earlier|yesterday|today|last|this|في|خلال|امس|اليوم|لـ?\w+)(?!\w))", regex.I)
QUOTE_MIN_WORDS = 4       # «…» around a name or a short phrase is emphasis, not a quotation
PATRONYMIC = regex.compile(r"(?<!\w)(?:بن|ابن|bin|ibn)(?!\w)")  # «سلمان بن عبد العزيز» is a name
# Where the reported words begin: a colon, or the complementizer إن/أن (normalized ان).
CONTENT_START = regex.compile(rf":|(?<!\w){COMPLEMENTIZER_PREFIX}ان(?!\w)|(?i:(?<!\w)that(?!\w))")
CLAUSE_GAP = regex.compile(r"[،,;؛.]")
BREAK = regex.compile(r"[،,;؛.:«»\"“”()]")  # ends the words naming a speaker
# A new clause with its own speaker: «…، فيما قال X», "…, while X said".
COORDINATOR = regex.compile(rf"\s*(?:{CONJUNCTION}(?:فيما|بينما|في حين|من جهته|من جهتها|من جانبه|من جانبها)|(?i:while|whereas|meanwhile))(?!\w)")
QUOTES = regex.compile(r"«[^«»\n]+»|“[^“”\n]+”|\"[^\"\n]+\"")
# Words that end the name of an unlisted speaker: «قال مسؤول في المفوضية | لوكالة … | إن …».
NP_STOP = {
    "ar": regex.compile(rf"{CONJUNCTION}(?:بما|بمن|عن|تصريح\w*|بيان\w*|في\s+(?:تصريح|حديث|بيان|مؤتمر|لقاء|مقابل|اتصال|كلم|تغريد)\w*|خلال|اليوم|امس|لدي|عبر|بعد|قبل|حين|عندما|لل\w*|لـ\w*|ل(?:وكال|صحيف|قنا|موقع|وسائل)\w*|[بلف]?ان\w*|الي|علي|ايضا|كذلك|مؤكدا|مشيرا|قائلا)(?!\w)"),
    "en": regex.compile(r"(?i:on|in\s+an?|during|after|before|told|that|who|which|also|today|yesterday|when|as|and|to|for\s+(?:his|her|their)|said|says)(?!\w)"),
}
ARABIC_FUNCTION = frozenset({"في", "من", "عن", "الي", "علي", "مع", "باسم", "لدي", "ان", "انه", "انها", "قد", "لم", "لا"})
EN_DETERMINERS = frozenset({"a", "an", "the", "one", "two", "three", "several", "some", "another"})
EN_FUNCTION = frozenset({"that", "and", "or", "but", "he", "she", "they", "it", "we", "who", "which", "said", "told",
                         "says", "to", "of", "in", "on", "at", "for", "with", "by", "from", "is", "was"})
# A verb read as passive: «ويُتهم الوزير من قيادات …» — the agent after من speaks.
PASSIVE_AGENT = regex.compile(r"\s+(?:من\s+قبل|من|(?i:by))\s+")
# What may stand between an Arabic verb and its subject: an adverbial or a prepositional phrase.
INTERVENING = regex.compile(rf"{CONJUNCTION}(?:في|خلال|من|عبر|امام|لدي|بعد|قبل|ايضا|كذلك|اليوم|امس|بدور\w*|[لب]\w+)(?!\w)")
TIME_WORDS = regex.compile(rf"{CONJUNCTION}ال(?:يوم|احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه|سبت)(?!\w)")
# A fronted clause that belongs to the speaker after it: «وتعليقاً على الطلب …، يقول X».
LEAD_IN = regex.compile(rf"\s*(?:{CONJUNCTION}(?:تعليقا|ردا|تعقيبا)\s+علي|(?i:commenting\s+on|responding\s+to|asked\s+about|in\s+response\s+to))(?!\w)")
# A reporting verb right after a negation is no attribution: «زيارة لم يُعلن عنها».
NEGATED = regex.compile(rf"(?:(?<!\w)(?:{CONJUNCTION}(?:لم|لن|لا)|(?i:not|never))|(?i:n't))\s+$")


@dataclass(frozen=True)
class ActorMention:
    start: int  # normalized offsets within the sentence
    end: int
    actor: Actor
    governed: bool = False  # behind a preposition (للكاظمي): an object, never the speaker


def find_actors(text: MatchText, actors: dict[str, Actor], language: str) -> list[ActorMention]:
    """Actor mentions, longest first where they overlap (an adviser to the PM is not the PM)."""
    found = []
    listed, owners, prefilter = gazetteer_of(actors).entries(language)
    candidates: dict[int, list[int]] = {}  # the actors whose names may occur here → their entries that may
    for r in prefilter.candidates_folded(text.folded):
        k, j = owners[r]
        candidates.setdefault(k, []).append(j)
    for k, items in candidates.items():
        a = listed[k]
        p = a.patterns[language]
        if isinstance(p, AnyOf):
            p.prime(text, tuple(items))
        governed = set(p.find_governed(text))
        found += [ActorMention(s, e, a, (s, e) in governed) for s, e in p.find(text)]
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[ActorMention] = []  # sorted by start; overlap checked against the neighbours
    for m in found:
        k = _bisect_start(kept, m.start)
        if (k < len(kept) and kept[k].start < m.end) or (k > 0 and kept[k - 1].end > m.start):
            continue
        kept.insert(k, m)
    return kept


def prepare(actors: dict[str, Actor]) -> None:
    """Compile the gazetteer's names, its automaton per language and the built-in cue lists now
    rather than on first use (before forking workers, so that they inherit them)."""
    for a in actors.values():
        for p in a.patterns.values():
            p.prepare()
    for language in LANGUAGES:
        gazetteer_of(actors).entries(language)
        for kind in CUE_KINDS:
            cue(kind, language).prepare()


def _bisect_start(kept: list[ActorMention], pos: int) -> int:
    lo, hi = 0, len(kept)
    while lo < hi:
        mid = (lo + hi) // 2
        if kept[mid].start < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


_CUE_CACHE: dict[tuple[str, str], AnyOf] = {}
CUE_KINDS = {"source": SOURCE_PHRASES, "anaphor": ANAPHORA}


def cue(kind: str, language: str) -> AnyOf:
    key = (kind, language)
    if key not in _CUE_CACHE:
        table = CUE_KINDS[kind]
        _CUE_CACHE[key] = AnyOf([Term(t) for t in table[language]], name=kind)
    return _CUE_CACHE[key]


@dataclass(frozen=True)
class Attribution:
    actor: Actor
    how: str  # source phrase, statement owner, verb-subject, subject-verb, colon, carried over, own voice
    at: int = 0  # normalized position of the cue in the sentence
    cue: str = ""  # the cue's words (normalized), for explain
    span: tuple[int, int] | None = None  # normalized span of the words naming an unlisted speaker
    cue_at: int = -1  # where the cue word is, when ``at`` is the subject's position (subject-verb)

    @property
    def cue_span(self) -> tuple[int, int]:
        start = self.cue_at if self.cue_at >= 0 else self.at
        return start, start + len(self.cue)


OWN_VOICE = Attribution(OUTLET_ACTOR, "own voice", -1)


def unlisted_actor(words: str, named: bool, media: bool = False) -> Actor:
    """A speaker the gazetteer does not know; a medium (a website, a newspaper) gives way to the speaker
    whose statement it relays, as listed media do."""
    return Actor(UNLISTED, words, "", "media" if media else "named" if named else "anonymous", UNLISTED_SIDE, {})


class _Sentence:
    """Word positions and cue lists of one sentence, for look-ups by bisection."""

    def __init__(self, text: MatchText, language: str, lexicon: Lexicon):
        self.text, self.norm, self.language, self.lexicon = text, text.norm, language, lexicon
        self.words = text.word_starts

    # Each list is found on first use: most sentences have no cue that needs it.
    @cached_property
    def word_ends(self) -> list[int]:
        return [m.end() for m in regex.finditer(r"\w+", self.norm)]

    @cached_property
    def gaps(self) -> list[int]:
        return [m.start() for m in CLAUSE_GAP.finditer(self.norm)]

    @cached_property
    def content(self) -> list[int]:
        quotes = [q for q, _ in find_quotations(self.norm, 0)]
        return sorted(quotes + [m.start() for m in CONTENT_START.finditer(self.norm)])

    @cached_property
    def titles(self) -> list[tuple[int, int]]:
        return self.lexicon.find("titles", self.language, self.text)

    @cached_property
    def title_starts(self) -> list[int]:
        return [s for s, _ in self.titles]

    @cached_property
    def heads(self) -> list[tuple[int, int]]:
        return sorted(self.lexicon.find("unlisted_heads", self.language, self.text) + self.titles)

    @cached_property
    def head_starts(self) -> list[int]:
        return [s for s, _ in self.heads]

    def between(self, a: int, b: int) -> int:
        return self.text.word_index(b) - self.text.word_index(a)

    def gap_between(self, a: int, b: int) -> bool:
        k = bisect.bisect_left(self.gaps, a)
        return k < len(self.gaps) and self.gaps[k] < b

    def next_content(self, pos: int) -> int:
        k = bisect.bisect_left(self.content, pos)
        return self.content[k] if k < len(self.content) else len(self.norm)

    def next_word(self, pos: int) -> int | None:
        k = bisect.bisect_left(self.words, pos)
        return self.words[k] if k < len(self.words) else None

    def word_at(self, start: int) -> str:
        """The word that starts at ``start`` (a word start)."""
        return self.norm[start:self.word_ends[bisect.bisect_left(self.words, start)]]

    def title_at(self, pos: int) -> bool:
        k = bisect.bisect_left(self.title_starts, pos)
        return k < len(self.titles) and self.titles[k][0] == pos

    def head_at(self, pos: int) -> tuple[int, int] | None:
        k = bisect.bisect_left(self.head_starts, pos)
        return self.heads[k] if k < len(self.heads) and self.heads[k][0] == pos else None

    # -- unlisted speakers ------------------------------------------------------------
    def noun_phrase_after(self, pos: int, limit: int) -> tuple[int, int] | None:
        """The words naming a speaker that start at the first word after ``pos``: a head
        (مسؤول, مصدر, النائب …) and what qualifies it, up to a stop word, a clause break or
        the reported words."""
        first = self.next_word(pos)
        if first is None or first >= limit or self.gap_between(pos, first):
            return None
        head = self.head_at(first)
        if head is None:
            return None
        kept = [(first, head[1])]
        k = bisect.bisect_left(self.words, head[1])
        n = self.between(first, head[1])
        stop = NP_STOP[self.language]
        while k < len(self.words) and n < UNLISTED_WORDS:
            w = self.words[k]
            if w >= limit or BREAK.search(self.norm, kept[-1][1], w) or stop.match(self.norm, w):
                break
            kept.append((w, self.word_ends[k]))
            k, n = k + 1, n + 1
        # a trailing preposition belongs to what follows
        while len(kept) > 1 and self.norm[kept[-1][0]:kept[-1][1]].lower() in ARABIC_FUNCTION | EN_FUNCTION:
            kept.pop()
        end = kept[-1][1]
        return (first, end) if end > first else None

    def noun_phrase_before(self, verb: int) -> tuple[int, int] | None:
        """English subject–verb order: "a ministry spokesman said", "an official at the commission said"."""
        k = bisect.bisect_left(self.head_starts, verb) - 1  # (English heads are single words: none holds the verb)
        if k < 0:
            return None
        hs, he = self.heads[k]
        if self.between(he, verb) > 5 or self.gap_between(he, verb):
            return None
        between = self.norm[he:verb].split()
        if any(w.lower() in {"who", "which", "that", "and", "said", "says"} for w in between):
            return None
        start, j = hs, bisect.bisect_left(self.words, hs) - 1
        for _ in range(4):
            if j < 0 or self.gap_between(self.words[j], start):
                break
            w = self.word_at(self.words[j])
            if w.lower() in EN_DETERMINERS:
                start = self.words[j]
                break
            if w.lower() in EN_FUNCTION:
                break
            start, j = self.words[j], j - 1
        end = verb
        while end > start and self.norm[end - 1].isspace():
            end -= 1
        return start, end

    def named(self, span: tuple[int, int]) -> bool:
        """A title followed by a proper name: «النائب فلان», "Foreign Minister Fuad Hussein"."""
        s, e = span
        k = bisect.bisect_left(self.title_starts, s)
        while k < len(self.titles) and self.titles[k][1] <= e:
            j = bisect.bisect_left(self.words, self.titles[k][1])
            for _ in range(3):
                if j >= len(self.words) or self.words[j] >= e:
                    break
                w = self.word_at(self.words[j])
                if self.language == "en":
                    if w[:1].isupper():
                        return True
                    j += 1
                    continue
                if w in ARABIC_FUNCTION or w.startswith(("لل", "بال")):
                    break
                if not w.startswith(("ال", "وال")):
                    return True
                j += 1
            k += 1
        return False

    def unlisted(self, span: tuple[int, int], how: str, at: int, cue: str, cue_at: int = -1) -> Attribution:
        words = " ".join(self.norm[span[0]:span[1]].split())
        k = bisect.bisect_left(self.head_starts, span[0])  # its first head says what it is: «المتحدث بالوكالة» is a person
        media = (k < len(self.heads) and self.heads[k][0] < span[1]
                 and self.lexicon.match_at("media_heads", self.language, self.norm, self.heads[k][0]) is not None)
        return Attribution(unlisted_actor(words, self.named(span), media), how, at, cue, span, cue_at)


def _verb_cues(sent: _Sentence) -> list[tuple[int, int]]:
    """Reporting verbs, less those right after a negation («لم يُعلن عنها»)."""
    out = []
    for s, e in sent.lexicon.find("reporting_verbs", sent.language, sent.text):
        if NEGATED.search(sent.norm, max(0, s - 12), s):
            continue
        out.append((s, e))
    return out


# -- the attribution rules ---------------------------------------------------------------------
class Reading:
    """One sentence being attributed: its actor mentions, anaphors and reporting verbs, the
    speaker carried over from the sentence before, and the attributions the rules found so far."""

    def __init__(self, text: MatchText, actors: dict[str, Actor], language: str, previous: Actor | None,
                 earlier: tuple[Actor, ...], lexicon: Lexicon):
        self.sent = _Sentence(text, language, lexicon)
        self.text, self.norm, self.language, self.previous = text, text.norm, language, previous
        self._actors, self._earlier = actors, earlier
        self.found: list[Attribution] = []

    # The actors named in the sentence, found on first use: a sentence with no cue a rule acts on
    # (half of them) never asks, and the gazetteer's search was a third of attributing one.
    @cached_property
    def mentions(self) -> list[ActorMention]:
        return [_resolve_definite(m, self.text, self._earlier) for m in find_actors(self.text, self._actors, self.language)]

    @cached_property
    def starts(self) -> list[int]:
        return [m.start for m in self.mentions]

    @cached_property
    def mention_at(self) -> set[int]:
        return set(self.starts)

    @cached_property
    def anaphors(self) -> list[tuple[int, int]]:
        """The definite anaphors (المصدر, الأخير, "the source"), found on first use."""
        return [(s, e) for s, e in cue("anaphor", self.language).find(self.text) if DEFINITE.search(self.norm[s:e])]

    @cached_property
    def anaphor_starts(self) -> list[int]:
        return [s for s, _ in self.anaphors]

    def mentions_from(self, lo: int, hi: int) -> list[ActorMention]:
        return self.mentions[bisect.bisect_left(self.starts, lo):bisect.bisect_left(self.starts, hi)]

    def anaphor_at(self, pos: int) -> bool:
        k = bisect.bisect_left(self.anaphor_starts, pos)
        return k < len(self.anaphors) and self.anaphors[k][0] == pos

    def refers_back(self, e: int) -> bool:
        """An anaphor (المصدر, الأخير) right after a cue that is not itself the start of a named actor."""
        k = bisect.bisect_left(self.anaphor_starts, e)
        return (k < len(self.anaphors) and self.sent.between(e, self.anaphors[k][0]) <= 1
                and self.anaphors[k][0] not in self.mention_at)

    def verbs(self) -> list[Verb]:
        cues = _verb_cues(self.sent)
        nexts = [s for s, _ in cues[1:]] + [len(self.norm)]
        return [Verb(self, s, e, n) for (s, e), n in zip(cues, nexts)]

    def each_verb(self, rules: list[Rule]) -> None:
        """The verb rules, in order, on each reporting verb not taken by a cue found before: the
        first rule that decides a verb adds its attribution (or, deciding it is no report, none)."""
        taken = {a.at for a in self.found}
        for v in self.verbs():
            if v.s in taken:
                continue
            for rule in rules:
                got = rule.find(self, v)
                if got is not None:
                    if got is not NO_REPORT:
                        self.found.append(got)
                    break


class Verb:
    """A reporting verb and the words around it that may name its subject (each worked out once)."""

    def __init__(self, r: Reading, s: int, e: int, next_verb: int):
        self.r, self.s, self.e, self.next_verb = r, s, e, next_verb  # next_verb: where the next one starts
        self.word = r.norm[s:e]

    @cached_property
    def limit(self) -> int:
        """Where the reported words begin."""
        return self.r.sent.next_content(self.e)

    @cached_property
    def first_word(self) -> int | None:
        return self.r.sent.next_word(self.e)

    @cached_property
    def np(self) -> tuple[int, int] | None:
        """The words naming an unlisted speaker right after the verb."""
        return self.r.sent.noun_phrase_after(self.e, self.limit)

    @cached_property
    def after(self) -> ActorMention | None:
        """The first actor after the verb (not an object behind a preposition), within the window."""
        r = self.r
        window = [m for m in r.mentions_from(self.e, self.limit) if not m.governed][:1]
        after = [m for m in window if r.sent.between(self.e, m.start) <= VERB_SUBJECT_WINDOW]
        if self.np is not None and not after and r.sent.title_at(self.np[0]):
            # a title and then a known name, past the window: «أشار الباحث … «فراس إلياس»»
            after = [m for m in r.mentions_from(self.np[1], self.np[1] + 3) if not m.governed][:1]
        return after[0] if after else None

    @cached_property
    def before(self) -> ActorMention | None:
        """The nearest actor ending at most SUBJECT_VERB_WINDOW words before the verb, in its clause."""
        r, s = self.r, self.s
        k = bisect.bisect_left(r.starts, s) - 1
        while k >= 0:
            m = r.mentions[k]
            if m.end <= s:
                return m if r.sent.between(m.end, s) <= SUBJECT_VERB_WINDOW and not r.sent.gap_between(m.end, s) else None
            k -= 1
        return None

    @cached_property
    def np_before(self) -> tuple[int, int] | None:
        """English: the words naming an unlisted speaker before the verb ("a ministry spokesman said")."""
        return self.r.sent.noun_phrase_before(self.s) if self.r.language == "en" and self.before is None else None

    @property
    def subject_first(self) -> bool:
        """English subject–verb order: "the minister told the AP" — the object follows."""
        return self.r.language == "en" and (self.before is not None or self.np_before is not None)

    def subject_after(self) -> bool:
        return self.after is not None and self.after.start == self.first_word


NO_REPORT = Attribution(OUTLET_ACTOR, "no report")  # a verb rule's answer: this verb reports nobody's words
# A name set off by commas: "…'s deputy leader, Karim Haddad, said"; «قال نائب رئيس الحزب، الشيخ فلان، إن».
APPOSED_NAME = {
    "en": regex.compile(r",\s*((?:[A-Z][\w'.-]*\s+){0,3}[A-Z][\w'.-]*)\s*,\s*$"),
    "en_name_first": regex.compile(r"(?<![\w'.-])((?:[A-Z][\w'.-]*\s+){0,3}[A-Z][\w'.-]*)\s*,\s*(?:the\s+|a\s+|an\s+)?[^,]{2,60}?,\s*$"),
    "ar": regex.compile(r"\s*[،,]\s*((?:\w+\s+){0,4}\w+)\s*[،,]\s*"),
}
SUBJECT_FIRST_WORDS = 9   # longest Arabic subject before its verb: «نائب الأمين العام للحزب الشيخ فلان الفلاني قال»


@dataclass(frozen=True)
class Rule:
    """A named attribution rule.  A sentence rule maps a ``Reading`` to the attributions it finds;
    a verb rule (``per_verb``) maps a ``Reading`` and one ``Verb`` to an attribution, ``NO_REPORT``,
    or None when it does not decide that verb.  Consecutive verb rules run on each verb in turn."""
    name: str
    find: Callable
    per_verb: bool = False


def source_phrase(r: Reading) -> list[Attribution]:
    """بحسب / وفقا لـ / نقلا عن / according to + the source."""
    out, norm = [], r.norm
    for s, e in cue("source", r.language).find(r.text):
        limit = r.sent.next_content(e)
        after = [m for m in r.mentions_from(e, limit) if r.sent.between(e, m.start) <= SOURCE_WINDOW][:1]
        if r.refers_back(e):
            if r.previous is not None:
                out.append(Attribution(r.previous, "source phrase, carried over", s, norm[s:e]))
        elif after:
            out.append(Attribution(after[0].actor, "source phrase", s, norm[s:e], (after[0].start, after[0].end)))
        elif (np := r.sent.noun_phrase_after(e, limit)) is not None:
            out.append(r.sent.unlisted(np, "source phrase, unlisted", s, norm[s:e]))
    return out


def statement_owner(r: Reading) -> list[Attribution]:
    """تصريح(ات) لـ + actor: a statement *by* the minister."""
    out, norm = [], r.norm
    if not STATEMENT_NOUNS.search(norm):  # the owner's noun must be somewhere before the mention
        return out
    for m in r.mentions:
        lam = norm[m.start - 1:m.start] == "ل"
        if not (lam or norm[m.start:m.start + 1] == "ل"):
            continue
        cut = m.start - lam
        owner = STATEMENT_OWNER.search(norm[max(0, cut - 40):cut])
        if owner:
            out.append(Attribution(m.actor, "statement owner", m.start, owner.group().strip(),
                                   cue_at=max(0, cut - 40) + owner.start()))
    return out


def anaphoric_subject(r: Reading, v: Verb) -> Attribution | None:
    """«وأضاف المصدر …», "the source added …": the speaker named before (in the sentence, else the article)."""
    if not (r.refers_back(v.e) or (v.np_before is not None and r.anaphor_at(v.np_before[0]))):
        return None
    antecedent = _antecedent(r.found, v.s) or r.previous
    return Attribution(antecedent, "carried over", v.s, v.word) if antecedent is not None else NO_REPORT


def noun_reading(r: Reading, v: Verb) -> Attribution | None:
    """«رفض الفصائل لأي تفاوض» is a noun: the verb reading needs its subject at once."""
    if r.sent.lexicon.match_at("noun_like_verbs", r.language, r.norm, v.s) and not (
            v.subject_after() or v.np is not None or v.limit == v.first_word):
        return NO_REPORT
    return None


def other_subject(r: Reading, v: Verb) -> Attribution | None:
    """«وتشير الزيارة إلى …»: the verb has a definite subject of its own that is not a speaker."""
    w = v.first_word
    if (r.language == "ar" and w is not None and w < v.limit and not v.subject_after() and v.np is None
            and DEFINITE_AT.match(r.norm, w) and not TIME_WORDS.match(r.norm, w) and not r.anaphor_at(w)
            and not r.sent.lexicon.match_at("object_first_verbs", r.language, r.norm, v.s)):
        return NO_REPORT
    return None


def appositive(r: Reading, v: Verb) -> Attribution | None:
    """An office, then the speaker's name set off by commas, or (Arabic) an office and a name before the verb:
    "Tarsa's deputy leader, Karim Haddad, said"; «قال نائب رئيس الحزب، الشيخ فلان، إن»; «نائب الأمين
    العام للحزب الشيخ فلان قال».  The name is a listed actor if the gazetteer knows it, else the speaker is
    unlisted and named by all these words."""
    if r.language == "en":
        if v.before is not None:
            return None
        m = APPOSED_NAME["en"].search(r.norm, max(0, v.s - 120), v.s)
        office = r.sent.noun_phrase_before(m.start()) if m else None
        if office:
            return _apposed(r, v, office, m.span(1))
        m = APPOSED_NAME["en_name_first"].search(r.norm, max(0, v.s - 120), v.s)  # "Sarem, the prime minister, said"
        if m and any(m.end(1) < hs < v.s for hs in r.sent.head_starts):
            end = len(r.norm[:v.s].rstrip(", "))
            return _apposed(r, v, (m.start(1), m.start(1)), (m.start(1), end))
        return None
    if v.np is not None and not v.subject_after():
        m = APPOSED_NAME["ar"].match(r.norm, v.np[1])
        if m and m.end() == v.limit:  # the reported words follow the second comma
            return _apposed(r, v, v.np, m.span(1))
    if v.before is None:
        return _office_first(r, v)
    return None


RELAYED_FROM = {"ar": regex.compile(r"\s*(?:عن|نقلا\s+عن)\s+"), "en": regex.compile(r"\s*")}
RELAY_VERBS_EN = regex.compile(r"(?i:quoted|quotes|quoting|cited|cites|citing)")


def relayed(r: Reading, v: Verb) -> Attribution | None:
    """A medium that carries someone's words gives the floor to them: «نقلت صحيفة محلية عن فلان قوله»,
    "a local newspaper quoted Sarem as saying"."""
    if r.language == "ar":
        np = v.np
        m = RELAYED_FROM["ar"].match(r.norm, np[1]) if np is not None else None
    else:
        np = v.np_before
        m = RELAYED_FROM["en"].match(r.norm, v.e) if np is not None and RELAY_VERBS_EN.fullmatch(v.word) else None
    if m is None or not r.sent.unlisted(np, "", v.s, v.word).actor.kind == "media":
        return None
    who = [x for x in r.mentions_from(m.end(), m.end() + 1)]
    if who:
        return Attribution(who[0].actor, "relayed by a medium", v.s, v.word, (who[0].start, who[0].end))
    inner = r.sent.noun_phrase_after(m.end() - 1, v.limit)
    return r.sent.unlisted(inner, "relayed by a medium, unlisted", v.s, v.word) if inner else None


BY_AGENT = regex.compile(r"\s+(?i:by)\s+")


def by_agent(r: Reading, v: Verb) -> Attribution | None:
    """English passive: "the deal, described by critics as …", "praised by a local newspaper": the agent speaks."""
    if r.language != "en" or v.before is not None or v.np_before is not None:
        return None
    m = BY_AGENT.match(r.norm, v.e)
    if m is None:
        return None
    who = r.mentions_from(m.end(), m.end() + 1)
    if who:
        return Attribution(who[0].actor, "passive agent", v.s, v.word, (who[0].start, who[0].end))
    np = _agent_phrase(r, m.end())
    return r.sent.unlisted(np, "passive agent, unlisted", v.s, v.word) if np else None


def _agent_phrase(r: Reading, start: int) -> tuple[int, int] | None:
    """The words after "by" that name an unlisted speaker: a head within three words ("a local newspaper")."""
    k = bisect.bisect_left(r.sent.head_starts, start)
    if k >= len(r.sent.heads) or r.sent.between(start, r.sent.heads[k][0]) > 2 or r.sent.gap_between(start, r.sent.heads[k][0]):
        return None
    return start, r.sent.heads[k][1]


def _apposed(r: Reading, v: Verb, office: tuple[int, int], name: tuple[int, int]) -> Attribution:
    listed = [m for m in r.mentions_from(*name) if m.end <= name[1]]
    if listed:
        return Attribution(listed[0].actor, "appositive", v.s, v.word, (listed[0].start, listed[0].end))
    words = " ".join(r.norm[office[0]:name[1]].split())
    return Attribution(unlisted_actor(words, True), "appositive, unlisted", office[0], v.word, (office[0], name[1]), v.s)


def _office_first(r: Reading, v: Verb) -> Attribution | None:
    """Arabic subject first: the clause before the verb is an office (a head or title) and, maybe, a name."""
    sent = r.sent
    k = bisect.bisect_left(sent.gaps, v.s) - 1
    lo = sent.gaps[k] + 1 if k >= 0 else 0
    first = sent.next_word(lo)
    if first is None or first >= v.s or not 1 <= sent.between(first, v.s) <= SUBJECT_FIRST_WORDS:
        return None
    start = first + 1 if r.norm[first] == "و" and sent.head_at(first + 1) else first
    if sent.head_at(start) is None or r.mentions_from(start, v.s):
        return None
    end = v.s
    while end > start and r.norm[end - 1].isspace():
        end -= 1
    return sent.unlisted((start, end), "subject-verb, unlisted", start, v.word, cue_at=v.s)


def verb_subject(r: Reading, v: Verb) -> Attribution | None:
    """قال / أكد / رأى … + the speaker (Arabic verb–subject order), listed or not."""
    if v.subject_first:
        return None
    a, np = v.after, v.np
    if a is not None and a.start == v.first_word:
        att = Attribution(a.actor, "verb-subject", v.s, v.word, (a.start, a.end))
    elif np is not None and not (a is not None and r.sent.title_at(np[0])):
        # a title followed by a known name is that actor: «الباحث … «فراس إلياس»», «النائب ظافر العاني»
        att = r.sent.unlisted(np, "verb-subject, unlisted", v.s, v.word)
    elif a is not None and not v.next_verb < a.start and (
            r.language != "ar" or INTERVENING.match(r.norm, v.first_word) or (np is not None and r.sent.title_at(np[0]))):
        # «وقال في مؤتمر صحفي الوزير»; not «عاصمة ترفض تسهيل زيارة … الوزير» (an object first)
        att = Attribution(a.actor, "verb-subject", v.s, v.word, (a.start, a.end))
    else:
        return None
    return _passive_agent(att, r.sent, r.mentions_from, v.limit) or att


def subject_verb(r: Reading, v: Verb) -> Attribution | None:
    """The speaker, then the verb: "the minister said", «الصدر أكد»."""
    if v.before is not None:
        b = v.before
        att = Attribution(b.actor, "subject-verb", b.start, v.word, (b.start, b.end), v.s)
    elif v.np_before is not None:
        att = r.sent.unlisted(v.np_before, "subject-verb, unlisted", v.np_before[0], v.word, cue_at=v.s)
    else:
        return None
    return _passive_agent(att, r.sent, r.mentions_from, v.limit) or att


def same_subject(r: Reading, v: Verb) -> Attribution | None:
    """A verb with no subject of its own continues the sentence's speaker, else the article's."""
    last = [a for a in r.found if a.at < v.s]
    if last:
        return Attribution(max(last, key=lambda a: a.at).actor, "same subject", v.s, v.word)
    return Attribution(r.previous, "carried over", v.s, v.word) if r.previous is not None else None


def participle(r: Reading) -> list[Attribution]:
    """مؤكدا / مشيرا …: the speaker before it goes on."""
    out: list[Attribution] = []
    for s, e in r.sent.lexicon.find("participles", r.language, r.text):
        last = [a for a in r.found + out if a.at < s]
        speaker = max(last, key=lambda a: a.at).actor if last else r.previous
        if speaker is not None:
            out.append(Attribution(speaker, "same subject", s, r.norm[s:e]))
    return out


def colon(r: Reading) -> list[Attribution]:
    """A speaker right before an early colon: «قآني في بغداد: لا عودة …»."""
    found = _colon_speaker(r)
    return [found] if found is not None else []


def carried_over(r: Reading) -> list[Attribution]:
    """A sentence with no other cue whose source noun (المصدر) refers back: the article's last speaker."""
    if r.found or r.previous is None:
        return []
    return [Attribution(r.previous, "carried over", s, r.norm[s:e]) for s, e in r.anaphors
            if SOURCE_NOUN.search(r.norm[s:e])][:1]


RULES = (
    Rule("source phrase", source_phrase),
    Rule("statement owner", statement_owner),
    Rule("anaphoric subject", anaphoric_subject, per_verb=True),
    Rule("noun reading", noun_reading, per_verb=True),
    Rule("other subject", other_subject, per_verb=True),
    Rule("relayed by a medium", relayed, per_verb=True),
    Rule("passive agent", by_agent, per_verb=True),
    Rule("appositive", appositive, per_verb=True),
    Rule("verb-subject", verb_subject, per_verb=True),
    Rule("subject-verb", subject_verb, per_verb=True),
    Rule("same subject", same_subject, per_verb=True),
    Rule("participle", participle),
    Rule("colon", colon),
    Rule("carried over", carried_over),
)


def attributions(text: MatchText, actors: dict[str, Actor], language: str,
                 previous: Actor | None, earlier: tuple[Actor, ...] = (), lexicon: Lexicon | None = None,
                 rules: tuple[Rule, ...] = RULES) -> list[Attribution]:
    """Every attribution cue in the sentence with the speaker it introduces, in text order.

    ``earlier`` are the article's speakers so far: a definite "the Iraqi source"
    (المصدر العراقي) is the unnamed source of that side introduced before, if any.
    ``rules``: the rules to apply, in order (a test may leave one out).
    """
    r = Reading(text, actors, language, previous, earlier, lexicon or lexicon_of(actors))
    for per_verb, group in itertools.groupby(rules, key=lambda rule: rule.per_verb):
        if per_verb:
            r.each_verb(list(group))
        else:
            for rule in group:
                r.found += rule.find(r)
    return sorted(r.found, key=lambda a: a.at)


def _antecedent(found: list[Attribution], pos: int) -> Actor | None:
    """«أعلنت مصادر عراقية …، ولفتت المصادر …»: "the sources" are the ones named earlier in the sentence."""
    last = [a for a in found if a.at < pos and a.actor.kind != "media"]
    return last[-1].actor if last else None


def _passive_agent(att: Attribution, sent: _Sentence, mentions_from, limit: int) -> Attribution | None:
    """«ويُتهم الوزير من قيادات في الفصائل»: after a verb read as passive, the agent speaks."""
    if not sent.lexicon.match_at("passive_verbs", sent.language, sent.norm, att.at):
        return None
    subject_end = att.span[1] if att.span else next((m.end for m in mentions_from(att.at, limit)), None)
    if subject_end is None:
        return None
    m = PASSIVE_AGENT.match(sent.norm, subject_end)
    if m is None:
        return None
    agent = [x for x in mentions_from(m.end(), m.end() + 1)]
    if agent:
        return Attribution(agent[0].actor, "passive agent", att.at, att.cue, (agent[0].start, agent[0].end), att.cue_at)
    np = sent.noun_phrase_after(m.end() - 1, limit)
    return sent.unlisted(np, "passive agent, unlisted", att.at, att.cue, att.cue_at) if np else None


def _colon_speaker(r: Reading) -> Attribution | None:
    """A speaker right before an early colon: «قآني في بغداد: لا عودة …», «مسؤول في المفوضية: …»."""
    sent, found = r.sent, r.found
    colon = sent.norm.find(":", 0, 400)
    if colon < 0 or sent.text.word_index(colon) > COLON_LEAD or CLAUSE_GAP.search(sent.norm, 0, colon):
        return None
    if any(a.at < colon for a in found):  # «قال الوزير: …» is the verb's
        return None
    lead = [m for m in r.mentions if m.end <= colon and not m.governed and sent.between(m.end, colon) <= COLON_WINDOW]
    if lead:
        return Attribution(lead[-1].actor, "speaker before a colon", lead[-1].start, ":", cue_at=colon)
    np = sent.noun_phrase_after(0, colon) if sent.words and sent.head_at(sent.words[0]) else None
    return sent.unlisted(np, "speaker before a colon, unlisted", np[0], ":", colon) if np else None


DEFINITE_SOURCE = regex.compile(rf"^{DEFINITE_SOURCE_PREFIX}(?:مصدر|مصادر)|^(?i:the\s+sources?)")


def _resolve_definite(m: ActorMention, text: MatchText, earlier: tuple[Actor, ...]) -> ActorMention:
    if m.actor.kind != "anonymous" or not DEFINITE_SOURCE.search(text.norm[m.start:m.end]):
        return m
    same_side = [a for a in earlier if a.kind == "anonymous" and a.side == m.actor.side]
    return ActorMention(m.start, m.end, same_side[-1], m.governed) if same_side else m


def speaker_at(found: list[Attribution], quote_start: int | None = None) -> Attribution:
    """Who voices a sentence (or a quotation in it).

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


def speaker_for(found: list[Attribution], text: MatchText, pos: int, quote_start: int | None = None,
                timeline: Timeline | None = None) -> Attribution:
    """Who voices the mention at normalized ``pos``: the speaker of its own clause.

    - Inside a quotation: the nearest cue before the quotation (as ``speaker_at``).
    - Cues before the mention: the first of them (the source that told the outlet:
      "according to the source, the envoy told the minister …" is the source's), unless a later
      cue opens a clause of its own with a new subject («…، متهما …» keeps the speaker;
      «…، فيما قال X» or a new clause with no reported words between hands over to X).
    - Otherwise a cue after the mention in the same clause ("Iraq is no messenger the minister
      said"), or a short closing tag ("…, the minister said on Tuesday.").
    - Otherwise the outlet's own voice: «بعد اغتيال القائد، دعا الزعيم إلى …» does not
      put the killing in the leader's mouth.

    ``timeline``: the sentence's ``Timeline`` when the caller keeps it (one per sentence, for its
    every mention); else it is worked out here.
    """
    if not found:
        return OWN_VOICE
    if quote_start is not None:
        return speaker_at(found, quote_start)
    return (timeline or Timeline(found, text)).at(pos)


class Timeline:
    """The speaker in force after each cue of a sentence, worked out once, left to right."""

    def __init__(self, found: list[Attribution], text: MatchText):
        norm = text.norm
        self.found, self.text, self.norm = found, text, norm
        self.ats = [a.at for a in found]
        content = None  # where reported words begin: read only where a later cue may take over (most sentences have one cue)
        self.governing: list[Attribution] = []
        cur = None
        for a in found:
            if cur is None:
                cur = a
            elif a.how == "same subject" or a.actor == cur.actor:
                pass
            elif cur.actor.kind == "media" and a.actor.kind != "media":
                cur = a  # media relaying someone's statement give way to that someone
            elif cur.how.startswith("source phrase"):
                pass  # "according to X, …" covers the whole sentence
            else:
                k = bisect.bisect_left(self.gaps, a.at) - 1  # the last clause break before this cue
                if k >= 0 and self.gaps[k] > cur.at:
                    if content is None:
                        content = [m.start() for m in CONTENT_START.finditer(norm)]
                    c = bisect.bisect_left(content, cur.at)
                    reported = c < len(content) and content[c] < a.at
                    if not reported or COORDINATOR.match(norm, self.gaps[k]):
                        cur = a
            self.governing.append(cur)

    @cached_property
    def gaps(self) -> list[int]:
        """Where each clause break ends."""
        return [m.end() for m in CLAUSE_GAP.finditer(self.norm)]

    def at(self, pos: int) -> Attribution:
        i = bisect.bisect_right(self.ats, pos) - 1
        if i >= 0:
            return self.governing[i]
        after = self.found[0]
        first_gap = bisect.bisect_right(self.gaps, pos)
        if first_gap >= len(self.gaps) or self.gaps[first_gap] > after.at or LEAD_IN.match(self.norm):
            return after  # same clause, or a lead-in clause («تعليقا على …، يقول X»)
        # a closing tag: the cue's clause is the last one, and little follows its cue
        # ("…, the minister said on Tuesday."; not "…, the cleric said US troops must leave.")
        last_gap = bisect.bisect_right(self.gaps, after.at) - 1
        end = len(self.norm.rstrip().rstrip("."))
        rest = max(after.cue_span[1], after.span[1] if after.span else 0)
        if (all(g >= end for g in self.gaps[last_gap + 1:]) and rest <= end
                and self.text.word_index(end) - self.text.word_index(rest) <= TAG_WORDS
                and TAG_REST.match(self.norm[rest:end])):
            return after
        return OWN_VOICE


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
