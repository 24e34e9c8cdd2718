"""Property-based: arbitrary Unicode never crashes normalization, splitting or offset mapping."""
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.match.patterns import MatchText, Term
from analysis.text.normalize import normalize, normalize_with_map, original_span
from analysis.text.segment import split_sentences

ARABICISH = st.text(alphabet=st.sampled_from(list("ساعيبردلنكمةىأإآٱـًٌٍَُِّْٰ«»\"“”.؟!؛;, \n٣۴ﻻﺑ")) , max_size=200)
ANY = st.text(max_size=200)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY, ARABICISH))
def test_offset_map_always_points_back(text):
    norm, index = normalize_with_map(text)
    assert len(index) == len(norm) + 1
    assert index == sorted(index) and all(0 <= i <= len(text) for i in index)
    for i in range(len(norm)):
        s, e = original_span(index, i, i + 1)
        assert 0 <= s < e <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY, ARABICISH))
def test_sentences_are_ordered_non_overlapping_slices(text):
    spans = split_sentences(text)
    last = 0
    for sp in spans:
        assert last <= sp.start < sp.end <= len(text)
        assert text[sp.start:sp.end].strip() == text[sp.start:sp.end]
        last = sp.end


@settings(max_examples=200, deadline=None)
@given(st.one_of(ANY, ARABICISH))
def test_matches_map_back_into_the_original(text):
    norm, index = normalize_with_map(text)
    for s, e in Term("ساعي بريد").find(MatchText.of(text)):
        os_, oe = original_span(index, s, e)
        assert 0 <= os_ < oe <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY, ARABICISH), st.integers(min_value=0, max_value=10_000))
def test_compact_offsets_are_the_offset_map(text, base):
    from analysis.text.normalize import normalize_with_offsets
    expected = offsets_by_hand(text, base)
    norm, index = normalize_with_offsets(text, base)
    assert (norm, list(index)) == expected
    assert normalize_with_map(text, base) == expected


def offsets_by_hand(text, base):
    """Every rule works character by character: each character's normalized form (none, one or several
    characters), each pointing back at that character, and one more entry for the end."""
    norm, index = "", []
    for i, ch in enumerate(text):
        out = normalize(ch)
        norm += out
        index += [base + i] * len(out)
    return norm, index + [base + len(text)]


INVISIBLE = st.sampled_from(list("\u00ad\u200c\u200d\u200e\u200f\u2060\ufeff\u061c\u202e\u2067\u2069"))


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY, ARABICISH), st.lists(st.tuples(st.integers(min_value=0), INVISIBLE), max_size=6))
def test_invisible_format_characters_fold_away_with_exact_offsets(text, inserts):
    """Soft hyphens, joiners, direction marks and controls anywhere leave the normalized text as it was,
    and each kept character still maps back to itself (issue 23, F1)."""
    from analysis.text.normalize import normalize
    chars = list(text)
    for pos, ch in inserts:
        chars.insert(pos % (len(chars) + 1), ch)
    noisy = "".join(chars)
    norm, index = normalize_with_map(noisy)
    assert norm == normalize(text)
    kept = [noisy[i] for i in index[:-1]]
    assert not set(kept) & set("\u00ad\u200c\u200d\u200e\u200f\u2060\ufeff\u061c\u202e\u2067\u2069")


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY, ARABICISH), st.data())
def test_a_text_normalized_whole_gives_every_span_as_if_alone(text, data):
    from analysis.text.normalize import NormalizedText
    s = data.draw(st.integers(min_value=0, max_value=len(text)))
    e = data.draw(st.integers(min_value=s, max_value=len(text)))
    whole = NormalizedText(text)
    norm, index = whole.with_offsets(s, e)
    assert (norm, list(index)) == offsets_by_hand(text[s:e], s)
    assert whole.of(s, e) == norm
