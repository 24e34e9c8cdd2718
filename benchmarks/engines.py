"""Compiled engines for the codebook's terms: what building and running one costs, against the coder's own matcher.

Each term of the codebook (indicators, exclusions, set entries: every ``Term`` of one language) is
turned into a pattern the engine accepts: look-arounds dropped and named groups made plain (a superset
of the term's matches, so an engine could only say where a term *may* match: the exact regex still
decides), ``\\w`` widened to ``\\S`` (or, with ``--ucp``, Hyperscan's Unicode ``\\w``).  Over the
sentences of N resampled articles it prints, per language, CPU seconds:

- Hyperscan (``hyperscan`` on PyPI, if installed; not a dependency): compile time, then one scan per
  sentence (single match per term) reporting which terms may match;
- RE2 ``Set`` (google-re2, a dependency): compile time, the first pass over the sentences (RE2 builds
  its DFA lazily, during this pass) and a second pass;
- the coder's own path for the same question and for the whole answer: the codebook's literal
  prefilter (``Prefilter.candidates``) and ``code_frames`` (prefilter, anchors, exact regexes).

    .venv/bin/python benchmarks/engines.py [--n 300] [--ucp]
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import corpus as resample  # noqa: E402

from analysis.coding.article import code_frames, segment_article  # noqa: E402
from analysis.inputs.study import Study  # noqa: E402
from analysis.match.patterns import AnyOf, Near, Term  # noqa: E402


def leaves(p, out: list) -> list:
    if isinstance(p, Term):
        out.append(p)
    elif isinstance(p, AnyOf):
        for i in p.items:
            leaves(i, out)
    elif isinstance(p, Near):
        leaves(p.a, out)
        leaves(p.b, out)
    return out


def loosened(source: str, word: str) -> str:
    s = source.replace(r"(?<!\w)", "").replace(r"(?!\w)", "")
    return re.sub(r"\(\?P<\w+>", "(?:", s).replace(r"\w", word)


def timed(f):
    """CPU seconds (one thread: a shared machine's load would swell wall-clock times) and the result."""
    t = time.process_time()
    out = f()
    return time.process_time() - t, out


def hyperscan_row(terms, sentences, ucp: bool) -> str:
    try:
        import hyperscan
    except ImportError:
        return "hyperscan: not installed"
    flags = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_SINGLEMATCH
    exprs = [loosened(t._source, r"\w" if ucp else r"\S").encode() for t in terms]
    ok = []
    for k, e in enumerate(exprs):  # some sets are too long for it: those would stay with the coder
        db = hyperscan.Database()
        try:
            db.compile(expressions=[e], flags=flags)
            ok.append(k)
        except hyperscan.error:
            pass
    db = hyperscan.Database()
    build, _ = timed(lambda: db.compile(expressions=[exprs[k] for k in ok], ids=ok, elements=len(ok), flags=flags))
    hits = []
    encoded = [s.encode() for s in sentences]
    run, _ = timed(lambda: [db.scan(b, match_event_handler=lambda i, *a: hits.append(i)) for b in encoded])
    word = "UCP \\w" if ucp else "\\S"
    return (f"hyperscan ({word}): {len(ok)} of {len(terms)} terms accepted, "
            f"compile {build:.2f} s, scan {run:.2f} s, {len(hits)} term hits")


def re2_row(terms, sentences) -> str:
    import re2
    options = re2.Options()
    options.max_mem = 256 << 20
    options.log_errors = False
    st = re2.Set.SearchSet(options)
    for t in terms:
        st.Add(loosened(t._source, r"\S"))
    build, _ = timed(st.Compile)
    first, got = timed(lambda: [st.Match(s) for s in sentences])
    second, _ = timed(lambda: [st.Match(s) for s in sentences])
    failed = sum(g is None for g in got)
    return (f"RE2 Set: compile {build:.2f} s, first pass {first:.2f} s (builds the DFA), second pass {second:.2f} s"
            + (f", {failed} sentences without an answer" if failed else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="resampled articles")
    ap.add_argument("--ucp", action="store_true", help="Hyperscan with its Unicode \\w (slow to compile)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        study = Study.load(resample.build(args.n, Path(tmp) / "data"))
        cuts = {a.id: segment_article(a, study.boilerplate)[0] for a in study.corpus.articles}
        for lang in ("ar", "en"):
            language(study, cuts, lang, args.ucp)


def language(study, cuts, lang: str, ucp: bool) -> None:
    arts = [a for a in study.corpus.articles if a.language == lang]
    sentences = [s.norm for a in arts for s in cuts[a.id]]
    if not sentences:
        return
    terms = list({id(t): t for p in _of_language(study, lang) for t in leaves(p, [])}.values())
    print(f"\n{lang}: {len(arts)} articles, {len(sentences)} sentences, {len(terms)} terms")
    print(" ", hyperscan_row(terms, sentences, ucp))
    print(" ", re2_row(terms, sentences))
    scanner = study.codebook.scanner(lang)
    pre, _ = timed(lambda: scanner.prefilter.candidates(sentences))
    code_frames(arts[0], cuts[arts[0].id], study.codebook)  # compiled on first use: not timed
    full, _ = timed(lambda: [code_frames(a, cuts[a.id], study.codebook) for a in arts])
    print(f"  coder: literal prefilter {pre:.2f} s; code_frames (prefilter, anchors, exact regexes) {full:.2f} s")

def _of_language(study, lang: str):
    for f in study.codebook.frames:
        yield from f.excludes.get(lang, [])
        for ind in f.indicators.get(lang, []):
            yield ind.pattern
            yield from ind.excludes


if __name__ == "__main__":
    main()
