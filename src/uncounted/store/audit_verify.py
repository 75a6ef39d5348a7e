"""Walk the audit chain and check the stored record against it.

Two kinds of breakage are found: an entry that was edited, removed or inserted (its hash,
its link to the entry before, or the numbering no longer holds), and a row whose stored
values no longer match the last entry about it (the record was changed behind the app's
back), including rows that exist with no entry at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from uncounted.store.audit import GENESIS, audited_models, current_digests, entry_hash


@dataclass
class Breach:
    """One way the record and its log disagree; ``seq`` is the entry concerned, if any."""

    seq: int | None
    message: str

    def __str__(self) -> str:
        where = f"audit entry {self.seq}" if self.seq is not None else "no audit entry"
        return f"{where}: {self.message}"


@dataclass
class Verification:
    """What :func:`verify` found: entries walked, head hash, and breaches (first first)."""

    entries: int = 0
    head: str = GENESIS
    pending: int = 0  # rows the app changed that are not entered yet (not checked)
    breaches: list[Breach] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaches

    @property
    def first(self) -> Breach | None:
        return self.breaches[0] if self.breaches else None


def verify(*, check_rows: bool = True, limit: int = 20) -> Verification:
    """Check the whole chain, then every audited row against its last entry."""
    result = Verification()
    last: dict[str, dict[str, tuple[str, int]]] = {}
    _walk_chain(result, last, limit)
    if check_rows and not result.breaches:
        _check_rows(result, last, limit)
    return result


def _walk_chain(
    result: Verification, last: dict[str, dict[str, tuple[str, int]]], limit: int
) -> None:
    prev, expected = GENESIS, 1
    sql = (
        'SELECT seq, at, actor, action, "table", row_key, before, after, prev_hash, entry_hash '
        "FROM store_auditentry ORDER BY seq"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(20_000):
            for seq, at, actor, action, table, row, before, after, prev_hash, digest in rows:
                if seq != expected:
                    result.breaches.append(
                        Breach(expected, f"missing (the next entry is {seq}): entries removed")
                    )
                    return
                if prev_hash != prev:
                    result.breaches.append(
                        Breach(seq, "does not follow the entry before it (removed or reordered)")
                    )
                    return
                if entry_hash(prev, seq, at, actor, action, table, row, before, after) != digest:
                    result.breaches.append(Breach(seq, "was edited after it was written"))
                    return
                rows_of = last.get(table)
                if rows_of is None:
                    rows_of = last[table] = {}
                rows_of[row] = (after, seq)
                prev, expected = digest, expected + 1
    result.entries = expected - 1
    result.head = prev


def _check_rows(
    result: Verification, last: dict[str, dict[str, tuple[str, int]]], limit: int
) -> None:
    from uncounted.store.models import AuditPending

    found: list[Breach] = []
    pending = set(AuditPending.objects.values_list("table", "row_key"))
    result.pending = len(pending)
    labels = {m._meta.label_lower for m in audited_models()}
    for model in audited_models():
        label = model._meta.label_lower
        logged = last.get(label, {})
        seen: set[str] = set()
        for row, digest in current_digests(model):
            seen.add(row)
            entry = logged.get(row)
            if (label, row) in pending:
                continue  # changed by the app, not yet entered: checked once it is
            if entry is None:
                found.append(Breach(None, f"{label} row {row} exists but was never logged"))
            elif entry[0] != digest:
                found.append(
                    Breach(entry[1], f"{label} row {row} was changed outside the app since")
                )
        for row, (after, seq) in logged.items():
            if after and row not in seen and (label, row) not in pending:
                found.append(Breach(seq, f"{label} row {row} was removed outside the app since"))
    for label in set(last) - labels:
        seq = min(s for _, s in last[label].values())
        found.append(Breach(seq, f"names an unknown table {label!r}"))
    found.sort(key=lambda b: (b.seq is None, b.seq or 0))
    result.breaches.extend(found[:limit])
