"""Both routes give the same briefing: the built-in renderer against real Quarto.

Renders the seed briefing twice, into separate folders, and compares what a
reader sees: headings, numbers, quotes with their offsets and translations,
figures, right-to-left blocks, and in both PDFs a clean layout (no text printed
over other text or into the footer).  Needs `quarto` on PATH (see issue 13 for
building one); skipped otherwise, with the reason in pytest's summary.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
import yaml
from conftest import NO_QUARTO
from lxml import etree
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
LATIN = re.compile("[A-Za-z]")
NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
XHTML = "{http://www.w3.org/1999/xhtml}"
CM = 72 / 2.54


# --- what a reader sees in an HTML page -------------------------------------------------------

def squash(text: str) -> str:
    return " ".join(text.split())


def content(path: Path):
    """The document body without navigation, title block, scripts or styles.

    Quarto puts it in <main id="quarto-document-content">, the built-in page in <main>.
    """
    root = lxml.html.parse(str(path)).getroot()
    main = (root.xpath("//main[@id='quarto-document-content']") or root.xpath("//main") or [root.find("body")])[0]
    for junk in main.xpath(".//nav | .//script | .//style | .//header[@id='title-block-header']"):
        junk.drop_tree()
    return root, main


def headings(main) -> list[str]:
    return [squash(h.text_content()) for h in main.xpath(".//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6")]


def tables(main) -> list[list[list[str]]]:
    return [[[squash(c.text_content()) for c in row.xpath("./th | ./td")] for row in t.xpath(".//tr")]
            for t in main.xpath(".//table")]


def captions(main, kind: str) -> list[tuple[str, str]]:
    """(id, caption) of every #fig-/#tbl- target, in order."""
    out = []
    for el in main.xpath(f".//*[starts-with(@id, '{kind}-') and not(contains(@id, '-caption-'))]"):
        cap = el.xpath(".//figcaption | .//caption")
        out.append((el.get("id"), squash(cap[0].text_content()) if cap else ""))
    return out


def quotes(main) -> list[dict]:
    out = []
    for q in main.xpath(".//div[contains(concat(' ', @class, ' '), ' quote ')]"):
        arabic = q.xpath("./div[@lang='ar' or @dir='rtl']")
        english = q.xpath("./div[contains(concat(' ', @class, ' '), ' english ')]")  # English first, original beneath
        offsets = q.xpath(".//*[contains(concat(' ', @class, ' '), ' offsets ')]")  # the HTML's anchor line
        cite = squash(q.xpath(".//*[contains(@class, 'cite')]")[0].text_content())
        out.append({
            "dir": [a.get("dir") for a in arabic],
            "original": squash(" ".join(a.text_content() for a in arabic)),
            "translation": squash(english[0].text_content()) if english else "",
            "cite": cite,
            "offsets": squash(offsets[0].text_content()) if offsets else "",
        })
    return out


def unmarked_arabic(main) -> list[str]:
    """Mostly-Arabic text with no dir="rtl" on it or on any element around it.

    A few Arabic words inside an English phrase (the codebook's glosses) read
    fine left to right; a run that is mostly Arabic does not.
    """
    bad = []
    for node in main.xpath(".//text()[string-length(normalize-space()) > 0]"):
        if len(ARABIC.findall(node)) > len(LATIN.findall(node)) and not node.getparent().xpath("ancestor-or-self::*[@dir='rtl']"):
            bad.append(squash(node)[:60])
    return bad


# --- what a PDF page shows --------------------------------------------------------------------

def pdf_words(pdf: Path):
    """Per page: (width, height, [(box, word)]) from pdftotext -bbox-layout."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True, huge_tree=True))
    for page in root.iter(XHTML + "page"):
        words = [(tuple(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")), w.text or "")
                 for w in page.iter(XHTML + "word")]
        yield float(page.get("width")), float(page.get("height")), words


def overprinted(words, share=0.2) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap by more than ``share`` of the smaller one.

    pdftotext cuts a line of Arabic into pieces whose boxes nest in each other
    (marks such as tanwin come out on their own); two Arabic words on the same
    baseline are therefore not counted.
    """
    found = []
    words = sorted(words, key=lambda w: w[0][1])
    for i, (a, ta) in enumerate(words):
        for b, tb in words[i + 1:]:
            if b[1] >= a[3]:
                break
            w, h = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
            if w <= 0 or h <= 0 or (ARABIC.search(ta) and ARABIC.search(tb) and abs(a[3] - b[3]) < 0.5):
                continue
            if w * h > share * min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])):
                found.append((ta, tb))
    return found


