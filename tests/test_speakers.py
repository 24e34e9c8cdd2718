from pathlib import Path

import pytest

from analysis.io.errors import Problems
from analysis.text.normalize import normalize
from analysis.match.patterns import MatchText
from analysis.coding.speakers import attributions, find_actors, find_quotations, load_actors, speaker_at

ACTORS = load_actors(Path(__file__).resolve().parent.parent / "data", Problems())


def speaker(sentence, previous=None, at=None):
    mt = MatchText(normalize(sentence))
    pos = None if at is None else mt.norm.index(normalize(at))
    return speaker_at(attributions(mt, ACTORS, "ar", ACTORS.get(previous)), pos).actor.id


@pytest.mark.parametrize("sentence, who", [
    ("وقال خامنئي خلال اجتماعه مع الكاظمي إن إيران ستوجه ضربة", "khamenei"),           # verb–subject
    ("وأكّد رئيس الوزراء العراقي في مؤتمر صحافي أن بلاده لن تكون ساحة", "kadhimi"),      # title, not name
    ("وبحسب مصدر مطلع على اللقاء من الجانب الإيراني، فإن الجنرال قاآني اجتمع بالكاظمي", "iranian_source"),
    ("يقول أحد مستشاري رئيس الوزراء العراقي: \"إصرار إيران يثير حفيظة الكاظمي\"", "pm_adviser"),  # longest actor wins
    ("نقلت صحيفة محلية تصريحاً للكاظمي قائلاً: \"نحن لا نلعب دور ساعي البريد\"", "kadhimi"),   # statement owner
    ("شهدت المنطقة الخضراء إطلاق صواريخ الكاتيوشا", "outlet"),
])
def test_attribution(sentence, who):
    assert speaker(sentence, at=sentence.split()[-1]) == who


def test_clitics_on_the_speakers_name():
    mt = MatchText(normalize("وأكد لقاآني وللكاظمي"))
    found = {m.actor.id: m.governed for m in find_actors(mt, ACTORS, "ar")}
    assert found == {"qaani": True, "kadhimi": True}  # recognised, and marked as objects of ل


def test_an_object_with_a_preposition_is_not_the_speaker():
    s = "بحسب المصدر الإيراني، فإن الجنرال أوضح للكاظمي رغبة بلاده"
    assert speaker(s, at="رغبة") == "iranian_source"


def test_anaphora_carry_the_previous_speaker():
    assert speaker("وأضاف المصدر أن زيارة قاآني جاءت بطلب من الفصائل", previous="iranian_source") == "iranian_source"


def test_quotations_need_four_words_and_are_not_names():
    s = "قال «الكاظمي» إن «سلمان بن عبد العزيز» في «زيارة سرية» وقال: «لن يكون ساعي بريد»"
    quotes = [s[a:b] for a, b in find_quotations(s, 0)]
    assert quotes == ["«لن يكون ساعي بريد»"]


def test_the_definite_source_is_the_one_introduced_before():
    # "an adviser to the PM said …" then "the Iraqi source said …": the same unnamed person
    mt = MatchText(normalize("وقال المصدر العراقي إن الكاظمي لم يعط ردا حاسما"))
    found = attributions(mt, ACTORS, "ar", ACTORS["pm_adviser"], (ACTORS["pm_adviser"],))
    assert speaker_at(found).actor.id == "pm_adviser"
    # with no earlier unnamed source of that side it stays a generic Iraqi source
    assert speaker_at(attributions(mt, ACTORS, "ar", None, ())).actor.id == "iraqi_source"
    # an indefinite "an Iraqi source" is a new source, not the earlier one
    mt = MatchText(normalize("وقال مصدر عراقي إن الكاظمي لم يعط ردا حاسما"))
    found = attributions(mt, ACTORS, "ar", ACTORS["pm_adviser"], (ACTORS["pm_adviser"],))
    assert speaker_at(found).actor.id == "iraqi_source"


