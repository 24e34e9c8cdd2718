"""Anchored search: a term's regex is tried only at the word starts near one of its
literals.  The answers must be those of trying it at every position.

The bounds below are worked out by hand: (lo, hi) bound the word starts from a
match's start up to and including the word that holds the literal.  Sentences are written
for testing.
"""
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.coding.article import segment_article
from analysis.inputs import lexicon as lx
from analysis.inputs.lexicon import entry_anchor
from analysis.inputs.study import Study
from analysis.match.patterns import AnyOf, MatchText, Near, Term, anchors, plan, starts_at_word
from analysis.match.scan import Anchors

DATA = Path(__file__).resolve().parent.parent / "data"
US = AnyOf([Term("امريكا"), Term("الولايات المتحدة")], name="us")


def test_one_word_anchor_is_its_letters():
    assert anchors(Term("انسحاب*")) == [("انسحاب", 1, 1)]   # the glob is set aside
    assert anchors(Term("الانسحاب")) == [("انسحاب", 1, 1)]  # ال is a clitic
    assert anchors(Term("قاعدة")) == [("قاعد", 1, 1)]       # final ة may be ت + enclitic


def test_longest_word_is_the_anchor_and_its_distance_counts_the_words_before():
    # رسائل (5 letters) beats حمل: one word before it, so exactly 2 word starts
    assert anchors(Term("حمل رسائل")) == [("رسائل", 2, 2)]
    # "forces" beats "u.s.": U.S. is two runs of letters (U, S), so exactly 3 word starts
    assert anchors(Term("U.S. forces")) == [("forces", 3, 3)]
    assert anchors(Term("said al-Ani")) == [("al-ani", 2, 2)]
    # the literal after a non-word character of its own word: "alani" is the longest piece of
    # "x-*alani", with "x-" before it: its own word start, and maybe x's, so 1 to 2
    assert anchors(Term("x-*alani")) == [("alani", 1, 2)]


def test_set_reference_words():
    # a plain word is preferred; <us> before it is one word (امريكا) or two (الولايات المتحدة)
    assert anchors(Term("<us> تنسحب", {"us": US})) == [("تنسحب", 2, 3)]
    # a term that is only a set: each entry's own anchor
    assert anchors(Term("<us>", {"us": US})) == [("امريكا", 1, 1), ("ولايات", 1, 1)]


def test_what_cannot_be_anchored():
    assert not starts_at_word(Term("(US)"))        # the match would start at "("
    assert plan(Term("(US)")) is None
    assert starts_at_word(Term("*ضربة"))
    assert anchors(Term("* رسائل")) == [("رسائل", 2, 2)]  # a lone glob has no letters, but is a word
    assert plan(Near(Term("حمل"), Term("رسائل"), 3)) is None  # only terms and sets are anchored


def test_candidate_starts_in_a_sentence():
    # word starts: the 0, U 4, S 6, forces 9, left 16; "forces" at 9 is the 4th of them
    text = MatchText("the U.S. forces left")
    assert Anchors([("forces", 3, 3)]).starts(text) == [4]          # exactly 3 back: U
    assert Anchors([("forces", 1, 4)]).starts(text) == [0, 4, 6, 9]  # anywhere from 4 back to itself
    assert Anchors([("forces", 1, 1)]).starts(text) == [9]
    assert Anchors([("absent", 1, 3)]).starts(text) == []
    # case folding that changes the length: no anchored search (None), the caller scans everything
    assert Anchors([("stanbul", 1, 1)]).starts(MatchText("İstanbul")) is None


def test_anchored_matches_are_those_found_everywhere():
    t = Term("حمل رسائل")
    text = MatchText("حمل رسائل ثم حمل رسائل وحمل رسائلهم")
    assert t.find(text) == t.find_everywhere(text) == [(0, 9), (13, 22), (23, 35)]
    us_term = Term("<us>", {"us": US})
    text = MatchText.of("قالت الولايات المتحدة وامريكا")
    assert us_term.find(text) == us_term.find_everywhere(text) == [(5, 21), (22, 29)]


def _patterns(node, out):
    if isinstance(node, Term):
        out.append(node)
    elif isinstance(node, AnyOf):
        out.append(node)
        for item in node.items:
            _patterns(item, out)
    elif isinstance(node, Near):
        _patterns(node.a, out)
        _patterns(node.b, out)
    return out


def _same_everywhere(p, text: MatchText) -> bool:
    if isinstance(p, Term):
        return p.find(text) == p.find_everywhere(text)
    ks = tuple(range(len(p.items)))
    if not p._all_terms:
        return True
    return ([m.span() for m in p._alternation_matches(text, ks)]
            == [m.span() for m in p.alternation_everywhere(text, ks)])


