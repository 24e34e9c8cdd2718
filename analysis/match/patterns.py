"""The pattern language of the codebook, kwic and the actors gazetteer.

Patterns run on *normalized* text (see normalize.py).  Four kinds:

- ``Term``   a word or phrase in plain spelling.  Arabic words tolerate clitics:
             proclitics و ف ب ك ل لل ال on the first word, an optional ال on later
             words, enclitics ه ها هم هما هن ك كم كما كن نا ي ني on the last word
             (a final ة, normalized to ه, becomes ت before an enclitic: قاعدتها).
             ``*`` inside a word means "any further letters" (glob).
             ``<name>`` stands for any entry of the named set.
             Latin words are case-insensitive unless written in capitals (US, UN).
- ``Regex``  an escape hatch, compiled with RE2 (linear time, no catastrophic
             backtracking).  ``\\w``/``\\W`` are rewritten to cover Arabic letters.
- ``Near``   A within N words of B, in either order, in the same sentence.
- ``AnyOf``  any of several patterns (what a set reference expands to).

Each pattern has a compact canonical text form (``canonical``) that tests compare.
"""
from __future__ import annotations

import bisect
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

import regex

from analysis.text.normalize import TEH_MARBUTA, normalize, normalize_with_map

PROCLITICS = r"(?P<pro>[وف]?(?:[بك]?ال|لل|[بكل])?)"
PREPOSITIONS = frozenset("بكل")
ENCLITICS = ("هما", "هم", "هن", "ها", "ه", "كما", "كم", "كن", "ك", "نا", "ني", "ي")
ENCLITIC = "(?:" + "|".join(ENCLITICS) + ")"
DEFINITE = "ال"
WORD_GAP = r"[\s«»\"'()\-–—]+"
ARABIC = regex.compile(r"\p{Arabic}")
WORD = regex.compile(r"\w+")
# Sentences with nothing in common with any frame: a pattern matching all of
# them would match every sentence.
NEUTRAL_PROBES = ("كان الطقس معتدلا في المدينة صباح اليوم", "The weather was mild this morning", "x")


class PatternError(ValueError):
    """A pattern that cannot be compiled; the codebook loader adds file and line."""


@dataclass
class MatchText:
    """A normalized sentence, where its words start (for proximity), and where
    a ة was folded to ه (so that العامة "public" is not عام "year" + enclitic ه)."""

    norm: str
    feminine: frozenset[int] = frozenset()

    @classmethod
    def of(cls, original: str) -> "MatchText":
        norm, index = normalize_with_map(original)
        return cls(norm, feminine_positions(original, index))

    @cached_property
    def folded(self) -> str:
        """Case-folded, for the literal prefilter (scan.py)."""
        return self.norm.casefold()

    @cached_property
    def word_starts(self) -> list[int]:
        return [m.start() for m in WORD.finditer(self.norm)]

    def word_index(self, pos: int) -> int:
        return max(bisect.bisect_right(self.word_starts, pos) - 1, 0)


class Pattern:
    def find(self, text: MatchText) -> list[tuple[int, int]]:
        raise NotImplementedError

    @property
    def canonical(self) -> str:
        raise NotImplementedError

    @property
    def fingerprint(self) -> str:
        """What the pattern matches, spelled out (set references expanded), for cache keys."""
        raise NotImplementedError

    def prepare(self) -> None:
        """Build the prefilters and anchors now rather than on first use (before forking workers)."""

    def __str__(self) -> str:
        return self.canonical


def _is_arabic(word: str) -> bool:
    return bool(ARABIC.search(word))


def _glob(word: str) -> str:
    if word == "*":
        return r"\w+"  # a lone * stands for exactly one word: "<msg> * <to_us>"
    return r"\w*".join(regex.escape(part) for part in word.split("*"))


# Words that can carry the accusative tanween alef (جدولاً زمنياً → جدولا زمنيا).
_NO_ACCUSATIVE_ALEF = tuple("اوهء")  # nisba ي does take it: زمنياً


def strip_definite(word: str) -> str:
    """An Arabic word without its written ال (a clitic the pattern makes optional), if enough remains."""
    if _is_arabic(word) and word.startswith(DEFINITE) and len(word) - 2 >= 3 and "*" not in word[:3]:
        return word[2:]
    return word


# The proclitics a pattern makes optional, where they cannot be part of the word: those before a written ال
# (والحكومة, بالاتفاق, للحكومة).  A bare و/ف/ب/ل may be the word's own first letter (وزير, فرض), so it stays.
_FOLDED_PROCLITICS = regex.compile(f"^[وف]?(?:[بك]?{DEFINITE}|لل)")


