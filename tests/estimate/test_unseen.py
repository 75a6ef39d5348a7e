"""Unseen-item estimators (Chao2, iChao2, jackknife, ICE) against closed forms and known truth.

Reference figures are computed here by hand from the published formulas (Chao 1987; Chiu et
al. 2014; Burnham & Overton 1978; Lee & Chao 1994 in SpadeR's form) on the two classic
incidence datasets in shared/data/mse, independently of the package's complex-step delta
method, so a wrong derivative or a wrong branch shows up as a mismatch.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uncounted.errors import EstimationError
from uncounted.estimate.incidence import IncidenceFrequencies
from uncounted.estimate.unseen import (
    ICE,
    UNSEEN_ESTIMATORS,
    Chao2,
    IChao2,
    Jackknife1,
    Jackknife2,
    sample_coverage,
)
from uncounted.estimate.warnings import FewRecapturesWarning

MSE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mse"
needs_data = pytest.mark.skipif(not MSE.is_dir(), reason=f"shared MSE data not found at {MSE}")
Z95 = NormalDist().inv_cdf(0.975)

# cbird (Royle 2006 via Rcapture): T = 11 visits, Q = {1: 6, 2: 4, 3: 5, 4: 2, 6: 2}.
CBIRD = IncidenceFrequencies(11, {1: 6, 2: 4, 3: 5, 4: 2, 6: 2})
# Relative tolerance for figures computed two ways in floating point (closed form here,
# complex-step gradient in the package): both are exact up to rounding.
EXACT = 1e-9


def _lognormal(s_obs: float, f0: float, var: float) -> tuple[float, float]:
    c = math.exp(Z95 * math.sqrt(math.log(1 + var / f0**2)))
    return s_obs + f0 / c, s_obs + f0 * c


def _chao2_closed_form(
    T: int, s_obs: int, q1: int, q2: int
) -> tuple[float, float]:  # Chao (1987) eq. for incidence
    a = (T - 1) / T
    r = q1 / q2
    f0 = a * q1**2 / (2 * q2)
    var = q2 * (a / 2 * r**2 + a**2 * r**3 + a**2 / 4 * r**4)
    return s_obs + f0, var


@needs_data
def test_data_files_read_as_expected() -> None:
    cbird = IncidenceFrequencies.from_csv(MSE / "cbird_freq.csv", 11)
    assert cbird == CBIRD
    bbs = IncidenceFrequencies.from_csv(MSE / "BBS2001_freq.csv", 50)
    # datasets.json: n_observed 71 for BBS2001, 19 for cbird.
    assert (bbs.n_observed, bbs.q(1), bbs.q(2), bbs.q(3), bbs.q(4)) == (71, 15, 7, 5, 2)
    assert bbs.total_incidences == 591


@pytest.mark.parametrize(
    ("T", "s_obs", "q1", "q2", "counts"),
    [
        (11, 19, 6, 4, {1: 6, 2: 4, 3: 5, 4: 2, 6: 2}),  # cbird
        (50, 71, 15, 7, None),  # BBS2001, read from the file
    ],
)
def test_chao2_matches_chao_1987_closed_form(
    T: int, s_obs: int, q1: int, q2: int, counts: dict[int, int] | None
) -> None:
    if counts is None:
        if not MSE.is_dir():
            pytest.skip(f"shared MSE data not found at {MSE}")
        data = IncidenceFrequencies.from_csv(MSE / "BBS2001_freq.csv", T)
    else:
        data = IncidenceFrequencies(T, counts)
    est = Chao2().fit(data).estimate_
    point, var = _chao2_closed_form(T, s_obs, q1, q2)
    assert est.point == pytest.approx(point, rel=EXACT)
    assert est.diagnostics["stderr"] == pytest.approx(math.sqrt(var), rel=EXACT)
    lower, upper = _lognormal(s_obs, point - s_obs, var)
    assert est.lower == pytest.approx(lower, rel=EXACT)
    assert est.upper == pytest.approx(upper, rel=EXACT)
    assert est.diagnostics["form"] == "classic"


def test_chao2_reference_numbers_cbird_and_bbs() -> None:
    # Hand arithmetic: cbird 19 + (10/11) * 36 / 8 = 23.0909...; BBS2001 71 + (49/50) * 225/14
    # = 86.75 exactly.
    assert Chao2().fit(CBIRD).estimate_.point == pytest.approx(19 + 10 / 11 * 36 / 8, rel=EXACT)
    bbs = IncidenceFrequencies(
        50,
        {1: 15, 2: 7, 3: 5, 4: 2, 5: 5, 6: 6, 7: 3, 8: 2, 9: 1, 10: 2, 11: 4, 12: 4, 14: 1}
        | {16: 2, 17: 3, 18: 1, 19: 1, 20: 1, 21: 1, 25: 1, 26: 1, 28: 1, 30: 1, 36: 1},
    )
    assert bbs.n_observed == 71
    assert Chao2().fit(bbs).estimate_.point == pytest.approx(86.75, rel=EXACT)


def test_chao2_bias_corrected_when_no_doubletons() -> None:
    # Q2 = 0: f0 = ((T-1)/T) Q1 (Q1-1) / 2, variance as in SpadeR (Chao 1987 with Q2 = 0).
    T, q1, s_obs = 8, 5, 9
    data = IncidenceFrequencies(T, {1: 5, 3: 2, 5: 2})
    with pytest.warns(FewRecapturesWarning, match="Q2 = 0"):
        est = Chao2().fit(data).estimate_
    a = (T - 1) / T
    f0 = a * q1 * (q1 - 1) / 2
    s = s_obs + f0
    var = a * q1 * (q1 - 1) / 2 + a**2 * q1 * (2 * q1 - 1) ** 2 / 4 - a**2 * q1**4 / 4 / s
    assert est.point == pytest.approx(s, rel=EXACT)
    assert est.diagnostics["stderr"] == pytest.approx(math.sqrt(var), rel=EXACT)
    assert est.diagnostics["form"] == "bias-corrected"
    assert est.warnings and "Q2 = 0" in est.warnings[0]


def test_chao2_bias_corrected_option_uses_q2_plus_one() -> None:
    est = Chao2(bias_corrected=True).fit(CBIRD).estimate_
    assert est.point == pytest.approx(19 + 10 / 11 * 6 * 5 / (2 * 5), rel=EXACT)
    assert est.settings["bias_corrected"] is True


def test_ichao2_matches_chiu_2014() -> None:
    # cbird: (T-3)/(4T) * Q3/Q4 * max(Q1 - (T-3)/(2(T-1)) Q2 Q3 / Q4, 0)
    #      = (8/44) * (5/2) * (6 - (8/20) * 4 * 5 / 2) = (8/44) * 2.5 * 2 = 0.90909...
    est = IChao2().fit(CBIRD).estimate_
    assert est.point == pytest.approx(19 + 10 / 11 * 4.5 + 8 / 44 * 2.5 * 2, rel=EXACT)
    assert est.point == pytest.approx(24.0, rel=EXACT)
    assert est.diagnostics["correction_applied"] is True


def test_ichao2_without_quadrupletons_uses_one_and_falls_back_to_chao2() -> None:
    # Q4 = 0 -> Q4 replaced by 1 (SpadeR). Here Q1 - (T-3)/(2(T-1)) Q2 Q3 < 0: no correction.
    data = IncidenceFrequencies(10, {1: 2, 2: 3, 3: 4, 7: 5})
    est = IChao2().fit(data).estimate_
    chao2 = Chao2().fit(data).estimate_
    assert est.point == pytest.approx(chao2.point, rel=EXACT)
    assert est.diagnostics["stderr"] == pytest.approx(chao2.diagnostics["stderr"], rel=EXACT)
    assert est.diagnostics["correction_applied"] is False
    bigger = IncidenceFrequencies(10, {1: 9, 2: 3, 3: 4, 7: 5})
    expected = Chao2().fit(bigger).estimate_.point + 7 / 40 * 4 * (9 - 7 / 18 * 3 * 4)
    assert IChao2().fit(bigger).estimate_.point == pytest.approx(expected, rel=EXACT)


@pytest.mark.parametrize("data", [CBIRD, IncidenceFrequencies(6, {1: 12, 2: 5, 3: 1, 6: 4})])
def test_jackknife_variances_are_burnham_overton(data: IncidenceFrequencies) -> None:
    T, q1, q2, s_obs = data.T, data.q(1), data.q(2), data.n_observed
    a1 = {1: 1 + (T - 1) / T}
    s1 = s_obs + (T - 1) / T * q1
    a2 = {1: 1 + (2 * T - 3) / T, 2: 1 - (T - 2) ** 2 / (T * (T - 1))}
    s2 = s_obs + (2 * T - 3) / T * q1 - (T - 2) ** 2 / (T * (T - 1)) * q2
    for estimator, a, s in ((Jackknife1(), a1, s1), (Jackknife2(), a2, s2)):
        est = estimator.fit(data).estimate_
        # Burnham & Overton (1978): var = sum_k a_k^2 Q_k - S_J.
        var = sum(a.get(k, 1.0) ** 2 * qk for k, qk in data.counts.items()) - s
        assert est.point == pytest.approx(s, rel=EXACT)
        assert est.diagnostics["stderr"] == pytest.approx(math.sqrt(var), rel=EXACT)


def _ice_by_hand(data: IncidenceFrequencies, kappa: int = 10) -> tuple[float, float, float]:
    """SpadeR's ICE written out directly on a float vector: (S, CV, C_rare)."""

    def total(q: np.ndarray) -> tuple[float, float, float]:
        T = data.T
        k = np.arange(len(q))
        rare = (k >= 1) & (k <= kappa)
        s_rare, n_rare = q[rare].sum(), (k * q)[rare].sum()
        s_freq = q[k > kappa].sum()
        q1, q2 = q[1], q[2]
        c = 1 - q1 / n_rare * ((T - 1) * q1 / ((T - 1) * q1 + 2 * q2))
        g2 = s_rare / c * T / (T - 1) * (k * (k - 1) * q)[rare].sum() / (n_rare * (n_rare - 1)) - 1
        g2 = max(g2, 0.0)
        return s_freq + s_rare / c + q1 / c * g2, math.sqrt(g2), c

    q = data.Q.astype(float)
    s, cv, _ = total(q)
    # Central differences: the step 1e-5 keeps truncation error ~1e-10 relative for these
    # smooth rational functions, far below the 1e-6 tolerance used below.
    grad = np.zeros_like(q)
    for k in np.flatnonzero(q):
        up, down = q.copy(), q.copy()
        up[k] += 1e-5
        down[k] -= 1e-5
        grad[k] = (total(up)[0] - total(down)[0]) / 2e-5
    var = grad**2 @ q - (grad @ q) ** 2 / s
    return s, cv, math.sqrt(var)


