"""The coder's work counted in instructions, against another checkout: an A/B that machine noise cannot move.

This machine's speed moves by half between runs, so a change worth a few per cent cannot be seen in seconds
(``scale.py`` reads its ratios from one run, and they still wander by 10 %).  Valgrind's cachegrind counts
the instructions a process executes, the same on every run of the same code and input
(``PYTHONHASHSEED=0`` fixes the order of Python's sets).  It runs about 50 times slower, so the corpus is
small: a cold serial ``code`` of N articles resampled from the seeds (300 by default, ~80 s a run) and of
the five seeds, whose count is mostly start-up (imports, reading the study, compiling the patterns); the
difference is what N - 5 articles cost.  Both checkouts run at once, one per core (valgrind is
single-threaded and the count does not depend on the load).

    .venv/bin/python benchmarks/instructions.py --against /tmp/base [--n 300]

Needs ``valgrind`` (Debian: ``apt-get install valgrind``); without it, says so and exits 2.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus as resample  # noqa: E402

RUN = ("import os, sys; sys.path.insert(0, os.getcwd()); from analysis.cli import main; "
       "sys.exit(main(['code', '--data', sys.argv[1], '--out', sys.argv[2], '--jobs', '1', '--quiet']))")
REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def instructions(root: Path, data: Path, out: Path) -> int:
    """Instructions of one cold serial `code` run of ``data`` with the code of the checkout ``root``."""
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
           sys.executable, "-c", RUN, str(data), str(out)]
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(root)}
    res = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env)
    found = REFS.search(res.stderr)
    if res.returncode or found is None:
        raise SystemExit(f"code under valgrind failed ({root}):\n{res.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", type=Path, required=True, help="another checkout (e.g. git worktree add /tmp/base main)")
    ap.add_argument("--n", type=int, default=300, help="resampled articles (default 300)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: apt-get install valgrind", file=sys.stderr)
        return 2
    roots = {"against": args.against.resolve(), "this": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seeds, big = "seeds (start-up)", f"{args.n} resampled"
        corpora = {seeds: ROOT / "data", big: resample.build(args.n, tmp / "data")}
        counts: dict[tuple[str, str], int] = {}
        for label, data in corpora.items():
            with ThreadPoolExecutor(2) as pool:  # one checkout per core
                jobs = {name: pool.submit(instructions, root, data, tmp / f"out-{name}-{len(counts)}")
                        for name, root in roots.items()}
                for name, job in jobs.items():
                    counts[(label, name)] = job.result()
    print(f"instructions (G), cold `code --jobs 1`; this checkout against {roots['against']}")
    print(f"{'corpus':<22}{'against':>10}{'this':>10}{'ratio':>8}")
    for label in corpora:
        a, b = counts[(label, "against")], counts[(label, "this")]
        print(f"{label:<22}{a / 1e9:10.3f}{b / 1e9:10.3f}{b / a:8.3f}")
    a, b = (counts[(big, n)] - counts[(seeds, n)] for n in ("against", "this"))
    print(f"{'the articles alone':<22}{a / 1e9:10.3f}{b / 1e9:10.3f}{b / a:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
