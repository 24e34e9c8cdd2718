"""Coding at scale: the project against two baselines timed in the same run.

For each corpus size (1k and 10k articles resampled from the seeds; 100k too with
--full) prints:
- cold `python -m analysis code` time, articles/s and peak RSS, with --jobs 1 and all cores;
- the pandas loop an analyst writes (per frame, one alternation of the codebook's
  plain terms, ``Series.str.count`` over the article texts) and the project's ratio to it;
- a raw single-pass multi-pattern scan (Aho-Corasick over every literal of the
  codebook, counting hits) and the project's ratio to it;
- at 10k, the time to re-code after a one-line edit to one frame (cache warm), then with nothing
  changed (what every render after an edit to the document alone codes).  The corpus is made older
  than the 2 s in which a run remembers no file as read (``inputs/seen.py``) before the first run, as
  an analyst's is.

With ``--against DIR`` (another checkout, e.g. ``git worktree add /tmp/base main``) each `code` run is
also made with DIR's code on the same corpus, right before this checkout's, and the table gives both
with their ratio, and the user CPU of each run (all its processes): a shared machine's load moves the
wall-clock times, the CPU time much less.  ``--against-python PY`` does the same with another Python
(a virtual environment's, holding the same packages) running the baseline, e.g. to compare interpreters.
``--repeat N`` runs each cold pair N times, alternating, and reports the fastest of each (wall and CPU
apart) with the medians: this machine's speed moves by 10-30 % from one minute to the next.

Machines are shared and noisy: compare the ratios, which are measured in the same run.

    .venv/bin/python benchmarks/scale.py [--full] [--sizes 1000 10000] [--against DIR] [--against-python PY] [--repeat N]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import corpus as resample  # noqa: E402

from analysis.inputs.seen import RACY_NS  # noqa: E402

MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
           "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True); "
           "dt = time.perf_counter() - t; "
           "sys.stderr.write(r.stderr[-2000:] if r.returncode else ''); "
           "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "print(dt, u.ru_maxrss, r.returncode, u.ru_utime)")


Baseline = tuple[Path, str]  # the checkout and the Python of the runs compared against


def code(data: Path, out: Path, jobs: int, root: Path = ROOT, python: str = sys.executable) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB, of the largest process) and user CPU seconds of one `code` run
    with the code of the checkout ``root`` (its package comes first on the path: run from there)."""
    cmd = [sys.executable, "-c", MEASURE, python, "-m", "analysis", "code", "--data", str(data),
           "--out", str(out), "--jobs", str(jobs), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(root)}
    res = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=True, env=env)
    dt, rss, rc, cpu = res.stdout.split()
    if rc != "0":
        raise SystemExit(f"code failed:\n{res.stderr}")
    return float(dt), int(rss) / 1024, float(cpu)


def coded(data: Path, out: Path, jobs: int, against: Baseline | None, rows: list, what: str, n: int,
          repeat: int = 1) -> float:
    """A `code` run (after the same run with --against's code, if given) as table rows; its seconds.
    With ``repeat`` > 1 (cold runs only: each starts from an empty output folder) the pairs alternate
    and each row gives the fastest run, wall and CPU apart, with the median in brackets."""
    runs: list[tuple[float, float, float]] = []
    base_runs: list[tuple[float, float, float]] = []
    for _ in range(repeat):
        if repeat > 1:
            for o in (out, out.with_name(out.name + "-against")):
                shutil.rmtree(o, ignore_errors=True)
        if against is not None:
            base_runs.append(code(data, out.with_name(out.name + "-against"), jobs, *against))
        runs.append(code(data, out, jobs))
    dt, cpu = best(runs)
    if against is not None:
        base, cpu0 = best(base_runs)
        rows.append((f"{what}, against{spread(base_runs)}", base, n / base, f"{max(r[1] for r in base_runs):.0f} MB", f"{cpu0:.1f}"))
    ratio = f"   (x{dt / base:.2f} wall, x{cpu / cpu0:.2f} CPU)" if against is not None else ""
    rows.append((what + spread(runs) + ratio, dt, n / dt, f"{max(r[1] for r in runs):.0f} MB", f"{cpu:.1f}"))
    return dt


def best(runs: list[tuple[float, float, float]]) -> tuple[float, float]:
    """The fastest wall time and the least CPU among runs of (wall, RSS, CPU)."""
    return min(r[0] for r in runs), min(r[2] for r in runs)


def spread(runs: list[tuple[float, float, float]]) -> str:
    """For repeated runs: how many, and the medians (a shared machine's speed moves between them)."""
    if len(runs) < 2:
        return ""
    return f" [fastest of {len(runs)}; medians {median(r[0] for r in runs):.1f} s, {median(r[2] for r in runs):.1f} s CPU]"


def texts(data: Path):
    import pandas as pd
    manifest = pd.read_csv(data / "manifest.csv", dtype=str)
    return manifest, pd.Series([(data / f).read_text(encoding="utf-8") for f in manifest.file])


