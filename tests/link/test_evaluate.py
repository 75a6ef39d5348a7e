"""Pairwise and B-cubed scores on hand-computed cases and their invariants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uncounted.link.evaluate import score_clustering


def test_hand_computed_example() -> None:
    # Truth: {a,b,c} {d,e}; predicted: {a,b} {c,d,e}.
    # True pairs: ab ac bc de = 4; predicted pairs: ab cd ce de = 4; shared: ab de = 2.
    truth = ["X", "X", "X", "Y", "Y"]
    predicted = [1, 1, 2, 2, 2]
    s = score_clustering(predicted, truth)
    assert s.pairwise_precision == pytest.approx(2 / 4)
    assert s.pairwise_recall == pytest.approx(2 / 4)
    assert s.pairwise_f1 == pytest.approx(0.5)
    # B-cubed precision: a,b: 2/2; c: 1/3; d,e: 2/3 -> (1+1+1/3+2/3+2/3)/5.
    assert s.bcubed_precision == pytest.approx((2 + 1 / 3 + 4 / 3) / 5)
    # B-cubed recall: a,b: 2/3; c: 1/3; d,e: 2/2 -> (2/3+2/3+1/3+1+1)/5.
    assert s.bcubed_recall == pytest.approx((5 / 3 + 2) / 5)
    assert (s.n_true, s.n_predicted, s.n_records) == (2, 2, 5)


def test_all_singletons_have_full_precision_and_no_recall() -> None:
    s = score_clustering(["1", "2", "3", "4"], ["E", "E", "F", "F"])
    assert s.pairwise_precision == 1.0
    assert s.pairwise_recall == 0.0
    assert s.pairwise_f1 == 0.0
    assert s.bcubed_precision == 1.0
    assert s.bcubed_recall == pytest.approx(0.5)


def test_lengths_must_agree() -> None:
    with pytest.raises(ValueError):
        score_clustering([1, 2], [1])


labels = st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=40)


@given(labels)
def test_a_clustering_scored_against_itself_is_perfect(truth: list[int]) -> None:
    s = score_clustering([f"p{x}" for x in truth], truth)
    assert s.pairwise_f1 == 1.0 and s.bcubed_f1 == pytest.approx(1.0)


@given(labels, st.randoms(use_true_random=False))
def test_scores_are_probabilities(truth: list[int], rnd: object) -> None:
    predicted = list(truth)
    rnd.shuffle(predicted)  # type: ignore[attr-defined]
    s = score_clustering(predicted, truth)
    for value in (s.pairwise_precision, s.pairwise_recall, s.bcubed_precision, s.bcubed_recall):
        assert 0.0 <= value <= 1.0 + 1e-12
    # B-cubed precision is 1 exactly when every predicted cluster is pure.
    pairs = list(zip(predicted, truth, strict=True))
    pure = all(len({t for p2, t in pairs if p2 == p}) == 1 for p in predicted)
    assert (s.bcubed_precision == pytest.approx(1.0)) == pure
