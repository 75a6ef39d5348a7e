"""Read a casebook (the case store) into plain frames for linkage, estimation and publishing.

Only what the pipeline needs is read. A source's identity (real name, contact) is never
read, and the pseudonym is left out too: public output names no source at all, so the
frames downstream cannot leak one by mistake.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pandas as pd

REPORT_COLUMNS = (
    "report_id",
    "source_id",
    "collection_id",
    "date_start",
    "date_end",
    "date_precision",
    "place_code",
    "place_iso",
    "place_level",
    "site_type",
    "victims_min",
    "victims_max",
    "charges",
    "method",
    "how_known",
    "forced_attendance",
    "reliability",
    "violation",
    "stored_event_id",
    "date_as_told",
    "place_as_told",
    "victims_as_told",
    "publishable",
)
# Free text as told: the linker reads it; nothing that publishes does (see ``without_text``).
AS_TOLD_COLUMNS = ("date_as_told", "place_as_told", "victims_as_told")
SOURCE_COLUMNS = ("source_id", "collection_id", "kind", "origin_code", "origin_iso")
COLLECTION_COLUMNS = ("collection_id", "name", "kind")
MENTION_COLUMNS = (
    "mention_id",
    "report_id",
    "sex",
    "stored_victim_id",
    "name_as_told",
    "age_as_told",
    "charges",
    "publishable",
)
MENTION_TEXT_COLUMNS = ("name_as_told", "age_as_told")


@dataclass
class Casebook:
    """The testimony of a case store as frames, without any identifying field.

    ``reports.source_id`` is kept for linkage (a witness tells each event once) and for
    the unseen-event estimators (each interviewee is a sampling unit); it never reaches
    public output. Victims' names as told are read for linkage only, and are not published
    either.

    ``publishable`` (reports and mentions) says whether a row may be quoted in public
    output: a report that is not confidential, told by a source who consented to
    publication; a mention with its own consent, in such a report. Every row counts in
    the figures whatever its consent; :meth:`without_text` is what publishing reads.
    """

    collections: pd.DataFrame
    sources: pd.DataFrame
    reports: pd.DataFrame
    mentions: pd.DataFrame

    def content_hash(self) -> str:
        """SHA-256 of the frames' content in a stable order: the input of a run."""
        digest = hashlib.sha256()
        for name in ("collections", "sources", "reports", "mentions"):
            frame: pd.DataFrame = getattr(self, name)
            digest.update(name.encode())
            digest.update(frame.to_csv(index=False, lineterminator="\n").encode())
        return digest.hexdigest()

    def without_text(self) -> Casebook:
        """The same casebook without any free text as told (dates, places, counts, names,
        ages): what publishing may read. Linkage, which needs the text, reads it before."""
        return Casebook(
            self.collections,
            self.sources,
            self.reports.drop(columns=list(AS_TOLD_COLUMNS)),
            self.mentions.drop(columns=list(MENTION_TEXT_COLUMNS)),
        )

    def withheld(self) -> tuple[int, int]:
        """Reports and victim mentions that may not be quoted (counted all the same)."""
        return (
            int((~self.reports["publishable"].astype(bool)).sum()),
            int((~self.mentions["publishable"].astype(bool)).sum()),
        )


def _frame(
    model: Any,
    order: str,
    lookups: tuple[str, ...],
    columns: tuple[str, ...],
    **computed: Any,
) -> pd.DataFrame:
    """One table of the store as a frame: ``lookups`` read into ``columns``, in id order;
    ``computed`` names expressions to read as well (``annotate``)."""
    query = model.objects.annotate(**computed) if computed else model.objects
    rows = list(query.order_by(order).values_list(*lookups))
    frame = pd.DataFrame(rows, columns=list(columns))
    for name in computed:
        frame[name] = frame[name].astype(bool)
    return frame


def read_casebook() -> Casebook:
    """Read the open store (see :func:`uncounted.store.connect.open_store`) into frames."""
    from django.db.models import BooleanField, ExpressionWrapper, Q

    from uncounted.store.models import Collection, Report, Source, VictimMention

    # The rule of ``uncounted.ingest.export.publishable_reports`` / ``publishable_mentions``.
    report_ok = Q(confidential=False, source__publication_consent=True)
    mention_ok = Q(
        publication_consent=True,
        report__confidential=False,
        report__source__publication_consent=True,
    )

    collections = _frame(Collection, "collection_id", COLLECTION_COLUMNS, COLLECTION_COLUMNS)
    sources = _frame(
        Source,
        "source_id",
        (
            "source_id",
            "collection__collection_id",
            "kind",
            "origin_place_id",
            "origin_place__iso_3166_2",
        ),
        SOURCE_COLUMNS,
    )
    reports = _frame(
        Report,
        "report_id",
        (
            "report_id",
            "source__source_id",
            "collection__collection_id",
            "date_start",
            "date_end",
            "date_precision",
            "place_id",
            "place_iso",
            "place_level",
            "site_type",
            "victims_min",
            "victims_max",
            "charges",
            "method",
            "how_known",
            "forced_attendance",
            "reliability",
            "violation",
            "event__event_id",
            "date_as_told",
            "place_as_told",
            "victims_as_told",
            "publishable",
        ),
        REPORT_COLUMNS,
        publishable=ExpressionWrapper(report_ok, output_field=BooleanField()),
    )
    mentions = _frame(
        VictimMention,
        "mention_id",
        (
            "mention_id",
            "report__report_id",
            "sex",
            "victim__victim_id",
            "name_as_told",
            "age_as_told",
            "charges",
            "publishable",
        ),
        MENTION_COLUMNS,
        publishable=ExpressionWrapper(mention_ok, output_field=BooleanField()),
    )
    for column in ("date_start", "date_end"):
        reports[column] = pd.to_datetime(reports[column])
    for column in ("victims_min", "victims_max"):
        reports[column] = reports[column].astype("Int64")
    return Casebook(collections, sources, reports, mentions)
