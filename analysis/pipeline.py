"""Wire the steps together: corpus → clean → segments → mentions → tables.

Each step's result stays on the returned ``Analysis`` so that an analyst can
stop at any step in a notebook and look.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import clean, coding, voices
from .codebook import CODEBOOK, Codebook, load_codebook
from .corpus import Corpus, load_corpus
from .errors import Problems
from .speakers import Actor, load_actors


@dataclass
class Analysis:
    corpus: Corpus
    codebook: Codebook
    segments: list[coding.Segment]
    removed: pd.DataFrame
    mentions: pd.DataFrame      # one row per match, with speaker and stance
    quotations: pd.DataFrame
    actors: dict[str, Actor] = field(default_factory=dict)

    def segments_frame(self) -> pd.DataFrame:
        return coding.segments_frame(self.segments)


def load_inputs(data_dir: Path | str, problems: Problems | None = None):
    """Corpus, boilerplate rules and codebook, validated together."""
    data_dir = Path(data_dir)
    own = problems is None
    problems = problems if problems is not None else Problems()
    corpus = load_corpus(data_dir, problems)
    rules = clean.load_rules(data_dir, problems)
    codebook = load_codebook(data_dir / CODEBOOK, problems)
    actors = load_actors(data_dir, problems)
    if own:
        problems.raise_if_any()
    return corpus, rules, codebook, actors


def analyse(data_dir: Path | str = "data") -> Analysis:
    corpus, rules, codebook, actors = load_inputs(data_dir)
    segments, removed, rows = [], [], []
    for article in corpus.articles:
        segs, rem = coding.segment_article(article, rules)
        segments += segs
        removed += rem
        rows += coding.code_article(article, segs, codebook)
    articles = {a.id: a for a in corpus.articles}
    mentions, quotations = voices.add_voices(corpus, segments, coding.mentions_frame(rows), actors)
    return Analysis(corpus, codebook, segments, clean.removed_frame(removed, articles), mentions, quotations, actors)
