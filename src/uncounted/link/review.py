"""The review queue: candidate pairs the model is least sure of, most informative first.

A reviewer's time is best spent where a decision changes the most: pairs whose match
probability lies in the uncertain band, the closest to even odds first (a decision there
carries the most information, about one bit), and among equally uncertain pairs the one
with the strongest single pieces of evidence pulling both ways.
"""

from __future__ import annotations

import pandas as pd

from uncounted.link.explain import evidence_columns

__all__ = ["UNCERTAIN_BAND", "review_queue"]

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
    if decided is not None and len(decided) > 0:
        left = decided["left_id"].astype(str)
        right = decided["right_id"].astype(str)
        done = set(
            zip(left.where(left < right, right), right.where(left < right, left), strict=True)
        )
        keep = [(a, b) not in done for a, b in zip(queue["id_l"], queue["id_r"], strict=True)]
        queue = queue[keep]
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
