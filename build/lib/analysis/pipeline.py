"""Wire the steps together: corpus → clean → segments → mentions → tables.

Each step's result stays on the returned ``Analysis`` so that an analyst can
stop at any step in a notebook and look.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from analysis.coding import clean
from analysis.coding import context
from analysis.coding import article as coding
from analysis.extract import extractions as extract
from analysis.extract.rules import Rules, load_rules
from analysis.coding import voices
from analysis.io.cache import ArticleCache, file_hash, source_hash
from analysis.inputs.codebook import CODEBOOK, Codebook, load_codebook
from analysis.inputs.corpus import Corpus, load_corpus, load_events
from analysis.io.errors import InputError, Problems
from analysis.coding.speakers import Actor, load_actors


@dataclass
class Analysis:
    corpus: Corpus
    codebook: Codebook
    segments: list[coding.Segment]
    removed: pd.DataFrame
    mentions: pd.DataFrame      # one row per match, with speaker and stance
    quotations: pd.DataFrame
    actors: dict[str, Actor]
    stances: pd.DataFrame       # one row per (sentence, frame): the counting unit, with stance and speaker
    speakers: pd.DataFrame      # one row per sentence: who speaks
    claims: pd.DataFrame        # data/rules.yaml: one row per claim (frame, kind, content, deadline, role)
    details: pd.DataFrame       # data/rules.yaml: one row per sentence of a frame with detail rules
    rules: Rules
    sourcing: pd.DataFrame

    def segments_frame(self) -> pd.DataFrame:
        return coding.segments_frame(self.segments)


def load_inputs(data_dir: Path | str, problems: Problems | None = None):
    """Corpus, boilerplate rules, codebook, actors, cue lists and extraction rules, validated together.

    With a collector, every file is checked even when an earlier one failed.
    """
    data_dir = Path(data_dir)
    own = problems is None
    problems = problems if problems is not None else Problems()

    def guarded(load, *args):
        try:
            return load(*args)
        except InputError as e:  # e.g. a YAML syntax error: report it, check the other files
            problems.items += e.problems
            return None

    corpus = guarded(load_corpus, data_dir, problems)
    rules = guarded(clean.load_rules, data_dir, problems)
    codebook = guarded(load_codebook, data_dir / CODEBOOK, problems)
    actors = guarded(load_actors, data_dir, problems)
    cues = guarded(extract.load_cues, data_dir, problems)
    events = guarded(load_events, data_dir, problems)
    extraction = Rules()
    if codebook is not None and cues is not None and events is not None:
        extraction = guarded(load_rules, data_dir, codebook.frame_ids, events, cues.kinds(), problems) or Rules()
    if own:
        problems.raise_if_any()
    return corpus, rules, codebook, actors, cues, extraction


def analyse(data_dir: Path | str = "data", progress: bool = False, cache_dir: Path | None = None) -> Analysis:
    data_dir = Path(data_dir)
    corpus, rules, codebook, actors, cues, extraction = load_inputs(data_dir)
    # Cached per article (segments) and per article × frame (mentions), so an edit to one
    # article recodes that article and an edit to one frame recodes that frame only.
    cache = ArticleCache(cache_dir, source_hash())
    rules_hash = file_hash(data_dir / clean.BOILERPLATE)
    segments, removed, rows = [], [], []
    for article in tqdm(corpus.articles, desc="coding", unit="article", disable=not progress, leave=False):
        art_key = (article.id, article.file, article.language, article.outlet.name_en, article.sha256)
        seg_key = cache.key("segments", rules_hash, *art_key)
        cut = cache.get(seg_key)
        if cut is None:
            cut = coding.segment_article(article, rules)
            cache.put(seg_key, cut)
        segments += cut[0]
        removed += cut[1]
        keys = {f.id: cache.key("mentions", rules_hash, f.fingerprint, *art_key) for f in codebook.frames}
        found = {fid: cache.get(k) for fid, k in keys.items()}
        missing = [f for f in codebook.frames if found[f.id] is None]
        if missing:  # one scan of the article for all the frames not cached
            for fid, fresh in coding.code_frames(article, cut[0], codebook, missing).items():
                found[fid] = fresh
                cache.put(keys[fid], fresh)
        for f in codebook.frames:
            rows += found[f.id]
    rows = context.apply_context(rows, segments, codebook)  # frame scope (codebook 'context:')
    articles = {a.id: a for a in corpus.articles}
    removed_df = clean.removed_frame(removed, articles)
    mentions, quotations = voices.add_voices(corpus, segments, coding.mentions_frame(rows), actors, codebook)
    stances = voices.sentence_stances(mentions, codebook)
    speakers = voices.sentence_speakers(corpus, segments, actors)
    return Analysis(
        corpus, codebook, segments, removed_df, mentions, quotations, actors, stances, speakers,
        claims=extract.claims(corpus, segments, stances, extraction),
        details=extract.details(corpus, segments, stances, cues, extraction),
        rules=extraction,
        sourcing=extract.sourcing_profile(corpus, segments, speakers, removed_df, cues),
    )
