from array import array

import pytest

from analysis.text.normalize import (
    fold_alef,
    fold_compatibility,
    fold_digits,
    fold_kaf,
    fold_teh_marbuta,
    fold_yeh,
    normalize,
    normalize_with_map,
    original_span,
    remove_diacritics,
    remove_tatweel,
)


@pytest.mark.parametrize("rule, before, after", [
    (remove_diacritics, "الكَاتْيُوشَا", "الكاتيوشا"),
    (remove_diacritics, "سُلَيْمانِيّ", "سليماني"),
    (remove_diacritics, "هٰذا", "هذا"),  # dagger alef U+0670
    (remove_tatweel, "المـــدينة", "المدينة"),
    (fold_alef, "أمريكا إيران آية ٱلله", "امريكا ايران ايه الله".replace("ايه", "اية")),
    (fold_yeh, "إلى مصطفى", "إلي مصطفي"),
    (fold_yeh, "ایران", "ايران"),  # Persian yeh U+06CC
    (fold_teh_marbuta, "قاعدة", "قاعده"),
    (fold_kaf, "کاظمی", "كاظمی"),  # Persian kaf U+06A9
    (fold_digits, "٥٨٠٠ جندي و۲۰۲۰", "5800 جندي و2020"),
    (fold_compatibility, "\ufefb", "لا"),  # lam-alef ligature
    (fold_compatibility, "\ufe8d\ufedf", "ال"),  # presentation forms
])
def test_each_rule(rule, before, after):
    assert rule(before) == after


@pytest.mark.parametrize("text", ["", "Trump met Kadhimi at the White House.", "2020-08-20", "ساعي بريد"])
def test_passthrough_and_empty(text):
    # English, digits and already-plain Arabic must not change
    assert normalize(text) == text


def test_spelling_variants_meet():
    assert normalize("قاآني") == normalize("قاآنى") == "قااني"
    assert normalize("أميركية") == normalize("اميركيه")
    assert normalize("ترامب") != normalize("ترمب")  # a spelling variant, not a normalization: the codebook lists both


def test_offset_map_points_back():
    text = "قال «الكَاظِمِيّ» إنه ﻻ يحمل ٣ رسائل"
    norm, index = normalize_with_map(text)
    assert len(index) == len(norm) + 1
    i = norm.index("لا")
    s, e = original_span(index, i, i + 2)
    assert text[s:e] == "\ufefb"  # a ligature expands to two letters that map back to one character
    j = norm.index("الكاظمي")
    s, e = original_span(index, j, j + len("الكاظمي"))
    assert text[s:e] == "الكَاظِمِيّ"


def test_curly_quotes_fold_to_ascii_and_other_text_stays():
    from analysis.text.normalize import fold_quotes
    assert fold_quotes("“قال” ‘x’ z") == "\"قال\" 'x' z"
    assert normalize("‘Iraq’s’") == "'Iraq's'"


def test_span_ends_inside_an_expanded_character():
    # ﻻ (one character) normalizes to ل + ا: index [0, 0, 1, 2] for "ﻻب"
    norm, index = normalize_with_map("\ufefbب")
    assert (norm, index) == ("لاب", [0, 0, 1, 2])
    assert original_span(index, 0, 1) == (0, 1)   # half of the ligature still quotes the whole of it
    assert original_span(index, 1, 1) == (0, 0)   # an empty span stays empty
    assert original_span(index, 2, 3) == (1, 2)
    assert original_span(index, 0, 3) == (0, 2)


def test_compact_offsets_written_out():
    from analysis.text.normalize import normalize_with_offsets
    norm, index = normalize_with_offsets("abc", 5)
    assert (norm, index) == ("abc", range(5, 9))          # one to one: a range, 4 entries with the end
    norm, index = normalize_with_offsets("قالَ", 10)       # the fatha (offset 3) is dropped
    assert norm == "قال" and list(index) == [10, 11, 12, 14]
    norm, index = normalize_with_offsets("\ufefbب", 0)    # the lam-alef ligature expands to two letters
    assert norm == "لاب" and list(index) == [0, 0, 1, 2]


def test_a_text_normalized_once_then_sliced():
    from analysis.text.normalize import NormalizedText
    # ق0 ا1 ل2 fatha3 space4 ا5 ل6 و7 ز8 ي9 ر10 damma11 newline12 أ13 ك14 د15
    text = "قالَ الوزيرُ\nأكد"
    whole = NormalizedText(text)
    norm, index = whole.with_offsets(0, 12)
    assert norm == "قال الوزير"
    assert index == array("i", [0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 12])  # the two marks dropped, then the end
    assert whole.of(13, 16) == "اكد"                           # أ folded to ا
    assert whole.with_offsets(13, 16) == ("اكد", range(13, 17))  # one to one: a range, as for a sentence alone
    assert whole.of(5, 11) == "الوزير" and whole.of(3, 4) == "" and whole.of(16, 16) == ""


def test_a_text_that_cannot_be_sliced_takes_each_span_alone():
    from analysis.text.normalize import NormalizedText
    # ﻻ expands to two letters, and 😀 lies outside the Basic Multilingual Plane: each span is normalized alone
    lig = NormalizedText("ﻻ بَأس")
    assert lig.with_offsets(0, 6) == ("لا باس", array("i", [0, 0, 1, 2, 4, 5, 6]))
    assert lig.of(2, 6) == "باس"
    emoji = NormalizedText("😀 قالَ")
    assert emoji.with_offsets(2, 6) == ("قال", array("i", [2, 3, 4, 6]))


def test_a_lone_surrogate_or_a_letter_past_the_bmp_is_normalized_span_by_span():
    from analysis.text.normalize import NormalizedText
    odd = NormalizedText("قالَ\ud800")  # a lone surrogate cannot be encoded: each span alone
    assert odd.with_offsets(0, 5) == ("قال\ud800", array("i", [0, 1, 2, 4, 5]))
    edge = NormalizedText("a\U00010000bَ")  # the first code point past the BMP
    assert edge.of(0, 4) == "a\U00010000b" and edge.with_offsets(2, 4) == ("b", array("i", [2, 4]))


def test_clearing_the_caches_reaches_the_whole_text_tables(monkeypatch):
    from analysis.text import normalize as n
    assert n.NormalizedText("قالَ").of(0, 4) == "قال"
    monkeypatch.setattr(n, "DIACRITICS", frozenset())  # a rule changed, as a test of the rules does
    n.clear_caches()
    try:
        assert n.NormalizedText("قالَ").of(0, 4) == "قالَ"  # the fatha is kept now
    finally:
        monkeypatch.undo()
        n.clear_caches()
    assert n.NormalizedText("قالَ").of(0, 4) == "قال"
