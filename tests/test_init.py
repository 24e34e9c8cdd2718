"""`init`: a blank study by default (templates, nothing of another story), the seed study with --example."""
from __future__ import annotations

import csv
from pathlib import Path

from analysis.cli import main
from analysis.inputs.codebook import load_codebook

SEED_WORDS = ("Kadhimi", "الكاظمي", "Qaani", "postman", "almarjie", "withdrawal")


def test_blank_study_has_templates_and_nothing_of_the_seed(capsys, tmp_path):
    assert main(["init", str(tmp_path / "s"), "--blank"]) == 0
    data = tmp_path / "s" / "data"
    assert len(load_codebook(data / "codebook.yaml").frames) == 0
    for name in ("codebook.yaml", "actors.yaml", "cues.yaml", "rules.yaml"):
        text = (data / name).read_text(encoding="utf-8")
        assert "Template" in text, name  # each shows its format in comments
        assert not any(w in text for w in SEED_WORDS), name
    for name, header in (("outlets.csv", "id,name_en,name_ar,country,url"), ("events.csv", "id,date,label,source")):
        assert (data / name).read_text(encoding="utf-8") == header + "\n"
    with open(data / "manifest.csv", encoding="utf-8") as f:
        assert len(list(csv.reader(f))) == 1  # the header only
    assert "manifest.csv" in (data / "README.md").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "--data", str(data)]) == 0
    out, err = capsys.readouterr()
    assert "OK, 1 note(s)" in out and "no articles yet (a blank study)" in err


def test_init_is_blank_by_default_and_example_on_request(capsys, tmp_path):
    assert main(["init", str(tmp_path / "a"), "-q"]) == 0
    assert load_codebook(tmp_path / "a" / "data" / "codebook.yaml").frames == []
    assert main(["init", str(tmp_path / "b"), "--example", "-q"]) == 0
    ids = [f.id for f in load_codebook(tmp_path / "b" / "data" / "codebook.yaml").frames]
    assert "postman" in ids
    assert "almarjie" in (tmp_path / "b" / "data" / "outlets.csv").read_text(encoding="utf-8")


def test_blank_templates_ship_with_the_package():
    import analysis.ingest.start as start
    assert {p.name for p in start.BLANK.iterdir()} == {"codebook.yaml", "actors.yaml", "cues.yaml", "rules.yaml",
                                                       "README.md"}
    assert Path(start.__file__).parent.parent.joinpath("defaults", "blank").is_dir()
