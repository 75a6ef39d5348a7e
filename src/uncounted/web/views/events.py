"""Events: the reports behind each, the collections that captured it, its evidence."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from uncounted.store.models import Event, LinkDecision
from uncounted.web import listing
from uncounted.web.access import page
from uncounted.web.consent import cleared_events, event_withheld, withheld_count
from uncounted.web.roles import Capability, can
from uncounted.web.views.reports import filter_choices

C = Capability


@page(C.VIEW_FIGURES)
def event_list(request: HttpRequest) -> HttpResponse:
    qs = Event.objects.select_related("place").annotate(
        n_reports=Count("reports", distinct=True),
        n_collections=Count("reports__collection", distinct=True),
    )
    qs, used = listing.filter_events(cleared_events(qs, request.user), request.GET)
    result = listing.paginate(qs, request.GET, listing.EVENT_SORTS, "event_id", used)
    return render(
        request,
        "uncounted/event_list.html",
        {"listing": result, "withheld": withheld_count(request.user), **filter_choices()},
    )


@page(C.VIEW_FIGURES)
def event_detail(request: HttpRequest, event_id: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("place", "run"), event_id=event_id)
    reports = list(
        event.reports.select_related("collection", "source", "place").order_by("report_id")
    )
    by_collection: dict[str, int] = {}
    how_known: dict[str, int] = {}
    for r in reports:
        by_collection[r.collection.collection_id] = (
            by_collection.get(r.collection.collection_id, 0) + 1
        )
        how_known[r.how_known or "?"] = how_known.get(r.how_known or "?", 0) + 1
    testimony = can(request.user, C.VIEW_TESTIMONY)
    withheld = event_withheld(event, request.user)
    if withheld:  # counted, but nothing of what its reports say is shown
        by_collection, how_known = {}, {}
    decisions = []
    if testimony and reports:
        ids = [r.report_id for r in reports]
        decisions = list(
            LinkDecision.objects.filter(kind="reports").filter(
                Q(left_id__in=ids) | Q(right_id__in=ids)
            )[:200]
        )
    return render(
        request,
        "uncounted/event_detail.html",
        {
            "event": event,
            "withheld": withheld,
            "reports": reports if testimony else [],
            "n_reports": len(reports),
            "by_collection": sorted(by_collection.items()),
            "how_known": sorted(how_known.items()),
            "decisions": decisions,
        },
    )
