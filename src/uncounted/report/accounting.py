"""From linked testimony to everything a report publishes: one pure function.

:func:`build_accounting` takes the casebook's frames (no identity, no pseudonym), the
linkage (``report_id -> event_id``, and any redrawn linkages) and the settings, and returns
an :class:`Accounting`: documented events, the stratified headline for events and people,
every estimator that applies, the linkage sensitivity, the claims ledger and the
publication tables with disclosure control applied. No database, no files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from uncounted.estimate.result import Estimate
from uncounted.report.claims import judge_claims
from uncounted.report.events import build_events
from uncounted.report.headline import Headline, estimate_headline
from uncounted.report.i18n import TEXT
from uncounted.report.methods import (
    MethodRun,
    capture_methods,
    run_method,
    unseen_methods,
)
from uncounted.report.settings import ReportSettings
from uncounted.report.strata import STRATUM, density_strata, witness_density
from uncounted.report.tables import PublicTables, public_tables

PEOPLE_CAVEAT = (
    "People executed: each undocumented event's victims are drawn from the victim counts "
    "of documented events. Larger executions draw more witnesses, so documented events "
    "tend to be larger and this leans the people estimate up somewhat."
)


USED = "linkage used"
"""The sensitivity table's row of the linkage the headline is on."""


@dataclass
class Accounting:
    """Everything a report shows, computed; rendering is :mod:`uncounted.report.publish`."""

    settings: ReportSettings
    lists: list[str]
    collections: pd.DataFrame
    events: pd.DataFrame
    n_reports: int
    headline: Headline
    methods: list[MethodRun]
    sensitivity: pd.DataFrame
    claims: pd.DataFrame
    tables: PublicTables
    provenance: dict[str, Any] = field(default_factory=dict)
    truth: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def linkage_range(self) -> tuple[float, float] | None:
        """The lowest lower end and highest upper end of the events intervals on the
        linkage used and on its two one-sided linkages (:mod:`uncounted.link.one_sided`),
        or None when the one-sided linkages were not made.

        Not a probability interval: a range of how far the count moves when the
        linker's uncertain decisions of either kind all go the other way.
        """
        from uncounted.link.one_sided import JOINED, UNDONE

        if len(self.sensitivity) == 0:
            return None
        labels = self.sensitivity["linkage"].astype(str)
        one_sided = labels.str.startswith(f"{UNDONE} (") | labels.str.startswith(f"{JOINED} (")
        if int(one_sided.sum()) != 2:
            return None
        rows = self.sensitivity[one_sided | (labels == USED)]
        return float(rows["lower"].min()), float(rows["upper"].max())


def base_factory(settings: ReportSettings) -> Callable[[], Any]:
    """The headline's per-stratum estimator, built from the settings."""
    if settings.main_method == "dga":
        from uncounted.estimate.dga import DGA

        return lambda: DGA(seed=settings.seed, level=settings.level)
    from uncounted.estimate.lcmcr import LCMCR

    lcmcr = asdict(settings.lcmcr)
    return lambda: LCMCR(seed=settings.seed, level=settings.level, **lcmcr)


def stratified_events(
    reports: pd.DataFrame,
    sources: pd.DataFrame,
    report_event: pd.DataFrame,
    lists: list[str],
    settings: ReportSettings,
) -> pd.DataFrame:
    """Documented events of the period, each with its witness-density stratum."""
    events = build_events(reports, report_event, lists, settings.period)
    events[STRATUM] = density_strata(
        witness_density(events, sources), settings.density_classes, settings.min_stratum_events
    )
    return events


def headline_of(events: pd.DataFrame, lists: list[str], settings: ReportSettings) -> Headline:
    """The headline (events and people executed) of :func:`stratified_events`' events."""
    return estimate_headline(
        events,
        lists,
        base_factory(settings),
        period=settings.period,
        level=settings.level,
        seed=settings.seed,
        people_min_group=settings.people_min_group,
    )


