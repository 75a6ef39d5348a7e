"""The one-sided linkages: each moves only the uncertain decisions of its kind, and never
against a source or a reviewer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from uncounted.link.one_sided import JOINED, UNDONE, one_sided_linkages, uncertain_weights


def _features(collections: list[str], sources: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unique_id": [f"R{i}" for i in range(len(collections))],
            "source_id": sources,
            "collection_id": collections,
        }
    )


def _groups(labels: np.ndarray) -> set[frozenset[int]]:
    return {frozenset(np.flatnonzero(labels == label).tolist()) for label in set(labels.tolist())}


def test_the_band_is_the_review_band_in_match_weights() -> None:
    low, high = uncertain_weights((0.1, 0.9))
    assert low == pytest.approx(-high) and high == pytest.approx(np.log2(9.0))


@pytest.fixture
def world() -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    # Event 0: R0, R1 of collection A and R2, the only report of B (an overlap made by
    # one report). Event 1: R3 of A and R4, the only one of C, fitting surely (weight 6).
    # Event 2: R5 and R6, both of A (no overlap to undo). R7 (A, source S0 like R0) and
    # R8 (B) stand alone; R9 (C) too, its best event fitting it badly (weight -5).
    features = _features(
        ["A", "A", "B", "A", "C", "A", "A", "A", "B", "C"],
        ["S0", "S1", "S2", "S3", "S4", "S5", "S6", "S0", "S8", "S9"],
    )
    labels = np.array([0, 0, 0, 1, 1, 2, 2, 3, 4, 5])
    fits = pd.DataFrame(
        [
            # r, c, w, s: own events (weights against the others' consensus)
            (0, 0, 5.0, 5.5), (1, 0, 4.0, 4.5), (2, 0, 1.0, 1.5),
            (3, 1, 6.0, 6.0), (4, 1, 6.0, 6.0),
            (5, 2, -1.0, -1.0), (6, 2, 0.5, 0.5),
            # other events the reports could join
            (2, 1, -2.0, -2.0),
            (7, 0, 2.0, 2.5), (7, 2, 1.0, 1.5),
            (8, 1, 1.5, 3.5), (8, 2, 3.0, 3.0),
            (9, 0, -5.0, -4.5),
        ],
        columns=["r", "c", "w", "s"],
    )  # fmt: skip
    return features, labels, fits


def test_only_uncertain_joins_that_make_an_overlap_are_undone(
    world: tuple[pd.DataFrame, np.ndarray, pd.DataFrame],
) -> None:
    features, labels, fits = world
    undone = one_sided_linkages(features, labels, fits)[UNDONE]
    # R2 (B's only report in event 0, weight 1) stands alone; R4 fits surely and stays;
    # R5 is unsure but A is already in event 2 through R6: no overlap hangs on it.
    assert _groups(undone) == {
        frozenset({0, 1}), frozenset({2}), frozenset({3, 4}), frozenset({5, 6}),
        frozenset({7}), frozenset({8}), frozenset({9}),
    }  # fmt: skip


def test_uncertain_lone_reports_join_their_best_event_but_never_their_source_s(
    world: tuple[pd.DataFrame, np.ndarray, pd.DataFrame],
) -> None:
    features, labels, fits = world
    joined = one_sided_linkages(features, labels, fits)[JOINED]
    # R7's best event (by score) is event 0, where its source S0 already told R0: it
    # stays alone rather than take its second choice. R8's best by score (weight plus
    # size prior, as refinement chooses) is event 1, though event 2 has the higher
    # weight, and its weight there is in the band: it joins event 1. R9's best fits at
    # -5, below the band: it stays alone.
    assert _groups(joined) == {
        frozenset({0, 1, 2}), frozenset({3, 4, 8}), frozenset({5, 6}),
        frozenset({7}), frozenset({9}),
    }  # fmt: skip


def test_reviewers_bind_the_one_sided_linkages(
    world: tuple[pd.DataFrame, np.ndarray, pd.DataFrame],
) -> None:
    features, labels, fits = world
    fixed = np.zeros(len(labels), dtype=bool)
    fixed[2] = True  # a reviewer joined R2 to its event
    out = one_sided_linkages(features, labels, fits, fixed=fixed, cannot_link=[("R8", "R3")])
    assert frozenset({0, 1, 2}) in _groups(out[UNDONE])
    # A reviewer kept R8 apart from R3: it does not join R3's event.
    assert frozenset({8}) in _groups(out[JOINED])
