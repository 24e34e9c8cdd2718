"""Which multi-pattern engine should the prefilter use?  Times each candidate on the
same literals (the codebook's, as analysis/match/scan.py derives them) over the
normalized sentences of a resampled corpus, and checks that they find the same hits.

    .venv/bin/python benchmarks/scanners.py [--articles 1000]
"""
from __future__ import annotations

import argparse
import bisect
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import corpus as resample  # noqa: E402


def sentence_of(starts, pos):
    return bisect.bisect_right(starts, pos) - 1


def run_pyahocorasick(literals, joined, starts):
    import ahocorasick
    a = ahocorasick.Automaton()
    for k, lit in enumerate(literals):
        a.add_word(lit, k)
    a.make_automaton()
    t = time.perf_counter()
    found = {(sentence_of(starts, end), k) for end, k in a.iter(joined)}
    return time.perf_counter() - t, found


def run_ahocorasick_rs(literals, joined, starts):
    import ahocorasick_rs
    a = ahocorasick_rs.AhoCorasick(literals)
    t = time.perf_counter()
    found = {(sentence_of(starts, s), k) for k, s, _ in a.find_matches_as_indexes(joined, overlapping=True)}
    return time.perf_counter() - t, found


def run_hyperscan(literals, joined, starts):
    import hyperscan
    data = joined.encode("utf-8")
    # byte offsets of each sentence start
    bstarts, pos, prev = [], 0, 0
    for s in starts:
        pos += len(joined[prev:s].encode("utf-8"))
        bstarts.append(pos)
        prev = s
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[lit.encode("utf-8") for lit in literals], ids=list(range(len(literals))),
               elements=len(literals), flags=[0] * len(literals), literal=True)
    found = set()

    def on(k, frm, to, flags, ctx):
        found.add((sentence_of(bstarts, to - 1), k))
    t = time.perf_counter()
    db.scan(data, match_event_handler=on)
    return time.perf_counter() - t, found


def run_regex(literals, joined, starts):
    import regex
    # one alternation per first character would still miss overlaps; lookahead groups find every start
    rx = regex.compile("|".join(regex.escape(x) for x in sorted(literals, key=len, reverse=True)))
    ids = {lit: k for k, lit in enumerate(literals)}
    t = time.perf_counter()
    found = {(sentence_of(starts, m.start()), ids[m.group()]) for m in rx.finditer(joined, overlapped=True)}
    return time.perf_counter() - t, found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    args = ap.parse_args()
    from analysis.coding import article as coding
    from analysis.inputs.study import Study
    with tempfile.TemporaryDirectory() as tmp:
        data = resample.build(args.articles, Path(tmp) / "data")
        study = Study.load(data)
        corpus, rules, codebook = study.corpus, study.boilerplate, study.codebook
        texts = [s.norm.casefold() for a in corpus.articles for s in coding.segment_article(a, rules)[0]]
    literals = sorted(set(coding.scanner(codebook, "ar").prefilter.literals) | set(coding.scanner(codebook, "en").prefilter.literals))
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    joined = "\n".join(texts)
    print(f"{args.articles} articles, {len(texts)} sentences, {len(joined):,} characters, {len(literals)} literals")
    print(f"{'engine':18} {'scan s':>8} {'(sentence, literal) pairs':>26}  same as pyahocorasick")
    ref = None
    for name, fn in (("pyahocorasick", run_pyahocorasick), ("ahocorasick-rs", run_ahocorasick_rs),
                     ("hyperscan", run_hyperscan), ("regex (one alternation)", run_regex)):
        try:
            dt, found = fn(literals, joined, starts)
        except Exception as e:  # an engine that cannot run here is reported, not fatal
            print(f"{name:18} failed: {e}")
            continue
        ref = found if ref is None else ref
        print(f"{name:18} {dt:8.3f} {len(found):26,}  {found == ref}")


if __name__ == "__main__":
    main()
