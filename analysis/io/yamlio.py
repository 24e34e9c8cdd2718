"""YAML loading that remembers line numbers, so every message can point at one.

Mappings, lists and strings come back as subclasses carrying ``.line`` (1-based).
Syntax errors become an InputError naming the line and column.
"""
from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from analysis.io.errors import InputError, Problem, Problems, did_you_mean, display_path


class LineDict(dict):
    line: int = 0
    key_lines: dict


class LineList(list):
    line: int = 0


class LineStr(str):
    line: int = 0


# libyaml's parser where available (several times faster); marks work the same.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _mapping(loader, node):
    d = LineDict()
    d.line = node.start_mark.line + 1
    d.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in d:
            raise yaml.MarkedYAMLError(problem=f"duplicate key '{key}'", problem_mark=key_node.start_mark)
        d[key] = loader.construct_object(value_node, deep=True)
        d.key_lines[key] = key_node.start_mark.line + 1
    return d


def _sequence(loader, node):
    out = LineList(loader.construct_object(n, deep=True) for n in node.value)
    out.line = node.start_mark.line + 1
    return out


def _string(loader, node):
    s = LineStr(loader.construct_scalar(node))
    s.line = node.start_mark.line + 1
    return s


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)
_Loader.add_constructor("tag:yaml.org,2002:str", _string)


def load_yaml(path: Path):
    """Parse a YAML file; any syntax or encoding error is an InputError with line and column."""
    where = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Problem(where, None, "file not found", f"create {path.name} (see README)")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(Problem(where, raw[:e.start].count(b"\n") + 1,
                                 f"not valid UTF-8 (byte offset {e.start})", "save the file as UTF-8")) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = " ".join(x for x in (e.context, e.problem) if x) or "YAML syntax error"
        raise InputError(Problem(where, mark.line + 1 if mark else None, f"YAML syntax error: {what}",
                                 "check indentation, colons and quotes on this line (quote text containing ': ' or '#')",
                                 column=mark.column + 1 if mark else None)) from None
    except yaml.YAMLError as e:
        raise InputError(Problem(where, None, f"YAML error: {e}", "fix the YAML syntax")) from None


def line_of(node, key=None) -> int | None:
    if key is not None and isinstance(node, LineDict):
        return node.key_lines.get(key, node.line)
    return getattr(node, "line", None)


def check_keys(node: dict, allowed, required, path: Path, problems: Problems, what: str) -> bool:
    """Report unknown keys (with 'did you mean') and missing required keys.

    A missing key that an unknown key looks like a misspelling of is reported once, as the misspelling.
    """
    ok = True
    meant = set()
    for key in node:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), list(allowed), n=1, cutoff=0.6)
            if close:
                meant.add(close[0])
                fix = f"rename '{key}' to '{close[0]}'"
            else:
                fix = f"allowed keys: {', '.join(allowed)}"
            problems.add(path, line_of(node, key), f"unknown key '{key}' in {what}{did_you_mean(str(key), allowed)}", fix)
            ok = False
    for key in required:
        if key not in node and key not in meant:
            problems.add(path, line_of(node), f"{what} has no '{key}'", f"add the '{key}:' key")
            ok = False
        elif key not in node:
            ok = False
    return ok
