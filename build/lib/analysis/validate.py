"""Check every input in one run and report all problems (the `validate` command)."""
from __future__ import annotations

from pathlib import Path

from analysis.io.errors import InputError, Problems
from analysis.results.evaluate import GOLD, load_gold
from analysis.results.evidence import TRANSLATIONS, load_translations
from analysis.pipeline import analyse, load_inputs
from analysis.inputs.corpus import load_events
from analysis.report.story import load_story
from analysis.results.glossary import load_glossary


def validate_all(data_dir: Path, problems: Problems, cache_dir: Path | None = None) -> None:
    """Inputs first; if they load, the files that point into articles (translations, gold).

    ``cache_dir``: the coding cache to use (render passes its own, so the kernel finds the work done).
    """
    try:
        load_inputs(data_dir, problems)
    except InputError as e:  # a YAML syntax error stops that file only
        problems.items += e.problems
    if problems.errors:
        return
    analysis = analyse(data_dir, cache_dir=cache_dir)
    check_story(data_dir, analysis.codebook.labels(), problems)
    for loader, name in ((load_translations, TRANSLATIONS), (load_gold, GOLD)):
        if (data_dir / name).exists():
            try:
                loader(data_dir / name, analysis, problems)
            except InputError as e:
                problems.items += e.problems


def check_story(data_dir: Path, labels: dict, problems: Problems) -> None:
    """report.yaml and glossary.csv, which only the briefing reads."""
    try:
        load_story(data_dir, labels, list(load_events(data_dir).id), problems)
        load_glossary(data_dir, problems)
    except InputError as e:
        problems.items += e.problems
