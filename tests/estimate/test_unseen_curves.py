"""Rarefaction/extrapolation by size and coverage, and the population bootstrap."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from uncounted.estimate.incidence import IncidenceFrequencies
from uncounted.estimate.unseen import Chao2, sample_coverage
from uncounted.estimate.unseen_bootstrap import (
    bootstrap_estimates,
    bootstrap_population,
    bootstrap_samples,
    chao2_unseen,
)
from uncounted.estimate.unseen_curves import (
    RarefactionExtrapolation,
    coverage_at_size,
    richness_at_coverage,
    richness_at_size,
    size_at_coverage,
)

CBIRD = IncidenceFrequencies(11, {1: 6, 2: 4, 3: 5, 4: 2, 6: 2})
EXACT = 1e-9

# A small incidence matrix: items x units. Interpolation must equal the average, over every
# subset of t units, of the number of items those units reported.
MATRIX = np.array(
    [
        [1, 0, 0, 0, 0, 0],
        [0, 1, 0, 0, 0, 0],
        [1, 1, 0, 0, 0, 0],
        [0, 0, 1, 1, 1, 0],
        [1, 1, 1, 1, 1, 1],
        [0, 0, 0, 0, 1, 1],
        [0, 0, 0, 0, 0, 1],
    ]
)


def _from_matrix(m: np.ndarray) -> IncidenceFrequencies:
    return IncidenceFrequencies.from_incidences(m.shape[1], m.sum(axis=1))


def test_interpolation_is_the_average_over_all_subsets() -> None:
    data = _from_matrix(MATRIX)
    T = MATRIX.shape[1]
    for t in range(0, T + 1):
        subsets = list(itertools.combinations(range(T), t))
        brute = np.mean([int((MATRIX[:, list(s)].sum(axis=1) > 0).sum()) for s in subsets])
        assert richness_at_size(data, [t])[0] == pytest.approx(brute, rel=EXACT, abs=EXACT)


def test_interpolated_coverage_matches_its_definition() -> None:
    # Coverage of t units: 1 - sum_i (y_i / U) C(T - y_i, t) / C(T - 1, t) (Chao et al. 2014),
    # written here with math.comb.
    data = _from_matrix(MATRIX)
    y = MATRIX.sum(axis=1)
    T, U = MATRIX.shape[1], y.sum()
    for t in range(1, T):
        expected = 1 - sum(yi / U * math.comb(T - yi, t) / math.comb(T - 1, t) for yi in y)
        assert coverage_at_size(data, [t])[0] == pytest.approx(expected, rel=EXACT)


def test_reference_points_and_limits() -> None:
    T, s_obs, u = CBIRD.T, CBIRD.n_observed, CBIRD.total_incidences
    assert richness_at_size(CBIRD, [0, 1, T]).tolist() == pytest.approx([0, u / T, s_obs])
    assert coverage_at_size(CBIRD, [T])[0] == pytest.approx(sample_coverage(CBIRD), rel=EXACT)
    # Far extrapolation tends to the Chao2 asymptote; coverage tends to 1.
    far = richness_at_size(CBIRD, [1e6])[0]
    assert far == pytest.approx(Chao2().fit(CBIRD).estimate_.point, rel=EXACT)
    assert coverage_at_size(CBIRD, [1e6])[0] == pytest.approx(1.0)
    # One unit beyond T: S_obs + f0 * Q1 / (T f0 + Q1).
    f0 = chao2_unseen(CBIRD)
    step = richness_at_size(CBIRD, [T + 1])[0]
    assert step == pytest.approx(s_obs + f0 * 6 / (T * f0 + 6), rel=EXACT)


def test_curves_increase() -> None:
    t = np.arange(0, 23, dtype=float)
    assert np.all(np.diff(richness_at_size(CBIRD, t)) > 0)
    assert np.all(np.diff(coverage_at_size(CBIRD, t)) > 0)


def test_interpolation_needs_whole_sizes() -> None:
    with pytest.raises(ValueError, match="whole numbers"):
        richness_at_size(CBIRD, [2.5])
    assert np.isfinite(richness_at_size(CBIRD, [12.5])[0])


def test_size_at_coverage_inverts_coverage() -> None:
    reference = sample_coverage(CBIRD)
    for target in (0.93, 0.95, 0.99):
        t = size_at_coverage(CBIRD, [target])[0]
        assert t > CBIRD.T
        assert coverage_at_size(CBIRD, [t])[0] == pytest.approx(target, rel=EXACT)
    below = size_at_coverage(CBIRD, [0.7])[0]
    grid = coverage_at_size(CBIRD, np.arange(0, CBIRD.T + 1, dtype=float))
    assert below == float(np.argmin(np.abs(grid - 0.7)))
    assert size_at_coverage(CBIRD, [reference])[0] == CBIRD.T
    assert math.isnan(size_at_coverage(CBIRD, [1.0])[0])
    assert richness_at_coverage(CBIRD, [reference])[0] == pytest.approx(CBIRD.n_observed)


def test_bootstrap_population_follows_chao_2014() -> None:
    p = bootstrap_population(CBIRD)
    f0 = chao2_unseen(CBIRD)
    assert len(p) == CBIRD.n_observed + math.ceil(f0)
    # The unseen items share Q1/T * T f0 / (T f0 + Q1) of detection probability.
    T = CBIRD.T
    unseen = p[CBIRD.n_observed :]
    assert unseen.sum() == pytest.approx(6 / T * T * f0 / (T * f0 + 6), rel=EXACT)
    assert np.all((p > 0) & (p < 1))
    # Observed items are shrunk below y / T, most for the rarest.
    share = CBIRD.incidences() / T
    assert np.all(p[: CBIRD.n_observed] < share)


def test_bootstrap_is_seeded() -> None:
    def stat(d: IncidenceFrequencies) -> float:
        return Chao2().point(d)

    a = bootstrap_estimates(CBIRD, stat, 30, np.random.default_rng(5))
    b = bootstrap_estimates(CBIRD, stat, 30, np.random.default_rng(5))
    c = bootstrap_estimates(CBIRD, stat, 30, np.random.default_rng(6))
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    samples = list(bootstrap_samples(CBIRD, 10, np.random.default_rng(1)))
    assert len(samples) == 10 and all(s.T == CBIRD.T for s in samples)


def test_rarefaction_extrapolation_fit() -> None:
    fitted = RarefactionExtrapolation(n_boot=40, seed=3).fit(CBIRD)
    curve = fitted.size_curve_
    assert curve["t"].iloc[0] == 1 and curve["t"].iloc[-1] == 2 * CBIRD.T
    observed = curve[curve["method"] == "observed"]
    assert len(observed) == 1 and observed["richness"].iloc[0] == pytest.approx(19)
    assert set(curve["method"]) == {"interpolated", "observed", "extrapolated"}
    assert np.all(curve["richness_lower"] <= curve["richness"])
    assert np.all(curve["richness"] <= curve["richness_upper"])
    assert np.all((curve["coverage_lower"] >= 0) & (curve["coverage_upper"] <= 1))
    assert np.all(curve["richness_upper"] > curve["richness_lower"])
    by_cov = fitted.coverage_curve_
    assert np.all(np.diff(by_cov["richness"].to_numpy()) >= 0)
    assert fitted.estimate_.method == "chao2" and fitted.estimate_.seed == 3
    again = RarefactionExtrapolation(n_boot=40, seed=3).fit(CBIRD).size_curve_
    assert again.equals(curve)


def test_rarefaction_without_bootstrap_and_explicit_sizes() -> None:
    fitted = RarefactionExtrapolation(sizes=[2, 5, 30], coverages=[0.9, 0.97], n_boot=0).fit(CBIRD)
    assert fitted.size_curve_["t"].tolist() == [2, 5, 11, 30]
    assert fitted.size_curve_["richness_upper"].isna().all()
    assert fitted.coverage_curve_["coverage"].tolist() == [0.9, 0.97]


def test_rarefaction_plot() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    fitted = RarefactionExtrapolation(n_boot=5, seed=1).fit(CBIRD)
    for kind in ("size", "coverage", "completeness"):
        ax = fitted.plot(kind=kind)
        assert ax.get_ylabel()
