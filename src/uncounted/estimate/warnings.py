"""Statistical caveats raised by estimators, each its own class so callers can filter them."""

from __future__ import annotations

from uncounted.errors import StatisticalWarning


class SparseOverlapWarning(StatisticalWarning):
    """Overlaps between lists are too sparse for some terms: the MLE may not exist."""


class PriorDominatesWarning(StatisticalWarning):
    """The posterior is driven mostly by the prior, not by the data."""


class ChainsDisagreeWarning(StatisticalWarning):
    """MCMC chains disagree (R-hat too high) or effective sample size is too low."""


class GridEdgeWarning(StatisticalWarning):
    """Non-negligible posterior mass lies at the edge of the evaluation grid."""


class SparseStratumWarning(StatisticalWarning):
    """A stratum has too few observations for a stable estimate."""


class FewRecapturesWarning(StatisticalWarning):
    """Too few items seen more than once: unseen-item estimators are unstable."""


class ModelFitWarning(StatisticalWarning):
    """A model fits the data poorly or did not converge."""


__all__ = [
    "ChainsDisagreeWarning",
    "FewRecapturesWarning",
    "GridEdgeWarning",
    "ModelFitWarning",
    "PriorDominatesWarning",
    "SparseOverlapWarning",
    "SparseStratumWarning",
]
