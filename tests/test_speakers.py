from pathlib import Path

import pytest

from analysis.coding.speakers import attributions, find_actors, find_quotations, speaker_at, speaker_for
from analysis.inputs.actors import load_actors
from analysis.io.errors import Problems
from analysis.match.patterns import MatchText
from analysis.text.normalize import normalize

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


TWO_NAMES = """# written for testing: two actors, one with two names that share a word
actors:
  - id: rana
    name_en: Rana Test
    kind: named
    patterns: {en: [Rana Test, Minister Rana]}
  - id: omar
    name_en: Omar Test
    kind: named
    patterns: {en: [Omar Khan]}
"""


def test_one_scan_names_the_actors_and_the_entries_that_may_occur(tmp_path):
    """The gazetteer's one automaton of every name entry: per sentence, which actor and which of its
    names may occur (by their words), and find_actors finds those names where they are."""
    actors, _, problems = load(tmp_path, TWO_NAMES)
    assert problems == []
    listed, owners, prefilter = actors.entries("en")
    assert [a.id for a in listed] == ["rana", "omar"]
    assert sorted(owners) == [(0, 0), (0, 1), (1, 0)]
    mt = MatchText(normalize("Minister Rana met Omar Khan"))
    hits = sorted(owners[r] for r in prefilter.candidates_folded(mt.folded))
    names = listed[0].patterns["en"].items
    rana_here = [j for k, j in hits if k == 0]
    # the words of "Minister Rana" are here, "test" of "Rana Test" is not: one entry of rana, and omar
    assert [names[j].canonical for j in rana_here] == ["Minister Rana"] and (1, 0) in hits
    # Minister Rana = 0..13, Omar Khan = 18..27
    assert [(m.actor.id, m.start, m.end) for m in find_actors(mt, actors, "en")] == [("rana", 0, 13), ("omar", 18, 27)]


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
                         "unlisted_heads, titles, negation_not_denial, media_heads")]


# Sentences below were written for these tests.  Each row: the attributions found, as
# (speaker id, words naming an unlisted speaker, kind, how, position of the cue, span of the speaker's words).
def found(sentence, language="ar", previous=None, earlier=(), actors=ACTORS):
    mt = MatchText(normalize(sentence))
    got = attributions(mt, actors, language, actors.get(previous) if previous else None,
                       tuple(actors[e] for e in earlier))
    return [(a.actor.id, a.actor.name_en if a.actor.id == "unlisted" else "", a.actor.kind, a.how, a.at, a.span)
            for a in got]


@pytest.mark.parametrize("sentence, expected", [
    # English subject–verb: the words before the verb, back to a determiner or a function word, at most four
    ("In Baghdad a ministry spokesman said the troops would leave",
     [("unlisted", "a ministry spokesman", "anonymous", "subject-verb, unlisted", 11, (11, 31))]),
    ("Reports from ministry officials said the troops would leave",
     [("unlisted", "ministry officials", "anonymous", "subject-verb, unlisted", 13, (13, 31))]),
    ("Iraqi foreign ministry press office spokesman said the troops would leave",
     [("unlisted", "foreign ministry press office spokesman", "anonymous", "subject-verb, unlisted", 6, (6, 45))]),
    # at most four words between the head and the verb
    ("A spokesman for the foreign ministry said the troops would leave",
     [("unlisted", "A spokesman for the foreign ministry", "anonymous", "subject-verb, unlisted", 0, (0, 36))]),
    ("A spokesman for the Iraqi foreign ministry said the troops would leave", []),
    # a relative clause or a second subject between them: the head is not the verb's subject
    ("An official who met the envoy said the troops would leave", []),
    ("A source which met the envoy said the troops would leave", []),
    ("An aide that met the envoy said the troops would leave", []),
    ("An official and the envoy said the troops would leave", []),
    ("An official said the envoy said the troops would leave",
     [("unlisted", "An official", "anonymous", "subject-verb, unlisted", 0, (0, 11)),
      ("unlisted", "An official", "anonymous", "same subject", 27, None)]),
    ("An official says the envoy says the troops would leave",
     [("unlisted", "An official", "anonymous", "subject-verb, unlisted", 0, (0, 11)),
      ("unlisted", "An official", "anonymous", "same subject", 27, None)]),
    # a title and lower-case words is an office, not a named person
    ("The minister of foreign affairs said the troops would leave",
     [("unlisted", "The minister of foreign affairs", "anonymous", "subject-verb, unlisted", 0, (0, 31))]),
    # … and named when a capitalised word follows it, past lower-case particles
    ("The minister al-Hussein said the troops would leave",
     [("unlisted", "The minister al-Hussein", "named", "subject-verb, unlisted", 0, (0, 23))]),
])
def test_english_unlisted_speakers(sentence, expected):
    assert found(sentence, "en") == expected


