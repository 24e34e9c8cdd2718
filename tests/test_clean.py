import pytest
from conftest import sentence_with


def removed_texts(seed, article_id):
    return list(seed.removed[seed.removed.article_id == article_id].text)


def test_related_links_removed_from_000(seed):
    texts = removed_texts(seed, "000")
    assert sum(t.startswith("للمزيد:") for t in texts) == 2


def test_001_title_and_lead_counted_once(seed):
    segs = [s for s in seed.segments if s.article_id == "001"]
    leads = [s for s in segs if s.text.startswith("يلتقي الرئيس الأميركي")]
    titles = [s for s in segs if s.text.startswith("بعد زيارته إيران")]
    assert len(leads) == 1 and len(titles) == 1
    rules = set(seed.removed[seed.removed.article_id == "001"].rule)
    assert {"repeated", "caption", "page_furniture"} <= rules  # repeat, (أ ب) caption, trailing التعليقات


def test_003_stamps_caption_and_tags_removed(seed):
    r = seed.removed[seed.removed.article_id == "003"]
    assert set(r.rule) >= {"exclusive_tag", "stamp", "caption", "related_heading", "page_furniture"}
    assert (r.rule == "caption").sum() == 2  # the caption is printed twice; neither copy is content
    assert not any("(أ ف ب)" in s.text for s in seed.segments)


def test_004_related_nodes_residue_removed(seed):
    assert any("Related Nodes field" in t for t in removed_texts(seed, "004"))
    assert not any("Related Nodes" in s.text for s in seed.segments)


def test_removed_spans_slice_the_original(seed):
    for r in seed.removed.itertuples():
        assert seed.corpus.article(r.article_id).text[r.start:r.end] == r.text


def test_subheadings_are_kept_as_content(seed):
    assert sentence_with(seed, "002", "العراق ليس ساعي بريد").text == "العراق ليس ساعي بريد"


def _written(text: str):
    """An article written for this test, with a made-up outlet."""
    from datetime import date

    from analysis.inputs.corpus import Article, Outlet
    outlet = Outlet("t", "Test outlet", "منفذ", "Nowhere")
    return Article("w", "w.txt", outlet, date(2020, 8, 20), "ar", text, "0")


def test_lines_with_folded_characters_keep_their_offsets():
    # Written for this test.  The lines before the furniture change length when normalized: tashkeel and
    # tatweel are dropped, the lam-alef ligature ﻻ becomes two letters.  Each removed line must still be
    # found by its normalized form and reported at its own offsets in the original.
    from analysis.coding.clean import find_boilerplate
    from analysis.inputs.boilerplate import BoilerplateRule
    lines = ["قالَ المـــسؤول إن الوفد وصل", "\ufefb تعليق على الخبر", "", "اقرأ أيضاً", "قالَ المـــسؤول إن الوفد وصل"]
    text = "\n".join(lines)
    rule = BoilerplateRule("related", "related heading", equals=frozenset({"اقرا ايضا"}))
    got = [(r.start, r.end, r.rule) for r in find_boilerplate(_written(text), [rule])]
    related = text.index("اقرأ")
    repeat = text.rindex("قالَ")
    assert got == [(related, related + len("اقرأ أيضاً"), "related"), (repeat, len(text), "repeated")]
    assert text[related:related + 10] == "اقرأ أيضاً"


def test_a_rule_reads_each_of_its_entries_and_the_line_once():
    """Lines written for this test. A rule's second entry counts as its first does; max_words counts the
    line's words (4: kept as a stamp, 5: a sentence); equals ignores the punctuation around the line."""
    from analysis.inputs.boilerplate import BoilerplateRule, Line
    from analysis.text.normalize import normalize
    stamp = BoilerplateRule("stamp", "stamp", starts_with=("نشر في", "اخر تحديث"), max_words=4)
    assert stamp.matches(normalize("آخر تحديث 18-08-2020 صباحا"))
    assert not stamp.matches(normalize("آخر تحديث للخبر في 18-08-2020"))
    assert stamp.matches(normalize("نشر في 18-08-2020"))
    furniture = BoilerplateRule("page_furniture", "", equals=frozenset({"شارك"}), contains=("back to top", "related nodes"))
    assert furniture.matches(normalize("« شارك »")) and not furniture.matches(normalize("شارك المقال"))
    line = Line.of(normalize("Related Nodes field: «المقالات»"))
    assert furniture.matches("", line=line) and (line.words, line.stripped) == (4, "related nodes field: «المقالات")


