"""A corpus of N articles resampled from the seed paragraphs, for size tests and benchmarks.

Each article takes 4–10 paragraphs drawn (seeded, so the same N gives the same
corpus) from the seed articles, is given to one of the seed outlets in turn, and
is dated over ten weeks.  The study files (codebook, actors, cues, rules, events,
report.yaml) are copied; translations and gold are not, since offsets change.

    .venv/bin/python benchmarks/resample.py 1000 /tmp/corpus1000
"""
from __future__ import annotations

import csv
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUDY_FILES = ("codebook.yaml", "actors.yaml", "cues.yaml", "rules.yaml", "events.csv", "boilerplate.yaml",
               "outlets.csv", "report.yaml")


def resample(n: int, dst: Path, src: Path = ROOT / "data", seed: int = 7) -> Path:
    rng = random.Random(seed)
    with open(src / "manifest.csv", encoding="utf-8") as f:
        seeds = list(csv.DictReader(f))
    paragraphs = [p for row in seeds for p in (src / row["file"]).read_text(encoding="utf-8").split("\n")
                  if len(p.split()) >= 8]
    outlets = sorted({row["outlet"] for row in seeds})
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "articles").mkdir(exist_ok=True)
    for name in STUDY_FILES:
        if (src / name).exists():
            shutil.copyfile(src / name, dst / name)
    start = date(2020, 6, 15)  # within the seed story's window, ten weeks long
    rows = []
    for i in range(n):
        body = "\n".join(rng.sample(paragraphs, rng.randint(4, min(10, len(paragraphs)))))
        rel = f"articles/r{i:05d}.txt"
        (dst / rel).write_text(body + "\n", encoding="utf-8")
        rows.append({"id": f"r{i:05d}", "file": rel, "outlet": outlets[i % len(outlets)], "outlet_basis": "stated",
                     "outlet_confidence": "high", "outlet_evidence": "resampled for testing",
                     "date": (start + timedelta(days=rng.randrange(70))).isoformat(), "date_basis": "stated",
                     "date_confidence": "high", "date_evidence": "resampled for testing", "title": "",
                     "language": "ar", "url": ""})
    with open(dst / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return dst


def main(argv: list[str] | None = None) -> int:
    import argparse

    def count(text: str) -> int:
        if not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number of articles (1 or more, e.g. 1000)")
        return int(text)
    ap = argparse.ArgumentParser(description="A corpus of N articles resampled from the seed paragraphs.")
    ap.add_argument("n", type=count, help="how many articles")
    ap.add_argument("folder", type=Path, help="where to write the corpus (made if missing)")
    args = ap.parse_args(argv)
    try:
        print(resample(args.n, args.folder))
    except OSError as e:  # a file where the folder should be, no permission, a full disk
        print(f"resample.py: cannot write the corpus to {args.folder}: {e.strerror or e}; "
              "give a folder you can write to", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
