"""Tests of Bayesian model averaging over decomposable graphs (dga)."""

from __future__ import annotations

import json
import math
import warnings
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import gammaln, logsumexp

from uncounted.errors import ConfigurationError, EstimationError
from uncounted.estimate.dga import DGA
from uncounted.estimate.dga_graphs import DecomposableGraph, decomposable_graphs
from uncounted.estimate.dga_likelihood import LogWeights
from uncounted.estimate.dga_posterior import posterior_auto
from uncounted.estimate.histories import CaptureHistories
from uncounted.estimate.warnings import GridEdgeWarning, PriorDominatesWarning

MSE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mse"
needs_data = pytest.mark.skipif(not MSE.is_dir(), reason=f"shared MSE data not found at {MSE}")


def load(name: str) -> CaptureHistories:
    return CaptureHistories.from_csv(MSE / f"{name}.csv")


def reference(name: str) -> dict[str, object]:
    ref: dict[str, object] = json.loads((MSE / "reference_public.json").read_text())[name]["dga"]  # type: ignore[index]
    return ref


# --- graphs -----------------------------------------------------------------------------


def _has_chordless_cycle(k: int, edges: set[tuple[int, int]]) -> bool:
    """Brute force: some vertex subset of size >= 4 induces a cycle."""
    for size in range(4, k + 1):
        for subset in combinations(range(k), size):
            inside = [e for e in edges if e[0] in subset and e[1] in subset]
            degrees = [sum(v in e for e in inside) for v in subset]
            if len(inside) == size and all(d == 2 for d in degrees):
                # A 2-regular graph on `size` vertices with `size` edges is one cycle
                # exactly when it is connected; for size < 6 it cannot be two cycles.
                return True
    return False


@pytest.mark.parametrize(("k", "count"), [(2, 2), (3, 8), (4, 61), (5, 822)])
def test_number_of_decomposable_graphs(k: int, count: int) -> None:
    # Labelled chordal graphs, OEIS A058862: 1, 2, 8, 61, 822.
    assert len(decomposable_graphs(k)) == count


def test_chordality_test_agrees_with_brute_force_on_all_graphs_of_five_vertices() -> None:
    found = {g.edges for g in decomposable_graphs(5)}
    pairs = list(combinations(range(5), 2))
    for mask in range(1 << len(pairs)):
        edges = {p for b, p in enumerate(pairs) if mask >> b & 1}
        assert (tuple(sorted(edges)) in found) == (not _has_chordless_cycle(5, edges))


@pytest.mark.parametrize("k", [3, 4, 5])
def test_cliques_and_separators_are_a_junction_tree(k: int) -> None:
    for g in decomposable_graphs(k):
        covered = set().union(*map(set, g.cliques))
        assert covered == set(range(k))
        components = _components(k, g.edges)
        assert len(g.separators) == len(g.cliques) - components
        # Every edge lies in a clique, and every clique is complete.
        for i, j in g.edges:
            assert any(i in c and j in c for c in g.cliques)
        for c in g.cliques:
            assert all((a, b) in g.edges for a, b in combinations(c, 2))


def _components(k: int, edges: tuple[tuple[int, int], ...]) -> int:
    parent = list(range(k))

    def root(v: int) -> int:
        while parent[v] != v:
            v = parent[v]
        return v

    for i, j in edges:
        parent[root(i)] = root(j)
    return len({root(v) for v in range(k)})


@needs_data
@pytest.mark.parametrize("k", [3, 4, 5])
def test_graphs_equal_the_lists_shipped_with_dga(k: int) -> None:
    shipped = json.loads((MSE / f"dga_graphs{k}.json").read_text())

    def sets(value: object) -> list[list[int]]:
        # R's JSON export turns the one-clique list of the saturated graph into a dict.
        return list(value.values()) if isinstance(value, dict) else value  # type: ignore[return-value]

    def canonical(cliques: object, separators: object) -> tuple[object, object]:
        return (
            tuple(sorted(tuple(sorted(c)) for c in sets(cliques))),
            tuple(sorted(tuple(sorted(s)) for s in sets(separators))),
        )

    theirs = {canonical(g["C"], g["S"]) for g in shipped}
    ours = {
        canonical(
            [[v + 1 for v in c] for c in g.cliques], [[v + 1 for v in s] for s in g.separators]
        )
        for g in decomposable_graphs(k)
    }
    assert len(theirs) == len(shipped) and ours == theirs


