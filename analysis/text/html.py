"""The main text of a saved web page (trafilatura), for `add` and `import` alike."""
from __future__ import annotations

from pathlib import Path

from analysis.io.decode import decode
from analysis.io.errors import InputError, Problem


def looks_like_html(raw: bytes, name: str = "") -> bool:
    head = raw.lstrip()[:15].lower()
    return name.lower().endswith((".html", ".htm")) or head.startswith((b"<!doctype", b"<html"))


def main_text(raw: bytes | str, where: Path | str) -> str:
    """The article's text from a page's bytes (encoding from BOM, meta charset or the bytes) or text."""
    import trafilatura
    page = raw if isinstance(raw, str) else decode(raw, where, html=True)
    text = trafilatura.extract(page, include_comments=False, include_tables=False)
    if not text:
        raise InputError(Problem(str(where), None, "no article text found in this HTML page",
                                 "save the article page itself (not a listing page), or paste the text into a .txt file"))
    return text + "\n"
