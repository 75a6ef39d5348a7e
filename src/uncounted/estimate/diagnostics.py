"""Convergence diagnostics for Markov chain Monte Carlo draws: effective sample size and R-hat.

Both take draws shaped ``(chains, draws)`` (a 1-D array is one chain) and follow
Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), "Rank-normalization, folding, and
localization: an improved R-hat for assessing convergence of MCMC", *Bayesian Analysis*
16(2):667-718, which refines Gelman et al., *Bayesian Data Analysis* (3rd ed., 2013),
section 11.4-11.5.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = ["autocorrelation", "effective_sample_size", "rhat"]

Draws = npt.ArrayLike


def _as_chains(draws: Draws) -> npt.NDArray[np.float64]:
    x = np.asarray(draws, dtype=np.float64)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2:
        raise ValueError(f"draws must be 1-D or (chains, draws), got shape {x.shape}")
    if x.shape[1] < 4:
        raise ValueError(f"need at least 4 draws per chain, got {x.shape[1]}")
    if not np.all(np.isfinite(x)):
        raise ValueError("draws must be finite")
    return x


def autocorrelation(x: Draws) -> npt.NDArray[np.float64]:
    """Sample autocorrelation of one chain at lags ``0 .. n-1`` (biased estimator, by FFT).

    A constant chain has autocorrelation 1 at lag 0 and 0 elsewhere.
    """
    values = np.asarray(x, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError("autocorrelation takes one chain (a 1-D array)")
    n = values.shape[0]
    centred = values - values.mean()
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(centred, size)
    acov = np.fft.irfft(spectrum * np.conjugate(spectrum), size)[:n] / n
    out = np.zeros(n)
    if acov[0] <= 0.0:
        out[0] = 1.0
        return out
    return np.asarray(acov / acov[0], dtype=np.float64)


def _ess_raw(x: npt.NDArray[np.float64]) -> float:
    """ESS of ``(chains, draws)`` without splitting or rank normalisation.

    Multi-chain autocorrelation (Vehtari et al. 2021, eq. 10) summed with Geyer's (1992)
    initial monotone positive sequence.
    """
    m, n = x.shape
    chain_var = x.var(axis=1, ddof=1)
    within = chain_var.mean()
    between_over_n = x.mean(axis=1).var(ddof=1) if m > 1 else 0.0
    var_plus = within * (n - 1) / n + between_over_n
    if var_plus <= 0.0 or not math.isfinite(var_plus):
        return float(m * n) if var_plus == 0.0 else float("nan")
    acov = np.stack([autocorrelation(chain) for chain in x]) * (chain_var * (n - 1) / n)[:, None]
    rho = 1.0 - (within - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    # Sum pairs (rho[2t] + rho[2t+1]) while positive, forcing them non-increasing.
    pairs = rho[: 2 * (n // 2)].reshape(-1, 2).sum(axis=1)
    positive = np.flatnonzero(pairs <= 0.0)
    pairs = pairs[: positive[0]] if positive.size else pairs
    if pairs.size == 0:
        return float(m * n)
    pairs = np.minimum.accumulate(pairs)
    tau = -1.0 + 2.0 * pairs.sum()
    # Antithetic chains can give tau < 1; cap ESS at m n log10(m n) as Stan does.
    tau = max(tau, 1.0 / math.log10(max(m * n, 10)))
    return float(m * n / tau)


def _split(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    half = x.shape[1] // 2
    return np.concatenate([x[:, :half], x[:, x.shape[1] - half :]], axis=0)


def _average_ranks(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Ranks 1..n of a flat array, ties given the mean of the ranks they span."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], ordered.size]
    group_rank = (starts + ends + 1) / 2.0
    ranks = np.empty(values.size)
    ranks[order] = np.repeat(group_rank, ends - starts)
    return ranks


def _rank_normalise(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    # Imported here: scipy.special is only needed once draws exist, and importing it
    # up front would slow every import of the estimate package.
    from scipy.special import ndtri

    ranks = _average_ranks(x.ravel()).reshape(x.shape)
    z = ndtri((ranks - 3.0 / 8.0) / (x.size + 1.0 / 4.0))
    return np.asarray(z, dtype=np.float64)


def effective_sample_size(draws: Draws, *, method: str = "bulk") -> float:
    """Effective sample size of MCMC draws.

    Parameters
    ----------
    draws : array_like
        ``(chains, draws)`` or one chain as a 1-D array.
    method : {"bulk", "tail", "plain"}
        ``"bulk"``: split chains, rank-normalised (Vehtari et al. 2021, section 3.2): ESS
        for the centre of the distribution (median, mean). ``"tail"``: the smaller ESS of
        the 5 % and 95 % quantile indicators: ESS for interval ends. ``"plain"``: split
        chains, no rank normalisation (BDA3 eq. 11.8 with Geyer's truncation).

    Returns
    -------
    float
        At most ``chains * draws * log10(chains * draws)``; a constant input returns the
        number of draws.
    """
    x = _as_chains(draws)
    if method == "plain":
        return _ess_raw(_split(x))
    if method == "bulk":
        return _ess_raw(_split(_rank_normalise(x)))
    if method == "tail":
        out = math.inf
        for prob in (0.05, 0.95):
            indicator = (x <= np.quantile(x, prob)).astype(np.float64)
            out = min(out, _ess_raw(_split(indicator)))
        return out
    raise ValueError(f"method must be 'bulk', 'tail' or 'plain', got {method!r}")


def _rhat_raw(x: npt.NDArray[np.float64]) -> float:
    n = x.shape[1]
    within = x.var(axis=1, ddof=1).mean()
    between_over_n = x.mean(axis=1).var(ddof=1)
    if within <= 0.0:
        return 1.0 if between_over_n == 0.0 else math.inf
    var_plus = within * (n - 1) / n + between_over_n
    return float(math.sqrt(var_plus / within))


def rhat(draws: Draws) -> float:
    """Rank-normalised split R-hat (Vehtari et al. 2021, section 4.2).

    The larger of the split R-hat of the rank-normalised draws and of their folded
    (absolute deviation from the median) version; near 1 when chains agree. Values above
    1.01 (strict) or 1.05 (lenient) suggest that chains have not mixed. One chain is split
    in two, so a single chain that drifts is also flagged.
    """
    x = _as_chains(draws)
    bulk = _rhat_raw(_split(_rank_normalise(x)))
    folded = np.abs(x - np.median(x))
    tail = _rhat_raw(_split(_rank_normalise(folded)))
    return max(bulk, tail)
