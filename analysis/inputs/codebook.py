"""The codebook: frames and their indicators, loaded strictly from YAML.

Every problem names the file, the line and the key, with a fix.  Misspelled
keys get a "did you mean".  See docs/codebook.md for the format.
"""
from __future__ import annotations

import hashlib
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.inputs.corpus import LANGUAGES
from analysis.io.errors import Problems, check_names
from analysis.io.lazy import cached_property
from analysis.io.yamlio import LineStr, check_keys, line_of, load_yaml
from analysis.match.patterns import AnyOf, Near, Pattern, PatternError, Regex, Term, matches_everything, requirement
from analysis.match.scan import Prefilter

CODEBOOK = "codebook.yaml"
TOP_KEYS = ("version", "sets", "frames")
FRAME_KEYS = ("id", "label_en", "label_ar", "definition", "denial", "indicators", "exclude", "context", "color")
INDICATOR_KEYS = ("term", "regex", "near", "within", "label", "note", "not", "context", "denial")
# context: on a frame names the patterns per language; on an indicator (one language already) under any:
FRAME_CONTEXT_KEYS = ("within", *LANGUAGES, "note")
INDICATOR_CONTEXT_KEYS = ("within", "any", "note")
SCOPES = {"sentence": 0, "article": None}
KINDS = ("term", "regex", "near")
DEFAULT_WITHIN = 5
FRAME_ID = re.compile(r"[a-z][a-z0-9_]*")  # ASCII snake_case: ids go into file names, URLs and anchors


@dataclass
class Context:
    """A scope requirement: one of ``patterns`` must match in the hit's sentence, in a
    window of ``within`` sentences either side of it, or (``within`` None) anywhere in the article."""

    patterns: list[Pattern]
    within: int | None
    line: int | None = None

    @property
    def scope(self) -> str:
        if self.within is None:
            return "in the article"
        if self.within == 0:
            return "in the same sentence"
        return f"within {self.within} sentence{'s' if self.within > 1 else ''} either side"

    @property
    def canonical(self) -> str:
        return f"any of [{', '.join(p.canonical for p in self.patterns)}] {self.scope}"

    @property
    def fingerprint(self) -> str:
        return f"context/{self.within}(" + "|".join(p.fingerprint for p in self.patterns) + ")"


@dataclass
class Indicator:
    frame: str
    language: str
    pattern: Pattern
    label: str
    line: int | None
    excludes: list[Pattern] = field(default_factory=list)
    note: str = ""
    context: list[Context] = field(default_factory=list)
    deniable: bool = True  # denial: false on the indicator: its words are never denied (the frame's flag, for one indicator)

    @property
    def key(self) -> str:
        """All that decides this indicator's mention rows, given its frame's scope (``Frame.scope_key``):
        its label, pattern, exclusions and context, spelled out."""
        return (f"{self.label}|{self.pattern.fingerprint}|{[x.fingerprint for x in self.excludes]}"
                + "".join(f"|{c.fingerprint}" for c in self.context))


@dataclass
class Frame:
    id: str
    label_en: str
    label_ar: str
    definition: str
    indicators: dict[str, list[Indicator]]
    excludes: dict[str, list[Pattern]]
    line: int | None = None
    deniable: bool = True  # false where refusing is part of the frame ("no control of militia weapons")
    context: dict[str, list[Context]] = field(default_factory=dict)  # per language, for every indicator

    def never_denied(self) -> frozenset[str]:
        """Labels of the indicators marked ``denial: false`` (all of them when the frame is)."""
        return frozenset(i.label for inds in self.indicators.values() for i in inds if not i.deniable)

    @property
    def denial_key(self) -> str:
        """All a mention's stance depends on in the codebook (a cache tag)."""
        return f"deniable={self.deniable}" + "".join(f"|{x}" for x in sorted(self.never_denied()))

    def requirements(self, language: str, label: str) -> list[Context]:
        """The frame's context for this language, then that of the indicator with this label."""
        own = next((i.context for i in self.indicators.get(language, []) if i.label == label), [])
        return [*self.context.get(language, []), *own]

    def scope_key(self, language: str) -> list[str]:
        """What of the frame bears on every one of its indicators in a language: its exclusions and context."""
        return ([f"not|{x.fingerprint}" for x in self.excludes.get(language, [])]
                + [f"context|{c.fingerprint}" for c in self.context.get(language, [])])

    @property
    def languages(self) -> list[str]:
        return sorted(set(self.indicators) | set(self.excludes))

    @cached_property  # a frame is never changed once loaded (an edited frame's new indicators are another)
    def fingerprint(self) -> str:
        """Changes whenever anything that decides this frame's matches changes (sets included)."""
        parts = [self.id]
        for lang in self.languages:
            parts.append(lang)
            parts += [i.key for i in self.indicators.get(lang, [])]
            parts += self.scope_key(lang)
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


