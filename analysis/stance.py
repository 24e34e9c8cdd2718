"""Stance of a frame mention: denied, reported or asserted.

- denied:   a negation particle earlier in the same clause (لن يكون ساعي بريد;
            نحن لا نلعب دور ساعي البريد — a verb may sit between), unless an
            exceptive follows it (لن … إلا is an assertion); or a denial verb
            earlier in the sentence (نفى … أن), whose scope runs to the end.
- reported: the sentence attributes the words to someone, or the match sits
            inside a direct quotation.
- asserted: the outlet's own voice.

Clauses end at Arabic/Latin commas, colons, quotation marks and the
conjunctions لكن / بل / بينما, so a negation in one clause does not flip a
frame in the next.
"""
from __future__ import annotations

import regex

from .patterns import AnyOf, MatchText, Term

ASSERTED, REPORTED, DENIED = "asserted", "reported", "denied"
STANCES = (ASSERTED, REPORTED, DENIED)

# Particles are matched as whole words with at most a و/ف prefix: clitic
# tolerance would turn لم into كلم and لا into بلا.
NEGATION = {
    "ar": regex.compile(r"(?<!\w)[وف]?(?:لا|لن|لم|ليس|ليست|لست|لسنا|ليسوا|لستم|ليسا|غير)(?!\w)"),
    "en": regex.compile(r"(?i)(?<!\w)(?:not|never|no|neither|nor|cannot|won't|can't|don't|doesn't|isn't|aren't|wasn't|weren't)(?!\w)|n't(?!\w)"),
}
EXCEPTIVE = {
    "ar": regex.compile(r"(?<!\w)[وف]?(?:الا|سوي)(?!\w)"),
    "en": regex.compile(r"(?i)(?<!\w)(?:unless|until|except|but only)(?!\w)"),
}
DENIAL_TERMS = {
    "ar": ["نفي", "ينفي", "نفت", "تنفي", "نفوا", "انكر", "ينكر", "رفض ان", "رفضه ان", "يرفض ان", "ترفض ان",
           "رفضها ان", "عن رفضه ان", "رفضه"],
    "en": ["denied", "denies", "deny", "rejected", "rejects", "refused to", "refuses to", "dismissed"],
}
CLAUSE_BREAK = regex.compile(r"[،,:؛;«»\"“”()]|(?<!\w)(?:لكن|ولكن|بل|بينما|but|while|whereas)(?!\w)")
NEGATION_WINDOW = 6  # words between a negation particle and the frame words

_DENIAL: dict[str, AnyOf] = {}


def denial_cue(language: str) -> AnyOf:
    if language not in _DENIAL:
        _DENIAL[language] = AnyOf([Term(t) for t in DENIAL_TERMS[language]], name="denial")
    return _DENIAL[language]


def clause_start(norm: str, pos: int) -> int:
    starts = [m.end() for m in CLAUSE_BREAK.finditer(norm, 0, pos)]
    return starts[-1] if starts else 0


def negated(text: MatchText, start: int, language: str) -> bool:
    """A negation particle before ``start`` in its clause, not undone by an exceptive."""
    lo = clause_start(text.norm, start)
    for m in NEGATION[language].finditer(text.norm, lo, start):
        if text.word_index(start) - text.word_index(m.start()) > NEGATION_WINDOW:
            continue
        if not EXCEPTIVE[language].search(text.norm, m.end()):
            return True
    return False


def denied_by_verb(text: MatchText, start: int, language: str) -> bool:
    return any(e <= start for _, e in denial_cue(language).find(text))


def stance_of(text: MatchText, start: int, language: str, attributed: bool, in_quote: bool) -> str:
    if negated(text, start, language) or denied_by_verb(text, start, language):
        return DENIED
    if attributed or in_quote:
        return REPORTED
    return ASSERTED
