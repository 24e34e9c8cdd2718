"""Stance and speaker on one very long sentence: is the cost linear in its length?

Builds lines without punctuation from the seed words (no sentence break, so the
whole line is one sentence with hundreds of mentions), then times, on each size:
the codebook match (for reference: not this stage), the sentence's attribution,
and the stance and speaker of every mention.  Prints seconds and the ratio of
each size to the smallest, measured in the same run; linear cost gives ratios
close to the size ratio.

    .venv/bin/python benchmarks/long_line.py [--kb 50 100 200 400]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.coding.article import Segment, code_segment  # noqa: E402
from analysis.coding.speakers import attributions, find_quotations  # noqa: E402
from analysis.coding.voices import voice_reason  # noqa: E402
from analysis.inputs.study import Study  # noqa: E402
from analysis.text.normalize import normalize_with_map  # noqa: E402


def line_of(corpus, kb: int) -> str:
    words = " ".join(regex.sub(r"[^\w\s]", " ", a.text) for a in corpus.articles).split()
    out, n, i = [], 0, 0
    while n < kb * 1000:
        w = words[i % len(words)]
        out.append(w)
        n += len(w.encode()) + 1
        i += 1
    return " ".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kb", type=int, nargs="+", default=[50, 100, 200, 400])
    args = ap.parse_args()
    study = Study.load(ROOT / "data")
    corpus, codebook, actors = study.corpus, study.codebook, study.actors
    deniable = {f.id: f.deniable for f in codebook.frames}
    rows = []
    for kb in args.kb:
        text = line_of(corpus, kb)
        norm, index = normalize_with_map(text)
        seg = Segment("x", "x:s001", 0, len(text), text, norm, tuple(index))
        t = time.perf_counter()
        hits = code_segment(seg, codebook, "ar")
        t_code = time.perf_counter() - t
        t = time.perf_counter()
        found = attributions(seg.match_text, actors, "ar", None)
        t_att = time.perf_counter() - t
        t = time.perf_counter()
        quotes = find_quotations(text, 0)
        for r in hits:
            voice_reason(seg, r["start"], r["end"], found, quotes, "ar", deniable[r["frame"]])
        t_voice = time.perf_counter() - t
        rows.append((kb, len(hits), len(found), t_code, t_att, t_voice))
    base = rows[0]
    print(f"{'KB':>5} {'mentions':>8} {'cues':>6} {'codebook s':>10} {'attribution s':>13} {'stance+speaker s':>16}"
          f" {'size x':>6} {'attr x':>6} {'voice x':>7}")
    for kb, n, f, tc, ta, tv in rows:
        print(f"{kb:>5} {n:>8} {f:>6} {tc:>10.2f} {ta:>13.2f} {tv:>16.3f} {kb / base[0]:>6.1f}"
              f" {ta / max(base[4], 1e-9):>6.1f} {tv / max(base[5], 1e-9):>7.1f}")


if __name__ == "__main__":
    main()
