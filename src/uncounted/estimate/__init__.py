"""Estimate how many events happened, documented or not.

Pure: takes data frames, returns :class:`Estimate` objects. No database, no web, no printing.
Every estimator follows one contract: settings in the constructor, ``fit(data)`` returns
self, results in attributes ending in ``_`` (``estimate_`` is an :class:`Estimate`),
``summary()`` a tidy DataFrame and ``plot(ax=None)``.

Estimators are imported on first use (PEP 562) so that ``uncounted`` starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from uncounted.estimate.result import Estimate

if TYPE_CHECKING:
    from uncounted.estimate.closedp import ClosedP
    from uncounted.estimate.dga import DGA
    from uncounted.estimate.histories import CaptureHistories
    from uncounted.estimate.incidence import IncidenceFrequencies
    from uncounted.estimate.lcmcr import LCMCR
    from uncounted.estimate.loglinear import LogLinear
    from uncounted.estimate.stratified import StratifiedEstimator
    from uncounted.estimate.unseen import ICE, Chao2, IChao2, Jackknife1, Jackknife2
    from uncounted.estimate.unseen_curves import RarefactionExtrapolation

_LAZY = {
    "CaptureHistories": "histories",
    "ClosedP": "closedp",
    "DGA": "dga",
    "LCMCR": "lcmcr",
    "LogLinear": "loglinear",
    "IncidenceFrequencies": "incidence",
    "Chao2": "unseen",
    "IChao2": "unseen",
    "Jackknife1": "unseen",
    "Jackknife2": "unseen",
    "ICE": "unseen",
    "RarefactionExtrapolation": "unseen_curves",
    "StratifiedEstimator": "stratified",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'uncounted.estimate' has no attribute {name!r}")
    value = getattr(import_module(f"uncounted.estimate.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DGA",
    "ICE",
    "LCMCR",
    "CaptureHistories",
    "Chao2",
    "ClosedP",
    "Estimate",
    "IChao2",
    "IncidenceFrequencies",
    "Jackknife1",
    "Jackknife2",
    "LogLinear",
    "RarefactionExtrapolation",
    "StratifiedEstimator",
]
