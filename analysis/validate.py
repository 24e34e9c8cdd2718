"""Check every input in one run and report all problems (the `validate` command)."""
from __future__ import annotations

from pathlib import Path

from analysis.inputs.corpus import NO_ARTICLES, load_events
from analysis.io.errors import InputError, Problems
from analysis.pipeline import Analysis, analyse, load_inputs
from analysis.report.story import load_story
from analysis.results.evaluate import GOLD, load_gold
from analysis.results.evidence import TRANSLATIONS, load_translations
from analysis.results.glossary import load_glossary
from analysis.results.tables import indicator_counts, language_sizes

# An indicator that fires in this share of a language's sentences, or on this share of its words,
# is not telling frames apart; a corpus needs this many sentences (words) for the share to mean much.
MAX_SENTENCE_SHARE, MIN_SENTENCES = 0.9, 20  # "almost every": a corpus picked by a topic query can carry one frame in most sentences
MAX_WORD_SHARE, MIN_WORDS = 0.2, 200


def validate_all(data_dir: Path, problems: Problems, cache_dir: Path | None = None) -> None:
    """Inputs first; if they load, the files that point into articles (translations, gold).

    ``cache_dir``: the coding cache to use (render passes its own, so the kernel finds the work done).
    """
    try:
        load_inputs(data_dir, problems)
    except InputError as e:  # a YAML syntax error stops that file only
        problems.items += e.problems
    load_events(data_dir, problems)
    if problems.errors and all(p.what == NO_ARTICLES for p in problems.errors):  # a blank study: fine so far
        for p in problems.errors:
            p.level, p.what = "note", "no articles yet (a blank study)"
            p.fix = "bring them in with `framing import EXPORT` or `framing add ARTICLE`"
        return
    if problems.errors:
        return
    analysis = analyse(data_dir, cache_dir=cache_dir)
    check_story(data_dir, analysis.codebook.labels(), problems)
    overbroad_patterns(analysis, problems)
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


def overbroad_patterns(analysis: Analysis, problems: Problems) -> None:
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