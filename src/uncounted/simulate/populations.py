"""Capture histories of populations whose size is known, for checking estimators.

Each scenario draws ``N`` individuals and the lists that recorded each of them, then keeps
only the observed capture patterns (the all-zero pattern is dropped, as in real data). The
scenarios stress the assumptions the estimators in :mod:`uncounted.estimate` make:

``independent``
    Five lists, every individual alike, lists independent (Fienberg 1972's independence
    log-linear model; Rcapture's Mt).
``dependence``
    Five lists with two positively dependent pairs (A-B and C-D): a log-linear model with
    two two-way interactions, a decomposable graph (Madigan & York 1997).
``heterogeneity``
    Five lists, individuals in two latent classes (a visible minority, a hidden majority),
    lists independent within a class: the model of Manrique-Vallier (2016) with two classes.
``sparse``
    Five independent lists with low capture probabilities, so that some pairs of lists
    share few or no individuals (the setting of Chan, Silverman & Vincent 2021).
``three_lists``
    Three independent lists.
``eight_lists``
    Eight lists and two latent classes whose list probabilities differ by list.

Pure numpy and pandas; every draw is fixed by its seed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "SCENARIOS",
    "Population",
    "Scenario",
    "draw_population",
    "latent_class_histories",
    "loglinear_histories",
]

_FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Population:
    """One simulated population: the observed capture histories and the truth.

    Attributes
    ----------
    scenario : str
        Name of the scenario that drew it.
    histories : pandas.DataFrame
        One 0/1 column per list and a ``count`` column, one row per observed pattern.
    true_n : int
        Number of individuals, observed or not.
    seed : int
        Seed of the draw.
    """

    scenario: str
    histories: pd.DataFrame
    true_n: int
    seed: int

    @property
    def n_observed(self) -> int:
        """Number of individuals on at least one list."""
        return int(self.histories["count"].sum())

    @property
    def lists(self) -> list[str]:
        """Names of the list columns."""
        return [c for c in self.histories.columns if c != "count"]


@dataclass(frozen=True)
class Scenario:
    """A recipe for simulated populations.

    Attributes
    ----------
    name : str
        Short name (``"independent"``, ``"dependence"``, ...).
    description : str
        One line saying what is true of the populations it draws.
    n_lists : int
        Number of lists.
    true_n : int
        Population size.
    draw : callable
        ``draw(rng)`` returns the observed patterns of ``true_n`` individuals (list columns
        and ``count``).
    """

    name: str
    description: str
    n_lists: int
    true_n: int
    draw: Callable[[np.random.Generator], pd.DataFrame]


def list_names(k: int) -> list[str]:
    """``A``, ``B``, ... for ``k`` lists."""
    return [chr(ord("A") + j) for j in range(k)]


def _aggregate(captured: npt.NDArray[np.bool_], lists: Sequence[str]) -> pd.DataFrame:
    """Count identical capture patterns, dropping the unobservable all-zero one."""
    k = len(lists)
    codes = captured.astype(np.int64) @ (1 << np.arange(k - 1, -1, -1, dtype=np.int64))
    counts = np.bincount(codes, minlength=1 << k)
    return _frame_from_cell_counts(counts, lists)


def _frame_from_cell_counts(counts: npt.NDArray[np.int64], lists: Sequence[str]) -> pd.DataFrame:
    """Frame of the non-empty cells of a full ``2**k`` table in binary order, zero cell left out."""
    k = len(lists)
    cells = np.flatnonzero(counts)
    cells = cells[cells != 0]
    bits = (cells[:, None] >> np.arange(k - 1, -1, -1)) & 1
    frame = pd.DataFrame(bits.astype(np.int64), columns=list(lists))
    frame["count"] = counts[cells].astype(np.int64)
    return frame


def latent_class_histories(
    rng: np.random.Generator,
    n: int,
    weights: Sequence[float],
    probabilities: Sequence[Sequence[float]] | _FloatArray,
) -> pd.DataFrame:
    """Individuals in latent classes, lists independent given the class.

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int
        Population size.
    weights : sequence of float
        Class proportions (summing to 1).
    probabilities : array-like, shape (classes, lists)
        Probability that a member of each class is on each list.

    Returns
    -------
    pandas.DataFrame
        Observed patterns with a ``count`` column.
    """
    probs = np.asarray(probabilities, dtype=np.float64)
    if probs.ndim != 2 or probs.shape[0] != len(weights):
        raise ValueError("probabilities must have one row per class")
    if not np.isclose(sum(weights), 1.0):
        raise ValueError(f"class weights must sum to 1, got {sum(weights)}")
    classes = rng.choice(len(weights), size=n, p=np.asarray(weights, dtype=np.float64))
    captured = rng.random((n, probs.shape[1])) < probs[classes]
    return _aggregate(captured, list_names(probs.shape[1]))


def loglinear_histories(
    rng: np.random.Generator,
    n: int,
    probabilities: Sequence[float],
    interactions: dict[tuple[int, int], float],
) -> pd.DataFrame:
    """A multinomial draw of ``n`` individuals from a log-linear model over the ``2**k`` cells.

    The cell probabilities are proportional to
    ``exp(sum_j beta_j x_j + sum_(i,j) gamma_ij x_i x_j)`` with ``beta_j = logit(p_j)``
    (Fienberg 1972), so each ``gamma`` is the log odds ratio between two lists.

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int
        Population size.
    probabilities : sequence of float
        Capture probability of each list when there is no interaction.
    interactions : dict
        ``{(i, j): log odds ratio}`` for list indices ``i < j``.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    k = p.size
    cells = np.arange(1 << k)
    x = ((cells[:, None] >> np.arange(k - 1, -1, -1)) & 1).astype(np.float64)
    log_mu = x @ np.log(p / (1.0 - p))
    for (i, j), gamma in interactions.items():
        log_mu += gamma * x[:, i] * x[:, j]
    mu = np.exp(log_mu - log_mu.max())
    counts = rng.multinomial(n, mu / mu.sum()).astype(np.int64)
    return _frame_from_cell_counts(counts, list_names(k))


