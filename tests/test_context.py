"""Frame scope (`context:` in the codebook): validation, the filter, and the shipped codebook.

Every sentence and article here is written for testing.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analysis.coding.article import code_frame, segment_article
from analysis.coding.context import apply_context
from analysis.inputs.codebook import load_codebook
from analysis.inputs.corpus import Article, Outlet
from analysis.io.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
OUTLET = Outlet("test", "Test Outlet", "منفذ اختبار", "Nowhere")

HEAD = """\
sets:
  place:
    ar: [الميناء]
    en: [harbour]
frames:
  - id: storm
    label_en: Storm
    indicators:
      ar:
        - term: [عاصفة]
          label: storm word
"""


def article(text: str, language: str = "ar", aid: str = "t1") -> Article:
    return Article(aid, f"articles/{aid}.txt", OUTLET, date(2020, 1, 1), language, text, "0" * 64)


def coded(text: str, codebook, language: str = "ar") -> list[tuple[str, str, str]]:
    """(frame, indicator, sentence number) of every mention that survives the context filter."""
    art = article(text, language)
    segments, _ = segment_article(art, [])
    rows = [r for f in codebook.frames for r in code_frame(art, segments, f)]
    return [(r["frame"], r["indicator"], r["sentence_id"].split(":")[1]) for r in apply_context(rows, segments, codebook)]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------- the filter

def test_indicator_context_in_the_same_sentence(tmp_path):
    cb = load_codebook(write(tmp_path, HEAD + """\
          context: {within: sentence, any: [<place>]}
"""))
    text = "هبت عاصفة على الميناء.\nهبت عاصفة على المدينة.\nأغلق الميناء."
    # sentence 1 has the place; sentence 2 has a storm but the place only in sentence 3
    assert coded(text, cb) == [("storm", "storm word", "s001")]


def test_indicator_context_in_a_window_of_sentences(tmp_path):
    cb = load_codebook(write(tmp_path, HEAD + """\
          context: {within: 1, any: [<place>]}
"""))
    # storms in sentences 1, 3 and 5; the place only in sentence 4: 3 and 5 are one away, 1 is three away
    text = "عاصفة أولى.\nكلام.\nعاصفة ثانية.\nأغلق الميناء.\nعاصفة ثالثة."
    assert coded(text, cb) == [("storm", "storm word", "s003"), ("storm", "storm word", "s005")]


def test_frame_context_anywhere_in_the_article(tmp_path):
    cb = load_codebook(write(tmp_path, HEAD + """\
    context:
      within: article
      ar: [<place>]
"""))
    assert coded("عاصفة في البحر.\nكلام.\nكلام آخر.\nوصلت السفن إلى الميناء.", cb) == [("storm", "storm word", "s001")]
    assert coded("عاصفة في البحر.\nكلام.\nوصلت السفن.", cb) == []


def test_frame_and_indicator_requirements_must_all_hold(tmp_path):
    cb = load_codebook(write(tmp_path, HEAD + """\
          context:
            - {within: 0, any: [مطر]}
            - {within: 1, any: [ريح]}
    context:
      within: article
      ar: [<place>]
"""))
    assert coded("عاصفة ومطر.\nريح شديدة.\nالميناء مغلق.", cb) == [("storm", "storm word", "s001")]
    assert coded("عاصفة ومطر.\nريح شديدة.", cb) == []            # no harbour in the article
    assert coded("عاصفة ومطر.\nكلام.\nريح.\nالميناء.", cb) == []   # wind two sentences away
    assert coded("عاصفة.\nريح ومطر.\nالميناء.", cb) == []          # rain not in the same sentence


def test_a_frame_context_for_one_language_leaves_the_other_alone(tmp_path):
    cb = load_codebook(write(tmp_path, HEAD + """\
      en:
        - term: [storm]
          label: storm word en
    context:
      within: article
      ar: [<place>]
