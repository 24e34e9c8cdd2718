"""Changes since the last render: the briefing's box and `python -m analysis diff`."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pandas as pd

from analysis.cli import main
from analysis.report.changes import box
from analysis.results import changes as ch

# An article written for testing: a short denial of the postman role, nothing else.
ADDED = "خبر كتب للاختبار فقط.\nوقال الكاظمي إن العراق لن يكون ساعي بريد بين طهران وواشنطن.\n"
# The sentence 004:3402-3645 has «الحوار الاستراتيجي» seven words before «قوات»: with the
# strategic-dialogue indicator's window cut from 14 words to 2 it no longer counts.
DIALOGUE_LABEL = "          label: strategic dialogue on US forces"


def _snap(articles, counts, mentions) -> dict[str, pd.DataFrame]:
    return {"articles": pd.DataFrame(articles, columns=ch.FILES["articles"]),
            "counts": pd.DataFrame(counts, columns=ch.FILES["counts"]),
            "mentions": pd.DataFrame(mentions, columns=ch.FILES["mentions"])}


OLD = _snap([("a1", "Outlet A", "2020-08-18", "articles/a1.txt", "h1"), ("a2", "Outlet B", "", "articles/a2.txt", "h2")],
            [("Outlet A", "postman", "Postman", 1), ("Outlet B", "postman", "Postman", 2)],
            [("a1:0-9", "postman", "a1", "Outlet A", "2020-08-18", "asserted", "the outlet itself", "نص أول", "first"),
             ("a2:0-5", "postman", "a2", "Outlet B", "", "reported", "a source", "نص ثان", "second"),
             ("a2:6-9", "postman", "a2", "Outlet B", "", "asserted", "the outlet itself", "نص ثالث", "")])
NEW = _snap([("a1", "Outlet A", "2020-08-18", "articles/a1.txt", "h1"), ("a3", "Outlet A", "2020-08-19", "articles/a3.txt", "h3")],
            [("Outlet A", "postman", "Postman", 2), ("Outlet B", "postman", "Postman", 0)],
            [("a1:0-9", "postman", "a1", "Outlet A", "2020-08-18", "denied", "Kadhimi", "نص أول", "first"),
             ("a3:0-4", "postman", "a3", "Outlet A", "2020-08-19", "asserted", "the outlet itself", "نص رابع", "fourth")])


def test_compare_by_hand():
    c = ch.compare(OLD, NEW)
    assert list(c.added.article_id) == ["a3"] and list(c.removed.article_id) == ["a2"] and c.edited.empty
    assert c.counts[["outlet", "before", "after", "change"]].values.tolist() == [["Outlet A", 1, 2, 1], ["Outlet B", 2, 0, -2]]
    assert list(c.gained.evidence_id) == ["a3:0-4"]
    assert list(c.lost.evidence_id) == ["a2:0-5", "a2:6-9"]
    assert c.recoded[["evidence_id", "stance_before", "stance", "speaker"]].values.tolist() == [["a1:0-9", "asserted", "denied", "Kadhimi"]]
    text = c.text()
    assert "Articles: 1 added, 1 removed, 0 edited" in text
    assert "Outlet A · Postman: 1 → 2 (+1)" in text and "Outlet B · Postman: 2 → 0 (-2)" in text
    assert "+ a3:0-4 · Outlet A · Postman · asserted · the outlet itself\n      نص رابع\n      fourth" in text
    assert "a1:0-9 · Postman: asserted (the outlet itself) → denied (Kadhimi)" in text


def test_edited_articles_by_hand():
    """An article whose hash or date moved is edited; its neighbours are not; each list keeps its
    table's order; a history with its columns in another order counts every shared article as edited."""
    rows = [("b2", "Outlet B", "", "articles/b2.txt", "h2"), ("a1", "Outlet A", "2020-08-18", "articles/a1.txt", "h1"),
            ("c3", "Outlet C", "2020-08-20", "articles/c3.txt", "h3"), ("d4", "Outlet C", "2020-08-21", "articles/d4.txt", "h4")]
    changed = [rows[0], ("a1", "Outlet A", "2020-08-18", "articles/a1.txt", "h1-edited"),
               ("c3", "Outlet C", "2020-08-19", "articles/c3.txt", "h3"), rows[3]]
    old, new = _snap(rows, [], []), _snap(changed[::-1], [], [])
    c = ch.compare(old, new)
    assert list(c.edited.article_id) == ["c3", "a1"] and c.added.empty and c.removed.empty
    assert c.edited.sha256.tolist() == ["h3", "h1-edited"] and list(c.edited.columns) == ch.FILES["articles"]
    reordered = {**old, "articles": old["articles"][["article_id", "file", "outlet", "date", "sha256"]]}
    assert list(ch.compare(reordered, new).edited.article_id) == ["d4", "c3", "a1", "b2"]


