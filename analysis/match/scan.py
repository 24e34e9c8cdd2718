"""One pass per article: a literal prefilter for many patterns at once.

Every term match contains certain literal strings (the letters of each word
once the optional proclitics, ال, enclitics and glob parts are set aside:
grammar.word_literal).  ``patterns.requirement`` works out, for any pattern, a
necessary condition over those literals: a conjunction of clauses, each clause
satisfied by any one of its literals.  This module knows literals only, not
patterns (so patterns.py imports it, and not the other way round).  ``Prefilter`` compiles the literals of many patterns into one
Aho–Corasick automaton (pyahocorasick; chosen by measurement, see README
"Performance"), scans each sentence of an article once for all of them, and
says which patterns *may* match in which sentence.
The exact matcher (patterns.py) then runs only there, so the answers are the
same as running every pattern on every sentence; a pattern without literals
(an RE2 ``regex:``, a term made only of globs) is a candidate everywhere.

Latin literals are case-folded, and so is the scanned text: a superset of the
exact matcher's case-insensitive matches, which the exact check then narrows.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from operator import itemgetter

import ahocorasick

from analysis.text.normalize import normalize

Clause = frozenset[str]            # any one of these literals
Conjunction = tuple[Clause, ...]    # all of these clauses
Requirement = tuple[Conjunction, ...]  # any of these conjunctions
ALWAYS: Requirement = ((),)         # the empty conjunction holds everywhere


def best_clause(clauses) -> Clause | None:
    """The most selective clause: longest shortest literal, then fewest alternatives."""
    return min(clauses, key=lambda c: (-min(map(len, c)), len(c)), default=None)


_second = itemgetter(1)  # an automaton hit's value
SHORT = 2  # a literal this short, in no best clause, is looked up where needed rather than scanned for


@dataclass
class Prefilter:
    """Many requirements, one automaton; ``candidates`` answers per sentence."""

    requirements: list[Requirement]

    def __post_init__(self):
        literals = sorted({lit for req in self.requirements for conj in req for clause in conj for lit in clause})
        self.literals = literals
        lit_id = {lit: k for k, lit in enumerate(literals)}
        self.always = [k for k, req in enumerate(self.requirements) if () in req]
        # Only the literals of each alternative's best clause are scanned for.  The other clauses' literals
        # (ل, ب, في: short words, read far more often) are looked up in the sentence, with ``in``, only where
        # a best clause holds: their hits were most of what the scan handed to Python.
        best = {lit for req in self.requirements if () not in req for conj in req for lit in best_clause(conj)}
        scanned = {lit for lit in literals if lit in best or len(lit) > SHORT}
        # each alternative as (requirement, clauses), filed under the literals of its best clause; a clause is
        # (ids of its scanned literals, its other literals); an alternative whose only clause is its best
        # holds wherever the literal occurs (most: a one-word term)
        self._opens: list[list[tuple[int, list[tuple[frozenset[int], tuple[str, ...]]]]]] = [[] for _ in literals]
        direct: list[set[int]] = [set() for _ in literals]
        for k, req in enumerate(self.requirements):
            if () in req:
                continue
            for conj in req:
                clauses = [(frozenset(lit_id[x] for x in c if x in scanned), tuple(sorted(x for x in c if x not in scanned)))
                           for c in conj]
                for lid in lit_ids(best_clause(conj), lit_id):
                    if len(clauses) == 1:
                        direct[lid].add(k)
                    else:
                        self._opens[lid].append((k, clauses))
        self._direct = [frozenset(d) for d in direct]
        self._scanned = sorted(lit_id[x] for x in scanned)
        self._automaton = None
        if scanned:
            a = ahocorasick.Automaton()
            for k in self._scanned:
                a.add_word(literals[k], k)
            a.make_automaton()
            self._automaton = a

    def __getstate__(self):  # the automaton pickles; rebuilding it is as cheap and keeps pickles small
        state = self.__dict__.copy()
        state["_automaton"] = None
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__post_init__()

    def hits(self, texts: list[str]) -> tuple[list[set[int]], list[str]]:
        """Per text, the ids of the scanned literals it contains (one scan of each text), and the
        texts case-folded."""
        folded = [t.casefold() for t in texts]
        if self._automaton is None or not texts:
            return [set() for _ in texts], folded
        # one scan per text: its hits go into a set in C (a joined scan placed each hit with a bisection in Python)
        scan = self._automaton.iter
        return [set(map(_second, scan(t))) for t in folded], folded

    def candidates_folded(self, folded: str) -> tuple[int, ...]:
        """The requirement ids (in order) that may hold in one already case-folded text."""
        if self._automaton is None:
            return tuple(self.always)
        present = set(map(_second, self._automaton.iter(folded)))
        return tuple(self._open(present, folded))

    def _open(self, present: set[int], folded: str) -> list[int]:
        opened = set(self.always)
        direct, opens = self._direct, self._opens
        for lid in present:
            opened |= direct[lid]
        for lid in present:
            for k, clauses in opens[lid]:
                if k not in opened:
                    for ids, others in clauses:  # loops, not all(<generator>): this runs for most sentences
                        if ids.isdisjoint(present):
                            for lit in others:
                                if lit in folded:
                                    break
                            else:
                                break  # no literal of this clause: the alternative does not hold
                    else:
                        opened.add(k)
        return sorted(opened)

    def candidates(self, texts: list[str]) -> list[list[int]]:
        """Per text, the requirement ids (in order) whose literals all occur in it."""
        found, folded = self.hits(texts)
        return [self._open(present, f) for present, f in zip(found, folded)]


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

MANY = 4  # beyond this many literals, one automaton beats a str.find per literal


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


class RankedAnchors:
    """The anchors of an alternation's entries at once, in its order (``rank``): per text, the word
    starts where some entry may match, each with the entries (by rank) that may match there."""

    def __init__(self, per_rank: list[list[tuple[str, int, int]]]):
        by_lit: dict[str, dict[int, tuple[int, int]]] = {}
        for rank, triples in enumerate(per_rank):
            for lit, lo, hi in triples:
                was = by_lit.setdefault(lit, {}).get(rank)
                by_lit[lit][rank] = (lo, hi) if was is None else (min(lo, was[0]), max(hi, was[1]))
        self.entries = {lit: sorted((r, lo, hi) for r, (lo, hi) in ranks.items()) for lit, ranks in by_lit.items()}
        self._automaton = None

    def __getstate__(self):
        return {"entries": self.entries}

    def __setstate__(self, state):
        self.entries, self._automaton = state["entries"], None

    def _compiled(self):
        if self._automaton is None:
            a = ahocorasick.Automaton()
            for lit, entries in self.entries.items():
                spans: dict[tuple[int, int], list[int]] = {}  # the ranks of one literal by their word span
                for rank, lo, hi in entries:
                    spans.setdefault((lo, hi), []).append(rank)
                a.add_word(lit, (len(lit), tuple((lo, hi, tuple(rs)) for (lo, hi), rs in spans.items())))
            a.make_automaton()
            self._automaton = a
        return self._automaton

    def tries(self, text) -> dict[int, tuple[int, ...]] | None:
        """Start position → the ranks that may match there, both in order; None if the text cannot
        be searched this way (case folding changed its length)."""
        folded = text.folded
        if len(folded) != len(text.norm):
            return None
        ws = text.word_starts
        out: dict[int, tuple[int, ...]] = {}
        right = bisect.bisect_right
        merged = False
        for end, (length, spans) in (self._automaton or self._compiled()).iter(folded):
            t = right(ws, end - length + 1)  # word starts at or before the literal
            for lo, hi, ranks in spans:
                if lo == hi:  # one word start (most entries): no slice
                    if 1 <= lo <= t:
                        at = ws[t - lo]
                        got = out.get(at)
                        if got is None:
                            out[at] = ranks
                        else:
                            out[at], merged = got + ranks, True
                    continue
                a, b = t - hi, t - lo + 1  # the word starts lo to hi before the literal's
                if b > t:
                    b = t
                if a < 0:
                    a = 0
                for at in ws[a:b] if b > a else ():
                    got = out.get(at)
                    if got is None:
                        out[at] = ranks
                    else:
                        out[at], merged = got + ranks, True
        if merged:  # some start was reached twice: its ranks in order, once each
            return {at: tuple(sorted(set(out[at]))) for at in sorted(out)}
        return out if len(out) < 2 else {at: out[at] for at in sorted(out)}  # most texts: one start or none
