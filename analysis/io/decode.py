"""Bytes to text for files an analyst brings in (saved pages, exports): the encoding is found, not assumed.

Order: a byte-order mark; for HTML the ``<meta charset>`` the page declares; strict UTF-8; then
charset-normalizer's guess from the bytes.  Never decoded "with replacement": a file no encoding
fits is refused with the ``iconv`` fix.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from analysis.io.errors import InputError, Problem

_META = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
SAMPLE = 1 << 20  # bytes looked at to guess a large file's encoding


def _fix(name: str) -> str:
    return (f"convert it to UTF-8, e.g. iconv -f WINDOWS-1256 -t UTF-8 '{name}' > '{Path(name).stem}.utf8"
            f"{Path(name).suffix}' (use the encoding the file was saved in), then give that file")


def bom_encoding(raw: bytes) -> str | None:
    return next((enc for bom, enc in _BOMS if raw.startswith(bom)), None)


def declared_html_encoding(raw: bytes) -> str | None:
    m = _META.search(raw[:8192])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None


def guess_encoding(raw: bytes, path: Path | str, html: bool = False) -> str:
    """The encoding of ``raw`` (a whole file or its first bytes); raises InputError if none fits."""
    enc = bom_encoding(raw) or (declared_html_encoding(raw) if html else None)
    if enc:
        return enc
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if len(raw) >= SAMPLE and e.start > len(raw) - 4:
            return "utf-8"  # a character cut by the end of the sample
    from charset_normalizer import from_bytes
    best = from_bytes(raw[:SAMPLE]).best()
    if best is None or best.encoding in ("ascii", "utf_8"):
        raise InputError(Problem(str(path), None, "the text encoding cannot be recognised (not UTF-8, no "
                                 "byte-order mark, no declared charset)", _fix(str(path))))
    return best.encoding


def decode(raw: bytes, path: Path | str, html: bool = False) -> str:
    """The whole file as text, decoded strictly in its encoding."""
    enc = guess_encoding(raw, path, html)
    try:
        return raw.decode(enc)
    except (UnicodeDecodeError, LookupError) as e:
        where = getattr(e, "start", None)
        line = raw[:where].count(b"\n") + 1 if where is not None else None
        raise InputError(Problem(str(path), line, f"not valid {enc} (the encoding {'declared' if html else 'found'}"
                                 f" for this file) at byte {where}", _fix(str(path)))) from None
