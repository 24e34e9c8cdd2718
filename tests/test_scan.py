"""The one-pass scanner gives exactly the mentions of the straightforward matcher
(every pattern on every sentence), on the seeds and on sentences written for testing."""
from pathlib import Path

import pytest

from analysis.coding import article as coding
from analysis.inputs.codebook import load_codebook
from analysis.inputs.corpus import Article, Outlet
from analysis.inputs.study import Study
from analysis.match.patterns import AnyOf, Near, Regex, Term, requirement
from analysis.match.scan import ALWAYS, Prefilter

DATA = Path(__file__).resolve().parent.parent / "data"

# Written for testing: one frame per feature of the codebook language.
CODEBOOK = """\
version: 1
sets:
  us:
    ar: [أمريكا, الولايات المتحدة, واشنطن]
    en: [America, the United States, Washington]
frames:
  - id: clitics
    label_en: Clitics and teh marbuta
    indicators:
      ar: [الكاتيوشا, قاعدة, ساعي بريد]
  - id: globs
    label_en: Globs and sets
    indicators:
      ar: [انسحاب*, "رسائل إلى <us>"]
      en: ["withdraw*", "message* to <us>"]
  - id: proximity
    label_en: Near with a not
    indicators:
      ar:
        - near: [حمل*, رسائل]
          within: 3
          not: [رسائل نصية]
  - id: excluded
    label_en: Frame-level exclusion
    indicators:
      en: [militia, US]
    exclude:
      en: [militia game]
  - id: escape
    label_en: RE2 escape hatch
    indicators:
      ar:
        - regex: 'صواريخ?\\s+\\w+'
"""

SENTENCES = {
    "ar": ("أطلقت الفصائل صواريخ بالكاتيوشا على القاعدة. وقالت قاعدتهم إن الرسائل وصلت. "
           "الانسحابات الأمريكية بدأت أمس. حمل الوفد رسائل إلى الولايات المتحدة. "
           "حملت الهواتف رسائل نصية كثيرة. أجهزة التبريد معطلة والرأي العامة منقسم. "
           "سقطت صواريخ ثلاثة قرب المطار. ليست مضطرة لحمل الرسائل التي جاء بها.\n"),
    "en": ("The US will withdraw troops. A militia fired rockets. The militia game was popular; "
           "a Militia spokesman sent messages to Washington. Tell us about the United States. "
           "Nobody mentioned anything.\n"),
}


def article(aid, language, text):
    outlet = Outlet("t", "Test outlet", "منفذ", "Nowhere")
    return Article(aid, f"articles/{aid}.txt", outlet, None, language, text, "0" * 64)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    path = tmp_path_factory.mktemp("scan") / "codebook.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    codebook = load_codebook(path)
    arts = [article(f"t{lang}", lang, text) for lang, text in SENTENCES.items()]
    return codebook, [(a, coding.segment_article(a, [])[0]) for a in arts]


def reference(art, segs, codebook):
    return {f.id: coding.code_frame(art, segs, f) for f in codebook.frames}


def test_written_sentences_same_as_reference(written):
    codebook, arts = written
    for art, segs in arts:
        assert coding.code_frames(art, segs, codebook) == reference(art, segs, codebook)


def test_written_sentences_literal_matches(written):
    codebook, arts = written
    got = {}
    for art, segs in arts:
        for fid, rows in coding.code_frames(art, segs, codebook).items():
            got.setdefault(fid, []).extend(r["match"] for r in rows)
    assert got["clitics"] == ["بالكاتيوشا", "القاعدة", "قاعدتهم"]
    assert got["globs"] == ["الانسحابات", "رسائل إلى الولايات المتحدة", "withdraw", "messages to Washington"]
    # the near pair in "حملت الهواتف رسائل نصية" is dropped by its `not`
    assert got["proximity"] == ["حمل الوفد رسائل", "لحمل الرسائل"]
    # "The militia game" sentence is excluded as a whole; the semicolon ends it, so the
    # "Militia spokesman" clause is a sentence of its own and counts; "Tell us" is not "US"
    assert got["excluded"] == ["US", "militia", "Militia"]
    assert got["escape"] == ["صواريخ بالكاتيوشا", "صواريخ ثلاثة"]


