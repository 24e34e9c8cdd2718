"""An edited frame against the version the cache holds (coding/revision.py): which indicators' rows
still stand, and how they are put together with the new ones.  Worked by hand on a codebook and
entries written for this file; the pipeline's use of it is in test_scale.py (tables equal to a cold run's).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from analysis.coding.revision import Revision, revision, revisions, summaries, summary
from analysis.inputs.codebook import load_codebook

BOOK = """\
frames:
  - id: storm
    label_en: Storm
    indicators:
      en:
        - term: [storm]
          label: storm word
        - term: [rain]
          label: rain word
        - term: [wind]
          label: wind word
      ar:
        - term: [عاصفة]
          label: storm ar
  - id: calm
    label_en: Calm
    indicators:
      en:
        - term: [calm]
          label: calm word
"""


def book(tmp_path: Path, text: str, name: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_codebook(path)


def storm(cb):
    return cb.frame("storm")


def test_an_added_a_changed_and_a_removed_indicator(tmp_path):
    """v2 keeps 'storm word', changes 'rain word' (a glob), drops 'wind word' and adds 'hail word'."""
    v1 = book(tmp_path, BOOK, "v1.yaml")
    v2 = book(tmp_path, BOOK.replace("[rain]", '["rain*"]').replace(
        "        - term: [wind]\n          label: wind word\n", "        - term: [hail]\n          label: hail word\n"), "v2.yaml")
    rev = revision(storm(v2), summary(storm(v1)))
    assert rev.was == storm(v1).fingerprint != storm(v2).fingerprint
    assert rev.kept == {"en": frozenset({"storm word"}), "ar": frozenset({"storm ar"})}
    assert rev.order == {"en": {"storm word": 0, "rain word": 1, "hail word": 2}, "ar": {"storm ar": 0}}
    assert {lang: [i.label for i in inds] for lang, inds in rev.fresh.indicators.items()} == {
        "en": ["rain word", "hail word"], "ar": []}
    assert rev.fresh.id == "storm" and storm(v2).indicators["en"][0].label == "storm word"  # the frame itself unchanged
    # the unchanged frame has no revision: its entries are used as they are
    both = revisions(v2, summaries(v1))
    assert both.keys() == {"storm"} and both["storm"].kept == rev.kept


def test_a_scope_of_several_parts_left_alone_and_a_language_added(tmp_path):
    """The frame's exclusion and context (two parts of its English scope) and an Arabic exclusion with
    no Arabic indicator stay; v2 changes 'wind word' and gives the calm frame its first Arabic indicator."""
    scoped = BOOK.replace("    indicators:\n      en:\n        - term: [storm]",
                          "    exclude:\n      en: [forecast]\n      ar: [نشرة]\n    context:\n      within: article\n"
                          "      en: [sea]\n    indicators:\n      en:\n        - term: [storm]")
    scoped = scoped.replace("      ar:\n        - term: [عاصفة]\n          label: storm ar\n", "")
    v1 = book(tmp_path, scoped, "v1.yaml")
    assert storm(v1).languages == ["ar", "en"] and "ar" not in storm(v1).indicators and len(storm(v1).scope_key("en")) == 2
    v2 = book(tmp_path, scoped.replace("[wind]", "[gale]") + "      ar:\n        - term: [هدوء]\n          label: calm ar\n",
              "v2.yaml")
    found = revisions(v2, summaries(v1))
    assert found["storm"].kept == {"en": frozenset({"storm word", "rain word"}), "ar": frozenset()}
    assert [i.label for i in found["storm"].fresh.indicators["en"]] == ["wind word"]
    assert found["calm"].kept == {"en": frozenset({"calm word"}), "ar": frozenset()}
    assert found["calm"].order == {"en": {"calm word": 0}, "ar": {"calm ar": 0}}
    assert [i.label for i in found["calm"].fresh.indicators["ar"]] == ["calm ar"]
    # the other way round: the Arabic indicator dropped again, the English one kept
    back = revisions(v1, summaries(v2))["calm"]
    assert back.kept == {"en": frozenset({"calm word"}), "ar": frozenset()} and back.fresh.indicators == {"ar": [], "en": []}


def test_no_revision_where_the_cached_rows_cannot_stand(tmp_path):
    v1 = book(tmp_path, BOOK, "v1.yaml")
    before = summary(storm(v1))
    assert revision(storm(v1), before) is None  # the same version
    # a frame-level exclusion vetoes sentences for every indicator: nothing cached stands
    scoped = book(tmp_path, BOOK.replace("    indicators:\n      en:\n        - term: [storm]",
                                         "    exclude:\n      en: [forecast]\n    indicators:\n      en:\n        - term: [storm]"),
                  "scoped.yaml")
    assert revision(storm(scoped), before) is None
    # two indicators with one label: a cached row would not say which of them found it
    twice = book(tmp_path, BOOK.replace("label: rain word", "label: storm word").replace("[wind]", "[gale]"), "twice.yaml")
    assert revision(storm(twice), before) is None
    # the version before had two indicators with one label: its rows would not say which of them found them
    shared = book(tmp_path, BOOK.replace("label: wind word", "label: rain word"), "shared.yaml")
    one_left = book(tmp_path, BOOK.replace("        - term: [wind]\n          label: wind word\n", ""), "one_left.yaml")
    assert revision(storm(one_left), summary(storm(shared))) is None
    assert revision(storm(one_left), before).kept["en"] == {"storm word", "rain word"}  # where labels were one each
    # every indicator changed: nothing to keep
    renamed = book(tmp_path, BOOK.replace("word\n", "words\n").replace("storm ar", "storm in ar"), "renamed.yaml")
    assert revision(storm(renamed), before) is None


def test_a_history_that_is_not_a_summary_gives_no_revision(tmp_path):
    """The cache is signed, but a layout of another version must cost a whole coding, never an error."""
    v2 = book(tmp_path, BOOK.replace("[rain]", "[drizzle]"), "v2.yaml")
    for bad in (None, "storm", [], {"fingerprint": 7, "languages": {}}, {"fingerprint": "x"},
                {"fingerprint": "x", "languages": {"en": "no"}}, {"fingerprint": "x", "languages": {"en": [1, [[1]]]}}):
        assert revision(storm(v2), bad) is None
    assert revisions(v2, "not a dict") == {} and revisions(v2, {"storm": ["no"]}) == {}


@dataclass
class Sentence:
    sentence_id: str


def test_merge_sorts_by_sentence_then_indicator_and_keeps_the_voices_it_can():
    """Cached rows of 'storm word' (0), 'rain word' (1) and the dropped 'wind word'; fresh rows of
    'hail word' (2), in a two-sentence article.  A whole coding orders them by sentence, then by
    indicator, each indicator's rows as found."""
    rev = Revision("old", None, {"en": frozenset({"storm word", "rain word"})},
                   {"en": {"storm word": 0, "rain word": 1, "hail word": 2}})
    segments = [Sentence("a:s001"), Sentence("a:s002")]

    def row(sid, label, start):
        return {"sentence_id": sid, "indicator": label, "start": start}
    cached = {"rows": [row("a:s001", "rain word", 5), row("a:s001", "wind word", 9), row("a:s002", "storm word", 40),
                       row("a:s002", "storm word", 30)],
              "voiced_with": "K", "voices": [{"v": "rain5"}, {"v": "wind9"}, {"v": "storm40"}, {"v": "storm30"}]}
    fresh = [row("a:s001", "hail word", 1), row("a:s002", "hail word", 35)]
    assert rev.usable(cached, segments)
    merged = rev.merge(cached, fresh, segments, "en", "K")
    assert [(r["sentence_id"][-1], r["indicator"][:4], r["start"]) for r in merged["rows"]] == [
        ("1", "rain", 5), ("1", "hail", 1), ("2", "stor", 40), ("2", "stor", 30), ("2", "hail", 35)]
    assert merged["voices"] == [{"v": "rain5"}, None, {"v": "storm40"}, {"v": "storm30"}, None]
    assert merged["voiced_with"] == "K"
    # voiced with another lexicon or actors: every voice is done again
    again = rev.merge(cached, fresh, segments, "en", "L")
    assert again["voices"] == [None] * 5 and again["voiced_with"] == "L"


