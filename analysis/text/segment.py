"""Sentence splitting that keeps offsets into the original text.

A sentence ends after . ؟ ? ! ؛ ; (a run of them, e.g. "..") or at a line
break, except inside «…» or “…” quotations, whose inner punctuation belongs to
the quoted sentence.  Straight double quotes toggle a quotation within a line.
A period between two digits (3.5), after an initial or a short form (U.S.,
Gen.) does not end a sentence, nor does a run of
two or more periods: Arabic headlines use ".." as a dash ("فيلق القدس.. علاقة").  Leading and
trailing spaces are trimmed from each span; empty spans are dropped.
"""
from __future__ import annotations

from dataclasses import dataclass

ENDERS = frozenset(".؟?!؛;")
OPENERS = {"«": "»", "“": "”"}
STRAIGHT = '"'


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans of ``text[start:end]`` as offsets into ``text``."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    closers: list[str] = []  # stack of expected closing quotes
    begin = i = start
    while i < end:
        ch = text[i]
        if ch == "\n":
            closers.clear()
            if (s := _trim(text, begin, i)):
                spans.append(s)
            begin = i + 1
        elif ch in OPENERS:
            closers.append(OPENERS[ch])
        elif closers and ch == closers[-1]:
            closers.pop()
        elif ch == STRAIGHT:  # (a straight quote that closes one was popped above)
            if text.count(STRAIGHT, i + 1, _line_end(text, i, end)) % 2 == 1:
                closers.append(STRAIGHT)  # only open a quote that closes on this line
        elif ch in ENDERS and not closers:
            if ch == "." and _abbreviation(text, i):
                i += 1
                continue
            if ch == "." and (_decimal_point(text, i, end) or text[i + 1:i + 2] == "."):
                i += 1
                while i < end and text[i] == ".":  # the rest of a run of periods
                    i += 1
                continue
            j = i + 1
            while j < end and (text[j] in ENDERS or text[j] in "»”\"" and text[j] != "\n"):
                j += 1
            if (s := _trim(text, begin, j)):
                spans.append(s)
            begin = i = j
            continue
        i += 1
    if (s := _trim(text, begin, end)):
        spans.append(s)
    return spans


def _line_end(text: str, i: int, end: int) -> int:
    j = text.find("\n", i, end)
    return end if j < 0 else j


ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "st", "sen", "rep",
                           "gov", "pres", "prof", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "no", "vs",
                           "etc", "e.g", "i.e", "approx", "inc", "corp", "jr", "sr"})


def _abbreviation(text: str, i: int) -> bool:
    """U.S., U.N., Gen. Smith: a period after an initial or a known short form."""
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:i]
    if len(word) == 1 and word.isupper() or (len(word) >= 3 and word[-2] == "." and word.isupper()):  # isupper skips "."
        return True  # U.S / U.N / an initial
    return word.lower() in ABBREVIATIONS


def _decimal_point(text: str, i: int, end: int) -> bool:
    return 0 < i < end - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