# --- likelihood against closed forms ------------------------------------------------------


def test_log_weights_match_dirichlet_multinomial_closed_forms() -> None:
    """Saturated graph: one Dirichlet-multinomial over the 2**k cells; independence graph:
    a product of beta-binomials, one per list. Both with the multinomial coefficient."""
    k, delta = 3, 0.3
    table = np.array([0, 60, 49, 4, 247, 112, 142, 12])
    graphs = decomposable_graphs(k)
    weights = LogWeights.build(table, delta, graphs, lambda big_n: -np.log(big_n))
    n0 = np.array([0.0, 5.0, 120.0, 4000.0, 3e6])
    big_n = table.sum() + n0
    log_coef = gammaln(big_n + 1) - gammaln(n0 + 1) - gammaln(table[1:] + 1).sum()
    total = delta * 2**k

    cells = np.vstack([np.broadcast_to(table[1:], (len(n0), 7)).T, n0])
    saturated = (
        gammaln(total)
        - gammaln(big_n + total)
        + gammaln(cells + delta).sum(axis=0)
        - 2**k * gammaln(delta)
    )
    alpha = total / 2
    seen = np.array([sum(table[c] for c in range(8) if c >> j & 1) for j in range(k)])
    independence = sum(
        gammaln(m + alpha)
        + gammaln(big_n - m + alpha)
        - gammaln(big_n + total)
        - 2 * gammaln(alpha)
        + gammaln(total)
        for m in seen
    )
    logw = weights(n0) - gammaln(table[1:] + 1).sum()
    assert graphs[0].cliques == ((0,), (1,), (2,)) and graphs[-1].cliques == ((0, 1, 2),)
    # Sums of lgamma values up to 1e8 in size: 1e-9 relative is what double precision gives.
    np.testing.assert_allclose(logw[-1], saturated + log_coef - np.log(big_n), rtol=1e-9)
    np.testing.assert_allclose(logw[0], independence + log_coef - np.log(big_n), rtol=1e-9)


def test_log_gamma_ratio_is_exact_at_any_size() -> None:
    from uncounted.estimate.dga_likelihood import log_gamma_ratio

    b = np.array([[0.03125], [3.0], [2e6 + 1.0]])
    c = np.array([[2e6 + 1.0], [4400.06], [1.0]])
    # Near the switch to Stirling's series both ways agree: direct lgamma differences of
    # numbers near 1e6 are good to about 1e-9 absolute.
    x = np.array([0.0, 50.0, 99_999.0, 100_001.0, 3e5])
    np.testing.assert_allclose(log_gamma_ratio(x, b, c), gammaln(x + b) - gammaln(x + c), atol=2e-8)
    # Far out only Stirling works; the slope in log x must tend to b - c (corrections
    # O((b + c) / x) are below 1e-10 here). A rounded x + b shows up as a slope error of
    # order 1 / log(1.01).
    far = np.array([4e16 / 1.01, 4e16])
    slope = np.diff(log_gamma_ratio(far, b, c), axis=1)[:, 0] / np.log(1.01)
    np.testing.assert_allclose(slope, (b - c)[:, 0], rtol=1e-9)


# --- published reference figures ------------------------------------------------------------


