"""A small, valid casebook written by hand, and a way to snapshot the whole store."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from uncounted.ingest.schema import COLLECTIONS, REPORTS, SOURCES, VICTIM_MENTIONS

COLLECTION_ROWS = [
    {
        "collection_id": "C01",
        "name": "Interview programme",
        "kind": "interview_programme",
        "description": "",
    },
    {
        "collection_id": "C02",
        "name": "Press archive",
        "kind": "press_archive",
        "description": "informant reports",
    },
]
SOURCE_ROWS = [
    {
        "source_id": "S001",
        "collection_id": "C01",
        "pseudonym": "W-2009-0001",
        "kind": "interviewee",
        "sex": "f",
        "birth_year": "1970",
        "origin_place": "Hyesan",
        "departure_year": "2008",
        "interview_year": "2009",
        "real_name": "김비밀",
        "contact": "secret-phone-010-0000",
    },
    {
        "source_id": "S002",
        "collection_id": "C02",
        "pseudonym": "P-0002",
        "kind": "informant",
        "sex": "",
        "birth_year": "",
        "origin_place": "",
        "departure_year": "",
        "interview_year": "",
        "real_name": "",
        "contact": "",
    },
]
REPORT_ROWS = [
    {
        "report_id": "R001",
        "source_id": "S001",
        "collection_id": "C01",
        "interview_id": "I001",
        "interview_date": "2009-05-01",
        "date_as_told": "2005년 3월",
        "place_as_told": "혜산시",
        "site_type": "marketplace",
        "victims_as_told": "3",
        "charges": "drugs;smuggling",
        "method": "firing_squad",
        "how_known": "saw",
        "forced_attendance": "yes",
        "violation": "public_execution",
        "reliability": "2",
        "language": "ko",
        "narrative": '=HYPERLINK("http://x") 시장에서 세 명이 총살되었다.',
    },
    {
        "report_id": "R002",
        "source_id": "S002",
        "collection_id": "C02",
        "interview_id": "",
        "interview_date": "",
        "date_as_told": "spring 2005",
        "place_as_told": "Hyesan",
        "site_type": "",
        "victims_as_told": "2-3",
        "charges": "drugs",
        "method": "",
        "how_known": "heard",
        "forced_attendance": "",
        "violation": "",
        "reliability": "",
        "language": "en",
        "narrative": "+ heard from a trader",
    },
]
MENTION_ROWS = [
    {
        "mention_id": "M001",
        "report_id": "R001",
        "name_as_told": "장성택",
        "sex": "m",
        "age_as_told": "40대",
        "charges": "",
    },
    {
        "mention_id": "M002",
        "report_id": "R002",
        "name_as_told": "Chang Sŏng-t'aek",
        "sex": "m",
        "age_as_told": "",
        "charges": "drugs",
    },
]
TABLE_ROWS = {
    COLLECTIONS.name: COLLECTION_ROWS,
    SOURCES.name: SOURCE_ROWS,
    REPORTS.name: REPORT_ROWS,
    VICTIM_MENTIONS.name: MENTION_ROWS,
}
COLUMNS = {t.name: t.columns for t in (COLLECTIONS, SOURCES, REPORTS, VICTIM_MENTIONS)}


def write_csv(
    path: Path,
    rows: list[dict[str, Any]],
    columns: tuple[str, ...] | list[str],
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every testimony table, to prove a failed import changed nothing."""
    from uncounted.store import models

    out: dict[str, list[tuple[Any, ...]]] = {}
    for model in (
        models.Collection,
        models.Source,
        models.SourceIdentity,
        models.Interview,
        models.Report,
        models.VictimMention,
        models.Run,
    ):
        out[model.__name__] = sorted(model.objects.values_list(), key=repr)
    return out
