"""Add who-says-what to the mentions: speaker, attribution, quotation, stance.

This is the wiring step; the rules live in speakers.py and stance.py.
"""
from __future__ import annotations

import bisect

import pandas as pd

from analysis.coding.article import Segment
from analysis.inputs.corpus import Corpus
from analysis.coding.speakers import OUTLET, Actor, Attribution, attributions, carried_forward, find_quotations, speaker_at
from analysis.coding.stance import stance_of

# A sentence split at a semicolon continues the one before, speaker included.
CONTINUES = ("؛", ";")
QUOTATION_COLUMNS = ["article_id", "outlet", "sentence_id", "start", "end", "speaker", "quote", "frames"]
VOICE_COLUMNS = ["speaker", "speaker_name", "speaker_kind", "speaker_side", "attribution", "in_quote", "stance"]
SPEAKER_COLUMNS = ["article_id", "sentence_id", "speaker", "speaker_kind", "attribution", "speakers"]


def attribute_segments(corpus: Corpus, segments: list[Segment],
                       actors: dict[str, Actor]) -> dict[str, list[Attribution]]:
    """Attribution cues of every sentence, carrying the last speaker forward within an article."""
    out: dict[str, list[Attribution]] = {}
    previous: Actor | None = None
    history: list[Actor] = []
    last: Segment | None = None
    for seg in segments:
        if last is None or seg.article_id != last.article_id:
            previous, history = None, []
        lang = corpus.article(seg.article_id).language
        found = attributions(seg.match_text, actors, lang, previous, tuple(history))
        if not found and previous is not None and last is not None and last.text.rstrip().endswith(CONTINUES):
            found = [Attribution(previous, "continues the sentence before")]
        out[seg.sentence_id] = found
        previous = carried_forward(found) or previous
        history += [a.actor for a in found]
        last = seg
    return out


def voice_of(seg: Segment, start: int, end: int, found: list[Attribution], quotes: list[tuple[int, int]],
             language: str, deniable: bool = True) -> tuple[Attribution, bool, str]:
    """Speaker, whether inside a quotation, and stance of one match at original [start, end)."""
    norm_start, norm_end = _norm_pos(seg, start), _norm_pos(seg, end)
    quote = next(((qs, qe) for qs, qe in quotes if qs <= start and end <= qe), None)
    att = speaker_at(found, _norm_pos(seg, quote[0]) if quote else None)
    stance = stance_of(seg.match_text, norm_start, language, att.actor.id != OUTLET, quote is not None,
                       norm_end, deniable)
    return att, quote is not None, stance


def add_voices(corpus: Corpus, segments: list[Segment], mentions: pd.DataFrame,
               actors: dict[str, Actor], codebook, found: dict[str, list[Attribution]] | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentions with speaker and stance columns, and the quotations table.

    ``found``: the output of ``attribute_segments`` when the caller has it already (each sentence
    is attributed once)."""
    found = attribute_segments(corpus, segments, actors) if found is None else found
    deniable = {f.id: f.deniable for f in codebook.frames}
    by_id = {s.sentence_id: s for s in segments}
    quotes = {s.sentence_id: find_quotations(s.text, s.start) for s in segments}
    rows = []
    for m in mentions.itertuples(index=False):
        att, in_quote, stance = voice_of(by_id[m.sentence_id], m.start, m.end, found[m.sentence_id],
                                         quotes[m.sentence_id], m.language, deniable[m.frame])
        rows.append({"speaker": att.actor.id, "speaker_name": att.actor.name_en, "speaker_kind": att.actor.kind,
                     "speaker_side": att.actor.side, "attribution": att.how, "in_quote": in_quote, "stance": stance})
    voiced = pd.concat([mentions.reset_index(drop=True), pd.DataFrame(rows, columns=VOICE_COLUMNS)], axis=1)
    by_sentence: dict[str, list[tuple[int, int, str]]] = {}  # grouped once, not a mask per quote
    for sid, start, end, frame in zip(voiced.sentence_id, voiced.start, voiced.end, voiced.frame):
        by_sentence.setdefault(sid, []).append((start, end, frame))
    qrows = []
    for seg in segments:
        art = corpus.article(seg.article_id)
        for qs, qe in quotes[seg.sentence_id]:
            inside = {f for s, e, f in by_sentence.get(seg.sentence_id, ()) if s >= qs and e <= qe}
            qrows.append({"article_id": art.id, "outlet": art.outlet.name_en, "sentence_id": seg.sentence_id,
                          "start": qs, "end": qe, "speaker": speaker_at(found[seg.sentence_id], _norm_pos(seg, qs)).actor.id,
                          "quote": art.text[qs:qe], "frames": ";".join(sorted(inside))})
    return voiced, pd.DataFrame(qrows, columns=QUOTATION_COLUMNS)


def sentence_speakers(corpus: Corpus, segments: list[Segment], actors: dict[str, Actor],
                      found: dict[str, list[Attribution]] | None = None) -> pd.DataFrame:
    """Every sentence with its first speaker (the outlet where nobody else speaks)."""
    found = attribute_segments(corpus, segments, actors) if found is None else found
    rows = []
    for seg in segments:
        att = speaker_at(found[seg.sentence_id])
        rows.append({"article_id": seg.article_id, "sentence_id": seg.sentence_id, "speaker": att.actor.id,
                     "speaker_kind": att.actor.kind, "attribution": att.how,
                     "speakers": ";".join(dict.fromkeys(a.actor.id for a in found[seg.sentence_id]))})
    return pd.DataFrame(rows, columns=SPEAKER_COLUMNS)


def _norm_pos(seg: Segment, original: int) -> int:
    return bisect.bisect_left(seg.index, original, 0, len(seg.norm))  # the map never decreases


def sentence_stances(voiced: pd.DataFrame, codebook) -> pd.DataFrame:
    """One row per (sentence, frame), with the stance and speaker of its most central mention.

    The codebook lists a frame's indicators from most to least central, so in
    "X makes Y a mere messenger; Y need not carry its messages" the
    accusation (ساعي بريد) outranks the refusal around it.
    """
    rank = {(f.id, i.label): k for f in codebook.frames for inds in f.indicators.values() for k, i in enumerate(inds)}
    voiced = voiced.assign(_rank=[rank.get((f, i), 1 << 20) for f, i in zip(voiced.frame, voiced.indicator)])
    first = voiced.sort_values(["sentence_id", "frame", "_rank", "start"], kind="stable").drop_duplicates(["sentence_id", "frame"])
    return first[["article_id", "outlet", "sentence_id", "frame", "stance", "speaker", "speaker_name",
                  "speaker_kind", "sentence_start", "sentence_end", "sentence"]].reset_index(drop=True)
