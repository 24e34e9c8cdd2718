"""`import SOURCE`: every format, every bad row listed, all or nothing, re-import, zips, a kill.

Fixtures in tests/fixtures/import/ were written for testing (see its README)."""
from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from analysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "import"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def manifest(data: Path) -> list[dict]:
    with open(data / "manifest.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def outlets(data: Path) -> dict[str, dict]:
    with open(data / "outlets.csv", encoding="utf-8", newline="") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and ".framing-txn-" not in str(p)}


def test_media_cloud_export_needs_no_flags(capsys, tmp_path):
    data = tmp_path / "data"
    code, out, err = run(capsys, "import", FIX / "mediacloud.csv", "--data", data, "--out", tmp_path / "o", "-q")
    assert code == 0, err
    assert "date ← publish_date" in out and "outlet ← media_name" in out and "id ← id" in out
    rows = {r["id"]: r for r in manifest(data)}
    assert list(rows) == ["a1f3c9e2b7d44e10", "b2e4d0f3c8e55f21", "c3f5e1a4d9f66a32", "d4a6f2b5e0a77b43"]
    r = rows["c3f5e1a4d9f66a32"]
    assert (r["date"], r["language"], r["outlet"], r["title"]) == ("2021-03-03", "ar", "alwaha_example",
                                                                  "وزير الزراعة يدافع عن الحصص")
    assert rows["b2e4d0f3c8e55f21"]["date"] == "2021-03-02" and rows["b2e4d0f3c8e55f21"]["outlet"] == "harbourtimes_example"
    text = (data / r["file"]).read_text(encoding="utf-8")
    assert text == ("دافع وزير الزراعة عن نظام الحصص الجديد وقال إنه يحمي المزارعين في المحافظات الجنوبية.\n"
                    "وأضاف أن الحكومة ستنشر جدول الحصص خلال أسبوعين.\n")
    o = outlets(data)
    assert o["alwaha_example"]["name_en"] == "alwaha.example" and o["alwaha_example"]["name_ar"] == ""
    assert main(["validate", "--data", str(data)]) == 0
    # the same export again adds nothing, and says so
    before = snapshot(data)
    code, out, err = run(capsys, "import", FIX / "mediacloud.csv", "--data", data, "--out", tmp_path / "o", "-q")
    assert code == 0 and "every row is already in the corpus" in out and "4 row(s) already" in out
    assert snapshot(data) == before


BAD_CSV = [
    ("bad.csv:3", "unreadable date 'yesterday'"),
    ("bad.csv:4", "empty text"),
    ("bad.csv:5", "language 'fr' is neither Arabic nor English"),
    ("bad.csv:6", "no outlet"),
    ("bad.csv:7", "the same text as"),
]


def test_every_bad_row_is_listed_and_nothing_is_imported(capsys, tmp_path, data_copy):
    before = snapshot(data_copy)
    code, out, err = run(capsys, "import", FIX / "bad.csv", "--data", data_copy, "--out", tmp_path / "o", "-q")
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.startswith("ERROR")]
    assert len(lines) == len(BAD_CSV)
    for (where, what), line in zip(BAD_CSV, lines):
        assert f"{where}: {what}" in line, line
    assert err.count("fix:") == len(BAD_CSV)
    assert snapshot(data_copy) == before and not list(data_copy.glob(".framing-txn-*"))


def test_skip_bad_imports_the_good_rows_and_writes_the_rejects(capsys, tmp_path, data_copy):
    rejects = tmp_path / "rejects.csv"
    code, out, err = run(capsys, "import", FIX / "bad.csv", "--data", data_copy, "--out", tmp_path / "o", "-q",
                         "--skip-bad", "--rejects", rejects)
    assert code == 0, err
    new = manifest(data_copy)[5:]
    assert [(r["id"], r["date"], r["outlet"], r["language"]) for r in new] == [
        ("bad-2", "2021-04-01", "harbour_times", "en"),
        ("bad-8", "2021-04-05", "northern_post", "en")]  # 1617580800 s = 2021-04-05 00:00 UTC
    with open(rejects, encoding="utf-8", newline="") as f:
        rej = list(csv.DictReader(f))
    assert [r["source_row"].rsplit("/", 1)[-1] for r in rej] == [w for w, _ in BAD_CSV]
    assert rej[0]["headline"] == "Quota talks resume" and rej[0]["fix"].startswith("write dates as YYYY-MM-DD")
    assert main(["validate", "--data", str(data_copy)]) == 0