def test_ice_matches_lee_chao_in_spader_form() -> None:
    # By hand for cbird (every item is rare): S_rare = 19, N_rare = 49,
    # C = 1 - (6/49) * (60/68), sum k(k-1)Q_k = 122, gamma^2 = 19/C * 11/10 * 122/(49*48) - 1.
    c = 1 - 6 / 49 * 60 / 68
    g2 = 19 / c * 11 / 10 * 122 / (49 * 48) - 1
    est = ICE().fit(CBIRD).estimate_
    assert est.point == pytest.approx(19 / c + 6 / c * g2, rel=EXACT)
    assert est.diagnostics["cv_rare"] == pytest.approx(math.sqrt(g2), rel=EXACT)
    assert est.diagnostics["coverage_rare"] == pytest.approx(c, rel=EXACT)
    _, _, sd = _ice_by_hand(CBIRD)
    assert est.diagnostics["stderr"] == pytest.approx(sd, rel=1e-6)


@needs_data
def test_ice_with_frequent_items_on_bbs2001() -> None:
    bbs = IncidenceFrequencies.from_csv(MSE / "BBS2001_freq.csv", 50)
    est = ICE().fit(bbs).estimate_
    s, cv, sd = _ice_by_hand(bbs)
    assert est.point == pytest.approx(s, rel=EXACT)
    assert est.diagnostics["cv_rare"] == pytest.approx(cv, rel=EXACT)
    assert est.diagnostics["stderr"] == pytest.approx(sd, rel=1e-6)
    # Items reported by more than 10 of the 50 stops are "frequent": 4+4+1+2+3+1*9 = 23.
    assert est.diagnostics["s_frequent"] == 23 and est.diagnostics["s_rare"] == 48