@needs_data
@pytest.mark.parametrize("name", ["kosovo", "HIV"])
def test_reproduces_dga_reference_quantiles_exactly(name: str) -> None:
    ref = reference(name)
    assert ref["settings"]["delta"] == 2.0**-4  # type: ignore[index]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = DGA(seed=1).fit(load(name))
    est = fit.estimate_
    q = est.diagnostics["quantiles"]
    # dga is deterministic, and so is this: the figures must agree to the integer.
    assert (q["0.025"], q["0.05"], q["0.5"], q["0.95"], q["0.975"]) == (
        ref["N_q025"],
        ref["N_q05"],
        ref["N_median"],
        ref["N_q95"],
        ref["N_q975"],
    )
    assert est.point == ref["N_median"]
    assert (est.lower, est.upper) == (ref["N_q025"], ref["N_q975"])
    assert est.diagnostics["mode"] == ref["N_mode"]
    assert est.n_observed == ref["n_observed"]
    assert est.diagnostics["tail_mass"] < 1e-12
    top = fit.model_probs_.head(3)
    for row, expected in zip(top.itertuples(), ref["top_models"], strict=True):  # type: ignore[call-overload]
        assert _clique_set(row.formula) == _clique_set(expected["graph"])
        # The reference grid stops at n0 = 99,999 (kosovo) or 59,999 (HIV) and omits the
        # tail beyond, which holds under 1e-8 of the mass.
        assert row.prob == pytest.approx(expected["post_prob"], rel=1e-7)


def _clique_set(formula: str) -> set[frozenset[str]]:
    return {frozenset(term.strip().split("*")) for term in formula.split("+")}


@needs_data
def test_finite_grid_is_dgas_bma_cr_on_nmissing() -> None:
    ref = reference("kosovo")
    fit = DGA(grid=np.arange(100_000)).fit(load("kosovo"))
    est = fit.estimate_
    # The posterior mean over the truncated grid is what R reported; 1e-10 relative is
    # round-off in sums of 100,000 terms.
    assert est.diagnostics["mean_within_grid"] == pytest.approx(ref["N_mean"], rel=1e-10)
    assert (est.lower, est.point, est.upper) == (ref["N_q025"], ref["N_median"], ref["N_q975"])
    assert fit.model_probs_["prob"].iloc[0] == pytest.approx(
        ref["top_models"][0]["post_prob"],  # type: ignore[index]
        rel=1e-12,
    )
    assert len(fit.posterior_n_) == 100_000
    assert fit.posterior_n_["prob"].sum() == pytest.approx(1.0, rel=1e-12)


# --- the automatic grid against brute force ------------------------------------------------


def _brute_force(weights: LogWeights, upper: int) -> np.ndarray:
    marg = logsumexp(weights(np.arange(upper + 1, dtype=np.float64)), axis=0)
    return np.cumsum(np.exp(marg - logsumexp(marg)))


@pytest.mark.parametrize("delta", [1.0, 0.125])
def test_auto_grid_equals_summing_every_integer(delta: float) -> None:
    # Madigan & York's three-list example as in dga's help page, with its
    # negative-binomial prior on N (a = 13.14, b = 55.17) and with the 1/N prior.
    table = np.array([0, 60, 49, 4, 247, 112, 142, 12])
    a, b = 13.14, 55.17

    def negative_binomial(big_n: np.ndarray) -> np.ndarray:
        return (
            big_n * np.log(b) - (big_n + a) * np.log1p(b) + gammaln(big_n + a) - gammaln(big_n + 1)
        )

    for prior in (negative_binomial, lambda big_n: -np.log(big_n)):
        weights = LogWeights.build(table, delta, decomposable_graphs(3), prior)
        auto = posterior_auto(weights)
        upper = 200_000
        brute = _brute_force(weights, upper)
        inside = auto.cdf(np.array([upper]))[0]
        m = np.unique(np.geomspace(1, upper, 3000).astype(np.int64))
        # Brute force is normalised over 0..upper; the auto posterior also holds the mass
        # beyond. Agreement to 1e-10 is the quadrature's error control (1e-9 per panel,
        # far less in practice).
        np.testing.assert_allclose(auto.cdf(m), brute[m] * inside, atol=1e-10)
        levels = np.array([0.025, 0.05, 0.5, 0.95, 0.975])
        expected = np.searchsorted(brute * inside, levels)
        assert auto.quantile(levels).tolist() == expected.tolist()


