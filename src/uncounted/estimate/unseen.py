"""Unseen-item estimators from incidence frequencies: Chao2, iChao2, jackknife, ICE.

Events are the "species" and sampling units (interviewees) the samples: from ``Q_k``, the
number of events reported by exactly ``k`` of ``T`` interviewees, each estimator gives the
number of events, reported or not. All of them use only the rarest items (reported once,
twice, ...), so they are lower bounds when detectability varies a lot.

Every estimator here is a smooth function ``S(Q_1, ..., Q_T)``; its variance is Chao's delta
method with the multinomial covariance ``Cov(Q_i, Q_j) = Q_i (1[i = j] - Q_j / S)`` (Chao
1987; SpadeR), and its interval the log-normal one on the unseen part ``f0 = S - S_obs``
(Chao 1987, *Biometrics* 43:783): ``[S_obs + f0 / C, S_obs + f0 * C]`` with
``C = exp(z sqrt(log(1 + var / f0**2)))``, which never goes below ``S_obs``. Gradients are taken
by complex-step differentiation, exact to rounding. With Chao's closed forms this reproduces
Chao (1987) for Chao2 and Burnham & Overton (1978) for the jackknife variances exactly.
"""

from __future__ import annotations

import abc
import math
import time
import warnings
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np
import pandas as pd

from uncounted.errors import EstimationError
from uncounted.estimate.incidence import IncidenceFrequencies
from uncounted.estimate.result import Estimate
from uncounted.estimate.warnings import FewRecapturesWarning

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "ICE",
    "UNSEEN_ESTIMATORS",
    "Chao2",
    "IChao2",
    "Jackknife1",
    "Jackknife2",
    "sample_coverage",
]

_ComplexArray = np.ndarray[Any, np.dtype[np.complex128]]
# Complex-step size: the derivative is Im f(x + ih) / h with no subtraction, so h can be tiny.
_STEP = 1e-20


@dataclass(frozen=True)
class _Result:
    point: float
    stderr: float
    lower: float
    upper: float
    interval: str


