"""Populations of known size for the validity study: shape, seeding, and that each
scenario's generator makes what it says."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uncounted.estimate import CaptureHistories
from uncounted.simulate.populations import (
    SCENARIOS,
    draw_population,
    latent_class_histories,
    loglinear_histories,
)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_scenario_gives_valid_observed_histories(name: str) -> None:
    pop = draw_population(name, seed=3)
    scenario = SCENARIOS[name]
    assert pop.true_n == scenario.true_n
    assert pop.lists == [chr(ord("A") + j) for j in range(scenario.n_lists)]
    lists = pop.histories[pop.lists]
    assert set(np.unique(lists.to_numpy())) <= {0, 1}
    assert (lists.sum(axis=1) > 0).all(), "the all-zero pattern is unobservable"
    assert not lists.duplicated().any()
    assert (pop.histories["count"] > 0).all()
    assert 0 < pop.n_observed < pop.true_n
    # The estimators read it as it is.
    assert CaptureHistories.from_frame(pop.histories).n_observed == pop.n_observed


@given(seed=st.integers(0, 2**32 - 1), name=st.sampled_from(list(SCENARIOS)))
@settings(max_examples=20, deadline=None)
def test_same_seed_same_population(seed: int, name: str) -> None:
    a = draw_population(name, seed)
    b = draw_population(name, seed)
    pd.testing.assert_frame_equal(a.histories, b.histories)


def test_different_seeds_differ() -> None:
    a = draw_population("independent", 1).histories
    b = draw_population("independent", 2).histories
    assert not a.equals(b)


def _full_table(frame: pd.DataFrame, k: int, n: int) -> np.ndarray:
    """Counts of all 2**k cells, the zero cell filled in from the known N."""
    codes = frame.iloc[:, :k].to_numpy() @ (1 << np.arange(k - 1, -1, -1))
    table = np.zeros(1 << k)
    table[codes] = frame["count"].to_numpy()
    table[0] = n - table.sum()
    return table


def test_loglinear_without_interactions_is_independent_with_the_given_probabilities() -> None:
    n = 400_000
    p = [0.2, 0.5, 0.7]
    table = _full_table(loglinear_histories(np.random.default_rng(0), n, p, {}), 3, n)
    cells = np.arange(8)
    x = (cells[:, None] >> np.arange(2, -1, -1)) & 1
    expected = np.prod(np.where(x == 1, p, 1 - np.asarray(p)), axis=1) * n
    # Multinomial cell counts: 5 standard deviations of each count.
    assert np.all(np.abs(table - expected) < 5 * np.sqrt(expected))


def test_loglinear_interaction_is_the_log_odds_ratio() -> None:
    n = 400_000
    gamma = 1.5
    frame = loglinear_histories(np.random.default_rng(1), n, [0.3, 0.4, 0.2], {(0, 1): gamma})
    t = _full_table(frame, 3, n).reshape(2, 2, 2).sum(axis=2)  # A x B margin
    log_or = np.log(t[1, 1] * t[0, 0] / (t[1, 0] * t[0, 1]))
    # Standard error of a log odds ratio: sqrt(sum 1/cell), under 0.01 at this size.
    se = np.sqrt((1.0 / t).sum())
    assert abs(log_or - gamma) < 5 * se


def test_latent_classes_have_their_capture_rates() -> None:
    n = 200_000
    probs = np.array([[0.6, 0.5], [0.1, 0.05]])
    frame = latent_class_histories(np.random.default_rng(2), n, [0.25, 0.75], probs)
    t = _full_table(frame, 2, n).reshape(2, 2)
    expected_a = 0.25 * 0.6 + 0.75 * 0.1
    assert abs(t[1].sum() / n - expected_a) < 5 * np.sqrt(expected_a * (1 - expected_a) / n)
    # Heterogeneity makes the lists look positively dependent overall.
    assert t[1, 1] * t[0, 0] > 1.5 * t[1, 0] * t[0, 1]


def test_bad_class_specifications_are_refused() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="sum to 1"):
        latent_class_histories(rng, 10, [0.5, 0.4], [[0.1, 0.2], [0.3, 0.4]])
    with pytest.raises(ValueError, match="one row per class"):
        latent_class_histories(rng, 10, [1.0], [[0.1, 0.2], [0.3, 0.4]])
