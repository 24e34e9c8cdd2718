"""Resampled corpora for the benchmarks: N articles, each a shuffle of seed paragraphs.

Every text differs (paragraph order and a numbered last line), so no cache or
de-duplication can shortcut the work.  Outlets, boilerplate rules, codebook,
actors and cues are copied from data/ unchanged.
"""
from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPY = ("outlets.csv", "boilerplate.yaml", "codebook.yaml", "actors.yaml", "cues.yaml", "events.csv")


def build(n: int, dest: Path, seed: int = 9, paragraphs: int = 12) -> Path:
    """A data folder of n articles under dest; returns dest."""
    src = ROOT / "data"
    with open(src / "manifest.csv", encoding="utf-8", newline="") as f:
        manifest = list(csv.DictReader(f))
    pools = {}
    for row in manifest:
        text = (src / row["file"]).read_text(encoding="utf-8")
        pools.setdefault(row["language"], []).extend(p for p in text.split("\n") if p.strip())
    rng = random.Random(seed)
    (dest / "articles").mkdir(parents=True, exist_ok=True)
    for name in COPY:
        if (src / name).exists():
            shutil.copy(src / name, dest / name)
    rows = []
    for k in range(n):
        base = manifest[k % len(manifest)]
        pool = pools[base["language"]]
        body = rng.sample(pool, min(paragraphs, len(pool)))
        body.append(f"({k})")
        rel = f"articles/{k:06d}.txt"
        (dest / rel).write_text("\n".join(body) + "\n", encoding="utf-8")
        rows.append({**base, "id": f"{k:06d}", "file": rel, "url": ""})
    with open(dest / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(manifest[0]))
        w.writeheader()
        w.writerows(rows)
    return dest