class _IncidenceEstimator(abc.ABC):
    """Shared machinery: fit, delta-method variance, log-normal interval, summary, plot."""

    method: ClassVar[str] = ""
    citation: ClassVar[str] = ""
    data_kind: ClassVar[str] = "incidence"
    min_units: ClassVar[int] = 2

    estimate_: Estimate
    data_: IncidenceFrequencies

    def __init__(self, level: float = 0.95) -> None:
        if not 0.0 < level < 1.0:
            raise ValueError(f"level must be between 0 and 1, got {level}")
        self.level = level

    # Subclasses define the estimator on a (possibly complex) Q vector, with any data-dependent
    # branch chosen once from the real data so that the complex step stays on one branch.
    def _branches(self, data: IncidenceFrequencies) -> dict[str, Any]:
        return {}

    @abc.abstractmethod
    def _total(self, q: _ComplexArray, T: int, branch: dict[str, Any]) -> complex:
        """The estimate as a function of the frequency counts (each estimator's formula)."""

    def _settings(self) -> dict[str, Any]:
        return {"level": self.level}

    def _diagnostics(self, data: IncidenceFrequencies, branch: dict[str, Any]) -> dict[str, Any]:
        return {}

    def fit(self, data: IncidenceFrequencies) -> Self:
        """Estimate the total number of items from incidence frequencies.

        Parameters
        ----------
        data : IncidenceFrequencies

        Returns
        -------
        self, with ``estimate_`` (an :class:`~uncounted.estimate.result.Estimate`) and
        ``data_`` set.
        """
        if not isinstance(data, IncidenceFrequencies):
            raise TypeError(
                f"{type(self).__name__}.fit needs IncidenceFrequencies, got {type(data).__name__}"
            )
        started = time.perf_counter()
        if self.min_units > data.T:
            raise EstimationError(
                f"{self.method} needs at least {self.min_units} sampling units, got T = {data.T}: "
                "with fewer units no item can be seen twice."
            )
        branch = self._branches(data)
        result = self._compute(data, branch)
        caveats = _caveats(data)
        if self._raw_total(data) < data.n_observed:
            caveats.append(
                f"{self.method} fell below the observed count (too many items reported twice "
                "against once); the observed count is reported instead"
            )
        for text in caveats:
            warnings.warn(text, FewRecapturesWarning, stacklevel=2)
        diagnostics: dict[str, Any] = {
            "T": data.T,
            "Q1": data.q(1),
            "Q2": data.q(2),
            "total_incidences": data.total_incidences,
            "f0": result.point - data.n_observed,
            "stderr": result.stderr,
            "sample_coverage": sample_coverage(data),
            "interval": result.interval,
            "citation": self.citation,
        }
        diagnostics.update(self._diagnostics(data, branch))
        self.data_ = data
        self.estimate_ = Estimate(
            method=self.method,
            n_observed=data.n_observed,
            point=result.point,
            lower=result.lower,
            upper=result.upper,
            level=self.level,
            diagnostics=diagnostics,
            warnings=caveats,
            settings=self._settings(),
            seed=None,
            seconds=time.perf_counter() - started,
        )
        return self

    def point(self, data: IncidenceFrequencies) -> float:
        """The point estimate alone (no variance, no warnings): used by bootstraps."""
        return max(self._raw_total(data), float(data.n_observed))

    def _raw_total(self, data: IncidenceFrequencies) -> float:
        q = data.Q.astype(np.complex128)
        return float(self._total(q, data.T, self._branches(data)).real)

    def _compute(self, data: IncidenceFrequencies, branch: dict[str, Any]) -> _Result:
        T = data.T
        q = data.Q.astype(np.complex128)
        total = float(self._total(q, T, branch).real)
        present = np.flatnonzero(data.Q)
        gradient = np.zeros(T + 1)
        for k in present:
            shifted = q.copy()
            shifted[k] += 1j * _STEP
            gradient[k] = self._total(shifted, T, branch).imag / _STEP
        counts = data.Q.astype(np.float64)
        variance = float(gradient**2 @ counts - (gradient @ counts) ** 2 / total)
        s_obs = data.n_observed
        z = NormalDist().inv_cdf(0.5 + self.level / 2)
        # The second-order jackknife can fall below what was observed (Q2 large against Q1);
        # no total can be smaller than the items seen.
        total = max(total, float(s_obs))
        f0 = total - s_obs
        if round(f0, 5) != 0 and variance > 0:
            c = math.exp(z * math.sqrt(math.log(1 + variance / f0**2)))
            return _Result(total, math.sqrt(variance), s_obs + f0 / c, s_obs + f0 * c, "log-normal")
        # Nothing unseen is estimated: Chao's interval for a complete-looking sample, from the
        # chance exp(-k) that an item seen k times would have been missed (as SpadeR does).
        times = np.arange(T + 1, dtype=np.float64)
        miss = np.exp(-times)
        var_obs = float(counts @ (miss - miss**2) - (times * miss @ counts) ** 2 / T)
        p = float(counts @ miss) / s_obs
        upper = (s_obs + z * math.sqrt(max(var_obs, 0.0))) / (1 - p)
        # SpadeR's lower end here is max(S_obs, centre - half), which can exceed the point
        # estimate S_obs; the interval must contain its point, and nothing below S_obs exists.
        return _Result(
            total,
            math.sqrt(max(var_obs, 0.0)),
            float(s_obs),
            max(upper, float(s_obs)),
            "no unseen items estimated: observed count to Chao's upper limit for a complete sample",
        )

    def summary(self) -> pd.DataFrame:
        """One-row frame: estimate, standard error and interval (columns named from ``level``)."""
        self._check_fitted()
        frame = self.estimate_.summary()
        frame.insert(3, "stderr", self.estimate_.diagnostics["stderr"])
        frame.insert(3, "f0", self.estimate_.diagnostics["f0"])
        return frame

    def plot(self, ax: Axes | None = None) -> Axes:
        """Bar chart of ``Q_k`` with the estimated unseen ``f0`` (and its interval) at ``k = 0``."""
        self._check_fitted()
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        est = self.estimate_
        ks = np.arange(1, self.data_.T + 1)
        ax.bar(ks, self.data_.Q[1:], color="0.35", label="reported by k units")
        f0 = est.point - est.n_observed
        ax.bar(
            [0],
            [f0],
            color="white",
            edgecolor="C3",
            hatch="//",
            label=f"estimated unreported ({est.method})",
        )
        ax.errorbar(
            [0],
            [f0],
            yerr=[[f0 - (est.lower - est.n_observed)], [est.upper - est.n_observed - f0]],
            color="C3",
            capsize=4,
        )
        ax.set_xlabel("k: number of sampling units reporting the item")
        ax.set_ylabel("number of items")
        ax.legend()
        return ax

    def _check_fitted(self) -> None:
        if not hasattr(self, "estimate_"):
            raise EstimationError(f"{type(self).__name__} is not fitted yet: call fit(data) first.")

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._settings().items())
        return f"{type(self).__name__}({inner})"


