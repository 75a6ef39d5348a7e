"""The LCMCR sampler's random variates follow their distributions.

Each test draws 200,000 variates from a fixed seed and runs a goodness-of-fit test against
SciPy's distribution; a p-value below 1e-4 fails. With a fixed seed the outcome is
deterministic; the threshold is small so that a correct sampler does not fail by bad luck
across the ~40 cases, while any real defect at this sample size (a wrong constant in a
rejection hat, an off-by-one in an inversion) moves the p-value to ~0.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import pytest
from scipy import special, stats

from uncounted.estimate import lcmcr_random as rnd

SIZE = 200_000
P_MIN = 1e-4


@numba.njit(cache=True)
def _binomials(s, n, p, size):  # type: ignore[no-untyped-def]
    out = np.empty(size, dtype=np.int64)
    for i in range(size):
        out[i] = rnd.binomial(s, n, p)
    return out


@numba.njit(cache=True)
def _poissons(s, lam, size):  # type: ignore[no-untyped-def]
    out = np.empty(size, dtype=np.int64)
    for i in range(size):
        out[i] = rnd.poisson(s, lam)
    return out


@numba.njit(cache=True)
def _negative_binomials(s, size_param, p, size):  # type: ignore[no-untyped-def]
    out = np.empty(size, dtype=np.int64)
    for i in range(size):
        out[i] = rnd.negative_binomial(s, size_param, p)
    return out


@numba.njit(cache=True)
def _gammas(s, shape, size):  # type: ignore[no-untyped-def]
    out = np.empty(size)
    for i in range(size):
        out[i] = rnd.gamma(s, shape)
    return out


@numba.njit(cache=True)
def _log_gammas(s, shape, size):  # type: ignore[no-untyped-def]
    out = np.empty(size)
    for i in range(size):
        out[i] = rnd.log_gamma(s, shape)
    return out


@numba.njit(cache=True)
def _normals(s, size):  # type: ignore[no-untyped-def]
    out = np.empty(size)
    for i in range(size):
        out[i] = rnd.normal(s)
    return out


@numba.njit(cache=True)
def _uniforms(s, size):  # type: ignore[no-untyped-def]
    out = np.empty(size)
    for i in range(size):
        out[i] = rnd.uniform(s)
    return out


def _state(seed: int) -> rnd.State:
    return rnd.new_state(np.random.SeedSequence(seed))


def _chi_square_p(draws: np.ndarray, pmf: np.ndarray) -> float:
    """Chi-square p-value of integer draws against a pmf on 0..len(pmf)-1, pooling cells
    with expected count below 20 into one cell (the rest of the support included)."""
    observed = np.bincount(draws, minlength=len(pmf)).astype(float)
    tail_observed = observed[len(pmf) :].sum()
    observed = observed[: len(pmf)]
    expected = pmf * draws.size
    big = expected >= 20
    obs = np.append(observed[big], observed[~big].sum() + tail_observed)
    exp = np.append(expected[big], draws.size - expected[big].sum())
    if exp[-1] < 1e-9:
        obs, exp = obs[:-1], exp[:-1]
    chi2 = float(((obs - exp) ** 2 / exp).sum())
    return float(stats.chi2.sf(chi2, len(obs) - 1))


def test_uniforms_are_in_the_open_unit_interval_with_the_right_moments() -> None:
    u = _uniforms(_state(1), SIZE)
    assert u.min() > 0.0 and u.max() < 1.0
    # mean 1/2 and variance 1/12, to 5 standard errors
    assert abs(u.mean() - 0.5) < 5 * math.sqrt(1 / 12 / SIZE)
    assert stats.kstest(u, "uniform").pvalue > P_MIN


def test_same_seed_same_stream_and_different_seeds_differ() -> None:
    a = _uniforms(_state(7), 100)
    b = _uniforms(_state(7), 100)
    c = _uniforms(_state(8), 100)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_normals_fit_including_the_ziggurat_tail() -> None:
    x = _normals(_state(2), 4 * SIZE)
    assert stats.kstest(x, "norm").pvalue > P_MIN
    # Beyond the base-layer edge (3.4426) the tail algorithm takes over: its frequency
    # (expected 4 SIZE * 5.76e-4 = 461) must match the normal tail to 5 sd.
    beyond = np.count_nonzero(np.abs(x) > 3.442619855899)
    expected = x.size * 2 * stats.norm.sf(3.442619855899)
    assert abs(beyond - expected) < 5 * math.sqrt(expected)


@pytest.mark.parametrize("shape", [0.05, 0.5, 1.0, 1.5, 7.25, 1000.5])
def test_gamma_variates(shape: float) -> None:
    x = _gammas(_state(3), shape, SIZE)
    assert stats.kstest(x, stats.gamma(shape).cdf).pvalue > P_MIN


@pytest.mark.parametrize("shape", [1e-3, 0.05, 0.7, 4.0])
def test_log_gamma_variates_on_the_log_scale(shape: float) -> None:
    # For tiny shapes the variate itself underflows; its logarithm must still be exact:
    # P(log G <= t) = P(G <= e^t) = regularised lower incomplete gamma(shape, e^t), which
    # for e^t -> 0 is e^(shape t) / Gamma(shape + 1) to relative error e^t.
    def cdf(t: np.ndarray) -> np.ndarray:
        small = np.exp(shape * t - special.gammaln(shape + 1.0))
        large = special.gammainc(shape, np.exp(np.maximum(t, -40.0)))
        return np.asarray(np.where(t < -40.0, small, large))

    x = _log_gammas(_state(4), shape, SIZE)
    assert np.all(np.isfinite(x))
    assert stats.kstest(x, cdf).pvalue > P_MIN


# (n, p) covering inversion (mean < 10), BTRD (mean >= 10), the boundary between them,
# p > 1/2 (flipped), tiny p, and a large n.
BINOMIAL_CASES = [
    (1, 0.3),
    (5, 0.5),
    (20, 0.5),
    (21, 0.48),
    (30, 0.34),
    (60, 0.9),
    (100, 0.099),
    (100, 0.1),
    (200, 0.06),
    (1000, 0.01),
    (1000, 0.5),
    (2700, 0.27),
    (50, 0.97),
    (100_000, 0.3),
    (1_000_000, 1e-5),
    (3, 1e-9),
]


@pytest.mark.parametrize(("n", "p"), BINOMIAL_CASES)
def test_binomial_variates(n: int, p: float) -> None:
    x = _binomials(_state(5), n, p, SIZE)
    assert x.min() >= 0 and x.max() <= n
    upper = min(n, int(n * p + 12 * math.sqrt(n * p * (1 - p)) + 20))
    pmf = stats.binom.pmf(np.arange(upper + 1), n, p)
    assert _chi_square_p(x, pmf) > P_MIN


def test_binomial_edge_parameters() -> None:
    s = _state(6)
    assert rnd.binomial(s, 0, 0.5) == 0
    assert rnd.binomial(s, 10, 0.0) == 0
    assert rnd.binomial(s, 10, 1.0) == 10


@pytest.mark.parametrize("lam", [0.01, 1.0, 9.99, 10.0, 10.5, 30.0, 1000.0, 1e6])
def test_poisson_variates(lam: float) -> None:
    x = _poissons(_state(7), lam, SIZE)
    upper = int(lam + 12 * math.sqrt(lam) + 20)
    pmf = stats.poisson.pmf(np.arange(upper + 1), lam)
    assert _chi_square_p(x, pmf) > P_MIN


@pytest.mark.parametrize(("size", "p"), [(5.0, 0.5), (1896.0, 0.17), (4400.0, 0.42)])
def test_negative_binomial_variates(size: float, p: float) -> None:
    # The LCMCR n0 update: failures before `size` successes, success probability p.
    x = _negative_binomials(_state(8), size, p, SIZE)
    dist = stats.nbinom(size, p)
    upper = int(dist.mean() + 12 * dist.std() + 20)
    assert _chi_square_p(x, dist.pmf(np.arange(upper + 1))) > P_MIN
