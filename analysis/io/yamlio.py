"""YAML loading that remembers line numbers, so every message can point at one.

Mappings, lists and strings come back as subclasses carrying ``.line`` (1-based).
Syntax errors become an InputError naming the line and column.  Documents are
bounded before they are built: nesting deeper than MAX_DEPTH, or aliases that
expand the document far beyond its written size (a "billion laughs" bomb,
anywhere in the file), are refused with the line where it happens.
"""
from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from analysis.io.errors import InputError, Problem, Problems, did_you_mean, display_path
from analysis.io.paths import NotRegularFile, read_regular


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


_C_READER = hasattr(yaml, "CSafeLoader") and issubclass(_Loader, yaml.CSafeLoader)


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


MAX_DEPTH = 40            # a codebook nests about 6 deep
MAX_ALIASES = 1000        # references to an anchor
EXPANSION = 10            # expanded size may be at most this many times the written size ...
EXPANSION_FLOOR = 10_000  # ... or this many nodes, whichever is larger


class _TooBig(Exception):
    def __init__(self, node, what: str, fix: str):
        self.node, self.what, self.fix = node, what, fix


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [x for kv in node.value for x in kv]
    return []


def _check_bounds(root) -> None:
    """Depth, alias count and expanded size of a composed node graph, in one iterative walk.

    The expanded size counts each alias as a full copy of what it points to
    (memoized, so a bomb is measured in linear time, never built).
    """
    expanded: dict[int, int] = {}
    seen: set[int] = set()
    aliases = 0
    stack = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if done:
            n = 1
            for c in _children(node):
                if id(c) not in expanded:  # an alias to an ancestor of itself
                    raise _TooBig(c, "an alias refers to the entry that contains it",
                                  "remove the recursive alias (*name)")
                n += expanded[id(c)]
            limit = max(EXPANSION * len(seen), EXPANSION_FLOOR)
            if n > limit:
                raise _TooBig(node, f"aliases expand this entry to {n:,} items, over the limit of {limit:,} "
                                    f"(the file has {len(seen):,} written)",
                              "remove the nested anchors (&name) and aliases (*name); write the entries out")
            expanded[id(node)] = n
            continue
        if id(node) in seen:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _TooBig(node, f"more than {MAX_ALIASES} aliases (*name) in one document",
                              "write the entries out instead of repeating anchors")
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _TooBig(node, f"nested more than {MAX_DEPTH} levels deep", "flatten the structure (see docs/codebook.md)")
        stack.append((node, depth, True))
        stack += [(c, depth + 1, False) for c in _children(node)]


def _load_bounded(text: str):
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_bounds(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


# What was left open when the parser gave up, by its context: the line to fix is where it opened, which
# can be many lines above where the parser noticed (an unclosed [ on line 5 reported at line 26).
_UNCLOSED = {
    "while parsing a flow sequence": ("[", "add the missing ] on this line, or quote the text if the [ belongs to it"),
    "while parsing a flow mapping": ("{", "add the missing } on this line, or quote the text if the { belongs to it"),
    "while scanning a quoted scalar": ("quote", "close the quote on this line; inside single quotes write ' as '', "
                                                "inside double quotes write \" as \\\""),
}


def _syntax_problem(where: str, e: yaml.MarkedYAMLError) -> Problem:
    opened, mark = _UNCLOSED.get(e.context or ""), e.problem_mark or e.context_mark
    start = e.context_mark
    if opened and start is not None and mark is not None and start.line < mark.line:
        what, fix = opened
        return Problem(where, start.line + 1, f"YAML syntax error: the {what} opened here is not closed "
                       f"(the parser gave up at line {mark.line + 1}: {e.problem})", fix, column=start.column + 1)
    what = " ".join(x for x in (e.context, e.problem) if x) or "YAML syntax error"
    return Problem(where, mark.line + 1 if mark else None, f"YAML syntax error: {what}",
                   "check indentation, colons and quotes on this line (quote text containing ': ' or '#')",
                   column=mark.column + 1 if mark else None)


def load_yaml(path: Path):
    """Parse a YAML file; any syntax or encoding error is an InputError with line and column."""
    where = display_path(path)
    try:
        raw = read_regular(path)
    except FileNotFoundError:
        raise InputError(Problem(where, None, "file not found", f"create {path.name} (see README)")) from None
    except IsADirectoryError:
        raise InputError(Problem(where, None, "is a folder, not a file",
                                 f"move the folder away and put the {path.name} file there")) from None
    except NotRegularFile as e:
        raise InputError(Problem(where, None, f"is a {e.kind}, not a regular file (reading it could wait forever)",
                                 f"replace it with a regular {path.name} file")) from None
    text = decode(raw, where)
    try:
        return _load_bounded(text)
    except _TooBig as e:
        raise InputError(Problem(where, e.node.start_mark.line + 1, e.what, e.fix)) from None
    except yaml.MarkedYAMLError as e:
        raise InputError(_syntax_problem(where, e)) from None
    except yaml.reader.ReaderError as e:
        # the analyst needs a line and column; libyaml counts UTF-8 bytes, the Python reader characters
        before = text.encode()[:e.position].decode(errors="ignore") if _C_READER else text[:e.position]
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        raise InputError(Problem(where, line, f"control character U+{e.character:04X} is not allowed in YAML",
                                 "delete the invisible character at this line and column "
                                 "(e.g. `tr -d '\\000'` for NUL bytes)", column=column)) from None
    except yaml.YAMLError as e:
        raise InputError(Problem(where, None, f"YAML error: {e}", "fix the YAML syntax")) from None


def decode(raw: bytes, where: str) -> str:
    """UTF-8 text (a BOM dropped); UTF-16 and other encodings are named in the fix."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(Problem(where, 1, "the file is UTF-16, not UTF-8",
                                 "re-save it as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`)"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(Problem(where, raw[:e.start].count(b"\n") + 1,
                                 f"not valid UTF-8 (byte offset {e.start})", encoding_fix(raw))) from None


def encoding_fix(raw: bytes) -> str:
    """The re-save command for the encoding a file most likely has."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:200].count(b"\x00") > 20:
        return "re-save it as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`)"
    return "re-save it as UTF-8 (e.g. `iconv -f WINDOWS-1256 -t UTF-8` for an Arabic Windows file)"


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
