"""The seed briefing, rendered once with the built-in renderer, checked as a reader would."""
from __future__ import annotations

import re
import shutil
import unicodedata
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ["Bottom line", "The outlets", "Key judgments", "Voices by camp", "Frames by outlet", "The postman framing",
            "Withdrawal timelines", "Rocket attacks", "Sourcing", "Other frames", "Validation", "Methods in brief",
            "Appendix A: Evidence", "Appendix B: Who says what", "Appendix C: Disagreements",
            "Appendix D: Methods", "Appendix E: Codebook", "Appendix F: Provenance"]
FIGURES = ["fig-timeline", "fig-heatmap", "fig-sourcing"]


def render(out: Path, data: Path = ROOT / "data", *extra) -> int:
    return main(["render", "--data", str(data), "--out", str(out), "--quiet", "--builtin", *extra])


@pytest.fixture(scope="module")
def briefing(tmp_path_factory):
    out = tmp_path_factory.mktemp("briefing")
    assert render(out) == 0
    assert main(["code", "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def html(briefing):
    return (briefing / "report.html").read_text(encoding="utf-8")


def test_every_section_is_there(html):
    for s in SECTIONS:
        assert re.search(rf"<h2[^>]*>\s*{re.escape(s)}", html), s


def test_every_figure_is_embedded(html):
    for fig in FIGURES:
        m = re.search(rf'id="{fig}".*?<img[^>]+src="([^"]+)"', html, re.S)
        assert m, fig
        assert m.group(1).startswith("data:image/")
    assert not re.search(r'<(?:img|script|link)[^>]+(?:src|href)="(?!data:|#)', html)  # self-contained


def test_arabic_quotes_sit_in_rtl_blocks(html):
    blocks = re.findall(r'<div[^>]*dir="rtl"[^>]*>(.*?)</div>', html, re.S)
    assert blocks
    text = " ".join(unescape(re.sub(r"<[^>]+>", "", " ".join(blocks))).split())
    assert "نحن لا نلعب دور ساعي البريد في العراق" in text
    assert "لن يكون ساعي بريد" in text


def test_numbers_in_the_html_equal_the_tables(html, briefing):
    counts = pd.read_csv(briefing / "tables" / "outlet_frame.csv")
    total_postman = int(counts[counts.frame == "postman"].sentences.sum())
    outlets = int((counts[counts.frame == "postman"].sentences > 0).sum())
    n_outlets = counts.outlet.nunique()
    flat = " ".join(re.sub(r"</?a\b[^>]*>", "", html).split())  # the numbers link to their evidence
    assert f"Postman.</strong> {outlets} of {n_outlets} outlets carry the frame" in flat
    stances = pd.read_csv(briefing / "tables" / "frame_sentences.csv")
    denied = int(((stances.frame == "postman") & (stances.stance == "denied")).sum())
    assert f"{denied} of its {total_postman} sentences are denials" in flat
    table = re.search(r'class="ev-heatmap".*?</table>', html, re.S).group(0)
    for r in counts[counts.sentences > 0].itertuples():
        assert re.search(rf'title="{re.escape(r.outlet)} · [^"]*">{r.sentences}</a><small>{100 * r.share:.0f}%</small>',
                         table), (r.outlet, r.frame)


def test_pdf_has_the_quoted_arabic_and_no_missing_glyphs(briefing):
    from pypdf import PdfReader
    reader = PdfReader(briefing / "report.pdf")
    assert len(reader.pages) > 5
    w, h = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(w), round(h)) == (595, 842)  # A4
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages))
    # extraction may reverse an RTL run; each word must be there in one order or the other
    for word in ["ساعي", "البريد", "نلعب", "الكاتيوشا"]:
        assert word in text or word[::-1] in text, word


def test_render_reports_no_warnings(tmp_path, capsys):
    assert render(tmp_path, ROOT / "data", "--to", "pdf") == 0
    err = capsys.readouterr().err
    assert "warning" not in err.lower(), err