# The gazetteer's own errors: file, line, what and fix.  The actors below were written for testing.
BAD_ACTORS = """actors:
  - id: amal
    name_en: Amal Test
    kind: person
    patterns: {ar: [أمل]}
  - id: amal
    name_en: Amal Test
    kind: named
    patterns: {ar: [أمل]}
  - id: amal
    name_en: Amal Again
    kind: named
    patterns: {ar: [أمل]}
  - id: outlet
    name_en: Outlet
    kind: media
    patterns: {en: [Outlet]}
  - id: unlisted
    name_en: U
    kind: media
    patterns: {en: [U]}
  - id: sami
    name_en: Sami Test
    kind: named
    patterns: {fr: [Sami], en: [Sami Test]}
  - name_en: No Id
    kind: named
    patterns: {en: [Nobody]}
  - id: last
    name_en: Last Test
    role: the last one
    kind: office
    side: Testers
    patterns: {en: [Last Office]}
"""


def load(tmp_path, actors_text, lexicon_text=None):
    (tmp_path / "actors.yaml").write_text(actors_text, encoding="utf-8")
    if lexicon_text is not None:
        (tmp_path / "lexicon.yaml").write_text(lexicon_text, encoding="utf-8")
    problems = Problems()
    actors = load_actors(tmp_path, problems)
    got = {a.id: (a.name_en, a.role, a.kind, a.side, sorted(a.patterns)) for a in actors.values()}
    return actors, got, [(Path(p.file).name, p.line, p.what, p.fix) for p in problems.items]


def test_a_bad_gazetteer_names_each_actor_the_line_and_the_fix(tmp_path):
    actors, got, problems = load(tmp_path, BAD_ACTORS)
    # the first amal has a bad kind, so the second is kept and the third is the duplicate
    assert got == {"amal": ("Amal Test", "", "named", "", ["ar"]),
                   "sami": ("Sami Test", "", "named", "", ["en"]),
                   "last": ("Last Test", "the last one", "office", "Testers", ["en"])}
    assert problems == [
        ("actors.yaml", 4, "actor 'amal': kind 'person' is not one of named, office, anonymous, media",
         "set kind to one of named, office, anonymous, media"),
        ("actors.yaml", 10, "duplicate or reserved actor id 'amal'", "give each actor its own id"),
        ("actors.yaml", 14, "duplicate or reserved actor id 'outlet'", "give each actor its own id"),
        ("actors.yaml", 18, "duplicate or reserved actor id 'unlisted'", "give each actor its own id"),
        ("actors.yaml", 25, "actor 'sami': unknown language 'fr'", "use ar or en"),
        ("actors.yaml", 26, "actor has no 'id'", "add the 'id:' key"),
    ]
    mt = MatchText(normalize("Sami Test met the Last Office"))
    assert [(m.actor.id, m.start, m.end) for m in find_actors(mt, actors, "en")] == [("sami", 0, 9), ("last", 18, 29)]
    assert actors.lexicon.path.endswith("lexicon.yaml")  # none in the folder: the shipped one


@pytest.mark.parametrize("text", ["actors: 3\n", "- id: x\n"])
def test_a_gazetteer_without_an_actors_list(tmp_path, text):
    _, got, problems = load(tmp_path, text)
    assert got == {}
    assert problems == [("actors.yaml", 1, "expected a top-level 'actors:' list",
                         "see the comments at the top of the shipped file")]


def test_the_folders_lexicon_comes_with_the_gazetteer_and_its_errors_are_reported(tmp_path):
    one = "actors:\n  - id: a\n    name_en: A\n    kind: named\n    patterns: {en: [A]}\n"
    lexicon = (Path(__file__).resolve().parent.parent / "data" / "lexicon.yaml").read_text(encoding="utf-8")
    actors, got, problems = load(tmp_path, one, lexicon)
    assert problems == [] and actors.lexicon.path == str(tmp_path / "lexicon.yaml")
    actors, got, problems = load(tmp_path, one, lexicon + "reporting_verb:\n  ar: [قال]\n")
    assert got == {"a": ("A", "", "named", "", ["en"])}
    assert problems == [("lexicon.yaml", len(lexicon.splitlines()) + 1, "unknown list 'reporting_verb'",
                         "use one of negation_affirms, negation_auxiliaries, negated_adjectives, denial_verbs, "
                         "reporting_verbs, participles, passive_verbs, noun_like_verbs, object_first_verbs, "
                         "unlisted_heads, titles")]
