import pytest

from analysis.coding.stance import SentenceCues, stance_of, stance_reason
from analysis.inputs.lexicon import shipped
from analysis.match.patterns import MatchText
from analysis.text.normalize import normalize


def stance(sentence, word, attributed=False, in_quote=False, language="ar"):
    mt = MatchText(normalize(sentence))
    return stance_of(mt, mt.norm.index(normalize(word)), language, attributed, in_quote)


@pytest.mark.parametrize("sentence, word", [
    ("قال إنه لن يكون ساعي بريد خلال زيارته", "ساعي"),
    ("نحن لا نلعب دور ساعي البريد في العراق", "ساعي"),                # a verb between negation and noun
    ("العراق ليس ساعي بريد", "ساعي"),
    ("لسنا ساعي بريد لأحد", "ساعي"),
    ("بلاد الرافدين ليست مضطرة لحمل الرسائل", "لحمل"),
    ("ونفى الكاظمي في مؤتمر صحفي أن يكون العراق قد حمل رسائل إيرانية", "رسائل"),  # denial verb, far scope
    ("Kadhimi said: we do not play the role of postman", "postman"),
])
def test_denials(sentence, word):
    assert stance(sentence, word, language="en" if sentence.isascii() else "ar") == "denied"


def test_negation_stays_in_its_clause():
    s = "لا يريد الكاظمي التصعيد، لكن العراق أصبح ساحة للصراع"
    assert stance(s, "ساحة") == "asserted"


def test_exceptive_undoes_negation():
    s = "لن تحل الذكرى السنوية لاغتيال سليماني إلا ويتم طرد جميع الأمريكان من العراق"
    assert stance(s, "طرد", attributed=True) == "reported"


def test_negation_far_before_the_frame_does_not_count():
    s = "لم تعلن أي جهة مسؤوليتها عن الهجوم الذي جرى بعد ساعات من وصول الكاظمي ثم أطلقت صواريخ الكاتيوشا"
    assert stance(s, "الكاتيوشا") == "asserted"


def test_reported_and_asserted():
    assert stance("قاآني قدم رسائل إيرانية", "رسائل", attributed=True) == "reported"
    assert stance("شهدت المنطقة الخضراء إطلاق صواريخ", "صواريخ") == "asserted"
    assert stance("شهدت المنطقة الخضراء إطلاق صواريخ", "صواريخ", in_quote=True) == "reported"


@pytest.mark.parametrize("sentence, word", [
    ("يدرك الكاظمي أنه لا مفر من استيراد الكهرباء من إيران", "استيراد"),      # لا مفر: inevitable
    ("لا بد من انسحاب القوات الأمريكية", "انسحاب"),                             # لا بد: must
    ("لن تغادر القوات الأمريكية العراق دون أن تضمن أمان بعثاتها", "تغادر"),   # not … without: a condition
    ("أكد قاآني أنه لا داعي للقلق من أمر الصواريخ على المنطقة الخضراء", "الصواريخ"),  # negates the worry, not the rockets
    ("لأنها لم تعد تثق بواشنطن بعد مقتل سليماني", "مقتل"),
    ("وقال المسؤول إن القوات الأمريكية لن تغادر العراق قبل نهاية العام المقبل", "تغادر"),  # not before: a time
])
def test_negations_that_do_not_deny_the_frame(sentence, word):
    assert stance(sentence, word, attributed=True) == "reported"


# Written for testing.  "Will not … before a time" says when it happens; a past or perfect negation, "ago"
# (قبل + a span of time), «قبل ذلك» and «من قبل» ("by") leave a denial a denial.
@pytest.mark.parametrize("sentence, word, language, expected", [
    ("The official said US troops will not leave Iraq before the end of next year", "leave", "en", "reported"),
    ("The official said US troops won't leave Iraq before the end of next year", "leave", "en", "reported"),
    ("لن يتم طرد القوات الأمريكية من قبل الحكومة", "طرد", "ar", "denied"),
    ("لن يتم طرد القوات الأمريكية من قبل الحكومة ومن قبل البرلمان", "طرد", "ar", "denied"),
    ("لم تنسحب القوات الأمريكية من العراق كما أعلن قبل يومين", "تنسحب", "ar", "denied"),
    ("لم تنسحب القوات الأمريكية من العراق قبل نهاية العام", "تنسحب", "ar", "denied"),
    ("لن تنسحب القوات الأمريكية من العراق كما أعلن قبل يومين", "تنسحب", "ar", "denied"),
    ("لن تنسحب القوات الأمريكية قبل ذلك", "تنسحب", "ar", "denied"),
    ("US troops have never withdrawn from Iraq before", "withdrawn", "en", "denied"),
    ("US troops will not withdraw from Iraq, as announced before", "withdraw", "en", "denied"),
])
def test_not_before_a_time_and_its_look_alikes(sentence, word, language, expected):
    assert stance(sentence, word, attributed=True, language=language) == expected