def length_pt(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(cm|mm|in|pt)", str(value)).groups()
    return float(number) * {"cm": CM, "mm": CM / 10, "in": 72, "pt": 1}[unit]


def bottom_margin_pt() -> float:
    margin = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))["format"]["typst"]["margin"]
    return length_pt(margin.get("bottom", margin.get("y")))


def layout_faults(pdf: Path) -> list[str]:
    """Words printed over other words, and anything but the page number below the text area."""
    faults = []
    bottom = bottom_margin_pt()
    for n, (_, height, words) in enumerate(pdf_words(pdf), 1):
        faults += [f"page {n}: {a!r} printed over {b!r}" for a, b in overprinted(words)[:3]]
        footer = [t for box, t in words if box[1] > height - bottom]
        if footer != [str(n)]:
            faults.append(f"page {n}: footer holds {footer[:6]} (only the page number belongs there)")
    return faults


def outline(pdf: Path) -> list[str]:
    """The PDF's bookmarks (Typst makes one per heading), flattened in order."""
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield squash(item.title)
    return list(walk(PdfReader(str(pdf)).outline))


# --- the tests --------------------------------------------------------------------------------

def test_overprint_check_catches_a_table_printed_over_itself():
    # Written for testing: two rows of a table drawn on the same spot, and a page number alone.
    words = [((70, 700, 110, 711), "Firas"), ((72, 700, 95, 711), "an"), ((300, 790, 306, 800), "7")]
    assert overprinted(words) == [("Firas", "an")]
    # Arabic pieces on one baseline nest in each other in pdftotext's output: not a fault.
    assert overprinted([((100, 500, 300, 518), "فضلًا عن ذلك"), ((280, 500, 290, 518), "لً")]) == []
    # Arabic on two different lines overlapping is one.
    assert overprinted([((100, 500, 300, 518), "فضلًا عن ذلك"), ((100, 506, 300, 524), "كلذ")]) != []


def test_lengths_read_as_typst_reads_them():
    assert round(length_pt("2.54cm"), 6) == 72
    assert length_pt("1.25in") == 90
    assert length_pt("10.5pt") == 10.5


requires_quarto = pytest.mark.skipif(
    shutil.which("quarto") is None,
    reason="the cross-route comparison needs a real Quarto; " + NO_QUARTO,
)


