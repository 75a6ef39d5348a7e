"""SIGKILL in the middle of an import leaves the store consistent and loses nothing committed."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.security.crash import (
    cli,
    export_of,
    half_of,
    judge,
    kill_import_mid_transaction,
    run_trials,
)

pytestmark = pytest.mark.slow  # every trial runs and kills a child process


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, Path]:
    """A key, a SQLite store holding world A, and world B to import into it."""
    from uncounted.simulate import simulate_world, write_world

    work = tmp_path_factory.mktemp("crash")
    key = work / "key"
    cli(["keys", "init"], key)
    write_world(simulate_world(seed=11, scale=0.6), work / "b")
    half_of(work / "b", work / "a")
    base = work / "base.sqlite3"
    cli(["import", str(work / "a"), "--db", str(base), "--accept-unresolved"], key)
    return key, base, work / "a", work / "b"


def test_random_kills_during_import_sqlite(
    worlds: tuple[Path, Path, Path, Path], tmp_path: Path
) -> None:
    key, base, _, world_b = worlds
    # A fast slice: benchmarks/bench_crash.py runs 100 kills for the recorded figure.
    trials = run_trials(base, world_b, key, tmp_path, n=3, seed=20261127)
    bad = [t for t in trials if t.outcome == "inconsistent"]
    assert bad == [], [t.problem for t in bad]
    # The kills must really interrupt imports, not only land before or after them.
    assert any(not t.finished for t in trials)


@pytest.mark.store
def test_kill_during_import_postgresql(
    worlds: tuple[Path, Path, Path, Path], pg_database: str, tmp_path: Path
) -> None:
    key, _, world_a, world_b = worlds
    cli(["import", str(world_a), "--db", pg_database, "--accept-unresolved"], key)
    before, ok, _ = export_of(pg_database, tmp_path / "before", key)
    assert ok
    finished = kill_import_mid_transaction(pg_database, world_b, key)
    outcome, problem = judge(pg_database, tmp_path, key, before, after={})
    assert not finished, "the import ended before its write transaction was seen"
    assert outcome == "before", problem