def test_first_and_unchanged():
    assert "first render" in ch.compare(None, NEW).text()
    assert ch.compare(NEW, NEW).nothing and "nothing changed" in ch.compare(NEW, NEW).text()
    assert "nothing to compare with" in box(ch.compare(None, NEW))


def test_box_caps_its_lists_and_escapes():
    many = _snap([], [], [(f"a{i}:0-1", "postman", f"a{i}", "<b>Outlet</b>", "", "asserted", "x", "نص", "*bold*") for i in range(9)])
    out = box(ch.compare(_snap([], [], []), many), limit=3)
    assert "**Mentions gained (9):**" in out and "… and 6 more" in out
    assert out.count("`a") == 3
    assert "\\<b\\>Outlet\\<\\/b\\>" in out and "\\*bold\\*" in out


def test_snapshot_round_trip(tmp_path, seed):
    snap = ch.snapshot(seed, {})
    ch.write_snapshot(tmp_path, snap)
    assert ch.compare(ch.read_snapshot(tmp_path), snap).nothing
    # 73 sentence x frame rows before issue 21, less the 8 withdrawal sentences that name the withdrawal
    # with no time element of their own (000:s005; 002:s003, s006, s009, s012, s025; 003:s004, s007)
    assert len(snap["mentions"]) == 65 and len(snap["articles"]) == 5


def _render(out: Path, data: Path) -> str:
    assert main(["render", "--data", str(data), "--out", str(out), "--quiet", "--builtin", "--to", "html"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    m = re.search(r"Changes since the last render.*?</div>\s*</div>", html, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", m.group(0))).split())


def _diff(capsys, *args) -> str:
    capsys.readouterr()
    assert main(["diff", "--quiet", *args]) == 0
    return capsys.readouterr().out


def test_an_added_article_and_a_codebook_edit_show_in_the_box_and_in_diff(tmp_path, data_copy, capsys):
    out = tmp_path / "out"
    where = ["--data", str(data_copy), "--out", str(out)]
    first = _render(out, data_copy)
    assert "first render" in first and "nothing to compare with" in first
    assert "nothing changed" in _diff(capsys, *where)

    (tmp_path / "added.txt").write_text(ADDED, encoding="utf-8")
    assert main(["add", str(tmp_path / "added.txt"), "--id", "900", "--outlet", "aljarida", "--date", "2020-08-21",
                 "--language", "ar", "--quiet", *where]) == 0
    cb = data_copy / "codebook.yaml"
    lines = cb.read_text(encoding="utf-8").split("\n")
    at = lines.index(DIALOGUE_LABEL) - 1  # the Arabic indicator's window, the line above its label
    assert lines[at] == "          within: 14"
    lines[at] = "          within: 2"
    cb.write_text("\n".join(lines), encoding="utf-8")

    preview = _diff(capsys, *where)
    second = _render(out, data_copy)
    after = _diff(capsys, "--against", str(out / "history" / "previous"), *where)
    assert preview == after  # diff before the render says what the render's box then says
    assert "added: 900 · Al-Jarida · 2020-08-21 · articles/900.txt" in preview
    assert "Al-Jarida · Postman / messenger: 0 → 1 (+1)" in preview
    assert "Independent Arabia · Troop withdrawal and its timeline: 2 → 1 (-1)" in preview
    assert "+ 900:22-81 · Al-Jarida · Postman / messenger · denied · Mustafa al-Kadhimi" in preview
    assert "- 004:3402-3645 · Independent Arabia · Troop withdrawal and its timeline" in preview

    assert "1 added: 900 (Al-Jarida, 2020-08-21)" in second
    assert "Al-Jarida · Postman / messenger 0 → 1 (+1)" in second
    assert "Independent Arabia · Troop withdrawal and its timeline 2 → 1 (-1)" in second
    assert "900:22-81" in second and "وقال الكاظمي إن العراق لن يكون ساعي بريد بين طهران وواشنطن." in second
    assert "004:3402-3645" in second and "لمواصلة الحوار الاستراتيجي" in second
    assert "nothing changed" in _diff(capsys, *where)  # the second render is now the baseline


def test_a_render_becomes_the_baseline_only_once_promoted(tmp_path, seed):
    out = tmp_path / "out"
    ch.stage(out, ch.snapshot(seed, {}))
    assert ch.read_snapshot(ch.latest_dir(out)) is None  # a render that fails after this leaves no baseline
    assert ch.promote(out) and ch.read_snapshot(ch.latest_dir(out)) is not None
    assert not ch.promote(out)  # nothing staged any more
    ch.stage(out, ch.snapshot(seed, {}))
    ch.discard(out)  # the render failed
    assert not ch.promote(out)
    ch.stage(out, ch.snapshot(seed, {}))
    assert ch.promote(out) and (out / "history" / "previous" / "mentions.csv").is_file()


def test_diff_against_a_folder_without_tables(tmp_path, capsys):
    assert main(["diff", "--quiet", "--against", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"ERROR {tmp_path}: no render tables here" in err and "fix:" in err and "Traceback" not in err
