"""Write the store back in the import layout: same files, same columns, same values.

CSV export writes every value exactly as stored. ``spreadsheet_safe`` neutralises
formula-like values (starting with = + - @, tab or carriage return) by prefixing an
apostrophe, so no spreadsheet evaluates them. XLSX export always writes text cells.
A source's identity is written only when asked for (``with_identities``), and needs the
key (identities are encrypted at rest); it then includes a column ``identity_<key>`` for
every field an administrator marked as identifying. A ``public`` export leaves out everything not
cleared for publication: sources without publication consent and all they told,
confidential reports, and victim mentions without publication consent.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from django.db.models import QuerySet

from uncounted.errors import ConfigurationError
from uncounted.ingest.schema import COLLECTIONS, REPORTS, SOURCES, TABLES, VICTIM_MENTIONS, Table
from uncounted.store.crypto import require_keyring
from uncounted.store.identifying import defined_keys, read_extra
from uncounted.store.models import Collection, Report, Source, SourceIdentity, VictimMention

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
Format = Literal["csv", "xlsx"]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def neutralise(value: str) -> str:
    """A value no spreadsheet will evaluate: formula-like text gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def columns(table: Table, *, with_identities: bool = False) -> tuple[str, ...]:
    """The columns written for ``table``: with identities, also the defined ``identity_*``."""
    if table is SOURCES and with_identities:
        return table.columns + tuple(table.identifying_prefix + k for k in defined_keys())
    return table.columns


def rows(
    table: Table, *, with_identities: bool = False, public: bool = False
) -> Iterator[list[str]]:
    """Rows of ``table`` from the store, in the order of :func:`columns`."""
    if public and with_identities:
        raise ConfigurationError("a public export never carries identities")
    if table is COLLECTIONS:
        return _collection_rows()
    if table is SOURCES:
        return _source_rows(with_identities, public)
    if table is REPORTS:
        return _report_rows(public)
    if table is VICTIM_MENTIONS:
        return _mention_rows(public)
    raise KeyError(table.name)


def publishable_reports() -> QuerySet[Report]:
    """Reports cleared for public output: not confidential, from a consenting source."""
    return Report.objects.filter(confidential=False, source__publication_consent=True)


def publishable_mentions() -> QuerySet[VictimMention]:
    """Victim mentions cleared for public output, in publishable reports only."""
    return VictimMention.objects.filter(
        publication_consent=True,
        report__confidential=False,
        report__source__publication_consent=True,
    )


def _collection_rows() -> Iterator[list[str]]:
    for c in Collection.objects.order_by("collection_id").iterator(chunk_size=5_000):
        yield [c.collection_id, c.name, c.kind, c.description]


def _source_rows(with_identities: bool, public: bool = False) -> Iterator[list[str]]:
    identities: dict[int, tuple[str, str, dict[str, str]]] = {}
    keys: list[str] = []
    if with_identities:
        # Decrypting needs the key: without it, refuse rather than write "[locked]".
        require_keyring()
        keys = defined_keys()
        identities = {
            i.source_id: (i.real_name, i.contact, read_extra(i.extra) or {})
            for i in SourceIdentity.objects.all()
        }
    query = Source.objects.select_related("collection").order_by("source_id")
    if public:
        query = query.filter(publication_consent=True)
    for s in query.iterator(chunk_size=5_000):
        real_name, contact, extra = identities.get(s.pk, ("", "", {}))
        yield [
            s.source_id,
            s.collection.collection_id,
            s.pseudonym,
            s.kind,
            s.sex,
            _text(s.birth_year),
            s.origin_place_as_told,
            _text(s.departure_year),
            _text(s.interview_year),
            real_name,
            contact,
            *(extra.get(k, "") for k in keys),
        ]


def _report_rows(public: bool = False) -> Iterator[list[str]]:
    base = publishable_reports() if public else Report.objects.all()
    query = base.select_related("source", "collection", "interview")
    for r in query.order_by("report_id").iterator(chunk_size=5_000):
        yield [
            r.report_id,
            r.source.source_id,
            r.collection.collection_id,
            r.interview.interview_id if r.interview else "",
            _text(r.interview.date) if r.interview else "",
            r.date_as_told,
            r.place_as_told,
            r.site_type,
            r.victims_as_told,
            r.charges,
            r.method,
            r.how_known,
            r.forced_attendance,
            r.violation,
            r.reliability,
            r.language,
            r.narrative,
        ]


def _mention_rows(public: bool = False) -> Iterator[list[str]]:
    base = publishable_mentions() if public else VictimMention.objects.all()
    query = base.select_related("report").order_by("mention_id")
    for m in query.iterator(chunk_size=5_000):
        yield [m.mention_id, m.report.report_id, m.name_as_told, m.sex, m.age_as_told, m.charges]


def export_store(
    out_dir: str | Path,
    *,
    fmt: Format = "csv",
    spreadsheet_safe: bool = False,
    with_identities: bool = False,
    public: bool = False,
) -> dict[str, int]:
    """Write every table to ``out_dir``; return the number of rows per table."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for table in TABLES:
        header = columns(table, with_identities=with_identities and not public)
        data = rows(table, with_identities=with_identities, public=public)
        if fmt == "xlsx":
            written[table.name] = _write_xlsx(out / f"{table.name}.xlsx", table, header, data)
        else:
            written[table.name] = _write_csv(
                out / f"{table.name}.csv", header, data, spreadsheet_safe
            )
    return written


def _write_csv(path: Path, header: tuple[str, ...], data: Iterator[list[str]], safe: bool) -> int:
    count = 0
    tmp = path.with_suffix(".csv.part")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in data:
            writer.writerow([neutralise(v) for v in row] if safe else row)
            count += 1
    tmp.replace(path)
    return count


def _write_xlsx(
    path: Path, table: Table, header: tuple[str, ...], data: Iterator[list[str]]
) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.name)
    sheet.append(list(header))
    count = 0
    from openpyxl.cell import WriteOnlyCell

    for row in data:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            # A text cell: "=..." stays text and is never evaluated as a formula.
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    tmp = path.with_suffix(".xlsx.part")
    book.save(tmp)
    tmp.replace(path)
    return count