"""))
    assert coded("A storm hit the coast.", cb, "en") == [("storm", "storm word en", "s001")]
    assert coded("عاصفة على الساحل.", cb) == []


def test_no_context_keeps_every_mention(tmp_path):
    cb = load_codebook(write(tmp_path, HEAD))
    assert coded("عاصفة.\nعاصفة أخرى.", cb) == [("storm", "storm word", "s001"), ("storm", "storm word", "s002")]


# ----------------------------------------------------------------- validation

BAD = [
    ("within word", "          context: {within: paragraph, any: [<place>]}\n", 12,
     "'within' must be 'sentence', 'article' or a whole number of sentences"),
    ("negative window", "          context: {within: -1, any: [<place>]}\n", 12, "got -1"),
    ("no patterns", "          context: {within: 1}\n", 12, "no patterns under 'any'"),
    ("misspelled key", "          context: {within: 1, amy: [<place>]}\n", 12, "unknown key 'amy'"),
    ("language key on indicator", "          context: {within: 1, ar: [<place>]}\n", 12, "unknown key 'ar'"),
    ("not a mapping", "          context: الميناء\n", 12, "'context' must be a mapping"),
    ("unknown set", "          context: {any: [<harbor>]}\n", 12, "unknown set <harbor>"),
    ("frame context without languages", "    context: {within: article}\n", 12, "no patterns for any language"),
    ("frame context unknown key", "    context: {within: article, any: [x]}\n", 12, "unknown key 'any'"),
    ("nested context", "        - near: [{term: ريح, context: {any: [x]}}, مطر]\n", 12,
     "'context' belongs on an indicator or a frame"),
]


@pytest.mark.parametrize("name,extra,line,what", BAD, ids=[b[0] for b in BAD])
def test_bad_context_names_file_line_and_fix(tmp_path, name, extra, line, what):
    path = write(tmp_path, HEAD + extra)
    with pytest.raises(InputError) as e:
        load_codebook(path)
    message = str(e.value)
    assert f"codebook.yaml:{line}:" in message, message
    assert what in message, message
    assert "fix:" in message


def test_a_context_needs_its_own_label(tmp_path):
    path = write(tmp_path, HEAD + """\
          context: {any: [<place>]}
        - term: [زوبعة]
          label: storm word
