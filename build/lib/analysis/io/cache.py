"""Cache of the coding step, keyed by the content hash of its inputs.

Keys cover the package's own source plus whatever the caller names (article
text and metadata, boilerplate rules, a frame's fingerprint), so editing one
article recodes that article and editing one frame recodes that frame.
"""
from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from analysis.io.output import write_bytes

PACKAGE = Path(__file__).resolve().parent.parent


def source_hash() -> str:
    h = hashlib.sha256()
    for p in sorted(PACKAGE.rglob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "-"


class ArticleCache:
    def __init__(self, directory: Path | None, *salts: str):
        self.dir = directory
        self.salt = hashlib.sha256("|".join(salts).encode()).hexdigest()

    def key(self, *parts: str) -> str:
        return hashlib.sha256("|".join((self.salt, *parts)).encode()).hexdigest()

    def get(self, key: str):
        if self.dir is None:
            return None
        path = self.dir / f"{key}.pickle"
        try:
            value = pickle.loads(path.read_bytes())
        except Exception:  # missing, truncated, corrupt or from an older layout: recompute
            return None
        return value

    def put(self, key: str, value) -> None:
        if self.dir is not None:
            write_bytes(self.dir / f"{key}.pickle", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