@pytest.mark.parametrize("sentence, words, kind", [
    # named: a title, then (past ال- words) a word without ال; not past a function word or بال-
    ("وقال النائب سالم إن القوات ستنسحب", "النائب سالم", "named"),
    ("وقال النائب العراقي سالم إن القوات ستنسحب", "النائب العراقي سالم", "named"),
    ("وقال النائب العراقي إن القوات ستنسحب", "النائب العراقي", "anonymous"),
    ("وقال النائب والمحلل إن القوات ستنسحب", "النائب والمحلل", "anonymous"),
    ("وقال المتحدث بالوكالة إن القوات ستنسحب", "المتحدث بالوكاله", "anonymous"),
    # the second title of the words may be the one followed by a name
    ("وقال المتحدث باسم الوزير سالم الجبوري إن القوات ستنسحب", "المتحدث باسم الوزير سالم الجبوري", "named"),
])
def test_arabic_named_or_anonymous(sentence, words, kind):
    (a,) = attributions(MatchText(normalize(sentence)), ACTORS, "ar", None)
    assert (a.actor.id, a.actor.name_en, a.actor.kind, a.actor.role, a.actor.side, a.actor.patterns) == (
        "unlisted", words, kind, "", "Speakers not in the gazetteer", {})
    assert a.span == (5, 5 + len(words))


@pytest.mark.parametrize("sentence, expected", [
    # «المصدر العراقي» with a clitic in front, or behind ل, is still the adviser named before
    ("والمصدر العراقي أكد أن الكاظمي لم يعط ردا حاسما", [("pm_adviser", "", "anonymous", "subject-verb", 0, (0, 15))]),
    ("وقال المصدر العراقي إن الكاظمي لم يعط ردا حاسما", [("pm_adviser", "", "anonymous", "verb-subject", 0, (5, 19))]),
    # the newspaper (an unlisted medium) relays the source's statement, and gives way to it
    ("ونقلت صحيفة محلية تصريحات للمصدر العراقي قال فيها إن الكاظمي لم يعط ردا",
     [("unlisted", "صحيفه محليه", "media", "verb-subject, unlisted", 0, (6, 17)),
      ("pm_adviser", "", "anonymous", "statement owner", 26, None),
      ("pm_adviser", "", "anonymous", "subject-verb", 26, (26, 40))]),
])
def test_the_definite_source_with_clitics(sentence, expected):
    assert found(sentence, earlier=("pm_adviser",)) == expected
    mt = MatchText(normalize(sentence))
    got = attributions(mt, ACTORS, "ar", None, (ACTORS["pm_adviser"],))
    assert speaker_for(got, mt, len(mt.norm) - 1).actor.id == "pm_adviser"


@pytest.mark.parametrize("sentence, expected", [
    # «المصادر» are the sources named before it in the sentence: the last of them, never a news agency
    ("أعلنت مصادر عراقية أن الزيارة سرية، ولفتت المصادر إلى أن القوات ستنسحب",
     [("iraqi_source", "", "anonymous", "verb-subject", 0, (6, 18)), ("iraqi_source", "", "anonymous", "carried over", 36, None)]),
    ("قال ظريف إن القوات ستنسحب، وأكد الصدر أن الزيارة سرية، وقال الكاظمي إن العراق لن يكون ساحة، "
     "ولفتت المصادر إلى أن القوات ستنسحب",
     [("zarif", "", "named", "verb-subject", 0, (4, 8)), ("sadr", "", "named", "verb-subject", 27, (32, 37)),
      ("kadhimi", "", "named", "verb-subject", 55, (60, 67)), ("kadhimi", "", "named", "carried over", 92, None)]),
    ("ذكرت رويترز أن الزيارة سرية، ولفتت المصادر إلى أن القوات ستنسحب",
     [("media", "", "media", "verb-subject", 0, (5, 11)), ("sadr", "", "named", "carried over", 29, None)]),
])
def test_the_sources_are_the_ones_named_before(sentence, expected):
    assert found(sentence, previous="sadr") == expected


def test_who_voices_the_sentence_and_a_quotation():
    # the first speaker that is not a news agency; a news agency when it is the only one
    mt = MatchText(normalize("ذكرت رويترز أن الزيارة سرية، ولفتت المصادر إلى أن القوات ستنسحب"))
    assert speaker_at(attributions(mt, ACTORS, "ar", ACTORS["sadr"])).actor.id == "sadr"
    mt = MatchText(normalize("نقلت رويترز عن الكاظمي قوله إن القوات ستنسحب"))
    assert speaker_at(attributions(mt, ACTORS, "ar", None)).actor.id == "media"
    # a quotation before every cue is the first speaker's: «…» قال الكاظمي (at 37), then ظريف (at 50)
    mt = MatchText(normalize("«نحن لا نقبل أن نكون ساعي بريد لأحد» قال الكاظمي، وأكد ظريف ذلك"))
    got = attributions(mt, ACTORS, "ar", None)
    assert [(a.actor.id, a.at) for a in got] == [("kadhimi", 37), ("zarif", 50)]
    assert speaker_at(got, 0).actor.id == "kadhimi"
    assert speaker_at(got, 55).actor.id == "zarif"


