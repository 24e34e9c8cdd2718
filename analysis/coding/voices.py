"""Add who-says-what to the mentions: speaker, attribution, quotation, stance.

This is the wiring step; the rules live in speakers.py and stance.py.  Each
sentence is attributed once (``attribute_segments``) and every look-up after
that is by dict or bisection, so the cost is linear in the corpus.  All
functions work on any list of segments, e.g. one article's.
"""
from __future__ import annotations

import bisect
from collections import defaultdict

import pandas as pd

from analysis.coding.article import Segment
from analysis.coding.speakers import (
    Attribution,
    Timeline,
    attributions,
    carried_forward,
    find_quotations,
    speaker_at,
    speaker_for,
)
from analysis.coding.stance import Reason, SentenceCues, stance_reason
from analysis.inputs.actors import OUTLET, UNLISTED, Actor, lexicon_of
from analysis.inputs.corpus import Corpus
from analysis.inputs.lexicon import shipped
from analysis.io.lazy import cached_property

# A sentence split at a semicolon continues the one before, speaker included.
CONTINUES = ("؛", ";")
SENTENCE_END = tuple(".!?؟…؛;")
HEADLINE_WORDS = 25
QUOTATION_COLUMNS = ["article_id", "outlet", "sentence_id", "start", "end", "speaker", "quote", "frames"]
VOICE_COLUMNS = ["speaker", "speaker_name", "speaker_kind", "speaker_side", "attribution", "in_quote", "stance",
                 "speaker_words", "speaker_cue", "speaker_cue_at", "stance_cue", "stance_cue_at"]
STANCE_COLUMNS = ["article_id", "outlet", "sentence_id", "frame", "stance", "speaker", "speaker_name",
                  "speaker_kind", "sentence_start", "sentence_end", "sentence", "speaker_words"]

def is_headline(text: str, seg: Segment) -> bool:
    """A title or sub-heading: a line of its own, short, with no closing punctuation."""
    line_start = text.rfind("\n", 0, seg.start) + 1
    line_end = text.find("\n", seg.end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:seg.start].strip() or text[seg.end:line_end].strip():
        return False
    return not seg.text.endswith(SENTENCE_END) and len(seg.text.split()) <= HEADLINE_WORDS  # (spans are trimmed)
SPEAKER_COLUMNS = ["article_id", "sentence_id", "speaker", "speaker_kind", "attribution", "speakers",
                   "speaker_words"]


def attribute_segments(corpus: Corpus, segments: list[Segment],
                       actors: dict[str, Actor]) -> dict[str, list[Attribution]]:
    """Attribution cues of every sentence, carrying the last speaker forward within an article.

    Headlines and sub-headings are the outlet's voice unless they quote: they
    inherit no speaker and pass none on.
    """
    articles = {a.id: a for a in corpus.articles}
    out: dict[str, list[Attribution]] = {}
    previous: Actor | None  # the article's last speaker, and all of its speakers so far (set at its first sentence)
    history: list[Actor]
    last: Segment | None = None
    for seg in segments:
        if last is None or seg.article_id != last.article_id:
            previous, history = None, []
        art = articles[seg.article_id]
        headline = is_headline(art.text, seg)
        found = attributions(seg.match_text, actors, art.language, None if headline else previous, tuple(history))
        if (not found and not headline and previous is not None and last is not None
                and last.text.endswith(CONTINUES)):
            found = [Attribution(previous, "continues the sentence before")]
        out[seg.sentence_id] = found
        if not headline:
            previous = carried_forward(found) or previous
        history += [a.actor for a in found]
        last = seg
    return out


def _norm_pos(seg: Segment, original: int) -> int:
    """Normalized position of an original offset (the first at or after it)."""
    return bisect.bisect_left(seg.index, original)


def _orig(seg: Segment, norm_pos: int) -> int:
    """Offset within the sentence's original text of a normalized position."""
    return seg.index[norm_pos] - seg.start


def voice_reason(seg: Segment, start: int, end: int, found: list[Attribution], quotes: list[tuple[int, int]],
                 language: str, deniable: bool = True, lexicon=None, memo: dict | None = None
                 ) -> tuple[Attribution, bool, Reason]:
    """Speaker, quotation flag and stance of the mention at original [start, end).  ``memo``: where the
    caller keeps each sentence's speaker timeline and stance cues (by sentence id) between mentions."""
    norm_start, norm_end = _norm_pos(seg, start), _norm_pos(seg, end)
    quote = next(((qs, qe) for qs, qe in quotes if qs <= start and end <= qe), None)
    memo = {} if memo is None else memo
    if seg.sentence_id not in memo:
        memo[seg.sentence_id] = (Timeline(found, seg.match_text) if found else None,
                                 SentenceCues(seg.match_text, language, lexicon or shipped()))
    timeline, cues = memo[seg.sentence_id]
    att = speaker_for(found, seg.match_text, norm_start, _norm_pos(seg, quote[0]) if quote else None, timeline)
    reason = stance_reason(seg.match_text, norm_start, language, att.actor.id != OUTLET, quote is not None,
                           norm_end, deniable, lexicon, cues)
    return att, quote is not None, reason


