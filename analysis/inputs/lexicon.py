"""The grammar words of stance and attribution, from data/lexicon.yaml.

Each list compiles, per language, to one regex over normalized text, so that a
sentence is scanned once per list whatever its length.  Arabic entries take
و/ف in front; verbs also take an object pronoun (أبلغه) but never ال, so that
التابع (affiliated) is not the verb تابع and ذكرى (anniversary) is not ذكر.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

from analysis.io.errors import InputError, Problems
from analysis.io.yamlio import line_of, load_yaml
from analysis.match.grammar import (
    CONJUNCTION,
    FIRST_WORD_CHAR,
    LIST_DEFINITE_NOUN,
    OBJECT_PRONOUNS,
    is_arabic,
    list_word,
    literal_bounds,
    word_runs,
)
from analysis.match.patterns import MatchText
from analysis.match.scan import RankedAnchors
from analysis.text.normalize import normalize

LEXICON = "lexicon.yaml"
SHIPPED = Path(__file__).resolve().parents[1] / "defaults" / LEXICON  # package data (a link to data/ in the checkout)
LANGS = ("ar", "en")
# list name → (Arabic words may carry ال, verbs may carry an object pronoun, Latin case-sensitive)
LISTS = {
    "negation_affirms": (True, False, False),
    "negation_auxiliaries": (False, False, False),
    "negated_adjectives": (True, False, False),
    "denial_verbs": (False, False, False),  # «رفضه» (his refusal) is a noun
    "reporting_verbs": (False, True, False),
    "participles": (False, False, False),
    "passive_verbs": (False, False, False),
    "noun_like_verbs": (False, False, False),
    "object_first_verbs": (False, False, False),
    "unlisted_heads": (True, False, False),
    "titles": (False, False, True),
    "negation_not_denial": (False, False, False),
    "media_heads": (True, False, False),
}
# Lists added after studies had written their own lexicon.yaml: absent means empty.
OPTIONAL = frozenset({"negation_not_denial", "media_heads"})
GAP = "..."           # an entry's "…" (NFKC: "...") stands for up to GAP_WORDS words: «لا … كل يوم»
GAP_WORDS = 5


def entry_anchor(entry: str) -> tuple[str, int, int] | None:
    """(literal, lo, hi) for one entry (see match/scan.py, Anchors): its longest plain piece, and
    how many word starts a match has up to it.  None if a match may not begin at a word start."""
    if not FIRST_WORD_CHAR.match(entry):
        return None
    best = None
    lo = hi = 0  # runs of the words before
    for word in entry.split():
        parts = word.split("*")
        k = max(range(len(parts)), key=lambda j: len(parts[j]))
        lit = parts[k].casefold()
        if lit and (best is None or len(lit) > len(best[0])):
            a, b = literal_bounds("*".join(parts[:k]), lit)
            best = (lit, lo + a, hi + b)
        w_lo, w_hi = word_runs(word, lone_glob_is_a_word=False)  # a lone * is \w* here
        lo, hi = lo + w_lo, hi + w_hi
    return best


class WordList:
    """One list of one language, compiled: the alternation of its entries (longest first) as one regex,
    and where each entry may start (``RankedAnchors``; None when some entry has no anchor).  At a start
    the alternation takes the first entry that matches there; so only the entries anchored there are
    tried, in its order, each with its own regex (compiled on first use): the same match, from small
    regexes, where the alternation's regex tried every entry at every start."""

    def __init__(self, alts: list[str], ranked: RankedAnchors | None):
        self.alts, self.ranked = alts, ranked
        self.rx = regex.compile(_whole("|".join(alts)))
        self._entries: list = [None] * len(alts)

    def __getstate__(self):
        return {"alts": self.alts, "ranked": self.ranked}

    def __setstate__(self, state):
        self.__init__(state["alts"], state["ranked"])

    def entry(self, rank: int):
        rx = self._entries[rank]
        if rx is None:
            rx = self._entries[rank] = regex.compile(_whole(self.alts[rank]))
        return rx


def _whole(alternatives: str) -> str:
    return r"(?<!\w)(?:" + alternatives + r")(?!\w)"


def compile_list(words: list[str], definite: bool, pronoun: bool, case_sensitive: bool) -> WordList | None:
    """A list's regex, and its entries' anchors (None: search everywhere)."""
    alts, pairs = [], []
    for entry in sorted({normalize(str(w)).strip() for w in words if str(w).strip()}, key=len, reverse=True):
        parts = entry.split()
        pairs.append(entry_anchor(entry) if GAP not in parts else None)  # a gap has no fixed word count
        body = _body(parts)
        if is_arabic(entry):
            pro = LIST_DEFINITE_NOUN if definite else CONJUNCTION
            enc = f"{OBJECT_PRONOUNS}?" if pronoun and not parts[-1].endswith("ت") else ""
            alts.append(f"{pro}{body}{enc}")
        else:
            alts.append(body if case_sensitive or (entry.isupper() and len(entry) > 1) else f"(?i:{body})")
    if not alts:
        return None
    return WordList(alts, None if None in pairs else RankedAnchors([[p] for p in pairs]))


