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

import regex

from analysis.io.lazy import cached_property
from analysis.match.grammar import (
    FIRST_WORD_CHAR,
    PREPOSITIONS,
    WORD_GAP,
    arabic_word,
    clitic_runs,
    is_arabic,
    latin_word,
    literal_bounds,
    strip_definite,
    word_literal,
    word_runs,
)
from analysis.match.scan import ALWAYS, Anchors, Clause, Prefilter, RankedAnchors, Requirement, best_clause
from analysis.text.normalize import TEH_MARBUTA, normalize, normalize_with_map

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

    def find_in(self, text: MatchText, found: dict[str, list]) -> list[tuple[int, int]]:
        """``find``, kept in ``found`` by fingerprint, a pattern's parts too: one sentence's matches
        while its frames are coded (frames and NEAR sides share patterns: YAML aliases, sets)."""
        key = self.fingerprint
        got = found.get(key)
        if got is None:
            got = found[key] = self._find_in(text, found)
        return got

    def _find_in(self, text: MatchText, found: dict[str, list]) -> list[tuple[int, int]]:
        return self.find(text)

    def __str__(self) -> str:
        return self.canonical


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
        state.pop("_last", None)
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
            elif is_arabic(w):
                parts.append(arabic_word(w, is_first, is_last))
            else:
                parts.append(latin_word(w, is_last))
        return WORD_GAP.join(parts)

    @cached_property
    def _plan(self):
        return plan(self)

    def prepare(self) -> None:
        _ = self._plan  # the regex itself is compiled where it may match (most never do)

    @cached_property
    def _leaves(self) -> list["Term"] | None:
        """A term that is one set reference, as its set's entries in the alternation's order (nested
        sets flattened): at a word start the regex takes the first entry that matches there, so trying
        only the entries anchored there, in that order, finds the same match far more cheaply than one
        regex of every entry.  None for other terms, or when some entry has no anchors."""
        if len(self.words) != 1 or not _is_ref(self.words[0]):
            return None
        ref = self.sets.get(self.words[0][1:-1])
        leaves = _alternation_leaves(ref) if ref is not None else None
        return leaves if leaves and all(t._plan is not None for t in leaves) else None

    @cached_property
    def _leaf_anchors(self) -> RankedAnchors:
        return RankedAnchors([t._plan.triples for t in self._leaves])

    def _tries(self, text: MatchText) -> dict[int, tuple[int, ...]] | None:
        """The leaves' candidate starts in a text; the last text's are kept (a set's entry is asked
        at several starts of one text).  Rebound whole, never updated in place: Dask runs tasks in threads."""
        last = getattr(self, "_last", None)
        if last is not None and last[0] is text:
            return last[1]
        tries = self._leaf_anchors.tries(text)
        self._last = (text, tries)
        return tries

    def match_at(self, text: MatchText, at: int):
        """``regex.match`` of the term at one position (through its leaves where it has them)."""
        tries = self._tries(text) if self._leaves is not None else None
        if tries is None:
            return self._rx.match(text.norm, at)
        leaves, norm = self._leaves, text.norm
        for r in tries.get(at, ()):
            if m := leaves[r]._rx.match(norm, at):
                return m
        return None

    def _leaf_matches(self, text: MatchText) -> list | None:
        tries = self._tries(text)
        if tries is None:
            return None
        leaves, norm, out, pos = self._leaves, text.norm, [], 0
        for at, ranks in tries.items():
            if at < pos:
                continue
            for r in ranks:
                if m := leaves[r]._rx.match(norm, at):
                    out.append(m)
                    pos = m.end()
                    break
        return out

    def matches(self, text: MatchText) -> list:
        """What ``finditer`` finds, trying the regex only where a match can start (scan.Anchors)."""
        if self._leaves is not None and (found := self._leaf_matches(text)) is not None:
            return found
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
        """Reject an enclitic ه that is really a folded ة (العامة is not عام + ه).  The position is looked
        up first: most texts fold no ة, and a match's groups cost a dict."""
        return not (m.end() - 1 in text.feminine and m.groupdict().get("enc") == "ه")

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
        ranked = self._ranked if self._all_terms else None
        tries = ranked.tries(text) if ranked is not None else None
        if tries is None:
            ks = self._candidates(text)
            found = self._term_matches(text, ks) if ks and self._all_terms else None
        else:  # the anchors' one scan says where items can start: the prefilter's scan is needed only
            # where the fast path fails (a folded ة), as trying an item that cannot match here fails too
            found = _unless_folded(self._tried(text, tries, None), text)
            ks = self._every if tries else ()
            if found is None:
                ks = self._candidates(text)
        self._last = (text, ks, found)
        return ks, found

    def prime(self, text: MatchText, ks: tuple[int, ...]) -> None:
        """``_searched`` for a text whose candidate items are known already (the gazetteer scans a
        sentence once for the entries of all actors' names, instead of once per actor)."""
        found = self._term_matches(text, ks) if ks and self._all_terms else None
        self._last = (text, ks, found)

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
        """The fast path over the items ``ks`` (None: see ``_unless_folded``)."""
        return _unless_folded(self._alternation_matches(text, ks), text)

    def _alternation_matches(self, text: MatchText, ks: tuple[int, ...]) -> list:
        """What the overlapped alternation of the items ``ks`` finds: at each position where
        one can start, the first item (longest first) that matches there."""
        ranked = self._ranked
        if ranked is None:
            return self._matches_item_by_item(text, ks)
        tries = ranked.tries(text)  # start → the items that can match there, as ranks: one scan for all
        if tries is None:
            return self.alternation_everywhere(text, ks)
        return self._tried(text, tries, {self._rank[k] for k in ks})

    def _tried(self, text: MatchText, tries: dict[int, tuple[int, ...]], keep: set[int] | None) -> list:
        """At each start, the first item (by rank; of ``keep`` only, if given) that matches there."""
        items, order, out = self.items, self._order, []
        for at, ranks in tries.items():
            for r in ranks:  # an item that cannot start here would fail here
                if (keep is None or r in keep) and (m := items[order[r]].match_at(text, at)):
                    out.append(m)
                    break
        return out

    @cached_property
    def _every(self) -> tuple[int, ...]:
        return tuple(range(len(self.items)))

    @cached_property
    def _ranked(self) -> RankedAnchors | None:
        """The items' anchors in one automaton, by rank (None if some item has none)."""
        plans = [self.items[k]._plan for k in self._order]
        return RankedAnchors([p.triples for p in plans]) if all(p is not None for p in plans) else None

    def _matches_item_by_item(self, text: MatchText, ks: tuple[int, ...]) -> list:
        """``_alternation_matches`` for a set some of whose items have no anchors."""
        rank = self._rank
        tries: dict[int, list[int]] = {}  # start → the items that can match there, as ranks
        for k in ks:
            item = self.items[k]
            got = item._plan.starts(text) if item._plan is not None else None
            if got is None:
                return self.alternation_everywhere(text, ks)
            for at in got:
                tries.setdefault(at, []).append(rank[k])
        out, order = [], self._order
        for at in sorted(tries):
            for r in sorted(tries[at]):  # an item that cannot start here would fail here
                if m := self.items[order[r]].match_at(text, at):
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

    @cached_property  # spelled out once: a set's spelling is long, and frames ask it per sentence
    def fingerprint(self) -> str:
        return "any(" + "|".join(p.fingerprint for p in self.items) + ")"