def test_jsonl_rows_dates_and_detected_language(capsys, tmp_path):
    data = tmp_path / "data"
    code, out, err = run(capsys, "import", FIX / "bad.jsonl", "--data", data, "--out", tmp_path / "o", "-q")
    assert code == 2
    assert "bad.jsonl:2: not a JSON object" in err
    assert "bad.jsonl:3: date '2091-05-02' is in the future" in err
    assert "bad.jsonl:4: ambiguous date '03/05/2021'" in err and "--dayfirst" in err
    assert not data.exists()  # nothing, not even the folder
    code, out, err = run(capsys, "import", FIX / "bad.jsonl", "--data", data, "--out", tmp_path / "o", "-q",
                         "--dayfirst", "--skip-bad")
    assert code == 0, err
    rows = {r["title"]: r for r in manifest(data)}
    assert rows["Quota dispute"]["date"] == "2021-05-03"  # 03/05/2021, day first
    assert rows["Farmers protest"]["date"] == "2021-05-03"  # 1620000000000 ms = 2021-05-03 00:00 UTC
    assert rows["خطة لتقاسم المياه"]["language"] == "ar" and rows["Quota dispute"]["language"] == "en"
    assert "language detected from the script (no language column or cell): 1 ar, 1 en" in out
    o = outlets(data)
    assert {v["name_en"] for v in o.values()} >= {"الواحة", "Northern Post"}
    assert next(v for v in o.values() if v["name_en"] == "الواحة")["name_ar"] == "الواحة"


def test_folder_of_pages_with_a_metadata_sheet(capsys, tmp_path):
    data = tmp_path / "data"
    code, out, err = run(capsys, "import", FIX / "pages", "--data", data, "--out", tmp_path / "o", "-q")
    assert code == 2
    assert "metadata.csv:4: unreadable date 'first of June'" in err
    assert "metadata.csv:5: names the page 'missing.txt', which is not in the folder" in err
    code, out, err = run(capsys, "import", FIX / "pages" / "dam.txt", "--data", data, "--out", tmp_path / "o", "-q")
    assert code == 2 and "one article page, not an export" in err and "framing add" in err
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("dam.txt", "canal.html"):
        (pages / name).write_bytes((FIX / "pages" / name).read_bytes())
    (pages / "metadata.csv").write_text("\n".join((FIX / "pages" / "metadata.csv").read_text().splitlines()[:3]) + "\n")
    code, out, err = run(capsys, "import", pages, "--data", data, "--out", tmp_path / "o", "-q")
    assert code == 0, err
    rows = {r["id"]: r for r in manifest(data)}
    canal = (data / rows["canal"]["file"]).read_text(encoding="utf-8")
    assert "أعادت وزارة الموارد المائية فتح القناة الشرقية" in canal and "جميع الحقوق محفوظة" not in canal
    assert rows["canal"]["outlet"] == "alwaha_example" and rows["canal"]["outlet_basis"] == "inferred"
    assert rows["canal"]["language"] == "ar" and rows["dam"]["outlet"] == "northern_post"


def test_xlsx_and_parquet(capsys, tmp_path):
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Headline", "Body", "Date", "Outlet", "Language"])
    ws.append(["Canal reopens", "The eastern canal reopened on Sunday after two weeks of repairs.",
               date(2021, 6, 6), "Harbour Times", "English"])
    ws.append(["Bad date", "A row whose date cell holds words.", "next week", "Harbour Times", "en"])
    ws.append(["No text", None, date(2021, 6, 7), "Harbour Times", "en"])
    wb.save(tmp_path / "sheet.xlsx")
    data = tmp_path / "data"
    code, out, err = run(capsys, "import", tmp_path / "sheet.xlsx", "--data", data, "--out", tmp_path / "o", "-q")
    assert code == 2 and "sheet.xlsx:3: unreadable date 'next week'" in err and "sheet.xlsx:4: empty text" in err
    code, out, err = run(capsys, "import", tmp_path / "sheet.xlsx", "--data", data, "--out", tmp_path / "o", "-q",
                         "--skip-bad")
    assert code == 0, err
    assert [(r["date"], r["language"]) for r in manifest(data)] == [("2021-06-06", "en")]
    table = pa.table({"story": ["The western canal will close for repairs in July, the ministry said.",
                                "The ministry said repairs on the western canal would take a month."],
                      "when": ["2021-06-10", "2021-06-11"], "paper": ["Northern Post", "Northern Post"]})
    pq.write_table(table, tmp_path / "dump.parquet", row_group_size=1)
    code, out, err = run(capsys, "import", tmp_path / "dump.parquet", "--data", data, "--out", tmp_path / "o", "-q",
                         "--text", "story", "--date", "when", "--outlet", "paper")
    assert code == 0, err
    assert [r["id"] for r in manifest(data)][1:] == ["dump-1", "dump-2"]
    code, out, err = run(capsys, "import", tmp_path / "dump.parquet", "--data", data, "--out", tmp_path / "o", "-q",
                         "--text", "stroy")
    assert code == 2 and "--text 'stroy' is not a column (did you mean 'story'?)" in err


