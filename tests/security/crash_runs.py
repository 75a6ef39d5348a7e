"""Kill a link run or a series of web saves with SIGKILL, then check the store it left.

Shared by ``test_crash_runs.py`` and ``benchmarks/bench_crash.py`` (imports are in
``crash.py``). The store must pass SQLite's integrity and foreign-key checks (SQLite
only), verify its audit log, and:

- after a killed ``uncounted link --db``: hold exactly the previous linkage (runs, events,
  victims, every report's event and every mention's victim) or exactly the one a
  completed run writes, never a mix; the testimony itself unchanged;
- after killed web saves: every save the saver had seen committed is in the store, and
  every report is either as it was or completely edited (the report and all its victim
  mentions), never half.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.security.crash import _env, copy_sqlite, export_of, sqlite_checks

# The linkage a store holds, with the link run's id as "<new>" when it is not one of
# ``known`` runs, and whether its audit log verifies.
LINKAGE = r"""
import json, sys
from uncounted.store.connect import open_store
open_store(sys.argv[1])
from uncounted.store.audit_verify import verify
from uncounted.store.models import Event, Report, Run, Victim, VictimMention
known = set(json.loads(sys.argv[2]))
runs = sorted(str(r) for r in Run.objects.filter(kind="link").values_list("run_id", flat=True))
def name(run_id):
    return "" if run_id is None else (str(run_id) if str(run_id) in known else "<new>")
events = [
    [e, str(s), str(t), p, v, c, name(r)]
    for e, s, t, p, v, c, r in Event.objects.order_by("event_id").values_list(
        "event_id", "date_start", "date_end", "place_id", "victims_estimate", "charges",
        "run__run_id")
]
victims = [
    [v, n, s, e, name(r)]
    for v, n, s, e, r in Victim.objects.order_by("victim_id").values_list(
        "victim_id", "name", "sex", "event__event_id", "run__run_id")
]
result = verify()
print(json.dumps({
    "audit_ok": result.ok,
    "first": str(result.first) if result.first else "",
    "run_ids": runs,
    "runs": sorted(name(r) for r in runs),
    "events": events,
    "victims": victims,
    "report_event": list(Report.objects.order_by("report_id").values_list(
        "report_id", "event__event_id")),
    "mention_victim": list(VictimMention.objects.order_by("mention_id").values_list(
        "mention_id", "victim__victim_id")),
}))
"""

# Edit reports one after another through the web app's save path (``save_report``, what
# the report form and the API call), each save its own transaction; after each commit,
# append "report_id version" to the log and fsync it. Every report's narrative and every
# one of its mentions' names get the same edit mark, so a half-written save shows.
SAVES = r"""
import os, sys
from uncounted.store.connect import open_store
open_store(sys.argv[1])
from uncounted.store.audit import acting_as
from uncounted.store.models import Report
from uncounted.web.report_edit import report_values, save_report
log = open(sys.argv[2], "a", encoding="utf-8")
ids = list(Report.objects.order_by("report_id").values_list("report_id", flat=True))
with acting_as("crash-test"):
    for report_id in ids:
        report = Report.objects.select_related("source", "collection", "interview").get(
            report_id=report_id)
        mark = f"edited-{report_id}"
        values = {**report_values(report), "narrative": mark}
        mentions = [
            {"mention_id": m.mention_id, "name_as_told": mark, "sex": m.sex,
             "age_as_told": m.age_as_told, "charges": m.charges}
            for m in report.mentions.order_by("mention_id")
        ]
        saved, _ = save_report(values, mentions, existing=report, version=report.version,
                               accept_unresolved=True)
        log.write(f"{report_id} {saved.version}\n")
        log.flush()
        os.fsync(log.fileno())
"""

# Every report's narrative and version, and its mentions' names as told.
EDITS = r"""
import json, sys
from uncounted.store.connect import open_store
open_store(sys.argv[1])
from uncounted.store.audit_verify import verify
from uncounted.store.models import Report, VictimMention
names = {}
for report_id, name in VictimMention.objects.values_list("report__report_id", "name_as_told"):
    names.setdefault(report_id, []).append(name)
