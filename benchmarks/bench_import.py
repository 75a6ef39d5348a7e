"""Import 100,000 simulated reports into a fresh SQLite store.

Goal (issue 2): under 60 s, peak memory under 4 GB on the 2-core machine.
The world is simulated first (not timed); the import runs in a child process so its
peak resident memory is measured alone.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_REPORTS = 100_000
CHILD = r"""
import json, os, sys, time, resource
os.environ["UNCOUNTED_DB"] = sys.argv[2]
from uncounted.store.connect import open_store
open_store(sys.argv[2])
from uncounted.ingest.load import import_path
t = time.perf_counter()
result = import_path(sys.argv[1])
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak,
                  "rows": {k: v.created for k, v in result.counts.items()}}))
"""


def main() -> None:
    from uncounted.simulate import simulate_world, write_world

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        probe = simulate_world(seed=1, scale=1.0)
        scale = TARGET_REPORTS / max(len(probe.reports), 1)
        world = simulate_world(seed=1, scale=scale)
        while len(world.reports) < TARGET_REPORTS:
            scale *= 1.02 * TARGET_REPORTS / len(world.reports)
            world = simulate_world(seed=1, scale=scale)
        write_world(world, work / "world")
        n = len(world.reports)
        if not os.environ.get("UNCOUNTED_KEY_FILE"):
            # Identities are encrypted at rest (issue 7): the import needs a key.
            from uncounted.store.crypto import new_keyring, write_key_file

            write_key_file(work / "key", new_keyring())
            os.environ["UNCOUNTED_KEY_FILE"] = str(work / "key")
        db = str(work / "bench.sqlite3")
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(work / "world"), db],
            capture_output=True,
            text=True,
            check=True,
        )
        wall = time.perf_counter() - start
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"import: {n:,} reports, {len(world.victim_mentions):,} mentions, "
            f"{len(world.sources):,} sources (scale {scale:.1f})"
        )
        print(
            f"import: {figures['seconds']:.1f} s in import_path, {wall:.1f} s with start-up "
            f"and migrations; goal < 60 s"
        )
        print(f"import: peak memory {max(figures['peak_mb'], child_peak):,.0f} MB; goal < 4,096 MB")
        print(f"import: rows created {figures['rows']}")


if __name__ == "__main__":
    main()
