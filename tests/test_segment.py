from analysis.text.segment import split_sentences


def texts(t):
    return [t[s.start:s.end] for s in split_sentences(t)]


def test_splits_on_arabic_and_latin_punctuation():
    assert texts("جاء قاآني. هل التقى الكاظمي؟ نعم! ثم غادر؛ وانتهى") == ["جاء قاآني.", "هل التقى الكاظمي؟", "نعم!", "ثم غادر؛", "وانتهى"]


def test_newline_ends_a_sentence():
    assert texts("رسائل إيرانية\nوقبل توجه رئيس الوزراء") == ["رسائل إيرانية", "وقبل توجه رئيس الوزراء"]


def test_guillemet_quotation_is_not_broken():
    t = "قال: «لن يكون ساعي بريد. ولن يحمل رسائل» ثم غادر."
    assert texts(t) == [t]


def test_straight_quotes_only_open_when_they_close_on_the_line():
    t = 'قال لـ"عربي بوست": "جاء قاآني. وليس لفرض أوامر". انتهى'
    assert texts(t) == ['قال لـ"عربي بوست": "جاء قاآني. وليس لفرض أوامر".', "انتهى"]


def test_decimal_point_and_headline_dots_do_not_split():
    assert texts("النمو 3.5 في المئة") == ["النمو 3.5 في المئة"]
    assert texts("«الكاظمي» وقائد فيلق القدس.. علاقة ملتبسة") == ["«الكاظمي» وقائد فيلق القدس.. علاقة ملتبسة"]


def test_empty_and_blank():
    assert split_sentences("") == []
    assert split_sentences(" \n\n ") == []


def test_abbreviations_do_not_split_english():
    assert texts("U.S. troops will leave Iraq. Gen. Qaani arrived.") == ["U.S. troops will leave Iraq.", "Gen. Qaani arrived."]
    assert texts("The U.N. said so. Then it ended.") == ["The U.N. said so.", "Then it ended."]
