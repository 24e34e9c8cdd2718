"""Near-duplicates: found at import on both sides of the threshold, marked duplicate_of their first
occurrence, and set aside by --dedupe / report.yaml's `dedupe: true`.

The story in tests/fixtures/import/neardup_base.txt was written for testing; the copies are made here by
replacing chosen words with marker words."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.ingest.dedupe import THRESHOLD

ROOT = Path(__file__).resolve().parents[1]
BASE = (ROOT / "tests" / "fixtures" / "import" / "neardup_base.txt").read_text(encoding="utf-8")
WORDS = BASE.split()


def changed(positions) -> str:
    w = list(WORDS)
    for i in positions:
        w[i] = f"marker{i}"
    return " ".join(w)


def grams(text: str) -> set:
    """An independent count of word 4-grams (the base story has no punctuation the decision would fold)."""
    w = text.lower().split()
    return {tuple(w[i:i + 4]) for i in range(len(w) - 3)}


def jaccard(a: str, b: str) -> float:
    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y)


HEADLINE = "Valley council backs fish channel study"   # 6 new words before the story
FOOTER = "Copyright the regional news agency all rights reserved"  # 8 new words after it
COPY = f"{HEADLINE}\n{BASE.strip()}\n{FOOTER}\n"
ABOVE = changed(range(5, 5 + 14 * 15, 14))      # 15 words changed, 14 apart
BELOW = changed(range(12, 12 + 14 * 22, 14))    # 22 other words changed
COPY_OF_COPY = f"{HEADLINE}\n{BASE.strip()}\nDistributed by another wire service today\n"
OTHER = ("The national rail company said on Friday that the new line to the coast would open in the autumn, two "
         "years later than planned, after engineers found weak ground under a viaduct near the river mouth.")


def test_the_fixture_sits_on_both_sides_of_the_threshold():
    n = len(WORDS)
    assert n == 316 and len(grams(BASE)) == n - 3  # 313 distinct 4-grams: no 4-gram repeats in the story
    # 6 headline words before the story add 6 new 4-grams (one starting at each of them), 8 footer words
    # after it add 8 (one ending at each): union 313 + 14, intersection 313
    assert jaccard(BASE, COPY) == pytest.approx(313 / (313 + 6 + 8))  # 0.957: each new word adds one 4-gram
    # each changed word (14 apart, so windows do not overlap) removes 4 4-grams and adds 4 new ones
    assert jaccard(BASE, ABOVE) == pytest.approx((313 - 60) / (313 + 60))  # 253/373 = 0.678 >= 0.6
    assert jaccard(BASE, BELOW) == pytest.approx((313 - 88) / (313 + 88))  # 225/401 = 0.561 < 0.6
    assert THRESHOLD == 0.6


def write_csv(path: Path, rows: list[tuple[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "outlet", "date", "language"])
        for i, (aid, text) in enumerate(rows):
            w.writerow([aid, text, f"Paper {i}", "2021-09-0" + str(i + 1), "en"])


def test_import_marks_near_copies_of_their_first_occurrence(capsys, tmp_path):
    src = tmp_path / "wire.csv"
    write_csv(src, [("base", BASE), ("copy", COPY), ("above", ABOVE), ("below", BELOW), ("other", OTHER),
                    ("copy2", COPY_OF_COPY)])
    data = tmp_path / "data"
    assert main(["import", str(src), "--data", str(data), "--out", str(tmp_path / "o"), "-q"]) == 0
    out = capsys.readouterr().out
    assert "3 near-copy(ies) of earlier articles (word 4-gram Jaccard ≥ 0.6)" in out
    with open(data / "manifest.csv", encoding="utf-8", newline="") as f:
        marks = {r["id"]: r["duplicate_of"] for r in csv.DictReader(f)}
    # copy2 is nearest to copy, but is marked with the first occurrence of the story
    assert marks == {"base": "", "copy": "base", "above": "base", "below": "", "other": "", "copy2": "base"}
    assert main(["validate", "--data", str(data)]) == 0


def test_dedupe_counts_each_story_once(capsys, tmp_path, data_copy):
    """A near-copy of a seed article under another outlet: counted twice without --dedupe, once with it."""
    seed = (data_copy / "articles" / "002_60db55bcef7aaadf.txt").read_text(encoding="utf-8")
    src = tmp_path / "syndicated.csv"
    with open(src, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "media_name", "publish_date", "language"])
        w.writerow(["aggregated", "عنوان آخر للخبر نفسه\n" + seed + "\nنقلا عن وكالة أخرى\n", "aggregator.example",
                    "2020-08-21", "ar"])
    out = tmp_path / "o"
    before = tmp_path / "before"
    assert main(["code", "--data", str(data_copy), "--out", str(before), "-q", "--jobs", "1"]) == 0
    assert main(["import", str(src), "--data", str(data_copy), "--out", str(out), "-q"]) == 0
    assert main(["code", "--data", str(data_copy), "--out", str(out), "-q", "--jobs", "1"]) == 0
    dup = (out / "tables" / "outlet_frame.csv").read_text(encoding="utf-8")
    assert "aggregator.example" in dup
    assert main(["code", "--data", str(data_copy), "--out", str(out), "-q", "--jobs", "1", "--dedupe"]) == 0
    capsys.readouterr()
    assert (out / "tables" / "outlet_frame.csv").read_text(encoding="utf-8") == \
        (before / "tables" / "outlet_frame.csv").read_text(encoding="utf-8")
    # the briefing's switch, and its one sentence
    from analysis.report.briefing import load
    b = load(data_copy, figures_dir=tmp_path / "fig")
    assert b.copies == ("1 article is a near-copy of others, counted as they appear (`dedupe: true` in "
                        "report.yaml counts each story once).")
    with open(data_copy / "report.yaml", "a", encoding="utf-8") as f:
        f.write("dedupe: true\n")
    b = load(data_copy, figures_dir=tmp_path / "fig")
    assert b.copies == "1 near-copy of other articles set aside: each story counts once."
    assert b.n_articles == 5
    shutil.rmtree(tmp_path / "fig", ignore_errors=True)
