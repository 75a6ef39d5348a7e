"""Load: 20 concurrent clients browsing list and search pages over 100,000 reports.

Goal (issue 6): p95 latency under 300 ms and no errors, on SQLite, with the app served by
``uncounted serve`` (gunicorn) on the 2-core machine. Traffic goes to 127.0.0.1 only and
is bounded: each client makes at most ``REQUESTS_PER_CLIENT`` requests and the whole run
stops after ``MAX_SECONDS``.

Each client signs in as an analyst (its own session) and then, in a loop, opens a page
from the mix below (report lists at several pages and sorts, searches, filters by year,
province, charge, how the source knows and collection, the other lists), pausing
``THINK`` seconds (uniformly random) between pages as a person reading a list does.
``--no-think`` runs the same loop with no pause: a saturation test, reported beside it.

Usage: ``python benchmarks/bench_web.py [--reports N] [--no-think]``.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

TARGET_REPORTS = 100_000
CLIENTS = 20
REQUESTS_PER_CLIENT = 60
MAX_SECONDS = 240.0
THINK = (0.5, 1.5)
PASSWORD = "bench-password-not-secret-1"
CLI = [sys.executable, "-m", "uncounted.cli"]

PAGES = [
    "/reports/",
    "/reports/?page={page}",
    "/reports/?sort=-date&page={page}",
    "/reports/?sort=province",
    "/reports/?q={search}",
    "/reports/?q={search}&narrative=1",
    "/reports/?q=R-{digits}",
    "/reports/?year={year}",
    "/reports/?year={year}&province={province}",
    "/reports/?province={province}&charge={charge}",
    "/reports/?how_known={how_known}&sort=-date",
    "/reports/?collection={collection}&page={page}",
    "/reports/?charge={charge}&year={year}&page=2",
    "/sources/?page={page}",
    "/sources/?q=W",
    "/interviews/?page={page}",
    "/collections/",
    "/events/",
]


def _fill(template: str, rng: random.Random, collections: list[str]) -> str:
    return template.format(
        page=rng.randint(1, 40),
        search=rng.choice(["혜산", "Hoeryong", "market", "장마당", "2008", "봄", "Onsong"]),
        digits=rng.randint(0, 99),
        year=rng.randint(2000, 2014),
        province=rng.choice(["KP-09", "KP-10", "KP-08", "KP-04", "KP-01"]),
        charge=rng.choice(["drugs", "smuggling", "media", "murder", "theft_state_property"]),
        how_known=rng.choice(["saw", "heard", "announcement"]),
        collection=rng.choice(collections),
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sign_in(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    data = urllib.parse.urlencode(
        {"username": "bench", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(
        base + "/accounts/login/", data=data, headers={"Referer": base}
    )
    opener.open(request, timeout=30).read()
    assert any(c.name == "sessionid" for c in jar), "sign-in failed"
    return opener


def _client(
    base: str,
    seed: int,
    think: bool,
    deadline: float,
    collections: list[str],
    out: list[tuple[str, float, int]],
    errors: list[str],
) -> None:
    rng = random.Random(seed)
    try:
        opener = _sign_in(base)
    except Exception as exc:  # counted, never hidden
        errors.append(f"sign-in: {exc}")
        return
    for _ in range(REQUESTS_PER_CLIENT):
        if time.monotonic() > deadline:
            return
        template = rng.choice(PAGES)
        path = urllib.parse.quote(_fill(template, rng, collections), safe="/?=&-_.")
        start = time.perf_counter()
        try:
            with opener.open(base + path, timeout=30) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except Exception as exc:
            errors.append(f"{path}: {exc}")
            continue
        elapsed = time.perf_counter() - start
        out.append((template, elapsed, status))
        if status != 200:
            errors.append(f"{path}: HTTP {status}")
        if think:
            time.sleep(rng.uniform(*THINK))


def _prepare(work: Path, n_reports: int) -> tuple[Path, int]:
    from uncounted.simulate import simulate_world, write_world

    probe = simulate_world(seed=1, scale=1.0)
    scale = n_reports / max(len(probe.reports), 1)
    world = simulate_world(seed=1, scale=scale)
    while len(world.reports) < n_reports:
        scale *= 1.02 * n_reports / len(world.reports)
        world = simulate_world(seed=1, scale=scale)
    write_world(world, work / "world")
    db = work / "bench.sqlite3"
    env = _env(work)
    subprocess.run(
        [*CLI, "import", str(work / "world"), "--db", str(db)],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*CLI, "createuser", "bench", "--role", "analyst", "--db", str(db)],
        input=PASSWORD + "\n",
        text=True,
        env=env,
        check=True,
        capture_output=True,
    )
    return db, len(world.reports)


def _env(work: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"UNCOUNTED_DB", "DJANGO_SETTINGS_MODULE"}
    }
    env["UNCOUNTED_SECRET_KEY_FILE"] = str(work / "secret-key")
    if "UNCOUNTED_KEY_FILE" not in env:
        key = work / "identity.key"
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; "
                "from uncounted.store.crypto import new_keyring, write_key_file; "
                "write_key_file(Path(sys.argv[1]), new_keyring())",
                str(key),
            ],
            check=False,
            capture_output=True,
        )
        if key.exists():
            env["UNCOUNTED_KEY_FILE"] = str(key)
    return env


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run(
    base: str, think: bool, collections: list[str]
) -> tuple[list[tuple[str, float, int]], list[str], float]:
    out: list[tuple[str, float, int]] = []
    errors: list[str] = []
    start = time.monotonic()
    deadline = start + MAX_SECONDS
    threads = [
        threading.Thread(target=_client, args=(base, i, think, deadline, collections, out, errors))
        for i in range(CLIENTS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(MAX_SECONDS + 60)
    return out, errors, time.monotonic() - start


def report(label: str, out: list[tuple[str, float, int]], errors: list[str], wall: float) -> float:
    times = [t for _, t, _ in out]
    p95 = _percentile(times, 0.95) * 1000
    print(
        f"web {label}: {len(out):,} requests from {CLIENTS} clients in {wall:.1f} s "
        f"({len(out) / wall:.1f}/s); median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {p95:.0f} ms, p99 {_percentile(times, 0.99) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms; errors {len(errors)}"
    )
    by_page: dict[str, list[float]] = {}
    for template, t, _ in out:
        by_page.setdefault(template, []).append(t)
    slowest = sorted(by_page.items(), key=lambda kv: -_percentile(kv[1], 0.95))[:4]
    for template, values in slowest:
        print(f"   p95 {_percentile(values, 0.95) * 1000:5.0f} ms  {template}")
    for e in errors[:5]:
        print(f"   error: {e}")
    return p95


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=TARGET_REPORTS)
    parser.add_argument("--no-think", action="store_true", help="also run without pauses")
    parser.add_argument(
        "--db", help="reuse a store made by an earlier run (with the user 'bench'), kept after"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        if args.db:
            db = Path(args.db)
        else:
            db, n = _prepare(work, args.reports)
            print(f"web: {n:,} reports simulated and imported in {time.perf_counter() - t0:.0f} s")
        collections = _collections(db)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = (work / "serve.log").open("w")
        server = subprocess.Popen(
            [
                *CLI,
                "serve",
                "--db",
                str(db),
                "--port",
                str(port),
                "--workers",
                "2",
                "--threads",
                "8",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_env(work),
            start_new_session=True,
        )
        try:
            _wait(base, server)
            out, errors, wall = run(base, True, collections)
            p95 = report("browsing (think 0.5-1.5 s)", out, errors, wall)
            ok = p95 < 300 and not errors
            print(f"web: goal p95 < 300 ms with no errors: {'met' if ok else 'NOT met'}")
            if args.no_think:
                out, errors, wall = run(base, False, collections)
                report("saturation (no think time)", out, errors, wall)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
    return 0 if ok else 1


def _collections(db: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(db) as connection:
        n = connection.execute("SELECT COUNT(*) FROM store_report").fetchone()[0]
        print(f"web: {n:,} reports in the store")
        ids = [r[0] for r in connection.execute("SELECT collection_id FROM store_collection")]
    return ids or ["C01"]


def _wait(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    raise SystemExit(main())