def test_refusing_is_not_denying():
    # "refuses that Iraq be an arena" voices the arena frame; only verbs of denying deny
    assert stance("عبر الكاظمي عن رفضه أن يكون العراق ساحة للصراع", "ساحة", attributed=True) == "reported"


def test_frames_that_cannot_be_denied():
    from analysis.text.normalize import normalize
    mt = MatchText(normalize("لا ضبط لسلاح الميليشيات"))
    assert stance_of(mt, mt.norm.index("سلاح"), "ar", True, False, deniable=False) == "reported"


# Sentences below were written for these tests.  stance_reason gives the stance and the cue that decided
# it, with the cue's normalized offsets in the sentence (counted by hand).
def reason(sentence, word, language="ar", attributed=False, in_quote=False, end_word=None, **kw):
    from analysis.coding.stance import stance_reason
    mt = MatchText(normalize(sentence))
    start = mt.norm.index(normalize(word))
    end = None if end_word is None else mt.norm.index(normalize(end_word)) + len(normalize(end_word))
    r = stance_reason(mt, start, language, attributed, in_quote, end, **kw)
    return r.stance, r.cue, r.at, r.end


@pytest.mark.parametrize("language, sentence, word, expected", [
    # the negation window: at most 3 words (Arabic) or 5 (English) between the particle and the frame words
    ("ar", "لن يكون العراق أبداً ساعي بريد", "ساعي", ("denied", "negation", 0, 2)),            # 3 between
    ("ar", "لم يجتمع الوزير بالسفير وحمل رسائل إيرانية", "رسائل", ("asserted", "the outlet's own voice", -1, -1)),  # 4
    ("en", "Iraq will not in any way be a postman", "postman", ("denied", "negation", 10, 13)),  # 5 between
    ("en", "Kadhimi did not meet the envoy and then carried messages", "messages",
     ("asserted", "the outlet's own voice", -1, -1)),                                          # 6 between
    # a fixed phrase (لا بد) is skipped, and the negation after it still counts
    ("ar", "لا بد أن العراق لن يكون ساعي بريد", "ساعي", ("denied", "negation", 16, 18)),
    # a negation that affirms (لن ننسى), then one that denies: the denial wins
    ("ar", "لن ننسى ولن نكون ساعي بريد", "ساعي", ("denied", "negation", 8, 11)),
    # a negation undone by an exceptive (not … unless), then one that is not
    ("en", "Iraq does not object unless it is no postman", "postman", ("denied", "negation", 34, 36)),
    # an exceptive in the next clause does not undo the negation
    ("ar", "لن يكون العراق ساعي بريد، ثم غادر الوفد دون أن يلتقي أحداً", "ساعي", ("denied", "negation", 0, 2)),
    # "but only" is an exceptive, not a new clause; a bare "but" still opens one
    ("en", "US troops will not leave but only after a deal", "leave", ("asserted", "the outlet's own voice", -1, -1)),
    ("en", "Iraq will not be a postman but a partner", "postman", ("denied", "negation", 10, 13)),
    ("en", "Baghdad does not want escalation but Iraq has become an arena", "arena",
     ("asserted", "the outlet's own voice", -1, -1)),
    # a negation as the sentence's last word has nothing after it to affirm
    ("en", "Iraq is a postman, it is not", "postman", ("asserted", "the outlet's own voice", -1, -1)),
])
def test_negation_rules_with_their_cue(language, sentence, word, expected):
    assert reason(sentence, word, language) == expected


def test_a_negation_inside_the_matched_words_counts_only_with_their_end():
    # an indicator written as "ليس ساعي بريد" starts at the particle itself
    assert reason("العراق ليس ساعي بريد", "ليس", end_word="بريد") == ("denied", "negation", 7, 10)
    assert reason("العراق ليس ساعي بريد", "ليس") == ("asserted", "the outlet's own voice", -1, -1)
    mt = MatchText(normalize("العراق ليس ساعي بريد"))
    assert stance_of(mt, 7, "ar", False, False, 20) == "denied"


@pytest.mark.parametrize("sentence, word, expected", [
    # the denial verb's word and the frame word at most 12 words apart: ونفى is word 0
    ("ونفى الوزير في مؤتمر صحفي اليوم في بغداد أن يكون العراق حمل رسائل", "رسائل", ("denied", "denial verb", 0, 4)),  # 12
    ("ونفى الوزير في مؤتمر صحفي اليوم في بغداد أن يكون العراق قد حمل رسائل", "رسائل",
     ("asserted", "the outlet's own voice", -1, -1)),                                                               # 13
    # the window counts from the verb, not from the start of the sentence (نفى is word 11, ساعي word 15)
    ("قال المتحدث باسم الحكومة العراقية في بيان صحفي اليوم إن الوزير نفى أن يكون العراق ساعي بريد", "ساعي",
     ("denied", "denial verb", 63, 66)),
    # frame words that begin with a denial verb are denied by an earlier verb, not by their own
    ("نفى الوزير أي رفض للوساطة", "رفض", ("denied", "denial verb", 0, 3)),
    ("رفض الوزير للوساطة", "رفض", ("asserted", "the outlet's own voice", -1, -1)),
    # a denial verb in the clause before does not reach across the comma
    ("نفى الوزير الخبر، والعراق ساعي بريد", "ساعي", ("asserted", "the outlet's own voice", -1, -1)),
])
def test_denial_verb_window(sentence, word, expected):
    assert reason(sentence, word) == expected


