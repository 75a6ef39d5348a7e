"""``uncounted simulate`` writes the world the library makes, and prints no identity."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from uncounted.cli import app
from uncounted.simulate import simulate_world
from uncounted.simulate.writer import RECORDED_FILES, TRUTH_FILES


def test_simulate_command_writes_the_library_world(tmp_path: Path) -> None:
    out = tmp_path / "world"
    result = CliRunner().invoke(
        app, ["simulate", "--seed", "5", "--out", str(out), "--scale", "0.2"]
    )
    assert result.exit_code == 0, result.output
    for name in [*RECORDED_FILES.values(), *TRUTH_FILES.values(), "truth/world.json"]:
        assert (out / name).is_file(), name
    reports = pd.read_csv(out / "reports.csv", dtype=str)
    expected = simulate_world(5, scale=0.2).reports
    assert list(reports["report_id"]) == list(expected["report_id"])
    assert list(reports["date_as_told"].fillna("")) == list(expected["date_as_told"].fillna(""))
    assert "C01" in result.output and "reports" in result.output
    sources = pd.read_csv(out / "sources.csv", dtype=str)
    for identity in pd.concat([sources["real_name"], sources["contact"]]).dropna():
        assert identity not in result.output


def test_simulate_command_refuses_a_bad_scale(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["simulate", "--seed", "1", "--out", str(tmp_path), "--scale", "0"]
    )
    assert result.exit_code != 0
    assert not (tmp_path / "reports.csv").exists()
