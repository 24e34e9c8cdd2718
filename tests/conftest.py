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
    """mutmut forks each mutant from a process that already normalized text, built the speaker cues
    and compiled the inputs' matchers: start it with all of them empty, or cached results would hide
    the mutant.  Compiled state lives in three places: the normalizer's character tables, the
    built-in cue lists, and the loaded inputs themselves (each gazetteer's automata, each codebook's
    scanners, the lexicon's last sentence)."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        import gc

        from analysis.coding.speakers import _CUE_CACHE
        from analysis.inputs import lexicon
        from analysis.inputs.actors import Gazetteer
        from analysis.inputs.codebook import Codebook
        from analysis.text.normalize import clear_caches
        clear_caches()
        _CUE_CACHE.clear()
        lexicon.forget_last()
        for obj in gc.get_objects():
            if isinstance(obj, (Gazetteer, Codebook)):
                obj.forget_compiled()
    yield


# mutmut runs, for each mutant, only the tests its stats pass saw run the mutated function; a module- or
# session-scoped fixture (the seed and fixture corpora, analysed once) runs the coder during the first test
# that uses it, so every later test of that corpus would never see a mutant.  In the stats pass only, what a
# shared fixture ran is credited to every test that uses it.
_SHARED_HITS: dict[str, set[str]] = {}


def _mutmut_stats():
    if os.environ.get("MUTANT_UNDER_TEST") != "stats":
        return None
    from mutmut.state import state
    return state()


class _SharedFixtureHits:
    """Registered as a plugin, not written as this conftest's hook: pytest asks a conftest's hooks only
    about its own folder's nodes, and a session fixture is set up on the session node (above tests/),
    so the seed corpus's hits were credited to the first test that used it alone."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        st = _mutmut_stats() if fixturedef.scope != "function" else None
        saved = set(st._stats) if st is not None else set()
        if st is not None:
            st._stats.clear()
        yield
        if st is not None:
            _SHARED_HITS.setdefault(fixturedef.argname, set()).update(st._stats)
            st._stats.update(saved)


def pytest_configure(config):
    config.pluginmanager.register(_SharedFixtureHits(), "shared-fixture-hits")


@pytest.fixture(autouse=True)
def _credit_shared_fixtures(request):
    st = _mutmut_stats()
    if st is not None:
        for name in request.fixturenames:
            st._stats.update(_SHARED_HITS.get(name, ()))
    yield


# Why a Quarto test was skipped, and how to get a Quarto (no machine's scratch folder).
NO_QUARTO = ("quarto is not on PATH: build one with /work/shared/tools/build-real-quarto.sh MIRROR TARGET "
             "(see its header), then `source TARGET/env.sh`; or install Quarto from https://quarto.org")
