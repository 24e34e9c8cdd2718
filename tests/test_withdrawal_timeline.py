"""The shipped withdrawal frame keeps to its definition: a withdrawal and its *timeline*.

A withdrawal (or the presence or future of US or foreign forces) named with no time element of its
own in the sentence (no deadline, duration, date it is to happen by, schedule, speed, the parliament's
decision, troop numbers or the strategic dialogue) does not carry the frame, even when the next
sentence gives one; the same words with a time element do.  Sentences written for testing, one short
article each, coded through the whole pipeline (the time element is a `context` of the codebook,
which runs after matching).  Near-miss articles of the same kind are in tests/fixtures/nearmiss
(ar12, ar13, ar14, en12, en13, en14).
"""
from __future__ import annotations

import pytest
from conftest import with_shipped_inputs

from analysis.pipeline import analyse

W = "withdrawal_timeline"
ARTICLES = {
    # (language, lines); the frame is expected on the lines marked True.  Written for testing.
    # -- no time element of its own: not the frame
    "a_priority": ("ar", [("قال النائب إن خروج القوات الأجنبية من العراق أولوية وطنية.", False)]),
    "a_wants": ("ar", [("تريد إيران إخراج الأمريكيين من العراق.", False)]),
    "a_condition": ("ar", [("وقال المسؤول إن القوات الأمريكية لن تغادر العراق حتى تتوقف الهجمات على قواعدها.", False)]),
    "a_next": ("ar", [("وتحدث المنظمون عن مطالب كثيرة تخص الخدمات.", False),
                      ("وطالبوا بانسحاب القوات الأجنبية من العراق.", False),  # the deadline is in the next sentence
                      ("وأمهلوا الحكومة ستة أشهر لتنفيذ ذلك.", False)]),
    "a_other_date": ("ar", [("وفي آذار الماضي، رفع متظاهرون في البصرة لافتات تطالب بطرد القوات الأجنبية من العراق.", False)]),
    "a_stay": ("ar", [("وقال إن بقاء القوات الأمريكية في العراق يهدد أمن المنطقة.", False)]),
    # -- with a time element in the sentence: the frame
    "a_deadline": ("ar", [("طالب المتظاهرون بخروج القوات الأمريكية من العراق قبل نهاية العام.", True)]),
    "a_duration": ("ar", [("وتريد طهران انسحاب القوات الأجنبية من العراق في غضون ستة أشهر.", True)]),
    "a_digits": ("ar", [("اتفق الجانبان على سحب القوات الأمريكية من العراق خلال 3 سنوات.", True)]),
    "a_date": ("ar", [("ودعا إلى إخراج القوات الأجنبية من العراق بحلول تموز المقبل.", True)]),
    "a_year": ("ar", [("واتفق الجانبان على تمديد بقاء القوات الأمريكية في العراق حتى 2022.", True)]),
    "a_speed": ("ar", [("قال النائب إن خروج القوات الأمريكية من العراق يجب أن يتم بسرعة.", True)]),
    "a_gradual": ("ar", [("وطالب بانسحاب تدريجي للقوات الأجنبية من العراق.", True)]),
    "a_plan": ("ar", [("وقدمت واشنطن خطة لانسحاب القوات الأمريكية من العراق.", True)]),
    "a_not_before": ("ar", [("لن يمر العام إلا وقد تم طرد القوات الأجنبية من العراق.", True)]),
    "a_parliament": ("ar", [("ودعا الحكومة العراقية إلى تنفيذ قرار البرلمان بإخراج القوات الأجنبية من البلاد.", True)]),
    "a_passed": ("ar", [("وطالب بتنفيذ القرار الذي أقره البرلمان العراقي بإخراج القوات الأجنبية.", True)]),
    "a_numbers": ("ar", [("ويبلغ عدد الجنود الأمريكيين في العراق نحو 3000 جندي أمريكي.", True)]),
    "a_dialogue": ("ar", [("ويبحث الحوار الاستراتيجي بين بغداد وواشنطن مستقبل القوات الأمريكية في العراق.", True)]),
    # -- English, no time element of its own
    "e_priority": ("en", [("An MP said the exit of foreign forces from Iraq is a national priority.", False)]),
    "e_wants": ("en", [("Iran wants US troops out of Iraq.", False)]),
    "e_condition": ("en", [("US forces will not leave Iraq until the attacks on their bases stop, an official said.", False)]),
    "e_next": ("en", [("The cleric demanded the withdrawal of US troops from Iraq.", False),
                      ("He gave the government a deadline.", False)]),
    "e_other_date": ("en", [("In January, protesters in Basra demanded the withdrawal of US troops from Iraq.", False)]),
    "e_presence": ("en", [("He said the presence of US forces in Iraq threatens the region.", False)]),
    # -- English, with a time element in the sentence
    "e_duration": ("en", [("Protesters demanded that US troops leave Iraq within a year.", True)]),
    "e_speed": ("en", [("Lawmakers said the withdrawal of US forces from Iraq should be immediate.", True)]),
    "e_quick": ("en", [("Iran wants a quick exit of US troops from Iraq.", True)]),
    "e_speed_up": ("en", [("The militias urged Baghdad to speed up the withdrawal of US forces from Iraq.", True)]),
    "e_plan": ("en", [("Washington presented a withdrawal plan for US forces in Iraq.", True)]),
    "e_date": ("en", [("The cleric called for the withdrawal of US troops from Iraq by July.", True)]),
    "e_year": ("en", [("US troops will stay in Iraq until 2022 under the deal.", True)]),
    "e_parliament": ("en", [("The Iraqi parliament voted in January to expel foreign troops from the country.", True)]),
    "e_passed": ("en", [("He urged the government to apply the resolution passed by parliament on the exit of foreign forces from Iraq.", True)]),
    "e_numbers": ("en", [("About 2,500 US troops remain in Iraq.", True)]),
    "e_dialogue": ("en", [("The strategic dialogue will decide the future of US forces in Iraq.", True)]),
}


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    src = tmp_path_factory.mktemp("withdrawal") / "src"
    (src / "articles").mkdir(parents=True)
    rows = ["id,file,outlet,date,language"]
    for aid, (lang, lines) in ARTICLES.items():
        (src / "articles" / f"{aid}.txt").write_text("\n".join(t for t, _ in lines) + "\n", encoding="utf-8")
        rows.append(f"{aid},articles/{aid}.txt,x,2020-08-20,{lang}")
    (src / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (src / "outlets.csv").write_text("id,name_en,name_ar,country,url\nx,X,س,Nowhere (written for testing),\n", encoding="utf-8")
    return analyse(with_shipped_inputs(src, src.parent / "data"))


@pytest.mark.parametrize("aid", sorted(ARTICLES))
def test_withdrawal_needs_its_timeline(coded, aid):
    lang, lines = ARTICLES[aid]
    have = set(coded.stances.sentence_id[coded.stances.frame == W])
    got = [f"{aid}:s{i:03d}" in have for i in range(1, len(lines) + 1)]
    assert got == [want for _, want in lines], [t for t, _ in lines]


def test_seed_gold_withdrawal_rows_are_the_blind_coders():
    """data/gold.csv's withdrawal_timeline rows are the sentences the blind coder of issue 21 coded 1
    (docs/validation.md): 12 of the 96, and every sentence of the sheet is still a gold sentence."""
    import csv
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    with (root / "docs" / "validation" / "issue21_withdrawal_blind_coding.csv").open(encoding="utf-8") as f:
        sheet = {r["unit"]: r["withdrawal_timeline"] for r in csv.DictReader(f)}
    with (root / "data" / "gold.csv").open(encoding="utf-8", newline="") as f:
        gold = list(csv.DictReader(f))
    units = {f"{r['article_id']}:{r['start']}-{r['end']}" for r in gold}
    positive = {f"{r['article_id']}:{r['start']}-{r['end']}" for r in gold if r["frame"] == W}
    assert len(sheet) == len(units) == 96 and set(sheet) == units
    assert positive == {u for u, v in sheet.items() if v == "1"} and len(positive) == 12
