"""The dashboard: headline figures with intervals, events per year, provinces, runs."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from uncounted.report.settings import ReportSettings
from uncounted.web import figures
from uncounted.web.access import page
from uncounted.web.roles import Capability, can

# Counting by year and province reads every report: each worker keeps its counts for up
# to this long, and recounts at once when reports or events are added or removed (the
# cache key holds their number and highest id). The page says when it counted.
AGGREGATES_SECONDS = 60


def _data_version() -> str:
    from django.db.models import Count, Max

    from uncounted.store.models import Event, Report

    r = Report.objects.aggregate(n=Count("id"), top=Max("id"))
    e = Event.objects.aggregate(n=Count("id"), top=Max("id"))
    return f"{r['n']}:{r['top']}:{e['n']}:{e['top']}"


def _aggregates() -> dict[str, Any]:
    numbers = figures.counts()
    use_events = numbers["events"] > 0
    unit, years = figures.per_year(use_events)
    return {
        "numbers": numbers,
        "unit": unit,
        "years": years,
        "tiles": figures.per_province(use_events),
        "counted_at": timezone.now(),
    }


@page(Capability.VIEW_FIGURES)
def dashboard(request: HttpRequest) -> HttpResponse:
    key = f"uncounted-dashboard:{_data_version()}"
    aggregates: dict[str, Any] = cache.get_or_set(key, _aggregates, AGGREGATES_SECONDS) or {}
    if not can(request.user, Capability.VIEW_TESTIMONY) and aggregates:
        # Those who see figures only get no cell resting on fewer than k reports.
        k = ReportSettings().min_cell
        aggregates = {
            **aggregates,
            "years": figures.suppress_small_cells(aggregates["years"], k),
            "tiles": figures.suppress_small_cells(aggregates["tiles"], k),
            "min_cell": k,
        }
    return render(
        request,
        "uncounted/dashboard.html",
        {**aggregates, "headlines": figures.headlines(), "runs": figures.latest_runs()},
    )
