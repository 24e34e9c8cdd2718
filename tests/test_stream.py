"""`code` writes its tables batch by batch: the same bytes as the whole analysis written
at once, in pieces that never need the whole corpus in memory, and all or none."""
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import pipeline
from analysis.cli import main
from analysis.io.output import OutputError, TableSet
from analysis.pipeline import analyse
from analysis.results.tables import export_tables

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus as resample  # noqa: E402  (seed paragraphs reshuffled into new articles)


def test_appended_pieces_make_the_table_written_whole(tmp_path):
    # written for testing: three pieces of one table, one of them empty
    parts = [pd.DataFrame({"id": ["a", "b"], "n": [1, 2], "text": ["x, y", 'say "no"']}),
             pd.DataFrame({"id": [], "n": [], "text": []}).astype({"n": "int64"}),
             pd.DataFrame({"id": ["c"], "n": [3], "text": ["ساعي بريد"]})]
    with TableSet(tmp_path / "out", ("t",)) as ts:
        for p in parts:
            ts.append("t", p)
        paths = ts.commit()
    assert paths == [tmp_path / "out" / "tables" / "t.csv"]
    assert paths[0].read_text(encoding="utf-8") == 'id,n,text\na,1,"x, y"\nb,2,"say ""no"""\nc,3,ساعي بريد\n'
    back = pd.read_parquet(tmp_path / "out" / "tables" / "t.parquet")
    assert list(back.id) == ["a", "b", "c"] and list(back.n) == [1, 2, 3]


def test_a_table_without_rows_is_its_header(tmp_path):
    with TableSet(tmp_path, ("t",)) as ts:
        ts.append("t", pd.DataFrame({"id": pd.Series([], dtype=str), "n": pd.Series([], dtype="int64")}))
        ts.commit()
    assert (tmp_path / "tables" / "t.csv").read_text() == "id,n\n"
    assert len(pd.read_parquet(tmp_path / "tables" / "t.parquet")) == 0


def test_leaving_without_commit_keeps_the_previous_set(tmp_path):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "t.csv").write_text("old\n")
    with pytest.raises(RuntimeError):
        with TableSet(tmp_path, ("t",)) as ts:
            ts.append("t", pd.DataFrame({"a": [1]}))
            raise RuntimeError("refused halfway")
    assert (tmp_path / "tables" / "t.csv").read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]  # no scratch folder left behind


def test_a_folder_in_the_way_is_refused_before_anything_is_written(tmp_path):
    (tmp_path / "tables" / "t.csv").mkdir(parents=True)
    with pytest.raises(OutputError, match="it is a folder"):
        with TableSet(tmp_path, ("t",)) as ts:
            ts.append("t", pd.DataFrame({"a": [1]}))


@pytest.mark.parametrize("jobs", [1, 2])
def test_streamed_tables_are_the_whole_analysis_written_at_once(capsys, tmp_path, jobs, monkeypatch):
    from analysis.results import stream
    monkeypatch.setattr(stream, "FLUSH_ROWS", 100)  # rows go out every batch or two, not once at the end
    monkeypatch.setattr(stream, "FOLD", 2)  # counts and small tables of batches 1-2 added up before batch 3's
    monkeypatch.setattr(pipeline, "BATCH", 16)
    data = resample.build(40, tmp_path / "data")  # 3 batches of 16 articles
    assert main(["code", "--data", str(data), "--out", str(tmp_path / "out"), "--jobs", str(jobs), "--quiet"]) == 0
    capsys.readouterr()
    whole = export_tables(analyse(data, jobs=1))
    written = sorted(p.name for p in (tmp_path / "out" / "tables").glob("*.csv"))
    assert written == sorted(f"{n}.csv" for n in whole)
    for name, df in whole.items():
        got = (tmp_path / "out" / "tables" / f"{name}.csv").read_bytes()
        assert got == df.to_csv(index=False, lineterminator="\n").encode(), name
    assert len(whole["mentions"]) > 100 and whole["mentions"].article_id.nunique() > 32  # rows from every batch


def test_with_workers_the_parent_reads_no_article_text(tmp_path, monkeypatch):
    """The texts are read where their batch is coded: with a pool, in the workers only; then from
    the cache, by nobody.  (The removed lines' text was cut from each article again in the parent.)"""
    import os

    from analysis.inputs.corpus import StoredArticle
    from analysis.results.stream import code_tables
    parent, read = os.getpid(), StoredArticle.read
    in_parent: list[str] = []

    def recorded(self, *folder):  # the batch's data folder, as resolved for it
        if os.getpid() == parent:
            in_parent.append(self.id)
        return read(self, *folder)

    monkeypatch.setattr(StoredArticle, "read", recorded)
    monkeypatch.setattr(pipeline, "BATCH", 16)
    data = resample.build(40, tmp_path / "data")  # 3 batches of 16 articles, most with boilerplate removed
    for cached in (False, True):
        run, stream, _ = code_tables(data, tmp_path / "out", jobs=2)
        assert run.parallel is not cached and run.stats["cached"] == (40 if cached else 0)
        assert stream.rows["segments"] and len(pd.read_csv(tmp_path / "out" / "tables" / "removed.csv"))
        assert in_parent == [], cached