GAZETTEER_THE = """actors:
  - id: adviser
    name_en: an adviser
    kind: anonymous
    side: Testers
    patterns: {en: [an adviser to the minister]}
  - id: the_source
    name_en: a test source
    kind: anonymous
    side: Testers
    patterns: {en: [the source in Testland, a source in Testland]}
"""


@pytest.mark.parametrize("sentence, who", [
    ("The source in Testland said the troops would leave", "adviser"),
    ("On Tuesday the source in Testland said the troops would leave", "adviser"),
    ("On Tuesday a source in Testland said the troops would leave", "the_source"),
])
def test_an_english_definite_source_written_in_the_gazetteer(tmp_path, sentence, who):
    actors, _, problems = load(tmp_path, GAZETTEER_THE)
    assert problems == []
    mt = MatchText(normalize(sentence))
    got = attributions(mt, actors, "en", None, (actors["adviser"],))
    assert [a.actor.id for a in got] == [who]


@pytest.mark.parametrize("sentence, expected", [
    # after a verb read as passive (يُتهم), the agent after من / من قبل speaks, listed or not
    ("ويتهم الكاظمي من الصدر بأنه حول العراق إلى ساعي بريد", [("sadr", "", "named", "passive agent", 0, (17, 22))]),
    ("ويتهم الكاظمي من قبل الصدر بأنه حول العراق إلى ساعي بريد", [("sadr", "", "named", "passive agent", 0, (21, 26))]),
    ("ويتهم الكاظمي من قبل نواب في البرلمان بأنه حول العراق إلى ساعي بريد",
     [("unlisted", "نواب في البرلمان", "anonymous", "passive agent, unlisted", 0, (21, 37))]),
    # the accused named by words the gazetteer does not know
    ("ويتهم مسؤول في المفوضية من قبل الصدر بأنه حول العراق إلى ساعي بريد",
     [("sadr", "", "named", "passive agent", 0, (31, 36))]),
    ("ويتهم مسؤول عراقي من قبل نواب بأنه حول العراق إلى ساعي بريد",
     [("unlisted", "نواب", "anonymous", "passive agent, unlisted", 0, (25, 29))]),
    # no agent right after the subject: the subject stays the speaker
    ("ويتهم الكاظمي بأنه حول العراق إلى ساعي بريد", [("kadhimi", "", "named", "verb-subject", 0, (6, 13))]),
    ("ويتهم الكاظمي، من قبل الصدر، بأنه حول العراق إلى ساعي بريد", [("kadhimi", "", "named", "verb-subject", 0, (6, 13))]),
    ("ويتهم الكاظمي من قبل، وقال الصدر إن القوات ستنسحب",
     [("kadhimi", "", "named", "verb-subject", 0, (6, 13)), ("sadr", "", "named", "verb-subject", 22, (27, 32))]),
    # an active verb: its subject speaks
    ("واتهم الصدر الكاظمي بأنه حول العراق إلى ساعي بريد", [("sadr", "", "named", "verb-subject", 0, (6, 11))]),
    # a negated reporting verb attributes nothing, at the start of the sentence too; the next verb still does
    ("لم يعلن الكاظمي عن الزيارة السرية", []),
    ("لم يعلن الكاظمي عن الزيارة، وقال ظريف إن القوات ستنسحب", [("zarif", "", "named", "verb-subject", 28, (33, 37))]),
    # a verb as the sentence's last word has no subject after it
    ("العراق لن يكون ساعي بريد كما قال", []),
])
def test_passive_agents_and_negated_verbs(sentence, expected):
    assert found(sentence) == expected


def test_a_sentence_attributed_twice_is_read_with_the_latest_attributions():
    from analysis.coding.speakers import Attribution, speaker_for
    mt = MatchText(normalize("قال الكاظمي إن القوات ستنسحب"))
    first = attributions(mt, ACTORS, "ar", None)
    assert speaker_for(first, mt, 20).actor.id == "kadhimi"
    again = [Attribution(ACTORS["zarif"], "carried over", 0, "قال")]
    assert speaker_for(again, mt, 20).actor.id == "zarif"