def test_ice_classic_coverage_is_one_minus_q1_over_n_rare() -> None:
    est = ICE(classic_coverage=True).fit(CBIRD).estimate_
    assert est.diagnostics["coverage_rare"] == pytest.approx(1 - 6 / 49, rel=EXACT)


def test_sample_coverage_formula() -> None:
    # Chao et al. (2014): 1 - (Q1/U) (T-1)Q1 / ((T-1)Q1 + 2 Q2) = 1 - (6/49)(60/68).
    assert sample_coverage(CBIRD) == pytest.approx(1 - 6 / 49 * 60 / 68, rel=EXACT)


def test_nothing_unseen_gives_complete_sample_interval() -> None:
    data = IncidenceFrequencies(5, {2: 3, 3: 4, 5: 2})  # no singletons: f0 = 0
    for name, cls in UNSEEN_ESTIMATORS.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            est = cls().fit(data).estimate_
        assert est.lower == data.n_observed == est.point
        assert est.upper > est.point
        # Jackknife2 is S_obs - Q2 (T-2)^2 / (T(T-1)) < S_obs here: clamped, and said so.
        assert bool(caught) == (name == "jackknife2")
    # Chao's complete-sample upper limit: (S_obs + z sd) / (1 - P), P = sum Q_k e^-k / S_obs.
    k = np.array([2, 3, 5])
    q = np.array([3, 4, 2])
    var = q @ (np.exp(-k) - np.exp(-2 * k)) - (k * np.exp(-k) @ q) ** 2 / 5
    p = q @ np.exp(-k) / 9
    upper = (9 + Z95 * math.sqrt(var)) / (1 - p)
    assert Chao2().fit(data).estimate_.upper == pytest.approx(upper, rel=EXACT)


