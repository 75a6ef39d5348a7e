"""Which reports are the same event: the one boundary between the pipeline and linkage.

:func:`link_reports` returns the linkage the report is built on, and any redrawn linkages
for the sensitivity analysis, from one of three places (``ReportSettings.linkage``):

``splink``
    The probabilistic linker (:func:`uncounted.link.linkage.link_records`).
``store``
    The events already saved in the casebook (``Report.event``), e.g. after review.
``truth``
    For simulated worlds only: the simulator's ``truth/report_event.csv``. The demo uses
    it as a stand-in while the linker is too slow or too coarse for a one-minute run;
    the report says so on its first screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from uncounted.errors import ConfigurationError
from uncounted.pipeline.casebook import Casebook
from uncounted.report.settings import ReportSettings


@dataclass
class Linkage:
    """The linkage a report uses, how it was made, and redrawn alternatives."""

    method: str
    report_event: pd.DataFrame
    replicates: dict[str, pd.DataFrame] = field(default_factory=dict)
    model: dict[str, Any] | None = None
    by_threshold: dict[str, pd.DataFrame] = field(default_factory=dict)
    one_sided: dict[str, pd.DataFrame] = field(default_factory=dict)

    def alternatives(self) -> dict[str, pd.DataFrame]:
        """Every other linkage for the sensitivity analysis: other thresholds, the
        one-sided linkages, then replicates."""
        return {**self.by_threshold, **self.one_sided, **self.replicates}

    def provenance(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "events": int(self.report_event["event_id"].nunique()),
            "replicates": len(self.replicates),
            "other_thresholds": list(self.by_threshold),
            "one_sided": list(self.one_sided),
            "model": self.model,
        }


def link_reports(casebook: Casebook, settings: ReportSettings) -> Linkage:
    """Link the casebook's reports into events as ``settings.linkage`` says."""
    if settings.linkage == "truth":
        return _truth(casebook, settings)
    if settings.linkage == "store":
        return _stored(casebook)
    return _splink(casebook, settings)


def _truth(casebook: Casebook, settings: ReportSettings) -> Linkage:
    path = Path(str(settings.truth_links))
    try:
        links = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise ConfigurationError(
            f"truth links not found: {path} (linkage 'truth' is for simulated worlds)"
        ) from None
    links = links[links["report_id"].isin(set(casebook.reports["report_id"]))]
    return Linkage("truth", links[["report_id", "event_id"]].reset_index(drop=True))


def _stored(casebook: Casebook) -> Linkage:
    reports = casebook.reports
    linked = reports[reports["stored_event_id"].notna()]
    if linked.empty:
        raise ConfigurationError(
            "no report of this casebook is linked to an event yet: run `uncounted link` "
            "with its store option first, or use the linker (linkage 'splink')"
        )
    frame = linked[["report_id", "stored_event_id"]].rename(columns={"stored_event_id": "event_id"})
    return Linkage("store", frame.reset_index(drop=True))


def _splink(casebook: Casebook, settings: ReportSettings) -> Linkage:
    try:
        from uncounted.link.linkage import LinkSettings, link_records
    except ImportError as exc:  # pragma: no cover - the linker ships with the package
        raise ConfigurationError(f"the linker is not available here: {exc}") from exc
    # The linker reads reports as told (the columns of reports.csv) and parses them itself.
    as_told = [
        "report_id",
        "source_id",
        "collection_id",
        "date_as_told",
        "place_as_told",
        "victims_as_told",
        "charges",
        "method",
        "site_type",
    ]
    reports = casebook.reports[as_told].fillna("").astype(str)
    mentions = (
        casebook.mentions[
            ["mention_id", "report_id", "name_as_told", "sex", "age_as_told", "charges"]
        ]
        .fillna("")
        .astype(str)
    )
    result = link_records(
        reports,
        mentions,
        settings=LinkSettings(
            event_threshold=settings.link_threshold,
            replicates=settings.link_replicates,
            seed=settings.seed,
            other_thresholds=tuple(
                t for t in settings.link_other_thresholds if t != settings.link_threshold
            ),
            one_sided=settings.link_one_sided,
        ),
    )
    replicates = {f"replicate {r.number}": r.report_event for r in result.replicates}
    by_threshold = {f"threshold {t:g}": frame for t, frame in result.by_threshold.items()}
    moved = result.diagnostics.get("one_sided_moved", {})
    one_sided = {
        f"{label} ({moved.get(label, 0):,} reports)": frame
        for label, frame in result.one_sided.items()
    }
    return Linkage(
        "splink", result.report_event, replicates, result.model_json(), by_threshold, one_sided
    )
