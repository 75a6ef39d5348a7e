"""The LCMCR Gibbs sweep, compiled with numba.

One sweep updates, in the order of LCMCR 0.4.14 (``NPLCM_CR_Basic_Freq.cpp``,
Manrique-Vallier 2016):

1. the split of each observed capture pattern's count over the latent classes,
   a multinomial per pattern (never one label per individual);
2. the capture probabilities ``lambda[j, k] ~ Beta(1 + captured, 1 + not captured)``,
   counting the unobserved individuals allocated in the previous sweep;
3. the stick-breaking weights ``V_k ~ Beta(1 + n_k, alpha + sum_{l>k} n_l)``, kept on the
   log scale (a stick's gammas too when ``alpha + sum_{l>k} n_l < 1``, as they can
   underflow);
4. the probability ``pi0`` of the all-zero history and the unobserved count
   ``n0 ~ NegBin(n, 1 - pi0)`` (redrawn while above ``20 n``, as LCMCR does);
5. the split of ``n0`` over classes, a multinomial;
6. ``alpha ~ Gamma(a_alpha + K - 1, b_alpha - log pi_K)`` (skipped during warm-up).

The cost of a sweep is O(P K J) for P distinct patterns, J lists and K classes, whatever
the number of individuals. Pattern probabilities are products on the natural scale (with
a log-scale fallback when a pattern's probabilities underflow for every class), and the
multinomials visit classes in decreasing order of weight so that they usually stop after
the few occupied classes.

Chain state lives in arrays owned by the caller, so sampling can proceed in chunks (for
progress reports) and resume exactly where it stopped.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from uncounted.estimate.lcmcr_random import (
    State,
    binomial,
    jit,
    log_gamma,
    negative_binomial,
    uniform,
)
from uncounted.estimate.lcmcr_random import gamma as gamma_draw
from uncounted.estimate.lcmcr_split import (
    _class_totals,
    _split_by_binomials,
    _split_by_uniforms,
)

__all__ = ["initialise", "relabel_by_weight", "run_sweeps"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B1 = npt.NDArray[np.bool_]

# LCMCR redraws n0 while it exceeds this multiple of n; a cap on retries keeps a
# degenerate state (pi0 ~ 1) from looping forever.
_N0_CAP_FACTOR = 20
_N0_MAX_RETRIES = 1000
# Below this, a pattern's class probabilities are recomputed on the log scale.
_TINY = 1e-280
# A row of pattern probabilities whose sum leaves this range is rescaled to sum 1, so that
# no class is lost to underflow part way down the pattern tree.
_RESCALE_BELOW = 1e-60
_RESCALE_ABOVE = 1e60
# With more lists than this, or when some class's probability of being missed by every
# list falls below _MISS_TINY, pattern probabilities are computed on the log scale: the
# product form could then lose a class to underflow even with rescaling.
_PRODUCT_MAX_LISTS = 25
_MISS_TINY = 1e-200


@jit
def _descending_order(w: F64, order: I64) -> None:
    # Insertion sort: K is small (10 by default).
    n_classes = w.shape[0]
    for k in range(n_classes):
        order[k] = k
    for i in range(1, n_classes):
        key = order[i]
        t = i - 1
        while t >= 0 and w[order[t]] < w[key]:
            order[t + 1] = order[t]
            t -= 1
        order[t + 1] = key


@jit
def _multinomial_ordered(rng: State, n: int, prob: F64, order: I64, suffix: F64, out: I64) -> None:
    """Split ``n`` over classes with weights ``prob`` (unnormalised), into ``out``.

    Conditional binomials in the order ``order``; stops as soon as nobody is left.
    """
    n_classes = prob.shape[0]
    acc = 0.0
    for i in range(n_classes - 1, -1, -1):
        acc += prob[order[i]]
        suffix[i] = acc
    for k in range(n_classes):
        out[k] = 0
    left = n
    for i in range(n_classes):
        if left == 0:
            break
        k = order[i]
        if i == n_classes - 1 or suffix[i + 1] <= 0.0:
            out[k] = left
            break
        c = binomial(rng, left, prob[k] / suffix[i])
        out[k] = c
        left -= c


@jit
def _pattern_probs_log(
    m: int, ones_ptr: I64, ones_idx: I64, log_pi: F64, r: F64, q: F64, prob: F64
) -> float:
    # Same quantity as the product form, on the log scale, shifted by its maximum.
    n_classes = prob.shape[0]
    n_lists = q.shape[0]
    top = -np.inf
    for k in range(n_classes):
        lp = log_pi[k]
        for j in range(n_lists):
            lp += math.log(q[j, k])
        for t in range(ones_ptr[m], ones_ptr[m + 1]):
            lp += math.log(r[ones_idx[t], k])
        prob[k] = lp
        if lp > top:
            top = lp
    total = 0.0
    for k in range(n_classes):
        prob[k] = math.exp(prob[k] - top)
        total += prob[k]
    return total


@jit
def _pattern_probs(
    parent: I64,
    last: I64,
    ones_ptr: I64,
    ones_idx: I64,
    log_pi: F64,
    w: F64,
    r: F64,
    q: F64,
    prob: F64,
    total: F64,
) -> None:
    """Unnormalised class probabilities of every pattern, ``prob[m, k] ∝ pi_k P(x_m | k)``,
    and their row sums.

    Each row is its parent's row (the same pattern without its last list) times that
    list's odds, one multiplication per class; rows are ordered parents first. A row whose
    sum drifts far from 1 is rescaled (its children inherit the scale; only ratios within
    a row matter), and one whose sum underflows is recomputed on the log scale.
    """
    n_rows, n_classes = prob.shape
    for m in range(n_rows):
        j = last[m]
        up = parent[m]
        acc = 0.0
        if up < 0:
            for k in range(n_classes):
                prob[m, k] = w[k] * r[j, k]
                acc += prob[m, k]
        else:
            for k in range(n_classes):
                prob[m, k] = prob[up, k] * r[j, k]
                acc += prob[m, k]
        if _RESCALE_BELOW < acc < _RESCALE_ABOVE:
            total[m] = acc
        elif _TINY < acc < np.inf:
            scale = 1.0 / acc
            for k in range(n_classes):
                prob[m, k] *= scale
            total[m] = 1.0
        else:
            total[m] = _pattern_probs_log(m, ones_ptr, ones_idx, log_pi, r, q, prob[m])


@jit
def _pattern_probs_all_logs(
    parent: I64,
    last: I64,
    log_pi: F64,
    r: F64,
    q: F64,
    log_prob: F64,
    prob: F64,
    total: F64,
) -> None:
    """As :func:`_pattern_probs`, entirely on the log scale: for many lists, or when some
    class's probability of being missed by every list underflows. Exact, and slower (one
    exponential per pattern and class)."""
    n_rows, n_classes = prob.shape
    n_lists = q.shape[0]
    base = np.empty(n_classes)
    for k in range(n_classes):
        acc = log_pi[k]
        for j in range(n_lists):
            acc += math.log(q[j, k])
        base[k] = acc
    for m in range(n_rows):
        j = last[m]
        up = parent[m]
        top = -np.inf
        for k in range(n_classes):
            start = base[k] if up < 0 else log_prob[up, k]
            log_prob[m, k] = start + math.log(r[j, k])
            top = max(top, log_prob[m, k])
        acc = 0.0
        for k in range(n_classes):
            prob[m, k] = math.exp(log_prob[m, k] - top)
            acc += prob[m, k]
        total[m] = acc


@jit
def _update_lambda(
    rng: State,
    n_class: I64,
    count0: I64,
    n_captured: I64,
    r: F64,
    q: F64,
    a_lambda: float,
    b_lambda: float,
) -> None:
    """Step 2: Beta(a + captured, b + not captured) for each list and class (LCMCR:
    a = b = 1), stored as the odds ``r = lambda / (1 - lambda)`` and ``q = 1 - lambda``."""
    n_lists, n_classes = r.shape
    uniform_prior = a_lambda == 1.0 and b_lambda == 1.0
    for k in range(n_classes):
        size = n_class[k] + count0[k]
        if size == 0 and uniform_prior:
            # Beta(1, 1): a uniform. Empty classes are common, and this skips two gammas.
            for j in range(n_lists):
                u = uniform(rng)
                r[j, k] = u / (1.0 - u)
                q[j, k] = 1.0 - u
            continue
        if uniform_prior:
            # Shapes of at least 1: neither gamma can underflow.
            for j in range(n_lists):
                a = n_captured[j, k]
                ga = gamma_draw(rng, 1.0 + a)
                gb = gamma_draw(rng, 1.0 + (size - a))
                r[j, k] = ga / gb
                q[j, k] = gb / (ga + gb)
            continue
        for j in range(n_lists):
            a = n_captured[j, k]
            while True:
                # A shape below 1 (a prior under 1, nobody captured or everybody) can
                # underflow to 0; ga = 0 is lambda = 0, but gb = 0 would make the odds
                # infinite, so that draw (probability ~1e-150) is made again.
                ga = gamma_draw(rng, a_lambda + a)
                gb = gamma_draw(rng, b_lambda + (size - a))
                if gb > 0.0:
                    break
            r[j, k] = ga / gb
            q[j, k] = gb / (ga + gb)


@jit
def _log_sum(a: float, b: float) -> float:
    if a > b:
        return a + math.log1p(math.exp(b - a))
    return b + math.log1p(math.exp(a - b))


@jit
def _update_weights(
    rng: State, n_class: I64, count0: I64, alpha: float, log_pi: F64, pi: F64
) -> int:
    """Step 3: truncated stick-breaking weights given class sizes; returns the number of
    occupied classes."""
    n_classes = log_pi.shape[0]
    remaining = 0
    occupied = 0
    for k in range(n_classes):
        size = n_class[k] + count0[k]
        remaining += size
        if size > 0:
            occupied += 1
    log_rest = 0.0
    for k in range(n_classes - 1):
        size = n_class[k] + count0[k]
        remaining -= size
        b = alpha + remaining
        if size == 0:
            # Beta(1, b) by inversion, V = 1 - U^(1/b): one uniform and no gamma for the
            # empty classes, which are most of them. log(1 - V) = log(U) / b cannot
            # underflow; log V = log(-expm1(log(U) / b)) keeps its precision near V = 0.
            log_1mv = math.log(uniform(rng)) / b
            log_v = math.log(-math.expm1(log_1mv))
        elif b >= 1.0:
            # Both gammas are safely representable: V = Ga / (Ga + Gb) on the natural
            # scale, three logarithms instead of five.
            ga = gamma_draw(rng, 1.0 + size)
            gb = gamma_draw(rng, b)
            ls = math.log(ga + gb)
            log_v = math.log(ga) - ls
            log_1mv = math.log(gb) - ls
        else:
            # Gamma(b) with b < 1 can underflow: stay on the log scale.
            la = log_gamma(rng, 1.0 + size)
            lb = log_gamma(rng, b)
            ls = _log_sum(la, lb)
            log_v = la - ls
            log_1mv = lb - ls
        log_pi[k] = log_v + log_rest
        log_rest += log_1mv
        pi[k] = math.exp(log_pi[k])
    log_pi[n_classes - 1] = log_rest
    pi[n_classes - 1] = math.exp(log_rest)
    return occupied


@jit
def _class_weights(log_pi: F64, pi: F64, q: F64, v: F64, w: F64) -> float:
    """``v[k] = prod_j (1 - lambda[j, k])``, ``w[k] = pi[k] v[k]``; returns ``pi0 = sum w``."""
    n_lists, n_classes = q.shape
    for k in range(n_classes):
        v[k] = 1.0
    for j in range(n_lists):
        for k in range(n_classes):
            v[k] *= q[j, k]
    pi0 = 0.0
    for k in range(n_classes):
        w[k] = pi[k] * v[k]
        pi0 += w[k]
    return pi0


@jit
def _draw_n0(rng: State, n_obs: int, pi0: float) -> tuple[int, int]:
    """Step 4: n0 ~ NegBin(size n, success 1 - pi0), redrawn above 20 n. Returns
    ``(n0, retries)``."""
    p_seen = 1.0 - pi0
    cap = _N0_CAP_FACTOR * n_obs
    # A mean beyond 1e15 (or no chance of being seen) would overflow the Poisson draw, and
    # such a draw could never fall under the cap anyway.
    if p_seen <= 0.0 or n_obs * pi0 > 1e15 * p_seen:
        return cap, _N0_MAX_RETRIES
    for retry in range(_N0_MAX_RETRIES):
        n0 = negative_binomial(rng, float(n_obs), p_seen)
        if n0 <= cap:
            return n0, retry
    return cap, _N0_MAX_RETRIES


@jit
def initialise(
    rng: State,
    patterns: npt.NDArray[np.uint8],
    counts: I64,
    log_pi: F64,
    pi: F64,
    r: F64,
    q: F64,
    count0: I64,
) -> float:
    """Starting state of LCMCR: every class's capture probabilities at the observed list
    frequencies, weights from a stick-breaking draw with Beta(1, 1) sticks, no unobserved
    individual. Returns the starting ``alpha = 0.3 / K``."""
    n_patterns, n_lists = patterns.shape
    n_classes = pi.shape[0]
    n_obs = 0
    for m in range(n_patterns):
        n_obs += counts[m]
    for j in range(n_lists):
        seen = 0
        for m in range(n_patterns):
            if patterns[m, j]:
                seen += counts[m]
        lam = seen / n_obs
        # A list that saw everyone (or no one) would give lambda = 1 (0): keep it inside
        # (0, 1) so the odds stay finite; the first sweep replaces it anyway.
        lam = min(max(lam, 1e-12), 1.0 - 1e-12)
        for k in range(n_classes):
            r[j, k] = lam / (1.0 - lam)
            q[j, k] = 1.0 - lam
    log_rest = 0.0
    for k in range(n_classes - 1):
        la = log_gamma(rng, 1.0)
        lb = log_gamma(rng, 1.0)
        ls = _log_sum(la, lb)
        log_pi[k] = la - ls + log_rest
        log_rest += lb - ls
        pi[k] = math.exp(log_pi[k])
    log_pi[n_classes - 1] = log_rest
    pi[n_classes - 1] = math.exp(log_rest)
    count0[:] = 0
    return float(0.3 / n_classes)


@jit
def relabel_by_weight(log_pi: F64, pi: F64, r: F64, q: F64, count0: I64) -> None:
    """Renumber classes in decreasing order of weight (LCMCR does this after warm-up)."""
    n_classes = pi.shape[0]
    order = np.empty(n_classes, dtype=np.int64)
    _descending_order(pi, order)
    log_pi[:] = log_pi[order].copy()
    pi[:] = pi[order].copy()
    r[:, :] = r[:, order].copy()
    q[:, :] = q[:, order].copy()
    count0[:] = count0[order].copy()


@jit
def run_sweeps(
    rng: State,
    parent: I64,
    last: I64,
    ones_ptr: I64,
    ones_idx: I64,
    counts: I64,
    small: I64,
    large: I64,
    log_pi: F64,
    pi: F64,
    r: F64,
    q: F64,
    count0: I64,
    scalars: F64,
    a_alpha: float,
    b_alpha: float,
    a_lambda: float,
    b_lambda: float,
    n_sweeps: int,
    thin: int,
    update_alpha: bool,
    out_n0: I64,
    out_alpha: F64,
    out_occupied: I64,
) -> int:
    """Run ``n_sweeps`` Gibbs sweeps from the state in the arrays, updating it in place.

    The data come as a :class:`~uncounted.estimate.lcmcr_patterns.PatternTree` (``parent``
    to ``large``).
    ``scalars`` holds ``[alpha, n0]``. After every ``thin``-th sweep the current ``n0``,
    ``alpha`` and number of occupied classes go to the next slot of the ``out_*`` arrays
    (which need ``n_sweeps // thin`` entries; pass ``thin = 0`` to record nothing).
    Returns the number of times ``n0`` had to be redrawn for exceeding ``20 n``.
    """
    n_classes = pi.shape[0]
    n_lists = r.shape[0]
    n_obs = 0
    for m in range(counts.shape[0]):
        n_obs += counts[m]
    alpha = scalars[0]
    n0 = int(scalars[1])
    n_patterns = counts.shape[0]
    n_class = np.zeros(n_classes, dtype=np.int64)
    n_captured = np.zeros((n_lists, n_classes), dtype=np.int64)
    prob = np.empty((n_patterns, n_classes))
    log_prob = np.empty((n_patterns, n_classes))
    total = np.empty(n_patterns)
    suffix = np.empty((n_patterns, n_classes))
    split = np.zeros((n_patterns, n_classes), dtype=np.int64)
    left = np.zeros(n_patterns, dtype=np.int64)
    suffix0 = np.empty(n_classes)
    most = 0
    for t in range(small.shape[0]):
        most = max(most, counts[small[t]])
    draws = np.empty(8 * ((most + 7) // 8) + 8)
    order = np.empty(n_classes, dtype=np.int64)
    used = np.zeros(n_classes, dtype=np.bool_)
    active = np.empty(n_classes, dtype=np.int64)
    v = np.empty(n_classes)
    w = np.empty(n_classes)
    retries = 0
    slot = 0
    for sweep in range(n_sweeps):
        _class_weights(log_pi, pi, q, v, w)
        _descending_order(pi, order)
        if n_lists > _PRODUCT_MAX_LISTS or v.min() < _MISS_TINY:
            _pattern_probs_all_logs(parent, last, log_pi, r, q, log_prob, prob, total)
        else:
            _pattern_probs(parent, last, ones_ptr, ones_idx, log_pi, w, r, q, prob, total)
        _split_by_uniforms(rng, counts, small, prob, total, order, draws, split, used)
        _split_by_binomials(rng, counts, large, prob, order, suffix, left, split, used)
        _class_totals(parent, last, counts, split, used, active, n_class, n_captured)
        _update_lambda(rng, n_class, count0, n_captured, r, q, a_lambda, b_lambda)
        occupied = _update_weights(rng, n_class, count0, alpha, log_pi, pi)
        pi0 = _class_weights(log_pi, pi, q, v, w)
        n0, extra = _draw_n0(rng, n_obs, pi0)
        retries += extra
        _descending_order(w, order)
        _multinomial_ordered(rng, n0, w, order, suffix0, count0)
        if update_alpha:
            alpha = gamma_draw(rng, a_alpha + n_classes - 1.0) / (b_alpha - log_pi[n_classes - 1])
        if thin > 0 and (sweep + 1) % thin == 0:
            out_n0[slot] = n0
            out_alpha[slot] = alpha
            out_occupied[slot] = occupied
            slot += 1
    scalars[0] = alpha
    scalars[1] = n0
    return retries
