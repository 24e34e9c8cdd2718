"""Near-duplicates: the same story under another headline or footer (syndicated and aggregated copies).

Each article's text is normalized (lower case; Arabic diacritics and tatweel dropped), split at white
space and cut into 4-grams of these words ("shingles").  Two articles are near-copies
when the Jaccard similarity of their shingle sets is at least ``THRESHOLD`` (0.6), computed exactly.

Comparing every pair is quadratic, so candidates come from MinHash signatures (datasketch's ``MinHash``,
64 permutations, its ``update_batch`` over the shingles' own 64-bit hashes), cut into 21 bands of 3 values:
an earlier article sharing a whole band with the new one is a candidate.  A pair at Jaccard 0.6 shares a
band with probability 1 - (1 - 0.6**3)**21 = 0.994 (0.9998 at 0.7), two unrelated stories (Jaccard near 0)
almost never.  Only every fourth shingle (by hash) enters the signature, which keeps 100,000 articles
within the time budget; the decision itself is the exact Jaccard over all shingles of the two texts.

The bands are kept in one dict of 64-bit band keys -> the first article with that band, not in
datasketch's ``MinHashLSH``, whose per-band sets took about 10 KB per article (1 GB at 100,000 articles);
this index takes about 1.6 KB.
"""
from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from datasketch import MinHash

SHINGLE = 4          # words per shingle
THRESHOLD = 0.6      # Jaccard similarity of shingle sets at or above which an article is a copy
NUM_PERM = 64
BANDS, ROWS = 21, 3  # 63 of the 64 values
SAMPLE = 4           # one shingle in SAMPLE (by hash) enters the signature
_P = np.uint64(0x100000001B3)                    # odd, so invertible modulo 2**64
_P_INV = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_MIX = np.uint64(0x9E3779B97F4A7C15)
_IS_UPPER = np.zeros(256, np.uint8)
_IS_UPPER[ord("A"):ord("Z") + 1] = 1
_IS_MARK_TAIL = np.zeros(256, bool)  # U+064B–U+065F, U+0640, U+0670 in UTF-8: 0xD9 0x8B–0x9F, 0x80, 0xB0
_IS_MARK_TAIL[[*range(0x8B, 0xA0), 0x80, 0xB0]] = True
_IS_SPACE = np.zeros(256, bool)
_IS_SPACE[list(b" \t\n\r\x0b\x0c")] = True
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # Arabic diacritics and tatweel


def _as_is(x: int) -> int:
    return x


def words(text: str) -> list[str]:
    """The words shingled (for reading and tests; word_hashes hashes the same words without splitting)."""
    folded = re.sub("[A-Z]+", lambda m: m.group(0).lower(), _MARKS.sub("", text))
    return re.split(r"[ \t\n\r\x0b\x0c]+", folded.strip(" \t\n\r\x0b\x0c")) if folded.strip(" \t\n\r\x0b\x0c") else []


def word_hashes(text: str, powers: "_Powers | None" = None) -> np.ndarray:
    """A 64-bit polynomial hash of each word of ``words(text)`` (split at ASCII white space), computed on
    the UTF-8 bytes with prefix sums, so no Python code runs per word (the import's hot loop)."""
    b = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    lead = b[:-1] == 0xD9  # Arabic diacritics, tatweel and the dagger alef are 0xD9 then one of _MARK_TAILS
    mark = np.zeros(len(b), bool)
    mark[:-1] = lead & _IS_MARK_TAIL[b[1:]]
    if mark.any():
        mark[1:] |= mark[:-1]
        b = b[~mark]
    b = b + (_IS_UPPER[b] * np.uint8(32))  # ASCII upper case to lower
    if not len(b):
        return np.zeros(0, np.uint64)
    space = _IS_SPACE[b]
    word = ~space
    starts = np.flatnonzero(word[1:] & space[:-1]) + 1
    ends = np.flatnonzero(word[:-1] & space[1:]) + 1
    if word[0]:
        starts = np.concatenate(([0], starts))
    if word[-1]:
        ends = np.concatenate((ends, [len(b)]))
    up, down = (powers or _Powers()).upto(len(b))
    prefix = np.zeros(len(b) + 1, np.uint64)
    np.cumsum((b + np.uint64(1)) * up[:len(b)], out=prefix[1:])  # arithmetic modulo 2**64
    return (prefix[ends] - prefix[starts]) * down[starts]  # each word's sum, shifted to start at P**0