def _independent(n: int, probs: Sequence[float]) -> Callable[[np.random.Generator], pd.DataFrame]:
    return lambda rng: latent_class_histories(rng, n, [1.0], [list(probs)])


def _dependent(rng: np.random.Generator) -> pd.DataFrame:
    # A log odds ratio of 1.5 (odds ratio ~4.5) on two pairs: strong enough that the
    # independence model underestimates badly, as referral between lists does in practice.
    return loglinear_histories(rng, 2000, [0.2, 0.15, 0.25, 0.2, 0.15], {(0, 1): 1.5, (2, 3): 1.5})


def _heterogeneous(rng: np.random.Generator) -> pd.DataFrame:
    return latent_class_histories(
        rng, 2000, [0.4, 0.6], [[0.5, 0.4, 0.45, 0.5, 0.35], [0.15, 0.1, 0.2, 0.12, 0.15]]
    )


def _eight_lists(rng: np.random.Generator) -> pd.DataFrame:
    return latent_class_histories(
        rng,
        2000,
        [0.4, 0.6],
        [
            [0.35, 0.25, 0.3, 0.2, 0.3, 0.25, 0.2, 0.3],
            [0.1, 0.15, 0.08, 0.12, 0.1, 0.15, 0.12, 0.08],
        ],
    )


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        Scenario(
            "independent",
            "5 independent lists, p 0.15-0.30, all individuals alike",
            5,
            2000,
            _independent(2000, [0.2, 0.15, 0.3, 0.25, 0.2]),
        ),
        Scenario(
            "dependence",
            "5 lists, pairs A-B and C-D dependent (log odds ratio 1.5), individuals alike",
            5,
            2000,
            _dependent,
        ),
        Scenario(
            "heterogeneity",
            "5 lists, 2 latent classes (40 % seen often, 60 % rarely), independent within class",
            5,
            2000,
            _heterogeneous,
        ),
        Scenario(
            "sparse",
            "5 independent lists, p 0.03-0.06: pair overlaps of 0-6 individuals",
            5,
            2000,
            _independent(2000, [0.05, 0.04, 0.06, 0.03, 0.05]),
        ),
        Scenario(
            "three_lists",
            "3 independent lists, p 0.2-0.3, all individuals alike",
            3,
            1000,
            _independent(1000, [0.25, 0.2, 0.3]),
        ),
        Scenario(
            "eight_lists",
            "8 lists, 2 latent classes (40 % seen often), independent within class",
            8,
            2000,
            _eight_lists,
        ),
    ]
}


def draw_population(scenario: str | Scenario, seed: int) -> Population:
    """Draw one population of a scenario.

    Parameters
    ----------
    scenario : str or Scenario
        A key of :data:`SCENARIOS` or a scenario.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same histories.

    Examples
    --------
    >>> pop = draw_population("independent", seed=1)
    >>> pop.true_n, pop.lists
    (2000, ['A', 'B', 'C', 'D', 'E'])
    """
    recipe = SCENARIOS[scenario] if isinstance(scenario, str) else scenario
    histories = recipe.draw(np.random.default_rng(seed))
    return Population(recipe.name, histories, recipe.true_n, seed)