def _sliced(seg: Segment, start: int, end: int) -> str:
    s, e = seg.original(start, end)
    return seg.text[s - seg.start:e - seg.start]


def speaker_cue(seg: Segment, att: Attribution) -> tuple[str, int]:
    """The cue that names the speaker, as in the text, and its offset in the sentence."""
    if att.at < 0 or not att.cue:
        return "", -1
    s, e = att.cue_span
    return _sliced(seg, s, min(e, len(seg.norm))), _orig(seg, s)


def stance_cue(seg: Segment, reason: Reason) -> tuple[str, int]:
    """"negation 'لن'", "denial verb 'نفى'" …, as in the text, and its offset in the sentence."""
    if reason.at < 0:
        return reason.cue, -1
    return f"{reason.cue} '{_sliced(seg, reason.at, reason.end)}'", _orig(seg, reason.at)


def speaker_words(seg: Segment, att: Attribution) -> str:
    """The original words naming an unlisted speaker ("مسؤول في المفوضية"); empty for listed ones."""
    if att.actor.id != UNLISTED or att.span is None:
        return ""
    s, e = seg.original(*att.span)
    return seg.text[s - seg.start:e - seg.start]


def add_voices(corpus: Corpus, segments: list[Segment], mentions: pd.DataFrame,
               actors: dict[str, Actor], codebook, found: dict[str, list[Attribution]] | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentions with speaker and stance columns, and the quotations table.

    ``found``: the output of ``attribute_segments`` when the caller has it already (each sentence
    is attributed once)."""
    found = attribute_segments(corpus, segments, actors) if found is None else found
    voicing = Voicing(segments, found, lexicon_of(actors), codebook)
    rows = voicing.columns(mentions.to_dict("records"))
    voiced = pd.concat([mentions.reset_index(drop=True), pd.DataFrame(rows, columns=VOICE_COLUMNS)], axis=1)
    return voiced, quotations_table(corpus, segments, voiced, found, voicing.quotes)


class Voicing:
    """What voicing the mentions of some sentences needs: their attributions, their quotations (found
    on first use), the lexicon and each frame's denial flag.  The pipeline voices an article's
    mentions frame by frame with it (a cached frame keeps its voices), ``add_voices`` all at once."""

    def __init__(self, segments: list[Segment], found: dict[str, list[Attribution]], lexicon, codebook):
        self.by_id = {s.sentence_id: s for s in segments}
        self.found, self.lexicon = found, lexicon
        self.deniable = deniability(codebook)
        self.memo: dict = {}  # per sentence: its speaker timeline and stance cues, for all its mentions

    @cached_property
    def quotes(self) -> dict[str, list[tuple[int, int]]]:
        return {sid: find_quotations(s.text, s.start) for sid, s in self.by_id.items()}

    def columns(self, mentions: list[dict]) -> list[dict]:
        """The speaker and stance columns of each mention row, in order."""
        return voice_columns(mentions, self.by_id, self.quotes, self.found, self.lexicon, self.deniable, self.memo)


def deniability(codebook) -> dict:
    """frame → whether its mentions can be denied, and (frame, indicator label) → False for the indicators
    marked ``denial: false``."""
    out: dict = {f.id: f.deniable for f in codebook.frames}
    for f in codebook.frames:
        never = f.never_denied() if hasattr(f, "never_denied") else ()  # a frame-like object may have no indicators
        out.update({(f.id, label): False for label in never})
    return out


def voice_columns(mentions: list[dict], by_id: dict[str, Segment], quotes: dict, found: dict[str, list[Attribution]],
                  lexicon, deniable: dict, memo: dict | None = None) -> list[dict]:
    """The speaker and stance columns of each mention row (with sentence_id, start, end, language,
    frame, indicator), in order.  ``deniable``: as ``deniability`` gives it."""
    memo = {} if memo is None else memo
    rows = []
    for m in mentions:
        seg = by_id[m["sentence_id"]]
        can_deny = deniable[m["frame"]] and deniable.get((m["frame"], m.get("indicator")), True)
        att, in_quote, reason = voice_reason(seg, m["start"], m["end"], found[m["sentence_id"]], quotes[m["sentence_id"]],
                                             m["language"], can_deny, lexicon, memo)
        words = speaker_words(seg, att)
        (scue, sat), (tcue, tat) = speaker_cue(seg, att), stance_cue(seg, reason)
        rows.append({"speaker": att.actor.id, "speaker_name": words or att.actor.name_en,
                     "speaker_kind": att.actor.kind, "speaker_side": att.actor.side, "attribution": att.how,
                     "in_quote": in_quote, "stance": reason.stance, "speaker_words": words,
                     "speaker_cue": scue, "speaker_cue_at": sat, "stance_cue": tcue, "stance_cue_at": tat})
    return rows


def quotations_table(corpus: Corpus, segments: list[Segment], voiced: pd.DataFrame,
                     found: dict[str, list[Attribution]], quotes: dict | None = None) -> pd.DataFrame:
    """Every quotation with its speaker and the frames of the mentions inside it."""
    return with_frames(quotation_rows(corpus, segments, found, quotes), voiced)


def quotation_rows(corpus: Corpus, segments: list[Segment], found: dict[str, list[Attribution]],
                   quotes: dict | None = None) -> list[dict]:
    """Every quotation with its speaker, without the frames inside it (they depend on the codebook, the
    rest does not: a batch caches the two apart)."""
    quotes = {s.sentence_id: find_quotations(s.text, s.start) for s in segments} if quotes is None else quotes
    articles = {a.id: a for a in corpus.articles}
    qrows = []
    for seg in segments:
        art = articles[seg.article_id]
        for qs, qe in quotes[seg.sentence_id]:
            qrows.append({"article_id": art.id, "outlet": art.outlet.name_en, "sentence_id": seg.sentence_id,
                          "start": qs, "end": qe, "speaker": speaker_at(found[seg.sentence_id], _norm_pos(seg, qs)).actor.id,
                          "quote": art.text[qs:qe]})
    return qrows


def with_frames(qrows: list[dict], voiced) -> pd.DataFrame:
    """The quotations table: each quotation with the frames of the mentions that lie inside it.  ``voiced``:
    the mentions, as a table or as columns of values in any order (a batch's, as lists: iterating a table's
    Arrow columns cost twice as much)."""
    frames_in = defaultdict(list)  # sentence → (start, end, frame) of its mentions
    for sid, s, e, f in zip(voiced["sentence_id"], voiced["start"], voiced["end"], voiced["frame"]):
        frames_in[sid].append((s, e, f))
    rows = [{**q, "frames": ";".join(sorted({f for s, e, f in frames_in[q["sentence_id"]] if s >= q["start"] and e <= q["end"]}))}
            for q in qrows]
    return pd.DataFrame(rows, columns=QUOTATION_COLUMNS)


def sentence_speakers(corpus: Corpus, segments: list[Segment], actors: dict[str, Actor],
                      found: dict[str, list[Attribution]] | None = None) -> pd.DataFrame:
    """Every sentence with its first speaker (the outlet where nobody else speaks)."""
    found = attribute_segments(corpus, segments, actors) if found is None else found
    rows = []
    for seg in segments:
        att = speaker_at(found[seg.sentence_id])
        rows.append({"article_id": seg.article_id, "sentence_id": seg.sentence_id, "speaker": att.actor.id,
                     "speaker_kind": att.actor.kind, "attribution": att.how,
                     "speakers": ";".join(dict.fromkeys(a.actor.id for a in found[seg.sentence_id])),
                     "speaker_words": speaker_words(seg, att)})
    return pd.DataFrame(rows, columns=SPEAKER_COLUMNS)


def sentence_stances(voiced: pd.DataFrame, codebook) -> pd.DataFrame:
    """One row per (sentence, frame), with the stance and speaker of its most central mention.

    The codebook lists a frame's indicators from most to least central, so in
    "X makes Y a mere messenger; Y need not carry its messages" the
    accusation (ساعي بريد) outranks the refusal around it.  Every mention keeps
    its own stance and speaker in the mentions table (docs/stance.md).
    """
    if voiced.empty:
        return pd.DataFrame(columns=STANCE_COLUMNS)
    return stances_frame(stance_rows(voiced.to_dict("records"), stance_ranks(codebook)))


def stance_ranks(codebook) -> dict[tuple[str, str], int]:
    """(frame, indicator label) → its place in the frame's list (0: the most central)."""
    return {(f.id, i.label): k for f in codebook.frames for inds in f.indicators.values() for k, i in enumerate(inds)}


def stance_rows(mentions: list[dict], rank: dict[tuple[str, str], int]) -> list[dict]:
    """``sentence_stances`` on mention rows in the mentions table's order: per (sentence, frame), the
    stance columns of the first of the mentions with the lowest (rank, start); sorted by sentence, then frame."""
    best: dict[tuple[str, str], tuple[tuple[int, int], dict]] = {}
    for m in mentions:
        at = (m["sentence_id"], m["frame"])
        key = (rank[(m["frame"], m["indicator"])], m["start"])
        if at not in best or key < best[at][0]:
            best[at] = (key, m)
    return [{c: best[at][1][c] for c in STANCE_COLUMNS} for at in sorted(best)]


def stances_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame({c: [r[c] for r in rows] for c in STANCE_COLUMNS}, columns=STANCE_COLUMNS)
