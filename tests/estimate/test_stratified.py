"""Stratified estimation: per-stratum fits combined by summing draws or bootstrap replicates."""

from __future__ import annotations

import importlib.util
import math
import warnings
from typing import Self

import numpy as np
import pandas as pd
import pytest

from uncounted.errors import EstimationError, ValidationError
from uncounted.estimate.histories import CaptureHistories
from uncounted.estimate.result import Estimate
from uncounted.estimate.stratified import StratifiedEstimator
from uncounted.estimate.unseen import Chao2
from uncounted.estimate.warnings import SparseStratumWarning


class Chapman:
    """Two-list Chapman estimator: a closed-form MLE-type method with a known variance
    (Seber 1970, Biometrika 57:313), to test the bootstrap against."""

    def __init__(self, level: float = 0.95) -> None:
        self.level = level

    @staticmethod
    def parts(h: CaptureHistories) -> tuple[int, int, int]:
        table = h.full_table()
        return int(table[1] + table[3]), int(table[2] + table[3]), int(table[3])

    def fit(self, data: CaptureHistories) -> Self:
        n1, n2, m = self.parts(data)
        if m == 0 and n1 * n2 == 0:
            raise EstimationError("no overlap")
        point = (n1 + 1) * (n2 + 1) / (m + 1) - 1
        sd = math.sqrt(chapman_variance(n1, n2, m))
        self.estimate_ = Estimate(
            "chapman", data.n_observed, point, point - 1.96 * sd, point + 1.96 * sd
        )
        return self


def chapman_variance(n1: int, n2: int, m: int) -> float:
    return (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))


