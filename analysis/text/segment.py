"""Sentence splitting that keeps offsets into the original text.

A sentence ends after . ؟ ? ! ؛ ; (a run of them, e.g. "..") or at a line
break, except inside «…» or “…” quotations, whose inner punctuation belongs to
the quoted sentence.  Straight double quotes toggle a quotation within a line.
A period between two digits (3.5), after an initial or a short form (U.S.,
Gen.) does not end a sentence, nor does a run of
two or more periods: Arabic headlines use ".." as a dash ("فيلق القدس.. علاقة").  Leading and
trailing spaces are trimmed from each span; empty spans are dropped.

A span longer than MAX_SENTENCE characters (a page pasted as one line with no
punctuation) is cut into pieces of at most that length, at a space where
there is one, so that coding stays linear in the size of the text; the corpus
loader warns about such articles (inputs/corpus.py).  Every step here is
linear in the length of the text.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MAX_SENTENCE = 3000  # characters; real sentences, even long Arabic ones, stay well under

ENDERS = frozenset(".؟?!؛;")
OPENERS = {"«": "»", "“": "”"}
STRAIGHT = '"'
# Every character the splitter acts on: it goes from one to the next (the search runs in C), and
# any other character would only have been stepped over.
_ACTS = re.compile("[" + re.escape("\n" + "".join(OPENERS) + "".join(OPENERS.values()) + STRAIGHT
                                  + "".join(sorted(ENDERS))) + "]")


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
    quotes: list[int] | None = None  # positions of straight quotes on the current line, found once per line
    begin = i = start
    while i < end:
        m = _ACTS.search(text, i, end)
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if ch == "\n":
            closers.clear()
            quotes = None
            if (s := _trim(text, begin, i)):
                spans.append(s)
            begin = i + 1
        elif ch in OPENERS:
            closers.append(OPENERS[ch])
        elif closers and ch == closers[-1]:
            closers.pop()
        elif ch == STRAIGHT:  # (a straight quote that closes one was popped above)
            if quotes is None or (quotes and quotes[-1] < i):
                line_end = _line_end(text, i, end)
                quotes = [i + m.start() for m in re.finditer(STRAIGHT, text[i:line_end])]
            if (len(quotes) - bisect.bisect_right(quotes, i)) % 2 == 1:
                closers.append(STRAIGHT)  # only open a quote that closes on this line
        elif ch in ENDERS and not closers:
            i, ends = _past_ender(text, i, end)
            if ends:
                if (s := _trim(text, begin, i)):
                    spans.append(s)
                begin = i
            continue
        i += 1
    if (s := _trim(text, begin, end)):
        spans.append(s)
    if any(sp.end - sp.start > MAX_SENTENCE for sp in spans):
        spans = [piece for sp in spans for piece in _cut(text, sp)]
    return spans


def _past_ender(text: str, i: int, end: int) -> tuple[int, bool]:
    """Where to go on after the ender at ``i``, and whether it ends the sentence (taking the run of
    enders and closing quotes after it)."""
    if text[i] == "." and _abbreviation(text, i):
        return i + 1, False
    if text[i] == "." and (_decimal_point(text, i, end) or text[i + 1:i + 2] == "."):
        i += 1
        while i < end and text[i] == ".":  # the rest of a run of periods
            i += 1
        return i, False
    j = i + 1
    while j < end and (text[j] in ENDERS or text[j] in "»”\""):
        j += 1
    return j, True


def _cut(text: str, span: Span) -> list[Span]:
    """A span in pieces of at most MAX_SENTENCE characters, each ending at a space where possible."""
    out, begin = [], span.start
    while span.end - begin > MAX_SENTENCE:
        limit = begin + MAX_SENTENCE
        cut = text.rfind(" ", begin + MAX_SENTENCE // 2, limit)
        cut = limit if cut < 0 else cut
        if (s := _trim(text, begin, cut)):
            out.append(s)
        begin = cut
    if (s := _trim(text, begin, span.end)):
        out.append(s)
    return out


def _line_end(text: str, i: int, end: int) -> int:
    j = text.find("\n", i, end)
    return end if j < 0 else j


ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "st", "sen", "rep",
                           "gov", "pres", "prof", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "no", "vs",
                           "etc", "e.g", "i.e", "approx", "inc", "corp", "jr", "sr"})


def _abbreviation(text: str, i: int) -> bool:
    """U.S., U.N., Gen. Smith: a period after an initial or a known short form."""
    j, stop = i, max(0, i - 12)  # short forms are short: never walk back further (linear time)
    while j > stop and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    if j == stop and j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        return False
    word = text[j:i]
    if len(word) == 1 and word.isupper() or (len(word) >= 3 and word[-2] == "." and word.isupper()):  # isupper skips "."
        return True  # U.S / U.N / an initial
    return word.lower() in ABBREVIATIONS


def _decimal_point(text: str, i: int, end: int) -> bool:
    return 0 < i < end - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
