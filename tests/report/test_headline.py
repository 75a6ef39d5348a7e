"""The headline on worlds whose truth is known by construction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from uncounted.estimate.lcmcr import LCMCR
from uncounted.report.headline import estimate_headline
from uncounted.report.strata import STRATUM

LISTS = ["A", "B", "C", "D"]
YEARS = (2000, 2009)


def world(seed: int, n: int, capture: list[float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` events, each seen by list j with probability capture[j], independently;
    1 + Poisson(0.7) victims, years uniform; returns (documented events, all events)."""
    rng = np.random.default_rng(seed)
    seen = rng.random((n, len(LISTS))) < np.asarray(capture)
    frame = pd.DataFrame(seen.astype(int), columns=LISTS)
    frame["year"] = pd.array(rng.integers(YEARS[0], YEARS[1] + 1, n), dtype="Int64")
    frame["year_known"] = True
    frame["victims"] = pd.array(1 + rng.poisson(0.7, n), dtype="Int64")
    frame["victims_known"] = True
    frame[STRATUM] = "all"
    return frame[seen.any(axis=1)].reset_index(drop=True), frame


def fast_lcmcr() -> LCMCR:
    return LCMCR(seed=3, burnin=1000, samples=1000, thin=5)


@pytest.mark.parametrize("seed", [1, 2])
def test_intervals_contain_the_truth_when_lists_are_independent(seed: int) -> None:
    documented, truth = world(seed, 600, [0.3, 0.25, 0.2, 0.15])
    headline = estimate_headline(documented, LISTS, fast_lcmcr, period=YEARS, level=0.95, seed=seed)
    assert headline.events.lower <= len(truth) <= headline.events.upper
    people = int(truth["victims"].sum())
    assert headline.people.lower <= people <= headline.people.upper
    # The people interval is the events interval times victims per event, roughly.
    ratio = people / len(truth)
    assert headline.people.point == pytest.approx(headline.events.point * ratio, rel=0.1)


def test_yearly_figures_come_from_the_same_draws_as_the_totals() -> None:
    documented, _ = world(5, 400, [0.4, 0.3, 0.3, 0.2])
    headline = estimate_headline(documented, LISTS, fast_lcmcr, period=YEARS, level=0.95, seed=1)
    by_year = headline.by_year
    assert by_year["year"].tolist() == list(range(YEARS[0], YEARS[1] + 1))
    assert by_year["documented"].sum() == len(documented)
    # Replicates by year add up to the replicates of the total.
    totals = headline.replicates.events.sum(axis=1)
    assert np.all(totals >= len(documented))
    assert np.median(totals) == pytest.approx(headline.events.point, rel=0.02)
    assert (by_year["lower"] <= by_year["estimate"]).all()
    assert (by_year["estimate"] <= by_year["upper"]).all()
    assert (by_year["people_lower"] <= by_year["people_upper"]).all()
    # Never below what was documented in a year.
    assert (by_year["lower"] >= by_year["documented"]).all()
