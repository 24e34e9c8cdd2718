"""Executed cells -> one pandoc-markdown document, following Quarto's output rules.

Images are written next to the document under ``figures/``.  A labelled
fig-/tbl- cell becomes a Quarto div figure/table (``::: {#fig-x}`` with the
caption as last paragraph); ``crossref.lua`` numbers those later.
"""
from __future__ import annotations

import base64
import re
from pathlib import Path

import yaml

from .qmd import INLINE, Cell, Document

# HTML shows the first one present; typst-images.lua swaps in a vector sibling.
_IMAGE_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/svg+xml": ".svg",
    "application/pdf": ".pdf",
}


def assemble(doc: Document, build: Path, warn) -> str:
    """The whole document as pandoc markdown; ``warn`` receives what looks off."""
    parts = [front_matter(doc.metadata)] if doc.metadata else []
    for n, cell in enumerate(doc.cells):
        if cell.kind == "code":
            parts.append(_code_cell(doc, cell, n, build, warn))
        elif cell.inline:
            parts.append(substitute(cell.source, cell.inline))
        else:
            parts.append(cell.source)
    return "\n\n".join(p for p in parts if p) + "\n"


def substitute(source: str, results: dict[str, dict]) -> str:
    """Put each inline expression's value in its place, as Quarto does.

    text/markdown is taken as it is; text/plain as text, except that a string's
    repr loses its quotes and has markdown punctuation escaped.  (One markdown
    feeds HTML and PDF here, so text/html is not preferred as Quarto's HTML does.)
    An empty value leaves the expression as written, again as Quarto does.
    """
    def value(m):
        data = results.get(m.group(2).strip(), {})
        text = data["text/markdown"] if "text/markdown" in data else _escaped(data.get("text/plain", ""))
        return m.group(1) + text if text else m.group(0)
    return INLINE.sub(value, source)


def _escaped(s: str) -> str:
    """Quarto's asEscapedMarkdown: a quoted repr -> escaped text; anything else unchanged.

    (A backslash of the value comes out as two, as under Quarto 1.10: the repr doubles it.)"""
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        s = s[1:-1]
        return re.sub(r"([\\`*_{}\[\]()>#+,\-.!])", r"\\\1", s)  # Quarto's class has the range +-. (so ",")
    return s


def front_matter(metadata: dict) -> str:
    """The front matter as pandoc metadata, Quarto's author maps reduced to names."""
    meta = dict(metadata)
    if "author" in meta:
        authors = meta["author"] if isinstance(meta["author"], list) else [meta["author"]]
        meta["author"] = [a.get("name", "") if isinstance(a, dict) else a for a in authors]
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---"


def fenced(text: str, lang: str = "") -> str:
    """A code block whose fence is longer than any backtick run inside it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{text.rstrip()}\n{fence}"


def _code_cell(doc: Document, cell: Cell, n: int, build: Path, warn) -> str:
    config = doc.config
    for out in cell.outputs:  # never in the document (Quarto: warning: false), but worth a look
        if out.get("name") == "stderr":
            warn(f"{doc.where(cell)} wrote to stderr: {out['text'].strip()[:300]}")
    if cell.option("include", config, True) is False:
        return ""
    blocks = []
    if cell.option("echo", config, False) is True:
        blocks.append(fenced(cell.code, "python"))
    if cell.option("output", config, True) is False:
        return "\n\n".join(blocks)

    asis = cell.option("output", config) == "asis"
    body = [b for k, out in enumerate(_coalesce(cell.outputs)) if (b := _output(out, asis, f"cell{n}-{k}", build))]

    label = cell.label or ""
    kind = label.split("-", 1)[0]
    if kind in ("fig", "tbl"):
        caption = cell.options.get(f"{kind}-cap")
        if caption is None:
            warn(f"{doc.where(cell)} has no {kind}-cap")
        inner = "\n\n".join(body + ([str(caption)] if caption is not None else []))
        blocks.append(f"::: {{#{label}}}\n{inner}\n:::")
    elif "fig-cap" in cell.options and body:
        # An unlabelled captioned image is an unnumbered figure (its alt text is the caption).
        blocks.append(re.sub(r"^!\[\]", f"![{cell.options['fig-cap']}]", body[0]))
        blocks.extend(body[1:])
    else:
        blocks.extend(body)
    return "\n\n".join(blocks)


def _coalesce(outputs: list) -> list[dict]:
    """Join consecutive stream chunks: a table printed row by row is one block."""
    merged: list[dict] = []
    for out in outputs:
        if out["output_type"] == "stream" and merged and merged[-1].get("name") == out["name"]:
            merged[-1] = {**merged[-1], "text": merged[-1]["text"] + out["text"]}
        else:
            merged.append(out)
    return merged


def _output(out: dict, asis: bool, stem: str, build: Path) -> str:
    if out["output_type"] == "stream":
        if out["name"] != "stdout":
            return ""
        return out["text"].strip("\n") if asis else fenced(out["text"])
    data = out.get("data", {})
    if "text/markdown" in data:
        return data["text/markdown"].strip("\n")
    images = [mime for mime in _IMAGE_TYPES if mime in data]
    if images:
        for mime in images:
            _save(data[mime], mime, build / "figures" / (stem + _IMAGE_TYPES[mime]))
        return f"![](figures/{stem}{_IMAGE_TYPES[images[0]]})"
    text = data.get("text/plain", "")
    if not text:
        return ""
    return text if asis else fenced(text)


def _save(payload: str, mime: str, path: Path) -> None:
    path.parent.mkdir(exist_ok=True)
    if mime == "image/svg+xml":
        path.write_text(payload, encoding="utf-8")
    else:
        path.write_bytes(base64.b64decode(payload))
