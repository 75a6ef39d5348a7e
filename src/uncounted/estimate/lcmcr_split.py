"""Step 1 of the LCMCR sweep: each observed pattern's count split over the latent classes.

A pattern's count is split by a multinomial over the classes, never one label per
individual: patterns with few individuals by uniforms against cumulative weights
(:func:`_split_by_uniforms`), the others by conditional binomials
(:func:`_split_by_binomials`). :func:`_class_totals` then sums the splits into class
sizes and captures per list, walking the pattern tree leaves first. Both splits mark the
classes that received anyone, so that the totals only sum those.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from uncounted.estimate.lcmcr_random import State, _to_unit, _xoshiro, binomial, jit

__all__ = ["_class_totals", "_split_by_binomials", "_split_by_uniforms"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B1 = npt.NDArray[np.bool_]


@jit
def _split_by_uniforms(
    rng: State,
    counts: I64,
    small: I64,
    prob: F64,
    total: F64,
    order: I64,
    draws: F64,
    split: I64,
    used: B1,
) -> None:
    """Multinomial splits of the patterns in ``small`` (few individuals each); marks in
    ``used`` the classes that receive anyone.

    Each individual is a uniform on (0, total weight); the number in the first ``i``
    classes (in ``order``) is the number of uniforms below the sum of their weights. The
    sum grows class by class as the counting goes, and the counting runs in blocks of
    eight (padded with +inf) so that it vectorises; it stops once every uniform is below
    the edge, usually after the few classes that hold nearly all the weight. The
    generator's state stays in registers for the whole pass.
    """
    n_classes = prob.shape[1]
    # Classes used, as bits of a register: marking an array inside the loops would stop
    # the compiler from vectorising the counting (it cannot rule out aliasing).
    mask = 0
    s0, s1, s2, s3 = rng[0], rng[1], rng[2], rng[3]
    for t in range(small.shape[0]):
        m = small[t]
        n = counts[m]
        acc = total[m]
        # ``total`` sums the row in index order, the edges in ``order``: the two can
        # differ in the last bits. Keeping every uniform 2^-40 of the total below it
        # means no individual can fall past the last class with positive weight; the
        # share this takes from the last class (1e-12 of the total) is far below any
        # Monte Carlo error.
        top = acc * (1.0 - 2.0**-40)
        for i in range(n):
            out, s0, s1, s2, s3 = _xoshiro(s0, s1, s2, s3)
            draws[i] = min(_to_unit(out) * acc, top)
        blocks = (n + 7) >> 3
        for i in range(n, blocks * 8):
            draws[i] = np.inf
        below_prev = 0
        edge = 0.0
        done = False
        for i in range(n_classes - 1):
            edge += prob[m, order[i]]
            below = 0
            for block in range(blocks):
                base = block * 8
                for o in range(8):
                    below += draws[base + o] < edge
            split[m, order[i]] = below - below_prev
            # Branch-free: whether a class gets anyone is a coin toss the processor
            # would mispredict.
            mask |= int(below != below_prev) << order[i]
            below_prev = below
            if below == n:
                for rest in range(i + 1, n_classes):
                    split[m, order[rest]] = 0
                done = True
                break
        if not done:
            split[m, order[n_classes - 1]] = n - below_prev
            mask |= int(n > below_prev) << order[n_classes - 1]
    rng[0], rng[1], rng[2], rng[3] = s0, s1, s2, s3
    _mark_used(mask, used)


@jit
def _split_by_binomials(
    rng: State,
    counts: I64,
    large: I64,
    prob: F64,
    order: I64,
    suffix: F64,
    left: I64,
    split: I64,
    used: B1,
) -> None:
    """Multinomial splits of the patterns in ``large`` by conditional binomials; marks in
    ``used`` the classes that receive anyone.

    Classes are visited in ``order`` (decreasing weight) and a pattern is done once nobody
    is left. The loop over patterns is inside the loop over classes so that consecutive
    draws are independent and the processor can overlap their latencies.
    """
    n_classes = prob.shape[1]
    mask = 0
    for t in range(large.shape[0]):
        m = large[t]
        acc = 0.0
        for i in range(n_classes - 1, -1, -1):
            acc += prob[m, order[i]]
            suffix[m, i] = acc
        left[m] = counts[m]
        for k in range(n_classes):
            split[m, k] = 0
    for i in range(n_classes):
        k = order[i]
        last = i == n_classes - 1
        for t in range(large.shape[0]):
            m = large[t]
            n = left[m]
            if n == 0:
                continue
            if last or suffix[m, i + 1] <= 0.0:
                c = n
            else:
                c = binomial(rng, n, prob[m, k] / suffix[m, i])
            split[m, k] = c
            left[m] = n - c
            mask |= int(c > 0) << k
    _mark_used(mask, used)


@jit
def _mark_used(mask: int, used: B1) -> None:
    # Classes beyond the 63 bits of the mask are always treated as used (exact, only
    # slower; K is rarely above 50).
    for k in range(used.shape[0]):
        if k >= 63 or (mask >> k) & 1:
            used[k] = True


@jit
def _class_totals(
    parent: I64,
    last: I64,
    counts: I64,
    split: I64,
    used: B1,
    active: I64,
    n_class: I64,
    n_captured: I64,
) -> None:
    """Class sizes ``n_class[k]`` and captures ``n_captured[j, k]`` from the splits.

    A pattern holds list ``j`` exactly when its prefix ending at ``j`` is a row whose last
    list is ``j``; so ``n_captured[j]`` is the sum, over rows with ``last == j``, of the
    splits of the row and all its descendants. The sums accumulate in ``split`` itself,
    leaves first (rows come parents first); rows of unobserved patterns are reset to 0
    after use, the others are overwritten by the next sweep. Only the classes marked in
    ``used`` (those that received anyone; usually a few of the K) are summed: the others'
    columns are 0. ``used`` is cleared for the next sweep.
    """
    n_rows, n_classes = split.shape
    n_active = 0
    for k in range(n_classes):
        n_class[k] = 0
        if used[k]:
            active[n_active] = k
            n_active += 1
            used[k] = False
    for j in range(n_captured.shape[0]):
        for k in range(n_classes):
            n_captured[j, k] = 0
    for m in range(n_rows - 1, -1, -1):
        up = parent[m]
        j = last[m]
        for a in range(n_active):
            k = active[a]
            value = split[m, k]
            n_captured[j, k] += value
            if up >= 0:
                split[up, k] += value
            else:
                n_class[k] += value
        if counts[m] == 0:
            for a in range(n_active):
                split[m, active[a]] = 0
