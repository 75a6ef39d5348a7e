"""Run the estimators behind ``uncounted estimate``: read the file, check the options, fit,
time and collect warnings. Rendering is in :mod:`uncounted.commands.estimate_output`."""

from __future__ import annotations

import csv
import secrets
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uncounted.errors import (
    ConfigurationError,
    EstimationError,
    Problem,
    UncountedWarning,
    ValidationError,
)

CAPTURE_METHODS = ("loglinear", "closedp", "dga", "lcmcr")
INCIDENCE_METHODS = ("chao2", "ichao2", "jackknife1", "jackknife2", "ice")
METHODS = (*CAPTURE_METHODS, *INCIDENCE_METHODS, "all")
CRITERIA = ("aic", "bic", "stepwise")
# The LCMCR package's documented example settings (Manrique-Vallier 2016), the CLI defaults.
LCMCR_DEFAULTS = {"K": 10, "burnin": 10_000, "samples": 1_000, "thin": 100}
# Flag -> the methods it applies to.
FLAG_METHODS: dict[str, tuple[str, ...]] = {
    "K": ("lcmcr",),
    "burnin": ("lcmcr",),
    "samples": ("lcmcr",),
    "thin": ("lcmcr",),
    "chains": ("lcmcr",),
    "delta": ("dga",),
    "criterion": ("loglinear",),
}
DGA_LISTS = (3, 4, 5)


@dataclass
class Options:
    """Command-line options, as given (None = not given)."""

    method: str
    seed: int | None = None
    level: float = 0.95
    units: int | None = None
    K: int | None = None
    burnin: int | None = None
    samples: int | None = None
    thin: int | None = None
    chains: int | None = None
    delta: float | None = None
    criterion: str | None = None


@dataclass
class MethodResult:
    """One method's outcome: an Estimate, or the error that stopped it."""

    method: str
    estimate: Any = None  # uncounted.estimate.result.Estimate
    error: str | None = None
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    models: Any = None  # closedp: pandas.DataFrame of every model


@dataclass
class Outcome:
    """Everything the output needs."""

    file: Path
    kind: str  # "histories" or "incidence"
    method: str
    n_observed: int
    description: str
    level: float
    results: list[MethodResult]
    notes: list[str] = field(default_factory=list)


def run(path: Path, options: Options) -> Outcome:
    """Check the options against the file, fit the method(s), and return the outcome.

    Raises
    ------
    ConfigurationError
        Unknown method, option out of range, option that does not apply, method that does not
        fit the file, missing ``--units``, missing file.
    ValidationError
        Problems in the file, with row, column and value.
    EstimationError
        The (single) method cannot estimate from these data.
    """
    method = options.method.strip().lower()
    if method not in METHODS:
        raise ConfigurationError(
            f"unknown method {options.method!r}: use one of {', '.join(METHODS)}."
        )
    _check_ranges(options)
    kind = detect_kind(path)
    _check_method_fits_file(path, kind, method, options)
    data = _read(path, kind, options)
    if method == "all":
        methods = applicable_methods(kind, data)
    else:
        methods = [method]
        if method == "dga" and data.k not in DGA_LISTS:
            raise ConfigurationError(
                f"{path}: dga works with 3, 4 or 5 lists, this file has {data.k} "
                f"({', '.join(data.lists)}); merge lists or use loglinear or lcmcr."
            )
    seed = options.seed if options.seed is not None else secrets.randbelow(2**31)
    results = [_fit(name, data, options, seed, single=method != "all") for name in methods]
    notes: list[str] = []
    if kind == "incidence":
        description = f"{data.n_observed} items reported by {data.T} sampling units"
    else:
        description = f"{data.n_observed} items on {data.k} lists ({', '.join(data.lists)})"
        if method == "all" and "dga" not in methods:
            notes.append(f"dga not run: it works with 3, 4 or 5 lists, this file has {data.k}.")
    return Outcome(path, kind, method, data.n_observed, description, options.level, results, notes)


def applicable_methods(kind: str, data: Any) -> list[str]:
    """The methods ``--method all`` runs on this file."""
    if kind == "incidence":
        return list(INCIDENCE_METHODS)
    return [m for m in CAPTURE_METHODS if m != "dga" or data.k in DGA_LISTS]


