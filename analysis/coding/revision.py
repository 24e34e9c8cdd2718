"""An edited frame, against the version whose mention rows the cache holds: which rows still stand.

A frame's mention rows are the rows of each of its indicators one after the other, sentence by
sentence, less the sentences its own exclusions veto and the hits its context does not allow.  An
indicator's rows depend on the indicator (label, pattern, exclusions, context) and on the frame's
scope for the language (its exclusions and context), nothing else.  So after an edit that adds,
changes or removes indicators and leaves the frame's scope alone, the rows of every indicator that
did not change are the cached rows with its label: only the new or changed indicators are coded
(``Revision.fresh``, the frame with those alone), and the rows are put in the order a whole coding
gives.  Voices are kept too where the cached entry was voiced with what voices them now.

``CODED_VERSIONS`` names the cache entry that records, per frame, the version the last run coded
(``summary``): its fingerprint, which keys its cached rows, and a digest of each indicator.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from analysis.inputs.codebook import Frame

CODED_VERSIONS = "frames coded"  # the cache entry: frame id → ``summary`` of the version the last run coded


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def summary(frame) -> dict:
    """What a later run needs to know of this version of a frame: its fingerprint and, per language,
    a digest of its scope and (label, digest) of each indicator, in order."""
    return {"fingerprint": frame.fingerprint,
            "languages": {lang: [_digest("\n".join(frame.scope_key(lang))),
                                 [[i.label, _digest(i.key)] for i in frame.indicators.get(lang, [])]]
                          for lang in frame.languages}}


def summaries(codebook) -> dict[str, dict]:
    return {f.id: summary(f) for f in codebook.frames}


@dataclass
class Revision:
    """How a frame differs from the version ``was`` (its fingerprint) that keys its cached rows."""
    was: str
    fresh: Frame                       # the frame with only its new or changed indicators: what to code
    kept: dict[str, frozenset[str]]    # per language: labels of the indicators whose cached rows stand
    order: dict[str, dict[str, int]]   # per language: label → the indicator's place in the frame

    def usable(self, entry: dict, segments) -> bool:
        """Whether a cached entry's rows can be sorted in: each names a sentence of this cut and an
        indicator (an entry that does not is coded again, never guessed at)."""
        ids = {s.sentence_id for s in segments}
        rows, voices = entry.get("rows"), entry.get("voices")
        return (isinstance(rows, list) and isinstance(voices, list) and len(voices) in (0, len(rows))
                and all(isinstance(r, dict) and isinstance(r.get("indicator"), str) and r.get("sentence_id") in ids
                        for r in rows))

    def merge(self, entry: dict, fresh: list[dict], segments, language: str, voiced_with: str) -> dict:
        """The frame's entry: the kept indicators' cached rows (with their voices if voiced with
        ``voiced_with``) and the ``fresh`` rows (voices None), in a whole coding's order: by sentence,
        then by indicator, each indicator's rows as found."""
        place = {s.sentence_id: k for k, s in enumerate(segments)}
        order, kept = self.order.get(language, {}), self.kept.get(language, frozenset())
        voiced = entry["voiced_with"] == voiced_with and len(entry["voices"]) == len(entry["rows"])
        old = zip(entry["rows"], entry["voices"] if voiced else [None] * len(entry["rows"]))
        rows = [(r, v) for r, v in old if r["indicator"] in kept] + [(r, None) for r in fresh]
        rows.sort(key=lambda rv: (place[rv[0]["sentence_id"]], order[rv[0]["indicator"]]))  # stable
        return {"rows": [r for r, _ in rows], "voiced_with": voiced_with, "voices": [v for _, v in rows]}


def revision(frame, before) -> Revision | None:
    """How ``frame`` differs from the version ``before`` (a ``summary``), or None where the cached rows
    cannot be used: the same version (they are used as they are), a changed scope, labels that do not
    name one indicator each, no indicator left unchanged, or a ``before`` that is not a summary."""
    try:
        was, old = before["fingerprint"], before["languages"]
        if not isinstance(was, str) or was == frame.fingerprint:
            return None
        kept, order, fresh = {}, {}, {}
        for lang in sorted(set(frame.languages) | set(old)):
            scope, indicators = old.get(lang, [_digest(""), []])
            before_keys = {(label, d) for label, d in indicators}
            inds = frame.indicators.get(lang, [])
            labels = [i.label for i in inds]
            if (scope != _digest("\n".join(frame.scope_key(lang))) or len(set(labels)) < len(labels)
                    or len({label for label, _ in before_keys}) < len(indicators)):
                return None
            kept[lang] = frozenset(i.label for i in inds if (i.label, _digest(i.key)) in before_keys)
            order[lang] = {label: k for k, label in enumerate(labels)}
            fresh[lang] = [i for i in inds if i.label not in kept[lang]]
    except (KeyError, TypeError, ValueError, AttributeError):  # not a summary: code the frame whole
        return None
    if not any(kept.values()):
        return None
    return Revision(was, replace(frame, indicators=fresh), kept, order)


def revisions(codebook, history) -> dict[str, Revision]:
    """Per frame edited since the cached version ``history`` records, how it differs (those that can use it)."""
    if not isinstance(history, dict):
        return {}
    out = {}
    for f in codebook.frames:
        rev = revision(f, history.get(f.id))
        if rev is not None:
            out[f.id] = rev
    return out
