"""The study's inputs: one loader per file in analysis/inputs/, one form, one error type; validate codes nothing."""
import shutil

import pytest
from conftest import DATA

from analysis.inputs.actors import load_actors
from analysis.inputs.boilerplate import load_boilerplate
from analysis.inputs.cues import load_cues
from analysis.inputs.extraction_rules import load_extraction_rules
from analysis.inputs.study import Study
from analysis.io.errors import InputError, Problems

# (loader, file, broken content written for testing, what the message says)
BROKEN = [
    (load_boilerplate, "boilerplate.yaml", "rules: 3\n", "expected a top-level 'rules:' list"),
    (load_actors, "actors.yaml", "actors: 3\n", "expected a top-level 'actors:' list"),
    (load_cues, "cues.yaml", "places: 3\n", "'places' is not a cue list"),
    (load_extraction_rules, "rules.yaml", "- a list\n", "expected frame ids as keys"),
]


@pytest.mark.parametrize("load, name, text, what", BROKEN)
def test_each_loader_reports_into_a_collector_or_raises_the_input_error(tmp_path, load, name, text, what):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:  # (data_dir) alone: the one input-error type, naming file and line
        load(data)
    assert [(p.file.endswith(name), p.line, p.what) for p in e.value.problems] == [(True, 1, what)]
    problems = Problems()  # (data_dir, problems): collected, not raised
    load(data, problems)
    assert [p.what for p in problems.errors] == [what]


def test_a_study_names_each_file_it_loaded():
    study = Study.load(DATA)
    assert [r.label for r in study.boilerplate][:1] and study.codebook.path.name == "codebook.yaml"
    # boilerplate.yaml and rules.yaml are two files with two names: page furniture vs what to extract
    assert "withdrawal_timeline" in study.extraction_rules.claims
    assert {a.id for a in study.corpus.articles} == {"000", "001", "002", "003", "004"}
    assert "kadhimi" in study.actors and study.actors.lexicon.path.endswith("lexicon.yaml")


def test_a_study_with_a_broken_file_reports_it_once_and_checks_the_others(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "actors.yaml").write_text("actors: 3\n", encoding="utf-8")
    with open(data / "events.csv", "a", encoding="utf-8") as f:
        f.write("x,not a date,y,z\n")
    problems = Problems()
    study = Study.load(data, problems)
    files = [p.file.rsplit("/", 1)[-1] for p in problems.errors]
    assert files == ["actors.yaml", "events.csv"] and study.codebook is not None


def test_validate_checks_the_inputs_without_coding_the_corpus(monkeypatch):
    from analysis import pipeline
    from analysis.coding import speakers, voices
    from analysis.validate import validate_all

    def boom(*a, **k):
        raise AssertionError("validate coded the corpus")
    monkeypatch.setattr(pipeline, "analyse", boom)
    monkeypatch.setattr(voices, "attribute_segments", boom)
    monkeypatch.setattr(speakers, "attributions", boom)
    problems = Problems()
    validate_all(DATA, problems)
    assert problems.errors == []


def _reads(monkeypatch):
    """The article files ``load_corpus`` reads, by name."""
    from analysis.inputs import corpus
    read, real = [], corpus.read_article_text
    monkeypatch.setattr(corpus, "read_article_text", lambda path, *a: read.append(path.name) or real(path, *a))
    return read


def test_a_run_takes_what_it_read_of_unchanged_articles_from_the_last_run(data_copy, tmp_path, monkeypatch):
    """The second run reads no article file and keeps the same hashes and notes; an article rewritten with
    the same size and its modification time put back (``touch -r``) is still read again."""
    import hashlib
    import os

    from analysis.inputs import seen
    from analysis.pipeline import Run
    monkeypatch.setattr(seen, "RACY_NS", 0)  # the files were written a moment ago
    first = data_copy / "articles" / "000_1f50c9dbfb2fc940.txt"
    first.write_text(first.read_text(encoding="utf-8") + "\n" + "كلمة " * 700 + "\n", encoding="utf-8")  # 3,500 characters, no end
    read = _reads(monkeypatch)
    cold = Run(data_copy, cache_dir=tmp_path / "cache", jobs=1)
    cold.cache.close()
    assert len(read) == 5 and len(cold.corpus.warnings) == 1 and "3,500 characters" in cold.corpus.warnings[0]
    read.clear()
    warm = Run(data_copy, cache_dir=tmp_path / "cache", jobs=1)
    warm.cache.close()
    assert read == []
    assert [a.sha256 for a in warm.corpus.articles] == [a.sha256 for a in cold.corpus.articles]
    assert warm.corpus.warnings == cold.corpus.warnings
    text = first.read_text(encoding="utf-8")
    st = os.stat(first)
    changed = text.replace("كلمة", "جملة", 1)  # the same number of characters and bytes
    first.write_text(changed, encoding="utf-8")
    os.utime(first, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(first).st_size == st.st_size and os.stat(first).st_mtime_ns == st.st_mtime_ns
    again = Run(data_copy, cache_dir=tmp_path / "cache", jobs=1)
    again.cache.close()
    assert read == ["000_1f50c9dbfb2fc940.txt"]
    assert again.corpus.articles[0].sha256 == hashlib.sha256(changed.encode("utf-8")).hexdigest() != cold.corpus.articles[0].sha256


def test_an_article_changed_just_before_a_run_is_not_remembered(data_copy, tmp_path, monkeypatch):
    """Written less than two seconds before the run began: its status could hide a second write, so the
    next run reads it again."""
    from analysis.pipeline import Run
    read = _reads(monkeypatch)
    for _ in range(2):
        run = Run(data_copy, cache_dir=tmp_path / "cache", jobs=1)
        run.cache.close()
    assert len(read) == 10  # the copies were made a moment ago: read both times


def test_a_file_is_remembered_once_its_status_is_two_seconds_older_than_the_run():
    """The racy guard's boundary, worked by hand: changed exactly 2 s before the run began, it is
    remembered; one nanosecond later, not."""
    from pathlib import Path

    from analysis.inputs.seen import RACY_NS, Seen
    memo = Seen(began=10 * RACY_NS)
    old, new = (1, 2, 3, 4, 9 * RACY_NS), (1, 5, 3, 4, 9 * RACY_NS + 1)  # device, inode, size, mtime, ctime
    memo.put(Path("/a.txt"), old, "aa", None, None)
    memo.put(Path("/b.txt"), new, "bb", None, None)
    assert memo.now == {"/a.txt": (old, "aa", None, None)}
    assert Seen(memo.now).get(Path("/a.txt"), old) == ("aa", None, None)
    assert Seen(memo.now).get(Path("/a.txt"), new) is None  # another status: read again
