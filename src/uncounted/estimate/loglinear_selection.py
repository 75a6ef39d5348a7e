"""Choosing the two-list interactions of a log-linear model.

Two schemes:

- **stepwise** (Chan, Silverman & Vincent 2021, *JASA* 116:1297, section 3.2; SparseMSE
  ``stepwisefit``): start from main effects; for every pair ``(i, j)`` not yet in the model
  compare its observed overlap ``n*`` (items on both lists) with ``lambda*``, the sum of the
  current fitted counts over the cells containing both lists; its p-value is
  ``min(P(Pois(lambda*) <= n*), P(Pois(lambda*) >= n*))``, or 1 if adding the pair would
  leave a model whose MLE does not exist or is not identifiable. Add the pair with the
  smallest p-value (the first in pair order on ties) while it is below ``pthresh``.
- **information criterion** (AIC or BIC; Akaike 1974, Schwarz 1978): among all models with
  main effects and any set of pairs whose MLE exists, take the one with the smallest
  criterion (every subset for up to ``EXHAUSTIVE_MAX_LISTS`` lists; beyond, a greedy
  forward search that adds the best pair while the criterion decreases). Ties go to the
  model found first, i.e. with fewer pairs.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy.stats import poisson

from uncounted.estimate.loglinear_design import (
    LogLinearFit,
    Pair,
    all_pairs,
    cell_bits,
    fit_model,
    pair_overlaps,
)
from uncounted.estimate.loglinear_existence import check_model

__all__ = ["EXHAUSTIVE_MAX_LISTS", "Selection", "select_by_criterion", "select_stepwise"]

EXHAUSTIVE_MAX_LISTS = 5


@dataclass
class Selection:
    """A chosen model and how it was chosen.

    Attributes
    ----------
    fit : LogLinearFit
    pairs : list of Pair
        Pairs in the model, in the order they were added.
    steps : list of dict
        Stepwise: one entry per pair added (``pair``, ``p_value``, ``lambda``, ``overlap``).
        Criterion search: the best models seen (``pairs``, ``criterion``).
    models_checked : int
    rejected : list of tuple
        Models (pair tuples) skipped because their MLE does not exist or is not
        identifiable.
    """

    fit: LogLinearFit
    pairs: list[Pair]
    steps: list[dict[str, Any]] = field(default_factory=list)
    models_checked: int = 0
    rejected: list[tuple[Pair, ...]] = field(default_factory=list)


def select_stepwise(
    table: np.ndarray[Any, Any], k: int, lists: Sequence[str], pthresh: float = 0.02
) -> Selection:
    """SparseMSE's stepwise selection (module docstring). ``pthresh = 0`` keeps main
    effects only; ``pthresh = 1`` takes all pairs if that model passes the check."""
    fit = fit_model(table, k, [], lists)
    chosen: list[Pair] = []
    steps: list[dict[str, Any]] = []
    rejected: list[tuple[Pair, ...]] = []
    checked = 1
    if pthresh <= 0:
        return Selection(fit, chosen, steps, checked, rejected)
    candidates = all_pairs(k)
    if pthresh >= 1 and check_model(table, k, candidates) == 0:
        # SparseMSE's shortcut: with pthresh = 1 every pair would enter, so it fits the
        # model with all pairs when that model passes the check.
        return Selection(fit_model(table, k, candidates, lists), candidates, steps, 2, rejected)
    observed = pair_overlaps(table, k)
    bits = cell_bits(k)
    while len(chosen) < len(candidates):
        rows = bits[fit.data.cells]
        scored: list[tuple[float, int, Pair, float]] = []
        for index, pair in enumerate(candidates):
            if pair in chosen:
                continue
            i, j = pair
            expected = float(fit.glm.mu[(rows[:, i] & rows[:, j]) == 1].sum())
            n_star = observed[pair]
            p_value = min(
                float(poisson.cdf(n_star, expected)), float(poisson.sf(n_star - 1, expected))
            )
            scored.append((p_value, index, pair, expected))
        # SparseMSE gives p = 1 to every candidate that fails the existence check and then
        # takes the smallest p (first in pair order on ties); checking candidates in that
        # order and stopping at the first that passes picks the same pair with fewer LPs.
        scored.sort(key=lambda item: (item[0], item[1]))
        best: tuple[float, Pair, float] | None = None
        for p_value, _, pair, expected in scored:
            if p_value >= pthresh:
                break
            checked += 1
            if check_model(table, k, [*chosen, pair]) > 0:
                rejected.append((*chosen, pair))
                continue
            best = (p_value, pair, expected)
            break
        if best is None:
            break
        chosen.append(best[1])
        steps.append(
            {
                "pair": best[1],
                "p_value": best[0],
                "lambda": best[2],
                "overlap": observed[best[1]],
            }
        )
        fit = fit_model(table, k, chosen, lists)
    return Selection(fit, chosen, steps, checked, rejected)


def select_by_criterion(
    table: np.ndarray[Any, Any],
    k: int,
    lists: Sequence[str],
    criterion: Literal["aic", "bic"] = "aic",
) -> Selection:
    """Model with the smallest AIC or BIC among those whose MLE exists (module docstring)."""
    if k <= EXHAUSTIVE_MAX_LISTS:
        return _exhaustive(table, k, lists, criterion)
    return _forward(table, k, lists, criterion)


def _score(fit: LogLinearFit, criterion: str) -> float:
    return fit.aic if criterion == "aic" else fit.bic


def _exhaustive(
    table: np.ndarray[Any, Any], k: int, lists: Sequence[str], criterion: str
) -> Selection:
    pairs = all_pairs(k)
    best: tuple[float, LogLinearFit, list[Pair]] | None = None
    ranked: list[tuple[float, tuple[Pair, ...]]] = []
    rejected: list[tuple[Pair, ...]] = []
    checked = 0
    for size in range(len(pairs) + 1):
        for subset in itertools.combinations(pairs, size):
            checked += 1
            if size and check_model(table, k, subset) > 0:
                rejected.append(subset)
                continue
            fit = fit_model(table, k, subset, lists)
            score = _score(fit, criterion)
            ranked.append((score, subset))
            if best is None or score < best[0]:
                best = (score, fit, list(subset))
    assert best is not None
    ranked.sort(key=lambda item: item[0])
    steps = [{"pairs": list(s), criterion: score} for score, s in ranked[:10]]
    return Selection(best[1], best[2], steps, checked, rejected)


def _forward(
    table: np.ndarray[Any, Any], k: int, lists: Sequence[str], criterion: str
) -> Selection:
    chosen: list[Pair] = []
    fit = fit_model(table, k, chosen, lists)
    score = _score(fit, criterion)
    steps: list[dict[str, Any]] = [{"pairs": [], criterion: score}]
    rejected: list[tuple[Pair, ...]] = []
    checked = 1
    while True:
        best: tuple[float, LogLinearFit, Pair] | None = None
        for pair in all_pairs(k):
            if pair in chosen:
                continue
            checked += 1
            if check_model(table, k, [*chosen, pair]) > 0:
                rejected.append((*chosen, pair))
                continue
            candidate = fit_model(table, k, [*chosen, pair], lists)
            cand_score = _score(candidate, criterion)
            if best is None or cand_score < best[0]:
                best = (cand_score, candidate, pair)
        if best is None or best[0] >= score:
            break
        score, fit = best[0], best[1]
        chosen.append(best[2])
        steps.append({"pairs": list(chosen), criterion: score})
    return Selection(fit, chosen, steps, checked, rejected)