def build_accounting(
    collections: pd.DataFrame,
    sources: pd.DataFrame,
    reports: pd.DataFrame,
    report_event: pd.DataFrame,
    settings: ReportSettings,
    *,
    claims: pd.DataFrame,
    replicates: Mapping[str, pd.DataFrame] | None = None,
    truth: dict[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Accounting:
    """Estimate, compare, judge and tabulate.

    Parameters
    ----------
    collections, sources, reports
        Casebook frames (:mod:`uncounted.pipeline.casebook`).
    report_event
        The linkage used for the headline.
    settings
        :class:`ReportSettings`.
    claims
        Claims to judge (:func:`uncounted.report.claims.read_claims`).
    replicates
        Other linkages (label -> ``report_id, event_id``) for the sensitivity analysis.
    truth
        For simulated worlds: ``total``, ``total_people`` and ``by_year`` to show beside
        the estimates.
    progress
        Called with the name of each step as it starts.
    """

    def step(name: str) -> None:
        if progress is not None:
            progress(name)

    lists = [str(c) for c in collections["collection_id"]]
    step("events")
    events = stratified_events(reports, sources, report_event, lists, settings)
    step("headline")
    headline = headline_of(events, lists, settings)
    step("methods")
    methods = _methods(
        events, lists, headline, reports, report_event, sources, collections, settings
    )
    step("sensitivity")
    sensitivity = _sensitivity(headline, events, reports, sources, lists, replicates, settings)
    judged = judge_claims(claims, headline.replicates, settings.level)
    linked = reports.merge(report_event[["report_id", "event_id"]], on="report_id")
    linked = linked.merge(events[["event_id", "year"]], on="event_id", how="inner")
    tables = public_tables(events, linked, headline, collections, settings, truth)
    return Accounting(
        settings=settings,
        lists=lists,
        collections=collections,
        events=events,
        n_reports=len(linked),
        headline=headline,
        methods=methods,
        sensitivity=sensitivity,
        claims=judged,
        tables=tables,
        truth=truth,
        notes=[PEOPLE_CAVEAT]
        + ([TEXT["linker_caveat"][0]] if settings.linkage == "splink" else []),
    )


def _methods(
    events: pd.DataFrame,
    lists: list[str],
    headline: Headline,
    reports: pd.DataFrame,
    report_event: pd.DataFrame,
    sources: pd.DataFrame,
    collections: pd.DataFrame,
    settings: ReportSettings,
) -> list[MethodRun]:
    n_strata = events[STRATUM].nunique()
    label = f"{len(events)} linked events on {len(lists)} collections, {n_strata} strata"

    def main() -> Estimate:
        return headline.events

    runs = [run_method(headline.events.method, label, main)]
    if settings.main_method != "dga" and 3 <= len(lists) <= 5:
        from uncounted.estimate.dga import DGA
        from uncounted.estimate.stratified import StratifiedEstimator

        def stratified_dga() -> Estimate:
            fitted = StratifiedEstimator(
                lambda: DGA(seed=settings.seed, level=settings.level),
                [STRATUM],
                lists=lists,
                level=settings.level,
                seed=settings.seed,
                min_observed=10,
                min_recaptured=3,
            ).fit(events[[*lists, STRATUM]])
            return fitted.estimate_

        runs.append(run_method("stratified dga", label, stratified_dga))
    runs += capture_methods(
        events,
        lists,
        level=settings.level,
        seed=settings.seed,
        lcmcr_settings=asdict(settings.lcmcr),
    )
    runs += unseen_methods(
        reports, report_event, events, sources, collections, level=settings.level
    )
    return runs


def _sensitivity(
    headline: Headline,
    events: pd.DataFrame,
    reports: pd.DataFrame,
    sources: pd.DataFrame,
    lists: list[str],
    replicates: Mapping[str, pd.DataFrame] | None,
    settings: ReportSettings,
) -> pd.DataFrame:
    """The events estimate under each linkage: the one used, then each replicate."""
    from uncounted.estimate.stratified import StratifiedEstimator

    rows = [_sensitivity_row(USED, len(events), headline.events)]
    for label, report_event in (replicates or {}).items():
        other = stratified_events(reports, sources, report_event, lists, settings)
        fitted = StratifiedEstimator(
            base_factory(settings),
            [STRATUM],
            lists=lists,
            level=settings.level,
            seed=settings.seed,
            min_observed=10,
            min_recaptured=3,
        )
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted.fit(other[[*lists, STRATUM]])
        rows.append(_sensitivity_row(label, len(other), fitted.estimate_))
    return pd.DataFrame(rows)


def _sensitivity_row(label: str, documented: int, estimate: Estimate) -> dict[str, Any]:
    return {
        "linkage": label,
        "documented": documented,
        "estimate": round(estimate.point, 1),
        "lower": round(estimate.lower, 1),
        "upper": round(estimate.upper, 1),
    }