def test_csv_in_windows_1256_and_utf16(capsys, tmp_path):
    text = "id,text,outlet,date\nw1,قال الوزير إن المياه ستصل غدا.,الواحة,2021-07-01\n"
    for enc in ("cp1256", "utf-16"):
        (tmp_path / f"{enc}.csv").write_bytes(text.encode(enc))
        data = tmp_path / enc
        code, out, err = run(capsys, "import", tmp_path / f"{enc}.csv", "--data", data, "--out", tmp_path / "o", "-q")
        assert code == 0, (enc, err)
        row = manifest(data)[0]
        assert (data / row["file"]).read_text(encoding="utf-8") == "قال الوزير إن المياه ستصل غدا.\n"


def test_zip_of_pages_and_unsafe_zips(capsys, tmp_path):
    good = tmp_path / "pages.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("export/dam.txt", (FIX / "pages" / "dam.txt").read_text())
        z.writestr("export/metadata.csv", "file,outlet,date\ndam.txt,Northern Post,2021-06-01\n")
    data = tmp_path / "data"
    code, out, err = run(capsys, "import", good, "--data", data, "--out", tmp_path / "o", "-q")
    assert code == 0, err
    assert [(r["id"], r["outlet"]) for r in manifest(data)] == [("dam", "northern_post")]
    slip = tmp_path / "slip.zip"
    with zipfile.ZipFile(slip, "w") as z:
        z.writestr("../../escaped.txt", "Text that must not land outside.\n")
    code, out, err = run(capsys, "import", slip, "--data", data, "--out", tmp_path / "o", "-q")
    assert code == 2 and "unsafe path in the zip: '../../escaped.txt'" in err
    assert not list(tmp_path.rglob("escaped.txt"))
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.csv", "text\n" + "a" * 50_000_000)
    code, out, err = run(capsys, "import", bomb, "--data", data, "--out", tmp_path / "o", "-q")
    assert code == 2 and "(a zip bomb?)" in err
    assert not list(data.glob(".framing-txn-*"))


KILLABLE = """
import sys, time
from analysis.ingest import run
real = run.Importer._write
def slow(self, rec, where):
    real(self, rec, where)
    if self.report.imported == 3:
        self.files.flush()
        while self.files.sent:
            self.files.sent.popleft().result()
        print("HALFWAY", *self.files.pool._processes, flush=True)
        time.sleep(60)
run.Importer._write = slow
from analysis.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_an_import_killed_partway_leaves_data_as_it_was(tmp_path, data_copy):
    rows = [{"id": f"k{i}", "text": f"Story number {i} written for testing about the river and the canal.",
             "outlet": "Harbour Times", "date": "2021-08-01"} for i in range(8)]
    src = tmp_path / "kill.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    before = snapshot(data_copy)
    p = subprocess.Popen([sys.executable, "-c", KILLABLE, "import", str(src), "--data", str(data_copy), "-q"],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    said, *helpers = p.stdout.readline().split()
    assert said == "HALFWAY"  # three articles are written (staged)
    staged = list(data_copy.glob(".framing-txn-*/staged/*/*.txt"))
    assert len(staged) == 3
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=60)
    for pid in map(int, helpers):  # the process that writes the files dies with the import
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"helper process {pid} outlived the killed import")
    assert snapshot(data_copy) == before  # the staging folder aside, data/ is as it was
    r = subprocess.run([sys.executable, "-m", "analysis", "import", str(src), "--data", str(data_copy), "-q"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "imported 8 article(s)" in r.stdout
    assert not list(data_copy.glob(".framing-txn-*"))  # the next writer removed the killed one's folder
    assert [m["id"] for m in manifest(data_copy)][5:] == [f"k{i}" for i in range(8)]


def test_import_subcommand_has_help():
    with pytest.raises(SystemExit) as e:
        main(["import", "--help"])
    assert e.value.code == 0



