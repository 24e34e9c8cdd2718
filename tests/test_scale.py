"""Coding at scale: the same tables whatever runs them (serial, a process pool, a Dask
cluster), tables written all or none, a cache that recodes only what changed, and
corpora where nothing (or almost nothing) is there to code."""
import csv
import hashlib
import io
import shutil
import sqlite3
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import pipeline
from analysis.cli import main
from analysis.io import cache as cache_mod
from analysis.io.output import OutputError, write_tables
from analysis.pipeline import analyse
from analysis.results.tables import export_tables

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus as resample  # noqa: E402  (seed paragraphs reshuffled into new articles)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def checksums(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def resampled(tmp_path_factory):
    return resample.build(40, tmp_path_factory.mktemp("resampled") / "data")


def csv_bytes(analysis) -> dict[str, bytes]:
    return {name: df.to_csv(index=False, lineterminator="\n").encode() for name, df in export_tables(analysis).items()}


def test_tables_are_byte_identical_whatever_the_number_of_jobs(capsys, resampled, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH", 16)  # 40 articles in 3 batches: a batch for each of 3 processes
    sums = {}
    for jobs in (1, 2, 3):
        code, _, err = run(capsys, "code", "--data", resampled, "--out", tmp_path / f"j{jobs}", "--jobs", jobs, "--quiet")
        assert code == 0, err
        assert ("serially" if jobs == 1 else f"with {jobs} processes") in err
        sums[jobs] = checksums(tmp_path / f"j{jobs}" / "tables")
    assert len(sums[1]) == 30  # 15 tables, each as CSV and Parquet
    assert sums[1] == sums[2] == sums[3]
    mentions = pd.read_csv(tmp_path / "j1" / "tables" / "mentions.csv")
    assert mentions.article_id.nunique() > 30 and list(mentions.article_id) == sorted(mentions.article_id)


def test_dask_local_cluster_gives_the_serial_tables(resampled):
    distributed = pytest.importorskip("distributed")
    serial = csv_bytes(analyse(resampled, jobs=1))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_dask = analyse(resampled, scheduler=client)
    assert on_dask.stats["scheduler"]
    assert csv_bytes(on_dask) == serial
    assert len(pd.read_csv(io.StringIO(serial["mentions"].decode()))) > 50


def test_an_unreachable_scheduler_is_a_clear_error(capsys, tmp_path):
    code, _, err = run(capsys, "code", "--out", tmp_path, "--scheduler", "tcp://127.0.0.1:9", "--quiet")
    assert code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err and "Traceback" not in err
    assert not (tmp_path / "tables").exists()


def test_parquet_beside_each_csv_holds_the_same_rows(capsys, tmp_path):
    assert run(capsys, "code", "--out", tmp_path, "--quiet")[0] == 0
    csv_df = pd.read_csv(tmp_path / "tables" / "mentions.csv")
    pq_df = pd.read_parquet(tmp_path / "tables" / "mentions.parquet")
    assert list(pq_df.columns) == list(csv_df.columns)
    # 125 hits before issue 21, less the 10 withdrawal hits with no time element in their sentence: two in
    # 000:s005, one in each of 002:s003, s006, s009, s012, s025, 003:s004, s007, and 001:s009's 'مستقبل الجنود'
    # (its sentence keeps the frame through the strategic dialogue)
    assert list(pq_df["match"]) == list(csv_df["match"]) and len(pq_df) == 115


def test_a_failure_halfway_leaves_the_previous_tables_whole(capsys, data_copy, tmp_path):
    out = tmp_path / "out"
    assert run(capsys, "code", "--data", data_copy, "--out", out, "--quiet")[0] == 0
    tables = out / "tables"
    (tables / "speakers.parquet").unlink()
    (tables / "speakers.parquet").mkdir()  # a target that cannot be replaced
    before = checksums(tables)
    art = data_copy / "articles" / "000_1f50c9dbfb2fc940.txt"
    art.write_text(art.read_text(encoding="utf-8") + "\nسطر أضيف للاختبار.\n", encoding="utf-8")
    code, _, err = run(capsys, "code", "--data", data_copy, "--out", out, "--quiet")
    assert code == 1
    assert "speakers.parquet: it is a folder" in err and "previous tables" in err and "left whole" in err
    assert checksums(tables) == before


def test_a_failure_while_writing_the_set_restores_nothing_half_done(tmp_path, monkeypatch):
    from analysis.io import output
    first = {"a": pd.DataFrame({"x": [1]}), "b": pd.DataFrame({"x": [2]})}
    write_tables(tmp_path, first)
    before = checksums(tmp_path / "tables")
    calls = []

    def failing(path, df):
        calls.append(path.name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(path, df)
    real = output.write_parquet
    monkeypatch.setattr(output, "write_parquet", failing)
    with pytest.raises(OutputError, match="No space left on device.*previous tables are left whole"):
        write_tables(tmp_path, {"a": pd.DataFrame({"x": [10]}), "b": pd.DataFrame({"x": [20]})})
    assert checksums(tmp_path / "tables") == before
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]  # no scratch folder left behind


def test_editing_the_report_modules_does_not_change_the_cache_key(tmp_path, monkeypatch):
    pkg = tmp_path / "analysis"
    shutil.copytree(cache_mod.PACKAGE, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_mod, "PACKAGE", pkg)
    key = cache_mod.source_hash()
    for f in ("report/briefing.py", "render/assemble.py", "results/tables.py"):
        (pkg / f).write_text((pkg / f).read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert cache_mod.source_hash() == key
    (pkg / "match" / "patterns.py").write_text("# edited\n", encoding="utf-8")
    assert cache_mod.source_hash() != key


def test_a_one_frame_edit_recodes_that_frame_only_and_pruning_drops_old_entries(data_copy, tmp_path, monkeypatch):
    from analysis.inputs import seen
    monkeypatch.setattr(seen, "RACY_NS", 0)  # what each run read of the articles: one entry, kept by every run
    cache_dir = tmp_path / "cache"
    cold = analyse(data_copy, cache_dir=cache_dir, jobs=1)
    assert cold.stats["segmented"] == 5 and set(cold.stats["recoded"].values()) == {5}
    frames = len(cold.codebook.frames)
    # per article: segments, attributions and one entry per frame; per batch: its tables, its frame-free
    # part and one part per frame; what the run read of the articles; which version of each frame it coded
    assert len(cache_mod.ArticleCache(cache_dir)) == 5 * (2 + frames) + 1 + (1 + frames) + 1 + 1
    again = analyse(data_copy, cache_dir=cache_dir, jobs=1)
    assert again.stats["cached"] == 5 and again.stats["recoded"] == {}
    book = data_copy / "codebook.yaml"
    text = book.read_text(encoding="utf-8")
    assert "  - id: postman\n" in text
    at = text.index("      ar:\n", text.index("  - id: postman\n")) + len("      ar:\n")
    book.write_text(text[:at] + "        - حامل الرسائل الخاصة\n" + text[at:], encoding="utf-8")  # one line, one frame
    edited = analyse(data_copy, cache_dir=cache_dir, jobs=1)
    assert edited.stats["segmented"] == 0 and edited.stats["attributed"] == 0
    assert edited.stats["recoded"] == {"postman": 5}
    assert csv_bytes(edited) == csv_bytes(analyse(data_copy, jobs=1))  # the cache changes nothing but time
    # the old postman entries (read for their unchanged indicators' rows), the old batch entry and the old
    # postman part are gone
    assert len(cache_mod.ArticleCache(cache_dir)) == 5 * (2 + frames) + 1 + (1 + frames) + 1 + 1
    manifest = data_copy / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text("".join(lines[:-1]), encoding="utf-8")
    fewer = analyse(data_copy, cache_dir=cache_dir, jobs=1)
    # a new batch (four articles): its tables are built again from the articles' cached entries, none recoded
    assert fewer.stats["recoded"] == {} and fewer.stats["segmented"] == 0 and fewer.stats["cached"] == 0
    assert len(cache_mod.ArticleCache(cache_dir)) == 4 * (2 + frames) + 1 + (1 + frames) + 1 + 1


def test_pruning_keeps_what_the_run_wrote_read_or_touched_and_drops_the_rest(tmp_path):
    """Worked by hand: an earlier run wrote four entries; a handed-over file added three rows under keys
    no run of ours makes; this run reads one entry, touches one, writes one and leaves the fourth alone."""
    first = cache_mod.ArticleCache(tmp_path, "salt")
    read, touched, left, rewritten = (first.key(x) for x in ("read", "touched", "left", "rewritten"))
    for k in (read, touched, left, rewritten):
        first.put(k, k)
    first.close()
    with sqlite3.connect(tmp_path / cache_mod.FILE) as db:  # 64 characters but not hex, short, not text
        db.executemany("INSERT INTO entries VALUES (?, 0, x'00')", [("z" * 64,), (read[:16],), (12345,)])
    assert len(cache_mod.ArticleCache(tmp_path)) == 7
    run = cache_mod.ArticleCache(tmp_path, "salt")
    assert run.get(read) == read
    run.touch(touched)
    run.put(rewritten, "again")
    run.put(run.key("new"), "new")
    assert run.prune() == 4  # left, and the three rows of the handed-over file
    run.close()
    with sqlite3.connect(tmp_path / cache_mod.FILE) as db:
        assert {k for (k,) in db.execute("SELECT key FROM entries")} == {read, touched, rewritten, run.key("new")}


def test_a_keys_tag_is_its_first_16_hex_digits_read_as_a_number_however_many_are_tagged_at_once():
    """Worked by hand; a batch of keys comes out as the keys one by one, a key that is not ours included."""
    ours = ["0" * 15 + "1" + "a" * 48, "0" * 13 + "100" + "b" * 48, "8" + "0" * 15 + "c" * 48]
    assert [cache_mod._tag(k) for k in ours] == [1, 256, 2 ** 63]
    assert list(cache_mod._tags(ours)) == [1, 256, 2 ** 63]
    odd = ours + ["z" * 64, "0" * 16, 12345]  # not hex, too short, not text
    assert list(cache_mod._tags(odd)) == [1, 256, 2 ** 63] + [cache_mod.NO_TAG] * 3


def edit_postman(data: Path) -> None:
    book = data / "codebook.yaml"
    text = book.read_text(encoding="utf-8")
    at = text.index("      ar:\n", text.index("  - id: postman\n")) + len("      ar:\n")
    book.write_text(text[:at] + "        - حامل الرسائل الخاصة\n" + text[at:], encoding="utf-8")  # one line, one frame


def narrow_postman(data: Path) -> None:
    """The postman frame's first Arabic indicator (ساعي البريد) no longer counts a sentence that names Trump
    or «الرئيس الأمريكي»: of its four hits in the seeds, those of 000 (s008 names the American president,
    s010 Trump) go, those of 002 (s030, s031) stay.  That indicator changes; the frame's others do not."""
    book = data / "codebook.yaml"
    text = book.read_text(encoding="utf-8")
    old = "          not: [الطرود, مكتب البريد,"
    assert text.count(old) == 1 and "- id: postman" in text[:text.index(old)]
    book.write_text(text.replace(old, "          not: [ترامب, الرئيس الأمريكي, الطرود, مكتب البريد,"), encoding="utf-8")


def test_code_says_which_frames_it_coded_again_and_how_much_of_them(capsys, data_copy, tmp_path):
    """The postman frame has 7 Arabic and 7 English indicators (14 labels in codebook.yaml); the edit adds one.
    A cold run says nothing of frames; the edit names the frame and its one new indicator of 15; the edit undone
    codes no indicator; the edit again with article 000 edited (a line added) codes postman in part in the other
    four and whole in 000, and every other frame in 000 alone; a change to the frame's own exclusions codes it
    whole; a re-run with nothing changed says nothing of frames."""
    out = tmp_path / "out"

    def says() -> str:
        code, _, err = run(capsys, "code", "--data", data_copy, "--out", out, "--jobs", "1", "--quiet")
        assert code == 0
        return err[err.index("from the cache"):err.index("); ", err.index("from the cache"))]
    assert says() == "from the cache"
    book = data_copy / "codebook.yaml"
    original = book.read_text(encoding="utf-8")
    edit_postman(data_copy)
    assert says() == "from the cache; coded again: postman: 1 of its 15 indicators in 5 article(s)"
    book.write_text(original, encoding="utf-8")
    assert says() == "from the cache; coded again: postman: no indicator coded, its cached rows kept, in 5 article(s)"
    edit_postman(data_copy)
    article = next((data_copy / "articles").glob("000_*.txt"))
    article.write_text(article.read_text(encoding="utf-8") + "سطر أضيف للاختبار.\n", encoding="utf-8")
    assert says() == ("from the cache; coded again: postman: 1 of its 15 indicators in 4 article(s), all of it in 1, "
                      "every other frame in 1 article(s)")
    text = book.read_text(encoding="utf-8")
    assert text.count("      ar: [البريد الإلكتروني, البريد الالكتروني]\n") == 1  # the postman frame's own exclusion
    book.write_text(text.replace("      ar: [البريد الإلكتروني, البريد الالكتروني]\n",
                                 "      ar: [البريد الإلكتروني, البريد الالكتروني, بريدي]\n"), encoding="utf-8")
    assert says() == "from the cache; coded again: postman in 5 article(s)"
    assert says() == "from the cache"


def test_an_added_indicator_is_coded_alone_with_its_own_context(data_copy, tmp_path, monkeypatch):
    """Added to the postman frame: «رسائل» (messages), counted only in a sentence that names «ترامب».  The word
    occurs 9 times in the seeds, in 8 sentences; the 3 hits in 000:s008 and 000:s010, which name Trump, stay,
    and sit among the frame's other mentions there.  Only the new indicator is coded: the postman frame goes to
    the coder with it alone; the frame's other rows come from the cache, and the tables are a cold run's."""
    from analysis import pipeline
    analyse(data_copy, cache_dir=tmp_path, jobs=1)
    book = data_copy / "codebook.yaml"
    text = book.read_text(encoding="utf-8")
    at = text.index("      ar:\n", text.index("  - id: postman\n")) + len("      ar:\n")
    book.write_text(text[:at] + "        - term: [رسائل]\n          label: messages (test)\n"
                    "          context: {within: sentence, any: [ترامب]}\n" + text[at:], encoding="utf-8")
    asked, real = [], pipeline.coding.code_frames
    monkeypatch.setattr(pipeline.coding, "code_frames",
                        lambda article, segments, codebook, frames: asked.append(
                            [(f.id, {lang: [i.label for i in inds] for lang, inds in f.indicators.items()}) for f in frames])
                        or real(article, segments, codebook, frames))
    edited = analyse(data_copy, cache_dir=tmp_path, jobs=1)
    assert edited.stats["recoded"] == {"postman": 5}
    assert asked == [[("postman", {"ar": ["messages (test)"], "en": []})]] * 5
    added = edited.mentions[edited.mentions.indicator == "messages (test)"]
    assert list(zip(added.sentence_id, added.match)) == [("000:s008", "لرسائل"), ("000:s008", "الرسائل"),
                                                        ("000:s010", "رسائل")]  # with their clitics
    monkeypatch.undo()
    assert csv_bytes(edited) == csv_bytes(analyse(data_copy, jobs=1))


def test_a_one_frame_edit_rebuilds_that_frames_tables_only(data_copy, tmp_path, monkeypatch):
    """The batch's tables come in parts: a frame edit rebuilds that frame's part (its mentions, frame
    sentences, claims and details) and takes the others, and the frame-free part, from the cache."""
    from analysis.extract import batch
    cache_dir = tmp_path / "cache"
    analyse(data_copy, cache_dir=cache_dir, jobs=1)
    edit_postman(data_copy)
    fresh = csv_bytes(analyse(data_copy, jobs=1))
    built, frame_part = [], batch.frame_part

    def counted(frame_id, *args):
        built.append(frame_id)
        return frame_part(frame_id, *args)

    def refused(*args):
        raise AssertionError("the frame-free part was rebuilt for a frame edit")

    monkeypatch.setattr(batch, "frame_part", counted)
    monkeypatch.setattr(batch, "base_part", refused)
    edited = analyse(data_copy, cache_dir=cache_dir, jobs=1)
    assert built == ["postman"]  # the seeds are one batch
    assert csv_bytes(edited) == fresh


def test_a_one_frame_edit_writes_that_frames_mention_rows_only(data_copy, tmp_path, monkeypatch):
    """Each part keeps its mention rows as written to CSV: after a frame edit, only that frame's rows are
    written again; the sentences, speakers and removed lines not at all; the CSV is a cold run's."""
    from analysis.coding import voices
    from analysis.extract import batch
    from analysis.results.stream import code_tables
    out = tmp_path / "out"
    code_tables(data_copy, out, jobs=1)
    edit_postman(data_copy)
    code_tables(data_copy, tmp_path / "cold", jobs=1)
    written, lines, rows = [], batch.csv_lines, batch.csv_rows
    monkeypatch.setattr(batch, "csv_lines", lambda df: written.append(sorted(set(df["frame"]))) or lines(df))
    monkeypatch.setattr(batch, "csv_rows", lambda df: written.append(list(df.columns)) or rows(df))
    run, _, _ = code_tables(data_copy, out, jobs=1)
    assert run.stats["recoded"] == {"postman": 5}
    # the postman rows; the frame sentences and the quotations (whose frames come from the mentions)
    frame_sentences = [c for c in voices.STANCE_COLUMNS if c != "sentence"]
    assert written == [["postman"], frame_sentences, voices.QUOTATION_COLUMNS]
    assert checksums(out / "tables") == checksums(tmp_path / "cold" / "tables")


def test_cached_parts_that_do_not_load_are_rebuilt(data_copy, tmp_path):
    """A part entry signed here but of another kind (another version's layout) is built again, not used."""
    from analysis.pipeline import Run
    cache_dir = tmp_path / "cache"
    analyse(data_copy, cache_dir=cache_dir, jobs=1)
    edit_postman(data_copy)
    run = Run(data_copy, cache_dir=cache_dir, jobs=1)
    b = run.plan[0]
    for key in (b.base_key, *(b.part_key(f.id) for f in run.codebook.frames)):
        run.cache.put(key, {"not": "a part"})
    run.cache.close()
    assert csv_bytes(analyse(data_copy, cache_dir=cache_dir, jobs=1)) == csv_bytes(analyse(data_copy, jobs=1))


def test_code_sends_cached_sentences_to_the_coder_unread(data_copy, tmp_path):
    """`code` writes its sentences table from the frames the coder builds, so the parent passes a batch's
    cached sentences on as the cache holds them; a caller that keeps the sentences (``analyse``, the gold
    check) still reads them."""
    from analysis.pipeline import Run
    cache_dir = tmp_path / "cache"
    analyse(data_copy, cache_dir=cache_dir, jobs=1)
    edit_postman(data_copy)
    for lazy in (True, False):
        run = Run(data_copy, cache_dir=cache_dir, jobs=1)
        run.lazy_cuts = lazy
        pieces = [p for t in run._tasks() for p in t.pieces]
        assert len(pieces) == 5 and all("cut" in p.blobs and "found" in p.blobs for p in pieces)
        assert all((p.cut is None) is lazy for p in pieces)
        assert all(len(p.cut[0]) > 5 for p in pieces if not lazy)  # each seed has more than five sentences
        run.cache.close()


def test_a_re_run_that_finds_every_batch_cached_writes_its_rows_from_the_batch_entry(data_copy, tmp_path, monkeypatch):
    """`code` run again on the same study reads each batch's entry alone: no article's sentences entry is
    read and no CSV row written again, yet every table is the same and pruning keeps every entry; a caller
    that keeps the sentences (``analyse``) still reads the five seeds' sentences entries."""
    from analysis import pipeline
    from analysis.io import untrusted
    from analysis.results.stream import code_tables
    out = tmp_path / "out"
    code_tables(data_copy, out, jobs=1)
    before, entries = checksums(out / "tables"), len(cache_mod.ArticleCache(out / ".cache"))
    read = []
    get = cache_mod.ArticleCache.get

    def counted(cache, key):  # the run's own reads (not its look at what it read of the articles last time)
        if not cache.readonly:
            read.append(key)
    monkeypatch.setattr(cache_mod.ArticleCache, "get", lambda self, key, *a, **k: counted(self, key) or get(self, key, *a, **k))

    def no_rows(*_a, **_k):
        raise AssertionError("CSV rows written again")
    monkeypatch.setattr(untrusted, "csv_lines", no_rows)
    again, _, _ = code_tables(data_copy, out, jobs=1)
    assert again.stats["cached"] == 5 and len(read) == 1  # the one batch's entry
    assert checksums(out / "tables") == before
    assert len(cache_mod.ArticleCache(out / ".cache")) == entries
    read.clear()
    monkeypatch.undo()
    monkeypatch.setattr(cache_mod.ArticleCache, "get", lambda self, key, *a, **k: counted(self, key) or get(self, key, *a, **k))
    kept = pipeline.analyse(data_copy, cache_dir=out / ".cache", jobs=1)
    assert kept.stats["cached"] == 5 and len(read) == 1 + 5 and len(kept.segments) == 96


def test_after_a_frame_edit_only_the_articles_with_a_new_mention_are_read(data_copy, tmp_path, monkeypatch):
    """Their sentences come from the cache, so an article's text is read (and checked against its hash)
    only for what quotes it.  An added indicator that matches nothing in the seeds gives no new mention:
    no text is read.  The narrowed ساعي البريد indicator is coded again, and keeps its hits in 002 alone:
    002 is read; 000's other postman mentions come from the cache with their quotes."""
    from analysis.inputs import corpus, seen
    monkeypatch.setattr(seen, "RACY_NS", 0)  # the second run takes the hashes from the first: no read to load
    analyse(data_copy, cache_dir=tmp_path, jobs=1)
    read, real = [], corpus.read_article_text
    monkeypatch.setattr(corpus, "read_article_text", lambda path, *a: read.append(path.name) or real(path, *a))
    edit_postman(data_copy)
    edited = analyse(data_copy, cache_dir=tmp_path, jobs=1)
    assert edited.stats["recoded"] == {"postman": 5} and read == []
    narrow_postman(data_copy)
    narrowed = analyse(data_copy, cache_dir=tmp_path, jobs=1)
    assert narrowed.stats["recoded"] == {"postman": 5}
    postman = narrowed.mentions[narrowed.mentions.frame == "postman"]
    assert sorted(set(postman.article_id)) == ["000", "002"]
    assert list(postman[postman.indicator == "ساعي البريد (postman)"].sentence_id) == ["002:s030", "002:s031"]
    assert read == ["002_60db55bcef7aaadf.txt"]
    monkeypatch.undo()
    assert csv_bytes(narrowed) == csv_bytes(analyse(data_copy, jobs=1))


def test_after_a_frame_edit_only_the_articles_with_a_new_mention_unpickle_their_attributions(data_copy, tmp_path,
                                                                                            monkeypatch):
    """Attributions are read to voice a mention: the frame's unchanged indicators keep their cached voices.
    The added postman indicator matches nothing in the seeds, so no attributions are unpickled; the narrowed
    one is coded again, with its mentions in 002 alone (the test above), so only 002's are; none is
    attributed again, and the tables are those of a cold run."""
    from analysis.io import cache as cache_mod
    analyse(data_copy, cache_dir=tmp_path, jobs=1)
    loaded, real = [], cache_mod.Shared.loads
    monkeypatch.setattr(cache_mod.Shared, "loads", lambda self, blob: loaded.append(v := real(self, blob)) or v)
    edit_postman(data_copy)
    edited = analyse(data_copy, cache_dir=tmp_path, jobs=1)
    assert edited.stats["recoded"] == {"postman": 5} and edited.stats["attributed"] == 0 and loaded == []
    narrow_postman(data_copy)
    narrowed = analyse(data_copy, cache_dir=tmp_path, jobs=1)
    assert narrowed.stats["recoded"] == {"postman": 5} and narrowed.stats["attributed"] == 0
    assert sorted({sid.split(":")[0] for found in loaded for sid in found}) == ["002"]
    monkeypatch.undo()
    assert csv_bytes(narrowed) == csv_bytes(analyse(data_copy, jobs=1))


def test_cached_sentences_that_do_not_load_where_coded_are_cut_and_attributed_again(capsys, data_copy, tmp_path):
    """A sentences entry signed here but of another kind is found out where the batch is coded: the article
    is segmented again, its cached attributions (of the old sentences) are not used, the entry is counted
    among those that did not check, and the tables are those of a cold run."""
    from analysis.pipeline import Run
    out = tmp_path / "out"
    assert run(capsys, "code", "--data", data_copy, "--out", out, "--jobs", "1", "--quiet")[0] == 0
    edit_postman(data_copy)
    assert run(capsys, "code", "--data", data_copy, "--out", tmp_path / "cold", "--jobs", "1", "--quiet")[0] == 0
    cold = checksums(tmp_path / "cold" / "tables")
    stale = Run(data_copy, cache_dir=out / ".cache", jobs=1)
    for k in stale.plan[0].keys:
        stale.cache.put(k["segments"], {"not": "sentences"})
    stale.cache.close()
    from analysis.results.stream import code_tables
    again, _, _ = code_tables(data_copy, out, jobs=1)
    assert again.stats["segmented"] == 5 and again.stats["attributed"] == 5
    assert again.stats["recoded"] == {"postman": 5}
    assert again.cache.rejected == 5 and again.stats["cache_note"].startswith("5 cache entries")
    assert checksums(out / "tables") == cold


def test_in_a_process_pool_the_coders_sign_what_the_parent_stores(data_copy, tmp_path, monkeypatch):
    """With a pool, each coder signs its batch's new entries with the run's key and the parent stores them as
    they are: the parent signs only its own two (what the run read of the articles, and which version of each
    frame it coded).  Every one of them checks when read back: after a one-frame edit each coder reads its
    articles' sentences, the batch's frame-free and other frames' parts, and each article's earlier postman
    entry (coded in part: all five), and none fails its check; with nothing changed every batch comes whole."""
    from analysis import pipeline
    from analysis.inputs import seen
    from analysis.results.stream import code_tables
    monkeypatch.setattr(pipeline, "BATCH", 2)  # the five seeds in three batches: a pool
    monkeypatch.setattr(seen, "RACY_NS", 0)  # the articles were just copied: remembered all the same
    parent, real = [], cache_mod.ArticleCache.sign
    monkeypatch.setattr(cache_mod.ArticleCache, "sign", lambda self, blob, key: parent.append(key) or real(self, blob, key))
    out = tmp_path / "out"
    first, _, _ = code_tables(data_copy, out, jobs=2)  # a coder's appends stay in the coder's own copy of the list
    assert first.stats["jobs"] == 2 and len(parent) == 2
    assert len(cache_mod.ArticleCache(out / ".cache")) == 5 * (2 + 9) + 3 * (1 + 1 + 9) + 1 + 1
    check = pipeline.Run(data_copy, cache_dir=out / ".cache", jobs=1)  # every entry under the key a run reads it by
    frames = check.codebook.frame_ids
    keys = [key for b in check.plan for key in (b.result_key, b.base_key, *b.part_keys(frames).values(),
                                                *(k[x] for k in b.keys for x in ("segments", "found", *frames)))]
    assert len(keys) == 3 * (1 + 1 + 9) + 5 * (2 + 9) and all(check.cache.blob(key) is not None for key in keys)
    check.cache.close()
    edit_postman(data_copy)
    edited, _, _ = code_tables(data_copy, out, jobs=2)
    assert edited.stats["partly"] == {"postman": 5} and edited.stats["segmented"] == 0 and edited.cache.rejected == 0
    again, _, _ = code_tables(data_copy, out, jobs=2)
    assert again.stats["cached"] == 5 and again.cache.rejected == 0


def test_in_a_process_pool_each_coder_reads_its_batchs_cache_entries(data_copy, tmp_path, monkeypatch):
    """With two processes, the parent sends each batch with where its cache entries are, and the coder
    reads them: what it read is kept by the pruning, a sentences entry that does not load is counted and
    cut again, and the tables are those of a cold run."""
    from analysis import pipeline
    from analysis.results.stream import code_tables
    monkeypatch.setattr(pipeline, "BATCH", 2)  # the five seeds in three batches: a pool
    from analysis.inputs import seen
    monkeypatch.setattr(seen, "RACY_NS", 0)  # what each run read of the articles: one entry, kept by every run
    cold = pipeline.Run(data_copy, cache_dir=tmp_path / "first", jobs=2)
    cold.lazy_cuts = True
    results = list(cold.batches())  # the parent unpickles no sentences: their frames came instead
    assert [len(r.cuts) for r in results] == [2, 2, 1] and all(c is None for r in results for c in r.cuts)
    assert sum(len(r.segments) for r in results) == 96  # the seeds' sentences (`code` prints 96)
    out = tmp_path / "out"
    code_tables(data_copy, out, jobs=2)
    frames = len(pipeline.Run(data_copy, jobs=1).codebook.frames)
    # per article; per batch: tables, base, parts; what was read; which version of each frame was coded
    entries = 5 * (2 + frames) + 3 * (1 + 1 + frames) + 1 + 1
    assert len(cache_mod.ArticleCache(out / ".cache")) == entries
    edit_postman(data_copy)
    code_tables(data_copy, tmp_path / "cold", jobs=1)
    run = pipeline.Run(data_copy, cache_dir=out / ".cache", jobs=2)
    run.lazy_cuts = True
    tasks = list(run._tasks())
    assert run.parallel and len(tasks) == 3
    assert all(t.fetch is not None and not t.blobs and not any(p.blobs or p.cut for p in t.pieces) for t in tasks)
    assert [len(t.fetch.keys) for t in tasks] == [2, 2, 1]
    stale = tasks[0].fetch.keys[0]["segments"]  # article 1's sentences: signed here, but not sentences
    run.cache.put(stale, {"not": "sentences"})
    run.cache.close()
    with sqlite3.connect(out / ".cache" / cache_mod.FILE) as db:  # the last batch's rockets part: not signed here
        db.execute("UPDATE entries SET value = ? WHERE key = ?", (b"forged", tasks[2].fetch.parts["rocket_attacks"]))
    again, _, _ = code_tables(data_copy, out, jobs=2)
    assert again.stats["jobs"] == 2 and again.stats["recoded"] == {"postman": 5}  # the rockets part: from its rows
    assert again.stats["segmented"] == 1 and again.stats["attributed"] == 1
    assert again.cache.rejected == 2
    assert len(cache_mod.ArticleCache(out / ".cache")) == entries  # the old postman entries gone, the rest kept
    assert checksums(out / "tables") == checksums(tmp_path / "cold" / "tables")


def one_article_corpus(data_copy: Path, text: str) -> Path:
    """data_copy with its manifest cut to one article whose text is replaced."""
    with (data_copy / "manifest.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    row = rows[0]
    (data_copy / row["file"]).write_text(text, encoding="utf-8")
    with (data_copy / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(row))
        w.writeheader()
        w.writerow(row)
    (data_copy / "translations.csv").write_text("evidence_id,article_id,start,end,arabic,english,translator,note\n",
                                                encoding="utf-8")
    (data_copy / "gold.csv").unlink(missing_ok=True)
    return data_copy


@pytest.mark.parametrize("text, sentences, words", [
    ("كان الطقس معتدلا في المدينة صباح اليوم. وذهب الناس إلى السوق.\n", 2, 11),  # written for testing: nothing fires
    ("مرحبا\n", 1, 1),                                                              # one word
])
def test_a_corpus_where_nothing_fires_gives_empty_tables_and_a_summary(capsys, data_copy, tmp_path, text, sentences, words):
    data = one_article_corpus(data_copy, text)
    code, out, err = run(capsys, "code", "--data", data, "--out", tmp_path, "--quiet")
    assert code == 0, err
    assert "Traceback" not in err
    assert "coded 1 article(s)" in err and f"{sentences} sentences, 0 mentions, 0 frame sentences" in err
    tables = tmp_path / "tables"
    mentions = pd.read_csv(tables / "mentions.csv")
    assert len(mentions) == 0 and list(mentions.columns)[:5] == ["article_id", "file", "outlet", "language", "frame"]
    assert len(pd.read_csv(tables / "frame_sentences.csv")) == 0
    segs = pd.read_csv(tables / "segments.csv")
    assert len(segs) == sentences and segs.words.sum() == words
    long = pd.read_csv(tables / "outlet_frame.csv")
    assert (long.sentences == 0).all() and (long.sentences_total == sentences).all()
    assert len(pd.read_parquet(tables / "speakers.parquet")) == sentences


def test_one_seed_article_alone(capsys, data_copy, tmp_path):
    data = one_article_corpus(data_copy, (ROOT / "data" / "articles" / "002_60db55bcef7aaadf.txt").read_text(encoding="utf-8"))
    code, out, err = run(capsys, "code", "--data", data, "--out", tmp_path, "--quiet")
    assert code == 0, err
    st = pd.read_csv(tmp_path / "tables" / "frame_sentences.csv")
    assert len(st) > 0 and st.article_id.astype(str).str.zfill(3).unique().tolist() == ["000"]


def test_progress_bar_is_gone_before_the_stage_timing(capsys, tmp_path):
    code, _, err = run(capsys, "code", "--out", tmp_path)
    assert code == 0
    line = next(line for line in err.split("\n") if "analysis:" in line)
    assert line.split("\r")[-1].startswith("  analysis: ")  # what remains visible on that line
    assert "coding:" not in line.split("\r")[-1]
    code, _, err = run(capsys, "code", "--out", tmp_path, "--quiet")
    assert "coding:" not in err and "analysis:" not in err


def test_a_lexicon_edit_redoes_the_attributions(data_copy, tmp_path):
    from analysis.inputs.lexicon import LEXICON, SHIPPED
    cache_dir = tmp_path / "cache"
    analyse(data_copy, cache_dir=cache_dir, jobs=1)
    lex = data_copy / LEXICON
    if not lex.exists():
        lex.write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    lex.write_text(lex.read_text(encoding="utf-8") + "\n# edited for testing\n", encoding="utf-8")
    edited = analyse(data_copy, cache_dir=cache_dir, jobs=1)
    assert edited.stats["cached"] == 0 and edited.stats["segmented"] == 0 and edited.stats["recoded"] == {}
    assert edited.stats["attributed"] == 5  # every article's speakers found again, nothing else redone


def test_a_denial_flag_edit_revoices_that_frame_without_recoding_it(data_copy, tmp_path):
    """Cached mentions keep their voices with what they were voiced with: turning a frame's
    'denial:' off must change its stances (postman has denials in the seeds) without recoding."""
    cache_dir = tmp_path / "cache"
    before = analyse(data_copy, cache_dir=cache_dir, jobs=1)
    assert "denied" in set(before.mentions[before.mentions.frame == "postman"].stance)
    book = data_copy / "codebook.yaml"
    text = book.read_text(encoding="utf-8")
    at = text.index("  - id: postman\n") + len("  - id: postman\n")
    book.write_text(text[:at] + "    denial: false\n" + text[at:], encoding="utf-8")
    edited = analyse(data_copy, cache_dir=cache_dir, jobs=1)
    assert edited.stats["recoded"] == {}  # the matches are the same; only their stance changes
    assert "denied" not in set(edited.mentions[edited.mentions.frame == "postman"].stance)
    assert csv_bytes(edited) == csv_bytes(analyse(data_copy, jobs=1))  # as if coded afresh


def test_an_edit_of_an_outlets_arabic_name_counts_its_exclusivity_claims_again(data_copy, tmp_path):
    """The sourcing profile matches an outlet's own Arabic name ("told <outlet>"): the cached batch
    tables must not outlive an edit of outlets.csv (they did: its hash was not in their key)."""
    cache_dir = tmp_path / "cache"
    before = analyse(data_copy, cache_dir=cache_dir, jobs=1).sourcing
    outlets = data_copy / "outlets.csv"
    frame = pd.read_csv(outlets, dtype=str, keep_default_na=False)
    frame["name_ar"] = frame["name_ar"] + "س"  # no outlet is named so in the seeds
    frame.to_csv(outlets, index=False)
    cached = analyse(data_copy, cache_dir=cache_dir, jobs=1).sourcing
    assert cached.equals(analyse(data_copy, jobs=1).sourcing)
    claims = lambda s: s[s.measure == "exclusivity claims"].set_index("outlet").sentences  # noqa: E731
    assert claims(cached)["Arabi Post"] < claims(before)["Arabi Post"]  # 10 → 0 on the seeds
