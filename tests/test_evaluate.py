import math

import numpy as np
import pytest

from analysis.results.evaluate import alpha_nominal, prf


def test_prf_hand_computed():
    p, r, f = prf(tp=3, fp=1, fn=2)
    assert p == pytest.approx(0.75) and r == pytest.approx(0.6) and f == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_prf_empty_cases_are_nan_not_perfect():
    p, r, f = prf(0, 0, 0)
    assert math.isnan(p) and math.isnan(r) and math.isnan(f)
    assert prf(0, 2, 0)[2] == 0.0


def test_alpha_two_coders_hand_computed():
    # 10 units, the coders disagree on 2. Coincidences: o00=12, o11=4, o01=o10=2; n0=14, n1=6, n=20.
    # alpha = 1 - (n-1) * (o01+o10) / (n0*n1 + n1*n0) = 1 - 19*4/168
    a = [0, 0, 0, 0, 0, 0, 1, 1, 0, 1]
    b = [0, 0, 0, 0, 0, 0, 1, 1, 1, 0]
    assert alpha_nominal(a, b) == pytest.approx(1 - 19 * 4 / (2 * 14 * 6))


def test_alpha_krippendorff_published_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example: alpha = 0.743
    import krippendorff
    nan = np.nan
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
            [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    assert krippendorff.alpha(reliability_data=data, level_of_measurement="nominal") == pytest.approx(0.743, abs=1e-3)


def test_alpha_without_variation_is_undefined():
    assert math.isnan(alpha_nominal([False] * 5, [False] * 5))


def test_seed_evaluation_runs_and_lists_disagreements(seed):
    from analysis.results.evaluate import GOLD, POOLED, evaluate
    gold = seed.corpus.data_dir / GOLD
    if not gold.exists():
        pytest.skip("no gold file")
    ev = evaluate(seed, gold)
    assert ev.coded_sentences == len(seed.segments)
    pooled = ev.sentence.set_index("frame").loc[POOLED]
    assert pooled.tp + pooled.fn > 0
    n_errors = int(pooled.fp + pooled.fn)
    assert (ev.disagreements.kind.isin(["false positive", "false negative"])).sum() == n_errors
