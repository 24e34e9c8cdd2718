import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def seed():
    """The seed corpus, analysed once for the whole session."""
    from analysis.pipeline import analyse
    return analyse(DATA)


@pytest.fixture
def data_copy(tmp_path):
    """A private copy of data/ that a test may break."""
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    return dst


def with_shipped_inputs(src: Path, dst: Path) -> Path:
    """A data folder: a fixture's corpus, plus the shipped codebook, actors and lexicons it lacks.

    The seed story's extraction rules and report are left out: they name the seed's events and frames.
    """
    shutil.copytree(src, dst)
    for f in DATA.glob("*.yaml"):
        if f.name not in ("rules.yaml", "report.yaml") and not (dst / f.name).exists():
            shutil.copy(f, dst / f.name)
    return dst


def sentence_with(analysis, article_id, fragment):
    """The coder's sentence of an article that contains a fragment of original text."""
    hits = [s for s in analysis.segments if s.article_id == article_id and fragment in s.text]
    assert hits, f"no sentence of {article_id} contains {fragment!r}"
    return hits[0]


@pytest.fixture(autouse=True, scope="session")
def _fresh_caches_under_mutation():
    """mutmut forks each mutant from a process that already normalized text: start it
    with an empty character cache, or cached results would hide the mutant."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        from analysis.text.normalize import clear_caches
        clear_caches()
    yield
