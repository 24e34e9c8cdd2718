"""Near-miss corpus: articles written for testing that share words with the frames
without carrying them (postal news, rockets elsewhere, other withdrawals, other
sanctions, other messages and mediators).  Coded with the shipped codebook, they
must give no frame at all.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import with_shipped_inputs

ROOT = Path(__file__).resolve().parent.parent
NEARMISS = Path(__file__).parent / "fixtures" / "nearmiss"




@pytest.fixture(scope="module")
def nearmiss(tmp_path_factory):
    from analysis.pipeline import analyse
    return analyse(with_shipped_inputs(NEARMISS, tmp_path_factory.mktemp("nearmiss") / "data"))


def test_the_corpus_has_ten_articles_per_language_all_labelled(nearmiss):
    langs = [a.language for a in nearmiss.corpus.articles]
    assert langs.count("ar") >= 10 and langs.count("en") >= 10
    assert all(a.text.startswith("Written for testing") for a in nearmiss.corpus.articles)


def test_no_frame_fires_on_a_near_miss(nearmiss):
    fired = [f"{m.file} {m.sentence_id} {m.frame} [{m.indicator}] {m.match!r} in: {m.sentence}"
             for m in nearmiss.mentions.itertuples()]
    assert not fired, "frames fired on near-miss articles:\n" + "\n".join(fired)