def detect_kind(path: Path) -> str:
    """``"incidence"`` for a ``k,count`` file, else ``"histories"``."""
    if not path.exists():
        raise ConfigurationError(f"file not found: {path}. Check the path and try again.")
    if path.is_dir():
        raise ConfigurationError(f"{path} is a folder: give the CSV file to estimate from.")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except UnicodeDecodeError as exc:
        raise ValidationError(
            [Problem(str(path), None, None, None, f"a UTF-8 CSV file ({exc.reason})")]
        ) from exc
    if not header:
        raise ValidationError(
            [Problem(str(path), 1, None, None, "a header row (list names and count, or k,count)")]
        )
    columns = {c.strip().lower() for c in header}
    return "incidence" if columns == {"k", "count"} else "histories"


def _check_ranges(options: Options) -> None:
    problems: list[str] = []
    if not 0.0 < options.level < 1.0:
        problems.append(f"--level must be between 0 and 1 (e.g. 0.95), got {options.level}")
    if options.seed is not None and options.seed < 0:
        problems.append(f"--seed must be a non-negative integer, got {options.seed}")
    if options.units is not None and options.units < 1:
        problems.append(f"--units must be a positive number of sampling units, got {options.units}")
    minimum = {"K": 1, "burnin": 0, "samples": 1, "thin": 1, "chains": 1}
    for name, low in minimum.items():
        value = getattr(options, name)
        if value is not None and value < low:
            problems.append(f"--{name} must be at least {low}, got {value}")
    if options.delta is not None and not options.delta > 0:
        problems.append(f"--delta must be positive, got {options.delta}")
    if options.criterion is not None and options.criterion.lower() not in CRITERIA:
        problems.append(
            f"--criterion must be one of {', '.join(CRITERIA)}, got {options.criterion!r}"
        )
    if problems:
        raise ConfigurationError("; ".join(problems) + ".")


def _check_method_fits_file(path: Path, kind: str, method: str, options: Options) -> None:
    if kind == "incidence":
        if method in CAPTURE_METHODS and method != "closedp":
            raise ConfigurationError(
                f"{path} holds incidence frequencies (columns k,count), but {method} needs "
                "capture histories (a 0/1 column per list and a count column). Use "
                f"{', '.join(INCIDENCE_METHODS)}, closedp or all, with --units."
            )
        if options.units is None:
            raise ConfigurationError(
                f"{path} holds incidence frequencies (columns k,count): give --units T, the "
                "number of sampling units (interviewees) the counts come from, e.g. --units 50."
            )
    else:
        if method in INCIDENCE_METHODS:
            raise ConfigurationError(
                f"{path} holds capture histories, but {method} needs incidence frequencies: a "
                "file with columns k,count (items reported by exactly k units) and --units. "
                f"Use {', '.join(CAPTURE_METHODS)} or all."
            )
        if options.units is not None:
            raise ConfigurationError(
                f"--units applies to k,count incidence files only; {path} holds capture "
                "histories (the lists are its columns). Leave --units out."
            )
    given = [name for name in FLAG_METHODS if getattr(options, name) is not None]
    for name in given:
        if method != "all" and method not in FLAG_METHODS[name]:
            raise ConfigurationError(
                f"--{name} applies to {' and '.join(FLAG_METHODS[name])} only, not {method}."
            )
        if method == "all" and kind == "incidence":
            raise ConfigurationError(
                f"--{name} applies to {' and '.join(FLAG_METHODS[name])}, which do not run on "
                "incidence files."
            )


def _read(path: Path, kind: str, options: Options) -> Any:
    if kind == "incidence":
        from uncounted.estimate.incidence import IncidenceFrequencies

        assert options.units is not None
        return IncidenceFrequencies.from_csv(path, options.units)
    from uncounted.estimate.histories import CaptureHistories

    return CaptureHistories.from_csv(path)


def _fit(name: str, data: Any, options: Options, seed: int, single: bool) -> MethodResult:
    build = _BUILDERS[name]
    with _progress_bar(name) as progress, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        started = time.perf_counter()
        try:
            # Built (and its module imported) before the clock starts: seconds is fitting time.
            estimator = build(options, seed, progress)
            started = time.perf_counter()
            if name == "closedp" and hasattr(data, "total_incidences"):
                # Frequencies of k = 1..T captures: Rcapture's closedp.0 (M0 and Mh models).
                estimator.fit_frequencies(data.counts, t=data.T)
            else:
                estimator.fit(data)
        except EstimationError as exc:
            if single:
                raise
            return MethodResult(name, error=str(exc), seconds=time.perf_counter() - started)
        except ImportError as exc:
            if single:
                raise ConfigurationError(f"{name} is not available here: {exc}") from exc
            return MethodResult(name, error=f"not available here: {exc}")
        seconds = time.perf_counter() - started
    models = _closedp_table(estimator) if name == "closedp" else None
    estimate = _closedp_choice(estimator) if name == "closedp" else estimator.estimate_
    said = list(estimate.warnings)
    for item in caught:
        if issubclass(item.category, UncountedWarning):
            text = str(item.message)
            if text not in said:
                said.append(text)
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    return MethodResult(name, estimate, None, seconds, said, models)


