"""Stance and speaker, one table per phenomenon (issue 12).

Every sentence here was written for these tests.  Each table has at least three
sentences per language, with near-misses that must keep their reading.  A row is
(language, sentence, frame words, stance, speaker id, words naming an unlisted
speaker or "", previous speaker in the article or None).
"""
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from analysis.coding import speakers as speakers_mod
from analysis.coding import stance as stance_mod
from analysis.coding.article import Segment, code_segment, segment_article
from analysis.coding.explain import explain
from analysis.coding.speakers import attributions, find_quotations
from analysis.coding.voices import attribute_segments, is_headline, speaker_words, voice_reason
from analysis.inputs.actors import load_actors
from analysis.inputs.codebook import load_codebook
from analysis.inputs.corpus import Article, Outlet
from analysis.io.errors import Problems
from analysis.text.normalize import normalize_with_map

DATA = Path(__file__).resolve().parent.parent / "data"
ACTORS = load_actors(DATA, Problems())


def segment(sentence: str, start: int = 0) -> Segment:
    norm, index = normalize_with_map(sentence)
    return Segment("t", "t:s001", start, start + len(sentence), sentence, norm, tuple(start + i for i in index))


def voice(language, sentence, words, previous=None):
    seg = segment(sentence)
    found = attributions(seg.match_text, ACTORS, language, ACTORS.get(previous))
    start = sentence.index(words)
    att, _, reason = voice_reason(seg, start, start + len(words), found, find_quotations(sentence, 0), language)
    return reason.stance, att.actor.id, speaker_words(seg, att)


def check(rows):
    for language, sentence, words, stance, speaker, named, previous in rows:
        assert voice(language, sentence, words, previous) == (stance, speaker, named), sentence


# 1. Denial is the negation of the frame's own predicate ---------------------------------
NEGATION_THAT_AFFIRMS = [
    ("ar", "لم تتوقف الهجمات الصاروخية على القاعدة", "الهجمات الصاروخية", "asserted", "outlet", "", None),
    ("ar", "لن ننسى دماء القادة الذين سقطوا قرب المطار", "دماء القادة", "asserted", "outlet", "", None),
    ("ar", "لم ينسَ الإيرانيون اغتيال قائدهم", "اغتيال", "asserted", "outlet", "", None),
    ("ar", "قام قائد فيلق القدس بجولة غير معلنة في بغداد", "بجولة غير معلنة", "asserted", "outlet", "", None),
    ("ar", "وصل إلى بغداد في زيارة لم يُعلن عنها مسبقاً", "زيارة لم يُعلن عنها", "asserted", "outlet", "", None),
    ("ar", "لم يتم الإعلان عن الزيارة السرية", "الزيارة السرية", "asserted", "outlet", "", None),
    ("ar", "لن تتردد الفصائل في الرد على الاغتيال", "الرد على الاغتيال", "asserted", "outlet", "", None),
    # near-misses: the frame's own predicate is negated
    ("ar", "لن يكون العراق ساعي بريد", "ساعي بريد", "denied", "outlet", "", None),
    ("ar", "العراق غير مضطر لنقل الرسائل", "لنقل الرسائل", "denied", "outlet", "", None),
    ("ar", "لم يحمل الكاظمي رسائل إيرانية", "رسائل إيرانية", "denied", "outlet", "", None),
    ("en", "Iran will never forget the killing of Soleimani", "killing of Soleimani", "asserted", "outlet", "", None),
    ("en", "The militias have not stopped the rocket attacks on the embassy", "rocket attacks", "asserted", "outlet", "", None),
    ("en", "Qaani made a visit that was not announced in advance", "visit that was not announced", "asserted", "outlet", "", None),
    ("en", "Details have not yet been disclosed about the secret visit", "secret visit", "asserted", "outlet", "", None),
    ("en", "Iran will not hesitate to avenge the killing", "avenge the killing", "asserted", "outlet", "", None),
    ("en", "Iraq will not be a postman", "postman", "denied", "outlet", "", None),
    ("en", "Kadhimi did not carry messages to Washington", "messages", "denied", "outlet", "", None),
    ("en", "Iraq is not obliged to carry the messages", "carry the messages", "denied", "outlet", "", None),
]


def test_negation_that_affirms():
    check(NEGATION_THAT_AFFIRMS)