@pytest.mark.parametrize("language, sentence, word, who", [
    # a news agency relaying someone gives way to that someone
    ("ar", "ذكرت رويترز أن الكاظمي قال إن القوات ستنسحب", "القوات", "kadhimi"),
    # "according to X, …" covers the whole sentence, a later cue included
    ("ar", "بحسب مصدر عراقي، قال الكاظمي إن القوات ستنسحب", "القوات", "iraqi_source"),
    # after the reported words began, a new clause stays in the first speaker's report …
    ("ar", "قال ظريف إن القوات ستنسحب، وأكد الكاظمي أن الزيارة سرية", "الزيارة", "zarif"),
    # … unless it opens with فيما (while)
    ("ar", "قال ظريف إن القوات ستنسحب، فيما قال الكاظمي إن الزيارة سرية", "الزيارة", "kadhimi"),
    # a closing tag: the cue's clause is the last, with at most three words after the verb
    ("en", "US troops will not leave soon, Kadhimi said", "troops", "kadhimi"),
    ("en", "US troops will not leave soon, Kadhimi said on Tuesday morning", "troops", "kadhimi"),
    ("en", "US troops will not leave soon, Kadhimi said on Tuesday in Baghdad", "troops", "outlet"),
    ("en", "US troops will not leave soon, Kadhimi said, and Iraq agreed", "troops", "outlet"),
    ("en", "US troops will not leave soon, a ministry spokesman said on Tuesday", "troops", "unlisted"),
    ("en", "US troops will not leave soon, a ministry spokesman said on Tuesday in Baghdad", "troops", "outlet"),
    # a lead-in clause belongs to the speaker after it; other background does not
    ("en", "Commenting on the visit, Kadhimi said US troops will not leave", "visit", "kadhimi"),
    ("en", "After the visit, Kadhimi said US troops will not leave", "visit", "outlet"),
])
def test_the_speaker_of_each_clause(language, sentence, word, who):
    from analysis.coding.speakers import speaker_for
    mt = MatchText(normalize(sentence))
    got = attributions(mt, ACTORS, language, None)
    assert speaker_for(got, mt, mt.norm.index(normalize(word))).actor.id == who


@pytest.mark.parametrize("language, sentence, previous, earlier, expected", [
    # (speaker, how, at, cue, cue_at, span): the cue as normalized in the sentence
    ("ar", "بحسب المصدر، فإن القوات ستنسحب", "sadr", (), [("sadr", "source phrase, carried over", 0, "بحسب", -1, None)]),
    ("ar", "بحسب المصدر، فإن القوات ستنسحب", None, (), []),
    ("ar", "بحسب مسؤول في المفوضية فإن القوات ستنسحب", None, (),
     [("unlisted", "source phrase, unlisted", 0, "بحسب", -1, (5, 22))]),
    ("ar", "وبحسب الكاظمي فإن القوات ستنسحب", None, (), [("kadhimi", "source phrase", 0, "وبحسب", -1, (6, 13))]),
    # the head and at most six words after it
    ("ar", "وبحسب مصادر مطلعة في بغداد وطهران والمدن الأخرى وعدة جهات فإن الكاظمي سيغادر", None, (),
     [("unlisted", "source phrase, unlisted", 0, "وبحسب", -1, (6, 47))]),
    # a statement by someone (تصريحات لـ …): the cue is the noun, 18 characters in
    # (the newspaper that relays it is an unlisted medium: media_heads in lexicon.yaml)
    ("ar", "ونقلت صحيفة محلية تصريحات للمصدر العراقي قال فيها إن الكاظمي لم يعط ردا", None, ("pm_adviser",),
     [("unlisted", "verb-subject, unlisted", 0, "ونقلت", -1, (6, 17)),
      ("pm_adviser", "statement owner", 26, "تصريحات", 18, None), ("pm_adviser", "subject-verb", 26, "قال", 41, (26, 40))]),
    ("ar", "ونقلت صحيفة محلية تصريحا لظريف قال فيه إن القوات ستنسحب", None, (),
     [("unlisted", "verb-subject, unlisted", 0, "ونقلت", -1, (6, 17)),
      ("zarif", "statement owner", 25, "تصريحا", 18, None), ("zarif", "subject-verb", 25, "قال", 31, (25, 30))]),
    ("ar", "أعلنت مصادر عراقية أن الزيارة سرية، ولفتت المصادر إلى أن القوات ستنسحب", "sadr", (),
     [("iraqi_source", "verb-subject", 0, "اعلنت", -1, (6, 18)), ("iraqi_source", "carried over", 36, "ولفتت", -1, None)]),
    ("en", "The source added that troops would leave", "iranian_source", (),
     [("iranian_source", "carried over", 11, "added", -1, None)]),
    ("en", "Iraqi officials said the visit was secret, and the source added that troops would leave", "sadr", (),
     [("iraqi_source", "subject-verb", 0, "said", 16, (0, 15)), ("iraqi_source", "carried over", 58, "added", -1, None)]),
    ("en", "According to the source, troops would leave", "sadr", (),
     [("sadr", "source phrase, carried over", 0, "According to", -1, None)]),
])
def test_attribution_cues(language, sentence, previous, earlier, expected):
    mt = MatchText(normalize(sentence))
    got = attributions(mt, ACTORS, language, ACTORS.get(previous) if previous else None, tuple(ACTORS[e] for e in earlier))
    assert [(a.actor.id, a.how, a.at, a.cue, a.cue_at, a.span) for a in got] == expected


