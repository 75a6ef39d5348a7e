"""``uncounted report`` and ``uncounted rerun``: casebook -> link -> estimate -> publish."""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from uncounted import __version__
from uncounted.errors import ConfigurationError

Progress = Callable[[str], None]
PACKAGES = ("numpy", "scipy", "pandas", "matplotlib", "numba", "splink", "duckdb", "django")


@dataclass
class ReportRun:
    """What a report run wrote, and how long each stage took."""

    out: Path
    summary: dict[str, Any]
    stages: dict[str, float] = field(default_factory=dict)


class _StageClock:
    """Times named stages; each call ends the running stage and starts the next."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = {}
        self.current = ""
        self.started = time.perf_counter()

    def stage(self, name: str) -> None:
        now = time.perf_counter()
        if self.current:
            self.seconds[self.current] = self.seconds.get(self.current, 0.0) + now - self.started
        self.current, self.started = name, now
        if self.progress is not None and name:
            self.progress(name)


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages whose code shapes the figures."""
    versions = {"python": platform.python_version(), "uncounted": __version__}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def public_db(db: str) -> str:
    """The store's location without any password (a URL's credentials stay private)."""
    if "://" not in db:
        return str(Path(db).expanduser().resolve())
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(db)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, "", ""))


def consent_note(reports: int, mentions: int) -> str:
    """What the report says about testimony it counts but may not quote."""
    return (
        f"{reports:,} report(s) are confidential or told by sources who have not consented "
        f"to publication, and {mentions:,} victim mention(s) lack consent: all are counted "
        "in every figure and estimate, and no report's own words, dates, places or names "
        "are published (figures are aggregates; cells from fewer reports than the minimum "
        "are suppressed)."
    )


def run_report(
    db: str | None,
    out: Path,
    settings: Any,
    *,
    truth: dict[str, Any] | None = None,
    expect_sha256: str | None = None,
    progress: Progress | None = None,
) -> ReportRun:
    """Read the casebook at ``db``, link, estimate and write the report into ``out``.

    Parameters
    ----------
    settings : ReportSettings
    truth : dict, optional
        For simulated worlds: the truth shown beside every estimate.
    expect_sha256 : str, optional
        Refuse to run unless the casebook's content hash is this (``rerun``).
    progress : callable, optional
        Called with the name of each stage as it starts: ``read``, ``link``, ``events``,
        ``headline``, ``methods``, ``sensitivity``, ``publish``.
    """
    from uncounted.pipeline.casebook import read_casebook
    from uncounted.pipeline.linking import link_reports
    from uncounted.report.accounting import build_accounting
    from uncounted.report.claims import read_claims, seed_claims_path
    from uncounted.report.publish import write_report
    from uncounted.store.connect import open_store

    clock = _StageClock(progress)
    stage = clock.stage

    stage("read")
    claims = read_claims(settings.claims or seed_claims_path())
    location = open_store(db)
    casebook = read_casebook()
    digest = casebook.content_hash()
    if expect_sha256 is not None and digest != expect_sha256:
        raise ConfigurationError(
            f"the casebook at {public_db(location)} has changed since the report was made "
            f"(input_sha256 {digest[:12]}... is not {expect_sha256[:12]}...): a rerun needs "
            "the same data"
        )
    if casebook.reports.empty:
        raise ConfigurationError(
            f"the casebook at {public_db(location)} has no reports: import some first "
            "(uncounted import FOLDER --db ...)"
        )
    stage("link")
    linkage = link_reports(casebook, settings)
    # Linkage read the text as told; nothing after it does. Every report counts, whatever
    # its consent, and nothing a report says is quoted (docs/security.md).
    counted = casebook.without_text()
    accounting = build_accounting(
        counted.collections,
        counted.sources,
        counted.reports,
        linkage.report_event,
        settings,
        claims=claims,
        replicates=linkage.alternatives(),
        truth=truth,
        progress=stage,
    )
    accounting.notes.append(consent_note(*casebook.withheld()))
    accounting.provenance = {
        "version": __version__,
        "input_sha256": digest,
        "db": public_db(location),
        "seed": settings.seed,
        "linkage": linkage.provenance(),
        "packages": package_versions(),
    }
    stage("publish")
    summary = write_report(accounting, out)
    stage("")
    return ReportRun(out, summary, clock.seconds)


def rerun(summary_path: Path, out: Path, progress: Progress | None = None) -> ReportRun:
    """Rebuild a report from its ``summary.json`` into ``out``: same data, same settings,
    same seeds, so the same figures byte for byte."""
    from uncounted.report.settings import ReportSettings

    try:
        summary = json.loads(Path(summary_path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"summary file not found: {summary_path}") from None
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"{summary_path} is not a summary.json ({exc})") from exc
    try:
        settings = ReportSettings.from_dict(summary["settings"])
        db = summary["provenance"]["db"]
        digest = summary["input_sha256"]
    except (KeyError, TypeError) as exc:
        raise ConfigurationError(
            f"{summary_path} lacks {exc} : give the summary.json a report wrote"
        ) from exc
    if "://" in db and "@" in db and ":" in db.split("@", 1)[0].split("://", 1)[1]:
        raise ConfigurationError("the summary's database URL holds a password: refusing it")
    if summary.get("version") != __version__:
        raise ConfigurationError(
            f"{summary_path} was made by uncounted {summary.get('version')}, this is "
            f"{__version__}: install that version to reproduce it exactly"
        )
    if "://" in db:
        import os

        # The summary keeps no password: take it from the environment, as the first run did.
        env_db = os.environ.get("UNCOUNTED_DB", "")
        db = env_db if env_db.startswith(db.split("://", 1)[0]) else db
    return run_report(
        db,
        out,
        settings,
        truth=summary.get("truth"),
        expect_sha256=digest,
        progress=progress,
    )
