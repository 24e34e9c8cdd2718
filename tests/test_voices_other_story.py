"""Voices that hold on another story: negations that do not deny, `denial: false` on one indicator,
appositive speakers, more reporting verbs, and a medium as an unlisted speaker.

Every sentence is written for testing, about the fictional story of tests/fixtures/portdeal (Tarsa, Velen,
the Karam field; its gazetteer knows Hadi Sarem and Lina Daoud), in Arabic and English.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.coding.speakers import attributions, speaker_for
from analysis.coding.stance import DENIED, REPORTED, stance_reason
from analysis.inputs.actors import load_actors
from analysis.inputs.lexicon import shipped
from analysis.io.errors import InputError, Problems
from analysis.match.patterns import MatchText
from analysis.pipeline import analyse
from analysis.text.normalize import normalize

PORTDEAL = Path(__file__).parent / "fixtures" / "portdeal"
ACTORS = load_actors(PORTDEAL, Problems())


def stance(sentence: str, frame_word: str, language: str) -> tuple[str, str]:
    """The stance of the frame words in a sentence a speaker voices, and the cue that decided it."""
    mt = MatchText(normalize(sentence))
    at = mt.norm.index(normalize(frame_word))
    r = stance_reason(mt, at, language, attributed=True, in_quote=False, end=at + len(normalize(frame_word)),
                      lexicon=shipped())
    return r.stance, r.cue


# ---- negations that negate a word of the claim, not the claim -----------------------------------------

@pytest.mark.parametrize("sentence, frame_word, language", [
    # lack of authority asserts the act: she says he is surrendering
    ("Lina Daoud said Sarem has no mandate to surrender the northern block.", "surrender", "en"),
    ("The opposition says the cabinet is not entitled to give up the islands.", "give up", "en"),
    ("Daoud said Sarem doesn't have a mandate to surrender the islands.", "surrender", "en"),
    ("وقالت لينا داود إن هادي صارم لا يملك أي تفويض بالتنازل عن المياه.", "بالتنازل", "ar"),
    # rarity: it happened
    ("Not every day does a rival state recognise Velen, Sarem said.", "recognise", "en"),
    ("Sarem called the deal nothing short of a recognition of Tarsa's rights.", "recognition", "en"),
    ("وقالت لينا داود إن هادي صارم لا يملك تفويضا بالتنازل عن مياه تارسا.", "بالتنازل", "ar"),
    ("وقالت المعارضة إن الحكومة ليس من حقها التنازل عن الجزر.", "التنازل", "ar"),
    ("وقال هادي صارم إن تارسا انتصرت، فلا تعترف دولة منافسة كل يوم بتارسا.", "تعترف", "ar"),
    ("ووصف هادي صارم الاتفاق بأنه لا يقل عن اعتراف كامل بحقوق تارسا.", "اعتراف", "ar"),
])
def test_a_negation_inside_the_claim_does_not_deny_it(sentence, frame_word, language):
    assert stance(sentence, frame_word, language)[0] == REPORTED


@pytest.mark.parametrize("sentence, frame_word, language", [
    # the same words, the frame's own proposition negated: denied
    ("Sarem said Tarsa will never surrender the northern block.", "surrender", "en"),
    ("Sarem said the agreement is not a recognition of Velen.", "recognition", "en"),
    ("وقال هادي صارم إن تارسا لا تعترف بفيلين.", "تعترف", "ar"),
    ("وقال هادي صارم إن الحكومة لن تقدم أي تنازل عن المياه.", "تنازل", "ar"),
])
def test_a_negation_of_the_claim_still_denies_it(sentence, frame_word, language):
    assert stance(sentence, frame_word, language) [0] == DENIED


def test_the_gap_entry_needs_its_closing_words():
    # «لا … كل يوم» allows five words between; without «كل يوم» the negation denies
    assert stance("وقال هادي صارم إن دولة منافسة لا تعترف بتارسا.", "تعترف", "ar")[0] == DENIED
    too_far = "وقال هادي صارم: لا تعترف دولة منافسة قوية جدا في المنطقة كل يوم بتارسا."
    assert stance(too_far, "تعترف", "ar")[0] == DENIED


# ---- denial: false on one indicator ---------------------------------------------------------------------

CODEBOOK = """# written for testing
frames:
  - id: concession
    label_en: Tarsa gave up its rights
    indicators:
      en:
        - term: ["surrender*"]
          label: surrender
        - term: ["no sovereignty"]
          label: no sovereignty left
          denial: false