class NormalPosterior:
    """A 'Bayesian' stub whose posterior draws are Normal(mean, sd) with mean set per stratum
    by the number of observed items; to test that draws are summed, not interval ends."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def fit(self, data: CaptureHistories) -> Self:
        rng = np.random.default_rng(self.seed + data.n_observed)
        mean, sd = 2.0 * data.n_observed, 0.1 * data.n_observed
        draws = rng.normal(mean, sd, 4000)
        lo, hi = np.quantile(draws, [0.025, 0.975])
        self.estimate_ = Estimate(
            "normal", data.n_observed, float(np.median(draws)), lo, hi, draws=draws
        )
        return self


def _two_list_items(n: int, p1: float, p2: float, rng: np.random.Generator) -> pd.DataFrame:
    a = rng.random(n) < p1
    b = rng.random(n) < p2
    seen = a | b
    return pd.DataFrame({"A": a[seen].astype(int), "B": b[seen].astype(int)})


def _world(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for year, size in (("2008", 900), ("2009", 600), ("2010", 1200)):
        frame = _two_list_items(size, 0.3, 0.25, rng)
        frame["year"] = year
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def test_bootstrap_combination_of_an_mle_method() -> None:
    df = _world()
    fitted = StratifiedEstimator(Chapman, ["year"], n_boot=400, seed=1).fit(df)
    assert set(fitted.estimates_) == {"2008", "2009", "2010"}
    per = fitted.strata_.set_index("year")
    total = fitted.estimate_
    assert total.point == pytest.approx(per["estimate"].sum(), rel=1e-12)
    assert total.n_observed == len(df)
    assert total.lower < total.point < total.upper
    assert set(per["combined_by"]) == {"bootstrap"}
    # The bootstrap SD of the summed replicates must agree with the analytic SD of a sum of
    # independent Chapman estimates (Seber 1970). 400 replicates estimate an SD to about
    # +/- 3.5 % (1 / sqrt(2 * 400)); the multinomial population bootstrap also differs from
    # the hypergeometric variance formula by O(1/m). 15 % allows both.
    analytic = 0.0
    for year in ("2008", "2009", "2010"):
        h = CaptureHistories.from_frame(df[df["year"] == year][["A", "B"]])
        analytic += chapman_variance(*Chapman.parts(h))
    assert total.draws is not None
    assert np.std(total.draws, ddof=1) == pytest.approx(math.sqrt(analytic), rel=0.15)
    # The combined interval is narrower than adding interval ends.
    width = total.upper - total.lower
    assert width < (per["upper"] - per["lower"]).sum() * 0.75
    assert "bootstrap" in total.diagnostics["combination"]


def test_draws_are_summed_not_interval_ends() -> None:
    df = _world(1)
    fitted = StratifiedEstimator(lambda: NormalPosterior(seed=7), ["year"], seed=2).fit(df)
    total = fitted.estimate_
    per = fitted.strata_
    ns = per["n_observed"].to_numpy(dtype=float)
    # Sum of independent Normal(2 n_s, 0.1 n_s): mean 2 sum n, sd 0.1 sqrt(sum n_s^2).
    mean, sd = 2 * ns.sum(), 0.1 * math.sqrt((ns**2).sum())
    # 4000 paired draws: quantile Monte Carlo error about 0.05 sd; 0.15 sd is 3x that.
    assert total.lower == pytest.approx(mean - 1.96 * sd, abs=0.15 * sd)
    assert total.upper == pytest.approx(mean + 1.96 * sd, abs=0.15 * sd)
    assert total.point == pytest.approx(mean, abs=0.1 * sd)
    naive = (per["upper"] - per["lower"]).sum()
    assert total.upper - total.lower < 0.7 * naive
    assert total.diagnostics["combination"] == "summed posterior draws"
    assert total.draws is not None and total.draws.size == 4000


def test_incidence_base_gets_frequencies_and_is_bootstrapped() -> None:
    rng = np.random.default_rng(4)
    rows = []
    for region, n_events in (("north", 150), ("south", 90)):
        p = rng.beta(2, 20, n_events)
        reported = rng.random((n_events, 12)) < p[:, None]
        keep = reported.any(axis=1)
        frame = pd.DataFrame(reported[keep].astype(int), columns=[f"W{i}" for i in range(12)])
        frame["region"] = region
        rows.append(frame)
    df = pd.concat(rows, ignore_index=True)
    fitted = StratifiedEstimator(Chao2, ["region"], n_boot=100, seed=3).fit(df)
    for region, est in fitted.estimates_.items():
        part = df[df["region"] == region].drop(columns="region")
        y = part.sum(axis=1).to_numpy()
        q1, q2 = int((y == 1).sum()), int((y == 2).sum())
        assert est.point == pytest.approx(len(y) + 11 / 12 * q1**2 / (2 * q2), rel=1e-9)
    total = fitted.estimate_
    assert total.point == pytest.approx(sum(e.point for e in fitted.estimates_.values()))
    assert total.lower < total.point < total.upper
    assert total.method == "stratified chao2"


def test_sparse_stratum_warns_and_is_flagged() -> None:
    df = _world(2)
    tiny = pd.DataFrame({"A": [1, 0, 1, 1], "B": [0, 1, 1, 0], "year": "2011"})
    df = pd.concat([df, tiny], ignore_index=True)
    with pytest.warns(SparseStratumWarning, match="stratum 2011: only 4 items"):
        fitted = StratifiedEstimator(Chapman, ["year"], n_boot=50, seed=1).fit(df)
    assert fitted.strata_.set_index("year").loc["2011", "sparse"]
    assert any("2011" in w for w in fitted.estimate_.warnings)
    summary = fitted.summary()
    assert summary["year"].iloc[-1] == "total"
    assert "lower 95%" in summary.columns


def test_two_stratum_columns_and_labels() -> None:
    df = _world(3)
    df["region"] = np.where(np.arange(len(df)) % 2 == 0, "east", "west")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SparseStratumWarning)
        fitted = StratifiedEstimator(Chapman, ["year", "region"], n_boot=20, seed=1).fit(df)
    assert "2008 / east" in fitted.estimates_ and len(fitted.estimates_) == 6
    assert fitted.estimate_.settings["strata"] == ["year", "region"]


def test_missing_stratum_value_is_a_validation_error() -> None:
    df = _world(4)
    df.loc[5, "year"] = None
    with pytest.raises(ValidationError) as info:
        StratifiedEstimator(Chapman, ["year"], n_boot=20).fit(df)
    assert info.value.problems[0].row == 6 and info.value.problems[0].column == "year"
    with pytest.raises(ValidationError, match="stratum column with this name"):
        StratifiedEstimator(Chapman, ["period"], n_boot=20).fit(_world(4))


def test_failing_stratum_is_named() -> None:
    df = pd.DataFrame({"A": [1, 1, 1], "B": [0, 0, 0], "year": ["2001"] * 3})

    class Failing(Chapman):
        def fit(self, data: CaptureHistories) -> Self:
            raise EstimationError("the overlap between lists is empty.")

    with (
        warnings.catch_warnings(),
        pytest.raises(EstimationError, match=r"stratum 2001: the overlap .* Merge it"),
    ):
        warnings.simplefilter("ignore", SparseStratumWarning)
        StratifiedEstimator(Failing, ["year"], n_boot=20).fit(df)


def test_plot() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    fitted = StratifiedEstimator(Chapman, ["year"], n_boot=20, seed=1).fit(_world(5))
    ax = fitted.plot()
    assert ax.get_title().startswith("total")


def _three_list_world(seed: int) -> tuple[pd.DataFrame, int]:
    rng = np.random.default_rng(seed)
    parts = []
    for year, size in (("2008", 800), ("2009", 500), ("2010", 1000)):
        x = (rng.random((size, 3)) < np.array([0.25, 0.3, 0.2])).astype(int)
        frame = pd.DataFrame(x[x.sum(axis=1) > 0], columns=["A", "B", "C"])
        frame["year"] = year
        parts.append(frame)
    return pd.concat(parts, ignore_index=True), 2300


@pytest.mark.skipif(
    importlib.util.find_spec("uncounted.estimate.dga") is None, reason="dga not written yet"
)
def test_dga_strata_combine_by_posterior_draws() -> None:
    from uncounted.estimate.dga import DGA

    df, truth = _three_list_world(11)
    fitted = StratifiedEstimator(lambda: DGA(seed=1), ["year"], seed=2).fit(df)
    total = fitted.estimate_
    assert set(fitted.strata_["combined_by"]) == {"draws"}
    # Independent lists, 2,300 items in all: one seeded world, so this is a check against
    # gross errors (a lost stratum, summed interval ends), not a coverage claim.
    assert total.lower < truth < total.upper
    per = fitted.strata_
    assert total.upper - total.lower < 0.7 * (per["upper"] - per["lower"]).sum()


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("uncounted.estimate.loglinear") is None,
    reason="loglinear not written yet",
)
def test_loglinear_strata_combine_by_bootstrap() -> None:
    from uncounted.estimate.loglinear import LogLinear

    df, truth = _three_list_world(11)
    # Wald intervals: the refits need only the point, and profiling each one would make this
    # test ten times slower.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = StratifiedEstimator(
            lambda: LogLinear(interval="wald", seed=1), ["year"], n_boot=100, seed=2
        ).fit(df)
    total = fitted.estimate_
    assert set(fitted.strata_["combined_by"]) == {"bootstrap"}
    assert total.point == pytest.approx(fitted.strata_["estimate"].sum())
    assert total.lower < total.point < total.upper
    assert total.lower < truth < total.upper  # one seeded world: a gross-error check
    assert total.draws is not None and total.draws.size == 100


def test_chain_agreement_of_every_stratum_reaches_the_total() -> None:
    # A published stratified figure must say whether each stratum's chains agreed: the
    # total reports the worst R-hat, and each stratum its own with its ESS.
    from uncounted.estimate.lcmcr import LCMCR

    df, _ = _three_list_world(11)
    fitted = StratifiedEstimator(
        lambda: LCMCR(seed=3, chains=2, burnin=200, samples=100, thin=2), ["year"], seed=2
    ).fit(df)
    strata = fitted.estimate_.diagnostics["strata"]
    rhats = [float(part["rhat"]) for part in strata.values()]
    assert all("ess" in part for part in strata.values())
    assert fitted.estimate_.diagnostics["rhat"] == max(rhats)
    one_chain = StratifiedEstimator(
        lambda: LCMCR(seed=3, burnin=200, samples=100, thin=2), ["year"], seed=2
    ).fit(df)
    assert one_chain.estimate_.diagnostics["rhat"] is None
