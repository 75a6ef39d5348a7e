"""Estimate how many events happened, documented or not.

Pure: takes data frames, returns :class:`Estimate` objects. No database, no web, no printing.
Every estimator follows one contract: settings in the constructor, ``fit(data)`` returns
self, results in attributes ending in ``_`` (``estimate_`` is an :class:`Estimate`),
``summary()`` a tidy DataFrame and ``plot(ax=None)``.
"""

from uncounted.estimate.closedp import ClosedP
from uncounted.estimate.dga import DGA
from uncounted.estimate.histories import CaptureHistories
from uncounted.estimate.loglinear import LogLinear
from uncounted.estimate.result import Estimate

__all__ = ["DGA", "CaptureHistories", "ClosedP", "Estimate", "LogLinear"]
