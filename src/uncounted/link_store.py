"""Linkage on the case store: frames from the store, events and victims back into it.

:mod:`uncounted.link` knows nothing of the database; this module reads reports, victim
mentions and reviewer decisions into the frames it takes, and writes its result back:
Event and Victim rows replacing the previous run's, every report and mention pointing
at its event and victim, and a Run with the settings, the trained model (JSON), the
diagnostics and the queue of pairs for review, all in one transaction.
"""

from __future__ import annotations

import datetime
import getpass
import hashlib
import os
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from uncounted.link.linkage import LinkResult, LinkSettings

__all__ = ["decision_author", "link_store", "store_frames"]

REVIEW_KEEP = 5_000  # uncertain pairs kept with a run for ``uncounted review``


def decision_author(by: str | None = None) -> str:
    """Who decides: ``by`` if given, else ``$UNCOUNTED_ACTOR``, else the OS user name."""
    if by:
        return by[:150]
    env = os.environ.get("UNCOUNTED_ACTOR", "").strip()
    if env:
        return env[:150]
    try:
        return getpass.getuser()[:150]
    except (KeyError, OSError):
        return "unknown"


def store_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Reports, victim mentions and decisions of the open store as frames.

    Reports and mentions have the columns of ``reports.csv`` and
    ``victim_mentions.csv``; decisions ``kind, left_id, right_id, decision, decided_at``.
    """
    from uncounted.pipeline.casebook import read_casebook
    from uncounted.store.models import LinkDecision

    casebook = read_casebook()
    reports = casebook.reports[
        [
            "report_id",
            "source_id",
            "collection_id",
            "date_as_told",
            "place_as_told",
            "site_type",
            "victims_as_told",
            "charges",
            "method",
            "how_known",
        ]
    ]
    mentions = casebook.mentions[
        ["mention_id", "report_id", "name_as_told", "sex", "age_as_told", "charges"]
    ]
    decisions = pd.DataFrame.from_records(
        list(
            LinkDecision.objects.values_list(
                "kind", "left_id", "right_id", "decision", "decided_at"
            )
        ),
        columns=["kind", "left_id", "right_id", "decision", "decided_at"],
    )
    return reports.fillna(""), mentions.fillna(""), decisions


def _json_safe(value: Any) -> Any:
    """Plain JSON data: NaN and infinities as null, numpy numbers as Python numbers."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if value is pd.NA:
        return None
    return value


def _input_hash(reports: pd.DataFrame, mentions: pd.DataFrame, decisions: pd.DataFrame) -> str:
    digest = hashlib.sha256()
    for frame in (reports, mentions, decisions.drop(columns=["decided_at"], errors="ignore")):
        digest.update(frame.to_csv(index=False).encode("utf-8"))
    return digest.hexdigest()


def _day(value: Any) -> datetime.date | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return datetime.date(1970, 1, 1) + datetime.timedelta(days=int(value))


def _review_queue(result: LinkResult) -> list[dict[str, Any]]:
    from uncounted.link.review import review_queue

    queues = []
    for kind, pairs in (("reports", result.event_pairs), ("mentions", result.victim_pairs)):
        queue = review_queue(pairs, limit=REVIEW_KEEP)
        if kind == "reports" and len(result.event_review) > 0:
            # Reports that may belong to another event come first (the questions that
            # change the events most), then the pairs nearest even odds.
            queue = pd.concat([result.event_review, queue], ignore_index=True)
            queue = queue.drop_duplicates(["id_l", "id_r"]).head(REVIEW_KEEP)
        queue.insert(0, "kind", kind)
        queues.append(queue)
    merged = pd.concat(queues, ignore_index=True)
    records: list[dict[str, Any]] = merged.to_dict(orient="records")  # type: ignore[assignment]
    return records


def link_store(db: str | None, settings: LinkSettings) -> tuple[LinkResult, str]:
    """Link what is in the store and save events, victims and the run.

    Returns the result and the new run's id.
    """
    from uncounted.store.connect import open_store

    open_store(db)
    return link_and_save(settings)


