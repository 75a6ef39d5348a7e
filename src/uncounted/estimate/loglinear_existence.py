"""Does the maximum-likelihood estimate of a log-linear model exist for these data?

With sparse overlaps some cells are empty and the likelihood of a log-linear model can keep
increasing as a parameter runs to infinity: there is then no (finite) MLE, and a fitted
"estimate" is only wherever the iterations stopped. Fienberg & Rinaldo (2012, *Ann.
Statist.* 40:996) show that the MLE exists exactly when the sufficient
statistics ``t = X' y`` lie in the relative interior of the cone spanned by the rows of the
design ``X``, i.e. when some strictly positive table ``u`` has the same sufficient
statistics. That is a linear programme, the check of Chan, Silverman & Vincent (2021,
*JASA* 116:1297; SparseMSE ``checkident``):

    maximise s  subject to  X' u = X' y,  u >= s,  u >= 0;

the MLE exists if and only if the optimum ``s`` is positive. The design is also required to
have full column rank (otherwise the parameters are not identifiable). The result depends
on the data only through which cells are empty, so it is cached on that pattern.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.optimize import linprog

from uncounted.estimate.loglinear_design import Pair, build_model
from uncounted.estimate.loglinear_glm import gram_independent

__all__ = ["MLE_MISSING", "NOT_IDENTIFIABLE", "check_model", "positive_table_exists"]

MLE_MISSING = 1
NOT_IDENTIFIABLE = 2

# R's qr() default tolerance, which SparseMSE uses to call a design rank-deficient.
_RANK_TOLERANCE = 1e-7
# Entries of the projected design below this are rounding noise of the null-space basis
# (the design holds small integers).
_ROUNDING = 1e-9
# Eigenvalues of x'x (x holds small integers) below this share of the largest are zero.
_NULL_EIGENVALUE = 1e-10


def check_model(table: np.ndarray[Any, Any], k: int, pairs: Sequence[Pair]) -> int:
    """SparseMSE's error code for a model: 0 fine, 1 no MLE, 2 not identifiable, 3 both."""
    support = (np.asarray(table)[: 2**k] > 0).tobytes()
    return _check_cached(k, tuple(sorted(pairs)), support)


@lru_cache(maxsize=65536)
def _check_cached(k: int, pairs: tuple[Pair, ...], support: bytes) -> int:
    table = np.frombuffer(support, dtype=bool).astype(np.float64)
    lists = [str(j) for j in range(k)]
    data = build_model(table, k, pairs, lists)
    code = 0
    if not positive_table_exists(data.x, data.y):
        code += MLE_MISSING
    if not gram_independent(data.x.T @ data.x, _RANK_TOLERANCE**2).all():
        code += NOT_IDENTIFIABLE
    return code


def positive_table_exists(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> bool:
    """Whether a table ``u > 0`` with ``x' u = x' y`` exists.

    Solved through its Farkas dual, which is much smaller than the LP above: no such ``u``
    exists exactly when there is a direction ``d`` with ``x d = 0`` on the non-empty cells,
    ``x d >= 0`` on the empty ones and ``x d != 0`` (along it the likelihood increases for
    ever). Writing ``d = K c`` with ``K`` a basis of the null space of the non-empty rows,
    the check is: maximise ``sum(x_Z K c)`` subject to ``x_Z K c >= 0`` and
    ``sum(x_Z K c) <= 1``; the optimum is 1 if such a direction exists and 0 otherwise.
    """
    y = np.asarray(y, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    empty = y <= 0
    if not empty.any():
        return True
    basis = _null_space(x[~empty]) if (~empty).any() else np.eye(x.shape[1])
    if basis.shape[1] == 0:
        return True
    a = x[empty] @ basis
    a[np.abs(a) < _ROUNDING] = 0.0
    total = a.sum(axis=0)
    if not a.any():
        return True
    result = linprog(
        -total,
        A_ub=np.vstack([-a, total]),
        b_ub=np.concatenate([np.zeros(len(a)), [1.0]]),
        bounds=(None, None),
        method="highs",
    )
    if result.status != 0:
        return True
    return bool(-result.fun < 0.5)


def _null_space(x: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Orthonormal basis of ``{d : x d = 0}`` from the eigenvectors of the small ``x' x``."""
    values, vectors = np.linalg.eigh(x.T @ x)
    scale = max(float(values[-1]), 1.0)
    return np.asarray(vectors[:, values <= _NULL_EIGENVALUE * scale], dtype=np.float64)
