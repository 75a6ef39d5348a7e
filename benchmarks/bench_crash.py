"""100 SIGKILLs at random moments during imports, link runs and web saves into SQLite
(goal, issue 7: 0 inconsistent stores, 0 committed rows lost).

- Imports (40 by default): a store holding half a simulated world is copied for every
  trial; the whole world is imported into the copy and the import killed at a moment
  drawn uniformly over the time a whole import takes. The store must pass SQLite's
  integrity and foreign-key checks, verify its audit log, and export exactly as before
  the import (nothing written) or exactly as after a complete one (all of it).
- Link runs (30): a linked store is copied and ``uncounted link --db`` killed, half the
  time at a moment uniform over the run, half within its write. The store must verify
  and hold exactly the previous linkage or exactly the complete new one.
- Web saves (30): every report of the copy is edited in turn through the web app's save
  path, each save its own transaction, and the series killed at a random moment. Every
  save the saver saw committed must be in the store, and no report half edited.

Usage: ``python benchmarks/bench_crash.py [KILLS]`` (KILLS split 40/30/30 in proportion).
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
    from tests.security.crash_runs import link_trials, save_trials

    from uncounted.simulate import simulate_world, write_world

    n_link = n_save = KILLS * 3 // 10
    n_import = KILLS - n_link - n_save
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        key = work / "key"
        cli(["keys", "init"], key)
        write_world(simulate_world(seed=11, scale=0.6), work / "b")
        half_of(work / "b", work / "a")
        base = work / "base.sqlite3"
        cli(["import", str(work / "a"), "--db", str(base), "--accept-unresolved"], key)
        start = time.perf_counter()
        imports = run_trials(base, work / "b", key, work, n=n_import, seed=7)
        rows.append(
            (
                "imports",
                len(imports),
                sum(not t.finished for t in imports),
                Counter(t.outcome for t in imports),
                0,  # before or after, row for row: nothing committed lost
                [f"kill at {t.delay:.2f} s: {t.problem}" for t in imports if t.problem],
                time.perf_counter() - start,
            )
        )

        write_world(simulate_world(seed=11, scale=0.26), work / "small")
        linked = work / "linked.sqlite3"
        cli(["import", str(work / "small"), "--db", str(linked), "--accept-unresolved"], key)
        cli(["link", "--db", str(linked), "--seed", "1"], key)
        for kind, trials_of, n in (
            ("link runs", link_trials, n_link),
            ("saves", save_trials, n_save),
        ):
            start = time.perf_counter()
            trials = trials_of(linked, key, work, n=n, seed=7)
            outcomes = Counter(
                "inconsistent" if t.outcome == "inconsistent" else t.outcome.split()[-1]
                for t in trials
            )
            rows.append(
                (
                    kind,
                    len(trials),
                    sum(not t.finished for t in trials),
                    outcomes,
                    sum(t.lost for t in trials),
                    [f"kill at {t.delay:.2f} s: {t.problem}" for t in trials if t.problem],
                    time.perf_counter() - start,
                )
            )

    total_kills = sum(r[1] for r in rows)
    total_bad = sum(r[3]["inconsistent"] for r in rows)
    total_lost = sum(r[4] for r in rows)
    print(f"crash: {total_kills} SIGKILLs on SQLite")
    print(f"  {'what':<10} {'kills':>5} {'mid-run':>7} {'inconsistent':>12} {'lost':>5}  outcomes")
    for kind, n, interrupted, outcomes, lost, problems, seconds in rows:
        shown = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
        print(
            f"  {kind:<10} {n:>5} {interrupted:>7} {outcomes['inconsistent']:>12} {lost:>5}"
            f"  {shown} ({seconds:.0f} s)"
        )
        for problem in problems:
            print(f"    {problem}")
    print(
        f"  total: {total_kills} kills, {total_bad} inconsistent stores, "
        f"{total_lost} committed rows lost"
    )
    if total_bad or total_lost:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
