"""People from events: documented victims plus drawn victims of undocumented events."""

from __future__ import annotations

import numpy as np
import pandas as pd

from uncounted.report.people import draw_people

YEARS = np.arange(2000, 2005)


def events(victims: list[int | None], years: list[int | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": pd.array(years, dtype="Int64"),
            "year_known": [y is not None for y in years],
            "victims": pd.array(victims, dtype="Int64"),
        }
    )


def test_without_undocumented_events_people_are_the_counts_told() -> None:
    part = events([1, 2, 3, 4], [2000, 2001, 2001, 2004])
    drawn = draw_people(part, np.zeros(50, dtype=np.int64), YEARS, np.random.default_rng(1))
    assert np.all(drawn.people.sum(axis=1) == 10)
    assert np.all(drawn.events == [1, 2, 0, 0, 1])
    assert np.all(drawn.people == [1, 5, 0, 0, 4])


def test_each_undocumented_event_adds_a_count_drawn_from_the_documented_ones() -> None:
    # Every documented event had two victims: so has every drawn one, exactly.
    part = events([2] * 40, [2000 + i % 5 for i in range(40)])
    undocumented = np.arange(50, dtype=np.int64)
    drawn = draw_people(part, undocumented, YEARS, np.random.default_rng(2), min_group=5)
    assert np.all(drawn.events.sum(axis=1) == 40 + undocumented)
    assert np.all(drawn.people.sum(axis=1) == 2 * (40 + undocumented))


def test_events_without_a_count_or_a_year_are_placed_and_counted() -> None:
    part = events([1, None, 3, None], [2000, 2001, None, None])
    drawn = draw_people(part, np.full(200, 5, dtype=np.int64), YEARS, np.random.default_rng(3))
    assert np.all(drawn.events.sum(axis=1) == 4 + 5)
    # Counts are drawn from {1, 3}: the total lies between all-ones and all-threes.
    totals = drawn.people.sum(axis=1)
    assert totals.min() >= 1 + 3 + 7 * 1
    assert totals.max() <= 1 + 3 + 7 * 3
    assert len(np.unique(totals)) > 1  # the uncertainty is carried


def test_the_mean_drawn_count_matches_the_documented_mean() -> None:
    rng = np.random.default_rng(4)
    counts = rng.integers(1, 6, 300)
    part = events(counts.tolist(), [2000 + i % 5 for i in range(300)])
    drawn = draw_people(part, np.full(400, 1000, dtype=np.int64), YEARS, rng)
    per_event = (drawn.people.sum(axis=1) - counts.sum()) / 1000
    # 1000 draws a replicate and a Bayesian bootstrap of 300 counts: the replicate means
    # scatter around the documented mean with sd about sd(counts)/sqrt(300) = 0.08.
    assert abs(per_event.mean() - counts.mean()) < 0.05
