"""Create and edit one report with its victim mentions: the write path of pages and API.

Values are checked by the importer's own row rules (:func:`uncounted.ingest.validate.
validate`), so a report typed into the form is read exactly as the same row in a file
would be. Edits are optimistic: the caller says which ``version`` it started from, and a
save against a newer version is refused with :class:`ReportConflict` instead of silently
overwriting someone else's work.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from uncounted.errors import Problem, ValidationError
from uncounted.ingest.messages import make_problem
from uncounted.ingest.readers import RawTable
from uncounted.ingest.schema import REPORT_STORED_FIELDS, REPORTS, VICTIM_MENTIONS
from uncounted.ingest.validate import Known, validate
from uncounted.store.models import Collection, Interview, Report, Source, VictimMention

REPORT_FIELDS = tuple(c for c in REPORTS.columns if c != "report_id")
MENTION_FIELDS = ("mention_id", "name_as_told", "sex", "age_as_told", "charges")
_STORED = REPORT_STORED_FIELDS


class ReportConflict(Exception):
    """The report changed since the editor loaded it; ``current`` is what is stored now."""

    def __init__(self, current: Report) -> None:
        super().__init__(f"report {current.report_id} was changed by someone else")
        self.current = current


@dataclass
class Checked:
    """A report and its mentions after validation, ready to write."""

    report: dict[str, Any]
    mentions: list[dict[str, Any]]
    warnings: list[Problem] = field(default_factory=list)


def new_report_id() -> str:
    """A fresh id for a report typed in the web app (``W-YYYYMMDD-xxxxxx``)."""
    return f"W-{timezone.now():%Y%m%d}-{secrets.token_hex(3)}"


def check_report(
    values: Mapping[str, str],
    mentions: Sequence[Mapping[str, str]],
    *,
    existing: Report | None = None,
    accept_unresolved: bool = False,
    origin: str = "form",
) -> Checked:
    """Validate a report (import column names as keys) and its mentions; raise
    :class:`~uncounted.errors.ValidationError` listing every problem."""
    report_id = existing.report_id if existing else (values.get("report_id") or "").strip()
    row = {c: str(values.get(c) or "") for c in REPORTS.columns}
    row["report_id"] = report_id
    known = _known_for(row, existing)
    problems: list[Problem] = []
    if existing is None and report_id and Report.objects.filter(report_id=report_id).exists():
        problems.append(make_problem(origin, None, "report_id", report_id, "report_id_taken"))
    raw = RawTable(REPORTS, origin, list(REPORTS.columns), [(1, row)])
    result = validate(raw, known, accept_unresolved=accept_unresolved)
    problems += result.problems
    mention_origin = f"{origin}: victim mentions"
    mention_rows = []
    taken = _mention_ids_taken(mentions, existing)
    for i, mention in enumerate(mentions, start=1):
        m = {c: str(mention.get(c) or "").strip() for c in VICTIM_MENTIONS.columns}
        m["report_id"] = report_id
        if not any(m[c] for c in ("name_as_told", "sex", "age_as_told", "charges")):
            continue
        if not m["mention_id"]:
            m["mention_id"] = _free_mention_id(report_id, taken)
        elif m["mention_id"] in taken:
            problems.append(
                make_problem(mention_origin, i, "mention_id", m["mention_id"], "mention_id_taken")
            )
        taken.add(m["mention_id"])
        mention_rows.append((i, m))
    mention_result = validate(
        RawTable(VICTIM_MENTIONS, mention_origin, list(VICTIM_MENTIONS.columns), mention_rows),
        Known(reports={report_id}),
    )
    problems += mention_result.problems
    if problems:
        raise ValidationError(problems)
    return Checked(result.records[0], mention_result.records, result.warnings)


def _known_for(row: Mapping[str, str], existing: Report | None) -> Known:
    known = Known()
    if Collection.objects.filter(collection_id=row["collection_id"]).exists():
        known.collections.add(row["collection_id"])
    if Source.objects.filter(source_id=row["source_id"]).exists():
        known.sources.add(row["source_id"])
    if row["interview_id"]:
        owner = (
            Interview.objects.filter(interview_id=row["interview_id"])
            .values_list("source__source_id", flat=True)
            .first()
        )
        if owner is not None:
            known.interviews[row["interview_id"]] = owner
    return known


def _mention_ids_taken(mentions: Sequence[Mapping[str, str]], existing: Report | None) -> set[str]:
    """Mention ids used by other reports (this report's own may be kept)."""
    wanted = [str(m.get("mention_id") or "").strip() for m in mentions]
    wanted = [w for w in wanted if w]
    others = VictimMention.objects.filter(mention_id__in=wanted)
    if existing is not None:
        others = others.exclude(report=existing)
    return set(others.values_list("mention_id", flat=True))


def _free_mention_id(report_id: str, taken: set[str]) -> str:
    n = 1
    while True:
        candidate = f"{report_id}-M{n}"
        if (
            candidate not in taken
            and not VictimMention.objects.filter(mention_id=candidate).exists()
        ):
            return candidate
        n += 1


def save_report(
    values: Mapping[str, str],
    mentions: Sequence[Mapping[str, str]],
    *,
    existing: Report | None = None,
    version: int | None = None,
    accept_unresolved: bool = False,
    origin: str = "form",
) -> tuple[Report, list[Problem]]:
    """Validate and write a report and its mentions in one transaction.

    For an edit, ``existing`` is the stored report and ``version`` the version the editor
    started from; the write happens only if the stored version is still that one,
    otherwise :class:`ReportConflict` is raised and nothing is written. Returns the saved
    report and the validation warnings (kept values that need a reviewer's eye).
    """
    if existing is not None and version is None:  # checked again below, for the type
        raise ValidationError([make_problem(origin, None, "version", None, "edit_version")])
    checked = check_report(
        values, mentions, existing=existing, accept_unresolved=accept_unresolved, origin=origin
    )
    r = checked.report
    with transaction.atomic():
        source = Source.objects.get(source_id=r["source_id"])
        collection = Collection.objects.get(collection_id=r["collection_id"])
        interview = _interview(r, source)
        stored = {k: r[k] for k in _STORED}
        stored.update(
            source=source, collection=collection, interview=interview, place_id=r["place_code"]
        )
        if existing is None:
            report = Report.objects.create(report_id=r["report_id"], **stored)
        else:
            assert version is not None
            changed = Report.objects.filter(pk=existing.pk, version=version).update(
                **stored, version=F("version") + 1, updated_at=timezone.now()
            )
            if changed == 0:
                raise ReportConflict(Report.objects.get(pk=existing.pk))
            report = Report.objects.get(pk=existing.pk)
        _write_mentions(report, checked.mentions)
    return report, checked.warnings


def _interview(r: Mapping[str, Any], source: Source) -> Interview | None:
    if not r["interview_id"]:
        return None
    interview, created = Interview.objects.get_or_create(
        interview_id=r["interview_id"],
        defaults={"source": source, "date": r["interview_date"]},
    )
    if not created and interview.date is None and r["interview_date"] is not None:
        interview.date = r["interview_date"]
        interview.save(update_fields=["date"])
    return interview


def _write_mentions(report: Report, mentions: list[dict[str, Any]]) -> None:
    keep = {m["mention_id"] for m in mentions}
    report.mentions.exclude(mention_id__in=keep).delete()
    for m in mentions:
        values = {k: v for k, v in m.items() if k not in {"mention_id", "report_id"}}
        VictimMention.objects.update_or_create(
            mention_id=m["mention_id"], defaults={**values, "report": report}
        )


def report_values(report: Report) -> dict[str, str]:
    """A stored report as the import columns (what the edit form starts from)."""
    out = {c: "" for c in REPORTS.columns}
    for c in REPORTS.columns:
        if c in {"source_id", "collection_id", "interview_id", "interview_date"}:
            continue
        value = getattr(report, c, "")
        out[c] = "" if value is None else str(value)
    out["report_id"] = report.report_id
    out["source_id"] = report.source.source_id
    out["collection_id"] = report.collection.collection_id
    if report.interview is not None:
        out["interview_id"] = report.interview.interview_id
        out["interview_date"] = report.interview.date.isoformat() if report.interview.date else ""
    out["reliability"] = report.reliability
    return out