# 2. Reporting verbs with their tense and clitic forms -------------------------------------
REPORTING_VERBS = [
    ("ar", "رأى الكاظمي أن العراق أصبح ساحة للصراع", "ساحة للصراع", "reported", "kadhimi", "", None),
    ("ar", "واعتبر خامنئي أن الانتقام قادم لا محالة", "الانتقام", "reported", "khamenei", "", None),
    ("ar", "وزعم العامري أن القوات الأمريكية ستغادر قريباً", "القوات الأمريكية", "reported", "hadi_al_amiri", "", None),
    ("ar", "وادّعى قاآني أن الفصائل ستهاجم السفارة", "تهاجم السفارة", "reported", "qaani", "", None),
    ("ar", "وأفادت مصادر عراقية بأن الزيارة كانت سرية", "الزيارة كانت سرية", "reported", "iraqi_source", "", None),
    ("ar", "ونقل عن الكاظمي قوله إن القوات ستنسحب خلال عام", "ستنسحب", "reported", "kadhimi", "", None),
    ("ar", "وتابع ظريف أن خروج القوات الأمريكية مطلب إيراني", "خروج القوات", "reported", "zarif", "", None),
    ("ar", "وشدّد روحاني على ضرورة خروج القوات الأجنبية", "خروج القوات", "reported", "rouhani", "", None),
    ("ar", "وحذّر الصدر من عودة داعش إلى المدن", "داعش", "reported", "sadr", "", None),
    # near-misses: a noun or a negated verb is no attribution
    ("ar", "تحل ذكرى اغتيال سليماني في يناير", "اغتيال سليماني", "asserted", "outlet", "", None),
    ("ar", "يعتمد العراق على مصادر الطاقة الإيرانية", "الطاقة الإيرانية", "asserted", "outlet", "", "kadhimi"),
    ("ar", "وصل قاآني في زيارة لم يعلن عنها", "زيارة", "asserted", "outlet", "", None),
    ("ar", "كانت زيارة قاآني لم يعلن عنها", "زيارة", "asserted", "outlet", "", None),
    ("ar", "جاء طلب الفصائل من الكاظمي خروج القوات الأمريكية", "خروج القوات", "asserted", "outlet", "", None),
    ("ar", "وصلت رسالة رفض قاطع من الكاظمي لأي وساطة", "لأي وساطة", "denied", "outlet", "", None),
    ("ar", "واشنطن ترفض استقبال وفد رئيس الوزراء العراقي في الموعد", "استقبال وفد", "denied", "outlet", "", None),
    ("ar", "وقال في مؤتمر صحفي الكاظمي إن القوات ستنسحب", "القوات", "reported", "kadhimi", "", None),
    ("ar", "وأضاف المصدر أن القوات ستنسحب", "القوات", "reported", "iranian_source", "", "iranian_source"),
    ("ar", "وتشير الزيارة إلى تحسن العلاقات مع واشنطن", "تحسن العلاقات", "asserted", "outlet", "", "white_house"),
    ("ar", "هاجم الفصيل التابع لإيران قاعدة عين الأسد", "قاعدة عين الأسد", "asserted", "outlet", "", None),
    ("en", "Kadhimi argued that Iraq would not become an arena", "arena", "denied", "kadhimi", "", None),
    ("en", "Qaani claimed the militias would hold their fire", "militias", "reported", "qaani", "", None),
    ("en", "Zarif noted that US forces must leave Iraq", "US forces", "reported", "zarif", "", None),
    ("en", "Khamenei warned of revenge for Soleimani", "revenge", "reported", "khamenei", "", None),
    ("en", "Masjedi told reporters the withdrawal must be quick", "withdrawal", "reported", "masjedi", "", None),
    ("en", "The visit says much about the withdrawal of the troops", "withdrawal", "asserted", "outlet", "", None),
    ("en", "The reported attack hit the base at night", "attack", "asserted", "outlet", "", None),
    ("en", "The source added that troops would leave", "troops", "reported", "iranian_source", "", "iranian_source"),
]


def test_reporting_verbs():
    check(REPORTING_VERBS)


