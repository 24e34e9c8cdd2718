"""analysis.report.fonts: the chosen fonts really draw Arabic, and degrade to DejaVu Sans."""
from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest
import typst
from fontTools.ttLib import TTFont

from analysis.report import fonts

ROOT = Path(__file__).resolve().parents[1]
# The 28 letters plus hamza forms, taa marbuta and alef maqsura (U+0621..U+064A).
ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x064B) if c not in range(0x063B, 0x0640)]
SAMPLE = "نحن لا نلعب دور ساعي البريد"


@pytest.fixture
def fresh_cache():
    fonts.arabic_fonts.cache_clear()
    fonts.covered_codepoints.cache_clear()
    yield
    fonts.arabic_fonts.cache_clear()
    fonts.covered_codepoints.cache_clear()


def test_fonts_found_in_order_of_preference():
    families = fonts.arabic_font_families()
    assert families == [f for f in fonts.CSS_FAMILIES if f in families]
    assert families[-1] == "DejaVu Sans"
    dejavu = fonts.arabic_fonts()[-1].regular
    assert dejavu == Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


@pytest.mark.parametrize("path", fonts.arabic_font_paths(), ids=lambda p: p.name)
def test_each_chosen_font_has_arabic_glyphs(path):
    with TTFont(path, lazy=True) as font:
        cmap = font.getBestCmap()
        missing = [c for c in ARABIC_LETTERS + list(SAMPLE.replace(" ", "")) if ord(c) not in cmap]
        assert not missing, f"{path.name} lacks {missing}"
        # Shaping needs glyph substitution tables, not just the base letters.
        assert "GSUB" in font


def test_first_choice_is_noto_naskh_when_installed():
    noto = Path("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf")
    if not noto.is_file():
        pytest.skip("fonts-noto-core not installed")
    assert fonts.arabic_font_paths()[0] == noto


def test_degrades_to_matplotlib_dejavu(monkeypatch, fresh_cache):
    monkeypatch.setattr(
        fonts,
        "_CANDIDATES",
        (("Noto Naskh Arabic", ("/nonexistent",), ("NotoNaskhArabic-Regular.ttf",)), fonts._CANDIDATES[-1]),
    )
    assert fonts.arabic_font_families() == ["DejaVu Sans"]
    assert fonts.matplotlib_font_family() == ["DejaVu Sans"]
    assert all(ord(c) in fonts.covered_codepoints(("DejaVu Sans",)) for c in ARABIC_LETTERS)


def test_typst_font_dir_holds_exactly_the_chosen_fonts():
    [directory] = fonts.typst_font_dirs()
    chosen = {p.name for f in fonts.arabic_fonts() for p in f.files}
    assert {p.name for p in directory.iterdir()} == chosen
    found = typst.Fonts(include_system_fonts=False, font_paths=[str(directory)]).families()
    assert set(fonts.arabic_font_families()) <= set(found)
    assert fonts.typst_font_dirs() == [directory]  # reused, not rebuilt


def test_css_stack_names_every_candidate_and_matches_report_css():
    stack = fonts.css_font_stack()
    assert all(f'"{family}"' in stack for family in fonts.CSS_FAMILIES)
    css = (ROOT / "analysis" / "render" / "report.css").read_text(encoding="utf-8")
    assert f"font-family: {stack};" in css


def test_matplotlib_finds_the_registered_fonts():
    from matplotlib import font_manager

    family = fonts.matplotlib_font_family()
    assert family[0] == fonts.arabic_font_families()[0] and family[-1] == "DejaVu Sans"
    path = font_manager.findfont(family[0], fallback_to_default=False)
    assert Path(path).resolve() == fonts.arabic_fonts()[0].regular.resolve()
