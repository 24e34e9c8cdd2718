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
enclitic: قاعدتها), an accusative tanween alef after words that take one (جدولاً).  Every other
matcher takes a *profile* of the same inventory (``proclitics()``; ``VERB_OBJECTS``), named below with
the reason it is narrower: the lexicon's verbs and the closed cue words take a conjunction alone, the
lexicon's nouns the article with or without a preposition, the speakers' definite nouns the article.
"""
from __future__ import annotations

import regex

PREPOSITIONS = frozenset("بكل")
ENCLITICS = ("هما", "هم", "هن", "ها", "ه", "كما", "كم", "كن", "ك", "نا", "ني", "ي")
ENCLITIC = "(?:" + "|".join(ENCLITICS) + ")"
# A verb's object pronoun: the enclitics but ي, which a verb writes ني (أبلغني, "told me").
VERB_OBJECTS = tuple(e for e in ENCLITICS if e != "ي")
OBJECT_PRONOUNS = "(?:" + "|".join(VERB_OBJECTS) + ")"
DEFINITE = "ال"
WORD_GAP = r"[\s«»\"'()\-–—]+"
ARABIC = regex.compile(r"\p{Arabic}")


def proclitics(conjunctions: str = "وف", prepositions: str = "بكل", article: str = "optional",
               bare: bool = True, stack: bool = True) -> str:
    """What an Arabic word may carry in front, from the one inventory: a conjunction (و ف), then a
    preposition (ب ك ل; ل + ال is written لل), then the article.  ``article``: "optional", "required" or
    "none"; ``bare``: a preposition may stand without the article (بقرار); ``stack``: a conjunction may
    come before a preposition (وبالقرار).  Each profile below says why it is narrower than a term's."""
    conj = f"[{conjunctions}]?" if conjunctions else ""
    before = "".join(p for p in prepositions if p != "ل")
    if stack:
        forms = [f"[{before}]?{DEFINITE}" if before else DEFINITE] + (["لل"] if "ل" in prepositions else [])
    else:  # one letter before the article: a conjunction or a preposition
        conj, one = "", conjunctions + before
        forms = [f"[{one}]?{DEFINITE}" if one else DEFINITE]
        forms += [f"[{conjunctions}]?لل" if conjunctions else "لل"] if "ل" in prepositions else []
    if article == "required":
        return f"{conj}(?:{'|'.join(forms)})"
    if article == "none":
        return conj + (f"[{prepositions}]?" if bare and prepositions else "")
    alts = forms + ([f"[{prepositions}]"] if bare and prepositions else [])
    return f"{conj}(?:{'|'.join(alts)})?"


# A term's first word: any conjunction, preposition and article.
PROCLITICS = f"(?P<pro>{proclitics()})"
# و / ف written onto the next word, and nothing else: the verbs of the lexicon's lists and the closed cue
# words (particles, function words, coordinators), where a preposition makes another word (لقال, لم → كلم,
# لا → بلا).
CONJUNCTION = proclitics(prepositions="", article="none")
# The lexicon's nouns (lists that take the article): a conjunction, and the article alone or after ب or ل
# (الاعلان, بالاعلان, للاعلان).  Not after ك: "like the official" (كالمسؤول) is a comparison, never a
# speaker's head, a denied announcement or a negated adjective, the roles these lists play.  A bare
# preposition (بإعلان) was never in their profile; adding it would change attributions no gold has
# checked, so it is left for such a check.
LIST_DEFINITE_NOUN = proclitics(prepositions="بل", bare=False)
# A definite cue noun already found (an anaphor «المصدر»): the article is required, after a conjunction and a
# preposition (وبالمصدر).
DEFINITE_NOUN = proclitics(article="required")
# Any word read as a definite noun (a verb's own subject «الزيارة»): one letter at most before the article, since
# a و or ف before كال / بال may be the word's own (وكالة is "agency", not و + ك + ال).
DEFINITE_WORD = proclitics(article="required", stack=False)
# The source noun (مصدر, مصادر), definite or not, after a conjunction, ب or ل (بحسب مصدر, لمصدر) but not
# ك: «كمصدر» is "as a source", a role, not a speaker.
SOURCE_NOUN_PREFIX = proclitics(prepositions="بل")
# "The source" that points back to an earlier anonymous source: definite, no preposition but ل (للمصدر).
DEFINITE_SOURCE_PREFIX = proclitics(prepositions="ل", article="required")
# The complementizer ان after one letter: فإن, بأن, لأن; not و («وإن»: "even if") and not stacked (فلان
# is "so-and-so").
COMPLEMENTIZER_PREFIX = "[بلف]?"
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
