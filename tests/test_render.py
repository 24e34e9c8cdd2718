"""The built-in renderer, end to end on tests/fixtures/render/demo.qmd."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from analysis.render import RenderError, quarto_available, render, render_with_quarto
from analysis.render import pandoc as pandoc_mod
from analysis.render.assemble import fenced
from analysis.render.builtin import page_options
from analysis.render.pdf import missing_glyphs

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "render" / "demo.qmd"
RENDER_DIR = ROOT / "analysis" / "render"
ARABIC = "نحن لا نلعب دور ساعي البريد"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    messages: list[str] = []
    result = render(FIXTURE, out, log=messages.append)
    return result, messages, out


@pytest.fixture(scope="module")
def html(rendered):
    return rendered[0]["html"].read_text(encoding="utf-8")


class _Tree(HTMLParser):
    """Collects attributes of every tag and, for each text run, its ancestors."""

    VOID = {"img", "meta", "link", "br", "hr", "input", "col", "source"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.tags: list[tuple[str, dict]] = []
        self.texts: list[tuple[str, list[dict]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag not in self.VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if data.strip():
            self.texts.append((data, [a for _, a in self.stack]))


def _tree(html: str) -> _Tree:
    tree = _Tree()
    tree.feed(html)
    return tree


def test_outputs_and_log(rendered):
    result, messages, out = rendered
    assert result == {"html": out / "demo.html", "pdf": out / "demo.pdf"}
    assert all(p.is_file() and p.stat().st_size > 0 for p in result.values())
    assert not list(out.glob(".render-*")), "scratch dir left behind"
    log = "\n".join(messages)
    assert "built-in route" in log
    assert f"html -> {out / 'demo.html'}" in log and f"pdf -> {out / 'demo.pdf'}" in log
    assert re.search(r"done in [\d.]+s \(read .*execute .*pandoc .*typst", log)
    assert set(result.timings) >= {"read", "execute", "assemble", "pandoc", "typst"}


def test_no_warnings(rendered):
    # Covers typst's own warnings (unknown font family, ...), glyphs no font
    # has, pandoc's warnings and unresolved cross-references.
    assert rendered[0].warnings == []


def test_html_is_self_contained(html, rendered):
    tree = _tree(html)
    for tag, attrs in tree.tags:
        for key in ("src", "href"):
            value = attrs.get(key)
            if value is not None and not (tag == "a" and value == "demo.pdf"):
                assert value.startswith(("data:", "#")), f"<{tag} {key}={value[:60]!r}>"
    assert not any(tag == "link" and attrs.get("rel") == "stylesheet" for tag, attrs in tree.tags)
    # The one link out is to the PDF made in the same render, beside the page.
    assert [a["href"] for tag, a in tree.tags if tag == "a" and not a.get("href", "#").startswith("#")] == ["demo.pdf"]
    assert (rendered[2] / "demo.pdf").is_file()


def test_html_alone_links_to_no_pdf(tmp_path):
    out = render(FIXTURE, tmp_path, ("html",), quiet=True)
    assert ".pdf" not in out["html"].read_text(encoding="utf-8")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed")
def test_html_layout_in_a_browser(rendered):
    """Contents beside the text on a wide screen, after it on a phone (the bottom line first), gone in print."""
    from playwright.sync_api import sync_playwright

    def box(page, selector):
        return page.eval_on_selector(selector, "e => { const r = e.getBoundingClientRect();"
                                               " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,"
                                               " shown: getComputedStyle(e).display !== 'none'}; }")

    url = rendered[0]["html"].as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        wide = browser.new_page(viewport={"width": 1400, "height": 900})
        wide.goto(url)
        toc, main, para = box(wide, "nav#TOC"), box(wide, "main"), box(wide, "main p")
        assert toc["left"] >= main["right"]  # at the side
        assert toc["top"] < 200  # level with the top of the page
        assert para["right"] - para["left"] <= 44 * 17 + 1  # 44rem: about 75 characters a line
        assert wide.get_attribute(".other-formats a", "href") == "demo.pdf"
        wide.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        assert box(wide, "nav#TOC")["top"] >= 0  # it stays in view while reading
        narrow = browser.new_page(viewport={"width": 420, "height": 900})
        narrow.goto(url)
        toc, main = box(narrow, "nav#TOC"), box(narrow, "main")
        assert toc["top"] >= main["bottom"]  # after the text: the first screen is the briefing itself
        assert main["right"] <= 420
        narrow.emulate_media(media="print")
        assert box(narrow, ".sidebar")["shown"] is False
        callout = narrow.eval_on_selector(".callout", "e => getComputedStyle(e).borderLeftWidth")
        browser.close()
    assert callout == "5px"


def test_html_structure(html):
    tree = _tree(html)
    headings = [t for t, ancestors in tree.texts if any(a.get("id") in ("summary", "findings", "quotation") for a in ancestors)]
    assert {"Summary", "Findings", "Quotation"} <= set(headings)
    assert '<h1 class="title">Demo Briefing</h1>' in html
    assert 'id="TOC"' in html
    img = re.search(r'<figure id="fig-demo">\s*(<img [^>]*>)', html).group(1)
    assert 'src="data:image/png;base64,' in img and 'alt="Articles per week (demo data)"' in img
    assert "this cell runs but shows nothing" not in html  # include: false
    assert "import matplotlib" not in html  # echo: false


def test_html_crossrefs_and_captions(html):
    assert '<a href="#fig-demo">Figure 1</a>' in html
    assert html.count('<a href="#tbl-demo">Table 1</a>') == 2
    assert re.search(r"<figcaption[^>]*>Figure 1: Articles per week", html)
    assert re.search(r'<table id="tbl-demo">\s*<caption>Table 1: Articles per outlet</caption>', html)


def test_html_asis_output_and_escaping(html):
    assert "<strong>Printed markdown</strong>" in html
    assert "<li>second item</li>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_callout(html):
    assert re.search(
        r'<div class="callout callout-note">\s*<div class="callout-title">\s*What this shows\s*</div>', html
    )


def test_html_arabic_sits_in_rtl_element(html):
    runs = [ancestors for text, ancestors in _tree(html).texts if ARABIC in text]
    assert runs, "Arabic text missing from the HTML"
    assert all(any(a.get("dir") == "rtl" for a in ancestors) for ancestors in runs)


def _arabic_words(text: str) -> str:
    """The Arabic words of extracted PDF text, each as its sorted letters.

    NFKC folds presentation forms back to letters and the bidi controls some
    extractors add are dropped.  Letters are sorted because a ligature such
    as lam-alef may come out with its two letters swapped (pdftotext does so
    with DejaVu Sans); which letters, and which words in which order, still
    has to match.
    """
    words = re.findall(r"[\u0600-\u06FF]+", unicodedata.normalize("NFKC", text))
    return " ".join("".join(sorted(w)) for w in words)


def _has_arabic_line(text: str) -> bool:
    # Extractors give the line in logical or in visual (reversed) word order.
    found = _arabic_words(text)
    return _arabic_words(ARABIC) in found or _arabic_words(" ".join(reversed(ARABIC.split()))) in found


def test_pdf_is_a4_and_has_the_arabic_words(rendered):
    reader = PdfReader(rendered[0]["pdf"])
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert _has_arabic_line(text), text
    assert "Figure 1: Articles per week" in text and "Table 1: Articles per outlet" in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdftotext_finds_the_arabic_words(rendered):
    text = subprocess.run(
        ["pdftotext", str(rendered[0]["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert _has_arabic_line(text), text


def test_missing_glyphs_are_reported():
    assert missing_glyphs("plain ASCII and " + ARABIC) == []
    [warning] = missing_glyphs("a CJK character: 中")
    assert "U+4E2D" in warning


def _pandoc(markdown: str, to: str, *filters: str) -> subprocess.CompletedProcess:
    args = [pandoc_mod.pandoc_exe(), "-f", pandoc_mod.READER, "-t", to]
    args += [f"--lua-filter={RENDER_DIR / f}" for f in filters]
    return subprocess.run(args, input=markdown, capture_output=True, text=True, check=True)


def test_rtl_filter_right_aligns_in_typst_only():
    md = f'::: {{dir="rtl" lang="ar"}}\n{ARABIC}\n:::\n'
    typ = _pandoc(md, "typst", "rtl.lua").stdout
    assert '#set text(dir: rtl, lang: "ar")' in typ
    assert "#set par(justify: false)" in typ and "#align(right)[" in typ
    assert typ.index("#align(right)[") < typ.index(ARABIC)
    html = _pandoc(md, "html", "rtl.lua").stdout
    assert '<div dir="rtl" lang="ar">' in html


def test_unresolved_crossref_is_flagged():
    proc = _pandoc("See @fig-nowhere.\n", "html", "crossref.lua")
    assert "<strong>?@fig-nowhere</strong>" in proc.stdout
    assert "unresolved reference @fig-nowhere" in proc.stderr


def test_callout_title_attribute_and_typst_box():
    md = '::: {.callout-warning title="Mind the gap"}\nBody.\n:::\n'
    assert '<div class="callout-title">\nMind the gap\n</div>' in _pandoc(md, "html", "callouts.lua").stdout
    typ = _pandoc(md, "typst", "callouts.lua").stdout
    assert '#callout(kind: "warning")[' in typ and "#strong[Mind the gap]" in typ


def test_failing_cell_raises_and_keeps_previous_outputs(tmp_path):
    qmd = tmp_path / "bad.qmd"
    qmd.write_text(
        "---\ntitle: Bad\n---\n\nText.\n\n```{python}\n#| label: tbl-broken\nx = 1\ny = x / 0\n```\n",
        encoding="utf-8",
    )
    out = tmp_path / "_output"
    out.mkdir()
    previous = {out / "bad.html": "old html", out / "bad.pdf": "old pdf"}
    for path, text in previous.items():
        path.write_text(text)

    with pytest.raises(RenderError) as info:
        render(qmd, out, quiet=True)
    message = str(info.value)
    assert message.startswith("bad.qmd:10: cell 'tbl-broken' failed: ZeroDivisionError: division by zero")
    assert "y = x / 0" in message
    assert "Traceback" not in message and "ZeroDivisionError" in info.value.details
    assert {p: p.read_text() for p in previous} == previous
    assert sorted(p.name for p in out.iterdir()) == ["bad.html", "bad.pdf"]


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(RenderError, match="formats must be among"):
        render(FIXTURE, tmp_path, formats=("docx",), quiet=True)


def test_quarto_route_says_quarto_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not quarto_available()
    with pytest.raises(RenderError, match="quarto is not on PATH"):
        render_with_quarto(FIXTURE, tmp_path, quiet=True)


FAKE_QUARTO = """#!/bin/sh
# Stands in for quarto: records its arguments, writes both outputs to --output-dir.
echo "$@" > "$FAKE_QUARTO_ARGS"
echo "$QUARTO_PYTHON" > "$FAKE_QUARTO_ARGS.python"
[ -n "$FAKE_QUARTO_FAIL" ] && { echo "ERROR: something broke" >&2; exit 1; }
while [ $# -gt 0 ]; do [ "$1" = --output-dir ] && dir=$2; shift; done
echo new > "$dir/demo.html"; echo new > "$dir/demo.pdf"
"""


def test_quarto_route_moves_outputs_into_place(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "quarto").write_text(FAKE_QUARTO)
    (bin_dir / "quarto").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_QUARTO_ARGS", str(tmp_path / "args"))
    monkeypatch.delenv("QUARTO_PYTHON", raising=False)
    out = tmp_path / "_output"

    result = render_with_quarto(FIXTURE, out, ("pdf",), quiet=True)
    assert result == {"pdf": out / "demo.pdf"} and not (out / "demo.html").exists()
    args = (tmp_path / "args").read_text().split()
    assert args[:2] == ["render", str(FIXTURE)] and args[-3:] == ["--to", "typst", "--quiet"]
    # Cells run in this interpreter, which has the project's packages, unless QUARTO_PYTHON says otherwise.
    assert (tmp_path / "args.python").read_text().strip() == sys.executable

    (out / "demo.pdf").write_text("old")
    monkeypatch.setenv("FAKE_QUARTO_FAIL", "1")
    with pytest.raises(RenderError, match="quarto render failed .*something broke"):
        render_with_quarto(FIXTURE, out, quiet=True)
    assert (out / "demo.pdf").read_text() == "old"
    assert sorted(p.name for p in out.iterdir()) == ["demo.pdf"]


def test_quarto_yml_points_at_shipped_files():
    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["project"]["output-dir"] == "_output"
    assert config["project"]["render"] == ["report.qmd"]
    assert config["execute"]["echo"] is False
    assert config["from"] == pandoc_mod.READER
    html, typst = config["format"]["html"], config["format"]["typst"]
    assert html["embed-resources"] is True and html["toc"] is True
    assert typst["papersize"] == "a4"
    for path in [*config["filters"], html["css"], *typst["include-in-header"]]:
        assert (ROOT / path).is_file(), path
    assert "analysis/render/rtl.lua" in config["filters"]
    # The built-in route includes the same layout file (pandoc.typst_args).
    assert "analysis/render/layout.typ" in typst["include-in-header"]


def test_pdf_page_comes_from_quarto_yml_typst_options():
    config = {"format": {"typst": {"papersize": "a5", "margin": {"x": "2cm", "top": "3cm"}, "fontsize": "10pt"}}}
    assert page_options(config) == {"papersize": "a5", "margin": {"x": "2cm", "top": "3cm"}, "fontsize": "10pt"}
    # Nothing set: Quarto's typst defaults (us-letter, 1.25in, 11pt).
    assert page_options({}) == {"papersize": "us-letter", "margin": {"x": "1.25in", "y": "1.25in"}, "fontsize": "11pt"}


@given(st.text())
def test_fenced_code_block_outlasts_any_backtick_run(text):
    fence = fenced(text).split("\n", 1)[0]
    assert len(fence) >= 3 and "`" * len(fence) not in text


def test_a_render_nothing_changed_for_keeps_its_outputs(tmp_path):
    qmd = tmp_path / "demo.qmd"
    shutil.copy(FIXTURE, qmd)
    data = tmp_path / "data"
    data.mkdir()
    (data / "notes.txt").write_text("written for testing\n", encoding="utf-8")
    out = tmp_path / "out"
    first = render(qmd, out, ("html",), quiet=True, inputs=[data])
    page = first["html"]
    made = page.stat().st_mtime_ns

    messages: list[str] = []
    again = render(qmd, out, ("html",), log=messages.append, inputs=[data])
    assert "execute" not in again.timings and again == first
    assert any("nothing changed since the last render" in m for m in messages)
    assert page.stat().st_mtime_ns == made

    # A changed input, a changed cell, a touched output, or force: a full render each time.
    (data / "notes.txt").write_text("written for testing, edited\n", encoding="utf-8")
    assert "execute" in render(qmd, out, ("html",), quiet=True, inputs=[data]).timings
    qmd.write_text(qmd.read_text(encoding="utf-8").replace("counts articles", "counts the articles"), encoding="utf-8")
    assert "execute" in render(qmd, out, ("html",), quiet=True, inputs=[data]).timings
    assert "counts the articles" in page.read_text(encoding="utf-8")
    page.write_text("edited by hand", encoding="utf-8")
    assert "execute" in render(qmd, out, ("html",), quiet=True, inputs=[data]).timings
    assert "execute" in render(qmd, out, ("html",), quiet=True, inputs=[data], force=True).timings
    # Another format set is another render.
    assert "execute" in render(qmd, out, ("html", "pdf"), quiet=True, inputs=[data]).timings


def test_raw_html_blocks_and_scripts_reach_the_page(tmp_path):
    # Written for testing: what an embedded widget (the evidence explorer) needs to get through the template.
    qmd = tmp_path / "raw.qmd"
    qmd.write_text('---\ntitle: "Raw"\n---\n\n## Widget\n\n```{=html}\n<div id="widget"></div>\n'
                   '<script>document.getElementById("widget").textContent = "ran" + (1 < 2);</script>\n```\n\n'
                   'Text <b>stays</b> text.\n', encoding="utf-8")
    html = render(qmd, tmp_path / "out", ("html",), quiet=True)["html"].read_text(encoding="utf-8")
    assert '<div id="widget"></div>' in html
    assert '<script>document.getElementById("widget").textContent = "ran" + (1 < 2);</script>' in html
    assert "Text &lt;b&gt;stays&lt;/b&gt; text." in html
    assert html.index('id="widget"') < html.index("</main>")


def test_the_explorer_data_skips_pandoc_and_comes_back_only_into_its_own_script():
    from analysis.render.builtin import put_back, set_aside
    md = ('Text.\n\n```{=html}\n<script type="application/json" id="ev-data">{"rows":[["x","\\u003c/script\\u003e"]]}'
          '</script>\n```\n')
    text, blobs, marker = set_aside(md)
    assert "rows" not in text and blobs == ['{"rows":[["x","\\u003c/script\\u003e"]]}']
    # pandoc's output, with the marker also typed in an article's text (escaped there, outside the script)
    html = text.replace("```{=html}\n", "").replace("\n```", "") + f"<p>{marker}0</p>"
    out = put_back(html, blobs, marker)
    assert out.count('"rows"') == 1 and f"<p>{marker}0</p>" in out
    assert f'<script type="application/json" id="ev-data">{blobs[0]}</script>' in out


@pytest.mark.parametrize("threads", [False, True])  # one thread: forked; more: spawned
def test_the_coding_child_hands_back_its_result_and_its_errors(tmp_path, threads):
    import threading

    from analysis.api import check_inputs, in_child
    from analysis.io.errors import InputError
    stop = threading.Event()
    if threads:
        threading.Thread(target=stop.wait, daemon=True).start()
    try:
        assert in_child(divmod, 7, 2) == (3, 1)
        with pytest.raises(ValueError, match="invalid literal"):
            in_child(int, "x")
        with pytest.raises(InputError) as e:  # a data folder with no codebook: the problems come back whole
            in_child(check_inputs, tmp_path)
        assert any("codebook.yaml" in p.file for p in e.value.problems)
    finally:
        stop.set()


def _two_steps(flag: str):
    """A child's work in two steps: the second starts only once the parent has acted on the first."""
    import time
    yield "coded"
    deadline = time.monotonic() + 30
    while not Path(flag).exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the parent never went on after the first step")
        time.sleep(0.02)
    if Path(flag).read_text() == "fail":
        raise OSError("disk full (written for testing)")
    yield "indexed"


@pytest.mark.parametrize("outcome", ["ok", "fail"])
def test_a_coding_child_hands_back_each_step_and_works_on_while_the_parent_does(tmp_path, outcome):
    from analysis.api import Child
    flag = tmp_path / "parent-went-on"
    child = Child(_two_steps, str(flag))
    try:
        assert child.next() == "coded"
        assert child.process.is_alive()  # still at work on its second step
        flag.write_text(outcome)
        if outcome == "ok":
            assert child.next() == "indexed"
        else:
            with pytest.raises(OSError, match="disk full"):
                child.next()
    finally:
        child.join()
    assert not child.process.is_alive()


def test_render_writes_the_evidence_index_while_the_kernel_runs(data_copy, tmp_path, monkeypatch):
    """evidence.sqlite (read only by `explore`) is written by the coding process while the document's
    kernel runs, not before it starts; its failure fails the render and the outputs are not kept as
    up to date. (The route and the index are stand-ins that wait for each other.)"""
    import threading
    import time

    import analysis.render as route_mod
    from analysis import api
    from analysis.io.output import OutputError
    from analysis.render import freeze
    # forked, so that the stand-ins reach the coding process (spawned when an earlier test left a thread)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    started, out = tmp_path / "kernel-started", tmp_path / "out"

    def index(data_dir, out, run=None):
        deadline = time.monotonic() + 30
        while not started.exists():  # only once the kernel is at work
            assert time.monotonic() < deadline, "the kernel did not start until the index was written"
            time.sleep(0.02)
        if started.read_text() == "fail":
            raise OutputError("tables/evidence.sqlite: disk full (written for testing)")
        (Path(out) / "tables" / "indexed").write_text("yes")

    def kernel(qmd, out_dir, formats, **kw):
        kw["ready"]()  # as the built-in route does once its kernel has started: the coding is done
        freeze.stamp_path(out_dir, "report").write_text("{}")  # as the built-in route does after a render
        started.write_text(mode)
        return {"html": out_dir / "report.html"}

    monkeypatch.setattr(api, "evidence_db", index)
    monkeypatch.setattr(route_mod, "render", kernel)
    mode = "ok"
    api.render(data_copy, out, to="html", builtin=True, force=True, jobs=1)
    assert (out / "tables" / "indexed").read_text() == "yes"
    started.unlink()
    mode = "fail"
    with pytest.raises(OutputError, match="disk full"):
        api.render(data_copy, out, to="html", builtin=True, force=True, jobs=1)
    assert not freeze.stamp_path(out, "report").exists()  # the next render renders again
