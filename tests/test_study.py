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