@pytest.mark.parametrize("sentence, expected", [
    # a speaker right before an early colon: «قآني في بغداد: …»
    ("الكاظمي: لن نكون ساعي بريد بين طهران وواشنطن", [("kadhimi", "speaker before a colon", 0, ":", 7, None)]),
    ("مسؤول في المفوضية: العراق لن يكون ساعي بريد",
     [("unlisted", "speaker before a colon, unlisted", 0, ":", 17, (0, 17))]),
    ("الكاظمي: العراق: لن يكون ساعي بريد", [("kadhimi", "speaker before a colon", 0, ":", 7, None)]),  # the first colon
    # at most three words between the speaker and the colon
    ("الكاظمي في مؤتمر صحفي: لن نكون ساعي بريد", [("kadhimi", "speaker before a colon", 0, ":", 21, None)]),
    ("الكاظمي في مؤتمر صحفي ببغداد: لن نكون ساعي بريد", []),
    # not an object (للكاظمي), not across a comma, not late in the sentence (the colon's word at most the 13th)
    ("رسالة للكاظمي: لن نكون ساعي بريد", []),
    ("في بغداد، الكاظمي: لن نكون ساعي بريد", []),
    ("وصل إلى بغداد يوم الأحد في زيارة رسمية هي الأولى منذ عامين الكاظمي: لن نكون ساعي بريد",
     [("kadhimi", "speaker before a colon", 59, ":", 66, None)]),
    ("وصل إلى بغداد يوم الأحد الماضي في زيارة رسمية هي الأولى منذ عامين الكاظمي: لن نكون ساعي بريد", []),
    # «قال الوزير: …» is the verb's
    ("قال الوزير: لن نكون ساعي بريد", [("unlisted", "verb-subject, unlisted", 0, "قال", -1, (4, 10))]),
])
def test_a_speaker_before_a_colon(sentence, expected):
    mt = MatchText(normalize(sentence))
    assert [(a.actor.id, a.how, a.at, a.cue, a.cue_at, a.span) for a in attributions(mt, ACTORS, "ar", None)] == expected


def test_overlapping_actors_keep_the_longest_and_the_rest():
    mt = MatchText(normalize("وقال مستشار الكاظمي إن ظريف لن يكون ساعي بريد"))
    assert [(m.actor.id, m.start, m.end) for m in find_actors(mt, ACTORS, "ar")] == [("pm_adviser", 5, 19), ("zarif", 23, 27)]


@pytest.mark.parametrize("text, quotes", [
    # up to five words with بن is a name; six words are a quotation
    ("قال «سلمان بن عبد العزيز آل» ثم", []),
    ("قال «سلمان بن عبد العزيز آل سعود» ثم", [(14, 43)]),
    ("قال «لن يكون ساعي بريد» ثم", [(14, 33)]),
])
def test_quotations_are_offsets_in_the_article(text, quotes):
    assert find_quotations(text, 10) == quotes  # the sentence starts at 10 in its article


