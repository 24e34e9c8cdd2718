"""Near-duplicates: the same story under another headline or footer (syndicated and aggregated copies).

Each article's text is normalized (lower case; Arabic diacritics and tatweel dropped), split at white
space and cut into 4-grams of these words ("shingles").  Two articles are near-copies
when the Jaccard similarity of their shingle sets is at least ``THRESHOLD`` (0.6), computed exactly.

Comparing every pair is quadratic, so candidates come from MinHash signatures banded by datasketch's
``MinHashLSH`` (128 permutations; its bands are chosen for a 0.4 threshold weighted towards recall: a
pair at Jaccard 0.6 becomes a candidate with probability 0.9995).  The signature uses datasketch's
permutations and hashing (``update_batch``) over the shingles' own 64-bit hashes; only every fourth
shingle (by hash) enters the signature, which keeps 100,000 articles within the time budget; the decision
itself is the exact Jaccard over all shingles of the two texts.
"""
from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from datasketch import MinHash, MinHashLSH

SHINGLE = 4          # words per shingle
THRESHOLD = 0.6      # Jaccard similarity of shingle sets at or above which an article is a copy
NUM_PERM = 128
LSH_THRESHOLD, LSH_WEIGHTS = 0.4, (0.2, 0.8)
SAMPLE = 4           # one shingle in SAMPLE (by hash) enters the signature
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # Arabic diacritics and tatweel


def _as_is(x: int) -> int:
    return x


def words(text: str) -> list[str]:
    return _MARKS.sub("", text.lower()).split()


class NearDuplicates:
    """Articles seen so far, in order; ``check`` says of which earlier one a new text is a copy."""

    def __init__(self) -> None:
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
        self.perm = MinHash(num_perm=NUM_PERM, seed=1).permutations
        self.vocab: dict[str, int] = {}
        self.ids: list[str] = []
        self.first: list[str] = []   # the first occurrence each article copies (itself if none)
        self.loaders: list[Callable[[], str]] = []

    def shingles(self, text: str) -> np.ndarray:
        v = self.vocab
        ids = np.array([v.setdefault(w, len(v) + 1) for w in words(text)], dtype=np.uint64)
        n = len(ids) - SHINGLE + 1
        if n < 1:
            ids, n = np.concatenate([ids, np.zeros(SHINGLE, np.uint64)])[:SHINGLE], 1
        with np.errstate(over="ignore"):
            h = ids[:n].copy()
            for j in range(1, SHINGLE):
                h = h * np.uint64(0x9E3779B97F4A7C15) + ids[j:j + n]
            h ^= h >> np.uint64(31)  # spread the bits (splitmix64's finalizer)
            h *= np.uint64(0xBF58476D1CE4E5B9)
            h ^= h >> np.uint64(29)
        return np.unique(h)

    def signature(self, sh: np.ndarray) -> MinHash:
        part = sh[(sh & np.uint64(SAMPLE - 1)) == 0]
        part = part if len(part) else sh[:1]
        m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_as_is, permutations=self.perm, scheme="affine32")
        m.update_batch((part >> np.uint64(32)).tolist())  # shingles are hashed already: their top 32 bits
        return m

    def add(self, aid: str, text: str, copy_of: str = "") -> None:
        """An article already in the corpus (not checked: its mark, if any, stays as the analyst left it)."""
        self.lsh.insert(str(len(self.ids)), self.signature(self.shingles(text)))
        self.ids.append(aid)
        self.first.append(copy_of or aid)
        self.loaders.append(lambda: text)

    def check(self, aid: str, text: str, load: Callable[[], str]) -> str:
        """Add an article; returns the id of the first occurrence it copies, or ''."""
        sh = self.shingles(text)
        m = self.signature(sh)
        found = ""
        for key in sorted(self.lsh.query(m), key=int):  # earliest first
            other = self.shingles(self.loaders[int(key)]())
            inter = len(np.intersect1d(sh, other, assume_unique=True))
            if inter / (len(sh) + len(other) - inter) >= THRESHOLD:
                found = self.first[int(key)]
                break
        self.lsh.insert(str(len(self.ids)), m)
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
