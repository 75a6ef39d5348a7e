"""A fast slice of the validity study (benchmarks/estimator_study.py): estimators against
populations of known size, with the same seeds as the full study.

Coverage bands are one-sided binomial bounds. With a true coverage of 95 %, the chance of
fewer than 25 of 30 intervals covering is 0.33 % and of fewer than 7 of 10 is 0.10 %
(scipy.stats.binom.cdf(24, 30, 0.95), binom.cdf(6, 10, 0.95)); the draws are seeded, so
the outcome is fixed, and these bands say how surprising a failure would be if the method
were right. A band the other way checks that the dependence scenario does break the
methods that assume independent lists: a method covering 95 % would show 10 or fewer of
30 with probability below 1e-20.
"""

from __future__ import annotations

import statistics
import warnings
from collections.abc import Callable

import pytest

from uncounted.estimate import DGA, CaptureHistories, Chao2, IncidenceFrequencies, LogLinear
from uncounted.estimate.result import Estimate
from uncounted.simulate.populations import SCENARIOS, draw_population


def _seed(scenario: str, r: int) -> int:
    # Same scheme as benchmarks/estimator_study.py's seed_of.
    return 100_000 * (list(SCENARIOS).index(scenario) + 1) + r


def _study(
    scenario: str, replicates: int, fit: Callable[[CaptureHistories], Estimate]
) -> tuple[int, float]:
    """Number of intervals covering N, and the median relative error of the points."""
    covered = 0
    errors = []
    for r in range(replicates):
        pop = draw_population(scenario, _seed(scenario, r))
        with warnings.catch_warnings():
            # Sparse-overlap and similar caveats are part of the study, not failures here.
            warnings.simplefilter("ignore")
            est = fit(CaptureHistories.from_frame(pop.histories))
        covered += est.lower <= pop.true_n <= est.upper
        errors.append((est.point - pop.true_n) / pop.true_n)
    return covered, statistics.median(errors)


def _loglinear(h: CaptureHistories) -> Estimate:
    return LogLinear(criterion="stepwise").fit(h).estimate_


def _chao2(h: CaptureHistories) -> Estimate:
    return Chao2().fit(IncidenceFrequencies.from_histories(h)).estimate_


def test_loglinear_covers_independent_lists() -> None:
    covered, median_error = _study("independent", 30, _loglinear)
    assert covered >= 25, f"{covered}/30 profile intervals covered N"
    # One estimate has a standard error of about 2.3 % of N here (interval width 9 % of N);
    # the median of 30 then has a standard error near 0.5 %: 2 % is four of them.
    assert abs(median_error) < 0.02


def test_chao2_covers_independent_lists() -> None:
    covered, median_error = _study("independent", 30, _chao2)
    assert covered >= 25, f"{covered}/30 Chao2 intervals covered N"
    # Chao2 is nearly unbiased when items are alike; its standard error is about 3 % of N,
    # so the median of 30 is within 0.6 % of its mean, and 3 % allows its small-sample bias.
    assert abs(median_error) < 0.03


@pytest.mark.slow
def test_dga_covers_independent_lists() -> None:
    covered, median_error = _study("independent", 10, lambda h: DGA().fit(h).estimate_)
    assert covered >= 7, f"{covered}/10 DGA intervals covered N"
    # Median of 10 draws, each with a standard error near 2.5 % of N: about 1 %, and 3 %
    # is three of them.
    assert abs(median_error) < 0.03


def test_dependent_lists_break_the_independence_estimators() -> None:
    # Positive dependence (A-B, C-D) hides the same individuals from both lists of a pair,
    # so Chao2 (which treats lists as independent samples) must fall short and miss N,
    # while the stepwise log-linear model, which can add those interactions, must not.
    chao_covered, chao_error = _study("dependence", 30, _chao2)
    assert chao_covered <= 10
    assert chao_error < -0.05
    ll_covered, ll_error = _study("dependence", 30, _loglinear)
    assert ll_covered >= 25, f"{ll_covered}/30 stepwise intervals covered N"
    assert abs(ll_error) < 0.03