def test_an_entry_that_does_not_fit_the_cut_is_not_used():
    rev = Revision("old", None, {"en": frozenset({"storm word"})}, {"en": {"storm word": 0}})
    segments = [Sentence("a:s001")]
    good = {"rows": [{"sentence_id": "a:s001", "indicator": "storm word"}], "voiced_with": "K", "voices": [{}]}
    assert rev.usable(good, segments) and rev.usable({"rows": [], "voiced_with": None, "voices": []}, segments)
    assert rev.usable({**good, "voices": []}, segments)  # not voiced yet: voiced when merged
    assert not rev.usable({**good, "rows": [{"sentence_id": "a:s009", "indicator": "storm word"}]}, segments)
    assert not rev.usable({**good, "rows": [{"sentence_id": "a:s001", "indicator": ["storm word"]}]}, segments)
    assert not rev.usable({**good, "voices": [{}, {}]}, segments)  # voices that do not go with the rows
    assert not rev.usable({**good, "rows": "rows"}, segments)


def test_a_scanner_for_frames_not_the_codebooks_own_serves_those_very_frames(tmp_path):
    """A scanner names the patterns it lets through by their objects: an edited frame's new indicators get
    one by what they match, and another frame object that matches the same gets its own."""
    cb = book(tmp_path, BOOK, "v1.yaml")
    other = book(tmp_path, BOOK, "v2.yaml")  # the same frames, other objects
    mine = replace(storm(cb), indicators={"en": storm(cb).indicators["en"][:1]})
    theirs = replace(storm(other), indicators={"en": storm(other).indicators["en"][:1]})
    assert mine.fingerprint == theirs.fingerprint
    first = cb.scanner("en", [mine])
    assert cb.scanner("en", [mine]) is first and cb.scanner("en", [theirs]) is not first
    assert cb.scanner("en", [storm(cb)]) is cb.scanner("en", [storm(cb)]) is not first
    assert cb.scanner("en") is cb.scanner("en", cb.frames)
