"""An English wire story (a hand-made fixture in AP style) through the whole pipeline."""
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main

STORY = Path(__file__).parent / "fixtures" / "english" / "ap_kadhimi_interview.txt"


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("english")
    assert main(["add", str(STORY), "--data", str(tmp / "corpus"), "--outlet", "ap", "--outlet-en", "Associated Press",
                 "--outlet-ar", "أسوشيتد برس", "--country", "United States", "--date", "2020-08-19",
                 "--language", "en", "--quiet"]) == 0
    assert main(["code", "--data", str(tmp / "corpus"), "--out", str(tmp / "out"), "--quiet"]) == 0
    tables = tmp / "out" / "tables"
    return {name: pd.read_csv(tables / f"{name}.csv", keep_default_na=False)
            for name in ("frame_sentences", "claims", "details", "segments")}


def row(coded, fragment, frame):
    st = coded["frame_sentences"]
    seg = coded["segments"][coded["segments"].sentence.str.contains(fragment, regex=False)].iloc[0]
    hit = st[(st.sentence_id == seg.sentence_id) & (st.frame == frame)]
    assert len(hit) == 1, (fragment, frame)
    return hit.iloc[0]


def test_us_abbreviation_does_not_split_sentences(coded):
    assert coded["segments"].sentence.str.contains("the U.S. troop withdrawal from Iraq", regex=False).any()


def test_the_ap_quote_is_kadhimis_denial(coded):
    r = row(coded, "We do not play the role of postman", "postman")
    assert r.stance == "denied" and r.speaker == "kadhimi"  # "Kadhimi told The AP": the AP is not the speaker


def test_headline_paraphrase_is_a_denial_too(coded):
    r = row(coded, "will not be a messenger", "postman")
    assert r.stance == "denied" and r.speaker == "kadhimi"


def test_timeline_in_words_is_voiced_by_kadhimi(coded):
    tl = coded["claims"]
    assert "within 3 years" in set(tl.content)
    assert set(tl[tl.content == "within 3 years"].speaker) == {"kadhimi"}


def test_rocket_attack_target_frequency_and_perpetrator(coded):
    a = coded["details"][coded["details"].frame == "rocket_attacks"].iloc[0]
    assert "Green Zone" in a.targets and "Diplomatic missions" in a.targets
    assert a.frequency == "near-daily" and a.perpetrator == "Iran-backed militias"