result = verify()
print(json.dumps({
    "audit_ok": result.ok,
    "first": str(result.first) if result.first else "",
    "reports": {r: [n, v, sorted(names.get(r, []))] for r, n, v in
                Report.objects.values_list("report_id", "narrative", "version")},
}))
"""


def _python(code: str, args: list[str], key: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=_env(key),
        timeout=600,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def linkage_of(db: str, key: Path, known: list[str]) -> dict[str, Any]:
    """The linkage held by the store at ``db`` (runs not in ``known`` named ``<new>``)."""
    return _python(LINKAGE, [db, json.dumps(known)], key)


def edits_of(db: str, key: Path) -> dict[str, Any]:
    return _python(EDITS, [db], key)


# ``uncounted link --db DB`` that touches MARK once the linkage is computed, just before
# it starts writing: lets a kill aim at the write (a small part of the run) as well.
LINK = r"""
import pathlib, sys
import uncounted.link.linkage as linkage
computed, mark = linkage.link_records, pathlib.Path(sys.argv[2])
def marked(*args, **kwargs):
    result = computed(*args, **kwargs)
    mark.touch()
    return result
linkage.link_records = marked
from uncounted.cli import main
sys.argv = ["uncounted", "link", "--db", sys.argv[1], "--seed", "1"]
main()
"""


def link_command(db: str, mark: Path | None = None) -> list[str]:
    """``uncounted link --db db``; with ``mark``, that file appears when writing starts."""
    if mark is None:
        return [sys.executable, "-m", "uncounted.cli", "link", "--db", db, "--seed", "1"]
    return [sys.executable, "-c", LINK, db, str(mark)]


def saves_command(db: str, log: Path) -> list[str]:
    return [sys.executable, "-c", SAVES, db, str(log)]


def kill_after(command: list[str], key: Path, delay: float, mark: Path | None = None) -> bool:
    """Run ``command``, SIGKILL it ``delay`` s after its start (or after ``mark`` appears);
    True if it had finished by then."""
    child = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(key)
    )
    if mark is not None:
        while not mark.exists() and child.poll() is None:
            time.sleep(0.002)
    deadline = time.perf_counter() + delay
    while time.perf_counter() < deadline and child.poll() is None:
        time.sleep(0.01)
    finished = child.poll() is not None
    if not finished:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()
    return finished


def kill_when_writing(
    db_url: str,
    command: list[str],
    key: Path,
    skip: int = 0,
    like: tuple[str, ...] = ("%",),
) -> bool:
    """Run ``command`` against PostgreSQL and SIGKILL it while a transaction of its own
    has written (an xid assigned, seen in ``pg_stat_activity``) and its latest statement
    is ``like`` one of the patterns, after letting ``skip`` such transactions pass; True
    if it finished first."""
    import psycopg

    name = db_url.rsplit("/", 1)[1]
    child = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(key)
    )
    probe = (
        "SELECT backend_xid::text FROM pg_stat_activity WHERE datname = %s "
        "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL AND query ILIKE ANY(%s)"
    )
    seen: set[str] = set()
    with psycopg.connect(db_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as con:
        while child.poll() is None:
            seen |= {str(r[0]) for r in con.execute(probe, [name, list(like)]).fetchall()}
            if len(seen) > skip:
                os.kill(child.pid, signal.SIGKILL)
                child.wait()
                return False
            time.sleep(0.002)
    return True


@dataclass
class Outcome:
    kind: str  # "link" or "save"
    delay: float
    finished: bool
    outcome: str  # link: "before"/"after"; save: "n saved"; or "inconsistent"
    problem: str = ""
    lost: int = 0  # committed saves missing from the store
    aimed: bool = False  # killed during the write itself (link runs)


def judge_link(
    db: str,
    work: Path,
    key: Path,
    export_before: dict[str, str],
    before: dict[str, Any],
    after: dict[str, Any],
    known: list[str],
) -> tuple[str, str]:
    """ "before", "after" or "inconsistent" (with the problem) for a store after a kill."""
    problem = sqlite_checks(Path(db)) if "://" not in db else ""
    files, _, _ = export_of(db, work / "check", key)
    state = linkage_of(db, key, known)
    if not state["audit_ok"]:
        problem = problem or f"audit: {state['first']}"
    if not problem and files != export_before:
        problem = "the testimony changed"
    if problem:
        return "inconsistent", problem
    if _linkage(state) == _linkage(before):
        return "before", ""
    if _linkage(state) == _linkage(after):
        return "after", ""
    differ = [
        "/".join(k for k in _linkage(state) if state[k] != other.get(k))
        for other in (before, after)
    ]
    return "inconsistent", (
        "the linkage is neither the previous one nor a complete new one "
        f"(differs from the previous in {differ[0]}, from the new in {differ[1]})"
    )


def _linkage(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k not in ("audit_ok", "first", "run_ids")}


def judge_saves(db: str, key: Path, original: dict[str, Any], log: Path) -> tuple[str, str, int]:
    """Check a store after killed saves: (outcome, problem, committed saves lost)."""
    problem = sqlite_checks(Path(db)) if "://" not in db else ""
    state = edits_of(db, key)
    if not state["audit_ok"]:
        problem = problem or f"audit: {state['first']}"
    committed = {}
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            report_id, version = line.split()
            committed[report_id] = int(version)
    reports = state["reports"]
    lost = 0
    half = []
    edited = 0
    for report_id, (narrative, version, ages) in reports.items():
        old_narrative, old_version, old_ages = original["reports"][report_id]
        mark = f"edited-{report_id}"
        done = narrative == mark and version == old_version + 1 and all(a == mark for a in ages)
        untouched = [narrative, version, ages] == [old_narrative, old_version, old_ages]
        if len(ages) != len(old_ages) or not (done or untouched):
            half.append(report_id)
        if report_id in committed and (not done or committed[report_id] != version):
            lost += 1
        edited += done
    if set(reports) != set(original["reports"]):
        problem = problem or "reports appeared or disappeared"
    if half:
        problem = problem or f"{len(half)} report(s) half saved, e.g. {half[0]}"
    if lost:
        problem = problem or f"{lost} committed save(s) lost"
    return ("inconsistent" if problem else f"{edited} saved"), problem, lost


def _fresh(base: Path, db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    copy_sqlite(base, db)


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def link_trials(base: Path, key: Path, work: Path, n: int, seed: int) -> list[Outcome]:
    """``n`` kills of ``uncounted link`` on copies of the linked SQLite store ``base``.

    Half the kill moments are uniform over the time a whole link run takes (most land
    while it computes); the other half are uniform over its writing, which starts once
    the linkage is computed (a small part of the run, and the one that matters)."""
    rng = random.Random(seed)
    export_before, _, _ = export_of(str(base), work / "before", key)
    # Runs already in the store keep their ids; the killed run's is "<new>".
    known = linkage_of(str(base), key, [])["run_ids"]
    before = linkage_of(str(base), key, known)
    done_db = work / "link-done.sqlite3"
    _fresh(base, done_db)
    mark = work / "link-writing"
    mark.unlink(missing_ok=True)
    seconds = _timed(
        lambda: subprocess.run(
            link_command(str(done_db), mark), env=_env(key), check=True, capture_output=True
        )
    )
    writing = max(time.time() - mark.stat().st_mtime, 0.05)  # from the mark to the exit
    after = linkage_of(str(done_db), key, known)
    trials = []
    for i in range(n):
        db = work / "link-trial.sqlite3"
        _fresh(base, db)
        mark.unlink(missing_ok=True)
        aim = i % 2 == 1
        delay = rng.uniform(0.0, (writing if aim else seconds) * 1.1)
        finished = kill_after(link_command(str(db), mark), key, delay, mark if aim else None)
        outcome, problem = judge_link(str(db), work, key, export_before, before, after, known)
        trials.append(Outcome("link", delay, finished, outcome, problem, aimed=aim))
    return trials


def save_trials(base: Path, key: Path, work: Path, n: int, seed: int) -> list[Outcome]:
    """``n`` kills of a series of report edits on copies of the SQLite store ``base``, at
    moments uniform over the time the whole series takes."""
    rng = random.Random(seed)
    original = edits_of(str(base), key)
    done_db = work / "save-done.sqlite3"
    _fresh(base, done_db)
    log = work / "saves.log"
    log.unlink(missing_ok=True)
    seconds = _timed(
        lambda: subprocess.run(
            saves_command(str(done_db), log), env=_env(key), check=True, capture_output=True
        )
    )
    trials = []
    for _ in range(n):
        db = work / "save-trial.sqlite3"
        _fresh(base, db)
        log.unlink(missing_ok=True)
        delay = rng.uniform(0.0, seconds * 1.1)
        finished = kill_after(saves_command(str(db), log), key, delay)
        outcome, problem, lost = judge_saves(str(db), key, original, log)
        trials.append(Outcome("save", delay, finished, outcome, problem, lost))
    return trials
