"""Fonts with Arabic coverage, looked up at fixed paths.

Every machine that has the same Debian packages picks the same files, so the
PDF, the HTML and the matplotlib figures come out the same.  The order is the
order of preference: Noto Naskh Arabic (fonts-noto-core), Amiri
(fonts-hosny-amiri), then the DejaVu Sans that ships inside matplotlib, which
is always there, so the list is never empty.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Font:
    """One family: its files, the upright regular one first."""

    family: str
    files: tuple[Path, ...]

    @property
    def regular(self) -> Path:
        return self.files[0]


def _mpl_ttf_dir() -> Path:
    # find_spec instead of import: importing matplotlib costs a noticeable moment.
    spec = importlib.util.find_spec("matplotlib")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


# (family, directories to look in, file names with the regular one first)
_CANDIDATES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Noto Naskh Arabic",
        ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto"),
        ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    ),
    (
        "Amiri",
        ("/usr/share/fonts/opentype/fonts-hosny-amiri", "/usr/share/fonts/truetype/fonts-hosny-amiri"),
        ("Amiri-Regular.ttf", "Amiri-Bold.ttf", "Amiri-Slanted.ttf", "Amiri-BoldSlanted.ttf"),
    ),
    (
        "DejaVu Sans",
        (),  # filled in from matplotlib below
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"),
    ),
)

# Families a reader's browser may have even when this machine has not.
CSS_FAMILIES = tuple(family for family, _, _ in _CANDIDATES)


@lru_cache(maxsize=None)
def arabic_fonts() -> tuple[Font, ...]:
    """The installed candidates, in order of preference (DejaVu Sans always last)."""
    found = []
    for family, dirs, names in _CANDIDATES:
        dirs = dirs or (str(_mpl_ttf_dir()),)
        for d in map(Path, dirs):
            if (d / names[0]).is_file():
                files = tuple(d / n for n in names if (d / n).is_file())
                found.append(Font(family, files))
                break
    return tuple(found)


def arabic_font_paths() -> list[Path]:
    """The regular file of each installed candidate, in order of preference."""
    return [f.regular for f in arabic_fonts()]


def arabic_font_families() -> list[str]:
    return [f.family for f in arabic_fonts()]


def typst_font_dirs() -> list[Path]:
    """Directories for typst's ``font_paths``.

    Typst only takes directories, and the Noto one holds hundreds of fonts that
    typst would then fall back to silently.  So this is one directory of links
    to exactly the chosen files, named after the file list so runs reuse it.
    """
    files = [p.resolve() for f in arabic_fonts() for p in f.files]
    digest = hashlib.sha256("\n".join(map(str, files)).encode()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"analysis-typst-fonts-{digest}"
    if not target.is_dir():
        staging = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
        staging.chmod(0o755)  # shared /tmp: other users reuse the same links
        for p in files:
            (staging / p.name).symlink_to(p)
        try:
            os.rename(staging, target)
        except OSError:  # another process won the race; its links are the same
            for link in staging.iterdir():
                link.unlink()
            staging.rmdir()
    return [target]


def css_font_stack() -> str:
    """CSS ``font-family`` value for Arabic text.

    It names every candidate, installed here or not: the browser that resolves
    it runs on the reader's machine.
    """
    return ", ".join(f'"{family}"' for family in CSS_FAMILIES) + ", serif"


def matplotlib_font_family() -> list[str]:
    """Register the fonts with matplotlib and return a ``font.family`` list.

    The best Arabic font comes first because matplotlib falls back glyph by
    glyph and DejaVu Sans would otherwise win for Arabic letters too; Noto
    Naskh Arabic has no Latin letters (it has digits), so Latin words still
    come out in DejaVu Sans.  matplotlib >= 3.11 shapes and orders Arabic
    itself: pass plain strings, not arabic-reshaper/python-bidi output.
    """
    _register_with_matplotlib(arabic_fonts())
    families = arabic_font_families()
    return list(dict.fromkeys([families[0], "DejaVu Sans"]))


@lru_cache(maxsize=None)
def _register_with_matplotlib(chosen: tuple[Font, ...]) -> None:
    # Once per font set: addfont appends, it does not deduplicate.
    from matplotlib import font_manager

    for font in chosen:
        for path in font.files:
            font_manager.fontManager.addfont(str(path))


@lru_cache(maxsize=None)
def covered_codepoints(families: tuple[str, ...]) -> frozenset[int]:
    """Code points that at least one of the named installed families maps."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for font in arabic_fonts():
        if font.family in families:
            with TTFont(font.regular, lazy=True) as tt:
                covered.update(tt.getBestCmap())
    return frozenset(covered)
