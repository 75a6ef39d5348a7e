"""Linkage replicates: several plausible clusterings, so estimates can carry linkage error.

One clustering hides how uncertain linkage is. A replicate redraws every scored pair as
linked with its match probability (a Bernoulli draw) and clusters the drawn links with
the same constrained average linkage, so a pair at 0.5 is in about half the replicates
and a pair at 0.99 in nearly all. Estimates rerun on each replicate give the spread that
linkage adds (as in multiple imputation of linkage: the spread across replicates is the
between-linkage variance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["sampled_pairs"]


def sampled_pairs(pairs: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The pairs with ``match_probability`` replaced by a 0/1 draw from it.

    Parameters
    ----------
    pairs : DataFrame
        Scored pairs with ``match_probability``.
    seed : int
        Seed of this replicate's draws.

    Returns
    -------
    DataFrame
        A copy of ``pairs`` whose ``match_probability`` is 1.0 for drawn links and 0.0
        otherwise.
    """
    rng = np.random.default_rng(seed)
    probability = pairs["match_probability"].to_numpy(dtype=float)
    drawn = (rng.random(len(pairs)) < probability).astype(float)
    return pairs.assign(match_probability=drawn)
