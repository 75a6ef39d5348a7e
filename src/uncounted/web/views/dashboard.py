"""The dashboard: headline figures with intervals, events per year, provinces, runs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from uncounted.web import figures
from uncounted.web.access import page
from uncounted.web.roles import Capability


@page(Capability.VIEW_FIGURES)
def dashboard(request: HttpRequest) -> HttpResponse:
    numbers = figures.counts()
    use_events = numbers["events"] > 0
    unit, years = figures.per_year(use_events)
    return render(
        request,
        "uncounted/dashboard.html",
        {
            "headlines": figures.headlines(),
            "numbers": numbers,
            "unit": unit,
            "years": years,
            "tiles": figures.per_province(use_events),
            "runs": figures.latest_runs(),
        },
    )