def test_too_few_units_is_an_estimation_error() -> None:
    with pytest.raises(EstimationError, match="at least 2 sampling units"):
        Chao2().fit(IncidenceFrequencies(1, {1: 4}))
    with pytest.raises(EstimationError, match="at least 4 sampling units"):
        IChao2().fit(IncidenceFrequencies(3, {1: 4, 2: 1}))


def test_no_overlap_at_all_warns() -> None:
    with pytest.warns(FewRecapturesWarning, match="no item was reported by more than one"):
        est = Chao2().fit(IncidenceFrequencies(20, {1: 7})).estimate_
    assert est.point > 7 and est.warnings


def test_summary_and_to_dict() -> None:
    fitted = Chao2(level=0.9).fit(CBIRD)
    frame = fitted.summary()
    assert list(frame.columns) == [
        "method",
        "n_observed",
        "estimate",
        "f0",
        "stderr",
        "lower 90%",
        "upper 90%",
        "warnings",
    ]
    d = fitted.estimate_.to_dict()
    assert d["method"] == "chao2" and d["level"] == 0.9 and d["settings"]["level"] == 0.9
    with pytest.raises(EstimationError, match="not fitted"):
        Chao2().summary()


def test_plot_returns_axes() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    ax = Chao2().fit(CBIRD).plot()
    assert ax.get_xlabel().startswith("k")


