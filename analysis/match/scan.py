"""One pass per article: a literal prefilter for many patterns at once.

Every term match contains certain literal strings (the letters of each word
once the optional proclitics, ال, enclitics and glob parts are set aside).
``requirement`` works out, for any pattern, a necessary condition over those
literals: a conjunction of clauses, each clause satisfied by any one of its
literals.  ``Prefilter`` compiles the literals of many patterns into one
Aho–Corasick automaton (pyahocorasick; chosen by measurement, see README
"Performance"), scans all sentences of an article in one pass, bisects the
hits into sentences, and says which patterns *may* match in which sentence.
The exact matcher (patterns.py) then runs only there, so the answers are the
same as running every pattern on every sentence; a pattern without literals
(an RE2 ``regex:``, a term made only of globs) is a candidate everywhere.

Latin literals are case-folded, and so is the scanned text: a superset of the
exact matcher's case-insensitive matches, which the exact check then narrows.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

import ahocorasick
import regex

from analysis.match.patterns import AnyOf, Near, Pattern, Term, _is_arabic, strip_definite
from analysis.text.normalize import normalize

Clause = frozenset[str]            # any one of these literals
Conjunction = tuple[Clause, ...]    # all of these clauses
Requirement = tuple[Conjunction, ...]  # any of these conjunctions
ALWAYS: Requirement = ((),)         # the empty conjunction holds everywhere
MAX_ALTERNATIVES = 64               # beyond this, NEAR keeps one side's alternatives only


def _longest_part(word: str) -> str:
    return max(word.split("*"), key=len)


def _word_literal(word: str, last: bool) -> str:
    """The literal every match of one term word contains ("" if none), mirroring patterns._arabic_word."""
    if _is_arabic(word):
        word = strip_definite(word)
        if not word.endswith("*") and last and word.endswith("ه") and len(word) > 2:
            word = word[:-1]
    return _longest_part(word).casefold()


def _best(clauses) -> Clause | None:
    """The most selective clause: longest shortest literal, then fewest alternatives."""
    return min(clauses, key=lambda c: (-min(map(len, c)), len(c)), default=None)


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
                lit = _word_literal(w, i == n - 1)
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
            best = _best(conj)
            if best is None:
                return None
            out |= best
    return frozenset(out) if out else None


@dataclass
class Prefilter:
    """Many requirements, one automaton; ``candidates`` answers per sentence."""

    requirements: list[Requirement]

    def __post_init__(self):
        literals = sorted({lit for req in self.requirements for conj in req for clause in conj for lit in clause})
        self.literals = literals
        lit_id = {lit: k for k, lit in enumerate(literals)}
        self.always = [k for k, req in enumerate(self.requirements) if () in req]
        # each alternative as (requirement, clauses of literal ids), filed under the literals of its best clause
        self._opens: list[list[tuple[int, list[frozenset[int]]]]] = [[] for _ in literals]
        for k, req in enumerate(self.requirements):
            if () in req:
                continue
            for conj in req:
                clauses = [frozenset(lit_id[x] for x in c) for c in conj]
                for lid in lit_ids(_best(conj), lit_id):
                    self._opens[lid].append((k, clauses))
        self._automaton = None
        if literals:
            a = ahocorasick.Automaton()
            for k, lit in enumerate(literals):
                a.add_word(lit, k)
            a.make_automaton()
            self._automaton = a

    def __getstate__(self):  # the automaton pickles; rebuilding it is as cheap and keeps pickles small
        state = self.__dict__.copy()
        state["_automaton"] = None
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__post_init__()

    def hits(self, texts: list[str]) -> list[set[int]]:
        """Per text, the ids of the literals it contains (one scan over all texts)."""
        found: list[set[int]] = [set() for _ in texts]
        if self._automaton is None or not texts:
            return found
        folded = [t.casefold() for t in texts]
        starts, pos = [], 0
        for t in folded:
            starts.append(pos)
            pos += len(t) + 1
        joined = "\n".join(folded)
        right = bisect.bisect_right
        for end, lid in self._automaton.iter(joined):
            found[right(starts, end) - 1].add(lid)
        return found

    def candidates_folded(self, folded: str) -> tuple[int, ...]:
        """The requirement ids (in order) that may hold in one already case-folded text."""
        if self._automaton is None:
            return tuple(self.always)
        present = {lid for _, lid in self._automaton.iter(folded)}
        return tuple(self._open(present))

    def _open(self, present: set[int]) -> list[int]:
        opened = set(self.always)
        for lid in present:
            for k, clauses in self._opens[lid]:
                if k not in opened and all(c & present for c in clauses):
                    opened.add(k)
        return sorted(opened)

    def candidates(self, texts: list[str]) -> list[list[int]]:
        """Per text, the requirement ids (in order) whose literals all occur in it."""
        return [self._open(present) for present in self.hits(texts)]


def lit_ids(clause: Clause, lit_id: dict[str, int]) -> list[int]:
    return [lit_id[x] for x in clause]


def literal_of(text: str) -> str:
    """A codebook word as the scanner sees it (normalized, case-folded): for tests and explain."""
    return normalize(text).casefold()


# --- Anchors: where a term's matches can start --------------------------------
#
# A term's regex is tried at every position of a sentence, which costs far more
# than finding one literal.  Every match starts at a word start (the term begins
# with a word character and ``(?<!\w)``) and contains, in one chosen word, that
# word's literal.  Counting the runs of word characters a match holds before the
# literal (each term word holds as many runs as it has pieces between non-word
# characters; a gap between words only ends a run) bounds how many word starts
# lie between the match's start and the literal's word: from ``lo`` to ``hi``,
# both counted.  So the regex is tried only at those word starts, left to right,
# which finds what ``finditer`` finds; for plain words lo == hi, one try per literal.

NONWORD = regex.compile(r"[^\w*]")  # "*" is a glob, not a character of the text
RUNS = regex.compile(r"[\w*]+")
FIRST_WORD_CHAR = regex.compile(r"^\**\w")
MANY = 4  # beyond this many literals, one automaton beats a str.find per literal


def _nonword(s: str) -> int:
    return len(NONWORD.findall(s))


def _is_ref(word: str) -> bool:
    return word.startswith("<") and word.endswith(">")


def word_runs(word: str, lone_glob_is_a_word: bool = True) -> tuple[int, int]:
    """(fewest, most) runs of word characters a match of one plain word holds: its pieces
    between non-word characters; a piece of globs alone may match nothing, except a lone
    "*" word in a term (a whole word, \\w+)."""
    runs = RUNS.findall(word)
    if word == "*":
        return (1, 1) if lone_glob_is_a_word else (0, 1)
    return sum(1 for r in runs if set(r) != {"*"}), len(runs)


def _clitic_runs(word: str, first: bool) -> int:
    """Runs an Arabic word's optional clitics can add: ال before a leading non-word character
    (not the first word, whose clitics must touch a word character), an enclitic or alef after
    a trailing one."""
    if not _is_arabic(word):
        return 0
    return int(not first and not FIRST_WORD_CHAR.match(word)) + int(bool(NONWORD.match(word[-1:])))


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
    return lo, hi + _clitic_runs(w, first)


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


def literal_bounds(before: str, literal: str, extra: int = 0) -> tuple[int, int]:
    """(fewest, most) word starts from a word's start up to its literal, both counted, given
    what the word holds before the literal.  Each word start after the first needs a
    non-word character before it; a literal that begins with a word character has its own."""
    starts_with_word = bool(literal) and bool(regex.match(r"\w", literal[0]))
    return int(starts_with_word), _nonword(before) + 1 + extra


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
            lit = _word_literal(w, i == n - 1)
            if lit:
                parts = strip_definite(w).split("*")
                k = max(range(len(parts)), key=lambda j: len(parts[j]))  # what _longest_part keeps
                extra = int(_is_arabic(w) and not is_first and not FIRST_WORD_CHAR.match(w))  # an ال of its own
                a, b = literal_bounds("*".join(parts[:k]), lit, extra)
                options.append((0, -len(lit), [(lit, lo + a, hi + b)]))
        got = _word_tokens(p, w, is_first)
        if got is None:
            break  # later words' distances are unknown
        lo, hi = lo + got[0], hi + got[1]
    if not options:
        return None
    return min(options, key=lambda o: (o[0], o[1]))[2]


class Anchors:
    """A term's anchors, compiled: the word starts where its regex may match in a text."""

    def __init__(self, triples: list[tuple[str, int, int]]):
        best: dict[str, tuple[int, int]] = {}
        for lit, lo, hi in triples:
            was = best.get(lit)
            best[lit] = (lo, hi) if was is None else (min(lo, was[0]), max(hi, was[1]))
        self.triples = sorted((lit, lo, hi) for lit, (lo, hi) in best.items())
        self._automaton = None

    def __getstate__(self):
        return {"triples": self.triples}

    def __setstate__(self, state):
        self.triples, self._automaton = state["triples"], None

    def _occurrences(self, folded: str):
        if len(self.triples) <= MANY:
            for lit, lo, hi in self.triples:
                at = folded.find(lit)
                while at >= 0:
                    yield at, lo, hi
                    at = folded.find(lit, at + 1)
            return
        if self._automaton is None:
            a = ahocorasick.Automaton()
            for lit, lo, hi in self.triples:
                a.add_word(lit, (len(lit), lo, hi))
            a.make_automaton()
            self._automaton = a
        for end, (length, lo, hi) in self._automaton.iter(folded):
            yield end - length + 1, lo, hi

    def starts(self, text) -> list[int] | None:
        """Sorted candidate start positions in a MatchText; None if the text cannot be
        searched this way (case folding changed its length)."""
        folded = text.folded
        if len(folded) != len(text.norm):
            return None
        ws = text.word_starts
        out: set[int] = set()
        right = bisect.bisect_right
        for at, lo, hi in self._occurrences(folded):
            t = right(ws, at)  # word starts at or before the literal
            out.update(ws[max(0, t - hi):max(0, min(t, t - lo + 1))])
        return sorted(out)


def plan(p) -> Anchors | None:
    """How to search a term: by its anchors, or (None) everywhere."""
    if not starts_at_word(p):
        return None
    pairs = anchors(p)
    return Anchors(pairs) if pairs else None
