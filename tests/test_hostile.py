"""Hostile input, table-driven: injection payloads in every field that reaches the briefing, and faults.

Every payload and every corpus text below was written for this test.

* PAYLOADS x HELPERS: each payload through each markdown helper the briefing builds its text with,
  all in one document converted once by pandoc to HTML and to Typst (and compiled once to PDF):
  no tag, on* attribute, javascript: link or Typst code may survive.
* The end-to-end render: the seed corpus with payloads in every field that reaches the briefing
  (article text, outlet names and evidence notes, a file name, actor names, frame labels and
  definitions, event labels, translations and translators), rendered once to HTML and PDF.
* FAULTS: every bad-input and fault case of issue 14, each checked for its message (file, line,
  fix), exit code, no traceback and no output file changed (checksums).
"""
from __future__ import annotations

import csv
import errno
import hashlib
import io
import os
import re
import shutil
import time
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import NO_QUARTO

from analysis.cli import main
from analysis.report import markdown as md

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
ART4 = "articles/004_fb623174a5c9094e.txt"
MARK = "ZQX"  # every payload carries it, so its line can be found in the output

# The 22 payloads the escaping was first checked with (article text), then the ones from issue 14.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<!-- hidden -->",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "![pic](javascript:alert(1))",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<style>body{display:none}</style>",
    '"><script>alert(1)</script>',
    "<div onmouseover=alert(1)>x</div>",
    "[span]{.x onclick=alert(1)}",
    "]{onmouseover=alert(1)}",
    "<https://evil.example/?q=x>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "*bold* _em_ ~~gone~~ ^up^ ~down~",
    "# Heading | a | b |",
    "::: {.callout-note}",
    "[^1] and [@cite]",
    "{{< include /etc/passwd >}}",
    "trailing backslash \\",
    "a\u202eRTL override\u202c b",
    # issue 14
    "K `<svg onload=alert(1)>`{=html} `#read(\"/etc/passwd\")`{=typst}",
    "```{=html}\n<script>alert(1)</script>\n```",
    "#read(\"/etc/passwd\")",
    "#include \"/etc/passwd\"",
    "#import \"/etc/passwd\": *",
    "#let x = eval(\"1\")",
    "$\\frac{1}{0}$ and $x^2$",
    "@fig-heatmap @tbl-counts",
    "<lab> #link(\"javascript:alert(1)\")[x]",
    "NUL\x00ESC\x1b[31mred",
]
PAYLOADS = [f"{MARK}{k:02d} {p}" for k, p in enumerate(PAYLOADS)]

FORBIDDEN_TAGS = {"script", "iframe", "svg", "object", "embed", "math", "form", "input", "button", "base",
                  "link", "audio", "video", "source", "textarea", "frame", "frameset", "applet", "meta"}
TYPST_CODE = re.compile(r"#(read|include|import|eval|let|set|show|image|link|raw|html|plugin|metadata)\b")