class _Powers:
    """P**i and P**-i modulo 2**64, computed once for the longest text so far."""

    def __init__(self) -> None:
        self.up = self.down = np.ones(1, np.uint64)

    def upto(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self.up) <= n:
            size = max(n + 1, 2 * len(self.up), 1 << 16)
            self.up, self.down = np.ones(size, np.uint64), np.ones(size, np.uint64)
            np.cumprod(np.full(size - 1, _P, np.uint64), out=self.up[1:])
            np.cumprod(np.full(size - 1, _P_INV, np.uint64), out=self.down[1:])
        return self.up, self.down


class NearDuplicates:
    """Articles seen so far, in order; ``check`` says of which earlier one a new text is a copy."""

    def __init__(self) -> None:
        self.bands: dict[int, int] = {}  # band key -> index of the first article with that band
        self.perm = MinHash(num_perm=NUM_PERM, seed=1).permutations
        self.powers = _Powers()
        self.ids: list[str] = []
        self.first: list[str] = []   # the first occurrence each article copies (itself if none)
        self.loaders: list[Callable[[], str]] = []

    def shingles(self, text: str) -> np.ndarray:
        """The text's set of shingles, as sorted distinct 64-bit hashes."""
        return np.unique(self.hashes(text))

    def hashes(self, text: str) -> np.ndarray:
        """A hash per shingle, in text order (repeats kept: the signature's minimum does not mind them)."""
        ids = word_hashes(text, self.powers)
        n = len(ids) - SHINGLE + 1
        if n < 1:
            ids, n = np.concatenate([ids, np.zeros(SHINGLE, np.uint64)])[:SHINGLE], 1
        h = ids[:n].copy()
        for j in range(1, SHINGLE):
            h *= _MIX
            h += ids[j:j + n]
        h ^= h >> np.uint64(31)  # spread the bits (splitmix64's finalizer)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(29)
        return h

    def signature(self, sh: np.ndarray) -> MinHash:
        part = np.unique(sh[(sh & np.uint64(SAMPLE - 1)) == 0])
        part = part if len(part) else sh[:1]
        m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_as_is, permutations=self.perm, scheme="affine32")
        m.update_batch((part >> np.uint64(32)).tolist())  # shingles are hashed already: their top 32 bits
        return m

    @staticmethod
    def _keys(m: MinHash) -> list[int]:
        """One 64-bit key per band: its three values and its number, mixed."""
        v = np.asarray(m.hashvalues[:BANDS * ROWS], dtype=np.uint64).reshape(BANDS, ROWS)
        k = v[:, 0] * _MIX + v[:, 1]
        k = k * _MIX + v[:, 2]
        k = k * _MIX + np.arange(BANDS, dtype=np.uint64)
        return k.tolist()

    def _index(self, keys: list[int]) -> None:
        me = len(self.ids)  # one int object for all its bands
        for k in keys:
            self.bands.setdefault(k, me)

    def add(self, aid: str, text: str, copy_of: str = "") -> None:
        """An article already in the corpus (not checked: its mark, if any, stays as the analyst left it)."""
        self._index(self._keys(self.signature(self.hashes(text))))
        self.ids.append(aid)
        self.first.append(copy_of or aid)
        self.loaders.append(lambda: text)

    def check(self, aid: str, text: str, load: Callable[[], str]) -> str:
        """Add an article; returns the id of the first occurrence it copies, or ''."""
        keys = self._keys(self.signature(self.hashes(text)))
        found, sh = "", None
        bands = self.bands
        for i in sorted({bands[k] for k in keys if k in bands}):  # earliest first; exact sets only for candidates
            sh = self.shingles(text) if sh is None else sh
            other = self.shingles(self.loaders[i]())
            inter = len(np.intersect1d(sh, other, assume_unique=True))
            if inter / (len(sh) + len(other) - inter) >= THRESHOLD:
                found = self.first[i]
                break
        self._index(keys)
        self.ids.append(aid)
        self.first.append(found or aid)
        self.loaders.append(load)
        return found


def jaccard(a: str, b: str) -> float:
    """The exact similarity the decision uses (for reports and tests)."""
    nd = NearDuplicates()
    x, y = nd.shingles(a), nd.shingles(b)
    inter = len(np.intersect1d(x, y, assume_unique=True))
    return inter / (len(x) + len(y) - inter)
