"""The dashboard hides cells resting on fewer than k reports from those who see figures only."""

from __future__ import annotations

from typing import Any

from uncounted.report.settings import ReportSettings


def test_a_year_and_a_province_told_by_two_reports_are_hidden_from_viewers(
    clients: dict[str, Any], event: Any
) -> None:
    # One event (2005, Ryanggang) linked from the casebook's two reports: below k = 3.
    assert ReportSettings().min_cell == 3
    viewer = clients["viewer"].get("/").content.decode()
    assert 'class="bar suppressed"' in viewer
    assert "fewer than 3 reports: not shown" in viewer
    assert 'title="2005: 1"' not in viewer
    team = clients["analyst"].get("/").content.decode()
    assert 'class="bar suppressed"' not in team
    assert 'title="2005: 1"' in team


def test_cells_with_enough_reports_are_shown_to_everyone() -> None:
    from uncounted.web.figures import ProvinceTile, YearBar, suppress_small_cells

    bars = [YearBar(2004, 0, 0.0), YearBar(2005, 1, 0.5, reports=2), YearBar(2006, 2, 1.0, 7)]
    shown = suppress_small_cells(bars, 3)
    assert [b.count for b in shown] == [0, None, 2]
    assert [b.suppressed for b in shown] == [False, True, False]
    tile = ProvinceTile("KP-10", "Ryanggang", "량강도", 1, 3, 1, 1.0, reports=1)
    (hidden,) = suppress_small_cells([tile], 3)
    assert hidden.count is None and hidden.shade == 0.0