class Tags(HTMLParser):
    """Every start tag with its attributes, comments, and the text inside <head>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.comments, self.text, self.in_head = [], [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs), self.in_head))
        self.in_head = self.in_head or tag == "head"

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_data(self, data):
        self.text.append(data)


def html_faults(html: str) -> list[str]:
    """What a payload could have smuggled into an HTML fragment: tags, on* attributes, script links, comments, controls."""
    p = Tags()
    p.feed(html)
    faults = []
    for tag, attrs, in_head in p.tags:
        if tag in FORBIDDEN_TAGS:
            faults.append(f"<{tag}>")
        if tag == "style" and not in_head:
            faults.append("<style> in the body")
        for k, v in attrs.items():
            if k.startswith("on"):
                faults.append(f"<{tag} {k}=>")
            if k in ("href", "src", "action", "formaction", "xlink:href") and re.match(r"\s*(javascript|vbscript|data:text)", v or "", re.I):
                faults.append(f"<{tag} {k}={v[:30]}>")
            if tag == "img" and k == "src" and not (v or "").startswith("data:image/"):
                faults.append(f"<img src={v[:30]}>")
    faults += [f"<!--{c[:20]}-->" for c in p.comments]
    faults += [f"control character U+{ord(c):04X}" for c in set(html) & {"\x00", "\x1b"}]
    return faults


def _markup_only(line: str) -> str:
    """A Typst line without its escaped characters (\\# is text) and raw spans (`...` is shown as is)."""
    out, i = [], 0
    while i < len(line):
        if line.startswith('#raw("', i):  # pandoc's code with backticks inside: a string literal
            j = i + 6
            while j < len(line) and line[j] != '"':
                j += 2 if line[j] == "\\" else 1
            if line.startswith('")', j):
                i = j + 2
                continue
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == "`":
            run = re.match(r"`+", line[i:]).group(0)
            close = line.find(run, i + len(run))
            if close >= 0:
                i = close + len(run)
                continue
        out.append(line[i])
        i += 1
    return "".join(out)


def typst_faults(source: str) -> list[str]:
    """Typst code or math on a line that carries data (the MARK): escaped characters are removed first."""
    faults = []
    for line in source.splitlines():
        if MARK not in line:
            continue
        bare = _markup_only(line)
        faults += [f"typst {m.group(0)} in: {line[:80]}" for m in TYPST_CODE.finditer(bare)]
        if "$" in bare:
            faults.append(f"typst math in: {line[:80]}")
        if re.search(r"(?<![\w.])@[A-Za-z]", bare):
            faults.append(f"typst reference in: {line[:80]}")
    return faults


# ---- every payload through every helper, one pandoc run per target -------------------------------

HELPERS = {
    "escape": lambda p: md.escape(p),
    "mixed": lambda p: md.mixed("نص " + p),
    "arabic_inline": lambda p: md.arabic_inline(p),
    "code": lambda p: f"file {md.code(p)} \\[1:2\\]",
    "join_names": lambda p: "by " + md.join_names([p, "Other", p + " 2"]),
    "highlighted": lambda p: md.arabic_block(md.highlighted("قبل " + p + " بعد", 2, len(p) + 8, [(4, 9)])),
    "mark": lambda p: md.mark(p),
    "heading": lambda p: f"#### {md.escape(p)}",
    "bullets": lambda p: md.bullets([md.escape(p), md.mixed(p)]),
    "cite": lambda p: f"[{md.escape(p)} · {md.code(p)}]{{.cite}}",
    "table": lambda p: md.table(pd.DataFrame({p: [p, 1.5], "Arabic name": [p, "x"]}), caption=p,
                                label="tbl-x", arabic_columns=("Arabic name",)),
}
CASES = [(k, h) for k in range(len(PAYLOADS)) for h in HELPERS]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """All cases in one document, converted once to HTML and to Typst, and compiled once to PDF."""
    from analysis.render import pandoc, pdf
    build = tmp_path_factory.mktemp("helpers")
    parts = [f"::: {{#case-{k}-{h}}}\n\n{HELPERS[h](PAYLOADS[k])}\n\n:::\n\n" for k, h in CASES]
    src = build / "cases.md"
    src.write_text("".join(parts), encoding="utf-8")
    html, typ = build / "cases.html", build / "cases.typ"
    pandoc.run([pandoc.html_args(src, html, [build], toc=False, toc_title="", title="cases"),
                pandoc.typst_args(src, typ, [build], toc=False, fonts=pdf.font_families())], cwd=build)
    from analysis.render.errors import RenderError
    try:
        pdf.compile_pdf(typ, build / "cases.pdf")
        compile_error = None
    except RenderError as e:  # an injected @reference or #read fails the compile
        compile_error = str(e)
    html_text, typ_text = html.read_text(encoding="utf-8"), typ.read_text(encoding="utf-8")
    html_cases = dict(re.findall(r'<div id="case-(\d+-\w+)">(.*?)</div>\s*(?=<div id="case-|</body>)', html_text, re.S))
    typ_cases = {}
    for m in re.finditer(r"#block\[(.*?)\] <case-(\d+-\w+)>", typ_text, re.S):
        typ_cases[m.group(2)] = m.group(1)
    text = pdf_text(build / "cases.pdf") if compile_error is None else compile_error
    return html_cases, typ_cases, text, compile_error


@pytest.mark.parametrize("k, helper", CASES, ids=[f"{k:02d}-{h}" for k, h in CASES])
def test_payload_stays_text_in_every_helper(converted, k, helper):
    html_cases, typ_cases, _, _ = converted
    key = f"{k}-{helper}"
    assert key in html_cases and key in typ_cases, "the case's block was swallowed by the one before it"
    assert html_faults(html_cases[key]) == []
    assert typ_faults(typ_cases[key]) == []
    # shown as text: the marker is there, in HTML and Typst alike
    assert f"{MARK}{k:02d}" in html_cases[key] and f"{MARK}{k:02d}" in typ_cases[key]
    if helper in ("escape", "join_names", "heading", "cite"):  # exactly the payload: escaped once, not twice
        shown = " ".join(unescape(re.sub(r"<[^>]+>", " ", html_cases[key])).split())
        assert " ".join(md.clean(PAYLOADS[k]).split()) in shown


def typ_faults(fragment: str) -> list[str]:
    return typst_faults(fragment)


def test_helper_pdf_has_the_payloads_and_no_file_contents(converted):
    _, _, text, compile_error = converted
    assert compile_error is None
    assert "root:x:0:0" not in text  # /etc/passwd was not read
    for k in range(len(PAYLOADS)):
        assert f"{MARK}{k:02d}" in text


# ---- the briefing, rendered once with payloads in every field ------------------------------------

def _rewrite_csv(path: Path, change) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    cols = list(rows[0])
    for i, r in enumerate(rows):
        change(i, r)
        r.update({k: v.replace("\x00", "") for k, v in r.items()})  # a NUL in a CSV input is refused (test_hostile_out.py)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _payload(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)].replace("\n", " ")


def hostile_corpus(d: Path) -> None:
    """Payloads in every field that reaches the briefing, rotated so each field gets several."""
    _rewrite_csv(d / "outlets.csv", lambda i, r: r.update(
        name_en=f"Outlet{i} {_payload(i)}", name_ar=f"منفذ {re.sub(r'[<>*]', ' ', _payload(i + 5))}", country=_payload(i + 10)))
    old = "articles/003_e78b460b308c2ca4.txt"
    # closes the code span the old citation opened around it, then opens raw HTML and raw Typst
    new = 'articles/003` `<svg onload=alert(1)>`{=html} `#read("x")`{=typst} `$x$ ZQXf.txt'
    (d / old).rename(d / new)

    def manifest(i, r):
        r.update(outlet_evidence=_payload(i + 15), date_evidence=_payload(i + 20), title=_payload(i + 25))
        if r["file"] == old:
            r["file"] = new
    _rewrite_csv(d / "manifest.csv", manifest)
    actors = yaml.safe_load((d / "actors.yaml").read_text(encoding="utf-8"))
    for i, a in enumerate(actors["actors"]):
        a["name_en"] = f"{a['name_en']} {_payload(i)}"
    (d / "actors.yaml").write_text(yaml.safe_dump(actors, allow_unicode=True, sort_keys=False), encoding="utf-8")
    cb = yaml.safe_load((d / "codebook.yaml").read_text(encoding="utf-8"))
    for i, f in enumerate(cb["frames"]):
        f["label_en"] = f"{f['label_en']} {_payload(i + 3)}"
        f["definition"] = f"{f.get('definition', '')} {_payload(i + 13)}"
    (d / "codebook.yaml").write_text(yaml.safe_dump(cb, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _rewrite_csv(d / "events.csv", lambda i, r: r.update(label=_payload(i + 7)))
    _rewrite_csv(d / "translations.csv", lambda i, r: r.update(english=f"{r['english']} {_payload(i)}",
                                                                translator=_payload(i + 2)))
    # Article text: each payload in a coded sentence, appended so earlier offsets (gold, translations) hold.
    lines = [f"وقال مسؤول إن العراق لن يكون ساعي بريد بين طهران وواشنطن {p} ساعي بريد" for p in PAYLOADS]
    with (d / ART4).open("a", encoding="utf-8") as f:
        f.write("\n" + "\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    import analysis.render.pdf as pdf_module
    base = tmp_path_factory.mktemp("hostile_render")
    data, out = base / "data", base / "out"
    shutil.copytree(DATA, data)
    hostile_corpus(data)
    out.mkdir()
    killed = made_by_a_dead_process(out, ".render-")  # left by a render that was killed
    (killed / "kernel.log").write_text("")
    for mine in (".render-keep", ".quarto-mine"):  # the user's own, under the same prefixes (issue 23, A3)
        (out / mine).mkdir()
        (out / mine / "notes.txt").write_text("mine", encoding="utf-8")
    sources = []
    real = pdf_module.compile_pdf

    def keep_source(typ, pdf):
        result = real(typ, pdf)
        sources.append(typ.read_text(encoding="utf-8"))
        return result
    pdf_module.compile_pdf = keep_source
    try:
        code = main(["render", "--data", str(data), "--out", str(out), "--quiet", "--builtin"])
    finally:
        pdf_module.compile_pdf = real
    return code, out, sources, killed


def made_by_a_dead_process(parent: Path, prefix: str) -> Path:
    """A scratch folder as a killed run leaves it: made and marked by a process that is gone."""
    import subprocess
    import sys
    made = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from analysis.io.scratch import make; "
                           f"print(make(Path(sys.argv[1]), {prefix!r}))", str(parent)],
                          capture_output=True, text=True, check=True).stdout.strip()
    return Path(made)


def test_hostile_briefing_renders(rendered):
    code, out, sources, killed = rendered
    assert code == 0
    assert (out / "report.html").exists() and (out / "report.pdf").exists() and len(sources) == 1
    assert not killed.exists()  # the killed render's scratch folder is gone
    for mine in (".render-keep", ".quarto-mine"):  # folders of the user's that share the prefix are not
        assert (out / mine / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_no_payload_survives_in_the_html(rendered):
    html = (rendered[1] / "report.html").read_text(encoding="utf-8")
    assert document_faults(html) == []
    shown = " ".join(html.split())
    for k in range(len(PAYLOADS)):  # each payload is in the briefing, as text
        assert f"{MARK}{k:02d}" in shown, k
    assert "&lt;svg onload=alert(1)&gt;" in shown and "ZQXf.txt" in shown  # the file name, as text
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    assert f"Outlet0 {PAYLOADS[0]}" in text  # a name in the key judgments, escaped once (no stray backslashes)


def test_no_typst_code_survives_in_the_typst_source(rendered):
    source = rendered[2][0]
    assert MARK in source
    assert typst_faults(source) == []


def pdf_text(path: Path) -> str:
    """The PDF's text: poppler's pdftotext where installed (fast), else pypdf."""
    import subprocess
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    from pypdf import PdfReader
    return " ".join(p.extract_text() for p in PdfReader(path).pages)


def test_pdf_shows_payloads_as_text_and_reads_no_file(rendered):
    text = pdf_text(rendered[1] / "report.pdf")
    assert "root:x:0:0" not in text
    assert "ZQX00" in text and "ZQX24" in text  # <script> and #read payloads printed, not run


# ---- faults: message, exit code, no traceback, outputs unchanged ---------------------------------

def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".cache" not in p.parts}


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    """The seed coded once; each case starts from a copy of these outputs (and their cache)."""
    out = tmp_path_factory.mktemp("coded") / "out"
    assert main(["code", "--data", str(DATA), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture
def setup(tmp_path, coded):
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(DATA, data)
    shutil.copytree(coded, out)
    return data, out


def edit(path: Path, old: str, new: str, count: int = 1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def add_frame(d: Path, body: str):
    edit(d / "codebook.yaml", "\nframes:\n", "\nframes:\n" + body)


def bomb(levels: int = 9) -> str:
    lines = ["        - term: &l0 [bombx, bombx, bombx, bombx, bombx, bombx, bombx, bombx, bombx]"]
    lines += [f"        - term: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "  - id: bomb\n    label_en: Bomb\n    indicators:\n      en:\n" + "\n".join(lines) + "\n"


def symlink_loop(d: Path):
    p = d / "articles/003_e78b460b308c2ca4.txt"
    p.unlink()
    (d / "articles/loop_b").symlink_to(p.name)
    p.symlink_to("loop_b")


def folder_for(path: Path):
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("x")


def utf16(d: Path):
    p = d / "articles/002_60db55bcef7aaadf.txt"
    p.write_bytes(p.read_text(encoding="utf-8").encode("utf-16"))


def fail_replace(code: int, text: str):
    def breaker(d, monkeypatch):
        real = os.replace

        def replace(src, dst, *a, **k):
            if "tables" in str(dst):
                raise OSError(code, text, str(dst))
            return real(src, dst, *a, **k)
        monkeypatch.setattr(os, "replace", replace)
    return breaker


def blank_arabic(d: Path):
    _rewrite_csv(d / "translations.csv", lambda i, r: r.update(arabic="") if i == 3 else None)


def huge_field(d: Path):
    _rewrite_csv(d / "manifest.csv", lambda i, r: r.update(outlet_evidence="ن" * 200_000) if i == 0 else None)


def line_separator(d: Path):
    _rewrite_csv(d / "manifest.csv", lambda i, r: r.update(date_evidence="first\u2028second") if i == 1 else None)
    _rewrite_csv(d / "translations.csv", lambda i, r: r.update(note="one\u2028two") if i == 0 else None)


# name, breaker(data), command, exit code, where (file:line), what, fix
FAULTS = [
    # YAML
    ("alias bomb under indicators", lambda d: add_frame(d, bomb()), "code", 2,
     "codebook.yaml:", "aliases expand this entry", "remove the nested anchors"),
    ("alias bomb at top level", lambda d: edit(d / "codebook.yaml", "version:", "bomb0: &b0 [x, x, x, x, x, x, x, x, x]\n"
     + "".join(f"bomb{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 9)}]\n" for i in range(1, 9)) + "version:"),
     "validate", 2, "codebook.yaml:", "aliases expand", "anchors"),
    ("deep nesting", lambda d: add_frame(d, "  - id: deep\n    label_en: Deep\n    indicators:\n      en:\n        - "
     + "[" * 60 + "x" + "]" * 60 + "\n"), "validate", 2, "codebook.yaml:F+5:", "nested more than", "flatten"),
    ("recursive alias", lambda d: (d / "actors.yaml").write_text("actors: &a\n  - *a\n"), "validate", 2,
     "actors.yaml:", "refers to the entry that contains it", "recursive alias"),
    # operating system
    ("read-only output", fail_replace(errno.EACCES, "Permission denied"), "code", 2,
     "out/tables", "Permission denied", "choose a folder you can write to"),
    ("read-only file system", fail_replace(errno.EROFS, "Read-only file system"), "code", 2,
     "out/tables", "Read-only file system", "--out"),
    ("full disk", fail_replace(errno.ENOSPC, "No space left on device"), "code", 1,
     "out/tables", "No space left on device", "free some space"),
    ("article path is a folder", lambda d: folder_for(d / "articles/003_e78b460b308c2ca4.txt"), "code", 2,
     "manifest.csv:5", "is a folder, not a file", "point the 'file' column"),
    ("symlink loop", symlink_loop, "code", 2, "manifest.csv:5", "symbolic link that loops", "point the link"),
    ("codebook.yaml is a folder", lambda d: folder_for(d / "codebook.yaml"), "code", 2,
     "codebook.yaml", "is a folder", "put the codebook.yaml file there"),
    ("outlets.csv is a folder", lambda d: folder_for(d / "outlets.csv"), "validate", 2,
     "outlets.csv", "is a folder", "put the outlets.csv file there"),
    ("--data is a file", None, ["code", "--data", "{data}/manifest.csv"], 2,
     "manifest.csv", "--data is a file", "give --data a folder"),
    ("add --data is a file", None, ["add", "{data}/" + ART4, "--data", "{data}/manifest.csv", "--outlet", "x",
                                    "--language", "ar"], 2, "manifest.csv", "--data is a file", "give --data a folder"),
    ("add given a folder", None, ["add", "{data}/articles", "--data", "{data}", "--outlet", "aljarida",
                                  "--language", "ar"], 2, "articles", "add takes one article file", "run add once per article"),
    ("--out is a file", None, ["code", "--data", "{data}", "--out", "{data}/outlets.csv"], 2,
     "outlets.csv", "--out is a file", "give --out a folder"),
    # CSV and manifest
    ("outlet name_ar with pattern syntax", lambda d: edit(d / "outlets.csv", ",المرجع,", ",<script> المرجع,"), "code", 2,
     "outlets.csv:2", "cannot be looked for in the text", "plain letters"),
    ("manifest without optional columns", lambda d: _drop_columns(d / "manifest.csv", ["outlet_basis", "url", "title"]),
     "code", 0, "", "", ""),
    ("CSV field over 131,072 characters", huge_field, "code", 0, "", "", ""),
    ("U+2028 inside CSV fields", line_separator, "validate", 0, "", "", ""),
    ("broken CSV quote", lambda d: edit(d / "events.csv", "2020-01-03,Soleimani", '2020-01-03,"Soleimani'),
     "validate", 2, "events.csv:2", "unreadable CSV row", "check the double quotes"),
    ("blank arabic cell in translations", blank_arabic, "validate", 2,
     "translations.csv:5", "empty 'arabic' cell", "copy the sentence at"),
    ("UTF-16 article", utf16, "validate", 2, "002_60db55bcef7aaadf.txt:1", "UTF-16", "iconv -f UTF-16 -t UTF-8"),
    ("far-future date in manifest", lambda d: edit(d / "manifest.csv", "2020-08-15", "2090-08-15"), "code", 2,
     "manifest.csv:3", "date '2090-08-15' is in the future", "check the year"),
    ("far-future event", lambda d: edit(d / "events.csv", "2020-01-03", "2990-01-03"), "validate", 2,
     "events.csv:2", "in the future", "check the year"),
    # codebook
    ("regex matching every space", lambda d: add_frame(d, "  - id: spaces\n    label_en: Spaces\n    indicators:\n"
     "      ar:\n        - regex: '\\s'\n"), "validate", 2, "codebook.yaml:F+5:", "of 96 ar sentences (100%)", "more specific"),
    ("glob matching almost every word", lambda d: add_frame(d, "  - id: alef\n    label_en: Alef\n    indicators:\n"
     "      ar:\n        - term: '*ا*'\n"), "code", 2, "codebook.yaml:F+5:", "(100%) of the corpus", "more specific"),
    ("within: true", lambda d: add_frame(d, "  - id: near_true\n    label_en: Near\n    indicators:\n      ar:\n"
     "        - near: [ساعي, بريد]\n          within: true\n"), "validate", 2, "codebook.yaml:F+6:", "'within' must be a positive", "within: 5"),
    ("Arabic frame id", lambda d: add_frame(d, "  - id: ساعي\n    label_en: Arabic id\n    indicators:\n      ar: [ساعي بريد]\n"),
     "validate", 2, "codebook.yaml:F+1:", "must be short English snake_case", "label_ar"),
    ("term: scalar error has a line", lambda d: add_frame(d, "  - id: blank_term\n    label_en: Blank\n    indicators:\n"
     "      ar:\n        - term: '   '\n"), "validate", 2, "codebook.yaml:F+5:", "empty term", "fix the pattern"),
]


def _drop_columns(path: Path, drop: list[str]) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    cols = [c for c in rows[0] if c not in drop]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _line_of(where: str, text: str) -> None:
    """The message names the file, and the line where one is given (file:N)."""
    assert where in text, f"{where!r} not in:\n{text}"


@pytest.mark.parametrize("name, breaker, command, exit_code, where, what, fix", FAULTS, ids=[f[0] for f in FAULTS])
def test_fault(setup, capsys, monkeypatch, name, breaker, command, exit_code, where, what, fix):
    data, out = setup
    before = snapshot(out)
    if breaker is not None:
        if breaker.__code__.co_argcount == 2:
            breaker(data, monkeypatch)
        else:
            breaker(data)
    argv = ([command, "--data", str(data), "--out", str(out), "--quiet"] if isinstance(command, str)
            else [a.format(data=data) for a in command] + (["--quiet"] if "--out" in command else ["--out", str(out), "--quiet"]))
    start = time.perf_counter()
    code = main(argv)
    elapsed = time.perf_counter() - start
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code == exit_code, err
    assert elapsed < 60  # no hang (a YAML bomb used to run out of memory)
    if exit_code:
        if (m := re.search(r"F\+(\d+)", where)):  # a line counted from 'frames:', where add_frame inserts
            frames = (DATA / "codebook.yaml").read_text(encoding="utf-8").split("\n").index("frames:") + 1
            where = where.replace(m.group(0), str(frames + int(m.group(1))))
        _line_of(where, err)
        assert what in err and fix in err and "fix:" in err, err
        assert snapshot(out) == before  # nothing written or half-written
    elif command == "code":
        assert "ERROR" not in err


def test_corrupt_cache_entry_is_recomputed(setup, capsys):
    import sqlite3
    data, out = setup
    before = snapshot(out)
    db = out / ".cache" / "coding.sqlite"
    assert db.exists()
    with sqlite3.connect(db) as con:  # truncated, garbage and empty values
        keys = [k for (k,) in con.execute("SELECT key FROM entries ORDER BY key")]
        assert keys
        for i, k in enumerate(keys):
            con.execute("UPDATE entries SET value = ? WHERE key = ?", ([b"\x80\x05\x95", b"garbage", b""][i % 3], k))
    assert main(["code", "--data", str(data), "--out", str(out), "--quiet"]) == 0
    assert snapshot(out) == before  # the same tables, recomputed
    for f in db.parent.glob("coding.sqlite*"):
        f.unlink()
    db.write_bytes(b"not a database" * 100)  # the whole cache file corrupt
    assert main(["code", "--data", str(data), "--out", str(out), "--quiet"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert snapshot(out) == before


def test_u2028_stays_inside_its_field(setup):
    from analysis.inputs.corpus import load_corpus
    data, _ = setup
    line_separator(data)
    corpus = load_corpus(data)
    assert len(corpus.articles) == 5
    assert corpus.article("001").date_evidence == "first\u2028second"


def test_render_checks_gold_and_translations_before_starting(setup, capsys):
    data, out = setup
    with (data / "translations.csv").open("a", encoding="utf-8") as f:
        f.write("000:0-5,000,0,5,نص آخر,x,me,\n")
    start = time.perf_counter()
    code = main(["render", "--data", str(data), "--out", str(out), "--quiet", "--builtin"])
    err = capsys.readouterr().err
    assert code == 2 and "translations.csv:" in err and "no longer matches" in err and "Traceback" not in err
    assert time.perf_counter() - start < 60  # stopped before any kernel or pandoc ran
    assert not (out / "report.html").exists()


def test_very_long_line_is_coded_in_pieces_with_a_warning(setup, capsys):
    data, out = setup
    for stale in ("gold.csv", "translations.csv"):
        (data / stale).unlink()
    words = "كان الطقس معتدلا في المدينة صباح اليوم".split()
    (data / ART4).write_text("عنوان المقال.\n" + " ".join(words[i % len(words)] for i in range(4000)) + "\n", encoding="utf-8")
    assert main(["code", "--data", str(data), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "article '004'" in err and "no sentence end from line 2" in err and "pieces of at most 3,000" in err
    segs = pd.read_csv(out / "tables/segments.csv")
    pieces = segs[segs.article_id == 4] if segs.article_id.dtype != object else segs[segs.article_id == "004"]
    assert len(pieces) >= 9 and pieces.sentence.str.len().max() <= 3000  # ~24,000 characters in pieces


# ---- the rules themselves ---------------------------------------------------------------------------

def test_code_span_fence_is_longer_than_any_backtick_run():
    assert md.code("a``b") == "```a``b```"
    assert md.code("`x") == "`` `x ``"
    assert md.code("plain.txt") == "`plain.txt`"


def test_escape_drops_controls_and_folds_lines():
    assert md.escape("a\x00b\x1b[1mc\nd") == "ab\\[1mc d"


def test_join_names_escapes_each_name():
    assert md.join_names(["A`b", "C$"]) == "A\\`b and C\\$"


def test_dollar_labels_draw(tmp_path):
    from analysis.report import figures
    ev = pd.DataFrame({"date": [pd.Timestamp("2020-01-01").date()], "label": ["$\\frac{1}{0}$ costs $5"], "source": ["t"]})
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["$x^"], "date": [pd.Timestamp("2020-02-01").date()],
                         "date_confidence": ["high"]})
    fig = figures.timeline(arts, ev, "Title $ with $ dollars")
    fig.savefig(io.BytesIO(), format="png")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][0] == "$\\frac{1}{0}$ costs $5"


def test_render_lock_removes_leftovers_only(tmp_path):
    from analysis.io.scratch import make, render_lock
    dead = [made_by_a_dead_process(tmp_path, ".render-"), made_by_a_dead_process(tmp_path, ".quarto-")]
    live = make(tmp_path, ".render-")  # this process's: still in use
    for mine in (".render-abc", ".quarto-def", "tables"):  # no marker: the user's
        (tmp_path / mine).mkdir()
    with render_lock(tmp_path) as stale:
        assert sorted(stale) == sorted(dead)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".quarto-def", ".render-abc", "tables", live.name])


def test_typst_cannot_read_outside_its_folder(tmp_path):
    from analysis.render.errors import RenderError
    from analysis.render.pdf import compile_pdf
    typ = tmp_path / "doc.typ"
    typ.write_text('#read("/etc/passwd")\n', encoding="utf-8")
    with pytest.raises(RenderError, match="file not found"):
        compile_pdf(typ, tmp_path / "doc.pdf")


# ---- whole documents, and the same hostile corpus through Quarto where it is installed ----------------

MARKED = re.compile(MARK + r"\d\d ")  # a payload's marker (base64 fonts may hold "ZQX" by chance)


def template_resource(tag: str, k: str, v: str, in_head: bool) -> bool:
    """The template's own inlined stylesheet (Quarto embeds Bootstrap as <link href="data:text/css,…">
    in <head>): a data: URL that is a stylesheet, where the template puts it, carrying no payload."""
    return (tag == "link" and k == "href" and in_head and re.match(r"\s*data:text/css[;,]", v, re.I) is not None
            and not MARKED.search(unescape(v)))


class Marked(HTMLParser):
    """Tags, script/style bodies and comments that carry a payload's marker (templates add their own
    scripts), and on* attributes or script links anywhere."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.faults, self.raw, self.in_head = [], None, False

    def handle_starttag(self, tag, attrs):
        self.raw = tag if tag in ("script", "style") else None
        self.in_head = tag == "head" or (self.in_head and tag != "body")
        if tag == "script" and dict(attrs).get("type") == "application/json":
            self.raw = "json"  # data for a script (the explorer): allowed, if nothing in it can end the element
        for k, v in attrs:
            if k.startswith("on"):
                self.faults.append(f"<{tag} {k}=>")
            if (k in ("href", "src", "action", "formaction") and re.match(r"\s*(javascript|vbscript|data:text)", v or "", re.I)
                    and not template_resource(tag, k, v or "", self.in_head)):
                self.faults.append(f"<{tag} {k}={v[:30]}>")
            if MARKED.search(v or "") and (tag in FORBIDDEN_TAGS or k in ("href", "src")):
                self.faults.append(f"<{tag} {k}={v[:30]}>")
        if tag in FORBIDDEN_TAGS and MARKED.search(self.get_starttag_text() or ""):
            self.faults.append(f"<{tag}>")

    def handle_data(self, data):
        if self.raw == "json":
            if re.search(r"[<>&\u2028\u2029]", data):
                self.faults.append("raw <, >, & or a line separator inside a JSON <script>")
        elif self.raw and MARKED.search(data):
            self.faults.append(f"payload inside <{self.raw}>")

    def handle_endtag(self, tag):
        self.raw = None
        self.in_head = self.in_head and tag != "head"

    def handle_comment(self, data):
        if MARKED.search(data) or "hidden" in data:
            self.faults.append(f"<!--{data[:20]}-->")


def document_faults(html: str) -> list[str]:
    """A whole briefing: the template's own scripts and styles are allowed, nothing from a payload is."""
    p = Marked()
    p.feed(html)
    return p.faults + [f"control character U+{ord(c):04X}" for c in set(html) & {"\x00", "\x1b"}]


def test_document_checker_tells_template_resources_from_data():
    """Issue 23, E11: Quarto's own <link href="data:text/css,…"> in <head> is the template's; a data:text/html
    link is a fault wherever it is, and so is a stylesheet data: URL in the body or carrying a payload."""
    head = '<html><head><link rel="stylesheet" href="data:text/css,body%7Bcolor:red%7D">{}</head><body>{}</body></html>'
    assert document_faults(head.format("", "<p>text</p>")) == []
    assert document_faults(head.format("", '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>'))
    assert document_faults(head.format('<link rel="stylesheet" href="data:text/html;base64,PHNjcmlwdD4=">', ""))
    assert document_faults(head.format("", '<link rel="stylesheet" href="data:text/css,p{}">'))
    assert document_faults(head.format(f'<link rel="stylesheet" href="data:text/css,{MARK}07 x">', ""))


@pytest.mark.skipif(shutil.which("quarto") is None, reason=NO_QUARTO)
def test_quarto_route_keeps_payloads_as_text(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(DATA, data)
    hostile_corpus(data)
    assert main(["render", "--data", str(data), "--out", str(out), "--quiet"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert document_faults(html) == []
    shown = " ".join(html.split())
    assert all(f"{MARK}{k:02d}" in shown for k in range(len(PAYLOADS)))
    text = pdf_text(out / "report.pdf")
    assert "root:x:0:0" not in text and "ZQX24" in text
