"""Random variates for the LCMCR sampler, compiled with numba.

Each chain owns its generator state (a ``uint64[4]`` array), so chains never share a
stream, can run in threads, and a seed gives the same draws whatever else runs in the
process. Every function here takes that state as its first argument and advances it.

Algorithms
----------
- Uniforms: xoshiro256++ (Blackman & Vigna 2021, *ACM TOMS* 47(4):36); the top 53 bits
  give a double in the open interval (0, 1), so logarithms never see 0 or 1.
- Normals: the ziggurat method with 128 layers (Marsaglia & Tsang 2000, *J. Stat. Softw.*
  5(8)), the layer index taken from bits of the same 64-bit word that the uniform does
  not use.
- Gamma: Marsaglia & Tsang (2000, *ACM TOMS* 26:363) for shape >= 1; for shape < 1 the
  boost ``G(a) = G(a + 1) U**(1/a)``, returned on the log scale so that it cannot
  underflow (the stick-breaking update needs ``log G`` with shapes near 0).
- Binomial: inversion for means below 10; BTRD, transformed rejection with
  decomposition (Hörmann 1993, *J. Statist. Comput. Simul.* 46:101), above.
- Poisson: inversion for means below 10; PTRS (Hörmann 1993, *Insurance: Mathematics and
  Economics* 12:39) above.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt

__all__ = [
    "beta_pair",
    "binomial",
    "gamma",
    "log_gamma",
    "negative_binomial",
    "new_state",
    "next_u64",
    "normal",
    "poisson",
    "uniform",
]

_F = TypeVar("_F", bound=Callable[..., Any])

State = npt.NDArray[np.uint64]


def jit(fn: _F) -> _F:
    """Compile ``fn`` in nopython mode, cached on disk, releasing the GIL."""
    return cast(_F, numba.njit(cache=True, nogil=True, error_model="numpy")(fn))


_TWO_M53 = 1.0 / 9007199254740992.0  # 2**-53
# Integer Gamma shapes up to this are sums of exponentials (the product of that many
# uniforms cannot underflow); the capture-probability update draws mostly such shapes.
_SMALL_INTEGER_SHAPE = 8.0
# Below this mean the binomial and Poisson are drawn by inversion (a handful of steps);
# above it the rejection samplers' set-up cost pays off (Hörmann's recommendation).
_INVERSION_MAX_MEAN = 10.0


def new_state(seed_sequence: np.random.SeedSequence) -> State:
    """Generator state for one chain, filled from a NumPy ``SeedSequence``."""
    words = seed_sequence.generate_state(4, dtype=np.uint64)
    if not np.any(words):  # the all-zero state is the one fixed point of xoshiro
        words[0] = np.uint64(0x9E3779B97F4A7C15)
    return np.asarray(words, dtype=np.uint64)


@jit
def _rotl(x: np.uint64, k: int) -> np.uint64:
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@jit
def _xoshiro(
    s0: np.uint64, s1: np.uint64, s2: np.uint64, s3: np.uint64
) -> tuple[np.uint64, np.uint64, np.uint64, np.uint64, np.uint64]:
    """One step of xoshiro256++ on a state held in variables: ``(output, *new state)``.
    Loops that draw many numbers keep the state in registers this way."""
    out = _rotl(s0 + s3, 23) + s0
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    return np.uint64(out), s0, s1, s2, s3


@jit
def next_u64(s: State) -> np.uint64:
    """Next 64-bit output of xoshiro256++."""
    out, s[0], s[1], s[2], s[3] = _xoshiro(s[0], s[1], s[2], s[3])
    return out


@jit
def _to_unit(x: np.uint64) -> float:
    # The top 53 bits, centred in their cell: never exactly 0 or 1.
    return (float(x >> np.uint64(11)) + 0.5) * _TWO_M53


@jit
def uniform(s: State) -> float:
    """Uniform on the open interval (0, 1)."""
    return _to_unit(next_u64(s))


def _ziggurat_tables(layers: int, edge: float) -> tuple[npt.NDArray[np.float64], ...]:
    """Layer edges ``x``, densities ``f(x)`` and inner ratios of the normal ziggurat.

    Layer 0 is the base strip ``[0, x[0]] x [0, f(edge)]`` whose part beyond ``edge`` is the
    tail; layer ``i >= 1`` is ``[0, x[i]] x [f(x[i]), f(x[i + 1])]``. All have the same area.
    """
    area = edge * math.exp(-0.5 * edge * edge) + math.sqrt(math.pi / 2.0) * math.erfc(
        edge / math.sqrt(2.0)
    )
    x = np.zeros(layers + 1)
    x[0] = area / math.exp(-0.5 * edge * edge)
    x[1] = edge
    for i in range(2, layers):
        x[i] = math.sqrt(-2.0 * math.log(area / x[i - 1] + math.exp(-0.5 * x[i - 1] ** 2)))
    x[layers] = 0.0
    return x, np.exp(-0.5 * x * x), x[1:] / x[:-1]


# 128 layers; the edge of the base layer is Marsaglia & Tsang's value for that count.
_ZIG_EDGE = 3.442619855899
_ZIG_X, _ZIG_F, _ZIG_RATIO = _ziggurat_tables(128, _ZIG_EDGE)


@jit
def normal(s: State) -> float:
    """Standard normal variate."""
    while True:
        bits = next_u64(s)
        i = int(bits & np.uint64(127))
        u = 2.0 * _to_unit(bits) - 1.0
        if abs(u) < _ZIG_RATIO[i]:
            return float(u * _ZIG_X[i])
        if i == 0:
            # Tail beyond the edge (Marsaglia 1964): exponential proposals, accepted with
            # probability exp(-x^2 / 2) relative to the hat.
            while True:
                x = -math.log(uniform(s)) / _ZIG_EDGE
                y = -math.log(uniform(s))
                if 2.0 * y > x * x:
                    return _ZIG_EDGE + x if u > 0.0 else -_ZIG_EDGE - x
        x = float(u * _ZIG_X[i])
        y = _ZIG_F[i] + uniform(s) * (_ZIG_F[i + 1] - _ZIG_F[i])
        if y < math.exp(-0.5 * x * x):
            return x


@jit
def _gamma_shape_ge1(s: State, shape: float) -> float:
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x = normal(s)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u = uniform(s)
        x2 = x * x
        # Cheap squeeze first: it accepts about 98 % of proposals without a logarithm.
        if u < 1.0 - 0.0331 * x2 * x2:
            return d * v
        if math.log(u) < 0.5 * x2 + d * (1.0 - v + math.log(v)):
            return d * v


@jit
def gamma(s: State, shape: float) -> float:
    """Gamma(shape, rate 1) variate; shape > 0 (may underflow to 0 for tiny shapes)."""
    if shape <= _SMALL_INTEGER_SHAPE and shape == math.floor(shape) and shape >= 1.0:
        # A sum of `shape` exponentials: -log of a product of uniforms, one logarithm.
        product = uniform(s)
        for _ in range(int(shape) - 1):
            product *= uniform(s)
        return -math.log(product)
    if shape > 1.0:
        return _gamma_shape_ge1(s, shape)
    return _gamma_shape_ge1(s, shape + 1.0) * math.exp(math.log(uniform(s)) / shape)


@jit
def log_gamma(s: State, shape: float) -> float:
    """Logarithm of a Gamma(shape, 1) variate, finite even when the variate underflows."""
    if shape >= 1.0:
        return math.log(gamma(s, shape))
    return math.log(_gamma_shape_ge1(s, shape + 1.0)) + math.log(uniform(s)) / shape


@jit
def beta_pair(s: State, a: float, b: float) -> tuple[float, float]:
    """``(X, 1 - X)`` for X ~ Beta(a, b), a, b >= 1, each computed without cancellation."""
    ga = gamma(s, a)
    gb = gamma(s, b)
    total = ga + gb
    return ga / total, gb / total


# q**n by squaring (~2 log2(n) multiplications) is faster than exp(n log1p(-p)) (two
# library calls) for every n measured (up to 3,000); beyond 2**20 its rounding error
# (~n ulp in q) would start to matter.
_POWER_MAX_N = 1 << 20
# 1/x for the first steps of the inversion search, which would otherwise divide each step.
_RECIPROCALS = 1.0 / np.maximum(np.arange(64, dtype=np.float64), 1.0)


@jit
def _power(base: float, exponent: int) -> float:
    # Exponentiation by squaring: exact enough for the exponents met here and no libm call.
    out = 1.0
    while exponent > 0:
        if exponent & 1:
            out *= base
        base *= base
        exponent >>= 1
    return out


@jit
def _binomial_inversion(s: State, n: int, p: float) -> int:
    # Sequential search from 0; the mean is below 10 so it takes a few steps.
    q = 1.0 - p
    ratio = p / q
    while True:
        u = uniform(s)
        # P(X = 0) = q**n >= 1 - n p (Bernoulli's inequality): most small-mean draws end
        # here without computing a power.
        if u <= 1.0 - n * p:
            return 0
        px = _power(q, n) if n <= _POWER_MAX_N else math.exp(n * math.log1p(-p))
        x = 0
        while u > px:
            u -= px
            x += 1
            if x > n:
                break
            step = (n - x + 1) * ratio
            px *= step * _RECIPROCALS[x] if x < _RECIPROCALS.shape[0] else step / x
        if x <= n:
            return x
        # Rounding left u above the total mass: draw again (probability ~1e-16).


def _stirling_tail_table(size: int) -> npt.NDArray[np.float64]:
    """``log k! - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2]`` for small ``k``."""
    k = np.arange(size, dtype=np.float64)
    lgam = np.array([math.lgamma(x + 1.0) for x in k])
    return np.asarray(
        lgam - ((k + 0.5) * np.log(k + 1.0) - (k + 1.0) + 0.5 * math.log(2 * math.pi))
    )


_STIRLING_TAIL = _stirling_tail_table(10)


@jit
def _stirling_tail(k: float) -> float:
    """Error of Stirling's formula for ``log k!`` (with ``k + 1`` in place of ``k``); the
    series is accurate to 1e-13 from k = 10."""
    if k < 10.0:
        return float(_STIRLING_TAIL[int(k)])
    z = 1.0 / (k + 1.0)
    z2 = z * z
    return z * (1.0 / 12.0 - z2 * (1.0 / 360.0 - z2 * (1.0 / 1260.0 - z2 / 1680.0)))


@jit
def _log_factorial(k: float) -> float:
    return math.lgamma(k + 1.0)


@jit
def _binomial_btrd(s: State, n: int, p: float) -> int:
    # BTRD for p <= 1/2 and n p >= 10. The hat comes from transformed rejection; a box
    # under it accepts most draws at once (one division, no logarithm), the rest are
    # tested against f(k) / f(m), m the mode.
    q = 1.0 - p
    npq = n * p * q
    spq = math.sqrt(npq)
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    vr_b = 0.92 * b - 4.2  # v_r * b, with v_r = 0.92 - 4.2 / b
    while True:
        v = uniform(s)
        if v * b <= 0.86 * vr_b:
            # Given this event, v / v_r is uniform on (0, 0.86): draw that uniform afresh
            # rather than divide.
            u = 0.86 * uniform(s) - 0.43
            return int(math.floor((2.0 * a / (0.5 - abs(u)) + b) * u + c))
        if v * b >= vr_b:
            u = uniform(s) - 0.5
            v = v * b  # v / v_r times vr_b: the scale is divided out below
        else:
            # v / v_r is uniform on (0.86, 1) here, and v is drawn again.
            u = 0.14 * uniform(s) - 0.07
            u = math.copysign(0.5, u) - u
            v = uniform(s) * vr_b
        us = 0.5 - abs(u)
        kf = math.floor((2.0 * a / us + b) * u + c)
        if kf < 0.0 or kf > n:
            continue
        # v <- v * alpha / (a / us^2 + b), alpha = (2.83 + 5.1 / b) sqrt(npq); v carries
        # a factor b from above, absorbed into one division.
        us2 = us * us
        v = v * (2.83 * b + 5.1) * spq * us2 / (b * b * (a + b * us2))
        m = math.floor((n + 1) * p)
        km = abs(kf - m)
        if km <= 15.0:
            # f(k)/f(m) as a product of successive ratios f(i)/f(i-1) = p (n+1-i) / (q i)
            # over i in (min(m, k), max(m, k)]: a fixed 16-step loop with unused steps
            # multiplying by 1, so that it vectorises and never mispredicts its exit.
            low = min(m, kf)
            num = 1.0
            den = 1.0
            for step in range(1, 17):
                i = low + step
                inside = step <= km
                num *= p * (n + 1.0 - i) if inside else 1.0
                den *= q * i if inside else 1.0
            if (v * den <= num) if m < kf else (v * num <= den):
                return int(kf)
            continue
        r = p / q
        # Squeeze on log f(k)/f(m) ~ -km^2 / (2 npq), then the exact test with log k!
        # from Stirling's formula plus its tabulated or series error.
        logv = math.log(v)
        rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5)
        t = -km * km / (2.0 * npq)
        if logv < t - rho:
            return int(kf)
        if logv > t + rho:
            continue
        nm = n - m + 1.0
        nk = n - kf + 1.0
        log_ratio = (
            (m + 0.5) * math.log((m + 1.0) / (r * nm))
            + (n + 1.0) * math.log(nm / nk)
            + (kf + 0.5) * math.log(nk * r / (kf + 1.0))
            + _stirling_tail(m)
            + _stirling_tail(n - m)
            - _stirling_tail(kf)
            - _stirling_tail(n - kf)
        )
        if logv <= log_ratio:
            return int(kf)


@jit
def binomial(s: State, n: int, p: float) -> int:
    """Binomial(n, p) variate; p is clipped to [0, 1]."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    if p > 0.5:
        pp = 1.0 - p
        if n * pp < _INVERSION_MAX_MEAN:
            return n - _binomial_inversion(s, n, pp)
        return n - _binomial_btrd(s, n, pp)
    if n * p < _INVERSION_MAX_MEAN:
        return _binomial_inversion(s, n, p)
    return _binomial_btrd(s, n, p)