@pytest.mark.parametrize("language, sentence, previous, expected", [
    # a second verb with no subject of its own, or a participle, continues the sentence's speaker
    ("ar", "قال الكاظمي إن القوات ستنسحب وأضاف أن الزيارة سرية", None,
     [("kadhimi", "verb-subject", 0, "قال", -1, (4, 11)), ("kadhimi", "same subject", 29, "واضاف", -1, None)]),
    ("ar", "قال الكاظمي إن القوات ستنسحب، مضيفا أن الزيارة سرية", None,
     [("kadhimi", "verb-subject", 0, "قال", -1, (4, 11)), ("kadhimi", "same subject", 30, "مضيفا", -1, None)]),
    # … or the article's last speaker when the sentence names none
    ("ar", "وأضاف أن القوات ستنسحب", "kadhimi", [("kadhimi", "carried over", 0, "واضاف", -1, None)]),
    ("ar", "مضيفا أن الزيارة سرية", "kadhimi", [("kadhimi", "same subject", 0, "مضيفا", -1, None)]),
    # "the sources" with no verb: the last speaker, once
    ("ar", "المصادر ذاتها والمصدر الآخر تتحدث عن انسحاب القوات", "kadhimi", [("kadhimi", "carried over", 0, "المصادر", -1, None)]),
    # "X told Reuters": the subject before the verb speaks, not the object after it
    ("en", "Kadhimi told Reuters the troops would leave", None, [("kadhimi", "subject-verb", 0, "told", 8, (0, 7))]),
    # a phrase or a day between the verb and its subject
    ("ar", "وقال في مؤتمر صحفي الكاظمي إن القوات ستنسحب", None, [("kadhimi", "verb-subject", 0, "وقال", -1, (19, 26))]),
    ("ar", "وقال اليوم الكاظمي إن القوات ستنسحب", None, [("kadhimi", "verb-subject", 0, "وقال", -1, (11, 18))]),
    # «رفض الفصائل …» is a noun; «وتشير الزيارة» has a subject that is no speaker, and the next verb still counts
    ("ar", "رفض الفصائل لأي تفاوض مع واشنطن واضح", None, []),
    ("ar", "وتشير الزيارة إلى تحسن العلاقات، وقال الكاظمي إن القوات ستنسحب", None,
     [("kadhimi", "verb-subject", 33, "وقال", -1, (38, 45))]),
    # دعا takes its object first: «ودعا الكاظمي الفصائل»
    ("ar", "ودعا الكاظمي الفصائل إلى التهدئة", None, [("kadhimi", "verb-subject", 0, "ودعا", -1, (5, 12))]),
    ("ar", "ودعت الحكومة الفصائل إلى التهدئة", "kadhimi", [("kadhimi", "carried over", 0, "ودعت", -1, None)]),
    # a title, then a known name
    ("ar", "وأشار النائب العراقي ظافر العاني إلى أن القوات ستغادر", None,
     [("zafer_al_ani", "verb-subject", 0, "واشار", -1, (21, 32))]),
])
def test_verbs_and_their_subjects(language, sentence, previous, expected):
    mt = MatchText(normalize(sentence))
    got = attributions(mt, ACTORS, language, ACTORS.get(previous) if previous else None)
    assert [(a.actor.id, a.how, a.at, a.cue, a.cue_at, a.span) for a in got] == expected


@pytest.mark.parametrize("sentence, expected", [
    # the words naming an unlisted speaker: after the verb, up to the reported words, a break or the end
    ("قال: مسؤول في المفوضية لن يكون ساعي بريد", []),  # past the colon, the words are reported, not a subject
    ("وقال مسؤول في المفوضية", [("unlisted", "مسؤول في المفوضيه", "verb-subject, unlisted", 0, "وقال", -1, (5, 22))]),
    # a comma earlier in the sentence does not cut them
    ("في بغداد، قال مسؤول في المفوضية إن القوات ستنسحب",
     [("unlisted", "مسؤول في المفوضيه", "verb-subject, unlisted", 10, "قال", -1, (14, 31))]),
    # a preposition left before a break belongs to what follows
    ("وقال موظف في «وزارة الخارجية» إن القوات ستنسحب", [("unlisted", "موظف", "verb-subject, unlisted", 0, "وقال", -1, (5, 9))]),
])
def test_the_words_naming_an_unlisted_speaker(sentence, expected):
    mt = MatchText(normalize(sentence))
    got = attributions(mt, ACTORS, "ar", None)
    assert [(a.actor.id, a.actor.name_en if a.actor.id == "unlisted" else "", a.how, a.at, a.cue, a.cue_at, a.span)
            for a in got] == expected


def test_the_gazetteers_problems_are_added_to_the_callers(tmp_path):
    (tmp_path / "actors.yaml").write_text("actors:\n  - id: a\n    name_en: A\n    kind: named\n    patterns: {en: [A]}\n",
                                          encoding="utf-8")
    (tmp_path / "lexicon.yaml").write_text("titles: 3\n", encoding="utf-8")
    problems = Problems()
    problems.add(tmp_path / "codebook.yaml", 3, "an earlier problem", "its fix")
    load_actors(tmp_path, problems)
    assert [(Path(p.file).name, p.what) for p in problems.items][:2] == [
        ("codebook.yaml", "an earlier problem"), ("lexicon.yaml", "no 'negation_affirms' list")]


