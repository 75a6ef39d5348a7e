"""What a role that may not see testimony is shown of events and runs (consent rules).

The team (admin, analyst, reviewer: ``view_testimony``) sees every record, confidential
or not. Anyone else sees figures only, and of the records behind them only what rests
wholly on publishable testimony: an event every report of which is not confidential and
was told by a consenting source (the rule of
:func:`uncounted.ingest.export.publishable_reports`). Other events still count in every
figure; their date, place, victims and charges are withheld, and lists leave them out so
that filtering or sorting cannot reveal them either. See docs/security.md.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from uncounted.store.models import Event, Report
from uncounted.web.roles import Capability, can

# A report that may not be quoted in public output.
WITHHELD_REPORT = Q(confidential=True) | Q(source__publication_consent=False)
# Parts of a run's results that list reports or pairs of reports, not figures.
TEAM_ONLY_RESULTS = ("review",)


def sees_confidential(user: Any) -> bool:
    """True for the team: roles that may read testimony may read all of it."""
    return can(user, Capability.VIEW_TESTIMONY)


def _withheld_reports() -> QuerySet[Report]:
    return Report.objects.filter(WITHHELD_REPORT, event=OuterRef("pk"))


def cleared_events(queryset: QuerySet[Event], user: Any) -> QuerySet[Event]:
    """``queryset`` as ``user`` may list it: all of it for the team, else only events that
    rest on publishable reports alone."""
    if sees_confidential(user):
        return queryset
    return queryset.filter(~Exists(_withheld_reports()))


def event_withheld(event: Event, user: Any) -> bool:
    """True when ``user`` may not see ``event``'s details (it rests on testimony that may
    not be published)."""
    if sees_confidential(user):
        return False
    return Report.objects.filter(WITHHELD_REPORT, event=event).exists()


def withheld_count(user: Any) -> int:
    """Events left out of ``user``'s lists (0 for the team)."""
    if sees_confidential(user):
        return 0
    return Event.objects.filter(Exists(_withheld_reports())).count()


def run_results(results: Any, user: Any) -> Any:
    """A run's results as ``user`` may see them: without the review queue (pairs of
    report ids with their evidence) unless ``user`` is on the team."""
    if sees_confidential(user) or not isinstance(results, dict):
        return results
    return {k: v for k, v in results.items() if k not in TEAM_ONLY_RESULTS}