def _body(parts: list[str]) -> str:
    """The words of an entry, space-separated; a "…" between them lets up to GAP_WORDS words in."""
    out, gap = "", False
    for p in parts:
        if p == GAP:
            gap = True
            continue
        if out:
            out += rf"\s+(?:\S+\s+){{0,{GAP_WORDS}}}?" if gap else r"\s+"
        out, gap = out + list_word(p), False
    return out


@dataclass(frozen=True)
class Lexicon:
    path: str
    lists: dict  # (name, language) → WordList or None

    def find(self, name: str, language: str, text: str | MatchText, lo: int = 0,
             hi: int | None = None) -> list[tuple[int, int]]:
        """Spans of the list's entries in a normalized text (a MatchText, when the caller has one, saves
        finding its words again)."""
        compiled = self.lists.get((name, language))
        if compiled is None:
            return []
        words = text if isinstance(text, MatchText) else None
        text = words.norm if words is not None else text
        hi = len(text) if hi is None else hi
        tries = compiled.ranked.tries(words or _words_of(text)) if compiled.ranked is not None else None
        if tries is None:
            return [m.span() for m in compiled.rx.finditer(text, lo, hi)]
        out, pos = [], lo  # what finditer finds, trying only the entries that can start at each start
        for at, ranks in tries.items():
            if at >= hi:
                break
            if at < pos:
                continue
            for r in ranks:
                if m := compiled.entry(r).match(text, at, hi):
                    out.append(m.span())
                    pos = m.end()
                    break
        return out

    def find_everywhere(self, name: str, language: str, text: str) -> list[tuple[int, int]]:
        """The straightforward search, for tests."""
        compiled = self.lists.get((name, language))
        return [m.span() for m in compiled.rx.finditer(text)] if compiled else []

    def match_at(self, name: str, language: str, text: str, pos: int) -> tuple[int, int] | None:
        """The entry that starts exactly at ``pos``, if any."""
        compiled = self.lists.get((name, language))
        m = compiled.rx.match(text, pos) if compiled is not None else None
        return m.span() if m else None


_LAST: tuple = ("", MatchText(""))


def forget_last() -> None:
    global _LAST
    _LAST = ("", MatchText(""))


def _words_of(text: str) -> MatchText:
    """The sentence as the anchors read it.  The lists are searched one after another in the
    same sentence, so the last one is kept (rebound whole: Dask runs tasks in threads)."""
    global _LAST
    last = _LAST
    if last[0] is text or last[0] == text:
        return last[1]
    mt = MatchText(text)
    _LAST = (text, mt)
    return mt


def load_lexicon(path: Path, problems: Problems | None = None) -> Lexicon:
    own = problems is None
    problems = problems if problems is not None else Problems()
    doc = load_yaml(path)
    lists = {}
    if not isinstance(doc, dict):
        problems.add(path, line_of(doc) or 1, "expected a mapping of word lists", "see the comments in the shipped data/lexicon.yaml")
        doc = {}
    for key in doc:
        if key not in LISTS:
            problems.add(path, line_of(doc, key), f"unknown list '{key}'", f"use one of {', '.join(LISTS)}")
    for name, flags in LISTS.items():
        node = doc.get(name)
        if node is None and name in OPTIONAL:
            continue
        if node is None:
            problems.add(path, 1, f"no '{name}' list", f"add '{name}:' with 'ar:' and 'en:' lists (see the shipped file)")
            continue
        for lang in LANGS:
            words = node.get(lang) if isinstance(node, dict) else None
            if not isinstance(words, list):
                problems.add(path, line_of(node, lang if isinstance(node, dict) else None) or line_of(node),
                             f"'{name}' has no '{lang}:' list", f"add '{lang}: [...]' under '{name}:' (it may be empty)")
                continue
            lists[(name, lang)] = compile_list(words, *flags)
    if own and problems.errors:
        raise InputError(problems.items)
    return Lexicon(str(path), lists)


@cache
def shipped() -> Lexicon:
    return load_lexicon(SHIPPED)


def for_data(data_dir: Path, problems: Problems | None = None) -> Lexicon:
    """The corpus folder's own lexicon.yaml if it has one, else the shipped one."""
    path = Path(data_dir) / LEXICON
    if path.exists() and path.resolve() != SHIPPED.resolve():
        return load_lexicon(path, problems)
    return shipped()