def test_the_reason_names_the_voice_when_nothing_negates():
    s = "شهدت المنطقة الخضراء إطلاق صواريخ"
    assert reason(s, "صواريخ") == ("asserted", "the outlet's own voice", -1, -1)
    assert reason(s, "صواريخ", attributed=True) == ("reported", "attributed to a speaker", -1, -1)
    assert reason(s, "صواريخ", in_quote=True) == ("reported", "inside a quotation", -1, -1)
    # frames are deniable unless the caller says otherwise
    assert reason("لن يكون العراق ساعي بريد", "ساعي")[0] == "denied"
    assert reason("لن يكون العراق ساعي بريد", "ساعي", deniable=False)[0] == "asserted"


def test_a_lexicon_of_the_callers_own_is_used_even_for_a_sentence_seen_before():
    from dataclasses import replace

    from analysis.inputs.lexicon import compile_list, shipped
    own = replace(shipped(), path="own lexicon written for testing",
                  lists={**shipped().lists, ("denial_verbs", "ar"): compile_list(["استبعد"], False, False, False)})
    mt = MatchText(normalize("استبعد الوزير أن يكون العراق ساعي بريد"))
    at = mt.norm.index("ساعي")
    assert stance_of(mt, at, "ar", False, False) == "asserted"  # استبعد (ruled out) is not a shipped denial verb
    assert stance_of(mt, at, "ar", False, False, lexicon=own) == "denied"
    from analysis.coding.stance import stance_reason
    assert stance_reason(mt, at, "ar", False, False, lexicon=own).cue == "denial verb"


def test_a_sentences_cues_are_found_only_when_asked_for():
    # written for this test: "the soldiers did not withdraw except from one base" (a negation undone by «إلا»)
    text = MatchText.of("لم ينسحب الجنود إلا من قاعدة واحدة")
    start = text.norm.index("ينسحب")
    cues = SentenceCues(text, "ar", shipped())
    # a mention that cannot be denied reads none of them
    assert stance_reason(text, start, "ar", False, False, deniable=False, cues=cues).stance == "asserted"
    assert not {"negations", "exceptives", "time_before", "denials", "_breaks"} & set(vars(cues))
    # the negation before the verb is undone by the exceptive after it, so the exceptives were read
    assert stance_reason(text, start, "ar", False, False, cues=cues).stance == "asserted"
    assert "exceptives" in vars(cues)
    assert cues.negation_starts == [0] and cues.exceptives == [text.norm.index("الا")]
    # without a negation in the sentence, its exceptives are never looked for
    plain = MatchText.of("انسحب الجنود إلا من قاعدة واحدة")
    other = SentenceCues(plain, "ar", shipped())
    assert stance_reason(plain, plain.norm.index("انسحب"), "ar", False, False, cues=other).stance == "asserted"
    assert other.negations == [] and other.denials == []
    assert not {"exceptives", "_breaks"} & set(vars(other))  # nor its clauses: nothing there is bounded by them


@pytest.mark.parametrize("sentence", [
    # written for this test: a denial verb, a negation, both, an exceptive, and none of them
    "نفى الوزير أن يكون العراق ساعي بريد",
    "لم يكن العراق ساعي بريد، لكن الوزير نفى ذلك لاحقا",
    "لن تنسحب القوات إلا بعد عام",
    "The minister denied that Iraq is a postman, but not that it carries messages",
    "Iraq is a postman between the two capitals",
])
def test_one_sentences_cues_answer_alike_in_any_order(sentence):
    # the cues a sentence keeps for all its mentions give each mention the answer fresh cues give it,
    # whichever mention (or question) came first
    language = "en" if sentence[0].isascii() else "ar"
    text = MatchText.of(sentence)
    lex = shipped()
    fresh = [(at, deny, stance_reason(text, at, language, False, False, deniable=deny,
                                      cues=SentenceCues(text, language, lex)))
             for at in text.word_starts for deny in (False, True)]
    for order in (fresh, fresh[::-1], fresh[1::2] + fresh[0::2]):
        shared = SentenceCues(text, language, lex)
        assert [stance_reason(text, at, language, False, False, deniable=deny, cues=shared)
                for at, deny, _ in order] == [r for _, _, r in order]
    shared = SentenceCues(text, language, lex)
    first = [shared.denial_verb(at) for at in text.word_starts]
    assert first == [SentenceCues(text, language, lex).denial_verb(at) for at in text.word_starts]
    assert [shared.negation(at, None) for at in text.word_starts] == \
        [SentenceCues(text, language, lex).negation(at, None) for at in text.word_starts]
    assert any(r.stance == "denied" for _, _, r in fresh) == (sentence.startswith(("نفى", "لم", "The")))
