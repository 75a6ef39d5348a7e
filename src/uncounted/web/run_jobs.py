"""Start a link or estimate run from the web app.

A run is recorded at once (status ``running``) and carried out in a background thread
so that the page answers immediately; its row ends ``done`` with the results, or
``failed`` with the reason. While it runs, its results name the server process (host and
process id): a run whose process was killed is marked failed, "interrupted", the next
time runs are listed or started (:func:`reap_interrupted`). The work itself belongs to the pipeline: each kind names a
callable ``f(run: Run) -> dict`` (the results to save) in :data:`RUNNERS`. Where that
callable does not exist yet, the run fails saying so.
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection

from uncounted import __version__
from uncounted.store.audit import acting_as
from uncounted.store.models import Run

RUNNERS: dict[str, str] = {
    "link": "uncounted.pipeline:run_link",
    "estimate": "uncounted.pipeline:run_estimate",
}


def runner(kind: str) -> Callable[[Run], dict[str, Any]] | None:
    """The pipeline callable for ``kind``, or None when it is not available."""
    target = RUNNERS.get(kind)
    if target is None:
        return None
    module_name, _, name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    found = getattr(module, name, None)
    return found if callable(found) else None


def start_run(kind: str, created_by: str, options: dict[str, Any] | None = None) -> Run:
    """Record a run of ``kind`` and start it; returns the row (status ``running``)."""
    if kind not in RUNNERS:
        raise ValueError(f"unknown run kind {kind!r}; expected one of {sorted(RUNNERS)}")
    reap_interrupted()
    run = Run.objects.create(
        kind=kind,
        created_by=created_by,
        settings=dict(options or {}),
        version=__version__,
        status="running",
        results={PROCESS: {"host": socket.gethostname(), "pid": os.getpid()}},
    )
    if getattr(settings, "UNCOUNTED_RUNS_IN_THREAD", True):
        threading.Thread(target=_carry_out, args=(run.pk, True), daemon=True).start()
    else:
        _carry_out(run.pk, False)
    return run


PROCESS = "process"
"""Key of a running run's results that names the server process carrying it out."""
INTERRUPTED = "interrupted: the server process stopped before the run finished"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def reap_interrupted() -> int:
    """Mark ``failed`` the runs left ``running`` by a server process of this host that
    no longer exists (killed, or the machine restarted); returns how many.

    A run is carried out in a thread of the server that started it, so when that
    process is gone the run is over. Runs of other hosts are left alone (their
    processes cannot be seen from here); a process id reused since is taken as alive.
    """
    host = socket.gethostname()
    reaped = 0
    with acting_as("uncounted:interrupted-runs"):
        reaped = _reap(host)
    return reaped


def _reap(host: str) -> int:
    reaped = 0
    for run in Run.objects.filter(status="running"):
        process = run.results.get(PROCESS) if isinstance(run.results, dict) else None
        if not isinstance(process, dict) or process.get("host") != host:
            continue
        pid = process.get("pid")
        if isinstance(pid, int) and not _alive(pid):
            run.status = "failed"
            run.results = {"error": INTERRUPTED}
            run.save(update_fields=["status", "results"])
            reaped += 1
    return reaped


def _carry_out(pk: int, own_thread: bool) -> None:
    # Only a thread of its own has connections of its own to manage: run inside the
    # request, closing them would close the request's (and a test's) connection.
    if own_thread:
        close_old_connections()
    try:
        run = Run.objects.get(pk=pk)
        work = runner(run.kind)
        if work is None:
            run.status = "failed"
            run.results = {"error": f"{run.kind} runs are not available in this version"}
        else:
            try:
                run.results = work(run)
                run.status = "done"
            except Exception as exc:  # a failed run is recorded, never raised into a page
                run.status = "failed"
                run.results = {"error": f"{type(exc).__name__}: {exc}"}
        run.save(update_fields=["status", "results"])
    finally:
        if own_thread:
            connection.close()
