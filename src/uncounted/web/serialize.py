"""Records as a role may see them: the field-level rules of the API (and the pages' data).

Free text (as-told values, narratives, notes) and source pseudonyms need
``view_testimony``; victim names need ``view_victim_names``; identity is never
serialized here (see :mod:`uncounted.web.identity`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from uncounted.store.models import Event, Report, Run
from uncounted.web.roles import Capability

C = Capability


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def report_dict(
    report: Report, caps: Iterable[Capability], *, mentions: bool = False
) -> dict[str, Any]:
    """A report for the API: coded fields for everyone who may list reports, free text and
    the source's pseudonym with ``view_testimony``, names with ``view_victim_names``."""
    caps = set(caps)
    out: dict[str, Any] = {
        "report_id": report.report_id,
        "collection_id": report.collection.collection_id,
        "date": {
            "start": _iso(report.date_start),
            "end": _iso(report.date_end),
            "precision": report.date_precision,
        },
        "place": {
            "code": report.place_id,
            "iso_3166_2": report.place_iso or None,
            "level": report.place_level or None,
            "flagged": report.place_flagged,
        },
        "victims": {"min": report.victims_min, "max": report.victims_max},
        "charges": report.charge_list,
        "method": report.method,
        "how_known": report.how_known,
        "site_type": report.site_type,
        "forced_attendance": report.forced_attendance,
        "violation": report.violation,
        "reliability": report.reliability,
        "language": report.language,
        "event_id": report.event.event_id if report.event_id and report.event else None,
        "version": report.version,
        "updated_at": _iso(report.updated_at),
    }
    if C.VIEW_TESTIMONY in caps:
        out["source_id"] = report.source.source_id
        out["source_pseudonym"] = report.source.pseudonym
        out["interview_id"] = report.interview.interview_id if report.interview else None
        out["date"]["as_told"] = report.date_as_told
        out["place"]["as_told"] = report.place_as_told
        out["victims"]["as_told"] = report.victims_as_told
        out["narrative"] = report.narrative
    if mentions:
        out["mentions"] = [
            _mention(m, names=C.VIEW_VICTIM_NAMES in caps) for m in report.mentions.all()
        ]
    return out


def _mention(m: Any, *, names: bool) -> dict[str, Any]:
    out = {
        "mention_id": m.mention_id,
        "sex": m.sex,
        "age": {"min": m.age_min, "max": m.age_max},
        "charges": [c for c in m.charges.split(";") if c],
    }
    if names:
        out["name_as_told"] = m.name_as_told
        out["age"]["as_told"] = m.age_as_told
    return out


def event_dict(
    event: Event, caps: Iterable[Capability], *, detail: bool = False, withheld: bool = False
) -> dict[str, Any]:
    """An event: its reading and how many reports and collections stand behind it; the
    report ids themselves need ``view_testimony``. A ``withheld`` event (one resting on
    testimony that may not be published, for a role outside the team) keeps its id and
    its number of reports; everything its reports say is null."""
    caps = set(caps)
    reports = list(event.reports.all()) if detail else []
    if withheld:
        out_withheld: dict[str, Any] = {
            "event_id": event.event_id,
            "withheld": True,
            "date": {"start": None, "end": None},
            "place": {"code": None, "iso_3166_2": None},
            "victims_estimate": None,
            "charges": [],
            "run_id": str(event.run.run_id) if event.run else None,
        }
        if detail:
            out_withheld["reports"] = len(reports)
        return out_withheld
    out: dict[str, Any] = {
        "event_id": event.event_id,
        "date": {"start": _iso(event.date_start), "end": _iso(event.date_end)},
        "place": {
            "code": event.place_id,
            "iso_3166_2": event.place.iso_3166_2 if event.place else None,
        },
        "victims_estimate": event.victims_estimate,
        "charges": [c for c in event.charges.split(";") if c],
        "run_id": str(event.run.run_id) if event.run else None,
        "withheld": False,
    }
    if detail:
        by_collection: dict[str, int] = {}
        for r in reports:
            key = r.collection.collection_id
            by_collection[key] = by_collection.get(key, 0) + 1
        out["reports"] = len(reports)
        out["collections"] = by_collection
        if C.VIEW_TESTIMONY in caps:
            out["report_ids"] = [r.report_id for r in reports]
    return out


def run_dict(run: Run, *, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "run_id": str(run.run_id),
        "kind": run.kind,
        "status": run.status,
        "created_at": _iso(run.created_at),
        "created_by": run.created_by,
        "version": run.version,
        "seed": run.seed,
        "input_hash": run.input_hash,
    }
    if detail:
        out["settings"] = run.settings
        out["results"] = run.results
    return out