@pytest.mark.parametrize("sentence, expected", [
    # the passive agent keeps the verb as its cue, where the verb is (10)
    ("وفي بغداد يتهم الكاظمي من قبل الصدر بأنه حول العراق إلى ساعي بريد",
     [("sadr", "", "passive agent", 10, "يتهم", -1, (30, 35))]),
    ("وفي بغداد يتهم الكاظمي من قبل نواب في البرلمان بأنه حول العراق إلى ساعي بريد",
     [("unlisted", "نواب في البرلمان", "passive agent, unlisted", 10, "يتهم", -1, (30, 46))]),
    ("وفي بغداد يتهم مسؤول في المفوضية من قبل الصدر بأنه حول العراق إلى ساعي بريد",
     [("sadr", "", "passive agent", 10, "يتهم", -1, (40, 45))]),
    # words after من that name nobody: the subject stays
    ("ويتهم الكاظمي من قبل الكثيرين بأنه حول العراق إلى ساعي بريد", [("kadhimi", "", "verb-subject", 0, "ويتهم", -1, (6, 13))]),
    ("ويتهم الكاظمي من جهة أخرى بأنه حول العراق إلى ساعي بريد", [("kadhimi", "", "verb-subject", 0, "ويتهم", -1, (6, 13))]),
])
def test_passive_agent_cues(sentence, expected):
    mt = MatchText(normalize(sentence))
    got = attributions(mt, ACTORS, "ar", None)
    assert [(a.actor.id, a.actor.name_en if a.actor.id == "unlisted" else "", a.how, a.at, a.cue, a.cue_at, a.span)
            for a in got] == expected


# The rules one at a time.  Sentences written for these tests; each row: the rule, the sentence, the speaker
# carried over from the sentence before, the attributions (speaker, how, position of the cue in the normalized
# sentence) with every rule, and with that one rule left out.
@pytest.mark.parametrize("rule, sentence, language, previous, with_it, without_it", [
    ("source phrase", "وبحسب مصدر إيراني فإن الزيارة سرية", "ar", None,
     [("iranian_source", "source phrase", 0)], []),
    # the statement's owner stands at the actor's word (للكاظمي, the fifth word: 4+5+5+6 letters and 4 spaces)
    ("statement owner", "نشرت صحيفة محلية تصريحا للكاظمي عن الزيارة", "ar", None,
     [("kadhimi", "statement owner", 24)], []),
    # the two other nouns of a statement (5 letters each: the actor's word starts one letter earlier)
    ("statement owner", "نشرت صحيفة محلية بيانا للكاظمي عن الزيارة", "ar", None,
     [("kadhimi", "statement owner", 23)], []),
    ("statement owner", "نشرت صحيفة محلية حديثا للكاظمي عن الزيارة", "ar", None,
     [("kadhimi", "statement owner", 23)], []),
    ("verb-subject", "وقال خامنئي إن إيران ستوجه ضربة", "ar", None,
     [("khamenei", "verb-subject", 0)], []),
    ("subject-verb", "Kadhimi said the troops would leave", "en", None,
     [("kadhimi", "subject-verb", 0)], []),
    ("subject-verb", "الصدر أكد أن القوات ستنسحب", "ar", None,
     [("sadr", "subject-verb", 0)], []),
    # a source noun before a colon speaks; without the colon rule it is still the source named before
    ("colon", "المصدر: لا عودة إلى الوراء", "ar", "sadr",
     [("unlisted", "speaker before a colon, unlisted", 0)], [("sadr", "carried over", 0)]),
    ("carried over", "وبالنسبة للمصدر فإن الزيارة سرية", "ar", "sadr",
     [("sadr", "carried over", 9)], []),
    # "the source" is the one named before, not a new unlisted speaker
    ("anaphoric subject", "The source added that the visit was secret", "en", "sadr",
     [("sadr", "carried over", 11)], [("unlisted", "subject-verb, unlisted", 0)]),
    # a verb with a subject of its own that is no speaker reports nobody
    ("other subject", "وتشير الزيارة إلى تحول", "ar", "sadr",
     [], [("sadr", "carried over", 0)]),
    ("same subject", "وأضاف أن الزيارة سرية", "ar", "sadr",
     [("sadr", "carried over", 0)], []),
    # an office, then the name between commas; without the rule the comma hides the subject
    ("appositive", "The bloc's deputy leader, Omar Nouri, said the visit was secret", "en", None,
     [("unlisted", "appositive, unlisted", 0)], []),
    ("appositive", "نائب رئيس الكتلة الشيخ عمر النوري قال إن الزيارة سرية", "ar", None,
     [("unlisted", "subject-verb, unlisted", 0)], []),
    # مؤكدا is the 7th word: 4+6+2+5+5+5 letters, 5 spaces and the comma
    ("participle", "وقال خامنئي إن إيران ستوجه ضربة، مؤكدا أنها قريبة", "ar", None,
     [("khamenei", "verb-subject", 0), ("khamenei", "same subject", 33)], [("khamenei", "verb-subject", 0)]),
])
def test_each_rule_can_be_left_out(rule, sentence, language, previous, with_it, without_it):
    from analysis.coding.speakers import RULES
    mt = MatchText(normalize(sentence))
    prev = ACTORS.get(previous) if previous else None
    assert rule in [r.name for r in RULES]
    got = attributions(mt, ACTORS, language, prev)
    assert [(a.actor.id, a.how, a.at) for a in got] == with_it
    fewer = tuple(r for r in RULES if r.name != rule)
    got = attributions(mt, ACTORS, language, prev, rules=fewer)
    assert [(a.actor.id, a.how, a.at) for a in got] == without_it


