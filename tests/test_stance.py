import pytest

from analysis.text.normalize import normalize
from analysis.match.patterns import MatchText
from analysis.coding.stance import stance_of


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
])
def test_negations_that_do_not_deny_the_frame(sentence, word):
    assert stance(sentence, word, attributed=True) == "reported"


def test_refusing_is_not_denying():
    # "refuses that Iraq be an arena" voices the arena frame; only verbs of denying deny
    assert stance("عبر الكاظمي عن رفضه أن يكون العراق ساحة للصراع", "ساحة", attributed=True) == "reported"


def test_frames_that_cannot_be_denied():
    from analysis.text.normalize import normalize
    mt = MatchText(normalize("لا ضبط لسلاح الميليشيات"))
    assert stance_of(mt, mt.norm.index("سلاح"), "ar", True, False, deniable=False) == "reported"
