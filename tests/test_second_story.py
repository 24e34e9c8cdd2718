"""A second story (tests/fixtures/water, written for testing): its own codebook, actors, events, rules and
report.yaml give a briefing of its own, with no trace of the seed story; `translations` lists and merges."""
from __future__ import annotations

import csv
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from analysis.cli import main

WATER = Path(__file__).parent / "fixtures" / "water" / "data"
SEED_WORDS = re.compile(r"postman|kadhimi|الكاظمي|qaani|قاآني|soleimani|سليماني|withdrawal|rocket", re.I)


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("water")
    shutil.copytree(WATER, tmp / "data")
    assert main(["render", "--data", str(tmp / "data"), "--out", str(tmp / "out"), "--quiet", "--builtin"]) == 0
    return tmp


@pytest.fixture(scope="module")
def html(study):
    return (study / "out" / "report.html").read_text(encoding="utf-8")


def test_title_and_sections_are_the_story_s(html):
    assert '<h1 class="title">Who blamed whom for the Wadi Zahra water cuts</h1>' in html
    for heading in ["Key judgments", "When will rationing end?", "Blaming the ministry", "Other frames"]:
        assert re.search(rf"<h2[^>]*>\s*{re.escape(heading)}", html), heading


def test_no_trace_of_the_seed_story(study, html):
    from pypdf import PdfReader
    assert not SEED_WORDS.search(text_of(html))
    pdf = " ".join(p.extract_text() for p in PdfReader(study / "out" / "report.pdf").pages)
    assert "Wadi Zahra" in pdf and not SEED_WORDS.search(pdf)


def test_key_judgments_counted_by_hand(html):
    t = text_of(html)
    # ministry_blame: w02 s1, w03 s1 (denied), w04 s2, w05 s2 (denied), w05 s3, w07 s1 (denied), w07 s2, w08 s1
    assert "Blaming the ministry. 3 of 3 outlets carry the frame" in t
    assert "3 of its 8 sentences are denials, voiced by Nadia Saleh" in t
    # w02 and w07 say "before summer": the deadline is the summer_season event of events.csv
    assert "rationing ends before summer (21 Jun 2025)" in t
    assert "Districts named: Old Town." in t


def test_arabic_cells_are_flagged_untranslated(html):
    assert "بشكل يومي (untranslated)" in text_of(html)


def test_a_corpus_of_more_than_three_weeks_is_counted_per_week(study):
    from analysis.pipeline import analyse
    from analysis.report import views
    a = analyse(study / "data")
    assert views.span_days(a) == 38  # 5 May – 12 Jun 2025: more than three weeks
    weekly = views.weekly(a)
    assert weekly.articles.sum() == 8
    # weeks start on Monday: 5 May 2025 is a Monday; w05 (2 Jun), w06 (9 Jun), w07 (10 Jun), w08 (12 Jun)
    assert list(weekly[weekly.outlet == "River Wire"].week.dt.strftime("%Y-%m-%d")) == ["2025-06-02", "2025-06-09"]


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_translations_missing_then_merged(study, capsys):
    data, out = study / "data", study / "out"
    assert main(["translations", "--missing", "--data", str(data), "--out", str(out), "--quiet"]) == 0
    sentences = read(out / "translations_missing.csv")
    words = read(out / "glossary_missing.csv")
    assert [w["arabic"] for w in words] == ["بشكل يومي"]
    by_id = {r["evidence_id"]: r for r in sentences}
    text = (data / "articles" / "w03.txt").read_text(encoding="utf-8")
    denial = "نفت وزيرة المياه نادية صالح أن تكون الوزارة مسؤولة عن انقطاع المياه."
    start = text.index(denial)
    eid = f"w03:{start}-{start + len(denial)}"
    assert by_id[eid]["arabic"] == denial and by_id[eid]["english"] == ""

    # a translator fills one sentence and the word; both merge back
    filled = out / "filled.csv"
    with open(filled, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(sentences[0]))
        w.writeheader()
        w.writerow({**by_id[eid], "english": "Water minister Nadia Saleh denied that the ministry was responsible.",
                    "translator": "test translator"})
    assert main(["translations", "--merge", str(filled), "--data", str(data), "--out", str(out), "--quiet"]) == 0
    rows = read(data / "translations.csv")
    assert [(r["evidence_id"], r["arabic"], r["translator"]) for r in rows] == [(eid, denial, "test translator")]
    words_filled = out / "words.csv"
    words_filled.write_text("arabic,english,translator,note\nبشكل يومي,daily,test translator,\n", encoding="utf-8")
    assert main(["translations", "--merge", str(words_filled), "--data", str(data), "--out", str(out), "--quiet"]) == 0
    assert read(data / "glossary.csv")[0]["english"] == "daily"
    assert main(["translations", "--missing", "--data", str(data), "--out", str(out), "--quiet"]) == 0
    assert eid not in {r["evidence_id"] for r in read(out / "translations_missing.csv")}
    assert read(out / "glossary_missing.csv") == []


def test_a_stale_translation_is_refused_and_nothing_merged(study, capsys):
    data, out = study / "data", study / "out"
    before = (data / "translations.csv").read_bytes()
    stale = out / "stale.csv"
    stale.write_text("evidence_id,article_id,start,end,arabic,english,translator,note\n"
                     "w01:0-10,w01,0,10,نص قديم لا يطابق,Old text,someone,\n", encoding="utf-8")
    assert main(["translations", "--merge", str(stale), "--data", str(data), "--out", str(out), "--quiet"]) == 2
    assert "no longer matches the article text" in capsys.readouterr().err
    assert (data / "translations.csv").read_bytes() == before
