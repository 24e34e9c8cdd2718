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
    assert sum(map(len, one.rows.values())) == (seed.mentions.article_id == art.id).sum()  # by frame
    batch = analyse_batch(Task([Piece(art, None, {})]), run.inputs)
    assert batch.mentions.equals(seed.mentions[seed.mentions.article_id == art.id].reset_index(drop=True))


def test_a_run_gives_the_garbage_collector_back_its_objects_however_it_ends(tmp_path):
    import gc

    from analysis.pipeline import GC_YOUNG, Run, _frozen
    gc.unfreeze()
    caller = gc.get_threshold()
    gc.set_threshold(700, 11, 12)  # a caller's own thresholds come back too
    try:
        with pytest.raises(KeyboardInterrupt), _frozen():
            assert gc.get_freeze_count() > 0
            assert gc.get_threshold() == (GC_YOUNG, 11, 12)  # the youngest generation collected less often
            raise KeyboardInterrupt  # a Ctrl-C while coding
        assert gc.get_threshold() == (700, 11, 12)
    finally:
        gc.set_threshold(*caller)
    assert gc.get_freeze_count() == 0
    gc.freeze()  # a caller's own freeze is left as it was
    n = gc.get_freeze_count()
    with _frozen():
        pass
    assert gc.get_freeze_count() >= n > 0
    gc.unfreeze()
    it = Run(DATA, cache_dir=tmp_path, jobs=1).batches()  # a run stopped after its first batch
    next(it)
    assert gc.get_freeze_count() > 0 and gc.get_threshold()[0] == GC_YOUNG
    it.close()
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == caller
    gc.set_threshold(0)  # collection switched off by the caller stays off
    try:
        with _frozen():
            assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*caller)


def longest_lines(data) -> dict[str, str]:
    """Each seed article's longest paragraph, read here from its file (a title may be held; a paragraph may not)."""
    import csv
    rows = csv.DictReader(open(data / "manifest.csv", encoding="utf-8-sig"))
    return {r["id"]: max((data / r["file"]).read_text(encoding="utf-8-sig").splitlines(), key=len) for r in rows}


def test_the_coder_holds_no_corpus_text_and_its_batches_carry_none(tmp_path):
    """The coding run holds the manifest, not the texts (about 1.1 GB at 100,000 articles, counted again by
    every forked worker); a batch crosses to its worker without them and reads them there."""
    import pickle

    from analysis.pipeline import Run
    run = Run(DATA, jobs=1, cache_dir=tmp_path, batch=2)
    paragraphs = longest_lines(DATA)
    assert len(paragraphs) == len(run.corpus.articles) == 5 and all(len(p) > 200 for p in paragraphs.values())
    tasks = list(run._tasks())
    assert [len(t.pieces) for t in tasks] == [2, 2, 1]
    for a in run.corpus.articles:  # read on demand (the last few kept), and the same text
        assert paragraphs[a.id] in a.text
    held = pickle.dumps((run.corpus, [b.articles for b in run.plan], tasks))  # what the parent holds and sends
    loaded = {p.article.id: p.article for t in tasks for p in t.loaded().pieces}  # what a worker codes
    for aid, paragraph in paragraphs.items():
        assert paragraph.encode("utf-8") not in held, aid
        assert paragraph in loaded[aid].text, aid


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_article_edited_after_the_corpus_was_read_is_refused_not_coded(data_copy, tmp_path, jobs):
    """The texts are read again when their batch is coded (in the worker with jobs=2): a file changed
    since the corpus was read is an input error naming it, never a different text coded silently."""
    from analysis.io.errors import InputError
    from analysis.pipeline import Run
    run = Run(data_copy, jobs=jobs, cache_dir=tmp_path, batch=1)
    assert run.parallel is (jobs == 2)
    path = data_copy / run.corpus.articles[3].file
    path.write_text(path.read_text(encoding="utf-8") + "سطر أضيف بعد القراءة.\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        list(run.batches())
    [p] = e.value.problems  # the problem itself crossed from the worker, not a string of it
    assert p.file.endswith(run.corpus.articles[3].file) and "changed after the corpus was read" in p.what


def test_a_folder_swapped_for_a_link_out_of_the_study_after_load_is_not_followed(data_copy, tmp_path):
    """The manifest's paths were checked inside the data folder when the corpus was read; the texts
    are read again later (when their batch is coded), so they are checked again then: a folder
    replaced meanwhile by a link to another place is refused, even holding the same files."""
    import shutil

    from analysis.io.errors import InputError
    from analysis.pipeline import Run
    run = Run(data_copy, jobs=1, cache_dir=tmp_path / "cache", batch=2)
    folder = (data_copy / run.corpus.articles[0].file).parent
    outside = tmp_path / "elsewhere"
    shutil.move(folder, outside)
    folder.symlink_to(outside, target_is_directory=True)
    with pytest.raises(InputError) as e:
        list(run.batches())
    [p] = e.value.problems
    assert p.file == run.corpus.articles[0].file and "outside the data folder" in p.what
