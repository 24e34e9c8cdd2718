"""`python -m analysis explore` in a real browser (search, filter, deep link), its loopback-only
guard, and the briefing's bounded, stratified explorer selection."""
from __future__ import annotations

import http.client
import threading

import pandas as pd
import pytest
from test_explorer import CHROMIUM, Page, browser, needs_chromium  # noqa: F401 (browser is a fixture)

from analysis.api import evidence_db
from analysis.cli import main
from analysis.report import explorer


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from analysis.report.explore import serve
    out = tmp_path_factory.mktemp("explore")
    assert main(["code", "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    evidence_db("data", out)
    server = serve(out / "tables", port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/", out
    server.shutdown()
    server.server_close()


class AppPage(Page):
    """A page of the app; Playwright's waits evaluate scripts, which the app's CSP forbids pages to do."""

    def __init__(self, browser, url):  # noqa: F811
        self.context = browser.new_context(bypass_csp=True)
        self.page = self.context.new_page()
        self.errors, self.requests = [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)


def _wait_rows(p, n: int | None = None):
    p.page.wait_for_function("!document.querySelector('#explorer .ev-note').textContent.includes('loading')")
    if n is not None:
        p.page.wait_for_function(f"document.querySelectorAll('#explorer tbody tr').length == {n}")
    return p.rows()


@needs_chromium
def test_explore_lists_every_row_then_searches_filters_and_deep_links(app, browser):  # noqa: F811
    url, out = app
    st = pd.read_csv(out / "tables" / "frame_sentences.csv", dtype=str)
    p = AppPage(browser, url)
    rows = _wait_rows(p, 50)  # the first page of 50
    assert p.count() == len(st) == 65  # every sentence × frame row of the seeds (see test_changes: 73 - 8)

    # a search typed with alef maqsura finds ساعي البريد (folded as the coder folds)
    p.page.fill("#explorer input[data-k=q]", "ساعى البريد")
    p.page.wait_for_function("document.querySelector('#explorer .ev-count').textContent != '65'")
    rows = _wait_rows(p)
    assert rows and all("ساعي البريد" in r["arabic"] for r in rows)
    assert {r["id"] for r in rows} >= {"002:5613-5802"}  # Kadhimi's «لن يكون ساعي البريد» in Arabi Post

    # a filter: Al-Marjie's postman sentences are Zafer al-Ani's tweet and Kadhimi's denial (read in the seed)
    p.page.fill("#explorer input[data-k=q]", "")
    p.page.select_option("#explorer select[data-k=o]", "Al-Marjie")
    p.page.select_option("#explorer select[data-k=f]", "postman")
    p.page.wait_for_function("document.querySelector('#explorer .ev-count').textContent == '2'")
    rows = _wait_rows(p, 2)
    assert {(r["id"], r["stance"], r["speaker"]) for r in rows} == {
        ("000:1389-1823", "reported", "Zafer al-Ani"), ("000:1910-2229", "denied", "Mustafa al-Kadhimi")}
    p.close()
    assert p.errors == []

    # the briefing's deep link, and a cell's filter as the briefing links it
    p = AppPage(browser, url + "#ev-000:1910-2229")
    rows = _wait_rows(p, 1)
    assert [(r["id"], r["frame"], r["stance"]) for r in rows] == [("000:1910-2229", "Postman / messenger", "denied")]
    assert "لن يكون ساعي بريد" in rows[0]["arabic"]
    p.close()
    p = AppPage(browser, url + "#o=Al-Marjie&f=postman")
    assert len(_wait_rows(p, 2)) == 2 and p.count() == 2
    p.close()
    assert p.errors == []


def test_explore_answers_its_loopback_name_only(app):
    url, _ = app
    host, port = url.split("//")[1].rstrip("/").split(":")
    con = http.client.HTTPConnection(host, int(port), timeout=5)
    con.request("GET", "/api/rows?f=postman", headers={"Host": f"evil.example:{port}"})  # DNS rebinding
    assert con.getresponse().status == 403
    con = http.client.HTTPConnection(host, int(port), timeout=5)
    con.request("GET", "/api/rows?f=postman&o=Al-Marjie")
    r = con.getresponse()
    assert r.status == 200 and b'"total": 2' in r.read()
    assert host == "127.0.0.1"


def _cells(n_outlets: int, n_frames: int, per: int) -> pd.DataFrame:
    """Evidence rows written for testing: ``per`` sentences in every outlet × frame cell."""
    rows = [{"evidence_id": f"a{o}:{i * 10}-{i * 10 + 5}", "article_id": f"a{o}", "start": i * 10, "outlet": f"O{o}",
             "frame": f"f{f}"} for o in range(n_outlets) for f in range(n_frames) for i in range(per)]
    return pd.DataFrame(rows)


def test_the_embedded_selection_keeps_every_cell_with_its_first_and_last_rows():
    ev = _cells(3, 4, 100)  # 1,200 rows in 12 cells
    assert explorer.stratified(ev, limit=1200) is ev  # within the budget: everything
    sel = explorer.stratified(ev, limit=120, per_cell=40)  # 120 // 12 = 10 rows a cell
    assert len(sel) == 120
    per_cell = sel.groupby(["outlet", "frame"]).size()
    assert len(per_cell) == 12 and set(per_cell) == {10}
    one = sel[(sel.outlet == "O1") & (sel.frame == "f2")].start.tolist()
    assert one == [0, 110, 220, 330, 440, 550, 660, 770, 880, 990]  # 0…99 evenly: i * 99 / 9 rounded, × 10
    # a cell smaller than its share is shown whole
    small = pd.concat([_cells(1, 1, 3).assign(outlet="Tiny"), ev])
    sel = explorer.stratified(small, limit=130, per_cell=40)
    assert (sel.outlet == "Tiny").sum() == 3


def test_a_cell_of_the_selection_says_how_many_there_are_and_where():
    ev = _cells(1, 1, 100).assign(speaker="x", stance="asserted")
    totals = explorer.cell_filters(ev)
    key = explorer.cell_key(outlet="O0", frame="f0")
    assert totals[key]["n"] == 100
    html = explorer.static_lists(explorer.stratified(ev, limit=10), str, totals)
    assert "O0 · f0: showing 10 of 100 (the whole evidence: python -m analysis explore" in html


def _search(db, words: str) -> set[str]:
    import sqlite3

    from analysis.results.evidence_db import fold
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute("SELECT DISTINCT evidence_id FROM evidence WHERE sentence IN "
                                          "(SELECT rowid FROM search WHERE search MATCH ?)", [f'"{fold(words)}"'])}
    finally:
        con.close()


def test_a_rebuild_indexes_what_changed_and_forgets_what_went(app, tmp_path):
    import shutil
    import sqlite3

    import pyarrow.parquet as pq

    from analysis.results.evidence import Translation
    from analysis.results.evidence_db import build
    _, out = app
    tables = tmp_path / "tables"
    shutil.copytree(out / "tables", tables)
    db = tables / "evidence.sqlite"
    # a translation written for testing, on Kadhimi's denial (000:1910-2229): the rebuild indexes its English
    said = {"000:1910-2229": Translation("the premier will carry no letters zqxw", "test", "")}
    build(tables, said, {})
    assert _search(db, "zqxw") == {"000:1910-2229"}
    assert _search(db, "ساعي بريد") >= {"000:1910-2229"}
    build(tables, {}, {})  # the translation removed: its words leave the index
    assert _search(db, "zqxw") == set()
    # a codebook edit that drops the postman frame: its sentences leave the index, the rest stay
    fs = pq.read_table(tables / "frame_sentences.parquet")
    pq.write_table(fs.filter(fs.column("frame").to_numpy(zero_copy_only=False) != "postman"), tables / "frame_sentences.parquet")
    build(tables, {}, {})
    con = sqlite3.connect(db)
    eids = {r[0] for r in con.execute("SELECT evidence_id FROM evidence")}
    indexed = {r[0] for r in con.execute("SELECT evidence_id FROM sentences")}
    n_search = con.execute("SELECT count(*) FROM search").fetchone()[0]
    con.close()
    # 54 sentences carry a frame in the seeds (56 before the strict withdrawal rule of issue 21 left 000:808-921
    # and 002:387-408, both withdrawal only, with none); the 4 postman sentences carry no other
    assert indexed == eids and n_search == len(eids) == 50
    assert "000:1910-2229" not in _search(db, "الكاظمي") and "002:1569-1851" in _search(db, "الكاظمي")
    fresh = tmp_path / "fresh"
    shutil.copytree(tables, fresh, ignore=shutil.ignore_patterns("evidence.sqlite"))
    build(fresh, {}, {})
    for words in ("الكاظمي", "قاآني", "Arabi Post", "صواريخ"):
        assert _search(db, words) == _search(fresh / "evidence.sqlite", words)


def test_explore_filters_by_camp_and_unnamed_source_as_the_briefing_links(app):
    from analysis.report.explore import Evidence
    _, out = app
    e = Evidence(out / "tables")
    o = e.options()
    assert o["groups"] == []                 # five outlets: the briefing's table has outlets, not groups
    assert {"Iran", "Iraqi government", "Own voice"} <= set(o["camps"]) and o["unnamed"]
    # a camp is the speaker's side in data/actors.yaml: Qaani and Khamenei are listed under Iran, Kadhimi not
    iran = {r["sp"] for r in e.rows({"c": "Iran"})["rows"]}
    assert {"Esmail Qaani", "Ali Khamenei"} <= iran and "Mustafa al-Kadhimi" not in iran
    # on unnamed sources: the frame rows whose speaker is anonymous, as frame_sentences.csv lists them
    fs = pd.read_csv(out / "tables" / "frame_sentences.csv", dtype=str)
    anon = fs[(fs.outlet == "Arabi Post") & (fs.speaker_kind == "anonymous")]
    got = e.rows({"u": "1", "o": "Arabi Post"})
    assert got["total"] == len(anon) > 0 and all(r["u"] == 1 for r in got["rows"])
    assert {r["sp"] for r in got["rows"]} <= set(anon.speaker_name)
    assert e.rows({"u": "0"})["total"] == len(fs) == 65  # u=0 is no filter


def test_explore_offers_the_outlet_groups_of_a_26_outlet_study(tmp_path):
    import shutil

    from test_brief import WATER26

    from analysis.report.explore import Evidence
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(WATER26, data)
    assert main(["code", "--data", str(data), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    evidence_db(data, out)
    e = Evidence(out / "tables")
    outlets = pd.read_csv(data / "outlets.csv", dtype=str)
    # past 12 outlets the briefing groups them by alignment (outlets.csv, written for testing): so does the app
    assert set(e.options()["groups"]) == set(outlets.alignment)
    opposition = set(outlets.name_en[outlets.alignment == "opposition"])
    got = e.rows({"g": "opposition"})
    assert got["total"] > 0 and {r["o"] for r in got["rows"]} <= opposition


def test_an_old_layout_or_edited_actors_make_the_database_stale(app, tmp_path):
    """`explore` rebuilds evidence.sqlite rather than serve one of another layout (its queries would fail)
    or one whose camps and outlet groups came from other actors or outlets."""
    import shutil
    import sqlite3

    from test_brief import ROOT

    from analysis.results.evidence_db import db_path, fresh, inputs_digest
    _, out = app
    tables, data = tmp_path / "tables", tmp_path / "data"
    shutil.copytree(out / "tables", tables)
    shutil.copytree(ROOT / "data", data)
    digest = inputs_digest(data)
    assert fresh(tables, digest)                        # built from these very inputs
    with open(data / "actors.yaml", "a", encoding="utf-8") as f:
        f.write("\n# an edit, written for testing\n")
    assert not fresh(tables, inputs_digest(data))       # a side may have changed: the camps are stale
    con = sqlite3.connect(db_path(tables))
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")  # yesterday's layout
    con.commit()
    con.close()
    assert not fresh(tables, digest)


def test_the_index_folds_a_batch_as_search_folds_each_text():
    """Written for this test: hamzated alefs, alef maqsura, teh marbuta, tashkeel, tatweel, Persian kaf
    and yeh, Arabic-Indic digits, a presentation-form lam-alef (one character, two letters), capitals."""
    from analysis.results.evidence_db import Folder, fold
    texts = ["قالَ الرئيسُ إنّ المباحثات ستُستأنف في آذار ١٤٤٢", "ﻻ علاقة للـــحكومة بالرسالة یا کاظمی",
             "Baghdad ÉTÉ «NOT» a Postman", "", "مستشفى في المدينة القديمة"]
    folder = Folder()
    assert folder(texts) == [fold(t) for t in texts]
    assert folder(texts[:2])[0] == "قال الرئيس ان المباحثات ستستانف في اذار 1442"
    assert folder(texts[:2])[1].startswith("لا علاقه للحكومه بالرساله يا كاظمي")
    later = ["ًأٌ ٱلْقُدْسِ", "plain ascii only"]  # characters first seen in a later batch are folded too
    assert folder(later) == [fold(t) for t in later]