def _alternation_leaves(p) -> list[Term]:
    """The terms of a set's alternation, in its order (``AnyOf.fragment``), sets and terms that are one
    set reference flattened into their own entries."""
    if isinstance(p, AnyOf):
        return [t for item in sorted(p.items, key=lambda i: -len(i.canonical)) for t in _alternation_leaves(item)]
    if isinstance(p, Term) and len(p.words) == 1 and _is_ref(p.words[0]) and (ref := p.sets.get(p.words[0][1:-1])):
        return _alternation_leaves(ref)
    return [p]


def _unless_folded(found: list, text: MatchText) -> list | None:
    """The fast path's matches, or None when one took a folded ة for an enclitic: the alternation then
    never tried the other items at that start, so each item must be searched on its own."""
    return None if any(not Term._keeps(m, text) for m in found) else found


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
        hits_a = self.a.find(text)  # without a hit of A, B need not be searched
        return self._near(hits_a, self.b.find(text), text) if hits_a else []

    def _find_in(self, text: MatchText, found: dict[str, list]) -> list[tuple[int, int]]:
        hits_a = self.a.find_in(text, found)
        return self._near(hits_a, self.b.find_in(text, found), text) if hits_a else []

    def _near(self, hits_a: list, hits_b: list, text: MatchText) -> list[tuple[int, int]]:
        out = []
        for sa in hits_a:
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

    @cached_property
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


# --- What the prefilter and the anchors need of a pattern (match/scan.py compiles them) -------

MAX_ALTERNATIVES = 64               # beyond this, NEAR keeps one side's alternatives only


