"""Observed capture patterns arranged for the LCMCR sweep.

The sweep needs, for every observed pattern, its class probabilities
``pi_k prod_j lambda[j, k]^x_j (1 - lambda[j, k])^(1 - x_j)``, and, after splitting each
pattern's count over classes, the captures per list and class. Both become one pass over
a prefix tree of the patterns: a pattern's probabilities are its parent's (the pattern
without its last list) times one factor, and the captures of list ``j`` are the subtree
sums below the patterns whose last list is ``j``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["BY_UNIFORMS_MAX", "PatternTree", "pattern_tree"]

I64 = npt.NDArray[np.int64]

# A pattern whose count is at most this is split over classes by counting uniforms against
# cumulative weights (cost ~ count); above it, by conditional binomials (cost ~ number of
# occupied classes). Tuned on the benchmark data (flat between 32 and 64).
BY_UNIFORMS_MAX = 48


@dataclass(frozen=True)
class PatternTree:
    """Observed capture patterns arranged for the sweep.

    Rows are the observed patterns plus, where missing, the patterns obtained by dropping
    their last lists one at a time (count 0), ordered so that a row's ``parent`` (the
    pattern without its ``last`` list; -1 for single-list patterns) comes before it.
    ``ones_ptr``/``ones_idx`` list each row's lists (CSR); ``small`` and ``large`` are the
    rows with a positive count at most / above ``by_uniforms_max``; ``rows`` maps each
    input pattern to its row.
    """

    parent: I64
    last: I64
    ones_ptr: I64
    ones_idx: I64
    counts: I64
    small: I64
    large: I64
    rows: I64


def pattern_tree(
    patterns: npt.NDArray[np.uint8],
    counts: I64,
    by_uniforms_max: int = BY_UNIFORMS_MAX,
) -> PatternTree:
    """Build the :class:`PatternTree` of distinct, non-empty patterns with their counts;
    patterns with at most ``by_uniforms_max`` individuals are split by counting uniforms."""
    keys = [tuple(int(j) for j in np.flatnonzero(row)) for row in patterns]
    if any(len(key) == 0 for key in keys):
        raise ValueError("the all-zero pattern cannot be observed")
    found: dict[tuple[int, ...], int] = {}
    for key, count in zip(keys, counts.tolist(), strict=True):
        if key in found:
            raise ValueError(f"pattern {key} appears twice")
        found[key] = int(count)
        for size in range(1, len(key)):
            found.setdefault(key[:size], 0)
    ordered = sorted(found, key=lambda key: (len(key), key))
    index = {key: row for row, key in enumerate(ordered)}
    n_rows = len(ordered)
    parent = np.array([index[key[:-1]] if len(key) > 1 else -1 for key in ordered], np.int64)
    last = np.array([key[-1] for key in ordered], dtype=np.int64)
    ones_ptr = np.zeros(n_rows + 1, dtype=np.int64)
    ones_ptr[1:] = np.cumsum([len(key) for key in ordered])
    ones_idx = np.array([j for key in ordered for j in key], dtype=np.int64)
    row_counts = np.array([found[key] for key in ordered], dtype=np.int64)
    small = np.flatnonzero((row_counts > 0) & (row_counts <= by_uniforms_max))
    # Visiting small patterns by count keeps the loop lengths of consecutive patterns
    # equal, so the processor predicts their ends (a mispredicted loop exit per pattern
    # otherwise costs more than the counting itself).
    small = small[np.argsort(row_counts[small], kind="stable")]
    large = np.flatnonzero(row_counts > by_uniforms_max)
    rows = np.array([index[key] for key in keys], dtype=np.int64)
    return PatternTree(
        parent,
        last,
        ones_ptr,
        ones_idx,
        row_counts,
        small,
        large,
        rows,
    )
