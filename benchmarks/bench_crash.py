"""100 SIGKILLs at random moments during imports into SQLite (goal, issue 7: 0 inconsistent
stores, 0 committed rows lost).

A store holding half a simulated world is copied for every trial; the whole world is
imported into the copy and the import killed at a moment drawn uniformly over the time
a whole import takes. The store left behind must pass SQLite's integrity and foreign-key
checks, verify its audit log, and export exactly as before the import (nothing written)
or exactly as after a complete one (all of it).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

KILLS = int(sys.argv[1]) if len(sys.argv) > 1 else 100


def main() -> None:
    from tests.security.crash import cli, half_of, run_trials

    from uncounted.simulate import simulate_world, write_world

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        key = work / "key"
        cli(["keys", "init"], key)
        write_world(simulate_world(seed=11, scale=0.6), work / "b")
        half_of(work / "b", work / "a")
        base = work / "base.sqlite3"
        cli(["import", str(work / "a"), "--db", str(base), "--accept-unresolved"], key)
        start = time.perf_counter()
        trials = run_trials(base, work / "b", key, work, n=KILLS, seed=7)
        seconds = time.perf_counter() - start
    outcomes = Counter(t.outcome for t in trials)
    interrupted = sum(not t.finished for t in trials)
    print(
        f"crash: {KILLS} kills ({interrupted} mid-import) in {seconds:.0f} s: "
        f"{outcomes['before']} left the store as before, {outcomes['after']} as after, "
        f"{outcomes['inconsistent']} inconsistent; committed rows lost: 0 when no "
        "store is inconsistent"
    )
    for t in trials:
        if t.outcome == "inconsistent":
            print(f"  kill at {t.delay:.2f} s: {t.problem}")
    if outcomes["inconsistent"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
