"""Effective sample size and R-hat against cases with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from uncounted.estimate.diagnostics import (
    _average_ranks,
    autocorrelation,
    effective_sample_size,
    rhat,
)


def _ar1(phi: float, chains: int, n: int, seed: int) -> np.ndarray:
    """Stationary AR(1) chains with unit innovation variance."""
    rng = np.random.default_rng(seed)
    x = np.empty((chains, n))
    x[:, 0] = rng.normal(size=chains) / math.sqrt(1 - phi**2)
    noise = rng.normal(size=(chains, n))
    for t in range(1, n):
        x[:, t] = phi * x[:, t - 1] + noise[:, t]
    return x


def test_autocorrelation_of_known_sequences() -> None:
    alternating = np.tile([1.0, -1.0], 50)
    rho = autocorrelation(alternating)
    assert rho[0] == pytest.approx(1.0)
    # Biased estimator: lag-t autocorrelation of a +-1 alternation is (-1)^t (n - t) / n.
    assert rho[1] == pytest.approx(-99 / 100)
    assert rho[2] == pytest.approx(98 / 100)
    constant = np.full(10, 3.0)
    np.testing.assert_array_equal(autocorrelation(constant), np.eye(1, 10)[0])


def test_ess_of_independent_draws_is_the_number_of_draws() -> None:
    x = np.random.default_rng(0).normal(size=(4, 2500))
    # The ESS estimate of iid draws has a relative sd of a few percent at n = 10,000.
    for method in ("bulk", "plain", "tail"):
        assert effective_sample_size(x, method=method) == pytest.approx(10_000, rel=0.1)


@pytest.mark.parametrize("phi", [0.5, 0.9])
def test_ess_of_ar1_chains_matches_theory(phi: float) -> None:
    # ESS of an AR(1) mean is n (1 - phi) / (1 + phi). With 4 x 20,000 draws the estimate's
    # relative sd is ~4 % at phi = 0.9 (Geyer's truncation), so 15 % is > 3 sd.
    chains, n = 4, 20_000
    x = _ar1(phi, chains, n, seed=1)
    expected = chains * n * (1 - phi) / (1 + phi)
    assert effective_sample_size(x, method="plain") == pytest.approx(expected, rel=0.15)
    assert effective_sample_size(x) == pytest.approx(expected, rel=0.15)


def test_ess_of_a_constant_chain_is_its_length() -> None:
    assert effective_sample_size(np.full((2, 50), 7.0), method="plain") == 100


def test_rhat_is_one_for_agreeing_chains_and_large_for_shifted_ones() -> None:
    rng = np.random.default_rng(2)
    agree = rng.normal(size=(4, 1000))
    assert rhat(agree) < 1.01
    shifted = agree.copy()
    shifted[0] += 1.0
    assert rhat(shifted) > 1.05
    # A single chain that drifts is caught by splitting it in halves.
    drifting = np.concatenate([rng.normal(size=500), rng.normal(2.0, 1.0, size=500)])
    assert rhat(drifting) > 1.05


def test_rhat_catches_chains_that_differ_only_in_spread() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 1000))
    x[0] *= 3.0
    # Same means, different scales: only the folded (tail) R-hat sees it.
    assert rhat(x) > 1.05


@pytest.mark.parametrize(
    "bad",
    [np.zeros((2, 3)), np.zeros((2, 2, 5)), np.array([1.0, np.nan, 2.0, 3.0, 4.0])],
)
def test_bad_input_is_rejected(bad: np.ndarray) -> None:
    with pytest.raises(ValueError):
        effective_sample_size(bad)
    with pytest.raises(ValueError):
        rhat(bad)


def test_unknown_ess_method_is_rejected() -> None:
    with pytest.raises(ValueError, match="method"):
        effective_sample_size(np.zeros(10), method="fast")


@settings(max_examples=40, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(4, 60)),
        elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    )
)
def test_ess_is_positive_and_bounded(x: np.ndarray) -> None:
    m, n = x.shape
    ess = effective_sample_size(x, method="plain")
    assert 0 < ess <= m * n * max(math.log10(m * n), 1.0) + 1e-9
    r = rhat(x)
    assert r >= 0.0


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 40), elements=st.sampled_from([0.0, 1.5, 2.0, -3.0])))
def test_average_ranks_match_scipy_with_ties(x: np.ndarray) -> None:
    np.testing.assert_array_equal(_average_ranks(x), stats.rankdata(x, method="average"))
