"""Witness-density strata: what density an event gets, and how classes are cut."""

from __future__ import annotations

import pandas as pd

from uncounted.records.places import gazetteer
from uncounted.report.strata import class_names, density_strata, witness_density


def test_density_counts_interviewees_from_the_county_or_the_provinces_average() -> None:
    sources = pd.DataFrame(
        {
            "kind": ["interviewee"] * 4 + ["informant"],
            "origin_code": ["KP-10-hyesan"] * 3 + ["KP-09-musan", "KP-10-hyesan"],
            "origin_iso": ["KP-10"] * 3 + ["KP-09", "KP-10"],
        }
    )
    events = pd.DataFrame(
        {"county": ["KP-10-hyesan", None, None], "province": ["KP-10", "KP-10", None]}
    )
    density = witness_density(events, sources)
    # The informant is no interviewee: Hyesan counts 3.
    assert density.iloc[0] == 3
    counties = len(gazetteer().children("KP-10"))
    assert density.iloc[1] == 3 / counties
    every_county = sum(len(gazetteer().children(p.code)) for p in gazetteer().provinces())
    assert density.iloc[2] == 4 / every_county


def test_classes_hold_about_equal_numbers_of_events() -> None:
    density = pd.Series(range(120), dtype=float)
    strata = density_strata(density, 4, 10)
    assert strata.value_counts().tolist() == [30, 30, 30, 30]
    # Ordered from the fewest witnesses to the most.
    assert strata.iloc[0] == class_names(4)[0]
    assert strata.iloc[-1] == class_names(4)[-1]


def test_ties_that_leave_a_class_short_merge_it_with_a_neighbour() -> None:
    # Half the events come from counties no interviewee came from.
    density = pd.Series([0.0] * 60 + list(range(1, 61)), dtype=float)
    strata = density_strata(density, 4, 25)
    assert strata.value_counts().min() >= 25
    assert strata.iloc[:60].nunique() == 1


def test_too_few_events_for_any_split_gives_one_stratum() -> None:
    strata = density_strata(pd.Series([1.0, 2.0, 3.0]), 4, 30)
    assert strata.nunique() == 1
