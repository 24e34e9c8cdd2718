"""Facts a reader can check in the seed texts, and the offsets behind every number."""
from conftest import sentence_with

REQUIRED = ["article_id", "file", "outlet", "language", "frame", "indicator", "sentence_id", "start", "end", "match", "sentence"]


def frames_of(seed, article_id, fragment):
    seg = sentence_with(seed, article_id, fragment)
    return set(seed.mentions[seed.mentions.sentence_id == seg.sentence_id].frame)


def test_every_evidence_string_slices_the_original(seed):
    assert list(seed.mentions.columns[:len(REQUIRED)]) == REQUIRED
    for m in seed.mentions.itertuples():
        text = seed.corpus.article(m.article_id).text
        assert text[m.start:m.end] == m.match
        assert text[m.sentence_start:m.sentence_end] == m.sentence
        assert (seed.corpus.data_dir / m.file).read_text(encoding="utf-8")[m.start:m.end] == m.match


def test_002_postman_is_kadhimis_denial(seed):
    seg = sentence_with(seed, "002", "نحن لا نلعب دور ساعي البريد")
    rows = seed.stances[(seed.stances.sentence_id == seg.sentence_id) & (seed.stances.frame == "postman")]
    assert len(rows) == 1
    assert rows.iloc[0].stance == "denied" and rows.iloc[0].speaker == "kadhimi"


def test_000_carries_both_a_denial_and_an_accusation(seed):
    st = seed.stances[(seed.stances.article_id == "000") & (seed.stances.frame == "postman")]
    accusation = st[st.sentence.str.contains("مجرد ساعي بريد")]
    denial = st[st.sentence.str.contains("لن يكون ساعي بريد")]
    assert list(accusation.stance) == ["reported"] and list(accusation.speaker) == ["zafer_al_ani"]
    assert list(denial.stance) == ["denied"] and list(denial.speaker) == ["kadhimi"]


def test_004_has_no_postman_frame(seed):
    assert "postman" not in set(seed.mentions[seed.mentions.article_id == "004"].frame)


def test_002_rocket_attacks_on_green_zone_and_victoria_base(seed):
    assert "rocket_attacks" in frames_of(seed, "002", "إطلاق صواريخ الكاتيوشا")
    assert "rocket_attacks" in frames_of(seed, "002", "قاعدة فيكتوريا")
    targets = {t for ts in seed.details[seed.details.article_id == "002"].targets for t in ts.split("; ")}
    assert {"Green Zone", "Victoria base"} <= targets


def test_001_repeated_lead_is_counted_once(seed):
    lead = [s for s in seed.segments if s.article_id == "001" and s.text.startswith("يلتقي الرئيس الأميركي")]
    assert len(lead) == 1


def test_two_frames_in_one_sentence(seed):
    # 002: no need to worry about the rockets on the Green Zone if Kadhimi promises to discuss with the US
    # administration the exit of its forces from Iraq "within a year" (في غضون عام).  (Before issue 21 this
    # was s006, the US exit as Tehran's revenge for Soleimani; the exit there has no time element.)
    assert {"withdrawal_timeline", "rocket_attacks"} <= frames_of(seed, "002", "في غضون عام")
    assert frames_of(seed, "002", "وانتقاماً لاغتيال") == {"soleimani_revenge"}


def test_counts_are_backed_by_mentions(seed):
    from analysis.results.tables import outlet_frame_table
    t = outlet_frame_table(seed.corpus, seed.codebook, seed.segments_frame(), seed.mentions)
    for r in t.itertuples():
        m = seed.mentions[(seed.mentions.outlet == r.outlet) & (seed.mentions.frame == r.frame)]
        assert r.sentences == m.sentence_id.nunique()
        assert r.articles == m.article_id.nunique()
