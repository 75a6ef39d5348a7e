"""Runs started from the web app: link the store, or estimate from its linked events.

Each function takes the :class:`~uncounted.store.models.Run` the web app recorded and
returns the results to save on it (``uncounted.web.run_jobs`` names them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from uncounted.errors import EstimationError

if TYPE_CHECKING:  # Django models load only once the store is open
    from uncounted.store.models import Run


def run_link(run: Run) -> dict[str, Any]:
    """Link reports into events and mentions into victims; save them as a link run."""
    from uncounted.link.linkage import LinkSettings
    from uncounted.link_store import link_and_save

    seed = run.seed if run.seed is not None else 1
    result, link_run_id = link_and_save(LinkSettings(seed=seed))
    return {
        "link_run": link_run_id,
        "events": int(result.report_event["event_id"].nunique()),
        "reports": len(result.report_event),
    }


def run_estimate(run: Run) -> dict[str, Any]:
    """Estimate the total number of events from the collections that captured each one.

    DGA (Bayesian model averaging over decomposable graphs) for 3-5 collections, LCMCR
    otherwise; the published report (``uncounted report``) adds strata and every other
    method.
    """
    import pandas as pd

    from uncounted.estimate.dga import DGA
    from uncounted.estimate.histories import CaptureHistories
    from uncounted.estimate.lcmcr import LCMCR
    from uncounted.store.models import Report

    rows = Report.objects.filter(event__isnull=False).values_list(
        "event__event_id", "collection__collection_id"
    )
    captured = pd.DataFrame(list(rows), columns=["event_id", "collection_id"]).drop_duplicates()
    if captured.empty:
        raise EstimationError("no linked events in the store: run a link first")
    table = pd.crosstab(captured["event_id"], captured["collection_id"]).clip(upper=1)
    if table.shape[1] < 2:
        raise EstimationError(
            "events were captured by only one collection: multiple systems estimation needs "
            "at least two"
        )
    histories = CaptureHistories.from_frame(table.reset_index(drop=True), count=None)
    seed = run.seed if run.seed is not None else 1
    estimator: DGA | LCMCR = DGA(seed=seed) if 3 <= histories.k <= 5 else LCMCR(seed=seed)
    estimate = estimator.fit(histories).estimate_
    return {"estimates": [estimate.to_dict()], "n_events_documented": len(table)}