# 3. Speakers the gazetteer does not know --------------------------------------------------
UNLISTED = [
    ("ar", "قال مسؤول في المفوضية إن العراق لن يكون ساعي بريد", "ساعي بريد", "denied", "unlisted", "مسؤول في المفوضية", None),
    ("ar", "ونفى المتحدث أن يكون العراق ساعي بريد", "ساعي بريد", "denied", "unlisted", "المتحدث", None),
    ("ar", "وقال النائب سالم الجبوري إن القوات الأمريكية ستنسحب", "القوات الأمريكية", "reported", "unlisted", "النائب سالم الجبوري", None),
    ("ar", "وأكد مصدر أمني لوكالة الأنباء أن الصواريخ سقطت على السفارة", "الصواريخ", "reported", "unlisted", "مصدر أمني", None),
    # near-misses: the gazetteer knows them
    ("ar", "قال الكاظمي إن العراق لن يكون ساعي بريد", "ساعي بريد", "denied", "kadhimi", "", None),
    ("ar", "أكد النائب ظافر العاني أن إيران تحول العراق إلى ساعي بريد", "ساعي بريد", "reported", "zafer_al_ani", "", None),
    ("ar", "وقال مستشار الكاظمي إن القوات ستغادر", "القوات", "reported", "pm_adviser", "", None),
    ("ar", "وأشار الباحث العراقي «فراس إلياس» إلى أن القوات ستغادر", "القوات", "reported", "firas_elias", "", None),
    ("ar", "وأشار الباحث المتخصص في شؤون الخليج والعلاقات الدولية «فراس إلياس» إلى أن القوات ستغادر", "القوات",
     "reported", "firas_elias", "", None),
    ("en", "A ministry spokesman said the rocket attacks on the embassy must end", "rocket attacks", "reported", "unlisted", "A ministry spokesman", None),
    ("en", "Foreign Minister Fuad Hussein said Iraq will not be a postman", "postman", "denied", "unlisted", "Foreign Minister Fuad Hussein", None),
    ("en", "An official at the electoral commission said the withdrawal would start soon", "withdrawal", "reported", "unlisted", "An official at the electoral commission", None),
    ("en", "The spokesman denied that Iraq was a postman", "postman", "denied", "unlisted", "The spokesman", None),
    ("en", "Kadhimi said Iraq will not be a postman", "postman", "denied", "kadhimi", "", None),
    ("en", "Iraqi officials said the troops would leave", "troops", "reported", "iraqi_source", "", None),
    ("en", "He said the troops would leave", "troops", "asserted", "outlet", "", None),
]


def test_unlisted_speakers():
    check(UNLISTED)


@pytest.mark.parametrize("language, sentence, kind", [
    ("ar", "قال مسؤول في المفوضية إن القوات ستنسحب", "anonymous"),
    ("ar", "وقال مصدر مطلع إن القوات ستنسحب", "anonymous"),
    ("ar", "وقال النائب سالم الجبوري إن القوات ستنسحب", "named"),
    ("ar", "وقال النائب عن ائتلاف دولة القانون إن القوات ستنسحب", "anonymous"),
    ("en", "A source said the troops would leave", "anonymous"),
    ("en", "General Ahmed Rashid said the troops would leave", "named"),
    ("en", "A ministry spokesman said the troops would leave", "anonymous"),
])
def test_named_or_anonymous(language, sentence, kind):
    found = attributions(segment(sentence).match_text, ACTORS, language, None)
    assert [(a.actor.id, a.actor.kind) for a in found] == [("unlisted", kind)]


