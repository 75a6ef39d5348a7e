"""Write validated records into the case store: one transaction, all or nothing.

Ids are stable: a row whose id is already stored is updated when it differs and left
alone when it is the same, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from uncounted import __version__
from uncounted.errors import Problem, ValidationError
from uncounted.ingest.readers import RawTable, oversize_problems, read_path
from uncounted.ingest.schema import REPORT_STORED_FIELDS, TABLES
from uncounted.ingest.validate import Known, Validated, validate
from uncounted.store.identifying import defined_keys, encode_extra, merged, read_extra
from uncounted.store.models import (
    Collection,
    Interview,
    Report,
    Run,
    Source,
    SourceIdentity,
    VictimMention,
)

BATCH = 2_000
Progress = Callable[[str, int, int], None]


@dataclass
class TableCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    """What an import did, table by table, and the warnings it kept."""

    counts: dict[str, TableCounts] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    input_hash: str = ""
    encodings: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())


def input_hash(path: Path) -> str:
    """SHA-256 over the files read (name and bytes), in a stable order."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir() and file.relative_to(path).parts[0] == "truth":
            continue
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def check(path: Path, *, accept_unresolved: bool = False) -> tuple[list[Validated], list[RawTable]]:
    """Read and validate everything at ``path`` against the store; raise on any problem."""
    raws, problems = read_path(path)
    for raw in raws:
        problems += oversize_problems(raw)
    if problems:
        raise ValidationError(problems, _HINT)
    known = _known_from_store()
    results: list[Validated] = []
    by_table = {t.name: [r for r in raws if r.table.name == t.name] for t in TABLES}
    for table in TABLES:
        for raw in by_table[table.name]:
            result = validate(raw, known, accept_unresolved=accept_unresolved)
            problems += result.problems
            results.append(result)
    if problems:
        raise ValidationError(problems, _HINT)
    return results, raws


_HINT = "Fix these in the file(s) and import again; the store was not changed."