def fold_word(word: str) -> str:
    """A normalized word as the codebook's terms see it: Arabic without و/ف + ال / بال / لل (if three letters
    remain), Latin casefolded without 's; the token of keyness counts (results/keyness.py)."""
    if not _is_arabic(word):
        w = word.casefold()
        return w[:-2] if w.endswith("'s") and len(w) > 2 else w
    m = _FOLDED_PROCLITICS.match(word)
    return word[m.end():] if m and len(word) - m.end() >= 3 else word


def _arabic_word(word: str, first: bool, last: bool) -> str:
    word = strip_definite(word)
    prefix = PROCLITICS if first else f"(?:{DEFINITE})?"
    if word.endswith("*"):
        return prefix + _glob(word)
    if last and word.endswith("ه") and len(word) > 2:
        return prefix + _glob(word[:-1]) + f"(?:ه|ت{ENCLITIC})"
    alef = "" if word.endswith(_NO_ACCUSATIVE_ALEF) or word == "*" else "ا?"
    return prefix + _glob(word) + alef + (f"(?P<enc>{ENCLITIC[3:]}?" if last else "")


def _latin_word(word: str, last: bool) -> str:
    core = _glob(word)
    if not (word.isupper() and len(word) > 1):
        core = f"(?i:{core})"
    return core + ("(?:'s)?" if last and not word.endswith("*") else "")


@dataclass
class Term(Pattern):
    text: str
    sets: dict[str, "AnyOf"] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        words = normalize(self.text).split()
        if not words or all(set(w) <= {"*"} for w in words):
            raise PatternError(f"empty term '{self.text}'")
        self.words = words
        self._source = r"(?<!\w)" + self.fragment(True, True) + r"(?!\w)"  # checks set references now

    def __getstate__(self):  # a compiled regex pickles as its source and compiles again on loading:
        state = self.__dict__.copy()  # leave it to first use, as most terms are never tried
        state.pop("_rx", None)
        return state

    @cached_property
    def _rx(self):
        # Compiled on first use: most set members are only ever used inside phrases.
        return regex.compile(self._source)

    def fragment(self, first: bool, last: bool) -> str:
        parts = []
        n = len(self.words)
        for i, w in enumerate(self.words):
            is_first, is_last = first and i == 0, last and i == n - 1
            if w.startswith("<") and w.endswith(">"):
                ref = self.sets.get(w[1:-1])
                if ref is None:
                    raise PatternError(f"unknown set {w}")
                parts.append(ref.fragment(is_first, is_last))
            elif _is_arabic(w):
                parts.append(_arabic_word(w, is_first, is_last))
            else:
                parts.append(_latin_word(w, is_last))
        return WORD_GAP.join(parts)

    @cached_property
    def _plan(self):
        from analysis.match.scan import plan
        return plan(self)

    def prepare(self) -> None:
        _ = self._plan  # the regex itself is compiled where it may match (most never do)

    def matches(self, text: MatchText) -> list:
        """What ``finditer`` finds, trying the regex only where a match can start (scan.Anchors)."""
        starts = self._plan.starts(text) if self._plan is not None else None
        if starts is None:
            return list(self._rx.finditer(text.norm))
        if not starts:
            return []
        rx, norm, out, pos = self._rx, text.norm, [], 0  # compiled only when it may match
        for at in starts:
            if at >= pos and (m := rx.match(norm, at)):
                out.append(m)
                pos = m.end()
        return out

    def find_everywhere(self, text: MatchText) -> list[tuple[int, int]]:
        """The straightforward matcher, for tests: the regex at every position."""
        return [m.span() for m in self._rx.finditer(text.norm) if self._keeps(m, text)]

    def find(self, text: MatchText) -> list[tuple[int, int]]:
        return [m.span() for m in self.matches(text) if self._keeps(m, text)]

    @staticmethod
    def _keeps(m, text: MatchText) -> bool:
        """Reject an enclitic ه that is really a folded ة (العامة is not عام + ه)."""
        enc = m.groupdict().get("enc")
        return not (enc == "ه" and m.end() - 1 in text.feminine)

    def find_governed(self, text: MatchText) -> list[tuple[int, int]]:
        """Matches whose first word carries a preposition (للرئيس, بالرئيس): never a subject."""
        return [m.span() for m in self.matches(text) if self._keeps(m, text) and self._governed(m)]

    @staticmethod
    def _governed(m) -> bool:
        pro = m.groupdict().get("pro") or ""
        return bool(PREPOSITIONS & set(pro.removesuffix("ال")))

    @property
    def canonical(self) -> str:
        return " ".join(self.words)

    @property
    def fingerprint(self) -> str:
        return self._source


