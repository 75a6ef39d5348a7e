"""Two linkages that each resolve one kind of uncertain decision the other way.

Capture-recapture reads a count from overlaps between collections and from events seen
once, and the linker's two kinds of error move them in opposite directions:

* a report joined to an event that other collections told, as its collection's only
  report there, makes an overlap; if the join is wrong, the overlap is made up and the
  estimate of the unseen falls;
* a report left alone is an event seen once; if it belongs to an event the linker built
  from other reports, that event seen once is made up and the estimate rises.

On simulated worlds, undoing the false overlaps alone raises the count by about a third
of the truth and joining the split-off reports alone lowers it by about an eighth; the
linker's count is near the truth only where the two cancel (docs/report.md, "The two
errors, one at a time").
Clustering at other thresholds moves both errors together, so its rows understate how far
the count hangs on the linker. These two linkages move one at a time, and only the
decisions the linker is unsure of: those whose match weight against the event's consensus
lies in the review band (a match probability of 0.1 to 0.9, as for
:data:`uncounted.link.review.UNCERTAIN_BAND`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from uncounted.link.refine import _renumber
from uncounted.link.review import UNCERTAIN_BAND

__all__ = ["JOINED", "UNDONE", "one_sided_linkages", "uncertain_weights"]

IntArray = npt.NDArray[np.int64]
UNDONE = "uncertain joins across collections undone"
JOINED = "uncertain lone reports joined"


def uncertain_weights(band: tuple[float, float] = UNCERTAIN_BAND) -> tuple[float, float]:
    """The match weights (log2 odds) of the band's two match probabilities."""
    low, high = band
    return math.log2(low / (1.0 - low)), math.log2(high / (1.0 - high))


def one_sided_linkages(
    features: pd.DataFrame,
    labels: IntArray,
    fits: pd.DataFrame,
    *,
    band: tuple[float, float] = UNCERTAIN_BAND,
    fixed: npt.NDArray[np.bool_] | None = None,
    cannot_link: Sequence[tuple[str, str]] = (),
) -> dict[str, IntArray]:
    """The linkage with the uncertain cross-collection joins undone, and the one with the
    uncertain lone reports joined.

    Parameters
    ----------
    features : DataFrame
        Report features: ``unique_id``, ``source_id``, ``collection_id``.
    labels : ndarray of int
        The linkage's event of each report.
    fits : DataFrame
        :func:`uncounted.link.refine.fit_table` of ``labels``: ``r, c, w, s``.
    band : (low, high)
        Match probabilities counted as uncertain.
    fixed : ndarray of bool, optional
        Reports a reviewer joined to another: never moved.
    cannot_link : sequence of id pairs
        Reports a reviewer kept apart: a lone report never joins an event holding the
        other.

    Returns
    -------
    dict
        :data:`UNDONE` and :data:`JOINED` to the event of each report (numbered from 0).
    """
    labels = np.asarray(labels, dtype=np.int64)
    bounds = uncertain_weights(band)
    movable = ~fixed if fixed is not None else np.ones(len(labels), dtype=bool)
    report = fits["r"].to_numpy(dtype=np.int64)
    own = labels[report] == fits["c"].to_numpy(dtype=np.int64)
    weights = fits["w"].to_numpy(dtype=float)
    return {
        UNDONE: _undone(features, labels, report[own], weights[own], bounds, movable),
        JOINED: _joined(features, labels, fits[~own], bounds, movable, cannot_link),
    }


def _undone(
    features: pd.DataFrame,
    labels: IntArray,
    report: IntArray,
    weight: npt.NDArray[np.float64],
    band: tuple[float, float],
    movable: npt.NDArray[np.bool_],
) -> IntArray:
    """Reports that alone bring their collection into an event others told, and fit it
    with a weight in the band, stand alone."""
    frame = pd.DataFrame(
        {"event": labels, "collection": features["collection_id"].astype(str).to_numpy()}
    )
    of_collection = frame.groupby(["event", "collection"])["event"].transform("size").to_numpy()
    collections = frame.groupby("event")["collection"].transform("nunique").to_numpy()
    makes_overlap = (of_collection == 1) & (collections > 1) & movable
    unsure = (weight >= band[0]) & (weight <= band[1])
    moved = report[unsure & makes_overlap[report]]
    out = labels.copy()
    out[moved] = labels.max() + 1 + np.arange(len(moved))
    return _renumber(out)


def _joined(
    features: pd.DataFrame,
    labels: IntArray,
    others: pd.DataFrame,
    band: tuple[float, float],
    movable: npt.NDArray[np.bool_],
    cannot_link: Sequence[tuple[str, str]],
) -> IntArray:
    """Reports alone join the event of two or more reports that fits them best (by
    score, as refinement chooses) when its weight is in the band and no report of their
    source, nor one a reviewer kept apart from them, is in it; surest joins first."""
    sizes = np.bincount(labels)
    alone = (sizes[labels] == 1) & movable
    best = others.sort_values(["s", "c"], ascending=[False, True], kind="stable")
    best = best.drop_duplicates("r")
    best = best[alone[best["r"].to_numpy()] & (sizes[best["c"].to_numpy()] > 1)]
    best = best[(best["w"] >= band[0]) & (best["w"] <= band[1])]
    best = best.sort_values(["w", "r"], ascending=[False, True], kind="stable")
    ids = features["unique_id"].astype(str).to_numpy()
    sources = features["source_id"].astype(str).to_numpy()
    held: dict[int, set[str]] = {}
    for position, event in enumerate(labels.tolist()):
        held.setdefault(event, set()).update({f"s:{sources[position]}", f"r:{ids[position]}"})
    apart: dict[str, set[str]] = {}
    for a, b in cannot_link:
        apart.setdefault(str(a), set()).add(f"r:{b}")
        apart.setdefault(str(b), set()).add(f"r:{a}")
    out = labels.copy()
    for r, c in zip(best["r"].tolist(), best["c"].tolist(), strict=True):
        tokens = held[c]
        if f"s:{sources[r]}" in tokens or apart.get(str(ids[r]), set()) & tokens:
            continue
        out[r] = c
        tokens.update({f"s:{sources[r]}", f"r:{ids[r]}"})
    return _renumber(out)