class CodebookScanner:
    """Every indicator and exclusion of one language, compiled into one prefilter."""

    def __init__(self, codebook: Codebook, language: str, frames: list[Frame] | None = None):
        patterns = []
        for frame in codebook.frames if frames is None else frames:
            patterns += frame.excludes.get(language, [])
            for ind in frame.indicators.get(language, []):
                patterns += [ind.pattern, *ind.excludes]
        self._ids = [id(p) for p in patterns]
        self.prefilter = Prefilter([requirement(p) for p in patterns])
        self.frames_of: dict[int, set[str]] = {}  # an indicator's pattern → the frames it indicates
        for frame in codebook.frames if frames is None else frames:
            for ind in frame.indicators.get(language, []):
                self.frames_of.setdefault(id(ind.pattern), set()).add(frame.id)

    def frames(self, may: set[int]) -> set[str]:
        """The frames with an indicator that may match where these patterns may."""
        return {f for i in may if i in self.frames_of for f in self.frames_of[i]}

    def maybe(self, segments) -> list[set[int]]:
        """Per sentence (anything with a ``norm``), the ids of the patterns that may match there."""
        ids = self._ids
        return [{ids[k] for k in ks} for ks in self.prefilter.candidates([s.norm for s in segments])]


@dataclass
class Codebook:
    path: Path
    sha256: str
    frames: list[Frame]
    sets: dict[str, dict[str, AnyOf]]
    _scanners: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _needs: dict | None = field(default=None, init=False, repr=False, compare=False)

    def __getstate__(self):  # workers and caches get the codebook; each compiles its own scanners
        state = self.__dict__.copy()
        state["_scanners"] = {}
        state["_needs"] = None
        return state

    def forget_compiled(self) -> None:
        self._scanners.clear()
        self._needs = None

    def context_needs(self) -> dict[tuple[str, str, str], list[Context]]:
        """(frame, language, indicator label) → the context its hits need, for those that need one
        (built once: every article's hits are checked against it)."""
        if self._needs is None:
            needs = {(f.id, lang, i.label): f.requirements(lang, i.label) for f in self.frames
                     for lang in f.indicators for i in f.indicators[lang]}
            self._needs = {k: v for k, v in needs.items() if v}
        return self._needs

    def scanner(self, language: str, frames: list[Frame] | None = None) -> CodebookScanner:
        """Every indicator and exclusion of a language (of all frames, or of the ones an edit left
        to recode) in one prefilter, compiled on first use."""
        whole = frames is None or (len(frames) == len(self.frames) and all(map(operator.is_, frames, self.frames)))
        # a frame of its own by id; another (an edited frame's new indicators, ``coding.revision``) by what it
        # matches, and only for those very frames: a scanner names the patterns it found by their objects
        ids = None if whole else tuple(f.id if any(f is g for g in self.frames) else f.fingerprint for f in frames)
        key = (language, ids)
        made = self._scanners.get(key)
        if made is None or not all(map(operator.is_, made[0], frames or ())):
            made = self._scanners[key] = (tuple(frames or ()), CodebookScanner(self, language, None if whole else frames))
        return made[1]

    @property
    def frame_ids(self) -> list[str]:
        return [f.id for f in self.frames]

    def frame(self, frame_id: str) -> Frame:
        return next(f for f in self.frames if f.id == frame_id)

    def labels(self) -> dict[str, str]:
        return {f.id: f.label_en for f in self.frames}

    def patterns(self) -> Iterator[Pattern]:
        """Every pattern of the codebook: indicators, their exclusions, the frames' exclusions."""
        for f in self.frames:
            for inds in f.indicators.values():
                for i in inds:
                    yield i.pattern
                    yield from i.excludes
            for xs in f.excludes.values():
                yield from xs

    def table(self) -> pd.DataFrame:
        """One row per indicator, for the appendix and for analysts."""
        rows = [{"frame": f.id, "label": f.label_en, "language": lang, "indicator": i.label,
                 "pattern": i.pattern.canonical, "line": i.line}
                for f in self.frames for lang, inds in f.indicators.items() for i in inds]
        return pd.DataFrame(rows)