def test_seed_mentions_same_as_reference():
    study = Study.load(DATA)
    corpus, rules, codebook = study.corpus, study.boilerplate, study.codebook
    total = 0
    for art in corpus.articles:
        segs = coding.segment_article(art, rules)[0]
        ref = reference(art, segs, codebook)
        assert coding.code_frames(art, segs, codebook) == ref, art.id
        total += sum(map(len, ref.values()))
    assert total > 100  # the seeds do fire: the comparison is not between two empty lists


def test_requirements_are_the_letters_every_match_contains():
    assert requirement(Term("الانسحاب")) == ((frozenset({"انسحاب"}),),)      # ال is a clitic
    assert requirement(Term("قاعدة")) == ((frozenset({"قاعد"}),),)           # final ة may become ت + enclitic
    assert requirement(Term("Withdraw*")) == ((frozenset({"withdraw"}),),)    # case-folded
    us = AnyOf([Term("امريكا"), Term("واشنطن")], name="us")
    assert requirement(Term("رسائل الي <us>", {"us": us})) == (
        (frozenset({"رسائل"}), frozenset({"الي"}), frozenset({"امريكا", "واشنطن"})),)
    assert requirement(Near(Term("حمل*"), Term("رسائل"), 3)) == ((frozenset({"حمل"}), frozenset({"رسائل"})),)
    assert requirement(Regex("صواريخ?")) == ALWAYS


def test_prefilter_bisects_hits_into_sentences():
    pf = Prefilter([((frozenset({"ab"}), frozenset({"cd"})),), ((frozenset({"zz"}),),), ALWAYS])
    assert pf.candidates(["xx ab cd", "ab only", "ZZ top", ""]) == [[0, 2], [2], [1, 2], [2]]


def test_prefilter_looks_up_a_short_literal_of_a_second_clause_in_the_sentence():
    # Written for testing.  ب, في and ل (one or two letters, in no best clause) are not scanned for: they are
    # looked up in a sentence where the best clause (رسائل, واشنطن) holds.  امريكا is scanned, being long.
    pf = Prefilter([((frozenset({"رسائل"}), frozenset({"ب", "في"})),),
                    ((frozenset({"واشنطن"}), frozenset({"امريكا", "ل"})),)])
    assert sorted(pf.literals[k] for k in pf._scanned) == ["امريكا", "رسائل", "واشنطن"]
    assert pf.candidates(["رسائل بالبريد", "رسائل", "في رسائل", "ب في", "واشنطن وامريكا", "واشنطن لندن",
                          "واشنطن", "رسائل واشنطن ل"]) == [[0], [], [0], [], [1], [1], [], [1]]
    assert pf.candidates_folded("رسائل من واشنطن الي امريكا") == (1,)  # and in one text: no ب nor في


FIRST = "أطلقت الفصائل صواريخ بالكاتيوشا على القاعدة."  # the first written sentence: 44 characters, 6 words


def test_a_mention_row_written_out(written):
    codebook, arts = written
    art, segs = arts[0]
    # بالكاتيوشا starts after أطلقت الفصائل صواريخ and three spaces: 5 + 7 + 6 + 3 = 21
    assert coding.code_frames(art, segs, codebook)["clitics"][0] == {
        "article_id": "tar", "file": "articles/tar.txt", "outlet": "Test outlet", "language": "ar",
        "frame": "clitics", "indicator": "الكاتيوشا", "sentence_id": "tar:s001", "start": 21, "end": 31,
        "match": "بالكاتيوشا", "sentence": FIRST, "sentence_start": 0, "sentence_end": 44}


def test_the_tables_of_sentences_and_mentions_written_out(written):
    codebook, arts = written
    art, segs = arts[0]
    segments = coding.segments_frame(segs[:2])
    assert list(segments.columns) == ["article_id", "sentence_id", "start", "end", "words", "sentence"]
    assert segments.values.tolist() == [["tar", "tar:s001", 0, 44, 6, FIRST],
                                        ["tar", "tar:s002", 45, 75, 5, "وقالت قاعدتهم إن الرسائل وصلت."]]
    rows = [r for frame_rows in coding.code_frames(art, segs, codebook).values() for r in frame_rows]
    mentions = coding.mentions_frame(rows)
    assert list(mentions.columns) == ["article_id", "file", "outlet", "language", "frame", "indicator", "sentence_id",
                                      "start", "end", "match", "sentence", "sentence_start", "sentence_end"]
    assert list(mentions.index) == list(range(len(mentions)))
    # by position in the article: صواريخ بالكاتيوشا (the regex, at 14) before بالكاتيوشا (21)
    assert list(zip(mentions.start, mentions.frame))[:3] == [(14, "escape"), (21, "clitics"), (36, "clitics")]


