"""data/cues.yaml: word lists the extraction rules and the sourcing profile look up (places, attack
targets, frequency words, perpetrators, anonymous-source and exclusivity cues)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from analysis.inputs.codebook import term_list
from analysis.io.errors import Problems
from analysis.io.yamlio import line_of, load_yaml
from analysis.match.patterns import AnyOf

CUES = "cues.yaml"


@dataclass
class Cues:
    named: dict[str, dict[str, dict[str, AnyOf]]]  # list -> name -> language -> pattern
    lists: dict[str, dict[str, AnyOf]]             # list -> language -> pattern

    def kinds(self) -> dict[str, str]:
        return {n: "named" for n in self.named} | {n: "plain" for n in self.lists}

    def patterns(self) -> Iterator[AnyOf]:
        for names in self.named.values():
            for langs in names.values():
                yield from langs.values()
        for langs in self.lists.values():
            yield from langs.values()


def load_cues(data_dir: Path | str, problems: Problems | None = None) -> Cues:
    """Named lists ({name: {ar, en}}, e.g. places) and plain lists ({ar, en}); any list name (optional
    file).  Without a collector, any problem raises InputError."""
    own = problems is None
    problems = problems if problems is not None else Problems()
    cues = _parse(Path(data_dir) / CUES, problems)
    if own:
        problems.raise_if_any()
    return cues


def _parse(path: Path, problems: Problems) -> Cues:
    doc = (load_yaml(path) if path.exists() else {}) or {}
    targets: dict[str, dict[str, dict[str, AnyOf]]] = {}
    lists: dict[str, dict[str, AnyOf]] = {}

    def terms(node, where) -> AnyOf:
        return term_list(node, where, path, problems, "write the cue in plain spelling")

    for key, node in doc.items():
        if not isinstance(node, dict):
            problems.add(path, line_of(doc, key), f"'{key}' is not a cue list",
                         "write 'ar: [...]' and 'en: [...]' under it, or named entries each with ar/en")
        elif set(node) <= {"ar", "en"}:
            lists[key] = {lang: terms(v, key) for lang, v in node.items()}
        else:
            targets[key] = {name: {lang: terms(v, name) for lang, v in (langs or {}).items()}
                            for name, langs in node.items()}
    return Cues(targets, lists)