# 4. Two stances in one sentence -----------------------------------------------------------
TWO_STANCES = [
    # «The MP rejected that Iraq be obliged to carry the messages, accusing Tehran of making it a postman»
    ("ar", "رفض النائب أن يكون العراق مضطراً لنقل الرسائل، متهماً طهران بتحويله إلى ساعي بريد",
     "مضطراً لنقل الرسائل", "denied", "unlisted", "النائب", None),
    ("ar", "رفض النائب أن يكون العراق مضطراً لنقل الرسائل، متهماً طهران بتحويله إلى ساعي بريد",
     "ساعي بريد", "reported", "unlisted", "النائب", None),
    ("ar", "قال الكاظمي إن العراق لن يكون ساعي بريد، فيما اتهم العاني طهران بتحويله إلى ساعي بريد",
     "يكون ساعي بريد", "denied", "kadhimi", "", None),
    ("ar", "قال الكاظمي إن العراق لن يكون ساعي بريد، فيما اتهم العاني طهران بتحويله إلى ساعي بريد",
     "بتحويله إلى ساعي بريد", "reported", "zafer_al_ani", "", None),
    # near-miss: background before the verb stays the outlet's
    ("ar", "بعد اغتيال سليماني، دعا الصدر إلى طرد القوات الأمريكية", "اغتيال سليماني", "asserted", "outlet", "", None),
    ("ar", "بعد اغتيال سليماني، دعا الصدر إلى طرد القوات الأمريكية", "طرد القوات", "reported", "sadr", "", None),
    ("en", "The MP said Iraq is not obliged to carry the messages, accusing Tehran of turning Baghdad into a postman",
     "carry the messages", "denied", "unlisted", "The MP", None),
    ("en", "The MP said Iraq is not obliged to carry the messages, accusing Tehran of turning Baghdad into a postman",
     "postman", "reported", "unlisted", "The MP", None),
    ("en", "Kadhimi said Iraq would not be a postman, while al-Ani accused Iran of turning Iraq into a postman",
     "be a postman", "denied", "kadhimi", "", None),
    ("en", "Kadhimi said Iraq would not be a postman, while al-Ani accused Iran of turning Iraq into a postman",
     "into a postman", "reported", "zafer_al_ani", "", None),
    ("en", "After the killing of Soleimani, Sadr said US troops must leave", "killing", "asserted", "outlet", "", None),
    ("en", "After the killing of Soleimani, Sadr said US troops must leave", "US troops", "reported", "sadr", "", None),
    ("en", "US troops will not leave soon, Kadhimi said on Tuesday", "leave soon", "denied", "kadhimi", "", None),
    ("en", "After the killing of Soleimani, Sadr said troops must go", "killing", "asserted", "outlet", "", None),
    ("ar", "بعد اغتيال سليماني، قال الصدر إن القوات سترحل", "اغتيال سليماني", "asserted", "outlet", "", None),
    ("ar", "لن تنسحب القوات الأمريكية قريباً، بحسب المصدر الإيراني", "تنسحب القوات", "denied", "iranian_source", "", None),
]


def test_two_stances_in_one_sentence():
    check(TWO_STANCES)


# 5. Headlines and sub-headings ------------------------------------------------------------
def article(text: str, language: str) -> Article:
    outlet = Outlet("t", "Test outlet", "منفذ", "Nowhere")
    return Article("t", "t.txt", outlet, date(2020, 8, 20), language, text, "0")


HEADLINES = [
    # (language, article text, the line, speaker of that line)
    ("ar", "قال الكاظمي إن العراق لن يكون ساعي بريد.\nالمصدر الحقيقي للهجمات الصاروخية\nوأضاف أن القوات ستنسحب.",
     "المصدر الحقيقي للهجمات الصاروخية", "outlet"),
    ("ar", "الكاظمي: لن نكون ساعي بريد بين طهران وواشنطن\nوصل الكاظمي إلى واشنطن.",
     "الكاظمي: لن نكون ساعي بريد بين طهران وواشنطن", "kadhimi"),
    ("ar", "قال الكاظمي إن القوات ستنسحب.\nوأضاف المصدر أن الصواريخ لن تتوقف.",
     "وأضاف المصدر أن الصواريخ لن تتوقف.", "kadhimi"),  # near-miss: a body sentence carries over
    ("en", "Kadhimi said Iraq will not be a postman.\nThe source of the rocket attacks\nHe added that troops would leave.",
     "The source of the rocket attacks", "outlet"),
    ("en", "Kadhimi says Iraq will not be a postman\nHe added that troops would leave within three years.",
     "He added that troops would leave within three years.", "outlet"),
    ("en", "Kadhimi: Iraq will not be a postman\nThe prime minister arrived in Washington.",
     "Kadhimi: Iraq will not be a postman", "kadhimi"),
    ("en", "Kadhimi said troops would leave.\nHe added that the attacks must stop.",
     "He added that the attacks must stop.", "kadhimi"),  # near-miss: no headline in between
]


