"""A study folder's inputs, each file read by its own loader in this folder, checked together.

Every loader has the same form, ``load_x(data_dir, problems=None)`` (the codebook's takes its file),
and reports every problem in the one input-error family (io/errors.py): into ``problems`` when the
caller collects them (``validate``), else as an InputError.  Compiled state (the patterns' regexes
and prefilters, the gazetteer's automata) hangs off the objects loaded here.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.inputs.actors import Gazetteer, load_actors
from analysis.inputs.boilerplate import BoilerplateRule, load_boilerplate
from analysis.inputs.codebook import CODEBOOK, Codebook, load_codebook
from analysis.inputs.corpus import Corpus, load_corpus, load_events
from analysis.inputs.cues import Cues, load_cues
from analysis.inputs.extraction_rules import ExtractionRules, load_extraction_rules
from analysis.inputs.seen import Seen
from analysis.io.errors import InputError, Problems


@dataclass
class Study:
    """What coding a corpus reads.  With a collector, a file that failed to load is None and every
    other file is still checked."""
    data_dir: Path
    corpus: Corpus | None
    boilerplate: list[BoilerplateRule] | None   # boilerplate.yaml
    codebook: Codebook | None                   # codebook.yaml
    actors: Gazetteer | None                    # actors.yaml, with lexicon.yaml
    cues: Cues | None                           # cues.yaml
    events: pd.DataFrame | None                 # events.csv
    extraction_rules: ExtractionRules           # rules.yaml

    @classmethod
    def load(cls, data_dir: Path | str, problems: Problems | None = None, memo: Seen | None = None) -> Study:
        """``memo``: what the last run read of the articles (``inputs/seen.py``)."""
        data_dir = Path(data_dir)
        own = problems is None
        problems = problems if problems is not None else Problems()

        def guarded(load, *args, **kwargs):
            try:
                return load(*args, problems, **kwargs)
            except InputError as e:  # e.g. a YAML syntax error: report it, check the other files
                problems.items += e.problems
                return None

        corpus = guarded(load_corpus, data_dir, memo=memo)
        boilerplate = guarded(load_boilerplate, data_dir)
        codebook = guarded(load_codebook, data_dir / CODEBOOK)
        actors = guarded(load_actors, data_dir)
        cues = guarded(load_cues, data_dir)
        events = guarded(load_events, data_dir)
        extraction_rules = ExtractionRules()
        if codebook is not None and cues is not None and events is not None:
            extraction_rules = guarded(load_extraction_rules, data_dir, frame_ids=codebook.frame_ids,
                                       events=events, cue_kinds=cues.kinds()) or ExtractionRules()
        if own:
            problems.raise_if_any()
        return cls(data_dir, corpus, boilerplate, codebook, actors, cues, events, extraction_rules)
