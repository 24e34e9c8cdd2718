"""Typst source -> PDF with the `typst` package, plus the checks typst skips."""
from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from pathlib import Path

import typst

from analysis.report import fonts

from .errors import RenderError

# The Latin serif typst embeds; fonts.arabic_font_families() follow it.
LATIN_FAMILY = "Libertinus Serif"
# The source line a typst error points at, from its diagnostic ("118 │ #cite(...)").
_SOURCE_LINE = re.compile(r"^error:.*?^\s*\d+ │ (.*?)$", re.S | re.M)


# An image call pandoc wrote (a data string cannot: pandoc escapes its quotes and '#').
_IMAGE = re.compile(r'\bimage\("(/[^"\\]+)"')


def confine_images(typ: Path) -> None:
    """Point every image at a path inside the .typ file's folder, the root typst is given.

    typst-images.lua writes absolute paths; under a root, typst reads "/x" as
    root/x.  An image from outside the folder is copied in first.
    """
    root = typ.parent.resolve()
    source = typ.read_text(encoding="utf-8")

    def inside(m: re.Match) -> str:
        path = Path(m.group(1))
        if not path.is_file():
            return m.group(0)  # typst names the missing file
        resolved = path.resolve()
        if not resolved.is_relative_to(root):
            copy = root / "_images" / (hashlib.sha256(str(resolved).encode()).hexdigest()[:16] + resolved.suffix)
            copy.parent.mkdir(exist_ok=True)
            shutil.copyfile(resolved, copy)
            resolved = copy
        return f'image("/{resolved.relative_to(root).as_posix()}"'

    confined = _IMAGE.sub(inside, source)
    if confined != source:
        typ.write_text(confined, encoding="utf-8")


def font_families() -> list[str]:
    return [LATIN_FAMILY, *fonts.arabic_font_families()]


def compile_pdf(typ: Path, pdf: Path) -> list[str]:
    """Compile; return typst's warnings and any characters no font can draw.

    Typst's root is the render folder: a document cannot read any file outside it.
    """
    confine_images(typ)
    try:
        _, warnings = typst.compile_with_warnings(
            str(typ),
            output=str(pdf),
            root=str(typ.parent.resolve()),
            font_paths=[str(d) for d in fonts.typst_font_dirs()],
            ignore_system_fonts=True,  # same fonts on every machine
        )
    except typst.TypstError as e:
        line = _SOURCE_LINE.search(e.diagnostic or "")
        source = f"\n    in the generated Typst: {line.group(1).strip()}" if line else ""
        raise RenderError(f"typst failed: {e.message}{source}", e.diagnostic or str(e)) from None
    return [f"typst: {w.message}" for w in warnings] + missing_glyphs(typ.read_text(encoding="utf-8"))


def missing_glyphs(text: str) -> list[str]:
    """Typst draws a blank box for a character no font has, and says nothing.

    Checks every non-ASCII character of the source against the installed
    families' cmaps (the embedded Latin serif is not checked; DejaVu Sans
    covers what it covers).
    """
    covered = fonts.covered_codepoints(tuple(fonts.arabic_font_families()))
    missing = sorted(
        {c for c in text if ord(c) > 0x7E and ord(c) not in covered and unicodedata.category(c)[0] not in "CZ"}
    )
    return [f"typst: no font has a glyph for U+{ord(c):04X} {unicodedata.name(c, '?')} ({c})" for c in missing]
