"""The briefing's kernel reads the tables `code` wrote (report/store.py), and never codes."""
from __future__ import annotations

import pytest

from analysis.cli import main
from analysis.report import briefing
from analysis.report.store import TABLES_ENV, open_coded


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    out = tmp_path_factory.mktemp("store")
    assert main(["code", "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    return out


def test_the_kernel_reads_the_tables_and_never_codes(coded, monkeypatch, tmp_path):
    import analysis.pipeline
    import analysis.results.stream

    def no(*a, **k):
        raise AssertionError("the kernel coded")
    monkeypatch.setattr(analysis.results.stream, "code_tables", no)
    monkeypatch.setattr(analysis.pipeline, "Run", no)
    monkeypatch.setattr(analysis.pipeline, "analyse", no)
    monkeypatch.setenv(TABLES_ENV, str(coded / "tables"))
    monkeypatch.setenv(briefing.DATA_ENV, "data")
    monkeypatch.setenv(briefing.FIGURES_ENV, str(tmp_path))
    b = briefing.load()
    c = b.counts.set_index(["outlet", "frame"])
    # read in the seeds: Al-Marjie carries the postman frame twice (Zafer al-Ani's tweet, Kadhimi's denial)
    assert c.loc[("Al-Marjie", "postman"), "sentences"] == 2
    assert b.removed_lines == "15 lines"  # the seed briefing's "Cleaning removed 15 lines"
    assert len(b.evidence) == 65 and "arabic" not in b.evidence.columns  # every row (73 - 8, see test_changes), none with its text


def test_shown_rows_get_their_quote_and_highlights_by_id(coded):
    a = open_coded("data", coded / "tables")
    ev = a.evidence({})
    row = ev[(ev.evidence_id == "000:1910-2229") & (ev.frame == "postman")]
    got = a.with_text(row).iloc[0]
    assert "لن يكون ساعي بريد" in got.arabic  # Kadhimi's denial, sliced from article 000
    text = {x.id: x.text for x in a.corpus.articles}["000"]
    # the three indicator hits of the sentence, as offsets into the article
    assert [text[s:e] for s, e in got.highlights] == ["رسائل إيرانية» إلى «ترامب", "الوسيط بين إيران وأمريكا",
                                                      "يكون ساعي بريد"]
    assert all(1910 <= s < e <= 2229 for s, e in got.highlights)


def test_the_kernel_holds_the_manifest_not_the_texts(coded, tmp_path):
    import shutil

    from analysis.io.errors import InputError
    a = open_coded("data", coded / "tables")
    art = a.corpus.article("002")
    assert not hasattr(art, "__dict__")  # slots only: no text is kept on the article
    assert len(a.corpus.articles) == 5 and art.outlet.id == "arabipost" and str(art.date) == "2020-08-20"
    # read from the file when asked: the sentence at 387-408 is Arabi Post's subheading (line 3 of the file)
    assert art.text[387:408] == "خروج القوات الأمريكية"
    # the headlines and subheadings among the frame sentences: each a whole line of the article without
    # closing punctuation, or article 003's deck (read in the seed files)
    ev = a.evidence({}).drop_duplicates("evidence_id")
    heads = {e for e, h in zip(ev.evidence_id, a.headings(ev)) if h}
    # (002:387-408, "خروج القوات الأمريكية", is a subheading but no longer a frame sentence: the strict withdrawal
    # rule of issue 21 wants a time element in the sentence itself)
    assert heads == {"002:2426-2446", "002:5592-5612", "003:73-181", "004:809-843", "004:2666-2691"}
    # an article edited after it was coded is refused, not quoted at stale offsets
    data = tmp_path / "data"
    shutil.copytree("data", data)
    b = open_coded(data, coded / "tables")
    path = data / b.corpus.article("001").file
    path.write_text(path.read_text(encoding="utf-8") + "سطر جديد\n", encoding="utf-8")
    with pytest.raises(InputError, match="changed after it was coded"):
        _ = b.corpus.article("001").text


def test_a_manifest_that_no_longer_lists_what_was_coded_is_refused(coded, tmp_path):
    """A row added after `code` ran would count an article the tables never coded; a row dropped would
    leave its mentions in the tables: either way the kernel stops and says to render again."""
    import shutil

    from analysis.io.errors import InputError
    data = tmp_path / "data"
    shutil.copytree("data", data)
    manifest = data / "manifest.csv"
    rows = manifest.read_text(encoding="utf-8").splitlines(keepends=True)

    def refused(*extra: str) -> list:
        manifest.write_text("".join(extra), encoding="utf-8")
        with pytest.raises(InputError) as e:
            open_coded(data, coded / "tables")
        return [(p.line, p.what, p.fix) for p in e.value.problems]

    # written for this test: a row the seeds' tables do not hold, on line 7 (header + 5 seeds + it), whose
    # outlet is not in outlets.csv and whose date is not a date: refused as not coded, not parsed
    [(line, what, fix)] = refused(*rows, "new,articles/new.txt,nowhere,,,,19 Aug,,,,A test,en,\n")
    assert line == 7 and what.startswith("article 'new' is not among the coded articles") and fix.startswith("render again")
    # seed 003 dropped (line 5): named, with no line of its own
    [(line, what, _)] = refused(*rows[:4], *rows[5:])
    assert line is None and what.endswith("since they were coded): '003'")
    # seed 001 listed twice (lines 3 and 7)
    [(line, what, _)] = refused(*rows, rows[2])
    assert (line, what) == (7, "id '001' is listed twice (first on line 3)")
    # seed 000 with its title over two lines, listed twice: its rows start on lines 2 and 8 (and end on 3 and 9);
    # named where they start, as `code` names them
    two_lines = rows[1].replace(",«الكاظمي»", ',"«الكاظمي»\n').replace(",ar,\n", '",ar,\n', 1)
    assert two_lines.count("\n") == 2
    [(line, what, _)] = refused(rows[0], two_lines, *rows[2:], two_lines)
    assert (line, what) == (8, "id '000' is listed twice (first on line 2)")
    # an id no run has checked is shown escaped and cut short, never printed as it stands
    [(_, what, _)] = refused(*rows, '"a\nERROR ' + "x" * 60 + '",articles/new.txt,almarjie,,,,,,,,,en,\n')
    assert what.startswith("article 'a\\nERROR xxx") and "…" in what and "\n" not in what
    # five rows not coded: three named, then how many more
    problems = refused(*rows, *(f"n{i},articles/new.txt,almarjie,,,,,,,,,en,\n" for i in range(5)))
    assert [p[0] for p in problems] == [7, 8, 9, None] and problems[-1][1] == "2 more row(s) like these"
    manifest.write_text("".join(rows), encoding="utf-8")
    assert [a.id for a in open_coded(data, coded / "tables").corpus.articles] == ["000", "001", "002", "003", "004"]


def test_with_dedupe_the_near_copies_are_set_aside_on_both_sides(coded, tmp_path):
    """`code --dedupe` leaves out the rows marked duplicate_of; the kernel, told the same, sets them aside
    too. Told otherwise than the coding was, it refuses: its counts would not be the tables'."""
    import shutil

    from analysis.io.errors import InputError
    data = tmp_path / "data"
    shutil.copytree("data", data)
    manifest = data / "manifest.csv"
    rows = manifest.read_text(encoding="utf-8").splitlines()
    # seed 004 marked a near-copy of 003 (for this test; they are different articles)
    manifest.write_text("\n".join([rows[0] + ",duplicate_of", *(r + "," for r in rows[1:5]), rows[5] + ",003"]) + "\n",
                        encoding="utf-8")
    out = tmp_path / "o"
    assert main(["code", "--data", str(data), "--out", str(out), "--quiet", "--jobs", "1", "--dedupe"]) == 0
    a = open_coded(data, out / "tables", dedupe=True)
    assert [x.id for x in a.corpus.articles] == ["000", "001", "002", "003"] and a.corpus.set_aside == ["004"]
    with pytest.raises(InputError, match="since they were coded\\): '004'"):
        open_coded(data, coded / "tables", dedupe=True)  # coded with 004, opened without it
    with pytest.raises(InputError, match="article '004' is not among the coded articles"):
        open_coded(data, out / "tables")  # coded without 004, opened with it


def test_one_pass_of_quoting_resolves_the_articles_folder_once_and_still_refuses_a_link_out(coded, tmp_path,
                                                                                           monkeypatch):
    """Quoting rows of the five seed articles resolves articles/ once for the pass, not once per article;
    an article file swapped for a link out of the data folder is still refused (its own name is looked at)."""
    import shutil

    import analysis.io.paths as paths
    from analysis.io.errors import InputError
    data = tmp_path / "data"
    shutil.copytree("data", data)
    a = open_coded(data, coded / "tables")
    ev = a.evidence({}).drop_duplicates("article_id")
    assert sorted(ev.article_id) == ["000", "001", "002", "003", "004"]
    calls = []
    real = paths.inside
    monkeypatch.setattr(paths, "inside", lambda root, rel: calls.append(rel) or real(root, rel))
    quotes = a.quotes(ev)
    assert calls == ["articles"]
    files = {x.id: x.file for x in a.corpus.articles}
    assert quotes == [(data / files[aid]).read_text(encoding="utf-8")[s:e]  # each slice as the file holds it
                      for aid, s, e in zip(ev.article_id, ev.start, ev.end)]
    b = open_coded(data, coded / "tables")
    f = data / b.corpus.article("002").file
    outside = tmp_path / "outside.txt"
    outside.write_bytes(f.read_bytes())
    f.unlink()
    f.symlink_to(outside)
    with pytest.raises(InputError, match="outside the data folder"):
        b.quotes(ev)
