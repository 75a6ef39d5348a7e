"""Accuracy of a clustering against the truth: pairwise and B-cubed scores.

Pairwise (Menestrina, Whang and Garcia-Molina 2010): precision is the share of pairs put
in one cluster that truly are one entity, recall the share of true pairs put in one
cluster. Big clusters weigh as the square of their size, so one large event merged or
split moves the scores a lot: that is the error a count cares about most.

B-cubed (Bagga and Baldwin 1998): for each record, precision is the share of its
predicted cluster that shares its true entity, recall the share of its true entity
that shares its predicted cluster; both are averaged over records, so every record
weighs the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["LinkageScores", "score_clustering"]


@dataclass(frozen=True)
class LinkageScores:
    """Pairwise and B-cubed scores of a clustering, with the numbers of clusters.

    ``n_true`` and ``n_predicted`` count the entities and clusters among the scored
    records.
    """

    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    n_true: int
    n_predicted: int
    n_records: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return asdict(self)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def _pairs(counts: npt.NDArray[np.int64]) -> int:
    return int((counts * (counts - 1) // 2).sum())


def score_clustering(
    predicted: Sequence[object] | pd.Series, truth: Sequence[object] | pd.Series
) -> LinkageScores:
    """Score predicted cluster labels against true entity labels, record by record.

    Parameters
    ----------
    predicted, truth : sequences of equal length
        The cluster and the true entity of each record (any hashable labels).

    Returns
    -------
    LinkageScores
        Precision and recall are 1.0 when there is nothing to get wrong (no predicted or
        no true pairs).

    Examples
    --------
    >>> s = score_clustering(["a", "a", "b"], [1, 1, 1])
    >>> s.pairwise_precision, s.pairwise_recall
    (1.0, 0.3333333333333333)
    """
    if len(predicted) != len(truth):
        raise ValueError("predicted and truth must have one label per record")
    n = len(truth)
    p_codes = pd.factorize(pd.Series(list(predicted), dtype=object))[0].astype(np.int64)
    t_codes = pd.factorize(pd.Series(list(truth), dtype=object))[0].astype(np.int64)
    if n == 0:
        return LinkageScores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0, 0, 0)
    joint = pd.Series(np.ones(n, dtype=np.int64)).groupby([p_codes, t_codes]).sum()
    both = np.asarray(joint.to_numpy(), dtype=np.int64)
    p_sizes = np.bincount(p_codes).astype(np.int64)
    t_sizes = np.bincount(t_codes).astype(np.int64)
    together, predicted_pairs, true_pairs = _pairs(both), _pairs(p_sizes), _pairs(t_sizes)
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    # B-cubed: each record of cell (p, t) scores |cell| / |p| and |cell| / |t|.
    cell_p = joint.index.get_level_values(0).to_numpy()
    cell_t = joint.index.get_level_values(1).to_numpy()
    b_precision = float((both * both / p_sizes[cell_p]).sum() / n)
    b_recall = float((both * both / t_sizes[cell_t]).sum() / n)
    return LinkageScores(
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=_f1(precision, recall),
        bcubed_precision=b_precision,
        bcubed_recall=b_recall,
        bcubed_f1=_f1(b_precision, b_recall),
        n_true=len(t_sizes),
        n_predicted=len(p_sizes),
        n_records=n,
    )
