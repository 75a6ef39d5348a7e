"""Render the outcome of ``uncounted estimate``: JSON for machines, rich tables for people."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from uncounted.commands.estimate_run import MethodResult, Outcome

# closedp's per-model columns, in Rcapture's order, as the JSON keys.
CLOSEDP_KEYS = ("model", "estimate", "stderr", "deviance", "df", "aic", "bic")


def result_dict(result: MethodResult, outcome: Outcome) -> dict[str, Any]:
    """One method as a JSON-ready dict: the Estimate's keys, ``seconds`` spent fitting."""
    if result.estimate is None:
        return {
            "method": result.method,
            "n_observed": outcome.n_observed,
            "estimate": None,
            "lower": None,
            "upper": None,
            "level": outcome.level,
            "warnings": result.warnings,
            "settings": {},
            "seconds": result.seconds,
            "error": result.error,
        }
    out: dict[str, Any] = result.estimate.to_dict()
    out["method"] = result.method
    out["warnings"] = result.warnings
    out["seconds"] = result.seconds
    if result.models is not None:
        out["model"] = result.estimate.settings.get("model")
        out["models"] = closedp_models(result)
    return out


def closedp_models(result: MethodResult) -> list[dict[str, Any]]:
    """closedp's table as a list of dicts, named as Rcapture names the models."""
    frame = result.models
    rows: list[dict[str, Any]] = []
    for record in frame.to_dict(orient="records"):
        row = {key: _plain(record.get(key)) for key in CLOSEDP_KEYS}
        row.update({str(k): _plain(v) for k, v in record.items() if k not in row})
        if isinstance(row["df"], float) and row["df"].is_integer():
            row["df"] = int(row["df"])
        rows.append(row)
    return rows


def to_json(outcome: Outcome) -> str:
    """One JSON object for a single method; a list for ``all``; closedp: a list of models."""
    if outcome.method == "closedp":
        (result,) = outcome.results
        base = result_dict(result, outcome)
        shared = {k: base[k] for k in ("method", "n_observed", "level", "seconds")}
        shared["settings"] = {k: v for k, v in base["settings"].items() if k != "model"}
        models = [{**shared, **row} for row in closedp_models(result)]
        return json.dumps(models, ensure_ascii=False)
    items = [result_dict(r, outcome) for r in outcome.results]
    payload: Any = items if outcome.method == "all" else items[0]
    return json.dumps(payload, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _number(x: Any, digits: int | None = None) -> str:
    if x is None:
        return "-"
    value = float(x)
    if value == math.inf:
        # A model whose estimate has no upper bound (Rcapture prints Inf).
        return "unbounded"
    if not math.isfinite(value):
        return "-"
    if digits is None:
        digits = 0 if abs(value) >= 100 else 1
    return f"{value:,.{digits}f}"


def print_tables(outcome: Outcome) -> None:
    """Print a readable table (and warnings) to stdout."""
    from rich.console import Console
    from rich.table import Table

    # Piped output would otherwise wrap at 80 columns and split model names over lines.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
    pct = f"{outcome.level * 100:g}%"
    console.print(f"[bold]{outcome.file.name}[/bold]: {outcome.description}")
    if outcome.method == "closedp":
        (result,) = outcome.results
        table = Table(
            "model", "estimate", f"{pct} interval", "stderr", "deviance", "df", "AIC", "BIC"
        )
        # The frame's own estimates: the rows hold JSON values, where an unbounded one is null.
        raw = result.models["estimate"].tolist() if result.models is not None else []
        for row, estimate in zip(closedp_models(result), raw, strict=True):
            table.add_row(
                str(row["model"]),
                _number(estimate),
                f"{_number(row.get('lower'))} to {_number(row.get('upper'))}",
                _number(row["stderr"], 1),
                _number(row["deviance"], 2),
                _number(row["df"], 0),
                _number(row["aic"], 2),
                _number(row["bic"], 2),
            )
        console.print(table)
    else:
        table = Table("method", "estimate", f"{pct} interval", "unobserved", "seconds", "notes")
        for result in outcome.results:
            est = result.estimate
            if est is None:
                table.add_row(result.method, "-", "-", "-", f"{result.seconds:.2f}", "failed")
                continue
            note = f"{len(result.warnings)} warning(s)" if result.warnings else ""
            model = est.settings.get("model") if result.models is not None else None
            table.add_row(
                f"{result.method} ({model})" if model else result.method,
                _number(est.point),
                f"{_number(est.lower)} to {_number(est.upper)}",
                _number(est.point - est.n_observed),
                f"{result.seconds:.2f}",
                note,
            )
        console.print(table)
    for note in outcome.notes:
        console.print(note, soft_wrap=True)
    for result in outcome.results:
        if result.error:
            console.print(f"[red]{result.method} failed:[/red] {result.error}", soft_wrap=True)
        for text in result.warnings:
            console.print(f"[yellow]{result.method}:[/yellow] {text}", soft_wrap=True)
    if len(outcome.results) == 1 and outcome.results[0].estimate is not None:
        est = outcome.results[0].estimate
        shown = {k: v for k, v in est.settings.items() if k not in ("progress", "model")}
        if est.seed is not None:
            shown.setdefault("seed", est.seed)
        settings = ", ".join(f"{k}={v}" for k, v in shown.items())
        console.print(f"settings: {settings}", soft_wrap=True)
        if outcome.method == "closedp" and "model" in est.settings:
            console.print(
                f"lowest AIC among models fitted without problems: {est.settings['model']}"
            )
    seeds = {r.estimate.seed for r in outcome.results if r.estimate is not None}
    seeds.discard(None)
    if len(outcome.results) > 1 and seeds:
        console.print(f"seed: {', '.join(str(s) for s in sorted(seeds))}")
