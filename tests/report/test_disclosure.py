"""Disclosure control: no published cell from fewer than k reports."""

from __future__ import annotations

import pandas as pd

from uncounted.report.disclosure import merge_small, suppress_small


def test_small_cells_are_emptied_with_their_report_count() -> None:
    frame = pd.DataFrame({"province": ["A", "B"], "events": [10, 1], "reports": [25, 2]})
    out, notes = suppress_small(frame, ["events"], 3, "provinces")
    assert out.loc[0, "events"] == 10
    assert out.loc[1, "events"] is None
    assert out.loc[1, "reports"] is None
    assert notes == ["provinces: 1 cell(s) from fewer than 3 reports suppressed"]


def test_nothing_small_leaves_the_table_alone() -> None:
    frame = pd.DataFrame({"x": ["A"], "events": [3], "reports": [3]})
    out, notes = suppress_small(frame, ["events"], 3, "t")
    assert notes == []
    assert out.equals(frame)


def test_small_rows_merge_into_other_within_each_group() -> None:
    frame = pd.DataFrame(
        {
            "period": ["p1", "p1", "p1", "p2", "p2"],
            "charge": ["murder", "drugs", "media", "murder", "drugs"],
            "events": [9, 1, 1, 7, 1],
            "reports": [20, 2, 2, 10, 1],
        }
    )
    out, notes = merge_small(frame, "charge", "other", ["events"], 3, "charges", by=["period"])
    p1 = out[out["period"] == "p1"].set_index("charge")
    assert p1.loc["other", "events"] == 2  # drugs and media, 4 reports together
    p2 = out[out["period"] == "p2"].set_index("charge")
    assert p2.loc["other", "events"] is None  # one report alone: still suppressed
    assert len(notes) == 2
