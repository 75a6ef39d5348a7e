"""The audit log: every create, update and delete of the record, chained by hash.

Database triggers (installed by migration ``0002_security_audit``) note each changed row
in :class:`AuditPending` in the same transaction as the change; the app then turns
pending rows into :class:`AuditEntry` rows, each carrying the digest of the row before
and after and the hash of the entry before it. :class:`AuditState` keeps the latest
digest of every row so that this costs one lookup per changed row.
"""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    """One change to one row; ``entry_hash`` covers every field and ``prev_hash``."""

    seq = models.BigIntegerField(primary_key=True)
    at = models.CharField(max_length=32)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=8)
    table = models.CharField(max_length=64)
    row_key = models.CharField(max_length=64)
    before = models.CharField(max_length=64, blank=True, default="")
    after = models.CharField(max_length=64, blank=True, default="")
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"audit entry {self.seq}: {self.action} {self.table} {self.row_key}"


class AuditState(models.Model):
    """The latest digest the log holds for a row (derived from the log; a cache)."""

    table = models.CharField(max_length=64)
    row_key = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    seq = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["table", "row_key"], name="audit_state_row")]


class AuditPending(models.Model):
    """A row changed by the app and not yet entered in the log (written by triggers)."""

    table = models.CharField(max_length=64)
    row_key = models.CharField(max_length=64)
    at = models.CharField(max_length=32)
    actor = models.CharField(max_length=150, blank=True, default="")
