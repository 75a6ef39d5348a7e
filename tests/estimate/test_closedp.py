"""Tests of Rcapture's closed-population models (closedp.t and closedp.0)."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.special import gammaln

from uncounted.errors import ConfigurationError
from uncounted.estimate.closedp import ClosedP
from uncounted.estimate.closedp_models import MODELS_0, MODELS_T
from uncounted.estimate.histories import CaptureHistories
from uncounted.estimate.warnings import ModelFitWarning, SparseOverlapWarning

MSE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mse"
needs_data = pytest.mark.skipif(not MSE.is_dir(), reason=f"shared MSE data not found at {MSE}")


def load(name: str) -> CaptureHistories:
    return CaptureHistories.from_csv(MSE / f"{name}.csv")


def rcapture_reference(name: str) -> list[dict[str, Any]]:
    ref = json.loads((MSE / "reference_public.json").read_text())[name]["rcapture_closedp"]
    return list(ref["models"])


@needs_data
@pytest.mark.parametrize("name", ["kosovo", "HIV"])
def test_every_model_matches_rcapture(name: str) -> None:
    reference = rcapture_reference(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Rcapture flags none of these fits (infoFit 0)
        fitted = ClosedP().fit(load(name))
    table = fitted.models_
    assert list(table["model"]) == [row["model"] for row in reference] == list(MODELS_T)
    for row, ref in zip(table.itertuples(), reference, strict=True):
        # Same Poisson models and the same IRLS as R's glm (which stops at a relative
        # deviance change of 1e-8): the figures agree to ~1e-12; 1e-8 is the margin for a
        # different BLAS. The brief's target is 0.1 %.
        assert row.estimate == pytest.approx(ref["abundance"], rel=1e-8), row.model
        assert row.stderr == pytest.approx(ref["stderr"], rel=1e-8), row.model
        assert row.deviance == pytest.approx(ref["deviance"], rel=1e-8), row.model
        assert row.aic == pytest.approx(ref["AIC"], rel=1e-10), row.model
        assert row.bic == pytest.approx(ref["BIC"], rel=1e-10), row.model
        assert row.df == ref["df"], row.model
        assert row.info_fit == ref["infoFit"], row.model


@needs_data
def test_estimates_carry_method_names_and_intervals() -> None:
    fitted = ClosedP(level=0.9).fit(load("HIV"))
    assert [e.method for e in fitted.estimates_] == [f"closedp:{m}" for m in MODELS_T]
    for estimate in fitted.estimates_:
        assert estimate.level == 0.9
        assert estimate.n_observed < estimate.lower < estimate.point < estimate.upper
        assert estimate.diagnostics["info_fit"] == 0
    summary = fitted.summary()
    assert {"lower 90%", "upper 90%", "info_fit", "bic"} <= set(summary.columns)


@needs_data
def test_chao_lower_bound_drops_negative_eta() -> None:
    fitted = ClosedP().fit(load("kosovo"))
    chao = {f.model: f for f in fitted.fits_}
    # On both reference datasets Rcapture's df (12 and 9) show that eta4 was removed.
    assert chao["Mh Chao (LB)"].removed_eta == ["eta4"]
    assert "eta4" not in chao["Mh Chao (LB)"].coef
    assert chao["Mh Chao (LB)"].coef["eta3"] >= 0


def test_chao_with_only_negative_eta_reduces_to_m0() -> None:
    # Three occasions, fewer triple captures than M0 predicts: eta3 < 0 is removed, which
    # leaves M0 itself.
    frame = pd.DataFrame(
        [
            [1, 0, 0, 120],
            [0, 1, 0, 110],
            [0, 0, 1, 100],
            [1, 1, 0, 40],
            [1, 0, 1, 35],
            [0, 1, 1, 30],
            [1, 1, 1, 1],
        ],
        columns=["a", "b", "c", "count"],
    )
    fits = {f.model: f for f in ClosedP().fit(CaptureHistories.from_frame(frame)).fits_}
    assert fits["Mh Chao (LB)"].removed_eta == ["eta3"]
    assert fits["Mh Chao (LB)"].abundance == pytest.approx(fits["M0"].abundance, rel=1e-12)
    assert fits["Mh Chao (LB)"].df == fits["M0"].df


@given(
    st.integers(min_value=1, max_value=3000),
    st.integers(min_value=1, max_value=3000),
    st.integers(min_value=1, max_value=3000),
)
@settings(max_examples=30, deadline=None)
def test_two_occasions_fit_m0_mt_mb_and_mt_is_lincoln_petersen(a: int, b: int, both: int) -> None:
    frame = pd.DataFrame([[1, 0, a], [0, 1, b], [1, 1, both]], columns=["x", "y", "count"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = ClosedP().fit(CaptureHistories.from_frame(frame))
    table = fitted.models_.set_index("model")
    assert list(table.index) == ["M0", "Mt", "Mb"]
    # Mt with two occasions is saturated: N = n1 n2 / m (Lincoln-Petersen), deviance 0.
    assert table.loc["Mt", "estimate"] == pytest.approx((a + both) * (b + both) / both, rel=1e-8)
    assert table.loc["Mt", "deviance"] == pytest.approx(0.0, abs=1e-7)
    assert table.loc["Mt", "df"] == 0


@needs_data
@pytest.mark.parametrize("name", ["kosovo", "HIV", "hare"])
def test_frequencies_give_the_same_m0_and_mh_as_histories(name: str) -> None:
    data = load(name)
    k = data.patterns.sum(axis=1)
    frequencies = {int(j): int(data.counts[k == j].sum()) for j in range(1, data.k + 1)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_history = ClosedP().fit(data).models_.set_index("model")
        by_count = ClosedP().fit_frequencies(frequencies, t=data.k).models_.set_index("model")
    # M0 and Mh depend on a history only through its number of captures k; grouping the
    # histories by k with offset log C(t, k) is the same likelihood up to a constant, so N
    # and its standard error agree (deviance and df do not: the saturated models differ).
    # Like R's glm, the variance is taken at the weights of the last IRLS step, one step
    # before convergence; the two fits take different steps, so standard errors agree only
    # to about the size of that last step (1e-5 here).
    assert list(by_count.index) == list(MODELS_0)
    for model in MODELS_0:
        assert by_count.loc[model, "estimate"] == pytest.approx(
            by_history.loc[model, "estimate"], rel=1e-8
        )
        assert by_count.loc[model, "stderr"] == pytest.approx(
            by_history.loc[model, "stderr"], rel=1e-4
        )


@needs_data
def test_frequencies_with_infinite_occasions_use_poisson_offset() -> None:
    f = pd.read_csv(MSE / "cbird_freq.csv")
    series = pd.Series(f["count"].to_numpy(), index=f["k"].to_numpy())
    with pytest.warns(ModelFitWarning, match="Mh Gamma3.5"):
        fitted = ClosedP().fit_frequencies(series, t=math.inf)
    m0 = fitted.fits_[0]
    # With t = inf Rcapture sets t to the largest k seen (6 here) and fits M0 with offset
    # -log k!: a Poisson(lambda) count truncated to 1..6. Its MLE matches the mean number
    # of captures, sum k p_k / sum p_k = mean(k) with p_k = lambda^k / k!, and then
    # N = n + n / sum_k p_k (the expected count at k = 0 is exp(b0) = n / sum p_k).
    k = series.index.to_numpy(dtype=float)
    n = float(series.sum())
    mean_k = float(np.sum(k * series.to_numpy())) / n
    ks = np.arange(1.0, k.max() + 1.0)

    def weights(lam: float) -> np.ndarray[Any, Any]:
        return np.asarray(np.exp(ks * math.log(lam) - gammaln(ks + 1.0)))

    lam = brentq(lambda v: float(ks @ weights(v) / weights(v).sum()) - mean_k, 1e-6, 50.0)
    assert m0.abundance == pytest.approx(n + n / weights(lam).sum(), rel=1e-8)


@needs_data
def test_empty_overlaps_and_flagged_models_warn() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fitted = ClosedP().fit(load("Ned"))
    assert any(issubclass(w.category, SparseOverlapWarning) for w in caught)
    assert any("I and K" in str(w.message) for w in caught)
    flagged = fitted.models_[fitted.models_["info_fit"] != 0]
    assert len(flagged) >= 1
    assert any(issubclass(w.category, ModelFitWarning) for w in caught)


def test_bad_frequencies_are_rejected() -> None:
    with pytest.raises(ConfigurationError):
        ClosedP().fit_frequencies({0: 3, 1: 4}, t=5)
    with pytest.raises(ConfigurationError):
        ClosedP().fit_frequencies(np.array([3.0, 1.0, 2.0]), t=2)
    with pytest.raises(ConfigurationError):
        ClosedP(level=0.0)


def test_an_unbounded_behaviour_model_does_not_stop_the_others() -> None:
    # A 3-list table of the estimator study (three_lists, seed 500013) on which the Mbh
    # fit drives 1 + exp(beta2) - exp(beta1) to exactly 0: its abundance is unbounded.
    # Before, the division raised and no model was reported at all (2 of 200 study
    # replicates). Now Mbh is infinite and flagged; the others are as usual.
    table = [0, 132, 113, 38, 154, 65, 41, 18]  # index = A + 2 B + 4 C
    h = CaptureHistories.from_table(table, ["A", "B", "C"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fitted = ClosedP().fit(h)
    models = fitted.models_.set_index("model")
    assert math.isinf(models.loc["Mbh", "estimate"]) and math.isnan(models.loc["Mbh", "stderr"])
    assert models.loc["Mbh", "info_fit"] != 0
    assert any("Mbh" in str(w.message) for w in caught if w.category is ModelFitWarning)
    others = models.drop(index="Mbh")["estimate"]
    assert np.isfinite(others).all()
    # Mt, the independence model, is the Lincoln-Petersen-type MLE: more than the 561 seen.
    assert 561 < models.loc["Mt", "estimate"] < 1_500
