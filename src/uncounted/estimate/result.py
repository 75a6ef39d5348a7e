"""The one result type every estimator returns."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd


@dataclass
class Estimate:
    """A population-size estimate with its interval, method and caveats.

    Attributes
    ----------
    method : str
        Short method name (``"lcmcr"``, ``"dga"``, ``"chao2"``, ...).
    n_observed : int
        Number of distinct items actually observed.
    point : float
        Point estimate of the total (posterior median or MLE).
    lower, upper : float
        Interval ends at ``level``.
    level : float
        Nominal coverage of the interval (e.g. 0.95).
    diagnostics : dict
        Method-specific diagnostics (ESS, R-hat, deviance, AIC, selected model, ...).
    warnings : list of str
        Human-readable caveats (each also emitted as a ``StatisticalWarning``).
    settings : dict
        Every setting needed to rerun the fit.
    seed : int or None
        Random seed used (None for deterministic methods).
    seconds : float
        Wall time spent fitting.
    draws : numpy array or None
        Posterior draws or bootstrap replicates of N, when the method has them;
        used to combine strata by summing draws rather than interval ends.
    """

    method: str
    n_observed: int
    point: float
    lower: float
    upper: float
    level: float = 0.95
    diagnostics: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None
    seconds: float = 0.0
    draws: np.ndarray[Any, np.dtype[np.float64]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not (0.0 < self.level < 1.0):
            raise ValueError(f"level must be between 0 and 1, got {self.level}")

    @property
    def n_unobserved(self) -> float:
        """Estimated number of items no list captured."""
        return self.point - self.n_observed

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary with the keys the CLI prints."""
        out = asdict(self)
        out.pop("draws", None)
        out["estimate"] = _clean(out.pop("point"))
        out["lower"] = _clean(self.lower)
        out["upper"] = _clean(self.upper)
        out["diagnostics"] = _jsonable(self.diagnostics)
        out["settings"] = _jsonable(self.settings)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def summary(self) -> pd.DataFrame:
        """One-row tidy frame; interval columns are named from ``level``."""
        pct = f"{self.level * 100:g}%"
        return pd.DataFrame(
            [
                {
                    "method": self.method,
                    "n_observed": self.n_observed,
                    "estimate": self.point,
                    f"lower {pct}": self.lower,
                    f"upper {pct}": self.upper,
                    "warnings": len(self.warnings),
                }
            ]
        )


def _clean(x: float) -> float | None:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return None
    return float(x)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating | float):
        return _clean(float(obj))
    return obj