def test_every_shipped_pattern_on_the_seeds():
    study = Study.load(DATA)
    corpus, rules, codebook, actors = study.corpus, study.boilerplate, study.codebook, study.actors
    pats = []
    for f in codebook.frames:
        for inds in f.indicators.values():
            for i in inds:
                _patterns(i.pattern, pats)
                for x in i.excludes:
                    _patterns(x, pats)
    for a in actors.values():
        for p in a.patterns.values():
            _patterns(p, pats)
    assert sum(isinstance(p, Term) and p._plan is not None for p in pats) > 1000  # the codebook is anchored
    texts = [s.match_text for art in corpus.articles for s in segment_article(art, rules)[0]]
    texts += [MatchText.of(line) for line in _fixture_lines()]
    hits = 0
    for p in pats:
        for text in texts:
            assert _same_everywhere(p, text), (p.canonical, text.norm[:60])
            hits += isinstance(p, Term) and bool(p.find_everywhere(text))
    assert hits > 200  # the comparison is not between empty lists


def _fixture_lines():
    """The English and Arabic articles written for testing (the seeds are all Arabic)."""
    here = Path(__file__).resolve().parent / "fixtures"
    return [line for f in sorted(here.rglob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def test_every_shipped_word_list_on_the_seeds():
    study = Study.load(DATA)
    corpus, rules = study.corpus, study.boilerplate
    lex = lx.shipped()
    norms = [seg.norm for art in corpus.articles for seg in segment_article(art, rules)[0]]
    norms += [MatchText.of(line).norm for line in _fixture_lines()]
    hits = 0
    for norm in norms:
        for name, lang in lex.lists:
            got = lex.find(name, lang, norm)
            assert got == lex.find_everywhere(name, lang, norm), (name, norm[:60])
            hits += len(got)
    assert hits > 100


def test_word_list_entries():
    assert entry_anchor("نقل عن") == ("نقل", 1, 1)
    assert entry_anchor("told reporters") == ("reporters", 2, 2)
    assert entry_anchor("said * that") == ("said", 1, 1)
    assert entry_anchor("did * not") == ("did", 1, 1)
    assert entry_anchor("a * statement") == ("statement", 2, 3)  # a glob word may be empty in a list
    assert entry_anchor("*-x") is None  # could start at "-"


WORDS = ["حمل", "رسائل", "الرسائل", "وحمل", "رسائلهم", "امريكا", "الولايات", "المتحدة", "للولايات",
         "قاعدة", "قاعدتها", "القاعدة", "US", "us", "U.S.", "forces", "al-Ani", "said", "withdraw", "withdrawal",
         "x-alani", "alani", "x", "«رسائل", "رسائل»", "الx-alani"]
GAPS = [" ", "  ", "، ", " «", "» ", "-", " (", ") ", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=14))
def test_anchored_equals_everywhere_on_generated_sentences(pieces):
    text = MatchText("".join(w + g for w, g in pieces))
    for term in (Term("حمل رسائل"), Term("رسائل الى <us>", {"us": US}), Term("<us>", {"us": US}),
                 Term("قاعدة"), Term("US forces"), Term("said al-Ani"), Term("withdraw*"), Term("* رسائل"),
                 Term("x-alani"), Term("حمل x-alani"), Term("U.S. forces"), Term("حمل «رسائل"), Term("<us> x-alani", {"us": US}),
                 Term("x-*alani"), Term("حمل x-*alani")):
        assert term.find(text) == term.find_everywhere(text)
        assert term.find_governed(text) == [s for s in term.find_everywhere(text)
                                            if Term._governed(term._rx.match(text.norm, s[0]))]


def test_a_set_reference_tries_its_entries_in_the_alternations_order():
    # written for testing: entries longest first (AnyOf.fragment), a nested set flattened in its place;
    # at each start the first entry that matches wins, as in the one regex of all entries
    base = AnyOf([Term("قاعدة"), Term("قاعدة عسكرية")], name="base")
    site = AnyOf([Term("<base>", {"base": base}), Term("معسكر")], name="site")
    term = Term("<site>", {"site": site, "base": base})
    assert [t.canonical for t in term._leaves] == ["قاعده عسكريه", "قاعده", "معسكر"]
    text = MatchText.of("زار القاعدة العسكرية ثم المعسكر وللقاعدة")
    assert term._tries(text) == {4: (0, 1), 24: (2,), 32: (0, 1)}  # the word starts of قاعد and معسكر
    # "القاعدة العسكرية" whole (not "القاعدة" alone), then "المعسكر", then "وللقاعدة" behind ل
    assert term.find(text) == term.find_everywhere(text) == [(4, 20), (24, 31), (32, 40)]
    assert term.find_governed(text) == [(32, 40)]
    assert [m.span() for m in site._alternation_matches(text, (0, 1))] == [(4, 20), (24, 31), (32, 40)]


def test_a_word_list_takes_its_longest_entry_that_matches_at_a_start():
    # written for this test: "قال" and "قال مصدر" both match at 0; the list tries the longer first, as its
    # alternation does, and a match's words are not matched again
    from analysis.inputs.lexicon import Lexicon, compile_list
    lex = Lexicon("test", {("reporting_verbs", "ar"): compile_list(["قال", "قال مصدر"], False, False, False)})
    assert lex.find("reporting_verbs", "ar", "وقال مصدر إن الوفد قال") == [(0, 9), (19, 22)]
    assert lex.find("reporting_verbs", "ar", "وقال مصادر") == [(0, 4)]  # the longer entry fails: the shorter one
    assert lex.find("reporting_verbs", "ar", "وقال مصدر", 0, 6) == [(0, 4)]  # the search ends at 6
