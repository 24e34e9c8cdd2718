"""`import` at scale: N articles (default 100,000, about 7 KB of text each) from one CSV, near-copies included.

    .venv/bin/python benchmarks/import_scale.py                 # 100,000 articles (~700 MB of text)
    .venv/bin/python benchmarks/import_scale.py --n 10000 --keep /tmp/scale

The export is generated from the seed articles' words: each article is sentences whose words are drawn from
the seeds (seeded, so the same N gives the same export), so that unrelated articles share few 4-word runs, as
real news does; 2 % of the rows are near-copies of an earlier row (another headline line and a footer) that
the import must mark.  Then `python -m analysis import` runs in a subprocess into a blank study, and this
prints its time, peak RSS (the child's, from getrusage), articles/s and the near-copies found, with the ratio
to a baseline measured in the same run: reading the same CSV with the csv module (no checks, no writes).
Not a test: figures depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "articles"
COPY_SHARE = 0.02
BASELINE = "import csv, sys; csv.field_size_limit(10**8); n = sum(1 for _ in csv.reader(open(sys.argv[1], newline='', encoding='utf-8'))); print(n)"


def export(n: int, path: Path, size: int = 3800, seed: int = 11) -> tuple[int, int]:
    """Write the CSV; returns (bytes of text, near-copies planted)."""
    rng = random.Random(seed)
    words = [w for p in sorted(SEEDS.glob("*.txt")) for w in re.findall(r"\w+", p.read_text(encoding="utf-8"))]
    outlets = [f"outlet{i:02d}.example" for i in range(40)]
    total = copies = 0
    kept: list[tuple[int, str]] = []
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "title", "text", "media_name", "publish_date", "language", "url"])
        for i in range(n):
            if kept and rng.random() < COPY_SHARE:
                j, body = rng.choice(kept)
                text = f"عنوان آخر للخبر رقم {j}\n{body}\nنقلا عن وكالة أنباء {i}\n"
                copies += 1
            else:
                sentences, length = [], 0
                while length < size:
                    s = " ".join(rng.choices(words, k=rng.randint(12, 30))) + "."
                    sentences.append(s)
                    length += len(s) + 1
                text = "\n".join(sentences) + "\n"
                if len(kept) < 2000:
                    kept.append((i, text))
            total += len(text.encode("utf-8"))
            w.writerow([f"s{i:06d}", f"خبر رقم {i}", text, outlets[i % len(outlets)],
                        f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}", "ar", f"https://{outlets[i % len(outlets)]}/{i}"])
    return total, copies


def timed(cmd: list[str], cwd: Path) -> tuple[float, int, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB on Linux; the largest child so far
    return dt, max(peak, before), r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, help="work here and keep the files (default: a temporary folder)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="import-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    src = work / "export.csv"
    t = time.perf_counter()
    text_bytes, planted = export(args.n, src)
    print(f"export: {args.n:,} articles, {text_bytes / 1e6:,.0f} MB of text, {src.stat().st_size / 1e6:,.0f} MB "
          f"of CSV, {planted:,} near-copies planted ({time.perf_counter() - t:.0f} s to write)", flush=True)
    base_s, _, r = timed([sys.executable, "-c", BASELINE, str(src)], work)
    assert r.returncode == 0, r.stderr
    study = work / "study"
    shutil.rmtree(study, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "analysis", "init", str(study), "--blank", "-q"], check=True,
                   capture_output=True)
    dt, peak_kb, r = timed([sys.executable, "-m", "analysis", "import", str(src), "--data", "data", "-q"], study)
    if r.returncode:
        sys.exit(f"import failed:\n{r.stderr[-3000:]}")
    found = re.search(r"(\d+) near-copy", r.stdout)
    print(r.stdout.strip())
    print(f"baseline (csv module reads the export): {base_s:.1f} s")
    print(f"import: {dt:.1f} s ({dt / base_s:.1f}x the baseline), {args.n / dt:,.0f} articles/s, "
          f"peak RSS {peak_kb / 1024:,.0f} MB, near-copies marked {found.group(1) if found else 0} of {planted} planted")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