# --- every dataset with 3 to 5 lists -----------------------------------------------------

SMALL = [
    "Artificial_3",
    "MY3_dga_example",
    "HIV",
    "kosovo",
    "lesbian",
    "MY5_dga_example",
    "Ned_5",
    "NewOrl_5",
    "UKdat_5",
    "Western",
    "synthetic_5lists_20000",
]


@needs_data
@pytest.mark.parametrize("name", SMALL)
def test_sane_on_every_three_to_five_list_dataset(name: str) -> None:
    data = load(name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = DGA(seed=7).fit(data)
    est = fit.estimate_
    assert not [w for w in caught if issubclass(w.category, GridEdgeWarning)]
    assert est.diagnostics["tail_mass"] < 1e-6
    assert data.n_observed <= est.lower <= est.point <= est.upper < math.inf
    assert fit.model_probs_["prob"].sum() == pytest.approx(1.0, abs=1e-12)
    assert fit.model_probs_["prob"].is_monotonic_decreasing
    cdf = fit.posterior_n_["cdf"].to_numpy()
    assert np.all(np.diff(cdf) >= -1e-12) and cdf[-1] > 0.999
    # The median is the discrete posterior median: P(N <= m) >= 1/2 > P(N <= m - 1).
    m0 = int(est.point) - data.n_observed
    below, at = fit.posterior_.cdf(np.array([m0 - 1, m0]))
    assert below < 0.5 <= at


def test_intervals_cover_a_known_total_when_lists_are_independent() -> None:
    # 20 populations of 2,000 with four independent lists (a model dga averages over).
    # With 95 % intervals, 16 or more hits out of 20 has probability 0.98; the seed fixes
    # the outcome, so this guards against a biased or overconfident posterior.
    rng = np.random.default_rng(2024)
    truth, hits, medians = 2000, 0, []
    for rep in range(20):
        seen = (rng.random((truth, 4)) < [0.25, 0.3, 0.2, 0.35]).astype(int)
        frame = pd.DataFrame(seen[seen.sum(axis=1) > 0], columns=list("ABCD"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = DGA(seed=rep, n_draws=10).fit(frame).estimate_
        hits += est.lower <= truth <= est.upper
        medians.append(est.point)
    assert hits >= 16
    # Posterior medians average within 2 % of the truth (their spread is about 2 %).
    assert abs(np.mean(medians) / truth - 1) < 0.02


@needs_data
def test_saturated_model_weight_raises_prior_dominates_warning() -> None:
    with pytest.warns(PriorDominatesWarning, match="saturated"):
        fit = DGA().fit(load("Artificial_3"))
    assert fit.estimate_.warnings


@needs_data
def test_grid_too_short_raises_grid_edge_warning() -> None:
    with pytest.warns(GridEdgeWarning, match="outside the grid"):
        fit = DGA(grid=range(0, 6000)).fit(load("kosovo"))
    assert fit.estimate_.diagnostics["tail_mass"] > 1e-3


@needs_data
def test_refuses_more_than_five_lists_and_suggests_lcmcr() -> None:
    with pytest.raises(EstimationError, match="lcmcr"):
        DGA().fit(load("UKdat"))


def test_refuses_a_single_list() -> None:
    one = CaptureHistories(("A",), np.array([[1]], dtype=np.uint8), np.array([5]))
    with pytest.raises(EstimationError, match="two lists"):
        DGA().fit(one)


def test_list_order_does_not_change_the_estimate() -> None:
    table = CaptureHistories.from_table(
        [0, 120, 90, 30, 70, 20, 25, 10, 40, 12, 9, 5, 8, 4, 3, 2], ["A", "B", "C", "D"]
    )
    frame = table.to_frame()
    shuffled = frame[["C", "A", "D", "B", "count"]]
    one = DGA(seed=1).fit(frame).estimate_
    two = DGA(seed=1).fit(shuffled).estimate_
    assert (one.lower, one.point, one.upper) == (two.lower, two.point, two.upper)
    assert one.diagnostics["top_models"][0]["prob"] == pytest.approx(
        two.diagnostics["top_models"][0]["prob"], rel=1e-12
    )


def test_draws_are_seeded_and_follow_the_posterior() -> None:
    data = CaptureHistories.from_table([0, 60, 49, 4, 247, 112, 142, 12], ["A", "B", "C"])
    one = DGA(seed=11).fit(data)
    two = DGA(seed=11).fit(data)
    draws = one.estimate_.draws
    assert draws is not None and len(draws) == 10_000
    assert np.array_equal(draws, two.estimate_.draws)  # type: ignore[arg-type]
    assert one.estimate_.seed == 11
    # Share of draws at or below the median: 1/2 up to four binomial standard errors
    # (plus the median cell's own probability, under 1 %).
    share = np.mean(draws <= one.estimate_.point)
    assert abs(share - 0.5) < 4 * math.sqrt(0.25 / 10_000) + 0.01


def test_uniform_prior_needs_a_proper_posterior() -> None:
    data = CaptureHistories.from_table([0, 60, 49, 4, 247, 112, 142, 12], ["A", "B", "C"])
    with pytest.raises(EstimationError, match="improper"):
        DGA(prior_n="uniform").fit(data)
    not_saturated = DGA(
        prior_n="uniform", prior_graphs=lambda g: -np.inf if len(g.cliques) == 1 else 0.0
    ).fit(data)
    assert not_saturated.model_probs_.set_index("graph")["prob"][7] == 0.0
    assert not_saturated.estimate_.point >= DGA().fit(data).estimate_.point


@pytest.mark.parametrize(
    "kwargs",
    [
        {"delta": 0},
        {"delta": -1.0},
        {"prior_n": "jeffreys"},
        {"grid": "wide"},
        {"grid": [-1, 2]},
        {"grid": [0.5]},
        {"level": 1.0},
        {"max_lists": 9},
    ],
)
def test_bad_settings(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        DGA(**kwargs)  # type: ignore[arg-type]


def test_summary_and_plot() -> None:
    import matplotlib

    matplotlib.use("Agg")
    data = pd.DataFrame({"A": [1, 0, 1, 1, 0, 0, 1], "B": [0, 1, 1, 0, 1, 0, 1]})
    data["C"] = [0, 0, 0, 1, 1, 1, 1]
    data["count"] = [60, 49, 4, 247, 112, 142, 12]
    fit = DGA(seed=2)
    with pytest.raises(RuntimeError, match="fit"):
        fit.summary()
    fit.fit(data)
    summary = fit.summary()
    assert list(summary.columns[:5]) == [
        "method",
        "n_observed",
        "estimate",
        "lower 95%",
        "upper 95%",
    ]
    assert summary["top model"].iloc[0] == fit.model_probs_["formula"].iloc[0]
    ax = fit.plot()
    assert ax.get_xlabel().startswith("N")
    json.loads(fit.estimate_.to_json())


tables = st.lists(st.integers(0, 40), min_size=7, max_size=7).filter(lambda c: sum(c) > 0)


@settings(max_examples=25, deadline=None)
@given(tables)
def test_estimate_is_never_below_the_observed_count(cells: list[int]) -> None:
    data = CaptureHistories.from_table([0, *cells], ["A", "B", "C"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = DGA(seed=0, n_draws=100).fit(data).estimate_
    assert data.n_observed <= est.lower <= est.point <= est.upper
    assert est.draws is not None and np.all(est.draws >= data.n_observed)


def test_graph_mask_and_formula() -> None:
    g = DecomposableGraph(3, ((0, 1),), ((0, 1), (2,)), ())
    assert g.mask((0, 2)) == 0b101
    assert g.formula(["EXH", "ABA", "OSCE"]) == "EXH*ABA + OSCE"
