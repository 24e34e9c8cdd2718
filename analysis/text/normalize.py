"""Arabic (and Latin) normalization for matching, never for display.

A chain of small pure ``str -> str`` rules, applied in this order:

1. ``fold_compatibility``   NFKC: presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF),
                            ligatures such as ﻻ, full-width Latin.
2. ``fold_invisible``      format characters that web text carries inside words are dropped
                            (soft hyphen, ZWNJ, ZWJ, LRM, RLM, ALM, word joiner, BOM, bidi
                            controls, …); ZWSP U+200B, a word break, becomes a space; the
                            hyphens U+2010 and U+2011 (non-breaking) become "-".
3. ``remove_diacritics``    tashkeel U+064B–U+0652, dagger alef U+0670, combining
                            madda/hamza U+0653–U+0655, Quranic marks U+0610–U+061A.
4. ``remove_tatweel``       U+0640.
5. ``fold_alef``            أ إ آ ٱ (U+0623 U+0625 U+0622 U+0671) → ا.
6. ``fold_yeh``             ى U+0649 and Persian ی U+06CC → ي U+064A.
7. ``fold_teh_marbuta``     ة U+0629 → ه U+0647; Persian/Kurdish heh ە ھ → ه.
8. ``fold_kaf``             Persian ک U+06A9 and swash ڪ U+06AA → ك U+0643.
9. ``fold_digits``          Arabic-Indic U+0660–U+0669 and Persian U+06F0–U+06F9 → 0–9.
10. ``fold_quotes``          curly quotes and apostrophes to ASCII.

Case is not folded here: matching is case-insensitive for Latin words except
all-capital acronyms (US, UN), which would otherwise collide with "us", "un".

Order matters once: NFKC runs first because it turns presentation forms into the
base letters that the later rules fold.  Every rule works character by character,
so ``normalize_with_map`` can keep, for each output character, the index of the
original character it came from.  Codebook terms go through the same chain.
A dropped character inside a word lies inside the original span of a match
over that word, so ``original[start:end]`` shows the word as written.
"""
from __future__ import annotations

import unicodedata
from array import array
from functools import lru_cache
from itertools import compress

import numpy as np

TATWEEL = "\u0640"
ALEF = "\u0627"
ALEF_VARIANTS = frozenset("\u0623\u0625\u0622\u0671")  # أ إ آ ٱ
YEH = "\u064a"
YEH_VARIANTS = frozenset("\u0649\u06cc")  # ى ی
HEH = "\u0647"
TEH_MARBUTA = "\u0629"
HEH_VARIANTS = frozenset(TEH_MARBUTA + "\u06d5\u06be")  # ة ە ھ
KAF = "\u0643"
KAF_VARIANTS = frozenset("\u06a9\u06aa")  # ک ڪ
DIACRITICS = frozenset(
    [chr(c) for c in range(0x064B, 0x0656)]  # tashkeel + combining madda/hamza
    + ["\u0670"]  # dagger alef
    + [chr(c) for c in range(0x0610, 0x061B)]  # Quranic annotation marks
)
DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
# Invisible format characters (Unicode category Cf) that sit inside words in web text: dropped.
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u180e\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
    + "".join(chr(c) for c in range(0x202A, 0x202F))  # bidi embeddings and overrides
    + "".join(chr(c) for c in range(0x2066, 0x2070))  # bidi isolates, deprecated format controls
)
INVISIBLE_FOLDS = {"\u200b": " ", "\u2010": "-", "\u2011": "-"}  # ZWSP between words; hyphens
QUOTE_FOLDS = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}


