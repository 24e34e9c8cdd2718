"""The locked, all-or-nothing writer of data files, and the defects of `add` and `translations --merge`
it fixes (issue 23: A1, A2, A4, A5, E6, E9).  Article texts here are written for testing."""
from __future__ import annotations

import csv
import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.io import datawriter
from analysis.io.datawriter import DataWriter

ROOT = Path(__file__).resolve().parents[1]
NEW_AR = "قال مسؤول عراقي في تصريح كتب للاختبار إن الحكومة ستناقش الاتفاق الأسبوع المقبل.\n"


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_id_cannot_climb_out_of_the_data_folder(capsys, tmp_path, data_copy):
    """A1: the id is checked before anything is written; nothing outside data/ is touched or created."""
    victim = tmp_path / "elsewhere" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("keep me\n")
    new = tmp_path / "new.txt"
    new.write_text(NEW_AR, encoding="utf-8")
    before = snapshot(tmp_path)
    for bad in ("../elsewhere/victim", "../../x/y/z", "/tmp/abs", ".hidden", "a/b"):
        code, out, err = run(capsys, "add", new, "--data", data_copy, "--id", bad, "--outlet", "aljarida",
                             "--language", "ar")
        assert code == 2 and "is not a plain id" in err, (bad, err)
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "x").exists() and victim.read_text() == "keep me\n"


def test_merge_keys_translations_by_evidence_id_whatever_the_column_order(tmp_path, data_copy):
    """A2: a translations.csv whose first column is article_id keeps every row when one row is merged."""
    from analysis import translations
    from analysis.pipeline import analyse
    path = data_copy / "translations.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    order = ["article_id", "evidence_id", "start", "end", "arabic", "english", "translator", "note"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=order, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    first = rows[0]
    filled = tmp_path / "filled.csv"
    with open(filled, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["evidence_id", "article_id", "start", "end", "arabic", "english",
                                          "translator", "note"], lineterminator="\n")
        w.writeheader()
        w.writerow({**first, "english": "A new English line.", "translator": "test"})
    target, n = translations.merge(filled, data_copy, analyse(data_copy))
    assert n == 1
    with open(target, encoding="utf-8", newline="") as f:
        after = list(csv.DictReader(f))
    assert len(after) == len(rows) and len(rows) > 50  # the seed file has 96 rows; all stay
    assert {r["evidence_id"] for r in after} == {r["evidence_id"] for r in rows}
    assert next(r for r in after if r["evidence_id"] == first["evidence_id"])["english"] == "A new English line."


