"""The dashboard's figures: headline estimates from saved runs, counts, years, provinces.

Headline estimates are read from saved runs (:class:`~uncounted.store.models.Run` of kind
``estimate`` or ``pipeline``) whose ``results`` hold an estimate as
:meth:`uncounted.estimate.result.Estimate.to_dict` writes it (``estimate``, ``lower``,
``upper``, ``level``, ``method``, ``n_observed``), either at the top level or in a list
under ``estimates`` (each with an optional ``label``). Nothing here computes an estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractYear

from uncounted.records.places import Level, gazetteer
from uncounted.store.models import Collection, Event, Report, Run, Source

# Schematic positions (column, row) of the 13 first-level units on a tile map: north at
# the top, the Chinese border along the top-left to top-right. A tile map, not borders.
TILE_POSITIONS = {
    "KP-13": (5, 0),
    "KP-09": (4, 1),
    "KP-10": (3, 1),
    "KP-04": (2, 1),
    "KP-03": (1, 2),
    "KP-08": (3, 2),
    "KP-02": (2, 2),
    "KP-01": (2, 3),
    "KP-14": (1, 3),
    "KP-07": (3, 3),
    "KP-06": (2, 4),
    "KP-05": (1, 4),
    "KP-15": (3, 4),
}


@dataclass(frozen=True)
class Headline:
    label: str
    point: float
    lower: float
    upper: float
    level: float
    method: str
    n_observed: int | None
    run_id: str


@dataclass(frozen=True)
class YearBar:
    year: int
    count: int | None
    height: float
    reports: int = 0
    suppressed: bool = False


@dataclass(frozen=True)
class ProvinceTile:
    code: str
    name_en: str
    name_ko: str
    count: int | None
    x: int
    y: int
    shade: float
    reports: int = 0
    suppressed: bool = False


def suppress_small_cells(
    cells: list[YearBar] | list[ProvinceTile], k: int
) -> list[YearBar] | list[ProvinceTile]:
    """Cells resting on fewer than ``k`` reports, emptied (for those who may see only
    figures): a count from one or two interviews can point at who gave them. Cells with
    nothing stay 0. The published report applies the same rule
    (:mod:`uncounted.report.disclosure`)."""
    out: list[Any] = []
    for cell in cells:
        if 0 < cell.reports < k:
            if isinstance(cell, YearBar):
                out.append(replace(cell, count=None, height=0.0, suppressed=True))
            else:
                out.append(replace(cell, count=None, shade=0.0, suppressed=True))
        else:
            out.append(cell)
    return out


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def headlines(limit: int = 4) -> list[Headline]:
    """The estimates of the latest run that has any (newest first), at most ``limit``."""
    runs = Run.objects.filter(kind__in=["estimate", "pipeline"], status="done").order_by(
        "-created_at"
    )[:20]
    for run in runs:
        found = []
        results = run.results if isinstance(run.results, dict) else {}
        entries = results.get("estimates")
        if not isinstance(entries, list):
            entries = [results]
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            point, lower, upper = (_finite(entry.get(k)) for k in ("estimate", "lower", "upper"))
            if point is None or lower is None or upper is None:
                continue
            observed = entry.get("n_observed")
            found.append(
                Headline(
                    label=str(entry.get("label") or ""),
                    point=point,
                    lower=lower,
                    upper=upper,
                    level=_finite(entry.get("level")) or 0.95,
                    method=str(entry.get("method") or ""),
                    n_observed=int(observed) if isinstance(observed, int) else None,
                    run_id=str(run.run_id),
                )
            )
        if found:
            return found[:limit]
    return []


def counts() -> dict[str, int]:
    return {
        "collections": Collection.objects.count(),
        "sources": Source.objects.count(),
        "reports": Report.objects.count(),
        "events": Event.objects.count(),
    }


def per_year(use_events: bool) -> tuple[str, list[YearBar]]:
    """Events (or, before any linkage, reports) per year of the date's start."""
    model: Any = Event if use_events else Report
    rows = (
        model.objects.filter(date_start__isnull=False)
        .annotate(y=ExtractYear("date_start"))
        .values("y")
        .annotate(n=Count("id"))
        .order_by("y")
    )
    data = {r["y"]: r["n"] for r in rows}
    if not data:
        return ("events" if use_events else "reports"), []
    told = _reports_per_year() if use_events else data
    top = max(data.values())
    years = range(min(data), max(data) + 1)
    bars = [YearBar(y, data.get(y, 0), data.get(y, 0) / top, reports=told.get(y, 0)) for y in years]
    return ("events" if use_events else "reports"), bars


def _reports_per_year() -> dict[int, int]:
    rows = (
        Report.objects.filter(event__isnull=False, event__date_start__isnull=False)
        .annotate(y=ExtractYear("event__date_start"))
        .values("y")
        .annotate(n=Count("id"))
    )
    return {r["y"]: r["n"] for r in rows}


def per_province(use_events: bool) -> list[ProvinceTile]:
    """Counts per first-level unit, placed on the schematic tile map."""
    data: dict[str, int]
    told: dict[str, int]
    if use_events:
        events = (
            Event.objects.exclude(place__isnull=True)
            .values("place__iso_3166_2")
            .annotate(n=Count("id"))
        )
        data = {r["place__iso_3166_2"]: r["n"] for r in events}
        behind = (
            Report.objects.filter(event__place__isnull=False)
            .values("event__place__iso_3166_2")
            .annotate(n=Count("id"))
        )
        told = {r["event__place__iso_3166_2"]: r["n"] for r in behind}
    else:
        reports = Report.objects.exclude(place_iso="").values("place_iso").annotate(n=Count("id"))
        data = {r["place_iso"]: r["n"] for r in reports}
        told = data
    top = max(data.values(), default=0) or 1
    tiles = []
    for unit in gazetteer().units(Level.PROVINCE):
        x, y = TILE_POSITIONS.get(unit.code, (0, 5))
        n = data.get(unit.code, 0)
        tiles.append(
            ProvinceTile(
                unit.code, unit.name_en, unit.name_ko, n, x, y, n / top, told.get(unit.code, 0)
            )
        )
    return tiles


def latest_runs(limit: int = 5) -> list[Run]:
    return list(Run.objects.order_by("-created_at")[:limit])
