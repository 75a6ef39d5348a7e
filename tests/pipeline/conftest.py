"""One demo run shared by the pipeline tests (it takes tens of seconds: run it once)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "uncounted.cli"]


def run_cli(*args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """Run ``uncounted ARGS`` in a fresh process, with no database chosen by the caller."""
    env = dict(os.environ)
    env.pop("UNCOUNTED_DB", None)
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=timeout)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``uncounted demo --out DIR --seed 1``, run once."""
    out = tmp_path_factory.mktemp("demo")
    done = run_cli("demo", "--out", str(out), "--seed", "1")
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def korean_report(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``uncounted report`` on the demo's casebook: Korean, k = 5, boundaries, own claims."""
    work = tmp_path_factory.mktemp("report")
    claims = work / "claims.csv"
    claims.write_text(
        "claim_id,source,citation,quantity,period_start,period_end,region,value,kind\n"
        'OWN-1,Test,"A made-up total",events,2000,2014,KP,700,total\n'
        'OWN-2,Test,"A made-up floor",people,2008,2009,,2000,at_least\n',
        encoding="utf-8",
    )
    boundaries = work / "boundaries.geojson"
    boundaries.write_text(square_provinces(), encoding="utf-8")
    out = work / "out"
    done = run_cli(
        "report",
        "--db",
        str(demo_dir / "casebook.sqlite3"),
        "--out",
        str(out),
        "--lang",
        "ko",
        "--min-cell",
        "5",
        "--boundaries",
        str(boundaries),
        "--claims",
        str(claims),
        "--linkage",
        "truth",
        "--truth-links",
        str(demo_dir / "world" / "truth" / "report_event.csv"),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def square_provinces() -> str:
    """A GeoJSON of one square per first-level unit, keyed as geoBoundaries keys them."""
    import json

    from uncounted.report.tilemap import TILES

    features = []
    for code, (col, row) in TILES.items():
        x, y = 124.0 + col, 42.0 - row
        ring = [[x, y], [x + 1, y], [x + 1, y - 1], [x, y - 1], [x, y]]
        features.append(
            {
                "type": "Feature",
                "properties": {"shapeISO": code, "shapeName": code},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features})
