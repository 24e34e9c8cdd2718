"""What signing the cache costs the coder (issue 23, B1).

Codes a resampled corpus (benchmarks/corpus.py) cold and then warm, twice over: once with the
cache as shipped (every entry signed with HMAC-SHA256 and checked before it is unpickled), and
once with signing switched off in this process (the baseline, measured in the same run).  Prints
the seconds of each and the ratio, plus the bytes hashed.

    .venv/bin/python benchmarks/cache_sign.py [--articles 500] [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.io import cache as cache_mod  # noqa: E402
from analysis.pipeline import Run  # noqa: E402
from benchmarks.corpus import build  # noqa: E402


def code(data: Path, cache_dir: Path) -> float:
    t = time.perf_counter()
    run = Run(data, cache_dir=cache_dir, jobs=1)
    for _ in run.batches():
        pass
    return time.perf_counter() - t


def once(data: Path, cache_dir: Path, signed: bool) -> tuple[float, float]:
    """Cold then warm, with or without signing (the baseline switches it off in this process)."""
    sign, verified = cache_mod.ArticleCache.sign, cache_mod.ArticleCache.verified
    if not signed:
        cache_mod.ArticleCache.sign = lambda self, blob: blob
        cache_mod.ArticleCache.verified = lambda self, stored: stored
    try:
        return code(data, cache_dir), code(data, cache_dir)
    finally:
        cache_mod.ArticleCache.sign, cache_mod.ArticleCache.verified = sign, verified


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = build(args.articles, tmp / "data")
        code(data, tmp / "warm-up")  # imports and compiled patterns, for neither side
        times: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        for k in range(args.repeat):  # alternating, so machine load falls on both sides alike
            for signed in ((True, False) if k % 2 == 0 else (False, True)):
                times[signed].append(once(data, tmp / f"cache-{signed}-{k}", signed))
        size = (tmp / "cache-True-0" / cache_mod.FILE).stat().st_size
        signed, plain = (tuple(min(t[i] for t in times[s]) for i in (0, 1)) for s in (True, False))
    print(f"{args.articles} articles, cache file {size / 1e6:.1f} MB; best of {args.repeat} each")
    for name, (s, p) in zip(("cold", "warm"), zip(signed, plain)):
        print(f"{name}: signed {s:.2f} s, unsigned {p:.2f} s, ratio {s / p:.3f}")


if __name__ == "__main__":
    main()
