import math

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
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", example A (binary data, two observers,
    # no missing data): alpha = 0.095.  By hand: 4 of 10 units disagree, so o01 = o10 = 4, n0 = 14, n1 = 6,
    # n = 20, and alpha = 1 - (n-1) * o01 / (n0 * n1) = 1 - 19 * 4 / 84.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert alpha_nominal(a, b) == pytest.approx(0.095, abs=1e-3)
    assert alpha_nominal(a, b) == pytest.approx(1 - 19 * 4 / 84)
    # the coders' labels are names, not numbers: the same data as frame / no frame
    assert alpha_nominal(["yes" if x else "no" for x in a], ["yes" if x else "no" for x in b]) == pytest.approx(1 - 19 * 4 / 84)


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
