"""import -> export -> import is lossless on a simulated world."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.ingest.casebook import snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.store, pytest.mark.slow]


def test_simulated_world_roundtrip(tmp_path: Path) -> None:
    from uncounted.ingest.export import export_store
    from uncounted.ingest.load import import_path
    from uncounted.simulate import simulate_world, write_world

    world = simulate_world(seed=7, scale=0.25)
    write_world(world, tmp_path / "world")
    first = import_path(tmp_path / "world")
    assert first.counts["reports"].created == len(world.reports)
    export_store(tmp_path / "out", with_identities=True)
    for name in ("collections", "sources", "reports", "victim_mentions"):
        original = pd.read_csv(tmp_path / "world" / f"{name}.csv", dtype=str, keep_default_na=False)
        exported = pd.read_csv(tmp_path / "out" / f"{name}.csv", dtype=str, keep_default_na=False)
        original = original.sort_values(original.columns[0]).reset_index(drop=True)
        pd.testing.assert_frame_equal(original, exported, obj=name)
    before = snapshot()
    again = import_path(tmp_path / "out")
    assert not again.changed
    assert snapshot() == before