def test_article_text_is_escaped(tmp_path, data_copy):
    hostile = ("وقال الكاظمي إن العراق لن يكون ساعي بريد بين طهران وواشنطن "
               "<script>alert('x')</script> <img src=x onerror=alert(1)> <!-- hidden -->")
    p = data_copy / "articles/004_fb623174a5c9094e.txt"
    p.write_text(hostile + "\n" + p.read_text(encoding="utf-8"), encoding="utf-8")
    (data_copy / "gold.csv").unlink()          # it points at the old offsets of 004
    (data_copy / "translations.csv").unlink()
    assert render(tmp_path, data_copy, "--to", "html") == 0
    html = " ".join((tmp_path / "report.html").read_text(encoding="utf-8").split())
    assert "<script>alert" not in html and "<img src=x" not in html and "<!-- hidden" not in html
    # shown as text (the "!" of the comment ends a sentence, so it is quoted in two pieces)
    assert "&lt;script&gt;alert(" in html and "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;!" in html
    assert "translation missing" in html  # no translation is invented


def test_two_renders_give_identical_tables_and_figures(tmp_path):
    def snapshot():
        files = sorted((tmp_path / "tables").glob("*.csv")) + sorted((tmp_path / "figures").glob("*.[ps][nv]g"))
        return {f.name: f.read_bytes() for f in files}
    assert render(tmp_path) == 0 and main(["code", "--out", str(tmp_path), "--quiet"]) == 0
    first = snapshot()
    shutil.rmtree(tmp_path / ".cache")
    assert render(tmp_path, ROOT / "data", "--force") == 0 and main(["code", "--out", str(tmp_path), "--quiet"]) == 0
    assert snapshot() == first
    assert len(first) > 10


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed")
def test_in_a_real_browser(briefing):
    from playwright.sync_api import sync_playwright
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((briefing / "report.html").as_uri())
        images = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
        dirs = page.eval_on_selector_all(".quote div[dir=rtl]", "els => els.map(e => getComputedStyle(e).direction)")
        browser.close()
    assert errors == []
    assert images and all(images)
    assert dirs and set(dirs) == {"rtl"}


def test_bad_input_leaves_the_previous_briefing(briefing, data_copy, capsys):
    before = {p.name: p.read_bytes() for p in briefing.glob("report.*")}
    (data_copy / "articles/000_1f50c9dbfb2fc940.txt").write_bytes(b"broken \xc3\x28 text")
    assert render(briefing, data_copy) == 2
    err = capsys.readouterr().err
    assert "000_1f50c9dbfb2fc940.txt:1: not valid UTF-8 at byte offset 7" in err
    assert "left as they were" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in briefing.glob("report.*")} == before


def test_a_render_with_nothing_changed_keeps_the_briefing(briefing, data_copy):
    made = {p.name: p.stat().st_mtime_ns for p in briefing.glob("report.*")}
    tables = {p.name: p.stat().st_mtime_ns for p in (briefing / "tables").iterdir()}
    assert render(briefing) == 0  # same data, same document: nothing to do
    assert {p.name: p.stat().st_mtime_ns for p in briefing.glob("report.*")} == made
    # known before coding: nothing was coded (the check once missed the kernel's environment, so every
    # such render coded through the cache and rewrote the tables before its route found nothing changed)
    assert {p.name: p.stat().st_mtime_ns for p in (briefing / "tables").iterdir()} == tables
    # The same data from another folder, with one article broken: checked and refused, not skipped.
    (data_copy / "articles/000_1f50c9dbfb2fc940.txt").write_bytes(b"broken \xc3\x28 text")
    assert render(briefing, data_copy) == 2
    assert {p.name: p.stat().st_mtime_ns for p in briefing.glob("report.*")} == made


def test_arabic_inside_a_table_cell_is_an_rtl_span():
    from analysis.report import markdown as md
    # Written for testing: a details cell, Arabic cue words with their marker.
    out = md.table(pd.DataFrame({"Perpetrator": ["الفصائل المسلحة (untranslated)", "Green Zone"]}))
    assert '| [الفصائل المسلحة]{dir="rtl" lang="ar"} \\(untranslated\\) |' in out
    assert "| Green Zone |" in out
