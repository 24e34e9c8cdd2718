"""The pipeline's composition: declared table schemas, the warm-up before forking, the per-batch steps."""
import pytest
from conftest import DATA


def test_the_declared_empty_tables_have_the_columns_of_the_filled_ones(seed):
    from analysis.pipeline import empty_tables
    empty = empty_tables(seed.extraction_rules)
    filled = {"mentions": seed.mentions, "quotations": seed.quotations, "stances": seed.stances,
              "speakers": seed.speakers, "claims": seed.claims, "details": seed.details, "sourcing": seed.sourcing}
    assert list(empty) == list(filled)
    for name, df in filled.items():
        assert len(df) > 0 and len(empty[name]) == 0, name
        assert list(empty[name].columns) == list(df.columns), name
    # details add the columns rules.yaml names (data/rules.yaml: targets, frequency, perpetrator)
    assert list(empty["details"].columns)[4:7] == ["targets", "frequency", "perpetrator"]


def test_warm_compiles_what_the_workers_use(monkeypatch):
    from analysis.coding import speakers
    from analysis.pipeline import Run, warm
    run = Run(DATA, jobs=1)
    monkeypatch.setattr(speakers, "_CUE_CACHE", {})
    warm(run.inputs)  # every call it makes is one that exists: nothing is swallowed
    assert set(speakers._CUE_CACHE) == {(k, lang) for k in ("source", "anaphor") for lang in ("ar", "en")}


def test_a_batch_is_its_articles_one_by_one_then_the_tables(seed):
    from analysis.pipeline import Piece, Run, Task, analyse_batch, analyse_piece
    run = Run(DATA, jobs=1)
    art = run.corpus.articles[0]
    one = analyse_piece(Piece(art, None, {}), run.inputs)
    segments = [s for s in seed.segments if s.article_id == art.id]
    assert [s.sentence_id for s in one.cut[0]] == [s.sentence_id for s in segments]
    assert one.new_found and one.coded == set(run.codebook.frame_ids)
    assert len(one.rows) == (seed.mentions.article_id == art.id).sum()
    batch = analyse_batch(Task([Piece(art, None, {})]), run.inputs)
    assert batch.mentions.equals(seed.mentions[seed.mentions.article_id == art.id].reset_index(drop=True))


def test_a_run_gives_the_garbage_collector_back_its_objects_however_it_ends(tmp_path):
    import gc

    from analysis.pipeline import Run, _frozen
    gc.unfreeze()
    with pytest.raises(KeyboardInterrupt), _frozen():
        assert gc.get_freeze_count() > 0
        raise KeyboardInterrupt  # a Ctrl-C while coding
    assert gc.get_freeze_count() == 0
    gc.freeze()  # a caller's own freeze is left as it was
    n = gc.get_freeze_count()
    with _frozen():
        pass
    assert gc.get_freeze_count() >= n > 0
    gc.unfreeze()
    it = Run(DATA, cache_dir=tmp_path, jobs=1).batches()  # a run stopped after its first batch
    next(it)
    assert gc.get_freeze_count() > 0
    it.close()
    assert gc.get_freeze_count() == 0
