"""Why a sentence was or was not coded: normalized form, indicators, stance, speaker.

Each stance and speaker comes with its reason: the cue and its offset in the
sentence (original characters, counted from the sentence's first character).
"""
from __future__ import annotations

from analysis.coding.article import Segment, code_segment
from analysis.coding.context import ArticleScope, split_by_context
from analysis.coding.speakers import attributions, find_quotations
from analysis.coding.voices import attribute_segments, speaker_cue, speaker_words, stance_cue, voice_reason
from analysis.inputs.actors import lexicon_of
from analysis.io.errors import InputError, Problem
from analysis.text.normalize import normalize_with_map


def _speaker(seg: Segment, att) -> str:
    words = speaker_words(seg, att)
    who = att.actor.id + (f" «{words}» ({att.actor.kind})" if words else "")
    if att.at < 0:
        return f"{who} (own voice: no attribution cue governs it)"
    cue, at = speaker_cue(seg, att)
    return f"{who} ({att.how}: cue '{cue}' at {at})" if cue else f"{who} ({att.how})"


def _stance(seg: Segment, reason) -> str:
    cue, at = stance_cue(seg, reason)
    return f"{reason.stance} ({cue} at {at})" if at >= 0 else f"{reason.stance} ({cue})"


def explain(analysis, sentence_id: str | None = None, text: str | None = None, language: str = "ar",
            show_all: bool = False) -> str:
    if sentence_id:
        seg = next((s for s in analysis.segments if s.sentence_id == sentence_id), None)
        if seg is None:
            raise InputError(Problem("SENTENCE", None, f"no sentence '{sentence_id}'",
                                     "use an id like 002:s031 from _output/tables/segments.csv or `kwic`"))
        language = analysis.corpus.article(seg.article_id).language
    else:
        norm, index = normalize_with_map(text)
        seg = Segment("(text)", "(text)", 0, len(text), text, norm, tuple(index))
    mt = seg.match_text
    lexicon = lexicon_of(analysis.actors)
    # a corpus sentence is explained as the pipeline codes it (speakers carried over from before)
    found = (attribute_segments(analysis.corpus, analysis.segments, analysis.actors)[seg.sentence_id] if sentence_id
             else attributions(mt, analysis.actors, language, None, (), lexicon))
    lines = [f"sentence   {seg.sentence_id}  [{seg.start}:{seg.end}]", f"original   {seg.text}",
             f"normalized {seg.norm}",
             "speakers   " + (", ".join(_speaker(seg, a) for a in found) or "outlet (own voice)"), ""]
    # frame scope: the article's sentences (a free text is an article of one sentence)
    scope = ArticleScope([s for s in analysis.segments if s.article_id == seg.article_id] if sentence_id else [seg])
    rows, out_of_scope = split_by_context(code_segment(seg, analysis.codebook, language), analysis.codebook,
                                          language, scope, seg.sentence_id)
    fired = {(r["frame"], r["indicator"]) for r in rows}
    quotes = find_quotations(seg.text, seg.start)
    for frame in analysis.codebook.frames:
        vetoed = [x.canonical for x in frame.excludes.get(language, []) if x.find(mt)]
        hits = [r for r in rows if r["frame"] == frame.id]
        scoped = [(r, c) for r, c in out_of_scope if r["frame"] == frame.id]
        if not hits and not show_all and not vetoed and not scoped:
            continue
        lines.append(f"{frame.id}: {'CODED' if hits else 'not coded'}" + (f" (vetoed by exclude {vetoed})" if vetoed else ""))
        for r, c in scoped:
            lines.append(f"  x {r['indicator']}  → {seg.text[r['start'] - seg.start:r['end'] - seg.start]!r}"
                         f"  vetoed by context: needs {c.canonical} (codebook line {c.line})")
        for r in hits:
            deniable = frame.deniable and r["indicator"] not in frame.never_denied()
            att, _, reason = voice_reason(seg, r["start"], r["end"], found, quotes, language, deniable, lexicon)
            lines.append(f"  + {r['indicator']}  → {seg.text[r['start'] - seg.start:r['end'] - seg.start]!r} "
                         f"at {r['start'] - seg.start}")
            lines.append(f"      stance={_stance(seg, reason)}")
            lines.append(f"      speaker={_speaker(seg, att)}")
        if show_all:
            for ind in frame.indicators.get(language, []):
                if (frame.id, ind.label) not in fired:
                    why = "excluded by 'not'" if ind.pattern.find(mt) else "no match"
                    lines.append(f"  - {ind.label}  ({why})")
    return "\n".join(lines)
