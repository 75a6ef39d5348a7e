"""The claims ledger: reading claims, the figures shipped, and verdicts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from uncounted.errors import ValidationError
from uncounted.report.claims import (
    ABOVE,
    BELOW,
    CONSISTENT,
    NOT_COMPARABLE,
    judge_claims,
    mean_population,
    population,
    read_claims,
    reference_rates,
    seed_claims_path,
)
from uncounted.report.headline import Replicates

YEARS = (2000, 2001, 2002)


def replicates() -> Replicates:
    # People: 100 a year in every replicate but spread 90..110; events half that.
    people = np.tile(np.linspace(90, 110, 101)[:, None], (1, 3))
    return Replicates(YEARS, people / 2, people)


def claim(**values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "claim_id": "c",
        "source": "s",
        "citation": "c",
        "quantity": "people",
        "period_start": 2000,
        "period_end": 2002,
        "region": "KP",
        "value": 300.0,
        "kind": "total",
    }
    row.update(values)
    return row


def verdicts(*rows: dict[str, object]) -> list[str]:
    return judge_claims(pd.DataFrame(list(rows)), replicates(), 0.95)["verdict"].tolist()


def test_totals_are_judged_against_the_summed_years() -> None:
    # Three years of 90..110: the 95 % interval is about 270.5 to 329.5.
    assert verdicts(claim(value=300), claim(value=250), claim(value=340)) == [
        CONSISTENT,
        BELOW,
        ABOVE,
    ]


def test_a_single_year_meets_that_year_only() -> None:
    assert verdicts(claim(period_start=2001, period_end=2001, value=100)) == [CONSISTENT]
    assert verdicts(claim(period_start=2001, period_end=2001, value=300)) == [ABOVE]


def test_a_floor_is_consistent_unless_above_every_value_we_allow() -> None:
    assert verdicts(claim(kind="at_least", value=10), claim(kind="at_least", value=400)) == [
        CONSISTENT,
        ABOVE,
    ]


def test_events_claims_use_events() -> None:
    assert verdicts(claim(quantity="events", value=150)) == [CONSISTENT]


def test_claims_outside_the_period_or_about_elsewhere_are_not_comparable() -> None:
    judged = judge_claims(
        pd.DataFrame([claim(period_end=2010), claim(region="KP-09")]), replicates(), 0.95
    )
    assert judged["verdict"].tolist() == [NOT_COMPARABLE, NOT_COMPARABLE]
    assert "2000-2010" in judged.loc[0, "reason"]


def test_a_rate_for_another_country_is_shown_beside_ours() -> None:
    judged = judge_claims(
        pd.DataFrame([claim(region="US", kind="rate", value=0.171)]), replicates(), 0.95
    )
    row = judged.iloc[0]
    assert row["verdict"] == NOT_COMPARABLE
    expected = 100 / (mean_population("KP", 2000, 2002) / 1e6)
    assert row["ours"] == pytest.approx(expected, rel=0.01)


def test_the_shipped_claims_are_the_published_figures() -> None:
    claims = read_claims(seed_claims_path()).set_index("claim_id")
    assert claims.loc["KINU-2015-total", "value"] == 1382
    assert claims.loc["KINU-2015-total", ["period_start", "period_end"]].tolist() == [2000, 2014]
    yearly = {2008: 161, 2009: 160, 2012: 21, 2013: 82}
    for year, value in yearly.items():
        assert claims.loc[f"KINU-2015-{year}", "value"] == value
    assert claims.loc["AI-2013", ["value", "kind"]].tolist() == [70, "at_least"]
    assert all("Daily NK" in c for c in claims.loc[claims.index.str.startswith("KINU"), "citation"])


def test_the_us_rate_follows_from_dpic_counts_and_census_populations() -> None:
    us = reference_rates()["executions"]["US"]["by_year"]
    counts = [us[str(y)] for y in range(2000, 2016)]
    assert counts == [85, 66, 71, 65, 59, 60, 53, 42, 37, 52, 46, 43, 43, 39, 35, 28]
    assert sum(counts[:14]) == 761  # DPIC's 2000-2013 total
    assert population("US", 2000) == 281_421_906
    assert population("US", 2010) == 308_745_538
    rate = sum(counts) / 16 / (mean_population("US", 2000, 2015) / 1e6)
    shipped = read_claims(seed_claims_path()).set_index("claim_id").loc["DPIC-US-2000-2015"]
    assert shipped["value"] == pytest.approx(rate, abs=0.0005)
    assert population("KP", 2008) == 24_052_231


def test_every_problem_of_a_claims_file_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text(
        "claim_id,source,citation,quantity,period_start,period_end,region,value,kind\n"
        "a,s,c,bodies,2000,2001,KP,12,total\n"
        "b,s,c,people,two thousand,2001,KP,many,guess\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        read_claims(path)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(2, "quantity"), (3, "period_start"), (3, "value"), (3, "kind")}


def test_a_claims_file_without_a_column_says_which(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("claim_id,value\na,1\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_claims(path)
    assert "kind" in {p.column for p in caught.value.problems}
