"""The tables add_voices, sentence_speakers and sentence_stances build, on one article written for testing.

Every value below is typed literally and can be checked against the article's text: who speaks in each
sentence, the cue that names them and its offset in the sentence, the stance and its cue, quotations.
"""
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import yaml

from analysis.coding.article import segment_article
from analysis.coding.voices import (
    QUOTATION_COLUMNS,
    STANCE_COLUMNS,
    VOICE_COLUMNS,
    add_voices,
    attribute_segments,
    sentence_speakers,
    sentence_stances,
)
from analysis.inputs.actors import Gazetteer, load_actors
from analysis.inputs.corpus import Article, Outlet
from analysis.inputs.lexicon import load_lexicon
from analysis.io.errors import Problems

DATA = Path(__file__).resolve().parent.parent / "data"

# Written for testing, one sentence per line but the fourth (two, split at ؛).
LINES = [
    "الكاظمي في واشنطن",
    "قال مسؤول في المفوضية إن العراق لن يكون ساعي بريد.",
    "وقال ظريف إن الكاظمي أكد بعد سقوط صواريخ «نحن لا نقبل أن نكون ساعي بريد أو ساحة للصراع».",
    "وقال ظريف إن الصواريخ سقطت قرب بغداد؛ ولن تسقط صواريخ أخرى.",
    "وغرد الصدر أنه استبعد أن يكون العراق ساعي بريد.",
    "رفض النائب أن يكون العراق مضطراً لنقل الرسائل، متهماً طهران بتحويله إلى ساعي بريد.",
    "وجاء في رسالة «لن تسقط صواريخ أخرى على القاعدة».",
]
TEXT = "\n".join(LINES)


