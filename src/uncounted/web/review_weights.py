"""The model's evidence for and against a pair of the review queue, as a waterfall.

A link run saves its review queue with the run (``Run.results["review"]``): for each
uncertain pair its match probability, its match weight and one match weight per
comparison (``mw_date``, ``mw_place``, ...), and the trained models beside it
(``Run.results["model"]``). The waterfall starts from the prior (the log2 odds that two
random records match), adds each comparison's weight (the level the pair falls in, with
its label from the model) and ends at the pair's match weight and probability: the
steps add up to the total, as in :func:`uncounted.link.explain.waterfall`.

The bars are drawn with classes in steps of 5% (``wf-at-N``, ``wf-w-N`` in app.css):
the Content-Security-Policy forbids inline styles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from uncounted.store.models import Run
from uncounted.web.review_pairs import Pair

__all__ = ["Step", "Waterfall", "waterfall_for"]

_MODEL_KEY = {"reports": "events", "mentions": "victims"}
PRIOR_LABEL = "two random records match"


@dataclass(frozen=True)
class Step:
    """One row of the waterfall: a comparison's level and weight, and where its bar lies."""

    name: str
    level: str
    weight: float
    cumulative: float
    at: int = 0  # bar start, % of the axis in steps of 5
    width: int = 0  # bar length, % of the axis in steps of 5

    @property
    def direction(self) -> str:
        """``for`` (the weight raises the odds), ``against`` or ``neutral`` (no evidence)."""
        if abs(self.weight) < 0.005:
            return "neutral"
        return "for" if self.weight > 0 else "against"

    @property
    def signed(self) -> str:
        return f"{self.weight:+.2f}"


@dataclass(frozen=True)
class Waterfall:
    """The prior, one step per comparison, and the total with its probability."""

    run_id: str  # the first 8 characters of the run's id
    prior: Step
    steps: tuple[Step, ...]
    total: Step
    probability: float
    prior_probability: float


def _step5(share: float) -> int:
    return min(100, max(0, 5 * round(share * 20)))


def _place(steps: list[Step], low: float, high: float, starts: list[float]) -> list[Step]:
    span = high - low
    placed = []
    for step, start in zip(steps, starts, strict=True):
        left, right = sorted((start, step.cumulative))
        at = _step5((left - low) / span)
        width = min(_step5((right - left) / span), 100 - at)
        placed.append(Step(step.name, step.level, step.weight, step.cumulative, at=at, width=width))
    return placed


def _entry(run: Run, pair: Pair) -> dict[str, Any] | None:
    if not isinstance(run.results, dict):
        return None
    wanted = tuple(sorted((pair.left_id, pair.right_id)))
    for entry in run.results.get("review", []) or []:
        if not isinstance(entry, dict) or entry.get("kind") != pair.kind:
            continue
        if tuple(sorted((str(entry.get("id_l")), str(entry.get("id_r"))))) == wanted:
            return entry
    return None


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def waterfall_for(pair: Pair) -> Waterfall | None:
    """The waterfall of ``pair`` from the latest link run's saved queue, if it is there."""
    from uncounted.link.explain import level_label
    from uncounted.link.model import load_model

    run = Run.objects.filter(kind=Run.Kind.LINK, status="done").order_by("-created_at").first()
    if run is None:
        return None
    entry = _entry(run, pair)
    models = run.results.get("model") if isinstance(run.results, dict) else None
    saved = models.get(_MODEL_KEY[pair.kind]) if isinstance(models, dict) else None
    total = _number(entry.get("match_weight")) if entry else None
    probability = _number(entry.get("match_probability")) if entry else None
    if entry is None or not saved or total is None or probability is None:
        return None
    try:
        model = load_model(saved)
        prior_p = model.prior
        running = math.log2(prior_p / (1 - prior_p))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    prior = Step("prior", PRIOR_LABEL, running, running)
    steps: list[Step] = []
    starts: list[float] = []
    for key, value in entry.items():
        weight = _number(value)
        if not str(key).startswith("mw_") or weight is None:
            continue
        name = str(key).removeprefix("mw_")
        starts.append(running)
        running += weight
        steps.append(Step(name, level_label(model, name, weight), weight, running))
    final = Step("total", "", total, total)
    points = [0.0, prior.cumulative, total, *(s.cumulative for s in steps)]
    low, high = min(points), max(points)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    placed = _place([prior, *steps, final], low, high, [0.0, *starts, 0.0])
    return Waterfall(
        run_id=str(run.run_id)[:8],
        prior=placed[0],
        steps=tuple(placed[1:-1]),
        total=placed[-1],
        probability=probability,
        prior_probability=prior_p,
    )