def link_and_save(settings: LinkSettings) -> tuple[LinkResult, str]:
    """Link the store Django is already connected to (the web app's runs use this)."""
    from django.db import transaction

    from uncounted import __version__
    from uncounted.link.linkage import link_records
    from uncounted.link.prepare import CHARGE_BITS, report_features
    from uncounted.link.refine import consensus_records
    from uncounted.store.models import Event, Place, Report, Run, Victim, VictimMention

    reports, mentions, decisions = store_frames()
    result = link_records(reports, mentions, decisions=decisions, settings=settings)
    features = report_features(reports, mentions)
    labels = pd.factorize(result.report_event["event_id"])[0].astype(np.int64)
    consensus = consensus_records(features, labels).assign(
        event_id=pd.Series(result.report_event["event_id"]).drop_duplicates().to_numpy()
    )
    places = set(Place.objects.values_list("code", flat=True))
    bits = {bit: code for code, bit in CHARGE_BITS.items()}
    with transaction.atomic():
        Report.objects.update(event=None)
        VictimMention.objects.update(victim=None)
        Victim.objects.all().delete()
        Event.objects.all().delete()
        run = Run.objects.create(
            kind=Run.Kind.LINK,
            created_by=decision_author(),
            settings=settings.to_dict(),
            seed=settings.seed,
            input_hash=_input_hash(reports, mentions, decisions),
            version=__version__,
            status="done",
            results=_json_safe({"model": result.model_json(), "review": _review_queue(result)}),
        )
        events = []
        for row in consensus.to_dict(orient="records"):
            county, province = str(row["county"]), str(row["province"])
            place = county if county in places else province
            mask = int(row["charges"])
            count = row["victims_max"]
            events.append(
                Event(
                    event_id=str(row["event_id"]),
                    run=run,
                    date_start=_day(row["date_start"]),
                    date_end=_day(row["date_end"]),
                    place_id=place if place in places else None,
                    victims_estimate=None if count is pd.NA or count is None else int(count),
                    charges=";".join(c for b, c in bits.items() if mask & b),
                )
            )
        Event.objects.bulk_create(events, batch_size=500)
        event_pk = dict(Event.objects.values_list("event_id", "pk"))
        report_event = dict(
            zip(result.report_event["report_id"], result.report_event["event_id"], strict=True)
        )
        changed = []
        for report in Report.objects.only("pk", "report_id"):
            report.event_id = event_pk.get(report_event.get(report.report_id, ""))
            changed.append(report)
        Report.objects.bulk_update(changed, ["event"], batch_size=500)
        _save_victims(result, run, event_pk, report_event, mentions)
        run.save()  # enters the bulk writes in the audit log
    return result, str(run.run_id)


def _save_victims(
    result: LinkResult,
    run: Any,
    event_pk: dict[str, int],
    report_event: dict[str, str],
    mentions: pd.DataFrame,
) -> None:
    from uncounted.store.models import Victim, VictimMention

    table = result.mention_victim.merge(
        mentions[["mention_id", "report_id", "name_as_told", "sex"]], on="mention_id"
    )
    victims = []
    for victim_id, group in table.groupby("victim_id", sort=True):
        named = [n for n in group["name_as_told"] if n]
        sexes = [s for s in group["sex"] if s in ("f", "m")]
        event_id = report_event.get(str(group["report_id"].iloc[0]), "")
        victims.append(
            Victim(
                victim_id=str(victim_id),
                event_id=event_pk.get(event_id),
                run=run,
                # Ties go to the first in sorted order: a set's order changes from one
                # process to the next, and a rerun must write the same victims.
                name=max(sorted(set(named)), key=named.count)[:256] if named else "",
                sex=max(sorted(set(sexes)), key=sexes.count) if sexes else "",
            )
        )
    Victim.objects.bulk_create(victims, batch_size=500)
    victim_pk = dict(Victim.objects.values_list("victim_id", "pk"))
    owner = dict(zip(table["mention_id"], table["victim_id"], strict=True))
    changed = []
    for mention in VictimMention.objects.only("pk", "mention_id"):
        mention.victim_id = victim_pk.get(owner.get(mention.mention_id, ""))
        changed.append(mention)
    VictimMention.objects.bulk_update(changed, ["victim"], batch_size=500)