def plain_terms(codebook_path: Path) -> dict[str, list[str]]:
    """Per frame, the plain-text indicators as written in the codebook (what a pandas user would grab)."""
    import yaml
    doc = yaml.safe_load(codebook_path.read_text(encoding="utf-8"))
    out = {}
    for f in doc["frames"]:
        terms = [t for items in (f.get("indicators") or {}).values() for t in items if isinstance(t, str)]
        terms = [t for t in terms if "<" not in t and "*" not in t]
        if terms:
            out[f["id"]] = terms
    return out


def pandas_loop(data: Path) -> float:
    import re
    t = time.perf_counter()
    _, s = texts(data)
    counts = {}
    for frame, terms in plain_terms(data / "codebook.yaml").items():
        counts[frame] = s.str.count("|".join(re.escape(x) for x in sorted(terms, key=len, reverse=True))).sum()
    return time.perf_counter() - t


def raw_scan(data: Path) -> float:
    """One pass per article of an automaton holding every literal the scanner uses, counting hits."""
    import ahocorasick

    from analysis.coding.article import scanner
    from analysis.inputs.codebook import load_codebook
    from analysis.text.normalize import normalize
    t = time.perf_counter()
    codebook = load_codebook(data / "codebook.yaml")
    literals = set(scanner(codebook, "ar").prefilter.literals) | set(scanner(codebook, "en").prefilter.literals)
    a = ahocorasick.Automaton()
    for k, lit in enumerate(sorted(literals)):
        a.add_word(lit, k)
    a.make_automaton()
    _, s = texts(data)
    hits = sum(sum(1 for _ in a.iter(normalize(x).casefold())) for x in s)
    assert hits > 0
    return time.perf_counter() - t


def one_frame_edit(data: Path) -> None:
    book = data / "codebook.yaml"
    text = book.read_text(encoding="utf-8")
    at = text.index("      ar:\n", text.index("  - id: postman\n")) + len("      ar:\n")
    book.write_text(text[:at] + "        - حامل الرسائل الخاصة\n" + text[at:], encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="also 100,000 articles")
    ap.add_argument("--sizes", type=int, nargs="*", default=None, help="corpus sizes (default 1000 10000)")
    ap.add_argument("--no-serial", action="store_true", help="skip the --jobs 1 run (when time is short)")
    ap.add_argument("--no-edit", action="store_true", help="skip the re-code after a one-frame edit")
    ap.add_argument("--against", type=Path, default=None,
                    help="another checkout whose code runs each `code` too, in the same run (e.g. main)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each cold `code` this many times, alternating with the baseline; report the fastest")
    ap.add_argument("--against-python", default=None,
                    help="another Python (with the same packages) that runs the baseline's `code`")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be 1 or more")
    against = None
    if args.against or args.against_python:
        against = (args.against.resolve() if args.against else ROOT, args.against_python or sys.executable)
    sizes = args.sizes or [1000, 10000] + ([100000] if args.full else [])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{cores} cores; load average before: {os.getloadavg()[0]:.1f}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            data = resample.build(n, tmp / "data")
            # an analyst's articles are older than the window in which a run trusts no file's status
            # (inputs/seen.py): without this wait the re-codes below would read every file again
            time.sleep(RACY_NS / 1e9 + 0.5)
            rows = []
            serial = None
            if not args.no_serial:
                serial = coded(data, tmp / "out1", 1, against, rows, "code --jobs 1 (cold)", n, args.repeat)
            par = coded(data, tmp / "outn", cores, against, rows, f"code --jobs {cores} (cold)", n, args.repeat)
            loop = pandas_loop(data)
            rows.append(("pandas loop (str.count per frame)", loop, n / loop, "", ""))
            scan = raw_scan(data)
            rows.append(("raw single-pass scan (Aho-Corasick)", scan, n / scan, "", ""))
            if not args.no_edit and (n >= 10000 or len(sizes) == 1):
                one_frame_edit(data)  # both checkouts' caches are warm: each re-codes the edited frame
                coded(data, tmp / "outn", cores, against, rows, f"re-code after a one-frame edit (--jobs {cores})", n)
                coded(data, tmp / "outn", cores, against, rows, f"re-code, nothing changed (--jobs {cores})", n)
            print(f"\n{n:,} articles")
            print(f"{'what':46} {'seconds':>9} {'articles/s':>11} {'peak RSS':>9} {'user CPU':>9}")
            for what, dt, rate, rss, cpu in rows:
                print(f"{what:46} {dt:9.1f} {rate:11.0f} {rss:>9} {cpu:>9}")
            one_loop = f"   (--jobs 1: {serial / loop:.1f})" if serial else ""
            one_scan = f"   (--jobs 1: {serial / scan:.1f})" if serial else ""
            print(f"ratio to the pandas loop (all cores): {par / loop:.1f}{one_loop}")
            print(f"ratio to the raw scan (all cores):    {par / scan:.1f}{one_scan}")
            sys.stdout.flush()
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
