"""The word-level grammar of the matcher, written once: Arabic clitics and the definite article,
Latin case, globbing, and what each spelling implies for the literal prefilter and the anchors.

Patterns run on *normalized* text (text/normalize.py: tatweel and diacritics are gone, alef, yeh and
teh marbuta folded), so the tolerance for those lives there; what lives here is which letters a word
may carry around it and how a pattern word becomes

- a regex fragment (``arabic_word``, ``latin_word``: patterns.Term joins them with ``WORD_GAP``);
- the literal every match of it contains (``word_literal``: the prefilter's and the anchors' key);
- how many runs of word characters a match of it holds (``word_runs``, ``clitic_runs``,
  ``literal_bounds``: the anchors' distances, match/scan.py).

Arabic, on a term's words: proclitics و ف ب ك ل لل ال on the first word, an optional ال on later
words, enclitics (``ENCLITICS``) on the last word (a final ة, normalized to ه, becomes ت before an
enclitic: قاعدتها), an accusative tanween alef after words that take one (جدولاً).  The lexicon's word
lists (inputs/lexicon.py) take narrower profiles, named here too: ``LIST_PROCLITICS``,
``LIST_DEFINITE`` and ``OBJECT_PRONOUNS``; the closed cue words of coding/speakers.py and
coding/stance.py (particles, function words, coordinators) take ``CONJUNCTION`` alone: a preposition
would make another word of them (لم → كلم, لا → بلا).
"""
from __future__ import annotations

import regex

PROCLITICS = r"(?P<pro>[وف]?(?:[بك]?ال|لل|[بكل])?)"
PREPOSITIONS = frozenset("بكل")
ENCLITICS = ("هما", "هم", "هن", "ها", "ه", "كما", "كم", "كن", "ك", "نا", "ني", "ي")
ENCLITIC = "(?:" + "|".join(ENCLITICS) + ")"
DEFINITE = "ال"
WORD_GAP = r"[\s«»\"'()\-–—]+"
ARABIC = regex.compile(r"\p{Arabic}")
# The lexicon's lists (inputs/lexicon.py) take narrower profiles than a term: a conjunction in front
# (never a preposition alone: «لقال» is no verb), ال, بال or لل where a list allows it (not كال), and on
# verbs an object pronoun from a shorter list than ENCLITICS (no ني, كن or ي: «أبلغني» is not read).
# They are kept as they were; where they differ from a term's is listed here so that it is seen.
CONJUNCTION = "[وف]?"  # و / ف written onto the next word, and nothing else: the lists' and the cues' proclitic
LIST_PROCLITICS = CONJUNCTION
# A cue noun read as definite (speakers: "the source", an anaphor) carries ال, or ل + ال written لل.
# Where the cues still differ from each other, named so that it is seen: speakers.DEFINITE allows any
# proclitic letter before it ([وفبلك]), SOURCE_NOUN no ك ([وفبل]), DEFINITE_SOURCE only و/ف and also a
# bare ل ((?:ال|ل?ل)); CONTENT_START's ان takes ب/ل/ف, not و.
CUE_DEFINITE = f"(?:{DEFINITE}|لل)"
LIST_DEFINITE = "(?:ال|بال|لل)?"
OBJECT_PRONOUNS = "(?:هما|هم|هن|ها|ه|كما|كم|ك|نا)"
NONWORD = regex.compile(r"[^\w*]")  # "*" is a glob, not a character of the text
RUNS = regex.compile(r"[\w*]+")
FIRST_WORD_CHAR = regex.compile(r"^\**\w")


def is_arabic(word: str) -> bool:
    return bool(ARABIC.search(word))


def glob(word: str) -> str:
    if word == "*":
        return r"\w+"  # a lone * stands for exactly one word: "<msg> * <to_us>"
    return r"\w*".join(regex.escape(part) for part in word.split("*"))


# Words that can carry the accusative tanween alef (جدولاً زمنياً → جدولا زمنيا).
_NO_ACCUSATIVE_ALEF = tuple("اوهء")  # nisba ي does take it: زمنياً


