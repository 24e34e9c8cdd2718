"""Validation on any story: article-level gold, optional stance and speaker, spans that must be sentences.

The corpus is tests/fixtures/portdeal (written for testing; its README says what each article holds).
Every figure below is worked out by hand from gold.csv and the four plain-term indicators.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.io.errors import InputError
from analysis.pipeline import analyse
from analysis.results.evaluate import ARTICLE, POOLED, SENTENCE, evaluate

PORTDEAL = Path(__file__).parent / "fixtures" / "portdeal"


@pytest.fixture(scope="module")
def port():
    return analyse(PORTDEAL)


def test_article_gold_is_read_as_such_and_scored_per_article(port):
    ev = evaluate(port, PORTDEAL / "gold.csv")
    assert ev.level == ARTICLE and ev.coded_articles == 10 and ev.sentence.empty
    t = ev.article.set_index("frame")
    # concession: gold in 001 005 006 008; the tool also in 004 (a football club's «تنازل»)
    assert (t.loc["concession", ["tp", "fp", "fn"]] == [4, 1, 0]).all()
    # economic: gold in 002 003 006 008 010; 003, 008 and 010 say only ازدهار / prosperity
    assert (t.loc["economic_windfall", ["tp", "fp", "fn"]] == [2, 0, 3]).all()
    assert t.loc["economic_windfall", "recall"] == pytest.approx(2 / 5)
    assert t.loc["economic_windfall", "f1"] == pytest.approx(2 * 2 / (2 * 2 + 0 + 3))
    # alpha over 10 articles: n = 20 values. concession: 9 ones (4 gold + 5 tool), 11 zeros, 1 unit disagrees
    # (o01 + o10 = 2): 1 - 19*2 / (2*11*9). economic: 7 ones, 13 zeros, 3 units disagree: 1 - 19*6 / (2*13*7)
    assert t.loc["concession", "alpha"] == pytest.approx(1 - 19 * 2 / (2 * 11 * 9))
    assert t.loc["economic_windfall", "alpha"] == pytest.approx(1 - 19 * 6 / (2 * 13 * 7))
    # pooled: tp 4+2+4+3 = 13, fp 1, fn 3
    assert (t.loc[POOLED, ["tp", "fp", "fn"]] == [13, 1, 3]).all()
    assert t.loc[POOLED, "f1"] == pytest.approx(26 / 30)
    fn = ev.disagreements[ev.disagreements.kind == "false negative"]
    assert sorted(fn.article_id) == ["003", "008", "010"]


def test_article_stance_counts_only_where_the_gold_gives_one(port):
    ev = evaluate(port, PORTDEAL / "gold.csv")
    # eight present rows carry a stance; 005 recognition is denied («نفى … أن يكون الاتفاق اعترافا»)
    assert int(ev.stance.iloc[-1].n) == 8
    rec = ev.stance.set_index("frame").loc["recognition"]
    assert rec.n == 3
    wrong = ev.disagreements[(ev.disagreements.kind == "wrong stance") & (ev.disagreements.frame == "recognition")]
    assert "005" not in set(wrong.article_id)


def test_cli_says_which_level_it_read(capsys, tmp_path):
    assert main(["evaluate", "--data", str(PORTDEAL), "--out", str(tmp_path), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Read article-level gold" in out and "Article-level agreement with gold (10 articles)" in out


def _with_gold(tmp_path, text: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(PORTDEAL, data)
    (data / "gold.csv").write_text(text, encoding="utf-8")
    return data


def test_sentence_gold_without_stance_or_speaker_is_scored_on_frames_only(tmp_path):
    # 006:s002 is 25-111 ("Opposition MP Lina Daoud said the government gave up …"), 006:s004 is 190-226
    data = _with_gold(tmp_path, "article_id,start,end,frame\n006,25,111,concession\n006,190,226,\n")
    a = analyse(data)
    ev = evaluate(a, data / "gold.csv")
    assert ev.level == SENTENCE and ev.coded_sentences == 2
    assert (ev.sentence.set_index("frame").loc["concession", ["tp", "fp", "fn"]] == [1, 0, 0]).all()
    assert int(ev.stance.iloc[-1].n) == 0 and int(ev.speaker.iloc[-1].n) == 0


def test_a_span_over_several_sentences_is_an_error_with_the_fix(tmp_path, capsys):
    # the whole of article 001 (0-234) as one gold row: four sentences, s001 to s004
    data = _with_gold(tmp_path, "article_id,start,end,frame,stance,speaker\n001,0,234,concession,reported,daoud\n")
    with pytest.raises(InputError) as e:
        evaluate(analyse(data), data / "gold.csv")
    msg = str(e.value)
    assert "gold.csv:2" in msg and "spans 4 sentences" in msg and "001:s001 to 001:s004" in msg
    assert "article_id,frame,present" in msg
    assert main(["validate", "--data", str(data), "--out", str(tmp_path / "out")]) == 2
    assert "spans 4 sentences" in capsys.readouterr().err


def test_part_of_a_sentence_is_an_error_giving_the_sentence_offsets(tmp_path):
    data = _with_gold(tmp_path, "article_id,start,end,frame\n006,25,60,concession\n")
    with pytest.raises(InputError) as e:
        evaluate(analyse(data), data / "gold.csv")
    assert "gold.csv:2" in str(e.value) and "write start=25, end=111" in str(e.value)


def test_article_gold_rows_are_checked(tmp_path):
    data = _with_gold(tmp_path, "article_id,frame,present\n001,concession,maybe\n999,concession,yes\n"
                                "002,recognitoin,yes\n002,recognition,yes\n002,recognition,no\n")
    with pytest.raises(InputError) as e:
        evaluate(analyse(data), data / "gold.csv")
    msg = str(e.value)
    assert "gold.csv:2" in msg and "present must be yes or no" in msg
    assert "gold.csv:3" in msg and "no article '999'" in msg
    assert "gold.csv:4" in msg and "did you mean 'recognition'" in msg
    assert "gold.csv:6" in msg and "already judged on line 5" in msg
