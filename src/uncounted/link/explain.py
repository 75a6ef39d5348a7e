"""Explanations of links: the waterfall of evidence behind a pair's match probability.

A pair's match weight is the prior log-odds plus one match weight per comparison (the
level the pair falls in). The waterfall lists them in order with the running total, so a
reviewer sees which evidence made the link: "same county +3.1, dates a year apart -1.1,
same charges +1.8, ...".
"""

from __future__ import annotations

import math

import pandas as pd

from uncounted.link.model import TrainedModel

__all__ = ["evidence_columns", "level_label", "waterfall"]


def evidence_columns(pairs: pd.DataFrame) -> list[str]:
    """The per-comparison match weight columns (``mw_*``) of a scored pairs frame."""
    return [c for c in pairs.columns if c.startswith("mw_")]


def level_label(model: TrainedModel, comparison: str, weight: float) -> str:
    """The label of the level of ``comparison`` whose match weight is ``weight``.

    A weight of 0 on a comparison is its null level (nothing told on one side).
    """
    best, best_gap = "not told", abs(weight)
    for spec in model.settings["comparisons"]:
        if spec["output_column_name"] != comparison:
            continue
        for level in spec["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if level.get("is_null_level") or not m or not u:
                continue
            gap = abs(math.log2(m / u) - weight)
            if gap < best_gap - 1e-9:
                best, best_gap = str(level.get("label_for_charts", "")), gap
    return best


def waterfall(pair: pd.Series, model: TrainedModel) -> pd.DataFrame:
    """The evidence of one scored pair, step by step.

    Parameters
    ----------
    pair : Series
        One row of :func:`uncounted.link.model.score_pairs` output.
    model : TrainedModel
        The model that scored it.

    Returns
    -------
    DataFrame
        Rows ``prior``, one per comparison, and ``total``; columns ``step``, ``level``,
        ``match_weight``, ``cumulative`` (log2 odds) and ``probability`` (of the running
        total). The total equals the pair's ``match_weight``.
    """
    prior = model.prior
    running = math.log2(prior / (1 - prior))
    rows = [("prior", "two random records match", running, running)]
    for column in evidence_columns(pair.to_frame().T):
        weight = float(pair[column])
        running += weight
        name = column.removeprefix("mw_")
        rows.append((name, level_label(model, name, weight), weight, running))
    rows.append(("total", "", float(pair["match_weight"]), running))
    frame = pd.DataFrame(rows, columns=["step", "level", "match_weight", "cumulative"])
    frame["probability"] = 1 / (1 + 2 ** (-frame["cumulative"]))
    return frame