def build(tmp):
    outlet = Outlet("t", "Test outlet", "منفذ", "Nowhere")
    art = Article("v1", "v1.txt", outlet, date(2020, 8, 20), "ar", TEXT, "0")
    segs, _ = segment_article(art, [])
    # the corpus folder's own lexicon adds غرد (tweeted) to the reporting verbs, استبعد (ruled out) to the denial verbs
    doc = yaml.safe_load((DATA / "lexicon.yaml").read_text(encoding="utf-8"))
    doc["reporting_verbs"]["ar"].append("غرد")
    doc["denial_verbs"]["ar"].append("استبعد")
    (tmp / "lexicon.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    actors = Gazetteer(load_actors(DATA, Problems()))
    actors.lexicon = load_lexicon(tmp / "lexicon.yaml")
    # postman: its first indicator outranks its second in sentence_stances; rockets cannot be denied
    ind = SimpleNamespace
    codebook = SimpleNamespace(frames=[
        SimpleNamespace(id="postman", deniable=True, indicators={"ar": [ind(label="ساعي بريد"), ind(label="لنقل الرسائل")]}),
        SimpleNamespace(id="rockets", deniable=False, indicators={"ar": [ind(label="صواريخ")]}),
        SimpleNamespace(id="arena", deniable=True, indicators={"ar": [ind(label="ساحة")]}),
    ])
    rows = []
    for seg in segs:
        for f in codebook.frames:
            for i in f.indicators["ar"]:
                k = seg.text.find(i.label)
                while k >= 0:
                    rows.append({"article_id": "v1", "file": "v1.txt", "outlet": "Test outlet", "language": "ar",
                                 "frame": f.id, "indicator": i.label, "sentence_id": seg.sentence_id,
                                 "start": seg.start + k, "end": seg.start + k + len(i.label), "match": i.label,
                                 "sentence": seg.text, "sentence_start": seg.start, "sentence_end": seg.end})
                    k = seg.text.find(i.label, k + 1)
    mentions = pd.DataFrame(rows).sort_values(["start", "frame"]).reset_index(drop=True)
    return SimpleNamespace(articles=[art]), segs, mentions, actors, codebook


# Offsets in the article; each line's start: 0, 18, 69, 158 (its second sentence at 196), 218, 266, 349.
# (sentence, frame, start, end, speaker, speaker_name, speaker_kind, speaker_side, attribution, in_quote,
#  stance, speaker_words, speaker_cue, speaker_cue_at, stance_cue, stance_cue_at); cue offsets within the sentence.
UNLISTED = ("unlisted", "anonymous", "Speakers not in the gazetteer", "verb-subject, unlisted")
ZARIF = ("zarif", "Mohammad Javad Zarif", "named", "Iran")
KADHIMI = ("kadhimi", "Mustafa al-Kadhimi", "named", "Iraqi government")
EXPECTED_VOICES = [
    # قال(0) مسؤول في المفوضية إن العراق لن(32) يكون ساعي(40) بريد.
    ("v1:s002", "postman", 58, 67, "unlisted", "مسؤول في المفوضية", *UNLISTED[1:], False, "denied",
     "مسؤول في المفوضية", "قال", 0, "negation 'لن'", 32),
    # وقال(0) ظريف إن الكاظمي(13) أكد(21) بعد سقوط صواريخ(34) «(41)نحن لا(46) نقبل أن نكون ساعي(62) بريد أو ساحة(75) للصراع»(87).
    ("v1:s003", "rockets", 103, 109, *ZARIF, "verb-subject", False, "reported", "", "وقال", 0,
     "attributed to a speaker", -1),
    ("v1:s003", "postman", 131, 140, *KADHIMI, "subject-verb", True, "denied", "", "أكد", 21, "negation 'لا'", 46),
    ("v1:s003", "arena", 144, 148, *KADHIMI, "subject-verb", True, "reported", "", "أكد", 21, "inside a quotation", -1),
    # وقال ظريف إن الصواريخ(13, صواريخ at 15) …؛ then ولن تسقط صواريخ(9): rockets cannot be denied
    ("v1:s004", "rockets", 173, 179, *ZARIF, "verb-subject", False, "reported", "", "وقال", 0, "attributed to a speaker", -1),
    ("v1:s005", "rockets", 205, 211, *ZARIF, "continues the sentence before", False, "reported", "", "", -1,
     "attributed to a speaker", -1),
    # وغرد(0) الصدر أنه استبعد(15) أن يكون العراق ساعي(37) بريد.: both verbs are in this corpus's lexicon only
    ("v1:s006", "postman", 255, 264, "sadr", "Muqtada al-Sadr", "named", "Iraqi politicians", "verb-subject", False,
     "denied", "", "وغرد", 0, "denial verb 'استبعد'", 15),
    # رفض(0) النائب أن يكون العراق مضطراً لنقل(33) الرسائل، متهماً طهران بتحويله إلى ساعي(72) بريد.
    ("v1:s007", "postman", 299, 311, "unlisted", "النائب", *UNLISTED[1:], False, "denied", "النائب", "رفض", 0,
     "denial verb 'رفض'", 0),
    ("v1:s007", "postman", 338, 347, "unlisted", "النائب", *UNLISTED[1:], False, "reported", "النائب", "رفض", 0,
     "attributed to a speaker", -1),
    # وجاء في رسالة «(14)لن تسقط صواريخ(23) أخرى على القاعدة»(46).: nobody speaks, but it is a quotation
    ("v1:s008", "rockets", 372, 378, "outlet", "the outlet itself", "outlet", "Outlet's own voice", "own voice", True,
     "reported", "", "", -1, "inside a quotation", -1),
]


def test_add_voices_gives_each_mention_its_speaker_stance_and_cues(tmp_path):
    corpus, segs, mentions, actors, codebook = build(tmp_path)
    voiced, quotes = add_voices(corpus, segs, mentions, actors, codebook)
    assert list(voiced.columns) == [
        "article_id", "file", "outlet", "language", "frame", "indicator", "sentence_id", "start", "end", "match",
        "sentence", "sentence_start", "sentence_end", "speaker", "speaker_name", "speaker_kind", "speaker_side",
        "attribution", "in_quote", "stance", "speaker_words", "speaker_cue", "speaker_cue_at", "stance_cue",
        "stance_cue_at"]
    got = [tuple(r) for r in voiced[["sentence_id", "frame", "start", "end", *VOICE_COLUMNS]].itertuples(index=False)]
    assert got == EXPECTED_VOICES
    assert TEXT[58:67] == "ساعي بريد" and TEXT[299:311] == "لنقل الرسائل" and TEXT[372:378] == "صواريخ"
    # the attributions may be passed in (the pipeline computes them once)
    again, _ = add_voices(corpus, segs, mentions, actors, codebook, attribute_segments(corpus, segs, actors))
    assert [tuple(r) for r in again[["sentence_id", "frame", "start", "end", *VOICE_COLUMNS]].itertuples(index=False)] == got


def test_the_quotations_table(tmp_path):
    corpus, segs, mentions, actors, codebook = build(tmp_path)
    _, quotes = add_voices(corpus, segs, mentions, actors, codebook)
    assert list(quotes.columns) == QUOTATION_COLUMNS == [
        "article_id", "outlet", "sentence_id", "start", "end", "speaker", "quote", "frames"]
    # the frames inside each quotation, sorted; the rockets before the first quotation are not in it.
    # Its speaker is the nearest cue before it (الكاظمي … أكد), not the sentence's first (ظريف).
    assert quotes.values.tolist() == [
        ["v1", "Test outlet", "v1:s003", 110, 156, "kadhimi", "«نحن لا نقبل أن نكون ساعي بريد أو ساحة للصراع»", "arena;postman"],
        ["v1", "Test outlet", "v1:s008", 363, 396, "outlet", "«لن تسقط صواريخ أخرى على القاعدة»", "rockets"],
    ]


def test_sentence_speakers(tmp_path):
    corpus, segs, _, actors, _ = build(tmp_path)
    table = sentence_speakers(corpus, segs, actors)
    assert list(table.columns) == ["article_id", "sentence_id", "speaker", "speaker_kind", "attribution", "speakers",
                                   "speaker_words"]
    assert table.values.tolist() == [
        ["v1", "v1:s001", "outlet", "outlet", "own voice", "", ""],   # a headline: the outlet's
        ["v1", "v1:s002", "unlisted", "anonymous", "verb-subject, unlisted", "unlisted", "مسؤول في المفوضية"],
        ["v1", "v1:s003", "zarif", "named", "verb-subject", "zarif;kadhimi", ""],  # the first speaker, then all
        ["v1", "v1:s004", "zarif", "named", "verb-subject", "zarif", ""],
        ["v1", "v1:s005", "zarif", "named", "continues the sentence before", "zarif", ""],
        ["v1", "v1:s006", "sadr", "named", "verb-subject", "sadr", ""],
        ["v1", "v1:s007", "unlisted", "anonymous", "verb-subject, unlisted", "unlisted", "النائب"],
        ["v1", "v1:s008", "outlet", "outlet", "own voice", "", ""],
    ]


def test_sentence_stances_take_the_most_central_indicator(tmp_path):
    corpus, segs, mentions, actors, codebook = build(tmp_path)
    voiced, _ = add_voices(corpus, segs, mentions, actors, codebook)
    table = sentence_stances(voiced, codebook)
    assert list(table.columns) == STANCE_COLUMNS == [
        "article_id", "outlet", "sentence_id", "frame", "stance", "speaker", "speaker_name", "speaker_kind",
        "sentence_start", "sentence_end", "sentence", "speaker_words"]
    got = table.drop(columns=["article_id", "outlet", "sentence"]).values.tolist()
    assert got == [
        ["v1:s002", "postman", "denied", "unlisted", "مسؤول في المفوضية", "anonymous", 18, 68, "مسؤول في المفوضية"],
        ["v1:s003", "arena", "reported", "kadhimi", "Mustafa al-Kadhimi", "named", 69, 157, ""],
        ["v1:s003", "postman", "denied", "kadhimi", "Mustafa al-Kadhimi", "named", 69, 157, ""],
        ["v1:s003", "rockets", "reported", "zarif", "Mohammad Javad Zarif", "named", 69, 157, ""],
        ["v1:s004", "rockets", "reported", "zarif", "Mohammad Javad Zarif", "named", 158, 195, ""],
        ["v1:s005", "rockets", "reported", "zarif", "Mohammad Javad Zarif", "named", 196, 217, ""],
        ["v1:s006", "postman", "denied", "sadr", "Muqtada al-Sadr", "named", 218, 265, ""],
        # ساعي بريد (reported) is the first indicator: it outranks لنقل الرسائل (denied), which comes first in the text
        ["v1:s007", "postman", "reported", "unlisted", "النائب", "anonymous", 266, 348, "النائب"],
        ["v1:s008", "rockets", "reported", "outlet", "the outlet itself", "outlet", 349, 397, ""],
    ]
    assert table.index.tolist() == list(range(9))
    empty = sentence_stances(voiced.iloc[0:0], codebook)
    assert list(empty.columns) == STANCE_COLUMNS and len(empty) == 0


def test_a_quotation_is_voiced_by_the_cue_before_it_not_by_one_inside_it():
    from analysis.coding.article import Segment
    from analysis.coding.speakers import attributions, find_quotations
    from analysis.coding.voices import voice_reason
    from analysis.text.normalize import normalize_with_map
    # written for testing: Zarif quotes a phrase that itself says «as Kadhimi said»
    s = "قال ظريف «لن يكون العراق ساعي بريد كما قال الكاظمي أمس» ثم غادر"
    norm, index = normalize_with_map(s)
    seg = Segment("t", "t:s001", 0, len(s), s, norm, tuple(index))
    actors = load_actors(DATA, Problems())
    found = attributions(seg.match_text, actors, "ar", None)
    assert [(a.actor.id, a.at) for a in found] == [("zarif", 0), ("kadhimi", 39)]
    assert find_quotations(s, 0) == [(9, 55)]
    att, in_quote, reason = voice_reason(seg, 25, 34, found, [(9, 55)], "ar")
    assert (s[25:34], att.actor.id, in_quote, reason.stance) == ("ساعي بريد", "zarif", True, "denied")


def test_tables_without_rows_keep_their_columns(tmp_path):
    corpus, segs, mentions, actors, codebook = build(tmp_path)
    voiced, quotes = add_voices(corpus, segs[:2], mentions.iloc[0:0], actors, codebook)  # no mention; no quotation in s001-s002
    assert list(voiced.columns)[-len(VOICE_COLUMNS):] == VOICE_COLUMNS and len(voiced) == 0
    assert list(quotes.columns) == QUOTATION_COLUMNS and len(quotes) == 0
