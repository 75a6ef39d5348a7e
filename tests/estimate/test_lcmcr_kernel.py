"""The LCMCR sweep's parts, one by one: the pattern tree, the multinomial splits of each
pattern over the classes, the class totals, the stick-breaking draws and the pattern
probabilities against their laws."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from uncounted.estimate import lcmcr_kernel as kernel
from uncounted.estimate.lcmcr_patterns import BY_UNIFORMS_MAX, pattern_tree
from uncounted.estimate.lcmcr_random import new_state

# --------------------------------------------------------------------- pattern tree


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 7).flatmap(
        lambda k: st.tuples(
            st.just(k),
            st.sets(st.integers(1, 2**k - 1), min_size=1, max_size=2**k - 1),
            st.integers(0, 2**32 - 1),
        )
    )
)
def test_pattern_tree_orders_parents_first_and_keeps_counts(
    case: tuple[int, set[int], int],
) -> None:
    k, cells, seed = case
    cells_sorted = sorted(cells)
    patterns = np.array([[(c >> j) & 1 for j in range(k)] for c in cells_sorted], dtype=np.uint8)
    counts = np.random.default_rng(seed).integers(1, 200, size=len(cells_sorted))
    tree = pattern_tree(patterns, counts)
    rows = len(tree.counts)
    for m in range(rows):
        lists = tree.ones_idx[tree.ones_ptr[m] : tree.ones_ptr[m + 1]]
        assert tree.last[m] == lists[-1]
        if tree.parent[m] < 0:
            assert len(lists) == 1
        else:
            up = tree.parent[m]
            assert up < m
            np.testing.assert_array_equal(
                tree.ones_idx[tree.ones_ptr[up] : tree.ones_ptr[up + 1]], lists[:-1]
            )
    # Input patterns map to rows with their counts; added rows have count 0.
    np.testing.assert_array_equal(tree.counts[tree.rows], counts)
    assert tree.counts.sum() == counts.sum()
    in_lists = np.zeros(rows, dtype=bool)
    in_lists[tree.small] = True
    in_lists[tree.large] = True
    assert np.array_equal(in_lists, tree.counts > 0)


def test_pattern_tree_rejects_empty_and_repeated_patterns() -> None:
    with pytest.raises(ValueError, match="all-zero"):
        pattern_tree(np.array([[0, 0], [1, 0]], dtype=np.uint8), np.array([1, 2]))
    with pytest.raises(ValueError, match="twice"):
        pattern_tree(np.array([[1, 0], [1, 0]], dtype=np.uint8), np.array([1, 2]))


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_class_totals_equal_captures_times_splits(k: int, n_classes: int, seed: int) -> None:
    # The subtree sums must equal the direct sum over patterns of x[m, j] * split[m, k].
    rng = np.random.default_rng(seed)
    cells = np.unique(rng.integers(1, 2**k, size=rng.integers(1, 2**k)))
    patterns = np.array([[(c >> j) & 1 for j in range(k)] for c in cells], dtype=np.uint8)
    tree = pattern_tree(patterns, np.ones(len(cells), dtype=np.int64))
    rows = len(tree.counts)
    split = np.zeros((rows, n_classes), dtype=np.int64)
    split[tree.rows] = rng.integers(0, 50, size=(len(cells), n_classes))
    # Some classes receive nobody, as most do in the sampler; only the others are marked
    # as used and summed.
    split[:, rng.random(n_classes) < 0.5] = 0
    used = split.any(axis=0)
    expected_class = split.sum(axis=0)
    expected_captured = patterns.T.astype(np.int64) @ split[tree.rows]
    n_class = np.full(n_classes, -1, dtype=np.int64)
    n_captured = np.full((k, n_classes), -1, dtype=np.int64)
    active = np.empty(n_classes, dtype=np.int64)
    kernel._class_totals(
        tree.parent, tree.last, tree.counts, split, used, active, n_class, n_captured
    )
    np.testing.assert_array_equal(n_class, expected_class)
    np.testing.assert_array_equal(n_captured, expected_captured)
    # Rows added only as parents are left at 0 for the next sweep, and so is `used`.
    assert not split[tree.counts == 0].any()
    assert not used.any()


def _chi_square_p(draws: np.ndarray, pmf: np.ndarray) -> float:
    """Chi-square p-value of integer draws against a pmf on 0..len(pmf)-1, cells with
    expected count below 20 pooled into one."""
    observed = np.bincount(draws, minlength=len(pmf)).astype(float)[: len(pmf)]
    expected = pmf * draws.size
    big = expected >= 20
    obs = np.append(observed[big], draws.size - observed[big].sum())
    exp = np.append(expected[big], draws.size - expected[big].sum())
    if exp[-1] < 1e-9:
        obs, exp = obs[:-1], exp[:-1]
    return float(stats.chi2.sf(float(((obs - exp) ** 2 / exp).sum()), len(obs) - 1))


@pytest.mark.parametrize("count", [30, 120, 2000])
def test_pattern_splits_are_multinomial(count: int) -> None:
    # Each class's share of a pattern must be Binomial(count, p_k) and two classes must
    # have covariance -count p_i p_j, whichever way the split is drawn: by counting
    # uniforms (count 30) or by conditional binomials (120: small-mean draws by inversion
    # for the light classes; 2000: rejection sampling for the heavy ones). Weights are
    # unnormalised and the classes visited in an order that is not their index, as in
    # the sampler.
    weights = np.array([0.06, 1.2, 0.3, 0.012, 0.6, 0.0, 0.003, 0.025])
    p = weights / weights.sum()
    order = np.empty(len(weights), dtype=np.int64)
    kernel._descending_order(weights, order)
    reps, n_classes = 20_000, len(weights)
    prob = np.tile(weights, (reps, 1))
    counts = np.full(reps, count, dtype=np.int64)
    rows = np.arange(reps, dtype=np.int64)
    split = np.zeros((reps, n_classes), dtype=np.int64)
    rng = new_state(np.random.SeedSequence(count))
    draws = np.empty(8 * ((count + 7) // 8) + 8)
    used = np.zeros(n_classes, dtype=np.bool_)
    if count <= BY_UNIFORMS_MAX:
        total = prob.sum(axis=1)
        kernel._split_by_uniforms(rng, counts, rows, prob, total, order, draws, split, used)
    else:
        suffix = np.empty((reps, n_classes))
        left = np.zeros(reps, dtype=np.int64)
        kernel._split_by_binomials(rng, counts, rows, prob, order, suffix, left, split, used)
    assert (split.sum(axis=1) == count).all()
    assert not split[:, 5].any()  # a class of weight 0 gets nobody
    # Exactly the classes that received someone are marked for the class totals.
    np.testing.assert_array_equal(used, split.any(axis=0))
    # Fixed seeds; a p-value below 1e-4 for a correct sampler is a 1-in-10,000 event per
    # class, while a biased split (such as a tail class under- or over-filled by a few
    # per cent) fails at this sample size.
    for k in range(n_classes):
        if p[k] > 0:
            support = np.arange(count + 1)
            assert _chi_square_p(split[:, k], stats.binom.pmf(support, count, p[k])) > 1e-4
    # Covariance of the two heaviest classes: within 5 standard errors (the estimator's
    # standard error is about sqrt(var_i var_j / reps) for nearly normal shares).
    var = count * p * (1 - p)
    cov = np.cov(split[:, 1], split[:, 4])[0, 1]
    assert abs(cov + count * p[1] * p[4]) < 5 * math.sqrt(var[1] * var[4] / reps)


def test_uniform_splits_give_a_tiny_class_its_share() -> None:
    # A class of weight about 1e-5 next to heavy ones, and edges that fall on simple
    # fractions (0.25, 0.5): the counting split must still give each class its exact
    # multinomial share (a cut corner in comparing uniforms with the edges would starve
    # the tiny class or overfill a neighbour).
    weights = np.array([0.25, 1.1e-5, 0.25 - 1.1e-5, 0.5])
    p = weights / weights.sum()
    order = np.arange(len(weights), dtype=np.int64)
    reps, count = 100_000, 40
    prob = np.tile(weights, (reps, 1))
    counts = np.full(reps, count, dtype=np.int64)
    rows = np.arange(reps, dtype=np.int64)
    split = np.zeros((reps, len(weights)), dtype=np.int64)
    rng = new_state(np.random.SeedSequence(99))
    draws = np.empty(8 * ((count + 7) // 8) + 8)
    used = np.zeros(len(weights), dtype=np.bool_)
    total = prob.sum(axis=1)
    kernel._split_by_uniforms(rng, counts, rows, prob, total, order, draws, split, used)
    assert (split.sum(axis=1) == count).all()
    totals = split.sum(axis=0)
    expected = reps * count * p
    # Poisson-like counts: within 5 standard deviations (the tiny class expects 44).
    assert np.all(np.abs(totals - expected) < 5 * np.sqrt(expected * (1 - p))), (totals, expected)
    assert totals[1] > 0


@pytest.mark.parametrize("alpha", [0.3, 0.7, 3.0])
def test_stick_breaking_draws_follow_their_beta_laws(alpha: float) -> None:
    # V_k ~ Beta(1 + n_k, alpha + sum_{l>k} n_l). Classes 0 and 2 are empty (drawn by
    # inversion), class 1 is not (two gammas); class 0 has later members, class 2 none.
    # (Much smaller alpha puts so many sticks within 1e-16 of 1 that recovering them
    # from the weights, as this test does, rounds them.)
    sizes = np.array([0, 7, 0, 0], dtype=np.int64)
    rng = new_state(np.random.SeedSequence(int(alpha * 100)))
    log_pi = np.empty(4)
    pi = np.empty(4)
    reps = 20_000
    sticks = np.empty((reps, 3))
    for i in range(reps):
        kernel._update_weights(rng, sizes, np.zeros(4, dtype=np.int64), alpha, log_pi, pi)
        rest = 1.0 - np.concatenate([[0.0], np.cumsum(pi[:2])])
        sticks[i] = pi[:3] / rest
    laws = [stats.beta(1, alpha + 7), stats.beta(8, alpha), stats.beta(1, alpha)]
    for k, law in enumerate(laws):
        assert stats.kstest(sticks[:, k], law.cdf).pvalue > 1e-4, k
    assert np.allclose(np.exp(log_pi), pi)


@pytest.mark.parametrize("k_lists", [12, 40])
def test_pattern_probabilities_survive_underflow(k_lists: int) -> None:
    # Class probabilities of a pattern are products of up to J factors; with capture
    # probabilities of 1e-80 to 1e-20 they underflow. The product form (rescaling rows,
    # falling back to logs; used up to 25 lists) and the all-log form (used beyond) must
    # give the normalised probabilities of a direct log-space computation.
    rng = np.random.default_rng(k_lists)
    n_classes = 4
    cells = [1, 3, 2**k_lists - 1, 2 ** (k_lists - 1) + 5, int(rng.integers(1, 2**k_lists))]
    patterns = np.array([[(c >> j) & 1 for j in range(k_lists)] for c in cells], dtype=np.uint8)
    tree = pattern_tree(patterns, np.ones(len(cells), dtype=np.int64))
    lam = 10.0 ** rng.uniform(-80, -20, size=(k_lists, n_classes))
    log_pi = np.log(rng.dirichlet(np.ones(n_classes)))
    odds = lam / (1 - lam)
    miss = 1 - lam
    w = np.exp(log_pi) * miss.prod(axis=0)
    x = patterns.astype(float)
    log_ref = log_pi + x @ np.log(lam) + (1 - x) @ np.log1p(-lam)
    # The case must exercise the fallback: some pattern's products all underflow.
    assert (log_ref.max(axis=1) < math.log(1e-280)).any()
    ref = np.exp(log_ref - log_ref.max(axis=1, keepdims=True))
    ref /= ref.sum(axis=1, keepdims=True)
    rows = len(tree.counts)
    if k_lists <= kernel._PRODUCT_MAX_LISTS:  # the sampler uses the product form only then
        prob, total = np.empty((rows, n_classes)), np.empty(rows)
        kernel._pattern_probs(
            tree.parent, tree.last, tree.ones_ptr, tree.ones_idx, log_pi, w, odds, miss, prob, total
        )
        np.testing.assert_allclose(prob[tree.rows] / total[tree.rows, None], ref, rtol=1e-9)
    prob, total = np.empty((rows, n_classes)), np.empty(rows)
    kernel._pattern_probs_all_logs(
        tree.parent, tree.last, log_pi, odds, miss, np.empty((rows, n_classes)), prob, total
    )
    np.testing.assert_allclose(prob[tree.rows] / total[tree.rows, None], ref, rtol=1e-9)
