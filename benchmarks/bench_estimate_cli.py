"""Time ``uncounted estimate`` as a user meets it.

Goals (brief): a small file answers in under 2 s from a cold start; ``--method all`` on
kosovo.csv (4,400 items, 4 lists; LCMCR at its default 110,000 sweeps) under 30 s in total.
Each run is a fresh process, so import time is included; ``seconds`` in the JSON is fitting
time alone.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "uncounted.cli", "estimate"]
MSE = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mse"
SMALL_INCIDENCE = "k,count\n1,6\n2,4\n3,5\n4,2\n6,2\n"
SMALL_HISTORIES = (
    "A,B,C,count\n1,0,0,120\n0,1,0,95\n0,0,1,80\n1,1,0,30\n1,0,1,25\n0,1,1,22\n1,1,1,9\n"
)


def timed(args: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    out = subprocess.run([*CLI, *args], capture_output=True, text=True, check=False)
    return time.perf_counter() - start, out


def startup(folder: Path) -> None:
    incidence = folder / "small_freq.csv"
    incidence.write_text(SMALL_INCIDENCE, encoding="utf-8")
    histories = folder / "small.csv"
    histories.write_text(SMALL_HISTORIES, encoding="utf-8")
    cases = [[str(incidence), "--method", m, "--units", "11", "--json"] for m in ("chao2", "all")]
    cases += [[str(histories), "--method", m, "--json"] for m in ("loglinear", "closedp", "dga")]
    for args in cases:
        walls = []
        for _ in range(5):
            wall, out = timed(args)
            if out.returncode != 0:
                print(f"  {args[2]} on {Path(args[0]).name}: failed ({out.stderr.strip()[:120]})")
                break
            walls.append(wall)
        else:
            print(
                f"  {args[2]:>9} on {Path(args[0]).name:<15} wall: min {min(walls):.2f} s, "
                f"median {statistics.median(walls):.2f} s (goal < 2 s)"
            )


def kosovo_all() -> None:
    path = MSE / "kosovo.csv"
    if not path.exists():
        print(f"  kosovo.csv not found at {path}: skipped")
        return
    wall, out = timed([str(path), "--method", "all", "--seed", "1", "--json"])
    if out.returncode != 0:
        print(f"  all on kosovo: failed ({out.stderr.strip()[:200]})")
        return
    print(f"  all on kosovo.csv: {wall:.1f} s wall in total (goal < 30 s)")
    for item in json.loads(out.stdout):
        shown = "failed: " + item["error"] if item.get("error") else f"{item['estimate']:,.0f}"
        print(f"    {item['method']:>9}: {item['seconds']:6.2f} s fitting, estimate {shown}")


def main() -> None:
    print("start-up (5 fresh processes each):")
    with tempfile.TemporaryDirectory() as tmp:
        startup(Path(tmp))
    print("every capture method on kosovo:")
    kosovo_all()


if __name__ == "__main__":
    main()