def _closedp_table(estimator: Any) -> Any:
    """closedp's models table with each model's interval as ``lower``/``upper``."""
    frame = estimator.models_.copy()
    frame["lower"] = [e.lower for e in estimator.estimates_]
    frame["upper"] = [e.upper for e in estimator.estimates_]
    frame["warnings"] = [list(e.warnings) for e in estimator.estimates_]
    return frame


def _closedp_choice(estimator: Any) -> Any:
    """The one closedp figure a comparison shows: the lowest-AIC model that Rcapture fitted
    without a problem (infoFit 0), else the lowest-AIC model at all."""
    chosen = getattr(estimator, "estimate_", None)
    if chosen is not None:
        return chosen
    frame = estimator.models_
    clean = frame[(frame["info_fit"] == 0) & frame["aic"].notna()]
    pool = clean if not clean.empty else frame[frame["aic"].notna()]
    if pool.empty:
        raise EstimationError("closedp could not fit any model to these data.")
    index = int(pool["aic"].idxmin())
    estimate = estimator.estimates_[index]
    estimate.diagnostics = {**estimate.diagnostics, "chosen_by": "lowest AIC, infoFit 0"}
    return estimate


# --------------------------------------------------------------------------- builders
# Each returns an unfitted estimator with the CLI's settings. Imports are local so that only
# the method asked for is loaded.

Progress = Callable[[int, int], None] | None


def _loglinear(options: Options, seed: int, progress: Progress) -> Any:
    from uncounted.estimate.loglinear import LogLinear

    kwargs: dict[str, Any] = {"level": options.level, "seed": seed}
    if options.criterion is not None:
        kwargs["criterion"] = options.criterion.lower()
    return LogLinear(**kwargs)


def _closedp(options: Options, seed: int, progress: Progress) -> Any:
    from uncounted.estimate.closedp import ClosedP

    return ClosedP(level=options.level)


def _dga(options: Options, seed: int, progress: Progress) -> Any:
    from uncounted.estimate.dga import DGA

    kwargs: dict[str, Any] = {"level": options.level, "seed": seed}
    if options.delta is not None:
        kwargs["delta"] = options.delta
    return DGA(**kwargs)


def _lcmcr(options: Options, seed: int, progress: Progress) -> Any:
    from uncounted.estimate.lcmcr import LCMCR

    kwargs: dict[str, Any] = {
        "K": options.K if options.K is not None else LCMCR_DEFAULTS["K"],
        "burnin": options.burnin if options.burnin is not None else LCMCR_DEFAULTS["burnin"],
        "samples": options.samples if options.samples is not None else LCMCR_DEFAULTS["samples"],
        "thin": options.thin if options.thin is not None else LCMCR_DEFAULTS["thin"],
        "seed": seed,
        "level": options.level,
    }
    if options.chains is not None:
        kwargs["chains"] = options.chains
    if progress is not None:
        kwargs["progress"] = progress
    return LCMCR(**kwargs)


def _unseen(name: str) -> Callable[[Options, int, Progress], Any]:
    def build(options: Options, seed: int, progress: Progress) -> Any:
        from uncounted.estimate.unseen import UNSEEN_ESTIMATORS

        return UNSEEN_ESTIMATORS[name](level=options.level)

    return build


_BUILDERS: dict[str, Callable[[Options, int, Progress], Any]] = {
    "loglinear": _loglinear,
    "closedp": _closedp,
    "dga": _dga,
    "lcmcr": _lcmcr,
    **{name: _unseen(name) for name in INCIDENCE_METHODS},
}


@contextmanager
def _progress_bar(name: str) -> Iterator[Progress]:
    """A rich progress bar on stderr for the MCMC, only when stderr is a terminal."""
    if name != "lcmcr" or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("lcmcr sweeps"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("lcmcr", total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield update