"""


def _study(tmp_path, codebook: str, article: str) -> Path:
    data = tmp_path / "data"
    (data / "articles").mkdir(parents=True)
    shutil.copy(PORTDEAL / "outlets.csv", data / "outlets.csv")
    shutil.copy(PORTDEAL / "actors.yaml", data / "actors.yaml")
    (data / "manifest.csv").write_text("id,file,outlet,date,language\nx,articles/x.txt,north,2022-10-01,en\n", encoding="utf-8")
    (data / "articles" / "x.txt").write_text(article, encoding="utf-8")
    (data / "codebook.yaml").write_text(codebook, encoding="utf-8")
    return data


def test_denial_false_on_one_indicator_only(tmp_path):
    data = _study(tmp_path, CODEBOOK, "Daoud said Tarsa has not kept its sovereignty: not a surrender, she said, but no sovereignty left at all.\n")
    m = analyse(data).mentions.set_index("indicator")
    # "not a surrender" is denied; "no sovereignty" is the frame itself (its indicator says denial: false)
    assert m.loc["surrender", "stance"] == DENIED
    assert m.loc["no sovereignty left", "stance"] == REPORTED


@pytest.mark.parametrize("bad, message", [
    ('          denial: "no"\n', "'denial' must be true or false on an indicator"),
    ("          denial: false\n        - term: [no mandate]\n          label: no sovereignty left\n", "has 'denial: false'"),
])
def test_denial_on_an_indicator_is_checked(tmp_path, bad, message):
    text = CODEBOOK.replace("          denial: false\n", bad)
    data = _study(tmp_path, text, "Text.\n")
    with pytest.raises(InputError) as e:
        analyse(data)
    assert "codebook.yaml:" in str(e.value) and message in str(e.value)


# ---- appositive speakers ------------------------------------------------------------------------------

def speaker_of(sentence: str, language: str):
    mt = MatchText(normalize(sentence))
    found = attributions(mt, ACTORS, language, None)
    a = speaker_for(found, mt, len(mt.norm) - 2)
    return a.actor.id, a.actor.name_en if a.actor.id == "unlisted" else "", a.actor.kind


@pytest.mark.parametrize("sentence, language, expected", [
    ("Tarsa's prime minister, Hadi Sarem, said the gas revenues would fund schools.", "en", ("sarem", "", "named")),
    ("Sarem, the prime minister, said the gas revenues would fund schools.", "en", ("sarem", "", "named")),
    ("The bloc's deputy leader, Omar Nouri, said the deal was a surrender.", "en",
     ("unlisted", "The bloc's deputy leader, Omar Nouri", "named")),
    ("The bloc's head, Omar Nouri, said the deal was a surrender.", "en", ("unlisted", "The bloc's head, Omar Nouri", "named")),
    ("Omar Nouri, head of the bloc, said the deal was a surrender.", "en", ("unlisted", "Omar Nouri, head of the bloc", "named")),
    ("نائب رئيس الكتلة الشيخ عمر النوري قال إن الاتفاق تنازل.", "ar",
     ("unlisted", "نائب رئيس الكتله الشيخ عمر النوري", "named")),
    ("رئيس الوزراء هادي صارم قال إن عائدات الغاز ستذهب للمدارس.", "ar", ("sarem", "", "named")),
    ("وقال نائب رئيس الكتلة، الشيخ عمر النوري، إن الاتفاق تنازل.", "ar",
     ("unlisted", "نائب رئيس الكتله، الشيخ عمر النوري", "named")),
    ("وقالت رئيسة الكتلة، لينا داود، إن الاتفاق تنازل.", "ar", ("daoud", "", "named")),
])
def test_appositive_speakers(sentence, language, expected):
    assert speaker_of(sentence, language) == expected


def test_no_appositive_without_an_office():
    # a place set off by commas is not a speaker's name
    assert speaker_of("In the capital, Port Salem, traders said the deal was fair.", "en")[0] == "outlet"


# ---- reporting verbs and media ------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, language, expected", [
    ("Sarem hailed the gas revenues as a gift to the next generation.", "en", "sarem"),
    ("Lina Daoud praised the envoy who brokered the talks.", "en", "daoud"),
    ("Lina Daoud retorted that the deal was a surrender.", "en", "daoud"),
    ("Sarem claimed that the deal brings gas revenues.", "en", "sarem"),
    ("Lina Daoud described the deal as a surrender.", "en", "daoud"),
    ("ووصف هادي صارم الاتفاق بأنه مكسب لتارسا.", "ar", "sarem"),
    ("وأشاد هادي صارم بوساطة المبعوث.", "ar", "sarem"),
    ("وزعمت لينا داود أن الحكومة قدمت تنازلا.", "ar", "daoud"),
    ("ورحبت لينا داود بعائدات الغاز.", "ar", "daoud"),
    ("وندد هادي صارم بما وصفه بحملة تضليل.", "ar", "sarem"),
])
def test_reporting_verbs(sentence, language, expected):
    assert speaker_of(sentence, language)[0] == expected


@pytest.mark.parametrize("sentence, language, words", [
    ("A news website claimed that the envoy brokered the deal.", "en", "A news website"),
    ("وزعم موقع إخباري أن الوسيط نقل رسائل سرية.", "ar", "موقع اخباري"),
])
def test_a_medium_that_claims_is_an_unlisted_speaker(sentence, language, words):
    assert speaker_of(sentence, language) == ("unlisted", words, "media")


@pytest.mark.parametrize("sentence, language", [
    ("ونقلت صحيفة محلية عن هادي صارم قوله إن الاتفاق مكسب.", "ar"),
    ("A local newspaper quoted Hadi Sarem as saying the deal was a gain.", "en"),
])
def test_a_medium_that_relays_gives_way_to_the_speaker(sentence, language):
    # the newspaper carries Sarem's words: the speaker is Sarem
    assert speaker_of(sentence, language)[0] == "sarem"


@pytest.mark.parametrize("sentence, expected", [
    ("The agreement, described by critics as a surrender, passed parliament.", ("unlisted", "critics", "anonymous")),
    ("The deal was praised by a local newspaper as a gain for Tarsa.", ("unlisted", "a local newspaper", "media")),
    ("The deal was hailed by Hadi Sarem as a source of gas revenues.", ("sarem", "", "named")),
    # "by" and no speaker after it: the outlet's words
    ("Troops were described by the end of the talks as ready.", ("outlet", "", "outlet")),
])
def test_the_agent_of_an_english_passive_speaks(sentence, expected):
    assert speaker_of(sentence, "en") == expected