@pytest.mark.parametrize("language, text, line, who", HEADLINES)
def test_headlines_are_the_outlets_voice_unless_they_quote(language, text, line, who):
    art = article(text, language)
    segs, _ = segment_article(art, [])
    found = attribute_segments(SimpleNamespace(articles=[art]), segs, ACTORS)
    seg = next(s for s in segs if s.text == line)
    assert speakers_mod.speaker_at(found[seg.sentence_id]).actor.id == who


@pytest.mark.parametrize("text, line, headline", [
    ("الكاظمي في واشنطن\nوصل الكاظمي إلى واشنطن.", "الكاظمي في واشنطن", True),
    ("الكاظمي في واشنطن\nوصل الكاظمي إلى واشنطن.", "وصل الكاظمي إلى واشنطن.", False),
    ("Kadhimi in Washington\nKadhimi arrived. He met Trump.", "Kadhimi arrived.", False),
    ("Kadhimi in Washington\nKadhimi arrived. He met Trump.", "Kadhimi in Washington", True),
    # text before it on its line (a later line does not matter)
    ("وصل الكاظمي. ثم التقى ترامب\nسطر آخر", "ثم التقى ترامب", False),
    ("وصل.\n! الكاظمي في واشنطن", "الكاظمي في واشنطن", False),
    # alone on its line, the third; or the first of three
    ("سطر أول.\nسطر ثان.\nالكاظمي في واشنطن", "الكاظمي في واشنطن", True),
    ("الكاظمي في واشنطن\nوصل الكاظمي.\nثم غادر.", "الكاظمي في واشنطن", True),
    # text after it on its line, on the second line
    ('سطر.\nقال نعم." ثم', 'قال نعم."', False),
    # at most 25 words
    (" ".join(["كلمة"] * 25) + "\nوصل.", " ".join(["كلمة"] * 25), True),
    (" ".join(["كلمة"] * 26) + "\nوصل.", " ".join(["كلمة"] * 26), False),
])
def test_what_counts_as_a_headline(text, line, headline):
    art = article(text, "ar")
    segs, _ = segment_article(art, [])
    assert is_headline(text, next(s for s in segs if s.text == line)) is headline


@pytest.mark.parametrize("text, expected", [
    # a sentence cut at ؛ goes on in the same voice when the next part names no speaker
    ("قال الكاظمي إن القوات ستنسحب؛ والصواريخ لن تتوقف.",
     [("kadhimi", "verb-subject"), ("kadhimi", "continues the sentence before")]),
    ("قال الكاظمي إن القوات ستنسحب؛ وقال ظريف إن الصواريخ لن تتوقف.",
     [("kadhimi", "verb-subject"), ("zarif", "verb-subject")]),
    # after a sentence ending with a period it does not; a headline after ؛ is still the outlet's
    ("قال الكاظمي إن القوات ستنسحب.\nالصواريخ على بغداد؛\nوالقوات ستبقى.",
     [("kadhimi", "verb-subject"), ("outlet", "own voice"), ("kadhimi", "continues the sentence before")]),
    ("قال الكاظمي إن القوات ستنسحب؛\nالصواريخ على بغداد\nوصل.",
     [("kadhimi", "verb-subject"), ("outlet", "own voice"), ("outlet", "own voice")]),
    # the article's first sentence has nobody to carry over
    ("وأضاف أن القوات ستنسحب.", [("outlet", "own voice")]),
    # "the Iraqi source" is the adviser introduced two sentences before, not a new generic source
    ("وقال مستشار الكاظمي إن القوات ستغادر.\nوقال الكاظمي إن العراق لن يكون ساحة.\n"
     "وقال المصدر العراقي إن الكاظمي لم يعط ردا حاسما.",
     [("pm_adviser", "verb-subject"), ("kadhimi", "verb-subject"), ("pm_adviser", "verb-subject")]),
])
def test_speakers_carried_through_an_article(text, expected):
    art = article(text, "ar")
    segs, _ = segment_article(art, [])
    found = attribute_segments(SimpleNamespace(articles=[art]), segs, ACTORS)
    got = [(a.actor.id, a.how) for a in (speakers_mod.speaker_at(found[s.sentence_id]) for s in segs)]
    assert got == expected


