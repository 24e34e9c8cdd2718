"""Hostile input and faults, round two (issue 23): paths from data, the cache, hangs, leftovers, inputs.

Every text and every broken file below was written for this test; the seed study is copied and then
broken one way per case.  Each case checks the message (file, line, what, fix), the exit code, that no
traceback was printed and that no output changed.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import pickle
import re
import shutil
import signal
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import pytest

from analysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
ART3 = "articles/003_e78b460b308c2ca4.txt"


@contextmanager
def no_hang(seconds: int = 120):
    """A hang becomes a failure instead of a stuck suite (the FIFO read used to block forever)."""
    def stop(*_):
        raise AssertionError(f"still running after {seconds} s: it hangs")
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".cache" not in p.parts}


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    out = tmp_path_factory.mktemp("coded2") / "out"
    assert main(["code", "--data", str(DATA), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture
def study(tmp_path, coded):
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(DATA, data)
    shutil.copytree(coded, out)
    return data, out


def run(capsys, *argv) -> tuple[int, str]:
    with no_hang():
        code = main([*argv, "--quiet"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def refused(capsys, study, command: str, where: str, *what: str) -> str:
    """The command exits 2 naming the file and line, says what and how to fix it, and writes nothing."""
    data, out = study
    before = snapshot(out)
    code, err = run(capsys, command, "--data", str(data), "--out", str(out))
    assert code == 2, err
    assert where in err, err
    for w in what:
        assert w in err, err
    assert "fix:" in err
    assert snapshot(out) == before
    return err


def rewrite(path: Path, change) -> None:
    """Apply ``change`` to the rows (a list of lists, header first) of a CSV file."""
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows = change(rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


# ---- E1, E2, D2: the manifest's columns and paths --------------------------------------------------

def test_duplicate_manifest_column_is_refused_at_line_1(study, capsys):
    """E1: a second 'outlet' column at the end used to win silently (every article one outlet's)."""
    data, _ = study
    rewrite(data / "manifest.csv", lambda rows: [r + (["outlet"] if i == 0 else ["aljarida"]) for i, r in enumerate(rows)])
    refused(capsys, study, "code", "manifest.csv:1", "duplicate column 'outlet'", "columns 3, 14")


def test_duplicate_column_in_the_middle_gives_one_message(study, capsys):
    data, _ = study
    rewrite(data / "manifest.csv", lambda rows: [r[:3] + [r[6]] + r[3:] if i else r[:3] + ["date"] + r[3:]
                                                 for i, r in enumerate(rows)])
    err = refused(capsys, study, "validate", "manifest.csv:1", "duplicate column 'date'")
    assert err.count("ERROR") == 1, err  # not one misleading message per row


def test_nul_in_a_manifest_path_is_a_message(study, capsys):
    """E2: 'ValueError: embedded null byte' used to escape as a traceback."""
    data, _ = study
    rewrite(data / "manifest.csv", lambda rows: [r if i != 4 else [r[0], r[1].replace("003_", "003\x00_"), *r[2:]]
                                                 for i, r in enumerate(rows)])
    # the CSV reader refuses any NUL at load (C2), before the path resolver would see it
    refused(capsys, study, "validate", "manifest.csv:5", "NUL byte", "fix:")


def test_a_row_spanning_lines_is_reported_at_its_first_line(study, capsys):
    """An export's notes often hold line breaks: the row of article 002 starts on line 4 and, with its
    evidence over three lines (LF, then CRLF), ends on line 6; its missing file is reported at line 4,
    and the next row's (003, a date in the future) at line 7."""
    data, _ = study
    (data / "articles" / "002_60db55bcef7aaadf.txt").unlink()
    rewrite(data / "manifest.csv", lambda rows: [
        r if i not in (3, 4) else
        [*r[:5], "first line\nsecond line\r\nthird line", *r[6:]] if i == 3 else [*r[:6], "2999-01-01", *r[7:]]
        for i, r in enumerate(rows)])
    assert (data / "manifest.csv").read_text(encoding="utf-8").count("\n") == 8  # header, 5 rows, 2 breaks
    err = refused(capsys, study, "validate", "manifest.csv:4:", "002_60db55bcef7aaadf.txt")
    assert "manifest.csv:6" not in err, err
    assert "manifest.csv:7:" in err and "2999-01-01" in err, err


@pytest.mark.parametrize("command", ["validate", "code", "render"])
def test_fifo_listed_in_the_manifest_does_not_hang(study, capsys, command):
    """D2: a named pipe in articles/ blocked read_bytes() forever in validate, code and render."""
    data, _ = study
    (data / ART3).unlink()
    os.mkfifo(data / ART3)
    refused(capsys, study, command, "manifest.csv:5", "named pipe (FIFO)", "not a regular file")


@pytest.mark.parametrize("name", ["codebook.yaml", "outlets.csv", "events.csv"])
def test_fifo_in_place_of_an_input_file_does_not_hang(study, capsys, name):
    data, _ = study
    (data / name).unlink()
    os.mkfifo(data / name)
    refused(capsys, study, "validate", name, "named pipe (FIFO)", "regular")


def test_safe_path_resolver():
    from analysis.io.paths import NotRegularFile, UnsafePath, inside, read_regular
    root = DATA
    assert inside(root, ART3) == (DATA / ART3).resolve()
    for rel, why in (("", "empty"), ("a\x00b", "NUL"), ("/etc/passwd", "absolute"), ("../../etc/passwd", "outside"),
                     ("articles/../../x", "outside")):
        with pytest.raises(UnsafePath, match=why):
            inside(root, rel)
    with pytest.raises(IsADirectoryError):
        read_regular(DATA / "articles")
    with pytest.raises(NotRegularFile, match="character device"):
        read_regular("/dev/zero")  # would never end


def test_a_folder_resolves_each_subfolder_once_and_still_refuses_what_inside_refuses(tmp_path, monkeypatch):
    """``Folder.path`` (what reading a corpus uses) resolves an article's folder once, but never follows a
    link out of the data folder: not a linked article, not one reached through a linked folder that
    leads out, and not after the folder it resolved was moved (the next batch resolves again)."""
    import pickle

    from analysis.io import paths
    from analysis.io.paths import Folder, UnsafePath
    root, outside = tmp_path / "data", tmp_path / "elsewhere"
    (root / "articles").mkdir(parents=True)
    outside.mkdir()
    (root / "articles" / "001.txt").write_text("one", encoding="utf-8")
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    (root / "articles" / "002.txt").symlink_to(outside / "secret.txt")
    (root / "articles" / "003.txt").symlink_to(root / "articles" / "001.txt")
    (root / "out").symlink_to(outside)
    (root / "same").symlink_to(root / "articles")
    folder = Folder(root)
    resolved = []
    real = paths.inside
    monkeypatch.setattr(paths, "inside", lambda r, rel: resolved.append(rel) or real(r, rel))
    assert [folder.path(f"articles/00{i}.txt") for i in (1, 1, 1)] == [root.resolve() / "articles" / "001.txt"] * 3
    assert resolved == ["articles"]  # the folder once, the three files by one look each
    assert folder.path("same/001.txt") == root.resolve() / "articles" / "001.txt"
    assert folder.path("articles/003.txt") == root.resolve() / "articles" / "001.txt"  # a link inside: followed
    for rel in ("articles/002.txt", "out/secret.txt", "articles/../../elsewhere/secret.txt", "/etc/passwd", ""):
        with pytest.raises(UnsafePath):
            folder.path(rel)
    sent = pickle.loads(pickle.dumps(folder))  # what a worker gets: the folder, not what it resolved
    (root / "articles").rename(root / "moved")
    (root / "articles").symlink_to(outside)
    (outside / "001.txt").write_text("not the article", encoding="utf-8")
    with pytest.raises(UnsafePath):
        sent.path("articles/001.txt")


# ---- E3, E4: gold and translations ------------------------------------------------------------------

def _gold_row(rows, frame=True):
    return next(i for i, r in enumerate(rows) if i and bool(r[3]) == frame)


def test_gold_duplicate_sentence_frame_rows_are_refused(study, capsys):
    """E3: 50 repeated rows were counted and stance accuracy fell from 0.972 to 0.570."""
    data, _ = study
    rows = list(csv.reader((data / "gold.csv").open(encoding="utf-8")))
    k = _gold_row(rows)
    rewrite(data / "gold.csv", lambda rows: rows + [rows[k]])
    refused(capsys, study, "validate", f"gold.csv:{len(rows) + 1}", "twice", f"first on line {k + 1}", "delete the repeated row")


def test_gold_negative_start_is_refused(study, capsys):
    data, _ = study
    rewrite(data / "gold.csv", lambda rows: [r if i != 1 else [r[0], "-5", *r[2:]] for i, r in enumerate(rows)])
    refused(capsys, study, "validate", "gold.csv:2", "offsets -5-60", "start must be 0 or more")


def test_gold_perhaps_is_not_read_as_no(study, capsys):
    data, _ = study
    rewrite(data / "gold.csv", lambda rows: [r if i != 3 else [*r[:6], "perhaps", *r[7:]] for i, r in enumerate(rows)])
    refused(capsys, study, "validate", "gold.csv:4", "ambiguous 'perhaps' is not yes or no")


def test_duplicate_translation_id_is_refused(study, capsys):
    """E4: a second row for one evidence id was accepted and one of the two silently shown."""
    data, _ = study
    rewrite(data / "translations.csv", lambda rows: rows + [[*rows[1][:5], "Another English", *rows[1][6:]]])
    n = len(list(csv.reader((data / "translations.csv").open(encoding="utf-8"))))
    refused(capsys, study, "validate", f"translations.csv:{n}", "'000:0-60' is translated twice", "first on line 2")


# ---- E5: dates with a floor -------------------------------------------------------------------------

def test_implausibly_old_date_is_refused(study, capsys):
    """E5: 0001-01-01 was accepted and the briefing said 'published 01 January 1 – 20 August 2020'."""
    data, _ = study
    text = (data / "manifest.csv").read_text(encoding="utf-8")
    (data / "manifest.csv").write_text(text.replace(",2020-08-15,", ",0001-01-01,", 1), encoding="utf-8")
    line = next(i for i, x in enumerate(text.split("\n"), 1) if ",2020-08-15," in x)
    refused(capsys, study, "code", f"manifest.csv:{line}", "'0001-01-01' is before 1900-01-01", "earliest_date")


def test_the_date_floor_is_set_in_report_yaml(study, capsys):
    data, out = study
    with (data / "events.csv").open("a", encoding="utf-8") as f:
        f.write("old,1950-06-01,An event written for testing,test\n")
    with (data / "report.yaml").open("a", encoding="utf-8") as f:
        f.write("earliest_date: 1960-01-01\n")
    refused(capsys, study, "validate", "events.csv:", "'1950-06-01' is before 1960-01-01")
    text = (data / "report.yaml").read_text(encoding="utf-8")
    (data / "report.yaml").write_text(text.replace("1960-01-01", "1940-01-01"), encoding="utf-8")
    code, err = run(capsys, "validate", "--data", str(data), "--out", str(out))
    assert code == 0, err


# ---- E10: very long names ---------------------------------------------------------------------------

def test_very_long_outlet_name_is_refused_with_a_fix(study, capsys):
    """E10: a 20,000-character outlet name was accepted; the render took ten times as long."""
    data, _ = study
    rewrite(data / "outlets.csv", lambda rows: [r if i != 2 else [r[0], "N" * 20_000, *r[2:]] for i, r in enumerate(rows)])
    err = refused(capsys, study, "validate", "outlets.csv:3", "name_en is 20,000 characters long, over the limit of 100",
                  "shorten name_en")
    assert err.count("ERROR") == 1, err  # its articles are not also reported as of an unknown outlet


def test_very_long_frame_label_and_actor_name_are_refused(study, capsys):
    data, _ = study
    cb = (data / "codebook.yaml").read_text(encoding="utf-8")
    label = re.search(r"^    label_en: (.+)$", cb, re.M)
    (data / "codebook.yaml").write_text(cb.replace(label.group(0), "    label_en: " + "L" * 150, 1), encoding="utf-8")
    line = cb[:label.start()].count("\n") + 1
    actors = (data / "actors.yaml").read_text(encoding="utf-8")
    (data / "actors.yaml").write_text(actors.replace("name_en: Mustafa al-Kadhimi", "name_en: " + "K" * 101), encoding="utf-8")
    err = refused(capsys, study, "validate", f"codebook.yaml:{line}", "label_en is 150 characters long")
    assert "actors.yaml:" in err and "actor 'kadhimi': name_en is 101 characters" in err


def test_long_labels_are_cut_with_an_ellipsis_where_drawn():
    from analysis.report import figures
    assert figures.fit("x" * 48) == "x" * 48
    assert figures.fit("x" * 49) == "x" * 47 + "…"
    import pandas as pd
    counts = pd.DataFrame([[1, 2]], index=["o"], columns=["a", "b"])
    fig = figures.heatmap(counts, ["O" * 500], ["F" * 500, "short"], "t")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["O" * 47 + "…"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["F" * 47 + "…", "short"]


# ---- B1: the cache never runs code from the study ------------------------------------------------------

class Payload:
    """Unpickling this runs a command (what a hostile cache file would hold)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_cache_with_hostile_pickles_runs_nothing(study, capsys, tmp_path):
    """B1: values pickled with a __reduce__ ran their command when `code` opened the cache."""
    data, out = study
    before = snapshot(out)
    marker = tmp_path / "ran"
    with sqlite3.connect(out / ".cache" / "coding.sqlite") as con:
        n = con.execute("UPDATE entries SET value = ?", (pickle.dumps(Payload(marker)),)).rowcount
    assert n > 0
    code, err = run(capsys, "code", "--data", str(data), "--out", str(out))
    assert code == 0, err
    assert not marker.exists()
    assert snapshot(out) == before  # the same tables, recomputed
    assert "did not check" in err and "recomputed" in err


def test_cache_of_another_user_is_recomputed_not_read(study, capsys, tmp_path, monkeypatch):
    """A study folder passed on with its _output/: the sender's entries are not signed with our key."""
    from analysis.io import cache
    data, out = study
    before = snapshot(out)
    monkeypatch.setenv(cache.KEY_ENV, str(tmp_path / "colleague.key"))
    code, err = run(capsys, "code", "--data", str(data), "--out", str(out))
    assert code == 0, err
    assert "did not check" in err, err
    assert snapshot(out) == before
    assert (tmp_path / "colleague.key").stat().st_mode & 0o777 == 0o600


def test_signed_entry_of_the_wrong_kind_is_recomputed(study, capsys):
    """An entry that checks but holds the wrong kind of value used to end in AttributeError ('cuts')."""
    from analysis.io.cache import ArticleCache
    data, out = study
    before = snapshot(out)
    c = ArticleCache(out / ".cache")
    with sqlite3.connect(out / ".cache" / "coding.sqlite") as con:  # each signed under its own key
        for (key,) in con.execute("SELECT key FROM entries").fetchall():
            con.execute("UPDATE entries SET value = ? WHERE key = ?", (c.sign(pickle.dumps({"a": 1}), key), key))
    c.close()
    code, err = run(capsys, "code", "--data", str(data), "--out", str(out))
    assert code == 0, err
    assert snapshot(out) == before
    assert "did not check" in err


def test_a_signed_value_moved_to_another_key_does_not_check(study, capsys, tmp_path):
    """Each value is signed with the key it is stored under. Two articles' sentences swapped (what a torn
    page or a moved row could do: both are sentences, so no check of kind would notice) are both refused
    and cut again when a codebook edit makes the run read them: the tables are a cold run's."""
    from analysis.pipeline import Run
    data, out = study
    plan = Run(data, cache_dir=out / ".cache", jobs=1)
    first, second = (k["segments"] for k in plan.plan[0].keys[:2])
    plan.cache.close()
    with sqlite3.connect(out / ".cache" / "coding.sqlite") as con:
        (a,), (z,) = (con.execute("SELECT value FROM entries WHERE key = ?", (k,)).fetchone() for k in (first, second))
        con.execute("UPDATE entries SET value = ? WHERE key = ?", (z, first))
        con.execute("UPDATE entries SET value = ? WHERE key = ?", (a, second))
    book = data / "codebook.yaml"  # one line more in one frame: the run reads the articles' sentences
    text = book.read_text(encoding="utf-8")
    at = text.index("      ar:\n", text.index("  - id: postman\n")) + len("      ar:\n")
    book.write_text(text[:at] + "        - حامل الرسائل الخاصة\n" + text[at:], encoding="utf-8")
    code, err = run(capsys, "code", "--data", str(data), "--out", str(out))
    assert code == 0, err
    assert "2 cache entries" in err and "did not check" in err, err
    code, err = run(capsys, "code", "--data", str(data), "--out", str(tmp_path / "cold"))
    assert code == 0, err
    assert snapshot(out / "tables") == snapshot(tmp_path / "cold" / "tables")


# ---- A3: a render deletes and moves only what it made -----------------------------------------------

def test_render_leaves_a_users_history_folders_alone(study, capsys):
    """A3: a render removed the user's history/.pending/p.txt and history/previous/x.csv and moved
    history/latest/y.csv, all by name alone."""
    data, out = study
    mine = {"history/.pending/p.txt": "p", "history/previous/x.csv": "x", "history/latest/y.csv": "y"}
    for rel, text in mine.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
    before = snapshot(out)
    code, err = run(capsys, "render", "--data", str(data), "--out", str(out), "--builtin", "--to", "html")
    assert code == 2, err
    for folder in ("history/.pending", "history/latest", "history/previous"):
        assert f"{out / folder}: holds files a render did not write" in err
    assert "render into another folder with --out" in err
    assert snapshot(out) == before
    assert not (out / "report.html").exists()


def test_history_written_by_a_render_is_its_own(tmp_path):
    from analysis.results import changes
    tables = {name: __import__("pandas").DataFrame(columns=cols) for name, cols in changes.FILES.items()}
    changes.stage(tmp_path, tables)
    assert changes.promote(tmp_path) and changes.owned(tmp_path / "history/latest")
    old = tmp_path / "history/previous"
    old.mkdir()
    for name in changes.FILES:  # as renders before the marker wrote them: only the three tables
        (old / f"{name}.csv").write_text("", encoding="utf-8")
    assert changes.owned(old) and changes.foreign(tmp_path) == []
    (old / "x.csv").write_text("mine", encoding="utf-8")
    assert changes.foreign(tmp_path) == [old]
    changes.stage(tmp_path, tables)
    assert not changes.promote(tmp_path)  # would delete x.csv: refused
    assert (old / "x.csv").read_text(encoding="utf-8") == "mine"


# ---- D3: a killed `code` leaves no workers and no scratch folder ------------------------------------

def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(condition, seconds: float) -> bool:
    import time
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_killed_code_leaves_no_workers_and_its_scratch_is_removed(tmp_path, capsys):
    """D3: SIGKILL to `code --jobs 2` left both pool workers alive under init, and a .tables-new.*
    folder that the next `code` never removed."""
    import subprocess
    import sys
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(DATA, data)
    rows = (data / "manifest.csv").read_text(encoding="utf-8").rstrip("\n").split("\n")
    header, body = rows[0], rows[1:]
    extra = []
    for k in range(240):  # enough batches (of 32) that the pool is still at work when it is killed
        src = body[k % len(body)].split(",", 2)
        name = f"articles/copy{k:03d}.txt"
        text = (data / src[1]).read_text(encoding="utf-8")
        (data / name).write_text(text + f"\nA closing line written for testing, number {k}.\n", encoding="utf-8")
        extra.append(",".join([f"c{k:03d}", name, src[2]]))
    (data / "manifest.csv").write_text("\n".join([header, *body, *extra]) + "\n", encoding="utf-8")
    for stale in ("gold.csv", "translations.csv"):
        (data / stale).unlink()
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "code", "--data", str(data), "--out", str(out), "--jobs", "2",
                             "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        assert _wait(lambda: len(_children(proc.pid)) >= 2 or proc.poll() is not None, 120)
        workers = _children(proc.pid)
        assert proc.poll() is None and len(workers) >= 2, "the pool finished before it could be killed"
        proc.kill()
        proc.wait()
        assert _wait(lambda: not any(_alive(w) for w in workers), 30), "pool workers outlived their parent"
    finally:
        if proc.poll() is None:
            proc.kill()
    scratch = list(out.glob(".tables-new.*"))
    assert scratch  # what the killed run left
    mine = out / ".tables-new.keep"  # a folder of the user's under the same prefix
    mine.mkdir()
    code, err = run(capsys, "code", "--data", str(DATA), "--out", str(out))
    assert code == 0, err
    assert not any(p.exists() for p in scratch) and mine.is_dir()


def test_scratch_of_a_running_process_is_not_removed(tmp_path):
    from analysis.io import scratch
    live = scratch.make(tmp_path, ".tables-new.")
    assert scratch.clean(tmp_path, scratch.TABLES_PREFIXES) == [] and live.is_dir()
    (live / scratch.MARKER).write_text('{"tool": "framing-briefing", "pid": 999999999, "started": ""}', encoding="utf-8")
    assert scratch.clean(tmp_path, scratch.TABLES_PREFIXES) == [live] and not live.exists()


# ---- D1: a scheduler that never answers ----------------------------------------------------------------

@pytest.fixture
def silent_listener():
    """A TCP port that accepts connections and never says a word."""
    import socket
    import threading
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue
    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    t.join()
    for c in held:
        c.close()
    server.close()


def test_a_silent_scheduler_is_reported_not_waited_on(study, capsys, silent_listener):
    """D1: `code --scheduler` on a listener that never answers printed nothing and waited past 580 s."""
    data, out = study
    shutil.rmtree(out / ".cache")  # from the cache, nothing would be sent to the scheduler
    before = snapshot(out)
    code, err = run(capsys, "code", "--data", str(data), "--out", str(out), "--scheduler", silent_listener)
    assert code == 1, err
    assert f"cannot reach the Dask scheduler at {silent_listener}: no Dask scheduler answered within 10 s" in err
    assert "fix:" in err and snapshot(out) == before


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:notaport", "http://127.0.0.1:8786", "tcp://127.0.0.1"])
def test_a_malformed_scheduler_address_exits_2(study, capsys, address):
    data, out = study
    code, err = run(capsys, "code", "--data", str(data), "--out", str(out), "--scheduler", address)
    assert code == 2, err
    assert f"--scheduler '{address}' is not a scheduler address" in err and "tcp://HOST:PORT" in err


def test_a_real_scheduler_address_still_works(tmp_path):
    distributed = pytest.importorskip("distributed")
    from analysis.pipeline import analyse
    serial = analyse(DATA, jobs=1)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        on_dask = analyse(DATA, scheduler=c.scheduler_address, cache_dir=tmp_path / "cache")
    assert on_dask.stats["scheduler"] == c.scheduler_address
    assert on_dask.mentions.equals(serial.mentions)


# ---- E7, E8: a malformed snapshot, a document that is not UTF-8 -------------------------------------

def _snapshot_folder(tmp_path: Path) -> Path:
    from analysis.results import changes
    snap = tmp_path / "snap"
    snap.mkdir()
    for name, cols in changes.FILES.items():
        (snap / f"{name}.csv").write_text(",".join(cols) + "\n", encoding="utf-8")
    return snap


@pytest.mark.parametrize("body, line, what", [
    ('outlet,frame,label,sentences\na,b,c,1\n"unclosed,x\n', 3, "unreadable CSV row"),
    ("outlet,frame,label,sentences\na,b,c,1\nx,y\n", 3, "2 fields where the header has 4"),
    # a short row whose quoted label spans lines 3-4: named where it starts
    ('outlet,frame,label,sentences\na,b,c,1\nx,y,"two\nlines"\n', 3, "3 fields where the header has 4"),
    (b"outlet,frame,label,sentences\n\xe9t\xe9,b,c,1\n", 2, "not valid UTF-8"),
])
def test_diff_against_a_malformed_snapshot_names_file_and_line(study, capsys, tmp_path, body, line, what):
    """E7: pandas' 'Error tokenizing data' named neither the file nor the line."""
    data, out = study
    snap = _snapshot_folder(tmp_path)
    (snap / "counts.csv").write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    code, err = run(capsys, "diff", "--data", str(data), "--out", str(out), "--against", str(snap))
    assert code == 2, err
    assert f"{snap / 'counts.csv'}:{line}: {what}" in err and "fix:" in err


def test_render_of_a_document_that_is_not_utf8_is_a_message(study, capsys, tmp_path):
    """E8: `render --qmd` on a windows-1256 file ended in UnicodeDecodeError."""
    data, out = study
    qmd = tmp_path / "brief.qmd"
    qmd.write_bytes("---\ntitle: t\n---\n\nA line written for testing.\n".encode() + "موجز".encode("cp1256") + b"\n")
    before = snapshot(out)
    code, err = run(capsys, "render", "--data", str(data), "--out", str(out), "--qmd", str(qmd), "--builtin")
    assert code == 2, err
    assert "brief.qmd:6: not valid UTF-8" in err and "iconv -f WINDOWS-1256 -t UTF-8" in err
    assert snapshot(out) == before


# ---- every path from a flag: regular files, no NUL ----------------------------------------------------

def test_add_of_a_fifo_does_not_hang(study, capsys, tmp_path):
    data, out = study
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    before = (data / "manifest.csv").read_bytes()
    code, err = run(capsys, "add", str(fifo), "--data", str(data), "--out", str(out), "--outlet", "aljarida",
                    "--language", "ar", "--date", "2020-08-20")
    assert code == 2, err
    assert "article.txt: is a named pipe (FIFO), not a regular file" in err and "fix:" in err
    assert (data / "manifest.csv").read_bytes() == before


@pytest.mark.parametrize("flag", ["--data", "--out"])
def test_nul_in_a_path_flag_is_a_message(study, capsys, flag):
    data, out = study
    paths = {"--data": str(data), "--out": str(out)}
    paths[flag] += "\x00x"
    code, err = run(capsys, "validate", "--data", paths["--data"], "--out", paths["--out"])
    assert code == 2, err
    assert f"{flag}: '" in err and "holds a NUL byte" in err


# ---- found in this round's own trial ------------------------------------------------------------------

def test_a_cache_folder_that_is_a_link_is_not_written_through(study, capsys, tmp_path):
    """A handed-over _output/.cache linking to a folder elsewhere got a coding.sqlite written there."""
    data, out = study
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(out / ".cache")
    (out / ".cache").symlink_to(elsewhere)
    code, err = run(capsys, "code", "--data", str(data), "--out", str(out))
    assert code == 0, err
    assert list(elsewhere.iterdir()) == [] and "is a symbolic link; the cache was not used" in err


def test_a_cache_file_linked_to_another_database_is_left_alone(study, capsys, tmp_path):
    """coding.sqlite linking to a user's own SQLite database got an 'entries' table written into it."""
    data, out = study
    theirs = tmp_path / "places.sqlite"
    with sqlite3.connect(theirs) as con:
        con.execute("CREATE TABLE bookmarks (url TEXT)")
    con.close()
    for f in (out / ".cache").glob("coding.sqlite*"):
        f.unlink()
    (out / ".cache" / "coding.sqlite").symlink_to(theirs)
    code, err = run(capsys, "code", "--data", str(data), "--out", str(out))
    assert code == 0, err
    con = sqlite3.connect(theirs)
    assert [t for (t,) in con.execute("SELECT name FROM sqlite_master")] == ["bookmarks"]
    con.close()


def test_a_scheduler_answering_garbage_is_a_message(study, capsys):
    """Bytes that are not Dask's protocol made distributed try to allocate exabytes: a MemoryError traceback."""
    import socket
    import threading
    data, out = study
    shutil.rmtree(out / ".cache")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def answer():
        while True:
            try:
                c, _ = server.accept()
                c.sendall(b"HTTP/1.1 200 OK\r\n\r\n" + b"\xff" * 64)
            except OSError:
                return
    threading.Thread(target=answer, daemon=True).start()
    address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    try:
        code, err = run(capsys, "code", "--data", str(data), "--out", str(out), "--scheduler", address)
    finally:
        server.close()
    assert code == 1, err
    assert "does not speak Dask's protocol" in err


def test_merging_a_fifo_does_not_hang(study, capsys, tmp_path):
    data, out = study
    fifo = tmp_path / "filled.csv"
    os.mkfifo(fifo)
    code, err = run(capsys, "translations", "--data", str(data), "--out", str(out), "--merge", str(fifo))
    assert code == 2, err
    assert "filled.csv: is a named pipe (FIFO), not a regular file" in err
