"""A small simulated world, built once per test session and shared by the simulate tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.simulate.worlds import SEED

from uncounted.simulate import World, simulate_world, write_world


@pytest.fixture(scope="session")
def world() -> World:
    """The scale-1 world of SEED (about 3,500 reports)."""
    return simulate_world(SEED)


@pytest.fixture(scope="session")
def world_dir(world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("world")
    write_world(world, out)
    return out


@pytest.fixture(scope="session")
def told(world: World) -> pd.DataFrame:
    """Every report with its true event's date, place, size and charges."""
    truth = world.truth_events.rename(
        columns={"date": "true_date", "charges": "true_charges", "site_type": "true_site"}
    )
    return world.reports.merge(world.report_event, on="report_id", validate="1:1").merge(
        truth, on="event_id", validate="m:1"
    )