# 6. explain gives the cue and its position -------------------------------------------------
def test_explain_shows_the_cue_and_its_position():
    codebook = load_codebook(DATA / "codebook.yaml")
    out = explain(SimpleNamespace(actors=ACTORS, codebook=codebook),
                  text="قال مسؤول في المفوضية إن العراق لن يكون ساعي بريد بين طهران وواشنطن", language="ar")
    assert "      stance=denied (negation 'لن' at 32)" in out
    assert "      speaker=unlisted «مسؤول في المفوضية» (anonymous) (verb-subject, unlisted: cue 'قال' at 0)" in out
    out = explain(SimpleNamespace(actors=ACTORS, codebook=codebook),
                  text="زيارة قاآني لم يُعلن عنها", language="ar")
    assert "      stance=asserted (negation that affirms 'لم يُعلن' at 12)" in out
    out = explain(SimpleNamespace(actors=ACTORS, codebook=codebook),
                  text="The spokesman denied that Iraq was a postman between Iran and the US", language="en")
    assert "      stance=denied (denial verb 'denied' at 14)" in out
    assert "(subject-verb, unlisted: cue 'denied' at 14)" in out


# Linear in the text: cues are found once per sentence, whatever the number of mentions -------
def test_cues_are_found_once_per_sentence(monkeypatch):
    built = {"cues": 0, "timeline": 0}
    cues_init, timeline_init = stance_mod.SentenceCues.__init__, speakers_mod.Timeline.__init__

    def count(name, init):
        def wrapped(self, *a, **k):
            built[name] += 1
            init(self, *a, **k)
        return wrapped

    monkeypatch.setattr(stance_mod.SentenceCues, "__init__", count("cues", cues_init))
    monkeypatch.setattr(speakers_mod.Timeline, "__init__", count("timeline", timeline_init))
    sentence = " و".join(["قال الكاظمي إن العراق لن يكون ساعي بريد"] * 200)
    seg = segment(sentence)
    found = attributions(seg.match_text, ACTORS, "ar", None)
    stances, memo = [], {}  # the caller keeps each sentence's cues between its mentions (voices.Voicing does)
    for k in range(200):
        start = sentence.index("ساعي", k * 40)
        stances.append(voice_reason(seg, start, start + 4, found, [], "ar", memo=memo)[2].stance)
    assert built == {"cues": 1, "timeline": 1}
    assert stances == ["denied"] * 200


@pytest.mark.parametrize("language, sentence, expected", [
    ("ar", "رفض النائب أن يكون العراق مضطراً لنقل الرسائل الإيرانية إلى واشنطن، متهماً طهران بتحويله إلى ساعي بريد",
     [("الرسائل الإيرانية إلى واشنطن", "denied", "النائب"), ("بتحويله إلى ساعي بريد", "reported", "النائب")]),
    ("en", "The MP said Iraq is not obliged to carry the messages from Tehran, accusing Tehran of turning Baghdad into a postman",
     [("carry the messages from Tehran", "denied", "The MP"), ("Baghdad into a postman", "reported", "The MP")]),
])
def test_a_rejection_and_an_accusation_give_two_mentions(language, sentence, expected):
    """Through the shipped codebook: each mention keeps the stance of its own clause."""
    codebook = load_codebook(DATA / "codebook.yaml")
    seg = segment(sentence)
    found = attributions(seg.match_text, ACTORS, language, None)
    got = []
    for r in sorted(code_segment(seg, codebook, language), key=lambda r: r["start"]):
        frame = next(f for f in codebook.frames if f.id == r["frame"])
        att, _, reason = voice_reason(seg, r["start"], r["end"], found, [], language, frame.deniable)
        got.append((sentence[r["start"]:r["end"]], reason.stance, speaker_words(seg, att)))
    assert sorted(got) == sorted(expected)


def test_a_broken_lexicon_names_the_file_the_line_and_the_fix(tmp_path):
    from analysis.inputs.lexicon import load_lexicon
    from analysis.io.errors import InputError
    (tmp_path / "lexicon.yaml").write_text((DATA / "lexicon.yaml").read_text(encoding="utf-8")
                                           + "reporting_verb:\n  ar: [قال]\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_lexicon(tmp_path / "lexicon.yaml")
    (p,) = e.value.problems
    assert p.file.endswith("lexicon.yaml") and p.what == "unknown list 'reporting_verb'"
    assert p.line == len((DATA / "lexicon.yaml").read_text(encoding="utf-8").splitlines()) + 1
    assert p.fix.startswith("use one of negation_affirms, ")