def import_path(
    path: str | Path, *, accept_unresolved: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Validate ``path`` completely, then write it in one transaction."""
    path = Path(path)
    results, raws = check(path, accept_unresolved=accept_unresolved)
    out = ImportResult(input_hash=input_hash(path))
    out.encodings = {r.file: r.encoding for r in raws}
    for result in results:
        out.warnings += result.warnings
    with transaction.atomic():
        for result in results:
            name = result.table.name
            counts = out.counts.setdefault(name, TableCounts())
            _WRITERS[name](result.records, counts, progress)
        if out.changed:
            Run.objects.create(
                kind=Run.Kind.IMPORT,
                settings={"path": path.name, "accept_unresolved": accept_unresolved},
                input_hash=out.input_hash,
                version=__version__,
                results={k: vars(v) for k, v in out.counts.items()},
            )
    return out


def _known_from_store() -> Known:
    return Known(
        collections=set(Collection.objects.values_list("collection_id", flat=True)),
        sources=set(Source.objects.values_list("source_id", flat=True)),
        reports=set(Report.objects.values_list("report_id", flat=True)),
        interviews=dict(Interview.objects.values_list("interview_id", "source__source_id")),
        identifying_fields=set(defined_keys()),
    )


def _upsert(
    model: type[models.Model],
    key: str,
    rows: list[dict[str, Any]],
    counts: TableCounts,
    progress: Progress | None,
    label: str,
    unchanged: set[str] | None = None,
) -> dict[str, int]:
    """Insert new rows, update changed ones, leave equal ones; return key -> pk.

    ``unchanged``, when given, receives the keys of the rows left as they were.
    """
    keys = [r[key] for r in rows]
    fields = [f for f in rows[0] if f != key] if rows else []
    existing: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(keys, 5_000):
        for values in model._default_manager.filter(**{f"{key}__in": chunk}).values(
            "pk", key, *fields
        ):
            existing[values[key]] = values
    new: list[dict[str, Any]] = []
    changed = []
    for row in rows:
        old = existing.get(row[key])
        if old is None:
            new.append(row)
        elif any(old[f] != row[f] for f in fields):
            obj = model(pk=old["pk"], **row)
            changed.append(obj)
        else:
            counts.unchanged += 1
            if unchanged is not None:
                unchanged.add(row[key])
    done = 0
    for chunk in _chunks(new, BATCH):
        insert_rows(model, chunk)
        done += len(chunk)
        if progress:
            progress(label, done, len(rows))
    for chunk in _chunks(changed, BATCH):
        model._default_manager.bulk_update(chunk, fields, batch_size=BATCH)
    counts.created += len(new)
    counts.updated += len(changed)
    pks: dict[str, int] = {}
    for chunk in _chunks(keys, 5_000):
        pks.update(model._default_manager.filter(**{f"{key}__in": chunk}).values_list(key, "pk"))
    return pks


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert new rows with one prepared statement.

    Django's ``bulk_create`` compiles every value of every row through the ORM, which
    costs more than the database itself on 100,000-row imports; here values are adapted
    once per column type and sent with ``executemany``. Defaults and ``auto_now`` fields
    are filled as the ORM would.
    """
    from django.db import connections, router
    from django.utils import timezone

    alias = router.db_for_write(model)
    connection = connections[alias]
    ops = connection.ops
    now = timezone.now()
    columns: list[tuple[str, Callable[[dict[str, Any]], Any]]] = []
    for f in model._meta.concrete_fields:
        if f.primary_key and f.attname not in rows[0]:
            continue
        columns.append((f.column, _value_getter(f, ops, now)))
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c, _ in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    params = [tuple(get(row) for _, get in columns) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _value_getter(f: Any, ops: Any, now: Any) -> Callable[[dict[str, Any]], Any]:
    attname = f.attname
    internal = f.get_internal_type()
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        stamp = ops.adapt_datetimefield_value(now)
        return lambda row: stamp
    if f.has_default():
        default = f.get_default

        def with_default(row: dict[str, Any]) -> Any:
            return row[attname] if attname in row else default()

        base = with_default
    else:

        def plain(row: dict[str, Any]) -> Any:
            return row.get(attname)

        base = plain
    if internal == "DateField":
        return lambda row: ops.adapt_datefield_value(base(row))
    if internal == "DateTimeField":
        return lambda row: ops.adapt_datetimefield_value(base(row))
    if internal == "UUIDField":
        return lambda row: f.get_db_prep_save(base(row), ops.connection)
    if internal == "JSONField":
        return lambda row: f.get_db_prep_save(base(row), ops.connection)
    return base


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _pk_map(model: type[models.Model], key: str) -> dict[str, int]:
    return dict(model._default_manager.values_list(key, "pk"))


def _write_collections(
    records: list[dict[str, Any]], counts: TableCounts, progress: Progress | None
) -> None:
    _upsert(Collection, "collection_id", records, counts, progress, "collections")


def _write_sources(
    records: list[dict[str, Any]], counts: TableCounts, progress: Progress | None
) -> None:
    collections = _pk_map(Collection, "collection_id")
    rows, identities = [], {}
    for r in records:
        rows.append(
            {
                "source_id": r["source_id"],
                "collection_id": collections[r["collection_id"]],
                "pseudonym": r["pseudonym"],
                "kind": r["kind"],
                "sex": r["sex"],
                "birth_year": r["birth_year"],
                "origin_place_as_told": r["origin_place_as_told"],
                "origin_place_id": r["origin_place_code"],
                "departure_year": r["departure_year"],
                "interview_year": r["interview_year"],
            }
        )
        identities[r["source_id"]] = (r["real_name"], r["contact"], r["extra"])
    same: set[str] = set()
    pks = _upsert(Source, "source_id", rows, counts, progress, "sources", same)
    # A source whose identity alone changed was updated too (and the import is recorded).
    moved = len(_write_identities(identities, pks) & same)
    counts.unchanged -= moved
    counts.updated += moved


def _write_identities(
    identities: dict[str, tuple[str, str, dict[str, str]]], pks: dict[str, int]
) -> set[str]:
    """Write the identities given; return the source ids whose identity was added or changed."""
    # An empty identity cell means "not given here": it never erases a stored identity.
    # Identities are encrypted before they reach the database (uncounted.store.crypto);
    # without the key, a file that carries any is refused (the transaction rolls back).
    from uncounted.store.crypto import require_keyring

    def given(name: str, contact: str, extra: dict[str, str]) -> bool:
        return bool(name or contact or any(extra.values()))

    if not any(given(*values) for values in identities.values()):
        return set()
    require_keyring()
    stored: dict[int, SourceIdentity] = {}
    for chunk in _chunks(list(pks.values()), 5_000):
        stored.update((i.source_id, i) for i in SourceIdentity.objects.filter(source_id__in=chunk))
    seal = {name: _sealer(name) for name in _IDENTITY_FIELDS}
    new, changed, touched = [], [], set()
    for source_id, (real_name, contact, extra) in identities.items():
        pk = pks[source_id]
        row = stored.get(pk)
        if row is None:
            if given(real_name, contact, extra):
                values = (real_name, contact, encode_extra(extra))
                new.append(
                    {"source_id": pk}
                    | {f: seal[f](v) for f, v in zip(_IDENTITY_FIELDS, values, strict=True)}
                )
                touched.add(source_id)
            continue
        # The key is there (required above), so nothing reads as locked.
        kept = encode_extra(merged(read_extra(row.extra) or {}, extra))
        name = real_name or row.real_name
        reach = contact or row.contact
        if (name, reach, kept) != (row.real_name, row.contact, row.extra):
            row.real_name, row.contact, row.extra = name, reach, kept
            changed.append(row)
            touched.add(source_id)
    for chunk in _chunks(new, BATCH):
        insert_rows(SourceIdentity, chunk)
    SourceIdentity.objects.bulk_update(changed, list(_IDENTITY_FIELDS), batch_size=BATCH)
    return touched


_IDENTITY_FIELDS = ("real_name", "contact", "extra")


def _sealer(name: str) -> Callable[[str], str]:
    from uncounted.store.fields import EncryptedTextField

    field = SourceIdentity._meta.get_field(name)
    assert isinstance(field, EncryptedTextField)
    return field.seal


def _write_reports(
    records: list[dict[str, Any]], counts: TableCounts, progress: Progress | None
) -> None:
    collections = _pk_map(Collection, "collection_id")
    sources = _pk_map(Source, "source_id")
    interviews: dict[str, dict[str, Any]] = {}
    for r in records:
        if r["interview_id"]:
            entry = interviews.setdefault(
                r["interview_id"],
                {
                    "interview_id": r["interview_id"],
                    "source_id": sources[r["source_id"]],
                    "date": r["interview_date"],
                },
            )
            if entry["date"] is None:
                entry["date"] = r["interview_date"]
    interview_pks = (
        _upsert(
            Interview, "interview_id", list(interviews.values()), TableCounts(), None, "interviews"
        )
        if interviews
        else {}
    )
    rows = []
    for r in records:
        rows.append(
            {
                "report_id": r["report_id"],
                "source_id": sources[r["source_id"]],
                "collection_id": collections[r["collection_id"]],
                "interview_id": interview_pks.get(r["interview_id"]) if r["interview_id"] else None,
                **{k: r[k] for k in REPORT_STORED_FIELDS},
                "place_id": r["place_code"],
            }
        )
    _upsert(Report, "report_id", rows, counts, progress, "reports")


def _write_mentions(
    records: list[dict[str, Any]], counts: TableCounts, progress: Progress | None
) -> None:
    reports = _pk_map(Report, "report_id")
    rows = []
    for r in records:
        row = dict(r)
        row["report_id"] = reports[r["report_id"]]
        rows.append(row)
    _upsert(VictimMention, "mention_id", rows, counts, progress, "victim mentions")


_WRITERS: dict[str, Callable[[list[dict[str, Any]], TableCounts, Progress | None], None]] = {
    "collections": _write_collections,
    "sources": _write_sources,
    "reports": _write_reports,
    "victim_mentions": _write_mentions,
}