@dataclass
class AnyOf(Pattern):
    items: list[Pattern]
    name: str = ""

    def fragment(self, first: bool, last: bool) -> str:
        # Longest entries first: the alternation stops at the first that matches, and
        # سرية must be tried before سري + enclitic ه (a folded ة, rejected later).
        frags = []
        for p in sorted(self.items, key=lambda p: -len(p.canonical)):
            if not isinstance(p, (Term, AnyOf)):
                raise PatternError(f"set <{self.name}> can only hold plain terms inside a phrase")
            frags.append(p.fragment(first, last))  # the regex module allows repeated group names
        return "(?:" + "|".join(frags) + ")"

    @cached_property
    def _prefilter(self):
        """The items' literals in one automaton (scan.py): which items can match a text at all."""
        from analysis.match.scan import Prefilter, requirement
        return Prefilter([requirement(p) for p in self.items])

    def prepare(self) -> None:
        _ = self._prefilter
        for item in self.items:
            item.prepare()

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_last", None)
        return state

    def _candidates(self, text: MatchText) -> tuple[int, ...]:
        return self._prefilter.candidates_folded(text.folded)

    def _searched(self, text: MatchText):
        """(candidate items, fast-path matches or None) for a text; the last text's are kept,
        as an actor's name is searched twice in a row (find_governed, then find).  Rebound
        whole, never updated in place: Dask runs tasks in threads."""
        last = getattr(self, "_last", None)
        if last is not None and last[0] is text:
            return last[1], last[2]
        ks = self._candidates(text)
        found = self._term_matches(text, ks) if ks and self._all_terms else None
        self._last = (text, ks, found)
        return ks, found

    def find_governed(self, text: MatchText) -> list[tuple[int, int]]:
        ks, found = self._searched(text)
        if not ks:
            return []
        if found is not None:
            return [m.span() for m in found if Term._governed(m)]
        return [s for k in ks if isinstance(p := self.items[k], (Term, AnyOf)) for s in p.find_governed(text)]

    @cached_property
    def _all_terms(self) -> bool:
        return bool(self.items) and all(isinstance(p, Term) for p in self.items)

    @cached_property
    def _order(self) -> list[int]:
        """Items longest source first: the order of the alternation (ties keep codebook order)."""
        return sorted(range(len(self.items)), key=lambda k: -len(self.items[k]._source))

    @cached_property
    def _alternations(self) -> dict[tuple[int, ...], object]:
        return {}

    def _terms_rx(self, ks: tuple[int, ...]):
        """All-term sets compile to one alternation (longest first), which is much faster to run.

        Only the items that can match this text (``ks``) take part: the others match nowhere in
        it, so at every position the first alternative that matches is the same one.
        """
        if len(ks) == 1:
            return self.items[ks[0]]._rx  # the same regex as an alternation of one
        rx = self._alternations.get(ks)
        if rx is None:
            keep = set(ks)
            alts = [self.items[k]._source for k in self._order if k in keep]
            rx = regex.compile("|".join(f"(?:{a})" for a in alts))
            if len(self._alternations) < 4096:  # bounded: a set's subsets seen in a corpus are few
                self._alternations[ks] = rx
        return rx

    def _term_matches(self, text: MatchText, ks: tuple[int, ...]):
        """Fast path; None when a match was a folded ة taken for an enclitic, since the
        alternation then never tried the other terms at that position."""
        found = self._alternation_matches(text, ks)
        return None if any(not Term._keeps(m, text) for m in found) else found

    def _alternation_matches(self, text: MatchText, ks: tuple[int, ...]) -> list:
        """What the overlapped alternation of the items ``ks`` finds: at each position where
        one can start, the first item (longest first) that matches there."""
        rank = self._rank
        tries: dict[int, list[int]] = {}  # start → the items that can match there, as ranks
        for k in ks:
            item = self.items[k]
            got = item._plan.starts(text) if item._plan is not None else None
            if got is None:
                return self.alternation_everywhere(text, ks)
            for at in got:
                tries.setdefault(at, []).append(rank[k])
        norm, out, order = text.norm, [], self._order
        for at in sorted(tries):
            for r in sorted(tries[at]):  # an item that cannot start here would fail here
                if m := self.items[order[r]]._rx.match(norm, at):
                    out.append(m)
                    break
        return out

    @cached_property
    def _rank(self) -> dict[int, int]:
        return {k: r for r, k in enumerate(self._order)}

    def alternation_everywhere(self, text: MatchText, ks: tuple[int, ...]) -> list:
        """The straightforward form: one alternation, tried at every position."""
        return list(self._terms_rx(ks).finditer(text.norm, overlapped=True))

    def find(self, text: MatchText) -> list[tuple[int, int]]:
        ks, found = self._searched(text)
        if not ks:
            return []
        if found is not None:
            return _drop_nested([m.span() for m in found])
        spans = sorted({s for k in ks for s in self.items[k].find(text)})
        return _drop_nested(spans)

    @property
    def canonical(self) -> str:
        return f"<{self.name}>" if self.name else "(" + " | ".join(p.canonical for p in self.items) + ")"

    @property
    def fingerprint(self) -> str:
        return "any(" + "|".join(p.fingerprint for p in self.items) + ")"


