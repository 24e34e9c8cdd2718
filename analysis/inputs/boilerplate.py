"""data/boilerplate.yaml: the rules that tell page furniture (bylines, share buttons, "read also")
from an article's content, line by line; coding/clean.py applies them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis.io.errors import Problems
from analysis.io.yamlio import check_keys, line_of, load_yaml
from analysis.match.patterns import PatternError, Regex
from analysis.text.normalize import normalize

BOILERPLATE = "boilerplate.yaml"
RULE_KEYS = ("label", "reason", "equals", "starts_with", "contains", "regex", "max_words")
STRIP = " \t:：-–—|•·.،,«»\"'()"


@dataclass(frozen=True)
class BoilerplateRule:
    label: str
    reason: str
    equals: frozenset[str] = frozenset()
    starts_with: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    regex: Regex | None = None
    max_words: int | None = None

    def matches(self, norm_line: str, line: Line | None = None) -> bool:
        """``line``: what every rule reads of it, worked out once (``Line.of``), when the caller has it."""
        line = Line.of(norm_line) if line is None else line
        if self.max_words is not None and line.words > self.max_words:
            return False
        return (line.stripped in self.equals
                or line.lower.startswith(self.starts_with)  # a tuple: any of them, in one call
                or any(s in line.lower for s in self.contains)
                or (self.regex is not None and self.regex.search(norm_line)))


@dataclass(frozen=True)
class Line:
    """A normalized line as the rules read it: lower-cased, stripped of punctuation, its word count."""
    lower: str
    stripped: str
    words: int

    @classmethod
    def of(cls, norm_line: str) -> "Line":
        lower = norm_line.lower()
        return cls(lower, lower.strip(STRIP), len(norm_line.split()))


def _norm_list(values) -> list[str]:
    values = [values] if isinstance(values, str) else values or []  # one string: one entry, not its letters
    return [normalize(str(v)).lower() for v in values]


def _lists_and_count_ok(node: dict, path: Path, problems: Problems) -> bool:
    """equals/starts_with/contains are lists (or one string); max_words is a whole number of words."""
    ok = True
    for key in ("equals", "starts_with", "contains"):
        value = node.get(key)
        if value is not None and not isinstance(value, (list, str)):
            problems.add(path, line_of(node, key), f"'{key}' must be a list of strings",
                         f"write it as {key}: [\"first\", \"second\"]")
            ok = False
    words = node.get("max_words")
    if words is not None and (isinstance(words, bool) or not isinstance(words, int) or words < 1):
        problems.add(path, line_of(node, "max_words"), f"max_words must be a whole number of words, not {words!r}"[:160],
                     "e.g. max_words: 12, or remove the line")
        ok = False
    return ok


def load_boilerplate(data_dir: Path | str, problems: Problems | None = None) -> list[BoilerplateRule]:
    """The rules of boilerplate.yaml (optional file): which lines of an article are page furniture.
    Without a collector, any problem raises InputError."""
    own = problems is None
    problems = problems if problems is not None else Problems()
    rules = _parse(Path(data_dir) / BOILERPLATE, problems)
    if own:
        problems.raise_if_any()
    return rules


def _parse(path: Path, problems: Problems) -> list[BoilerplateRule]:
    if not path.exists():
        return []
    doc = load_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
        problems.add(path, line_of(doc) or 1, "expected a top-level 'rules:' list", "see the comments at the top of the shipped file")
        return []
    rules = []
    for node in doc["rules"]:
        if not isinstance(node, dict):
            problems.add(path, line_of(node), "each rule must be a mapping", "start the rule with '- label: ...'")
            continue
        if not check_keys(node, RULE_KEYS, ("label",), path, problems, "boilerplate rule"):
            continue
        if not _lists_and_count_ok(node, path, problems):
            continue
        rx = None
        if node.get("regex"):
            try:
                rx = Regex(str(node["regex"]))
            except PatternError as e:
                problems.add(path, line_of(node, "regex"), str(e), "fix the regex (RE2 syntax)")
                continue
        rules.append(BoilerplateRule(
            label=str(node["label"]), reason=str(node.get("reason", node["label"])),
            equals=frozenset(s.strip(STRIP) for s in _norm_list(node.get("equals"))),
            starts_with=tuple(_norm_list(node.get("starts_with"))),
            contains=tuple(_norm_list(node.get("contains"))),
            regex=rx, max_words=node.get("max_words"),
        ))
    return rules
