"""The method comparison: every estimator that applies, on the same linked events.

Capture-history estimators run on the events' capture histories over the collections
(unstratified, so their disagreement with the stratified headline shows what the
stratification does); the unseen-event estimators run on each interview programme's
incidence frequencies -- how many interviewees told each event, out of everyone the
programme interviewed. Each method's record has exactly the keys of
``uncounted estimate --json``.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from uncounted.errors import EstimationError, UncountedError, UncountedWarning
from uncounted.estimate.result import Estimate

DGA_LISTS = (3, 4, 5)


@dataclass
class MethodRun:
    """One estimator's outcome on one data set."""

    method: str
    data: str  # what it ran on, in words (for the table, not the JSON)
    estimate: Estimate | None
    warnings: list[str]
    seconds: float
    error: str | None = None

    def to_dict(self, level: float) -> dict[str, Any]:
        """The keys of ``uncounted estimate --json``."""
        if self.estimate is None:
            return {
                "method": self.method,
                "n_observed": None,
                "estimate": None,
                "lower": None,
                "upper": None,
                "level": level,
                "warnings": self.warnings,
                "settings": {},
                "seconds": self.seconds,
                "error": self.error,
            }
        out = self.estimate.to_dict()
        out["method"] = self.method
        out["warnings"] = self.warnings
        out["seconds"] = self.seconds
        return out


def run_method(
    method: str, data_label: str, fit: Callable[[], Estimate], extra_warnings: Sequence[str] = ()
) -> MethodRun:
    """Fit, time and collect the statistical warnings of one method; a failure is recorded."""
    caught_texts: list[str] = list(extra_warnings)
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            estimate = fit()
        except (UncountedError, ArithmeticError, ValueError) as exc:
            return MethodRun(method, data_label, None, caught_texts, _since(started), str(exc))
    for item in caught:
        if issubclass(item.category, UncountedWarning) and str(item.message) not in caught_texts:
            caught_texts.append(str(item.message))
    for text in estimate.warnings:
        if text not in caught_texts:
            caught_texts.append(text)
    return MethodRun(method, data_label, estimate, caught_texts, _since(started))


def _since(started: float) -> float:
    return time.perf_counter() - started


def capture_methods(
    events: pd.DataFrame,
    lists: Sequence[str],
    *,
    level: float,
    seed: int,
    lcmcr_settings: dict[str, Any],
) -> list[MethodRun]:
    """LCMCR, DGA, log-linear and closedp on the unstratified capture histories."""
    from uncounted.estimate.histories import CaptureHistories

    data = CaptureHistories.from_frame(events[list(lists)], list(lists), None)
    label = f"{data.n_observed} linked events on {data.k} collections, one stratum"
    runs = []

    def lcmcr() -> Estimate:
        from uncounted.estimate.lcmcr import LCMCR

        return LCMCR(seed=seed, level=level, **lcmcr_settings).fit(data).estimate_

    runs.append(run_method("lcmcr", label, lcmcr))
    if data.k in DGA_LISTS:

        def dga() -> Estimate:
            from uncounted.estimate.dga import DGA

            return DGA(seed=seed, level=level).fit(data).estimate_

        runs.append(run_method("dga", label, dga))

    def loglinear() -> Estimate:
        from uncounted.estimate.loglinear import LogLinear

        return LogLinear(seed=seed, level=level).fit(data).estimate_

    runs.append(run_method("loglinear", label, loglinear))

    def closedp() -> Estimate:
        from uncounted.estimate.closedp import ClosedP

        return _closedp_choice(ClosedP(level=level).fit(data))

    runs.append(run_method("closedp", label, closedp))
    return runs


def _closedp_choice(fitted: Any) -> Estimate:
    """The lowest-AIC closedp model fitted without a problem (Rcapture's infoFit 0)."""
    chosen = getattr(fitted, "estimate_", None)
    if isinstance(chosen, Estimate):
        return chosen
    frame = fitted.models_
    clean = frame[(frame["info_fit"] == 0) & frame["aic"].notna()]
    pool = clean if not clean.empty else frame[frame["aic"].notna()]
    if pool.empty:
        raise EstimationError("closedp could not fit any model to these data")
    estimate: Estimate = fitted.estimates_[int(pool["aic"].idxmin())]
    estimate.diagnostics = {**estimate.diagnostics, "chosen_by": "lowest AIC, infoFit 0"}
    return estimate


def unseen_methods(
    reports: pd.DataFrame,
    report_event: pd.DataFrame,
    events: pd.DataFrame,
    sources: pd.DataFrame,
    collections: pd.DataFrame,
    *,
    level: float,
) -> list[MethodRun]:
    """Chao2, iChao2, jackknives and ICE on each interview programme's interviewees.

    The sampling units are every source of the programme (those who told nothing are
    units too); an event's incidence is the number of them who told it.
    """
    from uncounted.estimate.incidence import IncidenceFrequencies
    from uncounted.estimate.unseen import UNSEEN_ESTIMATORS

    runs: list[MethodRun] = []
    programmes = collections.loc[collections["kind"] == "interview_programme", "collection_id"]
    in_period = set(events["event_id"])
    for collection in programmes:
        told = reports[reports["collection_id"] == collection].merge(
            report_event, on="report_id", how="inner"
        )
        told = told[told["event_id"].isin(in_period)]
        units = int((sources["collection_id"] == collection).sum())
        if told.empty or units == 0:
            continue
        data = IncidenceFrequencies.from_reports(
            told, unit="source_id", item="event_id", T=max(units, told["source_id"].nunique())
        )
        label = f"{data.n_observed} events told by {data.T} interviewees of {collection}"
        for name, cls in UNSEEN_ESTIMATORS.items():

            def fit(
                cls: Any = cls, data: Any = data, collection: str = str(collection)
            ) -> Estimate:
                estimate: Estimate = cls(level=level).fit(data).estimate_
                estimate.settings = {**estimate.settings, "collection": collection}
                return estimate

            runs.append(run_method(f"{name} ({collection})", label, fit))
    return runs


def comparison_table(runs: Sequence[MethodRun], truth: float | None = None) -> pd.DataFrame:
    """One row per method: what it ran on, estimate, interval, warnings (and the truth)."""
    rows = []
    for run in runs:
        e = run.estimate
        rows.append(
            {
                "method": run.method,
                "data": run.data,
                "observed": None if e is None else e.n_observed,
                "estimate": None if e is None else round(e.point, 1),
                "lower": None if e is None else round(e.lower, 1),
                "upper": None if e is None else round(e.upper, 1),
                "warnings": len(run.warnings),
                "error": run.error or "",
                **({} if truth is None else {"truth": truth}),
            }
        )
    return pd.DataFrame(rows)
