"""Estimate how many events happened, documented or not.

Pure: takes data frames, returns :class:`Estimate` objects. No database, no web, no printing.
"""

from uncounted.estimate.result import Estimate

__all__ = ["Estimate"]