def _s_obs(q: _ComplexArray) -> complex:
    return complex(q[1:].sum())


def _at(q: _ComplexArray, k: int) -> complex:
    return complex(q[k]) if k < len(q) else 0j


def _caveats(data: IncidenceFrequencies) -> list[str]:
    q1, q2 = data.q(1), data.q(2)
    out: list[str] = []
    if q1 == data.n_observed:
        out.append(
            "no item was reported by more than one sampling unit: there is no overlap to "
            "estimate from, and any estimate of the unreported is a guess."
        )
    elif q2 == 0 and q1 > 0:
        out.append(
            "no item was reported by exactly two sampling units (Q2 = 0): Chao2-type "
            "estimates use the bias-corrected form and are unstable."
        )
    return out


def sample_coverage(data: IncidenceFrequencies) -> float:
    """Estimated sample coverage of the reference sample (Chao et al. 2014, incidence data):
    ``1 - (Q1 / U) * (T - 1) Q1 / ((T - 1) Q1 + 2 Q2)``, the share of all incidences
    (weighted by detection probability) that belong to items already seen.

    With ``Q2 = 0`` the ratio uses ``(T - 1)(Q1 - 1) / ((T - 1)(Q1 - 1) + 2)`` (iNEXT, SpadeR).
    """
    T, q1, q2, u = data.T, data.q(1), data.q(2), data.total_incidences
    return 1.0 - q1 / u * _singleton_ratio(T, q1, q2)


def _singleton_ratio(T: int, q1: float, q2: float) -> float:
    """``(T-1) Q1 / ((T-1) Q1 + 2 Q2)`` or its ``Q2 = 0`` form; 0 when ``Q1 = 0``."""
    if q1 <= 0:
        return 0.0
    if q2 > 0:
        return (T - 1) * q1 / ((T - 1) * q1 + 2 * q2)
    return (T - 1) * (q1 - 1) / ((T - 1) * (q1 - 1) + 2)


class Chao2(_IncidenceEstimator):
    r"""Chao2 lower-bound estimator of the number of items from incidence frequencies.

    .. math::
        \hat S = S_{obs} + \frac{T-1}{T} \frac{Q_1^2}{2 Q_2} \quad (Q_2 > 0), \qquad
        \hat S = S_{obs} + \frac{T-1}{T} \frac{Q_1 (Q_1 - 1)}{2 (Q_2 + 1)} \quad (Q_2 = 0)

    (Chao 1987, *Biometrics* 43:783; the ``(T-1)/T`` factor and the bias-corrected form when
    ``Q2 = 0`` follow Chao et al. 2014, *Ecol. Monogr.* 84:45, as iNEXT and SpadeR do). Variance
    by Chao's delta method; log-normal interval.

    Parameters
    ----------
    level : float
        Interval level, default 0.95.
    bias_corrected : bool
        Always use the bias-corrected form (SpadeR's "Chao2-bc"), also when ``Q2 > 0``.
    """

    method = "chao2"
    citation = "Chao (1987) Biometrics 43:783; Chao et al. (2014) Ecol. Monogr. 84:45"

    def __init__(self, level: float = 0.95, bias_corrected: bool = False) -> None:
        super().__init__(level)
        self.bias_corrected = bias_corrected

    def _settings(self) -> dict[str, Any]:
        return {"level": self.level, "bias_corrected": self.bias_corrected}

    def _branches(self, data: IncidenceFrequencies) -> dict[str, Any]:
        return {"corrected": self.bias_corrected or data.q(2) == 0}

    def _total(self, q: _ComplexArray, T: int, branch: dict[str, Any]) -> complex:
        return _s_obs(q) + _chao2_unseen(q, T, branch["corrected"])

    def _diagnostics(self, data: IncidenceFrequencies, branch: dict[str, Any]) -> dict[str, Any]:
        return {"form": "bias-corrected" if branch["corrected"] else "classic"}


