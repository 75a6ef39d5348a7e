"""SIGKILL in the middle of a link run or of web saves leaves the store consistent and
loses nothing committed (imports: ``test_crash.py``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.security.crash import _env, cli, export_of
from tests.security.crash_runs import (
    edits_of,
    judge_link,
    judge_saves,
    kill_when_writing,
    link_command,
    link_trials,
    linkage_of,
    save_trials,
    saves_command,
)

pytestmark = pytest.mark.slow  # every trial runs and kills a child process

# Through the app (so the audit log holds it): one report's event unset, as a link run
# that wrote only part of its linkage would leave it.
HALF_LINK = r"""
import sys
from uncounted.store.connect import open_store
open_store(sys.argv[1])
from uncounted.store.audit import acting_as, flush
from uncounted.store.models import Report
with acting_as("crash-test"):
    Report.objects.filter(pk=Report.objects.order_by("pk").first().pk).update(event=None)
    flush()
"""

HALF = r"""
import sys
from django.db.models import F
from uncounted.store.connect import open_store
open_store(sys.argv[1])
from uncounted.store.audit import acting_as, flush
from uncounted.store.models import Report
with acting_as("crash-test"):
    Report.objects.filter(report_id=sys.argv[2]).update(
        narrative="edited-" + sys.argv[2], version=F("version") + 1)
    flush()
"""


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A key, a SQLite store holding a small world linked once, and the world's folder."""
    from uncounted.simulate import simulate_world, write_world

    work = tmp_path_factory.mktemp("crash-runs")
    key = work / "key"
    cli(["keys", "init"], key)
    write_world(simulate_world(seed=11, scale=0.26), work / "world")
    base = work / "base.sqlite3"
    cli(["import", str(work / "world"), "--db", str(base), "--accept-unresolved"], key)
    cli(["link", "--db", str(base), "--seed", "1"], key)
    return key, base, work / "world"


def test_random_kills_during_link_runs_sqlite(
    linked: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    key, base, _ = linked
    # A fast slice: benchmarks/bench_crash.py kills link runs 30 times for the figure.
    trials = link_trials(base, key, tmp_path, n=4, seed=20261127)
    bad = [t for t in trials if t.outcome == "inconsistent"]
    assert bad == [], [t.problem for t in bad]
    # Some kills hit the write itself, not only the computing before it.
    assert any(t.aimed and not t.finished for t in trials)


def test_random_kills_during_web_saves_sqlite(
    linked: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    key, base, _ = linked
    trials = save_trials(base, key, tmp_path, n=4, seed=20261127)
    bad = [t for t in trials if t.outcome == "inconsistent"]
    assert bad == [], [t.problem for t in bad]
    assert sum(t.lost for t in trials) == 0
    # Kills landed mid-series, after some saves had committed.
    assert any(not t.finished and t.outcome != "0 saved" for t in trials)


def test_half_a_link_run_is_seen(linked: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """The judge itself: a linkage that is neither the previous one nor a new one is
    reported (so the trials above can fail)."""
    key, base, _ = linked
    db = tmp_path / "half.sqlite3"
    shutil.copy(base, db)
    export_before, _, _ = export_of(str(db), tmp_path / "before", key)
    known = linkage_of(str(db), key, [])["run_ids"]
    before = linkage_of(str(db), key, known)
    assert judge_link(str(db), tmp_path, key, export_before, before, {}, known)[0] == "before"
    subprocess.run(
        [sys.executable, "-c", HALF_LINK, str(db)], env=_env(key), check=True, capture_output=True
    )
    outcome, problem = judge_link(str(db), tmp_path, key, export_before, before, {}, known)
    assert outcome == "inconsistent" and "report_event" in problem


def test_half_a_save_is_seen(linked: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """The judge itself: a report edited without its mentions, or a logged save missing,
    is reported (so the trials above can fail)."""
    key, base, _ = linked
    db = tmp_path / "half.sqlite3"
    shutil.copy(base, db)
    original = edits_of(str(db), key)
    log = tmp_path / "log"
    report_id = next(r for r, (_, _, names) in original["reports"].items() if names)
    log.write_text(f"{report_id} 2\n", encoding="utf-8")
    outcome, problem, lost = judge_saves(str(db), key, original, log)
    assert (outcome, lost) == ("inconsistent", 1) and "lost" in problem
    # Through the app (so the audit log holds it), a narrative edited without its mentions.
    subprocess.run(
        [sys.executable, "-c", HALF, str(db), report_id],
        env=_env(key),
        check=True,
        capture_output=True,
    )
    outcome, problem, lost = judge_saves(str(db), key, original, tmp_path / "none")
    assert (outcome, lost) == ("inconsistent", 0) and "half saved" in problem


@pytest.mark.store
def test_kill_during_link_and_save_postgresql(
    linked: tuple[Path, Path, Path], pg_database: str, tmp_path: Path
) -> None:
    key, _, world = linked
    cli(["import", str(world), "--db", pg_database, "--accept-unresolved"], key)
    cli(["link", "--db", pg_database, "--seed", "1"], key)
    export_before, ok, _ = export_of(pg_database, tmp_path / "before", key)
    assert ok
    known = linkage_of(pg_database, key, [])["run_ids"]
    before = linkage_of(pg_database, key, known)
    # Killed while its transaction replaces the events: the previous linkage stays whole.
    finished = kill_when_writing(
        pg_database, link_command(pg_database), key, like=("%store_event%", "%store_victim%")
    )
    assert not finished, "the link run ended before its write transaction was seen"
    outcome, problem = judge_link(
        pg_database, tmp_path, key, export_before, before, after={}, known=known
    )
    assert outcome == "before", problem
    # Saves: a few commit, then one is killed mid-transaction; none committed is lost.
    original = edits_of(pg_database, key)
    log = tmp_path / "saves.log"
    finished = kill_when_writing(pg_database, saves_command(pg_database, log), key, skip=5)
    assert not finished
    outcome, problem, lost = judge_saves(pg_database, key, original, log)
    assert outcome != "inconsistent", problem
    assert lost == 0 and log.read_text(encoding="utf-8").count("\n") >= 1