def term_list(node, name: str, path: Path, problems: Problems, fix: str = "write it in plain spelling") -> AnyOf:
    """A YAML list of plain terms (actor names, cue words) as one any-of pattern; bad entries are reported."""
    terms = []
    for item in node or []:
        try:
            terms.append(Term(str(item)))
        except PatternError as e:
            problems.add(path, line_of(item) or line_of(node), f"{name}: {e}", fix)
    return AnyOf(terms, name=name)


def _str_items(node) -> list:
    return list(node) if isinstance(node, list) else [node]


class _Parser:
    def __init__(self, path: Path, problems: Problems):
        self.path, self.problems = path, problems
        self.sets: dict[str, dict[str, AnyOf]] = {}

    def error(self, node, what, fix, key=None):
        self.problems.add(self.path, line_of(node, key), what, fix)

    def pattern(self, node, lang: str, where: str, top: bool = False) -> Pattern | None:
        """A string is a term; a mapping is term/regex/near."""
        try:
            if isinstance(node, str):
                p = Term(node, self.sets.get(lang, {}))
            elif isinstance(node, list):
                items = [self.pattern(n, lang, where) for n in node]
                if any(i is None for i in items):
                    return None
                p = AnyOf(items)
            elif isinstance(node, dict):
                if not top and "context" in node:
                    self.error(node, f"{where}: 'context' belongs on an indicator or a frame, not inside a pattern",
                               "move 'context:' up to the indicator (same indent as 'label:')", key="context")
                return self.compound(node, lang, where)
            else:
                self.error(node, f"{where}: expected text, a list or a mapping, got {node!r}",
                           "write the indicator as plain text, or as 'term:', 'regex:' or 'near:'")
                return None
        except PatternError as e:
            self.error(node, f"{where}: {e}", "fix the pattern (see docs/codebook.md)")
            return None
        if matches_everything(p):
            self.error(node, f"{where}: pattern '{p.canonical}' matches every sentence",
                       "make the pattern more specific")
            return None
        return p

    def compound(self, node: dict, lang: str, where: str) -> Pattern | None:
        if not check_keys(node, INDICATOR_KEYS, (), self.path, self.problems, where):
            return None
        kinds = [k for k in KINDS if k in node]
        if len(kinds) != 1:
            self.error(node, f"{where}: give exactly one of {', '.join(KINDS)} (found {', '.join(kinds) or 'none'})",
                       "split it into separate indicators")
            return None
        kind = kinds[0]
        value = node[kind]
        if not isinstance(value, (str, list, dict)):  # a number or true: text, with the key's line for messages
            line = line_of(node, kind)
            value = LineStr(str(value))
            value.line = line
        try:
            if kind == "term":
                return self.pattern(value, lang, where)
            if kind == "regex":
                p = Regex(str(value))
                if matches_everything(p):
                    self.error(node, f"{where}: regex '{value}' matches every sentence (or the empty string)",
                               "anchor it to specific words", key="regex")
                    return None
                return p
            parts = _str_items(value)
            if len(parts) != 2:
                self.error(node, f"{where}: 'near' needs exactly two items, got {len(parts)}",
                           "write near: [A, B] with 'within: N' words", key="near")
                return None
            a, b = (self.pattern(x, lang, where) for x in parts)
            within = node.get("within", DEFAULT_WITHIN)
            if isinstance(within, bool) or not isinstance(within, int) or within < 1:  # true is an int in Python
                self.error(node, f"{where}: 'within' must be a positive whole number of words, got {within!r}",
                           "e.g. within: 5", key="within")
                return None
            return Near(a, b, within) if a and b else None
        except PatternError as e:
            self.error(node, f"{where}: {e}", "fix the pattern (see docs/codebook.md)", key=kind)
            return None

    def load_sets(self, node) -> None:
        if node is None:
            return
        if not isinstance(node, dict):
            self.error(node, "'sets' must be a mapping of name → {ar: [...], en: [...]}", "see docs/codebook.md")
            return
        for name, langs in node.items():
            if not isinstance(langs, dict):
                self.error(node, f"set '{name}' must map languages to lists", "e.g. us: {ar: [أمريكا], en: [America]}", key=name)
                continue
            for lang, items in langs.items():
                if lang not in LANGUAGES:
                    self.error(langs, f"set '{name}': unknown language '{lang}'", f"use one of {', '.join(LANGUAGES)}", key=lang)
                    continue
                pats = [self.pattern(i, lang, f"set '{name}'") for i in _str_items(items)]
                self.sets.setdefault(lang, {})[name] = AnyOf([p for p in pats if p], name=name)

    def frames(self, node) -> list[Frame]:
        if not isinstance(node, list):
            self.error(node, "'frames' must be a list", "start each frame with '- id: ...'")
            return []
        frames, seen = [], {}
        for fnode in node:
            if not isinstance(fnode, dict):
                self.error(fnode, "each frame must be a mapping", "start the frame with '- id: ...'")
                continue
            check_keys(fnode, FRAME_KEYS, ("id", "label_en", "indicators"), self.path, self.problems,
                       f"frame '{fnode.get('id', '?')}'")
            fid = str(fnode.get("id", ""))
            if fid in seen:
                self.error(fnode, f"duplicate frame id '{fid}' (first on line {seen[fid]})", "give each frame its own id", key="id")
                continue
            if not FRAME_ID.fullmatch(fid):
                self.error(fnode, f"frame id '{fid}' must be short English snake_case (a-z, 0-9, _)",
                           "e.g. troop_withdrawal; put the Arabic name in label_ar", key="id")
                continue
            seen[fid] = line_of(fnode, "id")
            check_names(self.problems, self.path, line_of(fnode), f"frame '{fid}'",
                        {k: fnode.get(k) for k in ("label_en", "label_ar")}, {k: line_of(fnode, k) for k in ("label_en", "label_ar")})
            inds = self.indicators(fid, fnode.get("indicators"), "indicators")
            excl = self.indicators(fid, fnode.get("exclude"), "exclude")
            if not any(inds.values()) and "indicators" in fnode:
                self.error(fnode, f"frame '{fid}' has no usable indicators", "add at least one indicator", key="indicators")
            deniable = fnode.get("denial", True)
            if not isinstance(deniable, bool):
                self.error(fnode, f"frame '{fid}': 'denial' must be true or false, got {deniable!r}",
                           "write denial: false where refusing is part of the frame", key="denial")
                deniable = True
            context = self.frame_context(fid, fnode["context"]) if "context" in fnode else {}
            frames.append(Frame(fid, str(fnode.get("label_en", fid)), str(fnode.get("label_ar", "")),
                                str(fnode.get("definition", "")).strip(), inds,
                                {lang: [i.pattern for i in v] for lang, v in excl.items()}, line_of(fnode), deniable,
                                context))
        return frames

    def indicators(self, fid: str, node, key: str) -> dict[str, list[Indicator]]:
        out: dict[str, list[Indicator]] = {}
        if node is None:
            return out
        if not isinstance(node, dict):
            self.error(node, f"frame '{fid}': '{key}' must map languages (ar, en) to lists", f"write {key}:\\n  ar: [...]\\n  en: [...]")
            return out
        for lang, items in node.items():
            if lang not in LANGUAGES:
                self.error(node, f"frame '{fid}': unknown language '{lang}' under {key}", f"use one of {', '.join(LANGUAGES)}", key=lang)
                continue
            if not items:
                self.error(node, f"frame '{fid}': empty {key} list for '{lang}'", "add patterns or remove the key", key=lang)
                continue
            for item in _str_items(items):
                where = f"frame '{fid}' {key}.{lang}"
                p = self.pattern(item, lang, where, top=True)
                if p is None:
                    continue
                excl = []
                if isinstance(item, dict) and item.get("not") is not None:
                    excl = [x for x in (self.pattern(n, lang, where + " not") for n in _str_items(item["not"])) if x]
                label = str(item.get("label")) if isinstance(item, dict) and item.get("label") else p.canonical
                ctx = []
                if isinstance(item, dict) and "context" in item:
                    if key == "exclude":
                        self.error(item, f"{where}: 'context' does not apply to an exclusion",
                                   "put 'context:' on the frame or on one of its indicators", key="context")
                    else:
                        ctx = self.indicator_context(item["context"], lang, where)
                deniable = self.indicator_denial(item, where, key)
                out.setdefault(lang, []).append(Indicator(fid, lang, p, label, line_of(item), excl,
                                                          str(item.get("note", "")) if isinstance(item, dict) else "",
                                                          ctx, deniable))
        self.unique_context_labels(fid, out)
        return out

    def indicator_denial(self, item, where: str, key: str) -> bool:
        """``denial: false`` on one indicator: a negation before its words never denies the frame."""
        if not isinstance(item, dict) or "denial" not in item:
            return True
        value = item["denial"]
        if key == "exclude" or not isinstance(value, bool):
            fix = ("put 'denial:' on an indicator" if key == "exclude" else
                   "write denial: false where a negation is part of what this indicator means")
            self.error(item, f"{where}: 'denial' must be true or false on an indicator, got {value!r}", fix, key="denial")
            return True
        return value

    def unique_context_labels(self, fid: str, found: dict[str, list[Indicator]]) -> None:
        """Mentions name their indicator by label, so an indicator with a context or a denial flag needs a
        label of its own."""
        for lang, inds in found.items():
            for ind in inds:
                first = next(j for j in inds if j.label == ind.label)
                if first is not ind and (first.context or ind.context or not first.deniable or not ind.deniable):
                    what = "a 'context'" if first.context or ind.context else "'denial: false'"
                    self.problems.add(self.path, ind.line,
                                      f"frame '{fid}' indicators.{lang}: label '{ind.label}' is also used on line "
                                      f"{first.line}, and one of the two has {what}",
                                      "give that indicator a label of its own")

    # ------------------------------------------------------------- context
    def contexts(self, node, keys, where: str) -> list[dict]:
        """A context is one mapping or a list of them (every one must hold)."""
        items = list(node) if isinstance(node, list) else [node]
        if not items:
            self.error(node, f"{where}: empty 'context' list", "remove 'context:' or give it 'within:' and patterns")
        out = []
        for item in items:
            if not isinstance(item, dict):
                example = "{within: 1, any: [<iraq>]}" if "any" in keys else "{within: article, ar: [<iraq>], en: [<iraq>]}"
                self.error(item if hasattr(item, "line") else node,
                           f"{where}: 'context' must be a mapping (or a list of mappings), got {item!r}",
                           f"write e.g. context: {example}")
                continue
            if check_keys(item, keys, (), self.path, self.problems, f"{where} context"):
                out.append(item)
        return out

    def within_sentences(self, node: dict, where: str) -> tuple[bool, int | None]:
        value = node.get("within", "sentence")
        if isinstance(value, str) and value in SCOPES:
            return True, SCOPES[value]
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return True, value
        self.error(node, f"{where} context: 'within' must be 'sentence', 'article' or a whole number of "
                   f"sentences either side (0 or more), got {value!r}",
                   "e.g. within: sentence, within: 2 or within: article", key="within")
        return False, None

    def context_patterns(self, node, lang: str, where: str) -> list[Pattern] | None:
        if node is None or (isinstance(node, list) and not node):
            return None
        pats = [self.pattern(n, lang, where + " context") for n in _str_items(node)]
        return [p for p in pats if p] if all(pats) else []

    def indicator_context(self, node, lang: str, where: str) -> list[Context]:
        out = []
        for item in self.contexts(node, INDICATOR_CONTEXT_KEYS, where):
            ok, within = self.within_sentences(item, where)
            pats = self.context_patterns(item.get("any"), lang, where)
            if pats is None:
                self.error(item, f"{where} context: no patterns under 'any'",
                           "list what must be there, e.g. any: [<iraq>, <target>]")
            elif ok and pats:
                out.append(Context(pats, within, line_of(item)))
        return out

    def frame_context(self, fid: str, node) -> dict[str, list[Context]]:
        out: dict[str, list[Context]] = {}
        where = f"frame '{fid}'"
        for item in self.contexts(node, FRAME_CONTEXT_KEYS, where):
            ok, within = self.within_sentences(item, where)
            langs = [lang for lang in LANGUAGES if lang in item]
            if not langs:
                self.error(item, f"{where} context: no patterns for any language",
                           "list them per language, e.g. ar: [<iraq>] and en: [<iraq>]")
            for lang in langs:
                pats = self.context_patterns(item[lang], lang, where + f" {lang}")
                if pats is None:
                    self.error(item, f"{where} context: empty list for '{lang}'", "add patterns or remove the key",
                               key=lang)
                elif ok and pats:
                    out.setdefault(lang, []).append(Context(pats, within, line_of(item)))
        return out


def load_codebook(path: Path | str, problems: Problems | None = None) -> Codebook:
    path = Path(path)
    own = problems is None
    problems = problems if problems is not None else Problems()
    doc = load_yaml(path)
    parser = _Parser(path, problems)
    frames: list[Frame] = []
    if not isinstance(doc, dict):
        problems.add(path, 1, "the codebook must be a mapping with 'frames:'", "see docs/codebook.md")
    else:
        check_keys(doc, TOP_KEYS, ("frames",), path, problems, "codebook")
        parser.load_sets(doc.get("sets"))
        frames = parser.frames(doc.get("frames", []))
    if own:
        problems.raise_if_any()
    return Codebook(path, hashlib.sha256(path.read_bytes()).hexdigest(), frames, parser.sets)