def fold_compatibility(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def fold_invisible(text: str) -> str:
    return "".join(INVISIBLE_FOLDS.get(ch, "") if ch in INVISIBLE or ch in INVISIBLE_FOLDS else ch for ch in text)


def remove_diacritics(text: str) -> str:
    return "".join(ch for ch in text if ch not in DIACRITICS)


def remove_tatweel(text: str) -> str:
    return text.replace(TATWEEL, "")


def _fold(text: str, variants: frozenset[str], target: str) -> str:
    return "".join(target if ch in variants else ch for ch in text)


def fold_alef(text: str) -> str:
    return _fold(text, ALEF_VARIANTS, ALEF)


def fold_yeh(text: str) -> str:
    return _fold(text, YEH_VARIANTS, YEH)


def fold_teh_marbuta(text: str) -> str:
    return _fold(text, HEH_VARIANTS, HEH)


def fold_kaf(text: str) -> str:
    return _fold(text, KAF_VARIANTS, KAF)


def fold_digits(text: str) -> str:
    return "".join(DIGITS.get(ch, ch) for ch in text)


def fold_quotes(text: str) -> str:
    return "".join(QUOTE_FOLDS.get(ch, ch) for ch in text)


CHAIN = (
    fold_compatibility,
    fold_invisible,
    remove_diacritics,
    remove_tatweel,
    fold_alef,
    fold_yeh,
    fold_teh_marbuta,
    fold_kaf,
    fold_digits,
    fold_quotes,
)


@lru_cache(maxsize=4096)
def _normalize_char(ch: str) -> str:
    for rule in CHAIN:
        ch = rule(ch)
        if not ch:
            break
    return ch


class _Table(dict):
    """Code point → normalized string, filled on first sight, for ``str.translate`` (C speed)."""

    def __missing__(self, code: int) -> str:
        out = self[code] = _normalize_char(chr(code))
        return out


class _Widths(dict):
    """Code point → a character whose code is the normalized length (0 dropped, 1 kept, 2+ expanded)."""

    def __missing__(self, code: int) -> str:
        out = self[code] = chr(len(_normalize_char(chr(code))))
        return out


_TABLE, _WIDTHS = _Table(), _Widths()
ONE = "\x01"


def clear_caches() -> None:
    """Forget every character's normalized form (tests that change the rules)."""
    _normalize_char.cache_clear()
    _TABLE.clear()
    _WIDTHS.clear()
    global _BMP
    _BMP = _Bmp()  # a new object, bound whole: a text being normalized keeps the one it took


def normalize(text: str) -> str:
    """The normalized form used for matching."""
    return text.translate(_TABLE)


def normalize_with_offsets(text: str, base: int = 0):
    """Like ``normalize_with_map``, in compact form: a ``range`` when every character was kept as
    one (most sentences), else an ``array('i')``."""
    norm = text.translate(_TABLE)
    widths = text.translate(_WIDTHS)
    n = len(text)
    if len(norm) == n and widths.count(ONE) == n:
        return norm, range(base, base + n + 1)
    if max(widths) <= ONE:  # characters only dropped (tashkeel, tatweel): keep the others' offsets
        index = array("i", compress(range(base, base + n), widths.encode("latin-1")))
        index.append(base + n)
        return norm, index
    return norm, array("i", normalize_with_map(text, base)[1])


def normalize_with_map(text: str, base: int = 0) -> tuple[str, list[int]]:
    """Normalized text plus, for each of its characters, the original index (+ ``base``).

    The map has one extra entry, ``len(text)``, so that an end offset maps too:
    ``original[m[i]:m[j]]`` is the original span behind ``norm[i:j]``.
    """
    norm = text.translate(_TABLE)
    n = len(text)
    widths = text.translate(_WIDTHS)
    if widths.count(ONE) == n:  # every character kept as one: the common case
        return norm, list(range(base, base + n + 1))
    index: list[int] = []
    for i, w in enumerate(widths, base):
        index.extend([i] * ord(w))
    index.append(base + n)
    return norm, index


def original_span(index: list[int], start: int, end: int) -> tuple[int, int]:
    """Original (start, end) behind normalized [start, end).

    The end runs up to the next kept character, so marks dropped by
    normalization (a final shadda, tatweel) stay inside the quoted span.
    """
    if end <= start:
        return index[start], index[start]
    return index[start], max(index[end], index[end - 1] + 1)  # part of one expanded character (¼ → 1⁄4)


# --- A whole text at once ------------------------------------------------------
#
# ``str.translate`` looks each character of Arabic text up in a dict: about 60 ns a character, and
# an article went through it three times (its lines for boilerplate, its sentences twice for the
# offsets).  The same table as arrays over the Basic Multilingual Plane lets numpy map a whole
# article's code points at once; every rule works character by character, so any span's normalized
# form is then a slice.

BMP = 0x10000


class _Bmp:
    """``_TABLE`` and ``_WIDTHS`` as arrays over the BMP: per code point its normalized code point and
    length (0 dropped, 1, 2+ expanded), filled on first sight like them."""

    def __init__(self):
        self.to = np.arange(BMP, dtype=np.uint32)
        self.width = np.ones(BMP, dtype=np.uint8)
        self.known = np.zeros(BMP, dtype=bool)

    def widths(self, codes: np.ndarray) -> np.ndarray:
        new = codes[~self.known[codes]]
        for c in np.unique(new).tolist():
            out = _normalize_char(chr(c))
            self.width[c] = len(out)
            self.to[c] = ord(out) if len(out) == 1 else c
            self.known[c] = True
        return self.width[codes]


_BMP = _Bmp()  # a pure function of the rules above, filled as characters are first seen


class NormalizedText:
    """A text normalized once, whole; for 0 <= s <= e <= len(text), ``of(s, e)`` is ``normalize(text[s:e])``
    and ``with_offsets(s, e)`` is ``normalize_with_offsets(text[s:e], s)``, by slicing.  A text with a character outside the BMP or
    one that expands (a ligature, ¼) takes the per-span functions instead: rare, and as exact."""

    def __init__(self, text: str):
        self.text = text
        self._norm: str | None = None
        try:
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        except UnicodeEncodeError:  # a lone surrogate
            return
        if len(codes) and int(codes.max()) >= BMP:
            return
        bmp = _BMP  # once: clear_caches may rebind it meanwhile (tests)
        widths = bmp.widths(codes)
        if len(codes) and int(widths.max()) > 1:
            return
        kept = widths.astype(bool)
        self._norm = bmp.to[codes][kept].tobytes().decode("utf-32-le")
        at = np.zeros(len(codes) + 1, dtype=np.int64)  # where each character's form starts (8 bytes each:
        np.cumsum(widths, out=at[1:])                  # a list of ints would take 36 for a long text)
        self._at = array("q", at.tobytes())
        self._kept = array("i", np.flatnonzero(kept).astype(np.intc).tobytes())  # original index per kept one

    def of(self, start: int, end: int) -> str:
        if self._norm is None:
            return normalize(self.text[start:end])
        return self._norm[self._at[start]:self._at[end]]

    def with_offsets(self, start: int, end: int):
        if self._norm is None:
            return normalize_with_offsets(self.text[start:end], start)
        ns, ne = self._at[start], self._at[end]
        if ne - ns == end - start:  # nothing dropped here
            return self._norm[ns:ne], range(start, end + 1)
        index = self._kept[ns:ne]
        index.append(end)
        return self._norm[ns:ne], index
