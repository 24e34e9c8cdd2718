import pytest

from analysis.match.patterns import AnyOf, MatchText, Near, PatternError, Regex, Term, matches_everything


def hits(pattern, text):
    mt = MatchText.of(text)
    return [mt.norm[s:e] for s, e in pattern.find(mt)]


@pytest.mark.parametrize("text", ["الكاتيوشا", "بالكاتيوشا", "كاتيوشا", "وبالكاتيوشا", "للكاتيوشا", "الكَاتْيُوشَا"])
def test_one_entry_matches_article_clitics_and_diacritics(text):
    assert hits(Term("الكاتيوشا"), f"إطلاق صواريخ {text} على المنطقة")


@pytest.mark.parametrize("text", ["قاعدتها", "قاعدتهم", "القاعدة", "وقاعدة"])
def test_teh_marbuta_becomes_teh_before_enclitic(text):
    assert hits(Term("قاعدة"), text)


def test_phrase_allows_article_on_later_words():
    assert hits(Term("ساعي بريد"), "نحن لا نلعب دور ساعي البريد في العراق") == ["ساعي البريد"]


def test_whole_words_only():
    assert not hits(Term("بريد"), "أجهزة التبريد معطلة")  # بريد inside تبريد (cooling) is another word
    assert not hits(Term("عام"), "الرأي العامة")


def test_glob():
    assert hits(Term("انسحاب*"), "الانسحابات الأمريكية") == ["الانسحابات"]


def test_latin_case_and_acronyms():
    assert hits(Term("withdrawal"), "The Withdrawal of troops") == ["Withdrawal"]
    assert hits(Term("US"), "the US troops and us") == ["US"]  # capitals stay case-sensitive


def test_set_reference_inside_phrase():
    us = AnyOf([Term("امريكا"), Term("الولايات المتحدة")], name="us")
    t = Term("رسائل الي <us>", {"us": us})
    assert hits(t, "حمل رسائل إلى الولايات المتحدة")
    with pytest.raises(PatternError):
        Term("رسائل <nowhere>", {})


def test_near_within_n_words_either_order():
    n = Near(Term("حمل*"), Term("رسائل"), 3)
    assert hits(n, "ليست مضطرة لحمل الرسائل التي جاء بها")
    assert hits(n, "الرسائل التي حملها")
    assert not hits(n, "حمل الوفد معه هدايا كثيرة ثم بعد ذلك وصلت رسائل")
    assert n.canonical == "NEAR/3(حمل*, رسائل)"


def test_canonical_forms():
    assert Term("الكاتيوشا").canonical == "الكاتيوشا"
    assert Regex("صواريخ?").canonical == "re/صواريخ?/"


def test_regex_is_re2_and_covers_arabic_word_class():
    assert hits(Regex(r"صاروخ|صواريخ"), "إطلاق صواريخ") == ["صواريخ"]
    assert hits(Regex(r"ساعي \w+"), "ساعي البريد") == ["ساعي البريد"]
    with pytest.raises(PatternError, match="invalid regex"):
        Regex("(a")
    with pytest.raises(PatternError):
        Regex(r"(?<=x)y")  # lookbehind: not RE2, so no catastrophic backtracking either


def test_patterns_that_match_everything_are_caught():
    assert matches_everything(Regex(".*"))
    assert matches_everything(Regex(r"\w"))
    assert not matches_everything(Term("ساعي بريد"))


@pytest.mark.parametrize("bad", ["", "   ", "*", "* *"])
def test_empty_terms_rejected(bad):
    with pytest.raises(PatternError):
        Term(bad)


def test_folded_teh_marbuta_is_not_an_enclitic_even_through_a_set():
    secret = AnyOf([Term("سري"), Term("سرية")], name="secret")
    assert hits(Term("زيارة <secret>", {"secret": secret}), "زيارة سرية") == ["زياره سريه"]
    year = AnyOf([Term("عام")], name="year")
    assert not hits(Term("<year>", {"year": year}), "الرأي العامة")
    # the set itself: its anchored fast path takes العامه for عام + ه, and must fall back (written for
    # testing: في 0–2, العام 3–8; العامة is "public", not "year")
    assert year.find(MatchText.of("في العام الماضي قالت الهيئة العامة")) == [(3, 8)]


def test_lone_glob_is_exactly_one_word_and_accusative_alef():
    assert hits(Term("رسائل * واشنطن"), "رسائل إيرانية إلى واشنطن") == []
    assert hits(Term("رسائل * * واشنطن"), "رسائل إيرانية إلى واشنطن")
    assert hits(Term("جدول زمني"), "وضع جدولاً زمنياً للانسحاب")


def test_find_in_keeps_a_sentences_matches_by_fingerprint_sides_included():
    # written for testing: انسحاب at 13–19, قريبا at 27–32, two words apart
    text = MatchText.of("قررت الحكومة انسحاب القوات قريبا من البلاد")
    withdraw, soon = Term("انسحاب"), Term("قريبا")
    near = Near(withdraw, soon, 3)
    found: dict = {}
    assert near.find_in(text, found) == near.find(text) == [(13, 32)]
    assert found == {withdraw.fingerprint: [(13, 19)], soon.fingerprint: [(27, 32)], near.fingerprint: [(13, 32)]}
    # another NEAR with the same side reads that side from what the sentence already found
    found = {Term("قريبا").fingerprint: []}
    assert Near(Term("انسحاب"), Term("قريبا"), 3).find_in(text, found) == []


def test_near_without_a_hit_of_its_first_side_does_not_search_the_second():
    # written for testing: قريبا at 27–32 is here, انسحاب is not; انسحاب + قريبا is the sentence above
    text = MatchText.of("قررت الحكومة بقاء القوات قريبا من البلاد")
    withdraw, soon = Term("انسحاب"), Term("قريبا")
    found: dict = {}
    assert Near(withdraw, soon, 3).find_in(text, found) == []
    assert found == {withdraw.fingerprint: [], Near(withdraw, soon, 3).fingerprint: []}  # قريبا never searched
    assert Near(soon, withdraw, 3).find(text) == []  # the other way round: searched, and no انسحاب
