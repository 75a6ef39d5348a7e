"""Kill an import with SIGKILL at a random moment, then check the store it left.

Shared by the crash tests and ``benchmarks/bench_crash.py``. A store is *consistent*
when SQLite's integrity and foreign-key checks pass (SQLite only), the audit log
verifies, and its export (identities included) equals either the export before the
killed import or the export after a completed one: an import is all or nothing, and
nothing committed before it may be lost.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

CHECK = r"""
import json, sys
from uncounted.store.connect import open_store
open_store(sys.argv[1])
from uncounted.ingest.export import export_store
from uncounted.store.audit_verify import verify
export_store(sys.argv[2], with_identities=True)
result = verify()
print(json.dumps({"audit_ok": result.ok, "first": str(result.first) if result.first else ""}))
"""


def half_of(world: Path, out: Path) -> None:
    """Write to ``out`` the first half of ``world``'s reports (and their mentions)."""
    import csv

    out.mkdir()
    shutil.copy(world / "collections.csv", out)
    shutil.copy(world / "sources.csv", out)
    with (world / "reports.csv").open(encoding="utf-8", newline="") as handle:
        reports = list(csv.reader(handle))
    kept = reports[: 1 + (len(reports) - 1) // 2]
    ids = {r[0] for r in kept[1:]}
    with (world / "victim_mentions.csv").open(encoding="utf-8", newline="") as handle:
        mentions = list(csv.reader(handle))
    for name, rows in (
        ("reports", kept),
        ("victim_mentions", [mentions[0]] + [m for m in mentions[1:] if m[1] in ids]),
    ):
        with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)


def _env(key: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "UNCOUNTED_DB"}
    env["UNCOUNTED_KEY_FILE"] = str(key)
    return env


def cli(args: list[str], key: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uncounted.cli", *args],
        capture_output=True,
        text=True,
        env=_env(key),
        timeout=600,
        check=True,
    )


def export_of(db: str, out: Path, key: Path) -> tuple[dict[str, str], bool, str]:
    """The export of the store at ``db`` (file name -> text) and whether its audit verifies."""
    done = subprocess.run(
        [sys.executable, "-c", CHECK, db, str(out)],
        capture_output=True,
        text=True,
        env=_env(key),
        timeout=600,
        check=True,
    )
    status = json.loads(done.stdout.strip().splitlines()[-1])
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}
    shutil.rmtree(out)
    return files, bool(status["audit_ok"]), str(status["first"])


@dataclass
class Trial:
    delay: float
    finished: bool
    outcome: str  # "before", "after" or "inconsistent"
    problem: str = ""


def copy_sqlite(src: Path, dst: Path) -> None:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def kill_import(db: str, world: Path, key: Path, delay: float) -> bool:
    """Start ``uncounted import`` and SIGKILL it after ``delay`` s; True if it had finished."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uncounted.cli",
            "import",
            str(world),
            "--db",
            db,
            "--accept-unresolved",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(key),
    )
    time.sleep(delay)
    finished = child.poll() is not None
    if not finished:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()
    return finished


def kill_import_mid_transaction(db_url: str, world: Path, key: Path) -> bool:
    """Start an import into PostgreSQL and SIGKILL it as soon as its transaction has
    written (an xid is assigned, seen in ``pg_stat_activity``); True if it finished first.

    Waiting for the transaction to be a fixed age instead is flaky: on an idle machine
    the whole write can take less than that."""
    import psycopg

    name = db_url.rsplit("/", 1)[1]
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uncounted.cli",
            "import",
            str(world),
            "--db",
            db_url,
            "--accept-unresolved",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(key),
    )
    probe = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
        "AND xact_start IS NOT NULL AND backend_xid IS NOT NULL"
    )
    with psycopg.connect(db_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as con:
        while child.poll() is None:
            row = con.execute(probe, [name]).fetchone()
            if row is not None and row[0]:
                os.kill(child.pid, signal.SIGKILL)
                child.wait()
                return False
            time.sleep(0.005)
    return True


def sqlite_checks(db: Path) -> str:
    with sqlite3.connect(db) as con:
        if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return "integrity check failed"
        if con.execute("PRAGMA foreign_key_check").fetchall():
            return "foreign key check failed"
    return ""


def judge(
    db: str, work: Path, key: Path, before: dict[str, str], after: dict[str, str]
) -> tuple[str, str]:
    problem = sqlite_checks(Path(db)) if "://" not in db else ""
    files, audit_ok, first = export_of(db, work / "check", key)
    if not audit_ok:
        problem = problem or f"audit: {first}"
    if problem:
        return "inconsistent", problem
    if files == before:
        return "before", ""
    if files == after:
        return "after", ""
    return "inconsistent", "export matches neither the store before nor after the import"


def run_trials(base: Path, world: Path, key: Path, work: Path, n: int, seed: int) -> list[Trial]:
    """``n`` kills of an import of ``world`` into copies of the SQLite store ``base``.

    The kill moments are uniform over the time a whole import takes (start-up included),
    so some land before the write starts, most during it, a few after the commit.
    """
    rng = random.Random(seed)
    before, _, _ = export_of(str(base), work / "before", key)
    done_db = work / "done.sqlite3"
    copy_sqlite(base, done_db)
    start = time.perf_counter()
    cli(["import", str(world), "--db", str(done_db), "--accept-unresolved"], key)
    import_seconds = time.perf_counter() - start
    after, _, _ = export_of(str(done_db), work / "after", key)
    trials = []
    for _ in range(n):
        db = work / "trial.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        copy_sqlite(base, db)
        delay = rng.uniform(0.0, import_seconds * 1.1)
        finished = kill_import(str(db), world, key, delay)
        outcome, problem = judge(str(db), work, key, before, after)
        trials.append(Trial(delay, finished, outcome, problem))
    return trials
