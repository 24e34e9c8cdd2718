"""data/rules.yaml: what to extract from the sentences of each frame, as data.

Two kinds of rule, keyed by frame id:

* ``claims``: patterns whose every match is a claim, with its English content,
  a deadline taken from events.csv, and the claimant's role (demand/offer/report);
* ``details``: named cue lists (data/cues.yaml) looked up in each sentence.

Number words and units (the grammar of "<number> <unit>") stay in code: they
belong to the languages, not to a story.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import regex

from analysis.inputs.codebook import term_list
from analysis.io.errors import Problems
from analysis.io.yamlio import check_keys, line_of, load_yaml
from analysis.match.patterns import AnyOf

EXTRACTION_RULES = "rules.yaml"

NUMBER_WORDS = {
    "واحد": 1, "واحده": 1, "اثنين": 2, "اثنان": 2, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5,
    "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثماني": 8, "ثمان": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9,
    "عشر": 10, "عشره": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1,
}
# unit word → (unit, count implied by the word itself: dual forms mean two)
UNITS = {
    "عام": ("year", 1), "اعوام": ("year", None), "سنه": ("year", 1), "سنوات": ("year", None), "سنين": ("year", None),
    "عامين": ("year", 2), "سنتين": ("year", 2), "شهر": ("month", 1), "اشهر": ("month", None), "شهور": ("month", None),
    "شهرين": ("month", 2), "اسبوع": ("week", 1), "اسابيع": ("week", None), "year": ("year", 1), "years": ("year", None),
    "month": ("month", 1), "months": ("month", None),
}
_NUM = r"(?P<{g}n>\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<{g}u>" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")"
_DURATION = re.compile(r"\{duration:([a-z]\w*)\}")
_FIELD = re.compile(r"\{(\w+)\}")
_DEADLINE = re.compile(r"^(\w+)(?:\s*\+\s*(\d+)y)?$")


def duration(g: str) -> str:
    """Regex for "<number> <unit>" whose parts are groups g+'n', g+'u' (and g+'n2' for "عام واحد")."""
    return rf"(?:{_NUM.format(g=g)}\s+)?{_UNIT.format(g=g)}(?:\s+(?P<{g}n2>واحد|واحده))?"


def count(m, g: str) -> tuple[int | None, str]:
    unit, implied = UNITS[m.group(g + "u")]
    n = m.group(g + "n")
    value = int(n) if n and n.isdigit() else NUMBER_WORDS.get(n or "", None)
    if m.groupdict().get(g + "n2"):
        value = 1
    return value if value is not None else implied, unit


def fmt_duration(n: int | None, unit: str) -> str:
    return f"{n} {unit}{'s' if n != 1 else ''}" if n is not None else f"some {unit}s"


@dataclass
class ClaimKind:
    kind: str
    pattern: regex.Pattern
    says: str
    durations: tuple[str, ...] = ()
    deadline: date | None = None

    def describe(self, m) -> str:
        values = {g: fmt_duration(*count(m, g)) for g in self.durations}
        values |= {k: v.replace(",", "") for k, v in m.groupdict().items() if v and k not in values}
        if self.deadline:
            values["date"] = f"{self.deadline.day} {self.deadline:%b %Y}"
        return _FIELD.sub(lambda f: values.get(f.group(1), f.group(0)), self.says)


@dataclass
class Claims:
    kinds: list[ClaimKind]
    roles: dict[str, dict[str, AnyOf]] = field(default_factory=dict)
    concrete: tuple[str, ...] = ()


@dataclass
class Details:
    fields: dict[str, tuple[str, str]]  # column -> ("all" | "first", cue list name)
    linked: str | None = None


@dataclass
class ExtractionRules:
    claims: dict[str, Claims] = field(default_factory=dict)
    details: dict[str, Details] = field(default_factory=dict)


def load_extraction_rules(data_dir: Path | str, problems: Problems | None = None, *, frame_ids=(),
                          events: pd.DataFrame | None = None, cue_kinds: dict[str, str] | None = None) -> ExtractionRules:
    """rules.yaml (optional file), keyed by frame; what it refers to: the codebook's frame ids, the events
    (deadlines) and the cues.yaml lists (``cue_kinds``: each list's name → "named" or "plain").
    Without a collector, any problem raises InputError."""
    own = problems is None
    problems = problems if problems is not None else Problems()
    rules = _parse(Path(data_dir) / EXTRACTION_RULES, frame_ids, events, cue_kinds or {}, problems)
    if own:
        problems.raise_if_any()
    return rules


def _parse(path: Path, frame_ids, events: pd.DataFrame | None, cue_names: dict[str, str],
           problems: Problems) -> ExtractionRules:
    if not path.exists():
        return ExtractionRules()
    doc = load_yaml(path) or {}
    rules = ExtractionRules()
    if not isinstance(doc, dict):
        problems.add(path, 1, "expected frame ids as keys", "see the comments at the top of data/rules.yaml")
        return rules
    event_dates = {e.id: e.date for e in events.itertuples() if getattr(e, "id", "")} if events is not None else {}
    frames = set(frame_ids)
    for fid, node in doc.items():
        if fid not in frames:
            problems.add(path, line_of(doc, fid), f"'{fid}' is not a frame id of codebook.yaml",
                         "use an id from codebook.yaml, or remove the block")
            continue
        if not isinstance(node, dict) or not check_keys(node, ("claims", "details"), (), path, problems, fid):
            continue
        if "claims" in node:
            rules.claims[fid] = _claims(node["claims"], fid, event_dates, path, problems)
        if "details" in node:
            rules.details[fid] = _details(node["details"], fid, frames, cue_names, path, problems)
    return rules


def _claims(node, fid, event_dates, path, problems) -> Claims:
    out = Claims([])
    if not isinstance(node, dict) or not check_keys(node, ("kinds", "roles", "concrete"), ("kinds",), path, problems,
                                                    f"{fid}.claims"):
        return out
    for item in node.get("kinds") or []:
        if not isinstance(item, dict) or not check_keys(item, ("kind", "pattern", "says", "deadline"),
                                                        ("kind", "pattern", "says"), path, problems, "kind"):
            continue
        text = str(item["pattern"])
        groups = tuple(dict.fromkeys(_DURATION.findall(text)))
        try:
            pattern = regex.compile(_expand(text))
        except regex.error as e:
            problems.add(path, line_of(item, "pattern"), f"{fid}: bad pattern for '{item['kind']}': {e}",
                         "fix the regular expression (docs/codebook.md)")
            continue
        deadline = None
        if item.get("deadline"):
            m = _DEADLINE.match(str(item["deadline"]).strip())
            if not m or m.group(1) not in event_dates:
                problems.add(path, line_of(item, "deadline"), f"{fid}: deadline '{item['deadline']}' names no event",
                             f"use an id from events.csv ({', '.join(event_dates) or 'add an id column'}), "
                             f"optionally '+1y' for an anniversary")
            else:
                d = event_dates[m.group(1)]
                deadline = d.replace(year=d.year + int(m.group(2) or 0))
        out.kinds.append(ClaimKind(str(item["kind"]), pattern, str(item["says"]), groups, deadline))
    for role, langs in (node.get("roles") or {}).items():
        out.roles[role] = {lang: term_list(terms, role, path, problems) for lang, terms in (langs or {}).items()}
    out.concrete = tuple(str(k) for k in node.get("concrete") or [])
    unknown = [k for k in out.concrete if k not in {c.kind for c in out.kinds}]
    if unknown:
        problems.add(path, line_of(node, "concrete"), f"{fid}: concrete kinds {unknown} are not defined",
                     "list kinds defined under kinds:")
    return out


def _expand(pattern: str) -> str:
    return _DURATION.sub(lambda m: duration(m.group(1)), pattern)


def _details(node, fid, frames, cue_names, path, problems) -> Details:
    out = Details({})
    if not isinstance(node, dict):
        problems.add(path, line_of(node), f"{fid}.details: expected 'column: {{all|first: cue list}}' lines",
                     "see the comments at the top of data/rules.yaml")
        return out
    for column, spec in node.items():
        if column == "linked":
            if spec not in frames:
                problems.add(path, line_of(node, column), f"{fid}: linked frame '{spec}' is not in codebook.yaml",
                             "use a frame id of codebook.yaml")
            else:
                out.linked = str(spec)
            continue
        how, name = next(iter(spec.items())) if isinstance(spec, dict) and len(spec) == 1 else (None, None)
        want = {"all": "named", "first": "plain"}.get(how)
        if want is None or cue_names.get(name) != want:
            lists = [n for n, k in cue_names.items() if k == want] if want else []
            problems.add(path, line_of(node, column),
                         f"{fid}.details.{column}: expected 'all: <named list>' or 'first: <plain list>' of cues.yaml",
                         f"{'lists of that kind: ' + ', '.join(lists) if lists else 'check the list name'}")
            continue
        out.fields[str(column)] = (how, str(name))
    return out
