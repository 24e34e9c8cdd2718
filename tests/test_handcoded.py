"""The hand-computed fixture corpus (tests/fixtures/handcoded, written for testing).

Every expected value below was worked out by hand from the ten texts, never by
running the code; the arithmetic is in the comments.  Each article starts with
the line "Written for testing." (20 characters + a newline, 3 words, one
sentence), so its second line starts at offset 21.

Outlets: Alpha Daily = 001 002 003 (ar) 007 008 (en); Beta News = 004 005 006 (ar) 009 010 (en).
Frames: postman (ساعي بريد / postman) and rockets (صواريخ / rockets, only in an
article that names بغداد / Baghdad: the rockets of 003 and 009 are vetoed).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import with_shipped_inputs

from analysis.results.tables import outlet_frame_table, outlet_sizes

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "handcoded"


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    """The fixture corpus and codebook, with the shipped actors and lexicons (shared with the stance rules)."""
    from analysis.pipeline import analyse
    dst = tmp_path_factory.mktemp("handcoded") / "data"
    with_shipped_inputs(FIXTURE, dst)
    return analyse(dst)


# (article, start, end, matched text).  Offsets, counted by hand:
# 001 line 2 "العراق ساعي بريد…": العراق is 6 letters + 1 space → 21+7 = 28; ساعي بريد is 4+1+4 = 9 → 37.
#     line 2 is 6+1+4+1+4+1+3+1+5+1+7 = 34 long → newline at 55, line 3 at 56.
#     line 3 "قال الكاظمي إن العراق لن يكون ساعي بريد.": (3+1)+(7+1)+(2+1)+(6+1)+(2+1)+(4+1) = 30 → 86; +9 → 95.
# 002 line 2 "سقطت صواريخ…": سقطت 4+1 → 26; صواريخ 6 → 32.
# 003 line 2 "يعامل الإيرانيون العراق كساعي بريد.": (5+1)+(10+1)+(6+1) = 24 → 45; كساعي بريد 5+1+4 = 10 → 55.
#     (the clitic ك is part of the match.)  Line 3's صواريخ is vetoed: 003 never names Baghdad.
# 004 line 2 "نفى الكاظمي أن يكون العراق ساعي بريد.": (3+1)+(7+1)+(2+1)+(4+1)+(6+1) = 27 → 48; +9 → 57.
#     line 2 is 27+9+1 = 37 long → newline at 58, line 3 at 59.
#     line 3 "وأكد قاآني أن بغداد ستبقى آمنة من الصواريخ.": (4+1)+(5+1)+(2+1)+(5+1)+(5+1)+(4+1)+(2+1) = 34 → 93;
#     الصواريخ (ال included) 8 → 101.
# 006 line 2 "في بغداد، ساعي بريد يحمل رسالة إلى ساعي بريد آخر.": (2+1)+(6+1) = 10 → 31, 40;
#     second: 10+9+1+(4+1)+(5+1)+(3+1) = 35 → 56, 65.  Line 2 is 35+9+1+3+1 = 49 long → line 3 at 71.
#     line 3 "سقطت الصواريخ قرب النهر.": 4+1 → 76; 8 → 84.
# 007 line 2 "Kadhimi said Iraq would not be a postman" (a headline: no closing period):
#     (7+1)+(4+1)+(4+1)+(5+1)+(3+1)+(2+1)+(1+1) = 33 → 54, 61.
#     line 2 is 33+7 = 40 long → newline at 61, line 3 at 62: Rockets 62, 69.
# 008 "The postman arrived late.": 3+1 → 25, 32.
# 009 line 2 "Rockets were fired at a village." is 7+1+4+1+5+1+2+1+1+1+8 = 32 long (vetoed: no Baghdad)
#     → line 3 at 54: "The postman was unhurt." 54+4 = 58, 65.
# 010 "Qaani denied that Iraq was a postman for Tehran.": (5+1)+(6+1)+(4+1)+(4+1)+(3+1)+(1+1) = 29 → 50, 57.
MENTIONS = [
    ("001", 28, 37, "ساعي بريد"),
    ("001", 86, 95, "ساعي بريد"),
    ("002", 26, 32, "صواريخ"),
    ("003", 45, 55, "كساعي بريد"),
    ("004", 48, 57, "ساعي بريد"),
    ("004", 93, 101, "الصواريخ"),
    ("006", 31, 40, "ساعي بريد"),
    ("006", 56, 65, "ساعي بريد"),
    ("006", 76, 84, "الصواريخ"),
    ("007", 54, 61, "postman"),
    ("007", 62, 69, "Rockets"),
    ("008", 25, 32, "postman"),
    ("009", 58, 65, "postman"),
    ("010", 50, 57, "postman"),
]


def test_matched_strings_at_their_offsets(hand):
    got = [(m.article_id, m.start, m.end, m.match) for m in hand.mentions.itertuples()]
    assert got == MENTIONS


def test_offsets_point_into_the_article_text(hand):
    # the slice of the article file at the typed offsets is the typed string
    for aid, start, end, text in MENTIONS:
        assert (FIXTURE / "articles" / f"{aid}.txt").read_text(encoding="utf-8")[start:end] == text


def test_sentence_ids_of_the_mentions(hand):
    # line 1 is s001, line 2 s002, line 3 s003 (every line is one sentence)
    got = [(m.sentence_id, m.frame) for m in hand.mentions.itertuples()]
    assert got == [("001:s002", "postman"), ("001:s003", "postman"), ("002:s002", "rockets"),
                   ("003:s002", "postman"), ("004:s002", "postman"), ("004:s003", "rockets"),
                   ("006:s002", "postman"), ("006:s002", "postman"), ("006:s003", "rockets"),
                   ("007:s002", "postman"), ("007:s003", "rockets"), ("008:s002", "postman"),
                   ("009:s003", "postman"), ("010:s002", "postman")]


# Stance and speaker of each mention, read off the text:
# 001 s002 a headline, no speaker → asserted, outlet; 001 s003 قال الكاظمي … لن يكون → denied, kadhimi;
# 002 outlet; 003 outlet; 004 s002 نفى الكاظمي → denied, kadhimi; 004 s003 وأكد قاآني → reported, qaani;
# 006 three outlet mentions; 007 "Kadhimi said … would not be a postman" → denied, kadhimi;
# 007 s003 "Rockets hit Baghdad on Monday, he added.": "he added" follows a headline, which passes no speaker
# on, and the article names nobody before it → outlet; 008, 009 outlet; 010 "Qaani denied that …" → denied, qaani.
VOICES = [
    ("001", 28, "asserted", "outlet"), ("001", 86, "denied", "kadhimi"), ("002", 26, "asserted", "outlet"),
    ("003", 45, "asserted", "outlet"), ("004", 48, "denied", "kadhimi"), ("004", 93, "reported", "qaani"),
    ("006", 31, "asserted", "outlet"), ("006", 56, "asserted", "outlet"), ("006", 76, "asserted", "outlet"),
    ("007", 54, "denied", "kadhimi"), ("007", 62, "asserted", "outlet"), ("008", 25, "asserted", "outlet"),
    ("009", 58, "asserted", "outlet"), ("010", 50, "denied", "qaani"),
]


def test_stance_and_speaker_of_each_mention(hand):
    got = [(m.article_id, m.start, m.stance, m.speaker) for m in hand.mentions.itertuples()]
    assert got == VOICES


def test_sentence_level_units(hand):
    # one row per (sentence, frame): 006 s002 has two postman mentions and counts once → 13 units
    got = sorted((s.sentence_id, s.frame, s.stance, s.speaker) for s in hand.stances.itertuples())
    assert got == [
        ("001:s002", "postman", "asserted", "outlet"), ("001:s003", "postman", "denied", "kadhimi"),
        ("002:s002", "rockets", "asserted", "outlet"), ("003:s002", "postman", "asserted", "outlet"),
        ("004:s002", "postman", "denied", "kadhimi"), ("004:s003", "rockets", "reported", "qaani"),
        ("006:s002", "postman", "asserted", "outlet"), ("006:s003", "rockets", "asserted", "outlet"),
        ("007:s002", "postman", "denied", "kadhimi"), ("007:s003", "rockets", "asserted", "outlet"),
        ("008:s002", "postman", "asserted", "outlet"), ("009:s003", "postman", "asserted", "outlet"),
        ("010:s002", "postman", "denied", "qaani"),
    ]


# Sizes, by hand.  Sentences: every line is one.  Words (\w runs of the normalized text):
# Alpha: 001 3+6+8 = 17, 002 3+5+3 = 11, 003 3+5+7 = 15, 007 3+8+7 = 18, 008 3+4 = 7 → 68 words;
#        sentences 3+3+3+3+2 = 14.
# Beta:  004 3+7+8 = 18, 005 3+5 = 8, 006 3+10+4 = 17, 009 3+6+4 = 13, 010 3+9 = 12 → 68 words;
#        sentences 3+2+3+3+2 = 13.
def test_outlet_sizes(hand):
    sizes = outlet_sizes(hand.corpus, hand.segments_frame())
    assert sizes.loc["Alpha Daily"].to_dict() == {"articles": 5, "sentences": 14, "words": 68}
    assert sizes.loc["Beta News"].to_dict() == {"articles": 5, "sentences": 13, "words": 68}


def test_words_per_sentence(hand):
    words = {s.sentence_id: s.words for s in hand.segments}
    assert [words[f"001:s00{i}"] for i in (1, 2, 3)] == [3, 6, 8]
    assert [words[f"006:s00{i}"] for i in (1, 2, 3)] == [3, 10, 4]
    assert [words[f"007:s00{i}"] for i in (1, 2, 3)] == [3, 8, 7]


# Outlet × frame (sentences, articles, share = sentences / outlet sentences, rate = 1000 × sentences / words):
# Alpha postman: 001 s002, 001 s003, 003 s002, 007 s002, 008 s002 = 5 sentences in 4 articles;
#                5/14 = 0.35714 → 0.3571; 5000/68 = 73.529 → 73.53.
# Alpha rockets: 002 s002, 007 s003 = 2 in 2 (003's is vetoed); 2/14 = 0.14286 → 0.1429; 2000/68 = 29.412 → 29.41.
# Beta postman:  004 s002, 006 s002, 009 s003, 010 s002 = 4 in 4; 4/13 = 0.30769 → 0.3077; 4000/68 = 58.824 → 58.82.
# Beta rockets:  004 s003, 006 s003 = 2 in 2 (009's is vetoed); 2/13 = 0.15385 → 0.1538; 2000/68 = 29.412 → 29.41.
OUTLET_FRAME = [
    ("Alpha Daily", "postman", 5, 4, 0.3571, 73.53),
    ("Alpha Daily", "rockets", 2, 2, 0.1429, 29.41),
    ("Beta News", "postman", 4, 4, 0.3077, 58.82),
    ("Beta News", "rockets", 2, 2, 0.1538, 29.41),
]


def test_outlet_frame_table(hand):
    table = outlet_frame_table(hand.corpus, hand.codebook, hand.segments_frame(), hand.mentions)
    got = [(r.outlet, r.frame, r.sentences, r.articles, r.share, r.per_1000_words) for r in table.itertuples()]
    assert [g[:4] for g in got] == [o[:4] for o in OUTLET_FRAME]
    for g, o in zip(got, OUTLET_FRAME):
        assert g[4] == pytest.approx(o[4], abs=1e-9) and g[5] == pytest.approx(o[5], abs=1e-9), (g, o)
    assert [(r.sentences_total, r.articles_total, r.words) for r in table.itertuples()] == \
        [(14, 5, 68), (14, 5, 68), (13, 5, 68), (13, 5, 68)]
    assert list(table["label"]) == ["Postman", "Rockets", "Postman", "Rockets"]


def test_exported_wide_tables(hand):
    from analysis.results.tables import export_tables
    t = export_tables(hand)
    assert t["outlet_frame_sentences"].set_index("outlet").to_dict("index") == {
        "Alpha Daily": {"postman": 5, "rockets": 2}, "Beta News": {"postman": 4, "rockets": 2}}
    assert t["outlet_frame_articles"].set_index("outlet").to_dict("index") == {
        "Alpha Daily": {"postman": 4, "rockets": 2}, "Beta News": {"postman": 4, "rockets": 2}}
    share = t["outlet_frame_share"].set_index("outlet")
    assert share.loc["Beta News", "rockets"] == pytest.approx(0.1538, abs=1e-9)
    assert t["outlet_frame_per_1000_words"].set_index("outlet").loc["Alpha Daily", "postman"] == pytest.approx(73.53, abs=1e-9)


def test_table_columns_in_order(hand):
    table = outlet_frame_table(hand.corpus, hand.codebook, hand.segments_frame(), hand.mentions)
    assert list(table.columns) == ["outlet", "frame", "label", "sentences", "articles", "share", "per_1000_words",
                                   "sentences_total", "articles_total", "words"]


def test_an_outlet_without_sentences_gets_zero_not_nan(hand):
    # keep only Alpha's sentences: Beta still has its 5 articles, but 0 sentences and 0 words
    segs = hand.segments_frame()
    alpha = segs[segs.article_id.isin(["001", "002", "003", "007", "008"])]
    table = outlet_frame_table(hand.corpus, hand.codebook, alpha, hand.mentions)
    beta = table[table.outlet == "Beta News"]
    assert list(beta.share) == [0.0, 0.0] and list(beta.per_1000_words) == [0.0, 0.0]
    assert list(beta.sentences_total) == [0, 0] and list(beta.words) == [0, 0] and list(beta.articles_total) == [5, 5]


def test_frame_totals_rank_frames_across_outlets(hand):
    from analysis.results.tables import frame_totals
    table = outlet_frame_table(hand.corpus, hand.codebook, hand.segments_frame(), hand.mentions)
    # postman 5+4 = 9 sentences, 4+4 = 8 articles, in 2 outlets; rockets 2+2 = 4, 2+2 = 4, in 2 outlets
    got = [tuple(r) for r in frame_totals(table)[["frame", "label", "sentences", "articles", "outlets"]].itertuples(index=False)]
    assert got == [("postman", "Postman", 9, 8, 2), ("rockets", "Rockets", 4, 4, 2)]


def test_frame_totals_break_ties_by_id_and_count_outlets_that_carry_the_frame():
    import pandas as pd

    from analysis.results.tables import frame_totals
    table = pd.DataFrame({"outlet": ["o1", "o2", "o1", "o2", "o1", "o2"], "frame": ["b", "b", "a", "a", "c", "c"],
                          "label": ["B", "B", "A", "A", "C", "C"], "sentences": [3, 0, 1, 2, 5, 1],
                          "articles": [2, 0, 1, 1, 3, 1]})
    got = [tuple(r) for r in frame_totals(table).itertuples(index=False)]
    # c: 6 sentences; a and b: 3 each, a first by id; b is carried by one outlet only
    assert got == [("c", "C", 6, 4, 2), ("a", "A", 3, 2, 2), ("b", "B", 3, 2, 1)]


def test_wide_keeps_the_codebook_order():
    import pandas as pd

    from analysis.results.tables import wide
    table = pd.DataFrame({"outlet": ["o1", "o1", "o2", "o2"], "frame": ["zeta", "alpha", "zeta", "alpha"],
                          "sentences": [1, 2, 3, 4]})
    w = wide(table)
    assert list(w.columns) == ["zeta", "alpha"] and list(w.index) == ["o1", "o2"]
    assert w.loc["o2", "alpha"] == 4 and w.loc["o1", "zeta"] == 1


def test_export_writes_the_documented_tables(hand):
    from analysis.results.tables import export_tables
    t = export_tables(hand)
    assert list(t) == ["mentions", "frame_sentences", "outlet_frame", "outlet_frame_sentences",
                       "outlet_frame_articles", "outlet_frame_share", "outlet_frame_per_1000_words", "segments",
                       "removed", "quotations", "speakers", "claims", "details", "sourcing", "articles"]
    assert len(t["mentions"]) == 14 and len(t["frame_sentences"]) == 13 and "sentence" not in t["frame_sentences"]
    assert len(t["segments"]) == 27 and len(t["articles"]) == 10 and len(t["outlet_frame"]) == 4
    assert list(t["outlet_frame_share"].columns) == ["outlet", "postman", "rockets"]


def test_segment_rows(hand):
    segs = hand.segments_frame()
    assert list(segs.columns) == ["article_id", "sentence_id", "start", "end", "words", "sentence"]
    # 001 line 2 runs from 21 to 21+34 = 55; line 3 from 56 to 56+40 = 96 (3+1+7+1+2+1+6+1+2+1+4+1+4+1+5, the period included)
    rows = [tuple(r) for r in segs[segs.article_id == "001"].itertuples(index=False)]
    assert rows == [("001", "001:s001", 0, 20, 3, "Written for testing."),
                    ("001", "001:s002", 21, 55, 6, "العراق ساعي بريد بين طهران وواشنطن"),
                    ("001", "001:s003", 56, 96, 8, "قال الكاظمي إن العراق لن يكون ساعي بريد.")]


def test_mention_rows_carry_their_article_and_sentence(hand):
    assert list(hand.mentions.columns[:13]) == ["article_id", "file", "outlet", "language", "frame", "indicator",
                                                "sentence_id", "start", "end", "match", "sentence",
                                                "sentence_start", "sentence_end"]
    m = hand.mentions.iloc[1]
    assert (m.article_id, m.file, m.outlet, m.language, m.frame, m.indicator, m.sentence_id) == \
        ("001", "articles/001.txt", "Alpha Daily", "ar", "postman", "ساعي بريد", "001:s003")
    assert (m.sentence, m.sentence_start, m.sentence_end) == ("قال الكاظمي إن العراق لن يكون ساعي بريد.", 56, 96)
    e = hand.mentions.iloc[9]
    assert (e.article_id, e.file, e.outlet, e.language, e.indicator, e.sentence_start, e.sentence_end) == \
        ("007", "articles/007.txt", "Alpha Daily", "en", "postman", 21, 61)


def test_code_frames_codes_only_the_frames_asked_for(hand):
    from analysis.coding.article import code_frames
    art = hand.corpus.article("006")
    segs = [s for s in hand.segments if s.article_id == "006"]
    only = code_frames(art, segs, hand.codebook, [hand.codebook.frame("postman")])
    # 006 s002 holds two postmen (31-40, 56-65); its rockets (76-84) are not asked for
    assert list(only) == ["postman"] and [(r["start"], r["end"]) for r in only["postman"]] == [(31, 40), (56, 65)]
    both = code_frames(art, segs, hand.codebook)
    assert list(both) == ["postman", "rockets"] and [(r["start"], r["end"]) for r in both["rockets"]] == [(76, 84)]


# Counted in two batches, then summed (as `code` does): the numbers above, by hand.
# Batch A = articles 001–005, batch B = 006–010.
def _halves(hand):
    segs, m = hand.segments_frame(), hand.mentions
    first = ["001", "002", "003", "004", "005"]
    return (segs[segs.article_id.isin(first)], m[m.article_id.isin(first)],
            segs[~segs.article_id.isin(first)], m[~m.article_id.isin(first)])


def test_unit_counts_sum_over_batches(hand):
    from analysis.results.tables import summed, unit_counts
    _, ma, _, mb = _halves(hand)
    # A: Alpha postman 001 s002, s003, 003 s002 = 3 in 2; rockets 002 s002 = 1; Beta postman 004 s002, rockets 004 s003
    assert unit_counts(ma).loc[("Alpha Daily", "postman")].to_dict() == {"sentences": 3, "articles": 2}
    total = summed([unit_counts(ma), unit_counts(mb)])
    assert total.to_dict("index") == {("Alpha Daily", "postman"): {"sentences": 5, "articles": 4},
                                      ("Alpha Daily", "rockets"): {"sentences": 2, "articles": 2},
                                      ("Beta News", "postman"): {"sentences": 4, "articles": 4},
                                      ("Beta News", "rockets"): {"sentences": 2, "articles": 2}}


def test_sizes_and_the_table_from_summed_batches(hand):
    import pandas as pd

    from analysis.results.tables import article_sizes, outlet_frame_from, summed, unit_counts
    sa, ma, sb, mb = _halves(hand)
    sizes = pd.concat([article_sizes(sa), article_sizes(sb)])
    assert sizes.loc["001"].to_dict() == {"sentences": 3, "words": 17} and sizes.loc["010"].to_dict() == {"sentences": 2, "words": 12}
    table = outlet_frame_from(hand.corpus, hand.codebook, sizes, summed([unit_counts(ma), unit_counts(mb)]))
    got = [(r.outlet, r.frame, r.sentences, r.articles, r.sentences_total, r.words) for r in table.itertuples()]
    assert got == [("Alpha Daily", "postman", 5, 4, 14, 68), ("Alpha Daily", "rockets", 2, 2, 14, 68),
                   ("Beta News", "postman", 4, 4, 13, 68), ("Beta News", "rockets", 2, 2, 13, 68)]


def test_language_sizes_and_indicator_counts(hand):
    from analysis.results.tables import indicator_counts, language_sizes, summed
    sa, ma, sb, mb = _halves(hand)
    lang = {a.id: a.language for a in hand.corpus.articles}
    # Arabic = 001–006: sentences 3+3+3+3+2+3 = 17, words 17+11+15+18+8+17 = 86; English = 007–010: 10, 18+7+13+12 = 50
    sizes = summed([language_sizes(sa, lang), language_sizes(sb, lang)])
    assert sizes.to_dict("index") == {"ar": {"sentences": 17, "words": 86}, "en": {"sentences": 10, "words": 50}}
    counts = summed([indicator_counts(ma), indicator_counts(mb)])
    # ساعي بريد: 001 s002, s003, 003 s002, 004 s002, 006 s002 = 5 sentences; 006 s002 holds two
    # ("ساعي بريد يحمل رسالة إلى ساعي بريد آخر"), so 6 matches
    assert counts.loc[("postman", "ar", "ساعي بريد")].to_dict() == {"sentences": 5, "matches": 6}
    assert summed([]).empty


def test_run_counts_add_up_batches_in_plain_python(hand):
    """What `code`'s parent counts batch by batch (RunCounts), against the hand counts above."""
    from analysis.results.tables import RunCounts
    first = ["001", "002", "003", "004", "005"]
    lang = {a.id: a.language for a in hand.corpus.articles}
    counted = RunCounts(lang)
    for half in (True, False):
        counted.add_segments([s for s in hand.segments if (s.article_id in first) == half])
        counted.add_mentions(hand.mentions[hand.mentions.article_id.isin(first) == half])
    sizes = counted.article_sizes()
    assert sizes.loc["001"].to_dict() == {"sentences": 3, "words": 17} and sizes.loc["010"].to_dict() == {"sentences": 2, "words": 12}
    assert list(sizes.index) == [f"{k:03d}" for k in range(1, 11)]
    assert counted.language_sizes().to_dict("index") == {"ar": {"sentences": 17, "words": 86},
                                                         "en": {"sentences": 10, "words": 50}}
    assert counted.unit_counts().to_dict("index") == {("Alpha Daily", "postman"): {"sentences": 5, "articles": 4},
                                                      ("Alpha Daily", "rockets"): {"sentences": 2, "articles": 2},
                                                      ("Beta News", "postman"): {"sentences": 4, "articles": 4},
                                                      ("Beta News", "rockets"): {"sentences": 2, "articles": 2}}
    assert counted.indicator_counts().loc[("postman", "ar", "ساعي بريد")].to_dict() == {"sentences": 5, "matches": 6}
    assert RunCounts(lang).unit_counts().empty
