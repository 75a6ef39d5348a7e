"""The tables uncounted reads and writes, with their columns in file order.

The column lists are the contract documented in ``docs/data-format.md``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """One table of the layout: its file stem, id column and columns in order."""

    name: str
    id_column: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    # Columns whose values identify a person: never echoed in messages or logs.
    identifying: tuple[str, ...] = ()
    # Columns named with this prefix are identifying fields an administrator defined
    # (``identity_<key>``, see uncounted.store.identifying); checked against the store.
    identifying_prefix: str = ""

    def is_identifying(self, column: str | None) -> bool:
        if column is None:
            return False
        prefix = self.identifying_prefix
        return column in self.identifying or bool(prefix and column.startswith(prefix))

    def is_extra_identity(self, column: str) -> bool:
        """A column for an administrator's identifying field (known or not)."""
        return bool(self.identifying_prefix) and column.startswith(self.identifying_prefix)


COLLECTIONS = Table(
    "collections",
    "collection_id",
    ("collection_id", "name", "kind", "description"),
    ("collection_id", "name", "kind"),
)
SOURCES = Table(
    "sources",
    "source_id",
    (
        "source_id",
        "collection_id",
        "pseudonym",
        "kind",
        "sex",
        "birth_year",
        "origin_place",
        "departure_year",
        "interview_year",
        "real_name",
        "contact",
    ),
    ("source_id", "collection_id", "pseudonym", "kind"),
    identifying=("real_name", "contact"),
    identifying_prefix="identity_",
)
REPORTS = Table(
    "reports",
    "report_id",
    (
        "report_id",
        "source_id",
        "collection_id",
        "interview_id",
        "interview_date",
        "date_as_told",
        "place_as_told",
        "site_type",
        "victims_as_told",
        "charges",
        "method",
        "how_known",
        "forced_attendance",
        "violation",
        "reliability",
        "language",
        "narrative",
    ),
    ("report_id", "source_id", "collection_id"),
)
VICTIM_MENTIONS = Table(
    "victim_mentions",
    "mention_id",
    ("mention_id", "report_id", "name_as_told", "sex", "age_as_told", "charges"),
    ("mention_id", "report_id"),
)

# A report's stored fields besides its ids and links: as told, and as read.
REPORT_STORED_FIELDS: tuple[str, ...] = (
    "date_as_told",
    "date_start",
    "date_end",
    "date_precision",
    "place_as_told",
    "place_iso",
    "place_level",
    "place_flagged",
    "site_type",
    "victims_as_told",
    "victims_min",
    "victims_max",
    "charges",
    "method",
    "how_known",
    "forced_attendance",
    "violation",
    "reliability",
    "language",
    "narrative",
)

# Import order: every table only refers to tables before it.
TABLES: tuple[Table, ...] = (COLLECTIONS, SOURCES, REPORTS, VICTIM_MENTIONS)
BY_NAME = {t.name: t for t in TABLES}

# Cell limits: a narrative may be long; nothing else should be.
MAX_TEXT_CHARS = 100_000
MAX_FIELD_CHARS = 1_000
MAX_FILE_BYTES = 2 * 1024**3