def test_a_line_printed_again_goes_if_it_has_three_words():
    """Written for this test: a three-word line printed twice (the second time inside «» and with a colon)
    is a repeat; a two-word line printed twice may be a subheading and stays; each removal says why."""
    from analysis.coding.clean import find_boilerplate
    from analysis.inputs.boilerplate import BoilerplateRule
    lines = ["نفي عراقي", "الوفد يصل غدا", "قال المسؤول إن الوفد سيصل", "نفي عراقي", "«الوفد يصل غدا»:", "شارك"]
    text = "\n".join(lines)
    share = BoilerplateRule("share", "share button", equals=frozenset({"شارك"}))
    got = [(text[r.start:r.end], r.rule, r.reason) for r in find_boilerplate(_written(text), [share])]
    assert got == [("«الوفد يصل غدا»:", "repeated", "line printed again (repeated title, lead or caption)"),
                   ("شارك", "share", "share button")]


@pytest.mark.parametrize("text, line, what", [
    ("rules: 3\n", 1, "expected a top-level 'rules:' list"),
    ("rules:\n  - just text\n", 2, "each rule must be a mapping"),
    ("rules:\n  - label: x\n    start_with: [a]\n", 3, "unknown key 'start_with'"),
    ("rules:\n  - equals: [a]\n", 2, "has no 'label'"),
    ("rules:\n  - label: x\n    regex: '(a'\n", 3, "regex"),
    ("rules:\n  - label: x\n    starts_with: [a]\n    max_words: twelve\n", 4, "max_words must be a whole number of words, not 'twelve'"),
    ("rules:\n  - label: x\n    max_words: 0\n", 3, "max_words must be a whole number of words, not 0"),
    ("rules:\n  - label: x\n    contains: {a: b}\n", 3, "'contains' must be a list of strings"),
])
def test_a_broken_rule_is_named_by_its_line(tmp_path, text, line, what):
    """Rules written for this test; each problem comes with its line (a max_words in words would have
    stopped the coding with a traceback; a dict of entries would have been read as its keys)."""
    from analysis.inputs.boilerplate import load_boilerplate
    from analysis.io.errors import Problems
    (tmp_path / "boilerplate.yaml").write_text(text, encoding="utf-8")
    problems = Problems()
    assert load_boilerplate(tmp_path, problems) == []
    [p] = problems.items
    assert p.line == line and what in p.what, (p.line, p.what)


def test_a_rule_as_the_analyst_wrote_it():
    """Written for this test: one string is one entry (not its letters); entries are normalized and
    lower-cased, equals stripped of punctuation; the reason defaults to the label."""
    import tempfile
    from pathlib import Path

    from analysis.inputs.boilerplate import load_boilerplate
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "boilerplate.yaml").write_text(
            "rules:\n  - label: more\n    starts_with: 'اقرأ أيضاً:'\n    equals: ['«Share»', إعلان]\n    max_words: 8\n"
            "  - label: tags\n    reason: section tags\n    contains: [Tags]\n"
            "  - label: one\n    equals: [x]\n    max_words: 1\n", encoding="utf-8")
        rule, tags, one = load_boilerplate(tmp)
    assert (tags.reason, tags.contains, tags.max_words, one.max_words) == ("section tags", ("tags",), None, 1)
    assert (rule.label, rule.reason, rule.starts_with, rule.equals, rule.max_words) == (
        "more", "more", ("اقرا ايضا:",), frozenset({"share", "اعلان"}), 8)
    assert rule.matches("اقرا ايضا: الخبر") and not rule.matches("اقرا الخبر")


def test_every_broken_rule_is_named_not_only_the_first(tmp_path):
    """Written for this test: two broken rules and a good one between them; both problems are reported."""
    from analysis.inputs.boilerplate import load_boilerplate
    from analysis.io.errors import Problems
    (tmp_path / "boilerplate.yaml").write_text(
        "rules:\n  - just text\n  - label: ok\n    equals: [a]\n  - label: x\n    regex: '(a'\n  - also text\n", encoding="utf-8")
    problems = Problems()
    assert [r.label for r in load_boilerplate(tmp_path, problems)] == ["ok"]
    assert [p.line for p in problems.items] == [2, 6, 7]