def requirement(p: Pattern) -> Requirement:
    """A necessary condition for ``p`` to match a text, over literals that must occur in it."""
    if isinstance(p, Term):
        clauses = []
        n = len(p.words)
        for i, w in enumerate(p.words):
            if w.startswith("<") and w.endswith(">"):
                ref = p.sets.get(w[1:-1])
                clause = _any_clause(ref.items) if ref is not None else None
            else:
                lit = word_literal(w, i == n - 1)
                clause = frozenset([lit]) if lit else None
            if clause:
                clauses.append(clause)
        return (tuple(dict.fromkeys(clauses)),)
    if isinstance(p, Near):
        a, b = requirement(p.a), requirement(p.b)
        if len(a) * len(b) > MAX_ALTERNATIVES:
            return min(a, b, key=len)
        return tuple(dict.fromkeys(tuple(dict.fromkeys(ca + cb)) for ca in a for cb in b))
    if isinstance(p, AnyOf):
        alts = [conj for item in p.items for conj in requirement(item)]
        return ALWAYS if not alts or () in alts else tuple(dict.fromkeys(alts))
    return ALWAYS  # Regex and anything else: run it everywhere


def _any_clause(items: list[Pattern]) -> Clause | None:
    """One clause that any match of any item satisfies (None if some item has no literal)."""
    out: set[str] = set()
    for item in items:
        for conj in requirement(item):
            best = best_clause(conj)
            if best is None:
                return None
            out |= best
    return frozenset(out) if out else None


def _is_ref(word: str) -> bool:
    return word.startswith("<") and word.endswith(">")


def _tokens(p, first: bool) -> tuple[int, int] | None:
    """(fewest, most) runs of word characters a match of a whole term (or set) holds; a gap
    between words ends a run and starts none."""
    if isinstance(p, AnyOf):
        got = [_tokens(i, first) for i in p.items]
        return None if not got or None in got else (min(g[0] for g in got), max(g[1] for g in got))
    if not isinstance(p, Term):
        return None
    lo = hi = 0
    for i, w in enumerate(p.words):
        got = _word_tokens(p, w, first and i == 0)
        if got is None:
            return None
        lo, hi = lo + got[0], hi + got[1]
    return lo, hi


def _word_tokens(p: Term, w: str, first: bool) -> tuple[int, int] | None:
    if _is_ref(w):
        ref = p.sets.get(w[1:-1])
        return _tokens(ref, first) if ref is not None else None
    lo, hi = word_runs(w)
    return lo, hi + clitic_runs(w, first)


def starts_at_word(p) -> bool:
    """Whether every match begins with a word character (so at a word start)."""
    if isinstance(p, AnyOf):
        return bool(p.items) and all(starts_at_word(i) for i in p.items)
    if not isinstance(p, Term):
        return False
    w = p.words[0]
    if _is_ref(w):
        ref = p.sets.get(w[1:-1])
        return ref is not None and starts_at_word(ref)
    w = strip_definite(w)
    return w == "*" or bool(FIRST_WORD_CHAR.match(w))


def anchors(p, first: bool = True) -> list[tuple[str, int, int]] | None:
    """(literal, lo, hi) triples: every match contains one of the literals, with lo to hi word
    starts from its own start to the literal (both counted).  None if no word offers one."""
    if isinstance(p, AnyOf):
        out = []
        for item in p.items:
            got = anchors(item, first)
            if not got:
                return None
            out += got
        return out or None
    if not isinstance(p, Term):
        return None
    options = []
    lo = hi = 0  # runs before word i
    n = len(p.words)
    for i, w in enumerate(p.words):
        is_first = first and i == 0
        if _is_ref(w):
            ref = p.sets.get(w[1:-1])
            got = anchors(ref, is_first) if ref is not None else None
            if got:
                options.append((1, -min(len(x) for x, _, _ in got), [(x, lo + a, hi + b) for x, a, b in got]))
        else:
            lit = word_literal(w, i == n - 1)
            if lit:
                parts = strip_definite(w).split("*")
                k = max(range(len(parts)), key=lambda j: len(parts[j]))  # what _longest_part keeps
                extra = int(is_arabic(w) and not is_first and not FIRST_WORD_CHAR.match(w))  # an ال of its own
                a, b = literal_bounds("*".join(parts[:k]), lit, extra)
                options.append((0, -len(lit), [(lit, lo + a, hi + b)]))
        got = _word_tokens(p, w, is_first)
        if got is None:
            break  # later words' distances are unknown
        lo, hi = lo + got[0], hi + got[1]
    if not options:
        return None
    return min(options, key=lambda o: (o[0], o[1]))[2]


def plan(p) -> Anchors | None:
    """How to search a term: by its anchors, or (None) everywhere."""
    if not starts_at_word(p):
        return None
    pairs = anchors(p)
    return Anchors(pairs) if pairs else None