""")
    with pytest.raises(InputError) as e:
        load_codebook(path)
    assert "codebook.yaml:13:" in str(e.value) and "label 'storm word' is also used on line 10" in str(e.value)


def test_the_shipped_codebook_states_its_scopes():
    cb = load_codebook(ROOT / "data" / "codebook.yaml")
    katyusha = next(i for i in cb.frame("rocket_attacks").indicators["ar"] if i.label == "Katyusha")
    assert [c.within for c in katyusha.context] == [1]
    for fid in ("rocket_attacks", "withdrawal_timeline", "energy_sanctions", "postman"):
        assert [c.within for c in cb.frame(fid).context["ar"]] == [None], fid
        assert [c.within for c in cb.frame(fid).context["en"]] == [None], fid
    assert cb.frame("isis_threat").context == {}


# ----------------------------------------------------------------- the shipped codebook, on articles

SHIPPED = None


def shipped():
    global SHIPPED
    if SHIPPED is None:
        SHIPPED = load_codebook(ROOT / "data" / "codebook.yaml")
    return SHIPPED


def frames_of(text: str, language: str = "ar") -> set[str]:
    return {f for f, _, _ in coded(text, shipped(), language)}


SCOPE_CASES = [
    # (what, text, language, frame, expected)
    ("Katyusha on a Syrian town", "سقطت صواريخ كاتيوشا على بلدة في ريف إدلب.\nوقال الدفاع المدني إن ثلاثة مدنيين أصيبوا.",
     "ar", "rocket_attacks", False),
    ("Katyusha on the Green Zone", "سقط صاروخ كاتيوشا قرب المنطقة الخضراء في بغداد فجر اليوم.", "ar", "rocket_attacks", True),
    ("Katyusha, the base in the next sentence", "دوت صافرات الإنذار بعد سقوط الكاتيوشا.\nوكان الهدف قاعدة عين الأسد غربي العراق.",
     "ar", "rocket_attacks", True),
    ("Katyusha with Iraq only far away", "تحدث التقرير عن العراق.\nكلام عن الطقس.\nكلام عن السوق.\nعرض متحف المدينة صاروخ كاتيوشا قديما.",
     "ar", "rocket_attacks", False),
    ("Katyusha in Lebanon, English", "Katyusha rockets fell on a village in southern Lebanon overnight.", "en", "rocket_attacks", False),
    ("Katyusha on a US base, English", "Katyusha rockets hit the Ain al-Asad air base in western Iraq.", "en", "rocket_attacks", True),
    ("a man became a postman", "تحوّل الشاب إلى ساعي بريد في مدينته بعد إغلاق المصنع.", "ar", "postman", False),
    ("Iraq as a postman", "قال النائب إن طهران تريد أن يتحول العراق إلى ساعي بريد بينها وبين واشنطن.", "ar", "postman", True),
    ("we are not a postman, Baghdad", "وأضاف أن بغداد لن تكون ساعي بريد.\nوجاء ذلك بعد زيارة قائد إيراني.", "ar", "postman", True),
    ("became a postman, English", "He became a postman in his home town and played in the local band.", "en", "postman", False),
    ("Iraq is not a postman, English", "Kadhimi said Iraq would not play the postman between Tehran and Washington.", "en", "postman", True),
    ("France leaves Mali", "بدأت فرنسا سحب قواتها من مالي بعد تسع سنوات من الانتشار.", "ar", "withdrawal_timeline", False),
    ("US leaves Iraq", "بدأت الولايات المتحدة سحب قواتها من العراق وفق جدول زمني.", "ar", "withdrawal_timeline", True),
    ("France leaves Mali, English", "France began to withdraw its troops from Mali after nine years.", "en", "withdrawal_timeline", False),
    ("India's waiver", "منحت واشنطن الهند إعفاء من العقوبات لشراء النفط الإيراني لستة أشهر.", "ar", "energy_sanctions", False),
    ("Iraq's waiver", "منحت واشنطن العراق إعفاء من العقوبات لاستيراد الكهرباء من إيران.", "ar", "energy_sanctions", True),
    ("India's waiver, English", "Washington granted India a sanctions waiver to buy Iranian crude.", "en", "energy_sanctions", False),
    ("Iraq's waiver, English", "Washington extended Iraq's sanctions waiver to import Iranian electricity.", "en", "energy_sanctions", True),
]


@pytest.mark.parametrize("what,text,language,frame,expected", SCOPE_CASES, ids=[c[0] for c in SCOPE_CASES])
def test_shipped_scope(what, text, language, frame, expected):
    assert (frame in frames_of(text, language)) is expected, (what, frames_of(text, language))


def test_explain_says_which_context_vetoed_a_hit(seed):
    from analysis.coding.explain import explain
    out = explain(seed, text="سقطت صواريخ كاتيوشا على بلدة في ريف إدلب", language="ar")
    assert "rocket_attacks: not coded" in out
    assert ("x Katyusha  → 'كاتيوشا'  vetoed by context: needs any of [<iraq>, <iraq_places>] in the article"
            in out), out
    coded_here = explain(seed, text="سقطت صواريخ كاتيوشا على المنطقة الخضراء في بغداد", language="ar")
    assert "rocket_attacks: CODED" in coded_here and "vetoed by context" not in coded_here


def test_explain_of_a_seed_sentence_sees_its_article(seed):
    from analysis.coding.explain import explain
    # 002:s033 names قاعدة فيكتوريا and مطار بغداد itself; the article names Iraq
    out = explain(seed, sentence_id="002:s033")
    assert "rocket_attacks: CODED" in out and "vetoed by context" not in out


ROLE_CASES = [
    ("العراق لن يكون ساعي بريد لأحد.", "ar", True),
    ("نحن لسنا ساعي بريد، قال رئيس الوزراء العراقي.", "ar", True),
    ("تحول أبو علي إلى ساعي بريد في بغداد بعد تقاعده من التعليم.", "ar", False),
    ("Iraq will not be anyone's postman, the minister said.", "en", True),
    ("Baghdad does not want to be a mere postman.", "en", True),
    ("He worked as a postman in Baghdad before the war and now drives a taxi.", "en", False),
]


@pytest.mark.parametrize("text,language,expected", ROLE_CASES)
def test_postman_needs_iraq_in_the_role(text, language, expected):
    assert ("postman" in frames_of(text, language)) is expected, frames_of(text, language)


def test_not_vetoes_one_indicator_and_exclude_the_whole_frame(tmp_path):
    cb = load_codebook(write(tmp_path, HEAD + """\
          not: [تمرين]
        - term: [إعصار]
          label: hurricane word
    exclude:
      ar: [فيلم]
"""))
    # s001 both fire; s002 the drill vetoes the storm word only; s003 the film vetoes the frame
    text = "عاصفة ثم إعصار.\nتمرين على عاصفة وإعصار.\nفيلم عن عاصفة وإعصار."
    assert coded(text, cb) == [("storm", "storm word", "s001"), ("storm", "hurricane word", "s001"),
                               ("storm", "hurricane word", "s002")]
