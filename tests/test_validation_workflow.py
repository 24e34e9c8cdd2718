"""Validation on any story: article-level gold, optional stance and speaker, spans that must be sentences.

The corpus is tests/fixtures/portdeal (written for testing; its README says what each article holds).
Every figure below is worked out by hand from gold.csv and the four plain-term indicators.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
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


# ---- the two-coder workflow: sample, sheet, read back, agreement --------------------------------------

from analysis.results import sampling  # noqa: E402


def test_sample_is_reproducible_and_keeps_the_stated_ratio(port):
    a = sampling.draw(port, 10, seed=7)
    b = sampling.draw(port, 10, seed=7)
    assert list(a.units.unit_id) == list(b.units.unit_id)
    assert list(sampling.draw(port, 10, seed=8).units.unit_id) != list(a.units.unit_id)
    # 40 sentences, 14 carry a frame (001: 2, 002: 2, 003: 1, 004: 1, 005: 2, 006: 2, 007: 2, 008: 1, 010: 1)
    d = a.design.set_index("unit_id")
    assert a.units.unit_id.is_unique and len(a.units) == 10
    assert (d.group == sampling.CODED).sum() == 5 and (d.group == sampling.NOT_CODED).sum() == 5
    assert set(d[d.group == sampling.CODED].cell_units) == {14} and set(d[d.group == sampling.NOT_CODED].cell_units) == {26}
    assert set(d[d.group == sampling.CODED].weight) == {14 / 5}
    coded = set(port.stances.sentence_id)
    assert all((u in coded) == (g == sampling.CODED) for u, g in d.group.items())


def test_sample_by_language_spreads_each_group_in_proportion(port):
    s = sampling.draw(port, 10, by="language", seed=1)
    got = s.design.groupby(["group", "stratum"]).size().to_dict()
    # coded: ar 8, en 6 of 14; 5 draws: 2.86 / 2.14 -> 2 + 2, the larger remainder (ar) gets the fifth.
    # not coded: ar 12, en 14 of 26; 5 draws: 2.31 / 2.69 -> 2 + 2, en gets the fifth.
    assert got == {(sampling.CODED, "ar"): 3, (sampling.CODED, "en"): 2,
                   (sampling.NOT_CODED, "ar"): 2, (sampling.NOT_CODED, "en"): 3}


def test_allocate_hand_worked():
    assert sampling.allocate({"a": 8, "b": 6}, 5) == {"a": 3, "b": 2}
    assert sampling.allocate({"a": 1, "b": 9}, 6) == {"a": 1, "b": 5}   # 0.6 / 5.4 -> 0 + 5, a's remainder wins
    assert sampling.allocate({"a": 2, "b": 2}, 9) == {"a": 2, "b": 2}   # never more than a cell holds


def test_sheet_never_shows_the_tools_answers(port, tmp_path):
    s = sampling.draw(port, 12, by="frame", seed=2)
    text = sampling.sheet_csv(s)
    header = text.splitlines()[0].split(",")
    assert header == list(sampling.SHEET_COLUMNS)
    assert (s.units[list(sampling.CODER_COLUMNS)] == "").all().all()
    for frame in port.codebook.frame_ids:  # the strata are frames here: none may leak into the sheet
        assert frame not in text
    from openpyxl import load_workbook
    (tmp_path / "s.xlsx").write_bytes(sampling.sheet_xlsx(s, port.codebook))
    ws = load_workbook(tmp_path / "s.xlsx")["coding"]
    assert [c.value for c in ws[1]] == list(sampling.SHEET_COLUMNS)
    assert all(ws.cell(r, 9).value in (None, "") for r in range(2, ws.max_row + 1))


def test_formula_cells_are_neutralised(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(PORTDEAL, data)
    (data / "articles" / "009.txt").write_text('=HYPERLINK("http://x.example","storm")\n\n@SUM(A1) closed the harbour.\n',
                                               encoding="utf-8")
    a = analyse(data)
    s = sampling.draw(a, 38, seed=0)  # every sentence (009 now has two)
    csv_text = sampling.sheet_csv(s)
    assert "'=HYPERLINK(" in csv_text and ",'@SUM(A1)" in csv_text and ",=" not in csv_text
    from openpyxl import load_workbook
    (tmp_path / "s.xlsx").write_bytes(sampling.sheet_xlsx(s, a.codebook))
    ws = load_workbook(tmp_path / "s.xlsx")["coding"]
    cells = [ws.cell(r, 7) for r in range(2, ws.max_row + 1) if str(ws.cell(r, 7).value).startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)  # text, not a formula


def _sheet(tmp_path, name, rows):
    p = tmp_path / name
    p.write_text("unit_id,frame,stance,speaker\n" + "".join(f"{u},{f},,\n" for u, f in rows), encoding="utf-8")
    return p


GOLD_ARTICLES = [("001", "concession"), ("001", "mediation"), ("002", "economic_windfall"), ("002", "recognition"),
                 ("003", "economic_windfall"), ("003", "mediation"), ("004", "none"), ("005", "concession"),
                 ("005", "recognition"), ("006", "concession"), ("006", "economic_windfall"), ("007", "mediation"),
                 ("007", "recognition"), ("008", "economic_windfall"), ("008", "concession"), ("009", "none"),
                 ("010", "mediation"), ("010", "economic_windfall")]


def test_two_coders_agreement_hand_worked(port, tmp_path):
    one = sampling.read_sheet(_sheet(tmp_path, "one.csv", GOLD_ARTICLES), port)
    # coder 2 differs from coder 1 on one unit: 002 without the economic frame
    two = sampling.read_sheet(_sheet(tmp_path, "two.csv", [r for r in GOLD_ARTICLES if r != ("002", "economic_windfall")]), port)
    design = pd.DataFrame({"unit_id": ["003"], "weight": [4.0]})  # 003 stands for four articles, the rest for one
    t = sampling.agreement(port, [one, two], ["c1", "c2"], design).set_index("frame")
    assert t.loc["economic_windfall", "units"] == 10
    # coder 1 is the fixture's gold: the tool finds economic in 002 and 006 of 002 003 006 008 010
    assert t.loc["economic_windfall", "c1~tool R"] == pytest.approx(2 / 5)
    assert t.loc["concession", "c1~tool α"] == pytest.approx(1 - 19 * 2 / (2 * 11 * 9))
    # weighted: found 002 (1) + 006 (1) of 002 (1) + 003 (4) + 006 + 008 + 010 (1 each) = 2 / 8
    assert t.loc["economic_windfall", "c1~tool R weighted"] == pytest.approx(2 / 8)
    # coders: economic 5 + 4 ones, 11 zeros over 10 units, one unit apart: 1 - 19*2 / (2*11*9)
    assert t.loc["economic_windfall", "c1~c2 α"] == pytest.approx(1 - 19 * 2 / (2 * 11 * 9))
    assert t.loc["mediation", "c1~c2 α"] == pytest.approx(1.0)


def test_a_filled_sheet_is_checked_row_by_row(port, tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("unit_id,frame,stance,speaker\n001,,,\n002,concesion,,\n999,none,,\n003,none,,\n003,mediation,,\n"
                 "005,recognition,rejected,\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        sampling.read_sheet(p, port)
    msg = str(e.value)
    assert "bad.csv:2" in msg and "not coded" in msg and "'none'" in msg
    assert "bad.csv:3" in msg and "did you mean 'concession'" in msg
    assert "bad.csv:4" in msg and "unit '999'" in msg
    assert "bad.csv:5" in msg and "coded 'none' and also with a frame" in msg
    assert "bad.csv:7" in msg and "stance 'rejected'" in msg


def test_cli_sample_then_agree_on_the_xlsx(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["sample", "--data", str(PORTDEAL), "--out", str(out), "--n", "6", "--unit", "article", "--seed", "4", "-q"]) == 0
    from openpyxl import load_workbook
    wb = load_workbook(out / "coding" / "sample.xlsx")
    ws = wb["coding"]
    gold = dict(GOLD_ARTICLES[::-1])  # one frame per article is enough here
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 9).value = gold[ws.cell(r, 1).value]
    wb.save(out / "coding" / "coder1.xlsx")
    capsys.readouterr()
    assert main(["agree", str(out / "coding" / "coder1.xlsx"), "--data", str(PORTDEAL), "--out", str(out), "-q"]) == 0
    assert "agreement on 6 unit(s)" in capsys.readouterr().out
    assert (out / "tables" / "agreement.csv").exists()


# ---- suggest: keyness (G², chi²) on folded words and pairs --------------------------------------------

import math  # noqa: E402

from analysis.match.grammar import fold_word  # noqa: E402
from analysis.results import keyness  # noqa: E402
from analysis.text.normalize import normalize  # noqa: E402


@pytest.mark.parametrize("word, folded", [("والحكومة", "حكومه"), ("بالاتفاق", "اتفاق"), ("للحكومة", "حكومه"),
                                          ("وبالغاز", "غاز"), ("وزير", "وزير"), ("الله", "الله"), ("Tarsa's", "tarsa")])
def test_fold_word(word, folded):
    assert fold_word(normalize(word)) == folded


TINY_CODEBOOK = """# written for testing
frames:
  - id: gas
    label_en: Gas money
    indicators:
      ar: [غاز]
      en: [gas money]
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    d = tmp_path_factory.mktemp("tiny")
    (d / "articles").mkdir()
    (d / "articles" / "e.txt").write_text("Gas money helps.\nGas money helps schools.\nSchools open.\nRain falls.\n", encoding="utf-8")
    (d / "articles" / "a.txt").write_text("وقالت الحكومة إن الغاز مهم.\nوبالغاز تعمل الحكومة.\nالمطر غزير.\n", encoding="utf-8")
    (d / "outlets.csv").write_text("id,name_en,name_ar,country,url\nx,X,س,Nowhere (written for testing),\n", encoding="utf-8")
    (d / "manifest.csv").write_text("id,file,outlet,date,language\ne,articles/e.txt,x,2022-10-01,en\na,articles/a.txt,x,2022-10-01,ar\n",
                                    encoding="utf-8")
    (d / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (d / "actors.yaml").write_text("# written for testing\nactors: []\n", encoding="utf-8")
    return analyse(d)


def test_keyness_hand_worked_on_a_tiny_corpus(tiny):
    k, _ = keyness.suggest(tiny, "gas", None, "lr", top=10, min_count=2)
    en = k[k.language == "en"]
    # target (the two gas sentences): gas money helps | gas money helps schools -> 3 + 4 words, 2 + 3 pairs = 12
    # reference: schools open | rain falls -> 2 + 2 words, 1 + 1 pairs = 6; N = 18
    # each of gas, money, helps, "gas money", "money helps": a=2, b=0, c=10, d=6; expected a: 12*2/18
    e_a, e_c, e_d = 12 * 2 / 18, 12 * 16 / 18, 6 * 16 / 18
    g2 = 2 * (2 * math.log(2 / e_a) + 10 * math.log(10 / e_c) + 6 * math.log(6 / e_d))
    assert list(en.feature) == ["gas", "gas money", "helps", "money", "money helps"]  # ties: by feature
    assert en.score.tolist() == pytest.approx([g2] * 5)
    assert (en.n_target == 2).all() and (en.n_reference == 0).all()
    assert en.example.iloc[0] == "…【Gas】 money helps.…" and en.sentence_id.iloc[0] == "e:s001"
    # "gas money" is the indicator's own match there; "helps" is a new candidate
    assert dict(zip(en.feature, en.indicator)) == {"gas": "gas money", "gas money": "gas money", "helps": "",
                                                   "money": "gas money", "money helps": ""}
    # chi² with Yates: N (|ad - bc| - N/2)² / ((a+b)(c+d)(a+c)(b+d)) = 18 (12 - 9)² / (2*16*12*6)
    c, _ = keyness.suggest(tiny, "gas", None, "chi2", top=10, min_count=2)
    assert c[c.language == "en"].score.iloc[0] == pytest.approx(18 * 9 / (2 * 16 * 12 * 6))
    # Arabic: الغاز and وبالغاز are one feature غاز, الحكومة twice حكومه; 'schools' (1 in, 1 out) is not listed
    ar = k[k.language == "ar"].set_index("feature")
    assert ar.loc["غاز", "n_target"] == 2 and ar.loc["حكومه", "n_target"] == 2
    assert "schools" not in set(en.feature)
    assert "【وبالغاز】" in ar.loc["غاز", "example"] or "【الغاز】" in ar.loc["غاز", "example"]


def test_g2_and_chi2_against_a_table_worked_by_hand():
    # [[4, 1], [6, 29]]: E = 1.25, 3.75, 8.75, 26.25
    assert keyness.g2(4, 1, 6, 29) == pytest.approx(
        2 * (4 * math.log(4 / 1.25) + 1 * math.log(1 / 3.75) + 6 * math.log(6 / 8.75) + 29 * math.log(29 / 26.25)))
    assert keyness.chi2_yates(4, 1, 6, 29) == pytest.approx(40 * (4 * 29 - 1 * 6 - 20) ** 2 / (5 * 35 * 10 * 30))


def test_suggest_surfaces_the_words_of_the_missed_articles(port):
    k, note = keyness.suggest(port, "economic_windfall", PORTDEAL / "gold.csv", top=5)
    assert "missed the frame in 3 article(s)" in note
    missed = k[k.list == keyness.MISSED]
    en = missed[missed.language == "en"]
    # prosperity: twice in 008, once in 010, never in the other English articles
    assert en.feature.iloc[0] == "prosperity" and en.n_target.iloc[0] == 3 and en.n_reference.iloc[0] == 0
    ar = missed[missed.language == "ar"].set_index("feature")
    assert ar.loc["ازدهار", "n_target"] == 2 and ar.loc["ازدهار", "n_reference"] == 0


def test_suggest_unknown_frame_says_which(port, capsys):
    assert main(["suggest", "economic", "--data", str(PORTDEAL), "--out", "/tmp/unused-suggest", "-q"]) == 2
    assert "did you mean 'economic_windfall'" in capsys.readouterr().err


def test_the_briefing_shows_the_level_it_was_validated_at(tmp_path):
    from analysis.report.briefing import load
    b = load(PORTDEAL, figures_dir=tmp_path)
    table = b.validation_table()
    assert "are at article level" in table and "Art\\. F1" not in table
    assert b.validation_article_table() == ""  # the table above is already per article
    assert b.gold_sentences == "10 articles"
    assert "hand coding of 10 articles" in str(b.trust()) and "F1 0.87" in str(b.trust())  # 26/30, as above
