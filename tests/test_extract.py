from pathlib import Path

import pandas as pd
import pytest

from analysis.inputs.codebook import CODEBOOK, load_codebook
from analysis.inputs.corpus import load_events
from analysis.inputs.cues import load_cues
from analysis.inputs.extraction_rules import load_extraction_rules
from analysis.io.errors import Problems
from analysis.text.normalize import normalize

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def rules():
    problems = Problems()
    cb = load_codebook(DATA / CODEBOOK, problems)
    r = load_extraction_rules(DATA, problems, frame_ids=cb.frame_ids, events=load_events(DATA),
                              cue_kinds=load_cues(DATA, problems).kinds())
    problems.raise_if_any()
    return r


def claims(sentence, rules=None):
    rules = rules or _RULES[0]
    norm = normalize(sentence)
    return [(k.kind, k.describe(m)) for k in rules.claims["withdrawal_timeline"].kinds for m in k.pattern.finditer(norm)]


_RULES = []


@pytest.fixture(autouse=True)
def _rules(rules):
    _RULES[:] = [rules]


def test_five_years_to_one_in_words():
    assert ("reduction", "cut from 5 years to 1 year") in claims("وتخفيضها من خمسة أعوام إلى عام واحد فقط")


def test_within_a_year_and_digits_in_any_script():
    assert ("within", "within 1 year") in claims("خروج قواتها من العراق في غضون عام")
    assert ("within", "within 3 years") in claims("الانسحاب خلال ٣ سنوات")
    assert ("within", "within 2 years") in claims("الانسحاب خلال عامين")
    assert ("within", "within 1 year") in claims("troops will leave within a year")


def test_anniversary_deadline():
    c = claims("لن تحل الذكرى السنوية لاغتيال سليماني والمهندس إلا ويتم طرد جميع الأمريكان")
    assert ("anniversary deadline", "before the anniversary of Soleimani's killing") in c


def test_parliament_vote_and_troop_numbers():
    c = dict(claims("القرار الذي أقرّه البرلمان العراقي بعد اغتيال سليماني بطلب مغادرة نحو 5800 جندي أميركي"))
    assert c["troop numbers"] == "about 5800 troops"
    assert "parliament vote" in c


def test_condition():
    assert any(k == "condition" for k, _ in claims("خروج القوات الأمريكية مرهون بتوقف الهجمات على البعثات الدبلوماسية"))


def test_seed_002_alone_reports_concrete_figures(seed):
    tl = seed.claims[seed.claims.frame == "withdrawal_timeline"]
    concrete = tl[tl.kind.isin(["reduction", "within", "anniversary deadline"])]
    assert set(concrete.article_id) == {"002"}
    assert "cut from 5 years to 1 year" in set(concrete.content)
    deadline = concrete[concrete.kind == "anniversary deadline"].deadline.iloc[0]
    assert pd.Timestamp(deadline) == pd.Timestamp("2021-01-03")


def test_timeline_claims_slice_the_original(seed):
    for r in seed.claims.itertuples():
        assert seed.corpus.article(r.article_id).text[r.start:r.end] == r.match


def test_sourcing_counts_arabi_post_exclusivity_and_anonymous_sources(seed):
    s = seed.sourcing.pivot(index="outlet", columns="measure", values="sentences")
    assert s.loc["Arabi Post", "exclusivity claims"] >= 5  # sources speak لـ"عربي بوست" throughout
    assert s.loc["Arabi Post", "anonymous sources"] > s.loc["Independent Arabia", "anonymous sources"]
    assert s.loc["Al-Jarida", "exclusivity claims"] >= 2   # the خاص tag and لـ «الجريدة»


def test_role_of_the_claimant(rules):
    from analysis.extract.extractions import role_of
    from analysis.match.patterns import MatchText
    roles = rules.claims["withdrawal_timeline"].roles
    assert role_of(MatchText.of("طلب العامري من الكاظمي سرعة جدولة خروج القوات"), "ar", roles) == "demand"
    assert role_of(MatchText.of("وعد قاآني بوقف الهجمات إذا خرجت القوات في غضون عام"), "ar", roles) == "offer"
    assert role_of(MatchText.of("بدأ الحوار الاستراتيجي حول مستقبل القوات"), "ar", roles) == "report"
    assert role_of(MatchText.of("The militias demand a withdrawal within a year"), "en", roles) == "demand"


def test_parliament_deadline_comes_from_events_csv():
    c = dict(claims("دعا البرلمان إلى التصويت"))
    assert c["parliament vote"] == "the Iraqi parliament's vote to expel foreign troops (5 Jan 2020)"


def test_a_rocket_sentence_that_also_sets_a_withdrawal_timeline_is_linked_to_it(seed):
    """rules.yaml links rocket_attacks' details to withdrawal_timeline. Two seed sentences carry both:
    002:s010 (no worry about the rockets on the Green Zone "if ... its forces leave Iraq within a year") and
    003:s008 (a withdrawal plan on a set timetable, or Tehran cannot keep its allies from attacking US forces)."""
    d = seed.details[seed.details.frame == "rocket_attacks"]
    linked = set(d[d.linked == "withdrawal_timeline"].sentence_id)
    assert linked == {"002:s010", "003:s008"}
    timeline = set(seed.stances[seed.stances.frame == "withdrawal_timeline"].sentence_id)
    assert linked == set(d.sentence_id) & timeline and set(d[d.linked == ""].sentence_id).isdisjoint(timeline)
