"""``summary.json``: the report's figures and everything needed to rebuild them.

Keys (checked by tests exactly as the issue lists them): ``version``, ``input_sha256``,
``settings``, ``n_reports``, ``n_events_documented``, ``estimate``, ``estimate_people``,
``by_year``, ``methods``, ``claims``, and for simulated worlds ``truth``; then
``strata``, ``linkage_sensitivity``, ``disclosure``, ``caveats`` and ``provenance``
(seeds, package versions, the linkage model, the store it was read from).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from uncounted.estimate.result import Estimate
from uncounted.report.accounting import Accounting

HEADLINE_KEYS = ("method", "estimate", "lower", "upper", "level")
BY_YEAR_KEYS = (
    "year",
    "documented",
    "estimate",
    "lower",
    "upper",
    "people",
    "people_lower",
    "people_upper",
)


def _number(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else round(number, 4)


def _linkage_range(a: Accounting) -> dict[str, Any]:
    """``linkage_range`` (``lower``, ``upper``) where the report made one."""
    span = a.linkage_range()
    if span is None:
        return {}
    return {"linkage_range": {"lower": _number(span[0]), "upper": _number(span[1])}}


def headline_dict(estimate: Estimate) -> dict[str, Any]:
    """``method, estimate, lower, upper, level`` and the number observed."""
    return {
        "method": estimate.method,
        "estimate": _number(estimate.point),
        "lower": _number(estimate.lower),
        "upper": _number(estimate.upper),
        "level": estimate.level,
        "n_observed": estimate.n_observed,
    }


def records(frame: pd.DataFrame, keys: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """A frame as JSON-ready records (NaN -> null, whole floats -> int)."""
    columns = list(keys) if keys is not None else [str(c) for c in frame.columns]
    out = []
    for row in frame.to_dict("records"):
        item = {}
        for column in columns:
            value = row.get(column)
            item[column] = (
                None
                if value is None or (not isinstance(value, str) and pd.isna(value))
                else _number(value)
            )
        out.append(item)
    return out


def build_summary(accounting: Accounting) -> dict[str, Any]:
    """The whole of ``summary.json`` as a dictionary."""
    a = accounting
    level = a.settings.level
    summary: dict[str, Any] = {
        "version": a.provenance.get("version"),
        "input_sha256": a.provenance.get("input_sha256"),
        "settings": a.settings.to_dict(),
        "n_reports": a.n_reports,
        "n_events_documented": len(a.events),
        "estimate": {**headline_dict(a.headline.events), **_linkage_range(a)},
        "estimate_people": headline_dict(a.headline.people),
        "by_year": records(a.tables.by_year, BY_YEAR_KEYS),
        "methods": [run.to_dict(level) for run in a.methods],
        "claims": [
            {
                "claim_id": row["claim_id"],
                "value": _number(row["value"]),
                "verdict": row["verdict"],
                "reason": row["reason"],
                "quantity": row["quantity"],
                "kind": row["kind"],
                "period_start": _number(row["period_start"]),
                "period_end": _number(row["period_end"]),
                "region": row["region"],
                "source": row["source"],
                "citation": row["citation"],
                "ours": _number(row["ours"]),
                "our_lower": _number(row["our_lower"]),
                "our_upper": _number(row["our_upper"]),
                "unit": row["unit"],
            }
            for row in a.claims.to_dict("records")
        ],
    }
    if a.truth is not None:
        summary["truth"] = {
            "total": a.truth["total"],
            "total_people": a.truth["total_people"],
            "by_year": a.truth["by_year"],
            "by_province": a.truth.get("by_province", {}),
        }
    summary["strata"] = records(a.tables.strata)
    summary["linkage_sensitivity"] = records(a.sensitivity)
    summary["disclosure"] = {"min_cell": a.settings.min_cell, "notes": a.tables.disclosure}
    summary["caveats"] = a.headline.warnings + a.notes
    summary["provenance"] = a.provenance
    return summary