@pytest.fixture(scope="module")
def routes(tmp_path_factory):
    """Render the seed briefing with each route into its own folder."""
    env = {**os.environ, "QUARTO_PYTHON": sys.executable}  # the project's interpreter, with analysis importable
    made = {}
    for route, flags in (("builtin", ["--builtin"]), ("quarto", [])):
        out = tmp_path_factory.mktemp(route)
        proc = subprocess.run([sys.executable, "-m", "analysis", "render", "--out", str(out), *flags],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert ("Quarto" if route == "quarto" else "built-in") in proc.stderr
        made[route] = {"html": out / "report.html", "pdf": out / "report.pdf"}
    return made


@pytest.fixture(scope="module")
def pages(routes):
    return {route: content(files["html"])[1] for route, files in routes.items()}


@requires_quarto
def test_same_headings_in_the_same_order(routes, pages):
    built, quarto = headings(pages["builtin"]), headings(pages["quarto"])
    assert built[:3] == ["Bottom line", "Key judgments", "The outlets"]
    assert built[-1] == "For the analyst: changes since the last render"  # the analyst's panel, HTML only
    assert built == quarto
    # The PDFs' bookmarks hold the same headings, less the HTML-only panel (page 1 of the PDF sets the
    # outlet table before the key judgments, the HTML after them), in the same order in both routes.
    assert outline(routes["builtin"]["pdf"]) == outline(routes["quarto"]["pdf"])
    assert sorted(outline(routes["builtin"]["pdf"])) == sorted(built[:-1])


@requires_quarto
def test_same_tables_cell_for_cell(pages):
    built, quarto = tables(pages["builtin"]), tables(pages["quarto"])
    assert len(built) >= 8
    assert built == quarto
    assert captions(pages["builtin"], "tbl") == captions(pages["quarto"], "tbl")


def pdf_numbers(pdf: Path) -> Counter:
    """Every number printed in the text area (page numbers left out)."""
    bottom = bottom_margin_pt()
    return Counter(n for _, height, words in pdf_words(pdf)
                   for box, word in words if box[1] <= height - bottom for n in NUMBER.findall(word))


@requires_quarto
def test_same_numbers_in_tables_and_prose(routes, pages):
    built = Counter(NUMBER.findall(pages["builtin"].text_content()))
    quarto = Counter(NUMBER.findall(pages["quarto"].text_content()))
    assert sum(built.values()) > 500
    assert built - quarto == Counter() and quarto - built == Counter()
    built_pdf, quarto_pdf = pdf_numbers(routes["builtin"]["pdf"]), pdf_numbers(routes["quarto"]["pdf"])
    assert sum(built_pdf.values()) > 500
    # A table that breaks across pages repeats its header row there: the routes break pages a little
    # differently, so a header's numbers (an outlet named Arab48) may print once more in one of them.
    assert sum((built_pdf - quarto_pdf).values()) + sum((quarto_pdf - built_pdf).values()) <= 2


@requires_quarto
def test_same_quotes_with_offsets_and_translations(pages):
    built, quarto = quotes(pages["builtin"]), quotes(pages["quarto"])
    assert len(built) >= 20
    assert built == quarto
    for q in built:
        # Each quote names its file and offsets, and is that slice of the article (marks aside).
        path, start, end = re.search(r"(articles/\S+\.txt) \[(\d+):(\d+)\]", q["offsets"]).groups()
        text = (ROOT / "data" / path).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        assert squash(text[int(start):int(end)]) == q["original"], q["cite"]
        assert q["translation"] and q["dir"] == ["rtl"]


@requires_quarto
def test_same_figures(pages):
    built, quarto = captions(pages["builtin"], "fig"), captions(pages["quarto"], "fig")
    assert [i for i, _ in built][:3] == ["fig-timeline", "fig-heatmap", "fig-sourcing"]
    assert built == quarto
    for page in pages.values():
        for fig_id, _ in built:
            (el,) = page.xpath(f".//*[@id='{fig_id}']")
            assert el.xpath(".//img[starts-with(@src, 'data:image/')]"), f"{fig_id} has no embedded image"


@requires_quarto
def test_arabic_blocks_are_rtl_in_both_html_files(pages):
    for route, page in pages.items():
        blocks = page.xpath(".//div[@lang='ar' or contains(@class, 'arabic')]")
        assert len(blocks) >= 20, route
        assert {b.get("dir") for b in blocks} == {"rtl"}, route
        assert unmarked_arabic(page) == [], route
    assert len(pages["builtin"].xpath(".//*[@dir='rtl']")) == len(pages["quarto"].xpath(".//*[@dir='rtl']"))


@requires_quarto
def test_both_pdfs_share_the_page_and_a_clean_layout(routes):
    readers = {route: PdfReader(str(files["pdf"])) for route, files in routes.items()}
    sizes = {route: {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in r.pages}
             for route, r in readers.items()}
    assert sizes == {"builtin": {(595, 842)}, "quarto": {(595, 842)}}  # A4, as _quarto.yml says
    built, quarto = len(readers["builtin"].pages), len(readers["quarto"].pages)
    assert abs(built - quarto) <= 0.1 * max(built, quarto), (built, quarto)
    for route, files in routes.items():
        assert layout_faults(files["pdf"]) == [], route
