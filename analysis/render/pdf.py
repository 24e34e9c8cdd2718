"""Typst source -> PDF with the `typst` package, plus the checks typst skips."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import typst

from analysis import fonts

from .errors import RenderError

# The Latin serif typst embeds; fonts.arabic_font_families() follow it.
LATIN_FAMILY = "Libertinus Serif"
_LOCATION = re.compile(r"error:.*?┌─ (\S+)", re.S)


def font_families() -> list[str]:
    return [LATIN_FAMILY, *fonts.arabic_font_families()]


def compile_pdf(typ: Path, pdf: Path) -> list[str]:
    """Compile; return typst's warnings and any characters no font can draw."""
    try:
        _, warnings = typst.compile_with_warnings(
            str(typ),
            output=str(pdf),
            root="/",  # typst-images.lua makes image paths absolute
            font_paths=[str(d) for d in fonts.typst_font_dirs()],
            ignore_system_fonts=True,  # same fonts on every machine
        )
    except typst.TypstError as e:
        where = _LOCATION.search(e.diagnostic or "")
        at = f" at {where.group(1)}" if where else ""
        raise RenderError(f"typst failed{at}: {e.message}", e.diagnostic or str(e)) from None
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