def _chao2_unseen(q: _ComplexArray, T: int, corrected: bool) -> complex:
    q1, q2 = _at(q, 1), _at(q, 2)
    a = (T - 1) / T
    if corrected:
        return a * q1 * (q1 - 1) / (2 * (q2 + 1))
    return a * q1**2 / (2 * q2)


class IChao2(_IncidenceEstimator):
    r"""Improved Chao2 (Chiu, Wang, Walther & Chao 2014, *Biometrics* 70:671).

    Adds to Chao2 a correction from the items reported by three and four units:

    .. math::
        \hat S = \hat S_{Chao2} + \frac{T-3}{4T} \frac{Q_3}{Q_4}
        \max\left(Q_1 - \frac{T-3}{2(T-1)} \frac{Q_2 Q_3}{Q_4},\ 0\right)

    with ``Q4`` replaced by 1 when it is 0 (as SpadeR does). Needs ``T >= 4``.
    """

    method = "ichao2"
    citation = "Chiu, Wang, Walther & Chao (2014) Biometrics 70:671"
    min_units = 4

    def _branches(self, data: IncidenceFrequencies) -> dict[str, Any]:
        T = data.T
        q1, q2, q3 = data.q(1), data.q(2), data.q(3)
        q4 = data.q(4) if data.q(4) > 0 else 1
        inner = q1 - (T - 3) / (2 * (T - 1)) * q2 * q3 / q4
        return {"corrected": q2 == 0, "q4_zero": data.q(4) == 0, "active": inner > 0}

    def _total(self, q: _ComplexArray, T: int, branch: dict[str, Any]) -> complex:
        base = _s_obs(q) + _chao2_unseen(q, T, branch["corrected"])
        if not branch["active"]:
            return base
        q1, q2, q3 = _at(q, 1), _at(q, 2), _at(q, 3)
        q4 = _at(q, 4) + (1 if branch["q4_zero"] else 0)
        inner = q1 - (T - 3) / (2 * (T - 1)) * q2 * q3 / q4
        return base + (T - 3) / (4 * T) * q3 / q4 * inner

    def _diagnostics(self, data: IncidenceFrequencies, branch: dict[str, Any]) -> dict[str, Any]:
        return {"Q3": data.q(3), "Q4": data.q(4), "correction_applied": branch["active"]}


class Jackknife1(_IncidenceEstimator):
    r"""First-order jackknife for incidence data (Burnham & Overton 1978, *Biometrika*
    65:625; 1979, *Ecology* 60:927):

    .. math:: \hat S = S_{obs} + \frac{T-1}{T} Q_1

    The delta-method variance equals Burnham & Overton's ``sum_k a_k^2 Q_k - S``.
    """

    method = "jackknife1"
    citation = "Burnham & Overton (1978) Biometrika 65:625; (1979) Ecology 60:927"

    def _total(self, q: _ComplexArray, T: int, branch: dict[str, Any]) -> complex:
        return _s_obs(q) + (T - 1) / T * _at(q, 1)


class Jackknife2(_IncidenceEstimator):
    r"""Second-order jackknife for incidence data (Burnham & Overton 1978, 1979):

    .. math::
        \hat S = S_{obs} + \frac{2T-3}{T} Q_1 - \frac{(T-2)^2}{T (T-1)} Q_2
    """

    method = "jackknife2"
    citation = "Burnham & Overton (1978) Biometrika 65:625; (1979) Ecology 60:927"

    def _total(self, q: _ComplexArray, T: int, branch: dict[str, Any]) -> complex:
        q1, q2 = _at(q, 1), _at(q, 2)
        return _s_obs(q) + (2 * T - 3) / T * q1 - (T - 2) ** 2 / (T * (T - 1)) * q2


