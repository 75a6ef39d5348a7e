"""The review queue: candidate pairs the model is least sure of, most informative first.

A reviewer's time is best spent where a decision changes the most: pairs whose match
probability lies in the uncertain band, the closest to even odds first (a decision there
carries the most information, about one bit), and among equally uncertain pairs the one
with the strongest single pieces of evidence pulling both ways.

For events there is a better question than a pair the model is unsure of: *does this
report belong to that other event?* (:func:`event_review_queue`). Every report was
weighed against its own event and the others it could join (a report alone, against
even odds of staying alone); where the best other event comes close, a reviewer compares
the report with the most typical report of that event.
A "match" moves the report there, a "no match" settles that it stays. Questions are
ranked by the chance that the report is in the wrong event times the number of report
pairs that moving it would change (the sizes of both events): on simulated worlds 200
such decisions raise pairwise F1 about four times as much as 200 pairs nearest even odds.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from uncounted.link.explain import evidence_columns

__all__ = ["UNCERTAIN_BAND", "event_review_queue", "review_queue"]

UNCERTAIN_BAND: tuple[float, float] = (0.1, 0.9)
"""Match probabilities a reviewer is asked about by default."""


def review_queue(
    pairs: pd.DataFrame,
    *,
    band: tuple[float, float] = UNCERTAIN_BAND,
    decided: pd.DataFrame | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Pairs in the uncertain band, most informative first, with their evidence.

    Parameters
    ----------
    pairs : DataFrame
        Scored pairs (``id_l``, ``id_r``, ``match_probability``, ``match_weight``,
        ``mw_*``).
    band : (low, high)
        Probabilities kept (inclusive).
    decided : DataFrame, optional
        ``left_id, right_id`` of pairs already decided: left out.
    limit : int, optional
        Keep the first ``limit`` pairs.

    Returns
    -------
    DataFrame
        ``id_l, id_r, match_probability, match_weight`` and the ``mw_*`` evidence,
        ordered by ``|p - 0.5|`` and then by the spread of the evidence (largest first).
    """
    low, high = band
    p = pairs["match_probability"]
    queue = pairs[(p >= low) & (p <= high)].copy()
    queue = _undecided(queue, decided)
    evidence = evidence_columns(queue)
    queue["_uncertainty"] = (queue["match_probability"] - 0.5).abs()
    queue["_spread"] = (
        queue[evidence].max(axis=1) - queue[evidence].min(axis=1) if evidence else 0.0
    )
    queue = queue.sort_values(
        ["_uncertainty", "_spread", "id_l", "id_r"], ascending=[True, False, True, True]
    )
    columns = ["id_l", "id_r", "match_probability", "match_weight", *evidence]
    out = queue[columns].reset_index(drop=True)
    return out.head(limit) if limit is not None else out


def event_review_queue(
    alternatives: pd.DataFrame,
    ids: npt.NDArray[np.object_],
    labels: npt.NDArray[np.int64],
    typical: npt.NDArray[np.float64],
    score: Callable[[pd.DataFrame], pd.DataFrame],
    *,
    decided: pd.DataFrame | None = None,
    band: tuple[float, float] = UNCERTAIN_BAND,
    limit: int | None = None,
) -> pd.DataFrame:
    """Reports that may be in the wrong event, each with a report of the other event.

    Parameters
    ----------
    alternatives : DataFrame
        :func:`uncounted.link.refine.alternatives`: ``report, event, score,
        alternative, alternative_score``.
    ids : array of str
        Report ids, by position.
    labels : array of int
        Event of each report.
    typical : array of float
        How typical each report is of its event (e.g. its mean match probability with
        the event's others): the most typical stands for the event.
    score : callable
        ``score(pairs)`` with ``id_l, id_r`` returns the scored pairs (evidence).
    decided : DataFrame, optional
        ``left_id, right_id`` of decided pairs: left out.
    band : (low, high)
        Match probabilities of the pair itself kept (inclusive).
    limit : int, optional

    Returns
    -------
    DataFrame
        The columns of :func:`review_queue`, most valuable question first.
    """
    if len(alternatives) == 0:
        return pd.DataFrame(columns=["id_l", "id_r", "match_probability", "match_weight"])
    sizes = np.bincount(labels)
    frame = alternatives.copy()
    margin = (frame["score"] - frame["alternative_score"]).to_numpy(dtype=float)
    wrong = 1.0 / (1.0 + np.exp2(np.clip(margin, -60.0, 60.0)))
    moved = sizes[frame["event"].to_numpy()] - 1 + sizes[frame["alternative"].to_numpy()]
    frame["_value"] = wrong * moved
    representative = pd.Series(typical).groupby(labels).idxmax()
    other = representative.reindex(frame["alternative"].to_numpy()).to_numpy(dtype=np.int64)
    left = ids[frame["report"].to_numpy()].astype(str)
    right = ids[other].astype(str)
    frame["id_l"] = np.where(left < right, left, right)
    frame["id_r"] = np.where(left < right, right, left)
    frame = frame.sort_values(["_value", "id_l", "id_r"], ascending=[False, True, True])
    frame = frame.drop_duplicates(["id_l", "id_r"])
    frame = _undecided(frame, decided)
    scored = score(frame[["id_l", "id_r"]].reset_index(drop=True))
    ordered = frame[["id_l", "id_r"]].merge(scored, on=["id_l", "id_r"], how="inner")
    # Only pairs in the uncertain band: a pair the model is sure of is a question whose
    # answer it already knows.
    low, high = band
    p = ordered["match_probability"]
    ordered = ordered[(p >= low) & (p <= high)]
    if limit is not None:
        ordered = ordered.head(limit)
    evidence = evidence_columns(ordered)
    columns = ["id_l", "id_r", "match_probability", "match_weight", *evidence]
    return ordered[columns].reset_index(drop=True)


def _undecided(pairs: pd.DataFrame, decided: pd.DataFrame | None) -> pd.DataFrame:
    """``pairs`` (``id_l < id_r``) without those in ``decided`` (``left_id, right_id``)."""
    if decided is None or len(decided) == 0:
        return pairs
    left = decided["left_id"].astype(str)
    right = decided["right_id"].astype(str)
    done = set(zip(left.where(left < right, right), right.where(left < right, left), strict=True))
    keep = [(a, b) not in done for a, b in zip(pairs["id_l"], pairs["id_r"], strict=True)]
    return pairs[keep]
