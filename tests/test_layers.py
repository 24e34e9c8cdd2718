"""The package is cut into stage folders; each imports only from the stages before it.

Order (docs/architecture.md): io → text → match → inputs → ingest → coding → extract → pipeline → results
→ report → render → the command modules at the top (cli, add, validate).
"""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "analysis"
ORDER = ["io", "text", "match", "inputs", "ingest", "coding", "extract", "pipeline", "results", "report", "render"]
TOP = {"cli", "api", "add", "validate", "translations", "init", "__main__", "__init__"}


def stage_of(module: str) -> str | None:
    """'analysis.coding.stance' -> 'coding'; top-level command modules -> 'top'."""
    parts = module.split(".")
    if parts[0] != "analysis" or len(parts) < 2:
        return None
    return "top" if parts[1] in TOP else parts[1]


def rank(stage: str) -> int:
    return len(ORDER) if stage == "top" else ORDER.index(stage)


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = ".".join(("analysis", *path.relative_to(PACKAGE).with_suffix("").parts))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[: -node.level]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.append((node.lineno, name))
        elif isinstance(node, ast.Import):
            out.extend((node.lineno, a.name) for a in node.names)
    return out


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def test_rank_table():
    assert stage_of("analysis.io.errors") == "io"
    assert stage_of("analysis.cli") == "top"
    assert stage_of("pandas") is None
    assert rank("io") < rank("coding") < rank("report") < rank("top")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_from_earlier_stages(path):
    mine = stage_of(".".join(("analysis", *path.relative_to(PACKAGE).with_suffix("").parts)))
    bad = [
        f"line {line}: {name}"
        for line, name in imports_of(path)
        if (other := stage_of(name)) and rank(other) > rank(mine)
    ]
    assert not bad, f"{path.name} ({mine}) imports a later stage: {bad}"


# Inside match/: the word-level grammar first, then the literal machinery, then the pattern language;
# nothing imports back (scan.py used to import patterns.py, which imported scan.py lazily).
MATCH_ORDER = ["grammar", "scan", "patterns", "kwic"]


@pytest.mark.parametrize("module", MATCH_ORDER)
def test_match_modules_import_only_those_before_them(module):
    allowed = {f"analysis.match.{m}" for m in MATCH_ORDER[:MATCH_ORDER.index(module)]}
    inside = [(line, name) for line, name in imports_of(PACKAGE / "match" / f"{module}.py")
              if name.startswith("analysis.match")]
    assert [(line, name) for line, name in inside if name not in allowed] == []