frequencies = st.dictionaries(
    st.integers(min_value=1, max_value=12), st.integers(min_value=0, max_value=40), min_size=1
).filter(lambda d: sum(d.values()) > 0)


@settings(max_examples=150, deadline=None)
@given(counts=frequencies, extra_units=st.integers(min_value=0, max_value=10))
def test_invariants_on_any_frequencies(counts: dict[int, int], extra_units: int) -> None:
    data = IncidenceFrequencies(12 + extra_units, counts)
    for cls in UNSEEN_ESTIMATORS.values():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FewRecapturesWarning)
            est = cls().fit(data).estimate_
        assert est.point >= data.n_observed - 1e-9
        assert est.lower >= data.n_observed - 1e-9
        assert est.lower <= est.point + 1e-9 <= est.upper + 2e-9
        assert math.isfinite(est.upper)


@settings(max_examples=60, deadline=None)
@given(counts=frequencies)
def test_an_item_every_unit_reported_adds_exactly_one(counts: dict[int, int]) -> None:
    # Items reported by all T units carry no information about the unseen (T >= 13 > 10, so
    # they are "frequent" for ICE too).
    T = 13
    data = IncidenceFrequencies(T, counts)
    more = IncidenceFrequencies(T, {**counts, T: counts.get(T, 0) + 1})
    for cls in UNSEEN_ESTIMATORS.values():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FewRecapturesWarning)
            a, b = cls().fit(data).estimate_.point, cls().fit(more).estimate_.point
        assert b - a == pytest.approx(1.0, rel=1e-9)


def _coverage_and_mean(
    sampler: str, reps: int, seed: int, S: int = 200, T: int = 30
) -> dict[str, tuple[float, float]]:
    rng = np.random.default_rng(seed)
    hits = dict.fromkeys(UNSEEN_ESTIMATORS, 0)
    sums = dict.fromkeys(UNSEEN_ESTIMATORS, 0.0)
    for _ in range(reps):
        p = np.full(S, 0.05) if sampler == "equal" else rng.beta(0.5, 8.0, S)
        data = IncidenceFrequencies.from_incidences(T, rng.binomial(T, p))
        for name, cls in UNSEEN_ESTIMATORS.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FewRecapturesWarning)
                est = cls().fit(data).estimate_
            hits[name] += est.lower <= S <= est.upper
            sums[name] += est.point
    return {m: (hits[m] / reps, sums[m] / reps) for m in UNSEEN_ESTIMATORS}


def test_simulated_world_equal_detection_chao2_is_nearly_unbiased_and_covers() -> None:
    # 200 events, 30 interviewees each reporting any event with probability 0.05.
    # 300 worlds: the Monte Carlo SE of a 95 % coverage is 1.3 points, so 0.90 is 4 SE below
    # nominal; the mean's Monte Carlo SE is about 0.8 % of the truth, so 3 % is ~4 SE.
    result = _coverage_and_mean("equal", reps=300, seed=1)
    coverage, mean = result["chao2"]
    assert coverage >= 0.90
    assert mean == pytest.approx(200, rel=0.03)


def test_simulated_world_heterogeneous_detection_chao2_is_a_lower_bound() -> None:
    # Detection probabilities Beta(0.5, 8): many events nearly unreportable. Chao2 is a lower
    # bound (Chao 1987) and iChao2 corrects part of the gap (Chiu et al. 2014); interval
    # coverage is poor here for every estimator and is reported, not asserted.
    result = _coverage_and_mean("beta", reps=200, seed=2)
    assert result["chao2"][1] < 200
    assert result["chao2"][1] < result["ichao2"][1] < 200