def test_a_sentence_pickles_with_its_word_count_not_its_match_text(written):
    import pickle
    _, arts = written
    seg = arts[0][1][0]
    assert seg.match_text.norm == seg.norm  # computed, as coding does
    state = seg.__getstate__()
    assert "match_text" not in state and state["words"] == 6 and state["end"] == 44
    copy = pickle.loads(pickle.dumps(seg))
    assert copy.words == 6 and copy.match_text.norm == seg.norm and copy.text == FIRST


def test_one_scanner_per_codebook_language_and_frames(written):
    codebook, _ = written
    full = coding.scanner(codebook, "ar")
    assert coding.scanner(codebook, "ar") is full and coding.scanner(codebook, "ar", codebook.frames) is full
    clitics = coding.scanner(codebook, "ar", [codebook.frame("clitics")])
    assert clitics is not full and coding.scanner(codebook, "ar", [codebook.frame("clitics")]) is clitics
    # الكاتيوشا, قاعدة, ساعي بريد: their letters only (ال set aside, final ة may be ت + enclitic)
    assert sorted(clitics.prefilter.literals) == ["بريد", "ساعي", "قاعد", "كاتيوشا"]
    assert sorted(full.prefilter.literals) == ["الي", "امريكا", "انسحاب", "بريد", "حمل", "رسائل", "ساعي", "قاعد",
                                               "كاتيوشا", "نصي", "واشنطن", "ولايات"]
    assert coding.scanner(codebook, "en") is not full
    again = load_codebook(codebook.path)  # another codebook object: its own scanner
    assert coding.scanner(again, "ar") is not full


def test_a_pattern_the_scanner_rules_out_is_not_tried(written):
    codebook, arts = written
    seg = arts[0][1][0]
    frame = codebook.frame("clitics")
    assert [r["start"] for r in coding.code_frame_in_segment(seg, frame, "ar")] == [21, 36]
    assert coding.code_frame_in_segment(seg, frame, "ar", set()) == []  # nothing may match: nothing is tried


def test_a_mention_row_missing_a_column_gets_it_empty_even_with_an_extra_key():
    from analysis.coding.article import MENTION_COLUMNS, mentions_frame
    row = {c: 1 for c in MENTION_COLUMNS}
    gone = MENTION_COLUMNS[-1]
    del row[gone]
    row["extra"] = 2  # as many keys as columns, but not the same ones
    df = mentions_frame([row])
    assert list(df.columns) == MENTION_COLUMNS and df[gone].isna().all()


def test_ranked_anchors_worked_out_by_hand():
    # «ساعي بريد العراق»: words start at 0, 5 and 10.  An entry's (literal, lo, hi) says its match starts lo
    # to hi word starts back from the literal's own word (counted: 1 is the literal's word).
    from analysis.match.patterns import MatchText
    from analysis.match.scan import RankedAnchors
    ranked = RankedAnchors([[("بريد", 2, 2)],   # rank 0: one word before بريد (5) → 0
                            [("بريد", 1, 1)],   # rank 1: at بريد itself → 5
                            [("ساعي", 1, 2)],   # rank 2: at ساعي (0), or a word before it (none)
                            [("بريد", 2, 2)],   # rank 3: as rank 0 → 0
                            [("ساعي", 2, 2)],   # rank 4: a word before the first word: nowhere
                            [("غائب", 1, 1)]])  # rank 5: its literal is not in the text
    # 0 is reached by ساعي (rank 2) before بريد (ranks 0 and 3): the ranks come out in order, once each
    assert ranked.tries(MatchText("ساعي بريد العراق")) == {0: (0, 2, 3), 5: (1,)}
    assert list(ranked.tries(MatchText("العراق بريد"))) == [0, 7]  # starts in order
    # a literal that begins with a non-word character ("-بريد" at 5) counts from 0: here the word start
    # before it (0), never the one inside it (6)
    assert RankedAnchors([[("-بريد", 0, 1)]]).tries(MatchText("ساعي -بريد")) == {0: (0,)}
    assert ranked.tries(MatchText("İ بريد")) is None  # case folding changes the length: not searched this way