def _drop_nested(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and s[0] < out[-1][1]:
            continue
        out.append(s)
    return out


@contextmanager
def _quiet_stderr():
    """RE2 logs parse errors straight to fd 2; we report them ourselves."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    saved = os.dup(fd)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)


UNICODE_CLASSES = {r"\w": r"[\p{L}\p{N}_]", r"\W": r"[^\p{L}\p{N}_]"}


def _rewrite_classes(pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        two = pattern[i:i + 2]
        if two in UNICODE_CLASSES:
            out.append(UNICODE_CLASSES[two])
            i += 2
        elif pattern[i] == "\\":
            out.append(two)
            i += 2
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


@dataclass
class Regex(Pattern):
    pattern: str

    def __post_init__(self):
        import re2
        if not self.pattern.strip():
            raise PatternError("empty regex")
        if r"\b" in self.pattern:
            raise PatternError(r"\b only knows ASCII letters in RE2; write a plain term (which has word boundaries) or use (?:^|\W)")
        source = _rewrite_classes(normalize(self.pattern))
        try:
            with _quiet_stderr():
                self._rx = re2.compile(source)
        except Exception as e:  # re2 raises its own error class
            msg = e.args[0].decode() if e.args and isinstance(e.args[0], bytes) else str(e)
            raise PatternError(f"invalid regex: {msg}") from None

    def find(self, text: MatchText) -> list[tuple[int, int]]:
        return [m.span() for m in self._rx.finditer(text.norm) if m.end() > m.start()]

    def search(self, text: str) -> bool:
        return self._rx.search(text) is not None

    def matches_empty(self) -> bool:
        return self._rx.search("") is not None

    @property
    def canonical(self) -> str:
        return f"re/{self.pattern}/"

    @property
    def fingerprint(self) -> str:
        return self.canonical


@dataclass
class Near(Pattern):
    a: Pattern
    b: Pattern
    within: int

    def find(self, text: MatchText) -> list[tuple[int, int]]:
        hits_b = self.b.find(text)
        out = []
        for sa in self.a.find(text):
            ia = text.word_index(sa[0])
            # B may lie inside A's match ("<msg> * <to_us>" near <iran>), but not be the same hit
            close = [sb for sb in hits_b if sb != sa and abs(text.word_index(sb[0]) - ia) <= self.within]
            if close:
                sb = min(close, key=lambda sb: abs(text.word_index(sb[0]) - ia))
                out.append((min(sa[0], sb[0]), max(sa[1], sb[1])))
        return _drop_nested(out)

    def prepare(self) -> None:
        self.a.prepare()
        self.b.prepare()

    @property
    def canonical(self) -> str:
        return f"NEAR/{self.within}({self.a.canonical}, {self.b.canonical})"

    @property
    def fingerprint(self) -> str:
        return f"near/{self.within}({self.a.fingerprint}, {self.b.fingerprint})"


def matches_everything(p: Pattern) -> bool:
    """True for a pattern that would code every sentence.

    Only a regex can: a term has at least one word that is not a bare glob,
    and proximity or any-of patterns are made of terms and regexes.
    """
    if isinstance(p, Regex):
        return p.matches_empty() or all(p.find(MatchText.of(s)) for s in NEUTRAL_PROBES)
    if isinstance(p, Near):
        return matches_everything(p.a) and matches_everything(p.b)
    if isinstance(p, AnyOf):
        return any(matches_everything(i) for i in p.items)
    return False


def feminine_positions(original: str, index: list[int]) -> frozenset[int]:
    return feminine_in(original, index, 0)


def feminine_in(original: str, index, base: int) -> frozenset[int]:
    """Normalized positions of the ة of ``original`` (``index`` maps them to original + base)."""
    out = []
    at = original.find(TEH_MARBUTA)
    while at >= 0:
        out.append(bisect.bisect_left(index, at + base))  # ة → ه is one character for one
        at = original.find(TEH_MARBUTA, at + 1)
    return frozenset(out)
