"""Read a .qmd: front matter, project settings, and cells with their options."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import yaml

from .errors import RenderError

_FENCE = re.compile(r"^```+\s*\{python\b")
_OPTION = re.compile(r"^#\|\s?(.*)$")
# Quarto's inline expression: `{python} expr`, not preceded by another backtick.
INLINE = re.compile(r"(^|[^`])`\{python\}[ \t]([^`]+)`", re.M)


@dataclass
class Cell:
    kind: str  # "markdown", "code" or "raw"
    source: str  # as written, "#|" lines included so traceback lines match the .qmd
    options: dict = field(default_factory=dict)
    line: int = 0  # 1-based line of the code fence in the .qmd (code cells only)
    outputs: list = field(default_factory=list)
    inline: dict = field(default_factory=dict)  # markdown cells: expression -> its result's mime bundle

    @property
    def expressions(self) -> list[str]:
        """Inline `{python} expr` expressions in a markdown cell, in order."""
        return [m.group(2) for m in INLINE.finditer(self.source)] if self.kind == "markdown" else []

    @property
    def code(self) -> str:
        """The source without its option lines, as echoed."""
        lines = self.source.split("\n")
        while lines and _OPTION.match(lines[0]):
            lines.pop(0)
        return "\n".join(lines)

    @property
    def label(self) -> str | None:
        return self.options.get("label")

    def option(self, key: str, config: dict, default=None):
        """A cell option, else the document's ``execute:`` default."""
        if key in self.options:
            return self.options[key]
        return config.get("execute", {}).get(key, default)


@dataclass
class Document:
    path: Path
    metadata: dict  # the front matter
    config: dict  # _quarto.yml merged with the front matter
    project_root: Path | None
    cells: list[Cell]
    text: str = ""  # the .qmd as read

    def line_of(self, snippet: str) -> int:
        """1-based line where ``snippet`` first occurs in the .qmd (0 if absent)."""
        at = self.text.find(snippet)
        return self.text.count("\n", 0, at) + 1 if at >= 0 else 0

    def where(self, cell: Cell, offset: int = 0) -> str:
        """E.g. "report.qmd:42: cell 'fig-x'"; ``offset`` counts lines past the fence."""
        code_cells = [c for c in self.cells if c.kind == "code"]
        name = f"'{cell.label}'" if cell.label else f"#{code_cells.index(cell) + 1}"
        return f"{self.path.name}:{cell.line + offset}: cell {name}"


def find_project_root(start: Path) -> Path | None:
    for d in [start, *start.parents]:
        if (d / "_quarto.yml").is_file():
            return d
    return None


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _options(source: str) -> dict:
    """Leading ``#| key: value`` lines are YAML cell options (Quarto syntax)."""
    text = []
    for line in source.split("\n"):
        m = _OPTION.match(line)
        if not m:
            break
        text.append(m.group(1))
    try:
        options = yaml.safe_load("\n".join(text)) if text else None
    except yaml.YAMLError as e:
        raise RenderError(f"bad '#|' cell options: {e}") from None
    if options is not None and not isinstance(options, dict):
        raise RenderError("'#|' cell options must be 'key: value' lines")
    return options or {}


def load(qmd: Path) -> Document:
    qmd = qmd.resolve()
    text = qmd.read_text(encoding="utf-8")
    # fmt="Rmd": jupytext's own qmd reader shells out to quarto, which may be absent.
    nb = jupytext.reads(text, fmt="Rmd")
    fence_lines = [i + 1 for i, line in enumerate(text.split("\n")) if _FENCE.match(line)]

    meta, cells = {}, []
    code_seen = 0
    for nb_cell in nb.cells:
        src = nb_cell.source
        if nb_cell.cell_type == "raw" and not cells and src.startswith("---"):
            meta = _resolve_date(yaml.safe_load(src.strip().strip("-")) or {})
        elif nb_cell.cell_type == "code":
            line = fence_lines[code_seen] if code_seen < len(fence_lines) else 0
            code_seen += 1
            try:
                options = _options(src)
            except RenderError as e:
                raise RenderError(f"{qmd.name}:{line}: {e}") from None
            cells.append(Cell("code", src, options, line))
        else:
            cells.append(Cell(nb_cell.cell_type, src))

    root = find_project_root(qmd.parent)
    project = {}
    if root:
        project = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8")) or {}
    return Document(qmd, meta, _merge(project, meta), root, cells, text)


# Quarto's date-format tokens that the briefing uses, in strftime terms.
_DATE_TOKENS = (("MMMM", "%B"), ("MMM", "%b"), ("YYYY", "%Y"), ("DD", "%d"), ("D", "{day}"))


def _resolve_date(meta: dict) -> dict:
    """Quarto's ``date: today`` with ``date-format``, rendered as Quarto does."""
    import datetime
    if str(meta.get("date", "")).lower() != "today":
        return meta
    today = datetime.date.today()
    fmt = str(meta.get("date-format", "YYYY-MM-DD"))
    for token, code in _DATE_TOKENS:
        fmt = fmt.replace(token, code)
    return {**meta, "date": today.strftime(fmt).replace("{day}", str(today.day))}


def execute_dir(doc: Document) -> Path:
    """Where the kernel starts: Quarto's ``execute-dir`` rule."""
    if doc.project_root and doc.config.get("project", {}).get("execute-dir") == "project":
        return doc.project_root
    return doc.path.parent
