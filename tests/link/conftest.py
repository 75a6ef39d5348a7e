"""A small simulated world with known truth, linked once per test session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from uncounted.link.linkage import LinkResult, LinkSettings, link_records
from uncounted.simulate import World, simulate_world, write_world

SEED = 11
SCALE = 0.3  # about 270 reports and 100 events: links in a few seconds


@pytest.fixture(scope="session")
def small_world() -> World:
    return simulate_world(SEED, scale=SCALE)


@pytest.fixture(scope="session")
def small_world_dir(small_world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("link-world")
    write_world(small_world, out)
    return out


@pytest.fixture(scope="session")
def linked(small_world_dir: Path) -> LinkResult:
    reports = pd.read_csv(small_world_dir / "reports.csv", dtype=str, keep_default_na=False)
    mentions = pd.read_csv(
        small_world_dir / "victim_mentions.csv", dtype=str, keep_default_na=False
    )
    return link_records(reports, mentions, settings=LinkSettings(replicates=2, seed=3))