@jit
def _poisson_ptrs(s: State, lam: float) -> int:
    slam = math.sqrt(lam)
    loglam = math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u = uniform(s) - 0.5
        v = uniform(s)
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + lam + 0.43)
        if us >= 0.07 and v <= v_r:
            return int(k)
        if k < 0.0 or (us < 0.013 and v > us):
            continue
        if math.log(v) + math.log(inv_alpha) - math.log(a / (us * us) + b) <= (
            -lam + k * loglam - _log_factorial(k)
        ):
            return int(k)


@jit
def poisson(s: State, lam: float) -> int:
    """Poisson(lam) variate."""
    if lam <= 0.0:
        return 0
    if lam >= _INVERSION_MAX_MEAN:
        return _poisson_ptrs(s, lam)
    while True:
        u = uniform(s)
        px = math.exp(-lam)
        x = 0
        while u > px and x < 200:
            u -= px
            x += 1
            px *= lam / x
        if x < 200:
            return x


@jit
def negative_binomial(s: State, size: float, p: float) -> int:
    """Failures before the ``size``-th success in trials of success probability ``p``.

    Drawn as a Poisson with a Gamma(size, scale (1 - p) / p) mean (mean size (1 - p) / p).
    """
    return poisson(s, gamma(s, size) * (1.0 - p) / p)
