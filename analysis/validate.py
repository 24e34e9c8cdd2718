"""Check every input in one run and report all problems (the `validate` command)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.coding.article import code_frames, mentions_frame, segment_article, segments_frame
from analysis.coding.context import apply_context
from analysis.inputs.codebook import Codebook
from analysis.inputs.corpus import NO_ARTICLES, Corpus, load_events
from analysis.inputs.study import Study
from analysis.io.errors import InputError, Problems
from analysis.report.story import load_story
from analysis.results.evaluate import GOLD, load_gold
from analysis.results.evidence import TRANSLATIONS, load_translations
from analysis.results.glossary import load_glossary
from analysis.results.reviews import REVIEWS, load_reviews
from analysis.results.tables import indicator_counts, language_sizes

# An indicator that fires in this share of a language's sentences, or on this share of its words,
# is not telling frames apart; a corpus needs this many sentences (words) for the share to mean much.
MAX_SENTENCE_SHARE, MIN_SENTENCES = 0.9, 20  # "almost every": a corpus picked by a topic query can carry one frame in most sentences
MAX_WORD_SHARE, MIN_WORDS = 0.2, 200


@dataclass
class Matched:
    """What the checks of the files that point into articles read: the inputs, every article's
    sentences, and the indicators' matches (before any speaker, stance or extraction)."""
    corpus: Corpus
    codebook: Codebook
    actors: dict
    segments: list
    mentions: pd.DataFrame

    def segments_frame(self) -> pd.DataFrame:
        return segments_frame(self.segments)

    @property
    def stances(self) -> pd.DataFrame:
        """The (sentence, frame) pairs coded, as the reviews' check needs them."""
        return self.mentions[["sentence_id", "frame"]].drop_duplicates()


def validate_all(data_dir: Path, problems: Problems) -> None:
    """Inputs first (each file by its loader, study.py); if they load, the files that point into
    articles (translations, gold) and indicators that match almost everything.  Nothing is coded
    beyond the indicators' matches: no speakers, stances, extractions or tables."""
    study = Study.load(data_dir, problems)
    if problems.errors and all(p.what == NO_ARTICLES for p in problems.errors):  # a blank study: fine so far
        for p in problems.errors:
            p.level, p.what = "note", "no articles yet (a blank study)"
            p.fix = "bring them in with `framing import EXPORT` or `framing add ARTICLE`"
        return
    if problems.errors:
        return
    matched = match_corpus(study)
    check_story(data_dir, study.codebook.labels(), problems)
    overbroad_patterns(matched, problems)
    for loader, name in ((load_translations, TRANSLATIONS), (load_gold, GOLD), (load_reviews, REVIEWS)):
        if (data_dir / name).exists():
            try:
                loader(data_dir / name, matched, problems)
            except InputError as e:
                problems.items += e.problems


def check_pointers(data_dir: Path, run, segments: list, problems: Problems) -> None:
    """translations.csv and gold.csv against the articles (``segments``: the gold articles' sentences)."""
    from types import SimpleNamespace
    view = SimpleNamespace(corpus=run.corpus, codebook=run.codebook, actors=run.actors, segments=segments)
    for loader, name in ((load_translations, TRANSLATIONS), (load_gold, GOLD)):
        if (Path(data_dir) / name).exists():
            try:
                loader(Path(data_dir) / name, view, problems)
            except InputError as e:
                problems.items += e.problems


def match_corpus(study: Study) -> Matched:
    """Every article segmented, and its indicators' matches that keep their context."""
    segments, rows = [], []
    for article in study.corpus.articles:
        segs, _ = segment_article(article, study.boilerplate)
        found = code_frames(article, segs, study.codebook)
        rows += apply_context([r for frame_rows in found.values() for r in frame_rows], segs, study.codebook)
        segments += segs
    return Matched(study.corpus, study.codebook, study.actors, segments, mentions_frame(rows))


def check_story(data_dir: Path, labels: dict, problems: Problems) -> None:
    """report.yaml and glossary.csv, which only the briefing reads."""
    try:
        load_story(data_dir, labels, list(load_events(data_dir).id), problems)
        load_glossary(data_dir, problems)
    except InputError as e:
        problems.items += e.problems


def overbroad_patterns(analysis: Matched, problems: Problems) -> None:
    """Refuse indicators that match almost every sentence or word of their language in this corpus.

    The codebook loader already refuses a pattern that matches any text at all
    ('.*'); this catches the ones that only nearly do ('\\s', '*ا*'), with the share they matched.
    """
    if analysis.mentions.empty:
        return
    language = {a.id: a.language for a in analysis.corpus.articles}
    overbroad_from(language_sizes(analysis.segments_frame(), language), indicator_counts(analysis.mentions),
                   analysis.codebook, problems)


def overbroad_from(sizes, counts, cb, problems: Problems) -> None:
    """The check, from per-language sizes and per-indicator counts (whole, or summed over batches)."""
    for (frame, lang, label), row in counts.sort_index().iterrows():
        n_sent = int(sizes.sentences.get(lang, 0)) if len(sizes) else 0
        n_words = int(sizes.words.get(lang, 0)) if len(sizes) else 0
        hit_sentences, matches = int(row.sentences), int(row.matches)
        s_share = hit_sentences / n_sent if n_sent else 0.0
        w_share = matches / n_words if n_words else 0.0
        if n_sent >= MIN_SENTENCES and s_share >= MAX_SENTENCE_SHARE:
            what = f"{hit_sentences} of {n_sent} {lang} sentences ({s_share:.0%})"
        elif n_words >= MIN_WORDS and w_share >= MAX_WORD_SHARE:
            what = f"{matches} of {n_words} {lang} words ({w_share:.0%})"
        else:
            continue
        ind = next((i for i in cb.frame(frame).indicators.get(lang, []) if i.label == label), None)
        problems.add(cb.path, ind.line if ind else None,
                     f"frame '{frame}' indicators.{lang}: '{label}' matches {what} of the corpus",
                     "make the pattern more specific: an indicator should pick out the sentences that carry the frame")