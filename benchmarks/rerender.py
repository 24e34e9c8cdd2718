"""Re-render benchmark: cold render against re-renders after one-line edits.

Prints wall-clock seconds for each scenario and its ratio to the cold render
measured in the same run (these machines are noisy; compare ratios, not
seconds across runs).  Works on a scratch copy of data/ and a scratch output
folder, so nothing of yours is touched.  Then the same for a corpus of
--large articles resampled from the seeds (benchmarks/resample.py): cold, and
after a one-line codebook edit (targets: seeds with nothing changed ≤ 3 s,
the large re-render ≤ 30 s).

    .venv/bin/python benchmarks/rerender.py [--repeat 3] [--large 1000]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from resample import resample  # noqa: E402

PROBE = "frames:\n  - id: bench_probe\n    label_en: Benchmark probe\n    indicators:\n      ar: [طائرة مسيرة]\n"


def render(data: Path, out: Path) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "render", "--data", str(data), "--out", str(out), "--quiet",
                    "--builtin"], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t


def quarto_comparison(repeat: int) -> None:
    """Built-in route against real Quarto on the same document and data, when `quarto` is on PATH.

    Each cold render starts from an empty output folder (no analysis cache) and
    no cached figures.  Targets (issue 13): built-in cold <= 1/2 of Quarto's,
    built-in re-render with nothing changed <= 3 s.
    """
    if shutil.which("quarto") is None:
        print("real Quarto: not on PATH, comparison skipped")
        return
    env = {**os.environ, "QUARTO_PYTHON": sys.executable}  # the project's interpreter, with analysis importable

    def timed(data: Path, out: Path, *flags: str) -> float:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "analysis", "render", "--data", str(data), "--out", str(out), "--quiet",
                        *flags], cwd=ROOT, env=env, check=True, capture_output=True)
        return time.perf_counter() - t

    rows: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data)
        for k in range(repeat):
            for name, flags in (("built-in", ["--builtin"]), ("quarto", [])):
                for fig in (ROOT / "figures").glob(".*.key"):
                    fig.unlink()
                rows.setdefault(f"{name} cold render", []).append(timed(data, Path(tmp) / f"{name}{k}", *flags))
            rows.setdefault("built-in re-render, nothing changed", []).append(
                timed(data, Path(tmp) / f"built-in{k}", "--builtin"))
    med = {name: statistics.median(times) for name, times in rows.items()}
    print(f"\n{'built-in route against real Quarto':45} {'median s':>9} {'min s':>7}")
    for name, times in rows.items():
        print(f"{name:45} {med[name]:9.2f} {min(times):7.2f}")
    ratio = med["built-in cold render"] / med["quarto cold render"]
    same = med["built-in re-render, nothing changed"]
    print(f"built-in cold / Quarto cold: {ratio:.2f} (target <= 0.50: {'met' if ratio <= 0.5 else 'NOT met'})")
    print(f"built-in re-render, nothing changed: {same:.2f} s (target <= 3 s: {'met' if same <= 3 else 'NOT met'})")


def append_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--large", type=int, default=1000, help="articles in the resampled corpus (0: skip)")
    args = ap.parse_args()
    rows: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.repeat):
            data, out = Path(tmp) / f"data{k}", Path(tmp) / f"out{k}"
            shutil.copytree(ROOT / "data", data)
            rows.setdefault("cold render (no caches)", []).append(render(data, out))
            rows.setdefault("re-render, nothing changed", []).append(render(data, out))
            append_line(data / "codebook.yaml", "frames:\n", PROBE)
            rows.setdefault("re-render after a one-line codebook edit", []).append(render(data, out))
            tr = data / "translations.csv"
            text = tr.read_text(encoding="utf-8").splitlines(keepends=True)
            text[1] = text[1].replace("Iraq", "Iraq (edited)", 1)
            tr.write_text("".join(text), encoding="utf-8")
            rows.setdefault("re-render after a one-line translation edit", []).append(render(data, out))
    cold = statistics.median(rows["cold render (no caches)"])
    print(f"{'scenario':45} {'median s':>9} {'min s':>7} {'ratio to cold':>14}")
    for name, times in rows.items():
        med = statistics.median(times)
        print(f"{name:45} {med:9.2f} {min(times):7.2f} {med / cold:14.2f}")
    print(f"({args.repeat} runs each; HTML and PDF; cold includes starting the kernel, as every render does)")
    quarto_comparison(args.repeat)
    if args.large:
        with tempfile.TemporaryDirectory() as tmp:
            data, out = resample(args.large, Path(tmp) / "data"), Path(tmp) / "out"
            cold = render(data, out)
            same = render(data, out)
            append_line(data / "codebook.yaml", "frames:\n", PROBE)
            edit = render(data, out)
        print(f"\n{args.large} resampled articles (1 run each)")
        for name, t in (("cold render (no caches)", cold), ("re-render, nothing changed", same),
                        ("re-render after a one-line codebook edit", edit)):
            print(f"{name:45} {t:9.2f} {'':7} {t / cold:14.2f}")


if __name__ == "__main__":
    main()