def test_ranked_anchors_spans_worked_out_by_hand():
    # «ساعي بريد عراق»: words start at 0, 5 and 10; the literals end in that order.
    from analysis.match.patterns import MatchText
    from analysis.match.scan import RankedAnchors
    ranked = RankedAnchors([[("بريد", 1, 1)],                    # rank 0: at بريد → 5
                            [("عراق", 1, 1), ("عراق", 3, 3), ("عراق", 2, 2)],  # rank 1: spans joined, 1 to 3 → 0, 5, 10
                            [("بريد", 2, 3)],                    # rank 2: one or two words before بريد → 0 (none before it)
                            [("ساعي", 3, 4)]])                   # rank 3: two or three words before the first: nowhere
    # عراق's span comes last and reaches 0 and 5, taken already: their ranks merged, in order
    assert ranked.tries(MatchText("ساعي بريد عراق")) == {0: (1, 2), 5: (0, 1), 10: (1,)}


def test_anchors_starts_worked_out_by_hand():
    from analysis.match.patterns import MatchText
    from analysis.match.scan import Anchors
    assert Anchors([("بريد", 2, 2)]).starts(MatchText("بريد ساعي")) == []  # a word before the first: none
    assert Anchors([("بريد", 1, 1)]).starts(MatchText("بريد ساعي بريد")) == [0, 10]
    # more than four literals go through one automaton; "-بريد" (at 5) begins before the word start 6
    five = Anchors([("-بريد", 0, 1), ("غائب", 1, 1), ("غياب", 1, 1), ("منفي", 1, 1), ("بعيد", 1, 1)])
    assert five.starts(MatchText("ساعي -بريد")) == [0]


def test_prefilter_edges_worked_out_by_hand():
    from analysis.match.scan import literal_of
    # a requirement that always holds, first or alone
    assert Prefilter([ALWAYS, ((frozenset({"ab"}),),)]).candidates(["ab", "x"]) == [[0, 1], [0]]
    assert Prefilter([ALWAYS]).candidates(["a", ""]) == [[0], [0]]
    assert Prefilter([ALWAYS]).candidates_folded("a") == (0,)
    # a one-letter literal at the first character of the first and of the third sentence
    assert Prefilter([((frozenset({"ص"}),),)]).candidates(["ص", "ب", "ص"]) == [[0], [], [0]]
    assert literal_of("Withdraw") == "withdraw" and literal_of("قاعدة") == "قاعده"


def test_compiled_literals_pickle_without_their_automata():
    # workers and caches get these: the automaton is rebuilt on loading, and the answers stay the same
    import pickle

    from analysis.match.patterns import MatchText
    from analysis.match.scan import Anchors, RankedAnchors
    pf = Prefilter([((frozenset({"رسائل"}), frozenset({"ب"})),), ((frozenset({"ص"}),),)])
    texts = ["رسائل بالبريد", "ص", "رسائل"]
    assert pf.candidates(texts) == [[0], [1], []]
    anchors = Anchors([("بريد", 1, 1), ("ساعي", 1, 1), ("عراق", 1, 1), ("غائب", 1, 1), ("منفي", 1, 1)])
    ranked = RankedAnchors([[("بريد", 2, 2)], [("ساعي", 1, 1)]])
    text = MatchText("ساعي بريد")
    assert anchors.starts(text) == [0, 5] and ranked.tries(text) == {0: (0, 1)}
    for compiled in (pf, anchors, ranked):
        assert b"ahocorasick" not in pickle.dumps(compiled)
    assert pickle.loads(pickle.dumps(pf)).candidates(texts) == [[0], [1], []]
    assert pickle.loads(pickle.dumps(anchors)).starts(text) == [0, 5]
    assert pickle.loads(pickle.dumps(ranked)).tries(text) == {0: (0, 1)}
