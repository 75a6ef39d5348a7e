"""Verify an audit log of 1,000,000 entries (goal, issue 7: under 30 s).

The chain is written straight into a fresh SQLite store (not timed): 333,334 report
rows each created, updated and deleted, so the stored record agrees with the log and
verification does its full work (every hash, every link, every row's last state).
Then ``uncounted audit verify`` runs in a child process and is timed end to end.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENTRIES = 1_000_002  # 333,334 rows x 3 changes: just over a million


def build(db: Path) -> None:
    from uncounted.store.audit import GENESIS, entry_hash, row_digest

    rows = []
    prev = GENESIS
    seq = 0
    for row in range(1, ENTRIES // 3 + 1):
        states = ["", row_digest([row, "created"]), row_digest([row, "updated"]), ""]
        for action, before, after in zip(
            ("create", "update", "delete"), states[:3], states[1:], strict=True
        ):
            seq += 1
            at = f"2026-01-01T00:00:{seq % 60:02d}.000000Z"
            digest = entry_hash(
                prev, seq, at, "bench", action, "store.report", str(row), before, after
            )
            rows.append(
                (seq, at, "bench", action, "store.report", str(row), before, after, prev, digest)
            )
            prev = digest
    with sqlite3.connect(db) as con:
        con.executemany(
            'INSERT INTO store_auditentry (seq, at, actor, action, "table", row_key, before, '
            "after, prev_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "audit.sqlite3"
        env = {**os.environ, "UNCOUNTED_DB": str(db)}
        cli = [sys.executable, "-m", "uncounted.cli"]
        subprocess.run(
            [*cli, "audit", "verify", "--db", str(db)], env=env, check=True, capture_output=True
        )
        build(db)
        start = time.perf_counter()
        out = subprocess.run(
            [*cli, "audit", "verify", "--db", str(db)], env=env, capture_output=True, text=True
        )
        seconds = time.perf_counter() - start
        print(out.stdout.strip() or out.stderr.strip())
        print(f"audit verify: {ENTRIES:,} entries in {seconds:.1f} s (goal < 30 s)")
        if out.returncode != 0 or seconds >= 30:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
