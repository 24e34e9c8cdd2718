from analysis.text.segment import Span, split_sentences


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


def test_straight_quotes_are_counted_on_their_own_line_only():
    # the quote on line 2 closes on line 2: its inner period does not cut, on any line of the text
    t = 'سطر أول\nقال "جاء. وذهب" ثم سكت.\nوقال "نعم\nانتهى'
    assert texts(t) == ["سطر أول", 'قال "جاء. وذهب" ثم سكت.', 'وقال "نعم', "انتهى"]
    # a quote that closes on the last character of the text
    assert texts('قال "جاء. وذهب"') == ['قال "جاء. وذهب"']


def test_a_quote_closing_after_the_span_end_does_not_count():
    t = 'قال "جاء. وذهب" ثم\nسطر'
    # up to (not including) the closing quote at 14: the quote never closes inside the span
    assert split_sentences(t, 0, 14) == [Span(0, 9), Span(10, 14)]


def test_glued_sentences_around_digits():
    # scraped text often loses the space after a period: a period is a decimal point only between digits
    assert texts("عاد في عام 2020.ثم غادر") == ["عاد في عام 2020.", "ثم غادر"]
    assert texts("غادر الجنود.5 آلاف بقوا") == ["غادر الجنود.", "5 آلاف بقوا"]
    assert texts("بلغ النمو 3.5") == ["بلغ النمو 3.5"]


def test_all_capital_words_end_a_sentence():
    # only initials (U.S.) and listed short forms (Gen.) keep the sentence going, not acronyms
    assert texts("The deal was signed at the UN. Then NATO left. It ended.") == [
        "The deal was signed at the UN.", "Then NATO left.", "It ended."]
    assert texts("He wrote a. Then b.") == ["He wrote a.", "Then b."]


def test_decimal_number_at_the_start():
    assert texts("3.5 مليون برميل يوميا.") == ["3.5 مليون برميل يوميا."]


def test_trailing_spaces_are_trimmed_before_a_line_break():
    assert split_sentences("جاء  \nذهب") == [Span(0, 3), Span(6, 9)]
    assert split_sentences("جاء   \n ذهب ") == [Span(0, 3), Span(8, 11)]


def test_a_guillemet_quotation_closes_and_the_sentence_goes_on():
    assert texts("قال «نعم.» ثم غادر. وعاد") == ["قال «نعم.» ثم غادر.", "وعاد"]


def test_a_stray_straight_quote_does_not_pair_with_the_next():
    # the first " has four after it on its line (even): it opens nothing, and «"جاء. ذهب"» stays whole
    t = 'أ" قال "جاء. ذهب" ثم "نعم" انتهى.'
    assert texts(t) == [t]


def test_a_line_may_end_with_a_short_form():
    assert texts("He met Gen.\nQaani arrived.") == ["He met Gen.", "Qaani arrived."]


def test_sentences_after_a_decimal_or_a_run_of_periods_still_split():
    assert texts("بلغ النمو 3.5 في المئة. ثم تراجع") == ["بلغ النمو 3.5 في المئة.", "ثم تراجع"]
    assert texts("فيلق القدس.. علاقة ملتبسة. ثم انتهى") == ["فيلق القدس.. علاقة ملتبسة.", "ثم انتهى"]
    assert texts("انتظر... ثم عاد. وانتهى") == ["انتظر... ثم عاد.", "وانتهى"]


def test_a_run_of_enders_and_a_closing_quote_stay_with_their_sentence():
    assert texts("هل جاء؟! نعم") == ["هل جاء؟!", "نعم"]
    assert texts('قال نعم." ثم') == ['قال نعم."', "ثم"]
    assert texts("قال «لن نكون ساعي بريد.» وغادر") == ["قال «لن نكون ساعي بريد.» وغادر"]


# Long lines with no sentence punctuation are cut into pieces of at most MAX_SENTENCE (3000)
# characters, at the last space in the second half of each piece, or at 3000 when there is none.
# The texts are runs of one letter written for these tests; the offsets are worked out by hand.

def test_a_span_of_exactly_the_maximum_stays_whole():
    t = "ب" * 2000 + " " + "ب" * 999  # 3000 characters
    assert split_sentences(t) == [Span(0, 3000)]


def test_one_character_over_the_maximum_is_cut_at_the_last_space():
    t = "ب" * 2000 + " " + "ب" * 1000  # 3001 characters, one space at 2000
    assert split_sentences(t) == [Span(0, 2000), Span(2001, 3001)]


def test_a_line_with_no_space_is_cut_every_3000_characters():
    assert split_sentences("ب" * 7000) == [Span(0, 3000), Span(3000, 6000), Span(6000, 7000)]


def test_a_space_in_the_first_half_of_a_piece_is_not_used():
    # the only space is at 1200, before 1500 (half the maximum): cutting there would leave a short piece
    t = "ب" * 1200 + " " + "ب" * 3000  # 4201 characters
    assert split_sentences(t) == [Span(0, 3000), Span(3000, 4201)]


def test_each_piece_looks_for_its_space_from_its_own_start():
    # first piece: space at 2000; second piece starts at 2000, its window is [3500, 5000): no space, cut at 5000
    t = "ب" * 2000 + " " + "ب" * 3500  # 5501 characters
    assert split_sentences(t) == [Span(0, 2000), Span(2001, 5000), Span(5000, 5501)]


def test_words_are_cut_between_words_and_short_sentences_are_left_alone():
    # "كلمة " repeated: line 2 starts at 12 ("جملة قصيرة.\n" is 12 characters), its spaces are at 12 + 5k + 4
    # = 5k + 16, and it ends at 7011 (the last space trimmed).  Last space before 12 + 3000 = 3012: 3011
    # (k = 599); then before 3011 + 3000 = 6011: 6006 (k = 1198).
    t = "جملة قصيرة.\n" + "كلمة " * 1400
    assert split_sentences(t) == [Span(0, 11), Span(12, 3011), Span(3012, 6006), Span(6007, 7011)]
    assert t[3011] == " " and t[6006] == " " and t[3007:3011] == "كلمة"


def test_runs_of_enders_and_glued_text():
    # written for testing: a run of periods then ؟, a text ending in "..", two enders glued to the next word,
    # a period glued to a capital letter
    assert texts("انتظر..؟ نعم") == ["انتظر..؟", "نعم"]
    assert texts("فيلق القدس..") == ["فيلق القدس.."]
    assert texts("هل جاء؟!نعم") == ["هل جاء؟!", "نعم"]
    assert texts("The talks ended.Xi Jinping then spoke.") == ["The talks ended.", "Xi Jinping then spoke."]


def test_a_span_of_exactly_the_maximum_stays_whole_beside_a_longer_one():
    # line 1: 3000 characters with a space at 2000; line 2 (from 3001): 4000 letters, cut at 3000
    t = "ب" * 2000 + " " + "ب" * 999 + "\n" + "ب" * 4000
    assert split_sentences(t) == [Span(0, 3000), Span(3001, 6001), Span(6001, 7001)]
