"""The story lives in data/, never in the package: no frame id, actor, outlet, event or date of the seed
story may appear in analysis/**/*.py (code, comments or docstrings)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXED = ["postman", "Kadhimi", "الكاظمي", "Qaani", "قاآني", "سليماني", "Soleimani", "البرلمان", "Muhandis",
         "Tehran", "Washington", "Iraqi parliament"]


def story_words() -> set[str]:
    words = set(FIXED)
    codebook = yaml.safe_load((DATA / "codebook.yaml").read_text(encoding="utf-8"))
    words |= {f["id"] for f in codebook["frames"]}
    with open(DATA / "outlets.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            words |= {row["id"], row["name_en"], row["name_ar"]}
    actors = yaml.safe_load((DATA / "actors.yaml").read_text(encoding="utf-8")) or {}
    for actor in actors["actors"]:
        if actor["kind"] == "named":
            words |= {actor["id"], actor["name_en"], *actor["name_en"].split()}
    with open(DATA / "events.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            words |= {row["id"], row["date"]}
    return {w for w in words if len(w) > 3}


def test_the_word_list_is_the_story():
    words = story_words()
    assert {"postman", "withdrawal_timeline", "aljarida", "Al-Jarida", "2020-08-18", "soleimani_killed", "qaani",
            "Esmail Qaani"} <= words


def test_no_story_in_the_package():
    words = sorted(story_words(), key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words), re.IGNORECASE)
    dates = re.compile(r"\b20(?:19|20|21)\b")  # the story's years
    found = []
    for path in sorted((ROOT / "analysis").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in list(pattern.finditer(line)) + list(dates.finditer(line)):
                found.append(f"{path.relative_to(ROOT)}:{n}: {m.group(0)}")
    assert found == []