class ICE(_IncidenceEstimator):
    r"""Incidence-based coverage estimator (Lee & Chao 1994, *Biometrics* 50:88; Chao & Lee
    1992, *JASA* 87:210), in SpadeR's form.

    Items reported by at most ``rare_threshold`` units are "infrequent":
    ``S_rare`` of them, with ``N_rare = sum_{k<=kappa} k Q_k`` incidences. With the
    sample coverage of the infrequent group

    .. math::
        C_{rare} = 1 - \frac{Q_1}{N_{rare}} \frac{(T-1) Q_1}{(T-1) Q_1 + 2 Q_2}

    (the improved Good-Turing coverage of Chao & Jost 2012, as in SpadeR; ``classic_coverage``
    uses Lee & Chao's ``1 - Q_1 / N_rare``) and the squared coefficient of variation of the
    detection probabilities

    .. math::
        \hat\gamma^2 = \max\left(\frac{S_{rare}}{C_{rare}} \frac{T}{T-1}
        \frac{\sum_{k \le \kappa} k (k-1) Q_k}{N_{rare} (N_{rare} - 1)} - 1,\ 0\right),

    the estimate is ``S_freq + S_rare / C_rare + Q_1 / C_rare * gamma^2``. The estimated CV
    ``gamma`` is reported in ``diagnostics["cv_rare"]``.
    """

    method = "ice"
    citation = "Lee & Chao (1994) Biometrics 50:88; Chao & Lee (1992) JASA 87:210"

    def __init__(
        self, level: float = 0.95, rare_threshold: int = 10, classic_coverage: bool = False
    ) -> None:
        super().__init__(level)
        if rare_threshold < 1:
            raise ValueError(f"rare_threshold must be at least 1, got {rare_threshold}")
        self.rare_threshold = int(rare_threshold)
        self.classic_coverage = classic_coverage

    def _settings(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "rare_threshold": self.rare_threshold,
            "classic_coverage": self.classic_coverage,
        }

    def _branches(self, data: IncidenceFrequencies) -> dict[str, Any]:
        branch: dict[str, Any] = {"q1": data.q(1) > 0, "q2": data.q(2) > 0, "cv": False}
        n_rare = sum(k * data.q(k) for k in range(1, self.rare_threshold + 1))
        branch["empty"] = n_rare == 0
        if n_rare > 1:
            q = data.Q.astype(np.complex128)
            branch["cv"] = self._parts(q, data.T, {**branch, "cv": True})[3].real > 0
        return branch

    def _parts(
        self,
        q: _ComplexArray,
        T: int,
        branch: dict[str, Any],
    ) -> tuple[complex, complex, complex, complex, complex]:
        """(S_freq, S_rare, C_rare, gamma^2, N_rare) on the given branch."""
        kappa = min(self.rare_threshold, T)
        ks = np.arange(1, kappa + 1)
        rare = q[1 : kappa + 1]
        s_rare = complex(rare.sum())
        s_freq = complex(q[kappa + 1 :].sum())
        n_rare = complex(ks @ rare)
        q1, q2 = _at(q, 1), _at(q, 2)
        if self.classic_coverage:
            missed: complex = 1
        elif branch["q1"] and branch["q2"]:
            missed = (T - 1) * q1 / ((T - 1) * q1 + 2 * q2)
        elif branch["q1"]:
            missed = (T - 1) * (q1 - 1) / ((T - 1) * (q1 - 1) + 2)
        else:
            missed = 0
        coverage = 1 - q1 / n_rare * missed
        gamma2: complex = 0
        if branch["cv"]:
            pairs = complex((ks * (ks - 1)) @ rare)
            gamma2 = s_rare / coverage * T / (T - 1) * pairs / (n_rare * (n_rare - 1)) - 1
        return s_freq, s_rare, coverage, gamma2, n_rare

    def _total(self, q: _ComplexArray, T: int, branch: dict[str, Any]) -> complex:
        if branch["empty"]:
            return _s_obs(q)
        s_freq, s_rare, coverage, gamma2, _ = self._parts(q, T, branch)
        return s_freq + s_rare / coverage + _at(q, 1) / coverage * gamma2

    def _diagnostics(self, data: IncidenceFrequencies, branch: dict[str, Any]) -> dict[str, Any]:
        if branch["empty"]:
            return {"rare_threshold": self.rare_threshold, "s_rare": 0, "cv_rare": 0.0}
        q = data.Q.astype(np.complex128)
        s_freq, s_rare, coverage, gamma2, n_rare = self._parts(q, data.T, branch)
        return {
            "rare_threshold": self.rare_threshold,
            "s_rare": int(s_rare.real),
            "s_frequent": int(s_freq.real),
            "n_rare_incidences": int(n_rare.real),
            "coverage_rare": coverage.real,
            "cv_rare": math.sqrt(max(gamma2.real, 0.0)),
        }


UNSEEN_ESTIMATORS: dict[str, type[_IncidenceEstimator]] = {
    "chao2": Chao2,
    "ichao2": IChao2,
    "jackknife1": Jackknife1,
    "jackknife2": Jackknife2,
    "ice": ICE,
}
"""Unseen-item estimators by their CLI method name."""
