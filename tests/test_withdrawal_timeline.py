"""The shipped withdrawal frame keeps to its definition: a withdrawal and its *timeline*.

A withdrawal named with no time element (no deadline, period, date, schedule, speed or the parliament's
decision) in its sentence or within two sentences of it does not carry the frame; the same words with a
time element do.  Sentences written for testing, coded through the whole pipeline (the time element is a
`context` of the codebook, which runs after matching).  Near-miss articles of the same kind are in
tests/fixtures/nearmiss (ar12, ar13, en12, en13).
"""
from __future__ import annotations

import pytest
from conftest import with_shipped_inputs

from analysis.pipeline import analyse

W = "withdrawal_timeline"
ARTICLES = {
    # (language, lines); the frame is expected on the lines marked True
    "a1": ("ar", [("طالب المتظاهرون بخروج القوات الأمريكية من العراق قبل نهاية العام.", True)]),
    "a2": ("ar", [("وتحدث المنظمون عن مطالب كثيرة تخص الخدمات.", False),
                  ("وطالبوا بانسحاب القوات الأجنبية من العراق.", True),  # the deadline is in the next sentence
                  ("وأمهلوا الحكومة ستة أشهر لتنفيذ ذلك.", False)]),
    "a3": ("ar", [("وطالب المتظاهرون بانسحاب القوات الأجنبية من العراق.", False),  # its date is four sentences away
                  ("وتحدثوا عن الكهرباء.", False), ("وتحدثوا عن الماء.", False), ("وتحدثوا عن الطرق.", False),
                  ("وتستأنف المحادثات في أكتوبر.", False)]),
    "a4": ("ar", [("قال النائب إن خروج القوات الأمريكية من العراق يجب أن يتم بسرعة.", True)]),
    "e1": ("en", [("Protesters demanded that US troops leave Iraq within a year.", True)]),
    "e2": ("en", [("The cleric demanded the withdrawal of US troops from Iraq.", True),
                  ("He gave the government a deadline.", False)]),
    "e3": ("en", [("The cleric demanded the withdrawal of US troops from Iraq.", False),
                  ("He spoke about power cuts.", False), ("He spoke about water.", False), ("He spoke about roads.", False),
                  ("Talks resume in October.", False)]),
    "e4": ("en", [("Lawmakers said the withdrawal of US forces from Iraq should be immediate.", True)]),
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
