"""Stance of a frame mention: denied, reported or asserted.

- denied:   a negation particle at most three words before the frame words in
            the same clause (لن يكون ساعي بريد; نحن لا نلعب دور ساعي البريد),
            unless an exceptive follows it (لن … إلا, لن … دون أن are
            conditional assertions) or it is part of a fixed affirmative phrase
            (لا بد, لا مفر, لا سيما); or a denial verb (نفى, أنكر) shortly before
            in the same clause.  Frames whose codebook entry says
            ``denial: false`` (refusal is part of the frame, as in "no control
            of militia weapons") are never denied.
- reported: the sentence attributes the words to someone, or the match sits
            inside a direct quotation.
- asserted: the outlet's own voice.

Clauses end at Arabic/Latin commas, colons, quotation marks and the
conjunctions لكن / بل / بينما, so a negation in one clause does not flip a
frame in the next.
"""
from __future__ import annotations

import regex

from analysis.match.patterns import AnyOf, MatchText, Term

ASSERTED, REPORTED, DENIED = "asserted", "reported", "denied"
STANCES = (ASSERTED, REPORTED, DENIED)

# Particles are matched as whole words with at most a و/ف prefix: clitic
# tolerance would turn لم into كلم and لا into بلا.
NEGATION = {
    "ar": regex.compile(r"(?<!\w)[وف]?(?:لا|لن|لم|ليس|ليست|لست|لسنا|ليسوا|لستم|ليسا|غير)(?!\w)"),
    "en": regex.compile(r"(?i)(?<!\w)(?:not|never|no|neither|nor|cannot|won't|can't|don't|doesn't|isn't|aren't|wasn't|weren't)(?!\w)|n't(?!\w)"),
}
# "Not … except / without" is an assertion with a condition: لن تحل الذكرى إلا …,
# لن تغادر القوات دون أن تضمن …
EXCEPTIVE = {
    "ar": regex.compile(r"(?<!\w)[وف]?(?:الا|سوي|دون|بدون)(?!\w)"),
    "en": regex.compile(r"(?i)(?<!\w)(?:unless|until|except|but only|without)(?!\w)"),
}
# Negative particles in fixed phrases that assert: لا بد (must), لا مفر (inevitable),
# لا سيما (especially), لا يزال (still), لا شك (no doubt), لا غنى عن (indispensable).
NOT_NEGATION = {
    "ar": regex.compile(r"(?<!\w)[وف]?(?:لا\s*بد|لا\s+مفر|لا\s+سيما|لا\s+(?:ي|ت)زال|لا\s+زال|لا\s+شك|لا\s+ريب|لا\s+غني|لم\s+(?:ي|ت)زل)(?!\w)"),
    "en": regex.compile(r"(?i)(?<!\w)(?:no doubt|not only|no longer)(?!\w)"),
}
# Verbs of denying (not of refusing: "Iraq refuses to be an arena" voices the arena frame).
DENIAL_TERMS = {
    "ar": ["نفي", "ينفي", "نفت", "تنفي", "نفوا", "ينفون", "انكر", "ينكر", "انكرت", "تنكر"],
    "en": ["denied", "denies", "deny", "dismissed claims", "dismissed reports"],
}
CLAUSE_BREAK = regex.compile(r"[،,:؛;«»\"“”()]|(?<!\w)(?:لكن|ولكن|بل|بينما|but|while|whereas)(?!\w)")
# Words allowed between a negation particle and the frame words: نحن لا [نلعب دور] ساعي البريد;
# English spends more words on the same construction ("do not [play the role of] messenger").
NEGATION_WINDOW = {"ar": 3, "en": 5}
DENIAL_WINDOW = 12  # words between a denial verb and the frame words, in the same clause

_DENIAL: dict[str, AnyOf] = {}


def denial_cue(language: str) -> AnyOf:
    if language not in _DENIAL:
        _DENIAL[language] = AnyOf([Term(t) for t in DENIAL_TERMS[language]], name="denial")
    return _DENIAL[language]


def clause_start(norm: str, pos: int) -> int:
    starts = [m.end() for m in CLAUSE_BREAK.finditer(norm, 0, pos)]
    return starts[-1] if starts else 0


def negated(text: MatchText, start: int, language: str, end: int | None = None) -> bool:
    """A negation particle in the clause before the frame words (or within the matched
    phrase itself, e.g. an indicator written as "ليس ساعي بريد"), not undone by an exceptive."""
    lo = clause_start(text.norm, start)
    idioms = [m.span() for m in NOT_NEGATION[language].finditer(text.norm, lo)]
    for m in NEGATION[language].finditer(text.norm, lo, start if end is None else end):
        if text.word_index(start) - text.word_index(m.start()) - 1 > NEGATION_WINDOW[language]:
            continue
        if any(s <= m.start() < e for s, e in idioms):
            continue
        if not EXCEPTIVE[language].search(text.norm, m.end()):
            return True
    return False


def denied_by_verb(text: MatchText, start: int, language: str) -> bool:
    """A denial verb earlier in the same clause, close enough to govern the frame words."""
    lo = clause_start(text.norm, start)
    return any(lo <= s and e <= start and text.word_index(start) - text.word_index(e) <= DENIAL_WINDOW
               for s, e in denial_cue(language).find(text))


def stance_of(text: MatchText, start: int, language: str, attributed: bool, in_quote: bool,
              end: int | None = None, deniable: bool = True) -> str:
    if deniable and (negated(text, start, language, end) or denied_by_verb(text, start, language)):
        return DENIED
    if attributed or in_quote:
        return REPORTED
    return ASSERTED
