"""The one-pass scanner gives exactly the mentions of the straightforward matcher
(every pattern on every sentence), on the seeds and on sentences written for testing."""
from pathlib import Path

import pytest

from analysis.coding import article as coding
from analysis.inputs.codebook import load_codebook
from analysis.inputs.corpus import Article, Outlet
from analysis.match.patterns import AnyOf, Near, Regex, Term
from analysis.match.scan import ALWAYS, Prefilter, requirement
from analysis.pipeline import load_inputs

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
    corpus, rules, codebook, *_ = load_inputs(DATA)
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