def test_concurrent_adds_lose_no_row(tmp_path, data_copy):
    """A4: six `add`s at once: six manifest rows, six articles, `validate` clean."""
    procs = []
    for i in range(6):
        f = tmp_path / f"story{i}.txt"
        f.write_text(f"الخبر رقم {i} كتب للاختبار: " + NEW_AR, encoding="utf-8")
        procs.append(subprocess.Popen([sys.executable, "-m", "analysis", "add", str(f), "--data", str(data_copy),
                                       "--outlet", "aljarida", "--language", "ar"], cwd=ROOT,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    assert all(rc == 0 for _, _, rc in results), results
    with open(data_copy / "manifest.csv", encoding="utf-8") as f:
        ids = [r["id"] for r in csv.DictReader(f)]
    assert sorted(i for i in ids if i.startswith("story")) == [f"story{i}" for i in range(6)]
    assert len(ids) == 5 + 6
    assert not list(data_copy.glob(".framing-txn-*"))
    r = subprocess.run([sys.executable, "-m", "analysis", "validate", "--data", str(data_copy)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr


def test_a_failed_write_undoes_the_earlier_ones(capsys, tmp_path, data_copy, monkeypatch):
    """A5: the manifest (the third write) cannot be replaced: the article and the new outlet row are undone;
    the message names the manifest, no staging file and no --out; the retry works."""
    new = tmp_path / "new.txt"
    new.write_text(NEW_AR, encoding="utf-8")
    before = snapshot(data_copy)
    real = datawriter._replace

    def failing(src, dst):
        if dst.name == "manifest.csv":
            raise OSError(errno.EPERM, "Operation not permitted", str(src))
        real(src, dst)

    monkeypatch.setattr(datawriter, "_replace", failing)
    args = ("add", new, "--data", data_copy, "--outlet", "newone", "--outlet-en", "New One", "--language", "ar")
    code, out, err = run(capsys, *args)
    assert code == 2, err
    assert "manifest.csv" in err and "txn" not in err and "--out" not in err and "nothing was changed" in err
    assert snapshot(data_copy) == before  # article file gone again, outlets.csv as it was
    assert not list(data_copy.glob(".framing-txn-*"))
    monkeypatch.setattr(datawriter, "_replace", real)
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert (data_copy / "articles" / "new.txt").read_text(encoding="utf-8") == NEW_AR
    assert "newone,New One,,," in (data_copy / "outlets.csv").read_text(encoding="utf-8")  # no Arabic name needed


KILL = """
import os, sys
from pathlib import Path
from analysis.io import datawriter
real, n = datawriter._replace, [0]
def dying(src, dst):
    real(src, dst)
    n[0] += 1
    if n[0] == 2:
        os._exit(9)  # killed between renames: the article and outlets.csv are in, the manifest is not
datawriter._replace = dying
from analysis.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_commit_killed_between_renames_is_undone_by_the_next_writer(tmp_path, data_copy):
    new = tmp_path / "killed.txt"
    new.write_text(NEW_AR, encoding="utf-8")
    before = snapshot(data_copy)
    r = subprocess.run([sys.executable, "-c", KILL, "add", str(new), "--data", str(data_copy), "--outlet", "x1",
                        "--outlet-en", "X One", "--language", "ar"], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 9
    assert (data_copy / "articles" / "killed.txt").exists()  # half-done, as a kill leaves it
    assert len(list(data_copy.glob(".framing-txn-*"))) == 1
    with DataWriter(data_copy) as w:
        assert len(w.recovered) == 1
    assert snapshot(data_copy) == before


def test_recovery_leaves_folders_it_does_not_own(tmp_path):
    data = tmp_path / "data"
    (data / ".framing-txn-mine").mkdir(parents=True)
    (data / ".framing-txn-mine" / "notes.txt").write_text("the user's\n")
    with DataWriter(data) as w:
        assert w.recovered == []
    assert (data / ".framing-txn-mine" / "notes.txt").read_text() == "the user's\n"


HTML = ("<!doctype html><html><head>{meta}<title>t</title></head><body><nav>الرئيسية | أخبار</nav><article>"
        "<h1>عنوان كتب للاختبار</h1><p>قال وزير الخارجية في مؤتمر صحفي عقده اليوم إن الحكومة ماضية في الحوار مع "
        "جميع الأطراف من أجل التوصل إلى اتفاق شامل ينهي الأزمة الحالية في المنطقة.</p><p>وأضاف الوزير أن المفاوضات "
        "ستستأنف الأسبوع المقبل في العاصمة بحضور ممثلين عن الدول المعنية وعدد من المنظمات الدولية.</p></article>"
        "</body></html>")


@pytest.mark.parametrize("name,encode", [
    ("meta1256", lambda: HTML.format(meta='<meta charset="windows-1256">').encode("cp1256")),
    ("http-equiv", lambda: HTML.format(meta='<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">')
     .encode("cp1256")),
    ("utf16bom", lambda: HTML.format(meta="").encode("utf-16")),
    ("nometa1256", lambda: HTML.format(meta="").encode("cp1256")),
])
def test_add_html_in_its_own_encoding(capsys, tmp_path, name, encode):
    """E6: a saved page in windows-1256 or UTF-16 is decoded in its encoding, never with replacement."""
    page = tmp_path / f"{name}.html"
    page.write_bytes(encode())
    data = tmp_path / "data"
    code, out, err = run(capsys, "add", page, "--data", data, "--outlet", "o", "--outlet-en", "O",
                         "--language", "ar", "--date-confidence", "high", "--date-evidence", "dateline",
                         "--date", "2020-01-02")
    assert code == 0, err
    text = (data / "articles" / f"{name}.txt").read_text(encoding="utf-8")
    assert "\ufffd" not in text and "ماضية في الحوار مع جميع الأطراف" in text
    with open(data / "manifest.csv", encoding="utf-8") as f:
        row = next(csv.DictReader(f))
    assert (row["date_confidence"], row["date_evidence"]) == ("high", "dateline")


def test_add_refuses_html_no_encoding_fits(capsys, tmp_path):
    page = tmp_path / "bad.html"
    page.write_bytes(b"<html><body><p>" + bytes(range(128, 256)) * 20 + b"</p></body></html>")
    code, out, err = run(capsys, "add", page, "--data", tmp_path / "data", "--outlet", "o", "--outlet-en", "O",
                         "--language", "ar")
    assert code == 2 and "iconv" in err
    assert not (tmp_path / "data").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_add_checks_the_new_rows_without_copying_the_data_folder(capsys, tmp_path, data_copy):
    """E9: an unrelated FIFO in data/ (which a copy of the folder would block or fail on) does not matter."""
    os.mkfifo(data_copy / "unrelated.fifo")
    new = tmp_path / "fifo_neighbour.txt"
    new.write_text(NEW_AR, encoding="utf-8")
    code, out, err = run(capsys, "add", new, "--data", data_copy, "--outlet", "aljarida", "--language", "ar")
    assert code == 0, err
    assert "fifo_neighbour,articles/fifo_neighbour.txt,aljarida" in (data_copy / "manifest.csv").read_text()