def test_the_gazetteer_is_searched_only_where_a_rule_asks(monkeypatch):
    """Half the sentences have no cue any rule acts on: they are attributed without looking for actors."""
    from analysis.coding import speakers
    asked = []
    real = speakers.find_actors
    monkeypatch.setattr(speakers, "find_actors", lambda *a: asked.append(a[0].norm) or real(*a))
    assert attributions(MatchText(normalize("الزيارة سرية والكاظمي في طهران")), ACTORS, "ar", None) == []
    assert asked == []
    got = attributions(MatchText(normalize("وقال خامنئي إن إيران ستوجه ضربة")), ACTORS, "ar", None)
    assert [a.actor.id for a in got] == ["khamenei"] and len(asked) == 1


def test_a_rule_called_on_its_own():
    from analysis.coding.speakers import NO_REPORT, Reading, other_subject, source_phrase, subject_verb, verb_subject
    from analysis.inputs.lexicon import shipped as lexicon

    def reading(sentence, language="ar", previous=None):
        return Reading(MatchText(normalize(sentence)), ACTORS, language, previous, (), lexicon())

    r = reading("وقال خامنئي إن إيران ستوجه ضربة")
    (v,) = r.verbs()
    assert (v.s, v.word) == (0, "وقال")
    assert verb_subject(r, v).actor.id == "khamenei" and subject_verb(r, v) is None and source_phrase(r) == []
    r = reading("Kadhimi said the troops would leave", "en")
    (v,) = r.verbs()
    assert verb_subject(r, v) is None  # English subject first: what follows the verb is its object
    assert (subject_verb(r, v).actor.id, subject_verb(r, v).cue_at) == ("kadhimi", 8)
    r = reading("وتشير الزيارة إلى تحول")
    (v,) = r.verbs()
    assert other_subject(r, v) is NO_REPORT


# Written for testing.  A reporting verb with a first-person object: a verb writes "me" as ني (أبلغني),
# never a bare ي, which is a noun's "my"; كن is the feminine plural "you" (أبلغكن).
@pytest.mark.parametrize("sentence, cue, span", [
    ("وأبلغني مسؤول في المفوضية أن القوات ستنسحب", "وابلغني", (8, 25)),
    ("وأبلغكن مسؤول في المفوضية أن القوات ستنسحب", "وابلغكن", (8, 25)),
    ("أبلغنا مسؤول في المفوضية أن القوات ستنسحب", "ابلغنا", (7, 24)),
])
def test_a_reporting_verb_with_an_object_pronoun(sentence, cue, span):
    got = attributions(MatchText(normalize(sentence)), ACTORS, "ar", None)
    assert [(a.actor.name_en, a.how, a.cue, a.span) for a in got] == [
        ("مسؤول في المفوضيه", "verb-subject, unlisted", cue, span)]


def test_a_verb_takes_ni_not_a_bare_ya():
    from analysis.inputs.lexicon import for_data
    lex = for_data(Path(__file__).resolve().parent.parent / "data")
    assert lex.find("reporting_verbs", "ar", "ابلغني") == [(0, 6)]
    assert lex.find("reporting_verbs", "ar", "ابلغي") == []  # "inform!" (to a woman), or a noun's "my"


# Written for testing.  A definite noun is written with the article after a conjunction and a preposition
# (وبالمصدر: "and by the source"); ل + ال is written لل, so «لالمصدر» is no spelling of it.
@pytest.mark.parametrize("word, definite, source", [
    ("المصدر", True, True), ("وبالمصدر", True, True), ("وللمصدر", True, True), ("فالمصادر", True, True),
    ("لالمصدر", False, False), ("مصدر", False, True), ("لمصدر", False, True), ("كمصدر", False, False),
])
def test_the_forms_of_a_definite_cue_noun(word, definite, source):
    from analysis.coding.speakers import DEFINITE, SOURCE_NOUN
    assert (bool(DEFINITE.search(word)), bool(SOURCE_NOUN.search(word))) == (definite, source)


# Written for testing.  A word after a verb is read as a definite subject only with one letter at most before
# its article: «وكالة» (agency) and «وكالات» begin with their own و, not و + ك + ال.
@pytest.mark.parametrize("word, definite", [
    ("الزياره", True), ("والزياره", True), ("بالزياره", True), ("للزياره", True), ("وللزياره", True),
    ("وكاله", False), ("وكالات", False), ("لالزياره", False),
])
def test_a_definite_word_after_a_verb(word, definite):
    from analysis.coding.speakers import DEFINITE_AT
    assert bool(DEFINITE_AT.match(word)) == definite
