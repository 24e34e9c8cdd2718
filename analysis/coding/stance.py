"""Stance of a frame mention: denied, reported or asserted.

- denied:   a negation particle at most three words before the frame words in
            the same clause (لن يكون ساعي بريد; نحن لا نلعب دور ساعي البريد),
            unless an exceptive follows it in the clause (لن … إلا, لن … دون أن
            are conditional assertions), it is part of a fixed affirmative
            phrase (لا بد, لا مفر, لا سيما), or it negates a word whose negation
            affirms (لم تتوقف الهجمات, لن ننسى, زيارة لم يُعلن عنها, غير معلنة;
            data/lexicon.yaml); or a verb of denying or rejecting (نفى, أنكر,
            رفض أن) shortly before in the same clause.  Frames whose codebook
            entry says ``denial: false`` (refusal is part of the frame, as in
            "no control of militia weapons") are never denied.
- reported: the mention's speaker is someone other than the outlet, or the
            match sits inside a direct quotation.
- asserted: the outlet's own voice.

Clauses end at Arabic/Latin commas, colons, quotation marks and the
conjunctions لكن / بل / بينما, so a negation in one clause does not flip a
frame in the next.  Everything a mention needs is found once per sentence
(``SentenceCues``) and looked up by bisection, so a sentence with many mentions
costs time linear in its length (docs/stance.md).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from analysis.inputs.lexicon import Lexicon, shipped
from analysis.io.lazy import cached_property
from analysis.match.grammar import CONJUNCTION
from analysis.match.patterns import MatchText

ASSERTED, REPORTED, DENIED = "asserted", "reported", "denied"
# Spans of time after «قبل» that make it "ago", not a deadline (normalized spellings).
SPANS_OF_TIME = (r"(?:\w+\s+)?(?:يوم|يومين|ايام|اسبوع|اسبوعين|اسابيع|شهر|شهرين|اشهر|شهور|عام|عامين|اعوام|سنه|سنتين|"
                 r"سنوات|سنين|ساعه|ساعتين|ساعات|دقائق|فتره|وقت|قليل)")
STANCES = (ASSERTED, REPORTED, DENIED)

# Particles are matched as whole words with at most a و/ف prefix: clitic
# tolerance would turn لم into كلم and لا into بلا.
NEGATION = {
    "ar": regex.compile(rf"(?<!\w){CONJUNCTION}(?:لا|لن|لم|ليس|ليست|لست|لسنا|ليسوا|لستم|ليسا|غير)(?!\w)"),
    "en": regex.compile(r"(?i)(?<!\w)(?:not|never|no|neither|nor|cannot|won't|can't|don't|doesn't|isn't|aren't|wasn't|weren't)(?!\w)|n't(?!\w)"),
}
GHAIR = regex.compile(rf"{CONJUNCTION}غير")
# "Not … except / without" is an assertion with a condition: لن تحل الذكرى إلا …, لن تغادر القوات دون أن تضمن …
EXCEPTIVE = {
    "ar": regex.compile(rf"(?<!\w){CONJUNCTION}(?:الا|سوي|دون|بدون)(?!\w)"),
    "en": regex.compile(r"(?i)(?<!\w)(?:unless|until|except|but only|without)(?!\w)"),
}
# "Will not … before a time" says when it happens: لن تغادر القوات العراق قبل نهاية العام (they leave, at the
# year's end).  Only after a future negation (لن, "will not"): «لم تنسحب القوات قبل …» and "have never withdrawn
# before" deny.  Not «قبل» + a span of time ("ago": قبل يومين, قبل عام), nor «قبل ذلك», nor «من قبل» ("by").
TIME_BEFORE = {
    "ar": regex.compile(rf"(?<!\w)(?<!(?<!\w){CONJUNCTION}من\s+)قبل(?!\w)(?!\s+(?:ذلك|{SPANS_OF_TIME})(?!\w))"),
    "en": regex.compile(r"(?i)(?<!\w)before(?=\s+\w)"),
}
FUTURE_NEGATION = {
    "ar": regex.compile(rf"{CONJUNCTION}لن"),
    "en": regex.compile(r"(?i)will\s+not|won't|would\s+not|wouldn't|shall\s+not"),
}
# Negative particles in fixed phrases that assert: لا بد (must), لا مفر (inevitable),
# لا سيما (especially), لا يزال (still), لا شك (no doubt), لا غنى عن (indispensable).
NOT_NEGATION = {
    "ar": regex.compile(rf"(?<!\w){CONJUNCTION}(?:لا\s*بد|لا\s+مفر|لا\s+سيما|لا\s+(?:ي|ت)زال|لا\s+زال|لا\s+شك|لا\s+ريب|لا\s+غني|لم\s+(?:ي|ت)زل)(?!\w)"),
    "en": regex.compile(r"(?i)(?<!\w)(?:no doubt|not only|no longer)(?!\w)"),
}
# "but only" is an exceptive (not … but only after …), not a new clause.
CLAUSE_BREAK = regex.compile(r"[،,:؛;«»\"“”()]|(?<!\w)(?:لكن|ولكن|بل|بينما|but(?!\s+only)|while|whereas)(?!\w)")
# Words allowed between a negation particle and the frame words: نحن لا [نلعب دور] ساعي البريد;
# English spends more words on the same construction ("do not [play the role of] messenger").
NEGATION_WINDOW = {"ar": 3, "en": 5}
DENIAL_WINDOW = 12  # words between a denial verb and the frame words, in the same clause
AUXILIARIES = 2     # «لم يتم الإعلان», "has not yet been disclosed"


@dataclass(frozen=True)
class Reason:
    stance: str
    cue: str = ""       # what decided it: "negation", "denial verb", "negation that affirms", …
    at: int = -1        # normalized span of the cue in the sentence (-1: none)
    end: int = -1


class SentenceCues:
    """Clause bounds, negations, exceptives and denial verbs of one sentence, each found once, when first
    asked for: most sentences have no negation, so their exceptives are never needed, and a mention that
    cannot be denied asks for none of them."""

    def __init__(self, text: MatchText, language: str, lexicon: Lexicon):
        self.text, self.language, self.lexicon = text, language, lexicon

    @cached_property
    def _breaks(self) -> tuple[list[int], list[int]]:
        breaks = list(CLAUSE_BREAK.finditer(self.text.norm))
        return [m.end() for m in breaks], [m.start() for m in breaks]  # a clause begins after each break

    @property
    def clause_starts(self) -> list[int]:
        return self._breaks[0]

    @property
    def clause_ends(self) -> list[int]:
        return self._breaks[1]

    @cached_property
    def negations(self) -> list[tuple[int, int, tuple[int, int] | None]]:
        """(start, end, affirming cue span or None) of each negation particle."""
        norm, language, lexicon = self.text.norm, self.language, self.lexicon
        idioms = idiom_starts = None  # looked for once a particle is found: most sentences have none
        out = []
        for m in NEGATION[language].finditer(norm):
            if idioms is None:
                idioms = [m.span() for m in NOT_NEGATION[language].finditer(norm)]
                idiom_starts = [s for s, _ in idioms]
            k = bisect.bisect_right(idiom_starts, m.start()) - 1
            if k >= 0 and idioms[k][0] <= m.start() < idioms[k][1]:
                continue
            if lexicon.match_at("negation_not_denial", language, norm, m.start()):
                continue  # "no mandate to", «لا … كل يوم»: negates a word of the claim, not the claim
            out.append((m.start(), m.end(), self._affirming(m.group(), m.end())))
        return out

    @cached_property
    def negation_starts(self) -> list[int]:
        return [n[0] for n in self.negations]

    @cached_property
    def negation_words(self) -> list[int]:
        return [self.text.word_index(n[0]) for n in self.negations]

    @cached_property
    def exceptives(self) -> list[int]:
        return [m.start() for m in EXCEPTIVE[self.language].finditer(self.text.norm)]

    @cached_property
    def time_before(self) -> list[int]:
        return [m.start() for m in TIME_BEFORE[self.language].finditer(self.text.norm)]

    @cached_property
    def denials(self) -> list[tuple[int, int]]:
        return self.lexicon.find("denial_verbs", self.language, self.text)

    @cached_property
    def denial_starts(self) -> list[int]:
        return [s for s, _ in self.denials]

    def _affirming(self, particle: str, end: int) -> tuple[int, int] | None:
        """The word after the particle (past «يتم», "been") whose negation affirms, if any."""
        norm, lang = self.text.norm, self.language
        kind = "negated_adjectives" if lang == "ar" and GHAIR.fullmatch(particle) else "negation_affirms"
        pos = end
        for _ in range(AUXILIARIES + 1):
            k = bisect.bisect_left(self.text.word_starts, pos)
            if k >= len(self.text.word_starts):
                return None
            pos = self.text.word_starts[k]
            hit = self.lexicon.match_at(kind, lang, norm, pos)
            if hit:
                return hit
            aux = self.lexicon.match_at("negation_auxiliaries", lang, norm, pos)
            if not aux:
                return None
            pos = aux[1]
        return None

    def clause(self, pos: int) -> tuple[int, int]:
        """Bounds [lo, hi) of the clause around ``pos``."""
        k = bisect.bisect_right(self.clause_starts, pos) - 1
        lo = self.clause_starts[k] if k >= 0 else 0
        j = bisect.bisect_left(self.clause_ends, pos)
        hi = self.clause_ends[j] if j < len(self.clause_ends) else len(self.text.norm)
        return lo, max(hi, pos)

    def negation(self, start: int, end: int | None) -> Reason | None:
        """A negation particle in the clause before the frame words (or inside the matched phrase
        itself, e.g. an indicator written as "ليس ساعي بريد"), not undone by an exceptive."""
        if not self.negations:  # most sentences: their clauses need not be found
            return None
        text = self.text
        lo, hi = self.clause(start)
        stop = start if end is None else end
        # Particles in the clause with at most NEGATION_WINDOW words between them and the frame words.
        wi = text.word_index(start)
        first = max(bisect.bisect_left(self.negation_starts, lo),
                    bisect.bisect_left(self.negation_words, wi - NEGATION_WINDOW[self.language] - 1))
        affirmed = None
        for i in range(first, bisect.bisect_left(self.negation_starts, stop)):
            s, e, affirms = self.negations[i]
            if affirms is not None:  # its stance is the voice's: stance_reason sets it
                affirmed = affirmed or Reason(ASSERTED, "negation that affirms", s, affirms[1])
                continue
            if self._undone(s, e, hi):
                continue
            return Reason(DENIED, "negation", s, e)
        return affirmed

    def _undone(self, s: int, e: int, hi: int) -> bool:
        """An exceptive after the particle in its clause; or, after a future negation, a time it happens before."""
        k = bisect.bisect_left(self.exceptives, e)
        if k < len(self.exceptives) and self.exceptives[k] < hi:
            return True
        k = bisect.bisect_left(self.time_before, e)
        return (k < len(self.time_before) and self.time_before[k] < hi
                and bool(FUTURE_NEGATION[self.language].fullmatch(self._particle(s, e))))

    def _particle(self, s: int, e: int) -> str:
        """The negation as written; in English with the auxiliary before a bare "not" ("will not")."""
        norm = self.text.norm
        if self.language == "en" and norm[s:e].lower() == "not":
            before = regex.search(r"(\w+)\s+$", norm[max(0, s - 12):s])
            return f"{before.group(1)} not" if before else "not"
        return norm[s:e]

    def denial_verb(self, start: int) -> Reason | None:
        """A denial verb earlier in the same clause, close enough to govern the frame words."""
        if not self.denials:
            return None
        lo, _ = self.clause(start)
        first = bisect.bisect_left(self.denial_starts, lo)
        k = bisect.bisect_right(self.denial_starts, start) - 1
        while k >= first:
            s, e = self.denials[k]
            if e <= start:
                if self.text.word_index(start) - self.text.word_index(e) <= DENIAL_WINDOW:
                    return Reason(DENIED, "denial verb", s, e)
                return None
            k -= 1
        return None


def stance_reason(text: MatchText, start: int, language: str, attributed: bool, in_quote: bool,
                  end: int | None = None, deniable: bool = True, lexicon: Lexicon | None = None,
                  cues: SentenceCues | None = None) -> Reason:
    """The stance of the frame words at normalized [start, end), with the cue that decided it.
    ``cues``: the sentence's ``SentenceCues`` when the caller keeps them (one per sentence, for its
    every mention); else they are found here."""
    cues = cues or SentenceCues(text, language, lexicon or shipped())
    affirmed = None
    if deniable:
        neg = cues.negation(start, end)
        if neg is not None and neg.stance == DENIED:
            return neg
        affirmed = neg
        verb = cues.denial_verb(start)
        if verb is not None:
            return verb
    stance = REPORTED if attributed or in_quote else ASSERTED
    if affirmed is not None:
        return Reason(stance, affirmed.cue, affirmed.at, affirmed.end)
    if in_quote:
        return Reason(stance, "inside a quotation")
    return Reason(stance, "attributed to a speaker" if attributed else "the outlet's own voice")


def stance_of(text: MatchText, start: int, language: str, attributed: bool, in_quote: bool,
              end: int | None = None, deniable: bool = True, lexicon: Lexicon | None = None) -> str:
    return stance_reason(text, start, language, attributed, in_quote, end, deniable, lexicon).stance
