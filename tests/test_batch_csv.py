"""The CSV rows a batch hands to the table writer (extract/batch.py: its parts keep their rows as written,
``assemble`` joins them in the table's order) against the Parquet tables written from its DataFrames.

`code` runs in this process (``--jobs 1``), so the batch functions run inside these tests, not inside a
fixture shared with others (what mutation testing can credit to each test).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from analysis.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
# the seed corpus's sizes, as the seed briefing states them ("Cleaning removed 15 lines") and test_coding counts
SIZES = {"mentions": 115, "frame_sentences": 65, "quotations": 24, "speakers": 96, "removed": 15, "segments": 96}
KEYS = {"mentions": ["article_id", "sentence_id", "frame", "indicator", "start", "end", "match"],
        "frame_sentences": ["article_id", "sentence_id", "frame", "stance", "speaker"],
        "quotations": ["sentence_id", "start", "end", "speaker", "frames"],
        "speakers": ["sentence_id", "speaker", "speaker_kind", "attribution"],
        "removed": ["article_id", "start", "end", "rule", "text"],
        "segments": ["article_id", "sentence_id", "start", "end", "words", "sentence"]}


def as_text(df: pd.DataFrame) -> pd.DataFrame:
    """Values as a CSV writes them: text, with no value as the empty string."""
    return df.astype(str).replace({"None": "", "nan": "", "<NA>": ""})


def tables(out: Path) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Each row table as its CSV reads back (text) and as its Parquet holds it, on the key columns."""
    got = {}
    for name, cols in KEYS.items():
        csv = pd.read_csv(out / "tables" / f"{name}.csv", dtype=str, keep_default_na=False)[cols]
        parquet = pd.read_parquet(out / "tables" / f"{name}.parquet")[cols]
        got[name] = (csv, as_text(parquet))
    return got


def assert_csv_is_parquet(out: Path) -> None:
    for name, (csv, parquet) in tables(out).items():
        assert len(csv) == SIZES[name], name
        pd.testing.assert_frame_equal(csv, parquet, check_dtype=False, obj=name)


def test_a_batch_writes_the_same_rows_to_csv_as_to_parquet_cold_and_after_a_frame_edit(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    out = tmp_path / "out"
    assert main(["code", "--data", str(data), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    assert_csv_is_parquet(out)
    first = {n: (out / "tables" / f"{n}.csv").read_bytes() for n in KEYS}
    # Kadhimi's denial in article 000, as the file holds it: a mention row of the postman frame
    mentions = tables(out)["mentions"][0]
    assert ((mentions.article_id == "000") & (mentions.frame == "postman")
            & (mentions.match == "يكون ساعي بريد")).sum() == 1
    # a one-frame edit: an indicator no seed article holds (written for this test), so the postman part is
    # rebuilt and its rows written again, the other frames' rows come from their cached parts as written
    phrase = "حامل الرسائل الخاصة"
    assert not any(phrase in p.read_text(encoding="utf-8") for p in (data / "articles").glob("*.txt"))
    book = data / "codebook.yaml"
    text = book.read_text(encoding="utf-8")
    at = text.index("      ar:\n", text.index("  - id: postman\n")) + len("      ar:\n")
    book.write_text(text[:at] + f"        - {phrase}\n" + text[at:], encoding="utf-8")
    assert main(["code", "--data", str(data), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    assert_csv_is_parquet(out)
    assert {n: (out / "tables" / f"{n}.csv").read_bytes() for n in KEYS} == first


def test_a_batch_hands_over_its_rows_already_written_as_csv(tmp_path):
    """The table writer takes a batch's CSV rows as they are (a fall back to writing its DataFrames would
    give the same files, only slower): each streamed table's rows, one record per DataFrame row, in its order."""
    import csv
    import io

    from analysis.pipeline import Run
    run = Run(DATA, cache_dir=tmp_path / "cache", jobs=1)
    [batch] = list(run.batches())  # the five seed articles are one batch
    frames = batch.row_tables()
    assert set(batch.csv) >= set(KEYS)
    for name, cols in KEYS.items():
        records = list(csv.reader(io.StringIO(batch.csv[name].decode("utf-8"), newline="")))
        df = frames[name]
        assert len(records) == len(df) == SIZES[name], name
        at = [list(df.columns).index(c) for c in cols]
        got = [[r[i] for i in at] for r in records]
        want = as_text(df[cols]).values.tolist()
        assert got == want, name