def strip_definite(word: str) -> str:
    """An Arabic word without its written ال (a clitic the pattern makes optional), if enough remains."""
    if is_arabic(word) and word.startswith(DEFINITE) and len(word) - 2 >= 3 and "*" not in word[:3]:
        return word[2:]
    return word


def arabic_word(word: str, first: bool, last: bool) -> str:
    word = strip_definite(word)
    prefix = PROCLITICS if first else f"(?:{DEFINITE})?"
    if word.endswith("*"):
        return prefix + glob(word)
    if last and word.endswith("ه") and len(word) > 2:
        return prefix + glob(word[:-1]) + f"(?:ه|ت{ENCLITIC})"
    alef = "" if word.endswith(_NO_ACCUSATIVE_ALEF) or word == "*" else "ا?"
    return prefix + glob(word) + alef + (f"(?P<enc>{ENCLITIC[3:]}?" if last else "")


def latin_word(word: str, last: bool) -> str:
    core = glob(word)
    if not (word.isupper() and len(word) > 1):
        core = f"(?i:{core})"
    return core + ("(?:'s)?" if last and not word.endswith("*") else "")


def longest_part(word: str) -> str:
    return max(word.split("*"), key=len)


def word_literal(word: str, last: bool) -> str:
    """The literal every match of one term word contains ("" if none), mirroring arabic_word."""
    if is_arabic(word):
        word = strip_definite(word)
        if not word.endswith("*") and last and word.endswith("ه") and len(word) > 2:
            word = word[:-1]
    return longest_part(word).casefold()


def nonword(s: str) -> int:
    return len(NONWORD.findall(s))


def word_runs(word: str, lone_glob_is_a_word: bool = True) -> tuple[int, int]:
    """(fewest, most) runs of word characters a match of one plain word holds: its pieces
    between non-word characters; a piece of globs alone may match nothing, except a lone
    "*" word in a term (a whole word, \\w+)."""
    runs = RUNS.findall(word)
    if word == "*":
        return (1, 1) if lone_glob_is_a_word else (0, 1)
    return sum(1 for r in runs if set(r) != {"*"}), len(runs)


def clitic_runs(word: str, first: bool) -> int:
    """Runs an Arabic word's optional clitics can add: ال before a leading non-word character
    (not the first word, whose clitics must touch a word character), an enclitic or alef after
    a trailing one."""
    if not is_arabic(word):
        return 0
    return int(not first and not FIRST_WORD_CHAR.match(word)) + int(bool(NONWORD.match(word[-1:])))


def literal_bounds(before: str, literal: str, extra: int = 0) -> tuple[int, int]:
    """(fewest, most) word starts from a word's start up to its literal, both counted, given
    what the word holds before the literal.  Each word start after the first needs a
    non-word character before it; a literal that begins with a word character has its own."""
    starts_with_word = bool(literal) and bool(regex.match(r"\w", literal[0]))
    return int(starts_with_word), nonword(before) + 1 + extra


def list_word(word: str) -> str:
    """A lexicon entry's word: ``*`` is any further letters, a lone ``*`` any word or none."""
    return r"\w*".join(regex.escape(p) for p in word.split("*"))


# The proclitics a term makes optional where they cannot be part of the word: those before a written ال
# (والحكومة, بالاتفاق, للحكومة).  A bare و/ف/ب/ل may be the word's own first letter (وزير, فرض), so it stays.
_FOLDED_PROCLITICS = regex.compile(f"^[وف]?(?:[بك]?{DEFINITE}|لل)")


def fold_word(word: str) -> str:
    """A normalized word as the codebook's terms see it: Arabic without و/ف + ال / بال / لل (if three letters
    remain), Latin casefolded without 's; the token of keyness counts (results/keyness.py)."""
    if not is_arabic(word):
        w = word.casefold()
        return w[:-2] if w.endswith("'s") and len(w) > 2 else w
    m = _FOLDED_PROCLITICS.match(word)
    return word[m.end():] if m and len(word) - m.end() >= 3 else word
