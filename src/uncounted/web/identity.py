"""The one place the web app reads or writes a source's identity (real name, contact).

Everything else shows a source by its pseudonym. Keeping identity access here leaves one
seam for what comes next (issue 7): decrypting, auditing each read, and asking for a
second factor. Identity values never go into URLs, messages or logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from uncounted.store.models import Source, SourceIdentity
from uncounted.web.roles import Capability, can


@dataclass(frozen=True)
class Identity:
    """A source's identifying fields, as shown to a user allowed to see them."""

    real_name: str
    contact: str


def read_identity(user: Any, source: Source) -> Identity | None:
    """The identity of ``source`` for ``user``; None when not allowed or none is stored."""
    if not can(user, Capability.VIEW_IDENTITY):
        return None
    row = SourceIdentity.objects.filter(source=source).first()
    if row is None:
        return Identity("", "")
    return Identity(row.real_name, row.contact)


def write_identity(user: Any, source: Source, real_name: str, contact: str) -> None:
    """Store (or clear) the identity of ``source``; only roles that may see it may set it."""
    if not can(user, Capability.VIEW_IDENTITY):
        raise PermissionDenied(Capability.VIEW_IDENTITY.value)
    with transaction.atomic():
        if not real_name and not contact:
            SourceIdentity.objects.filter(source=source).delete()
            return
        SourceIdentity.objects.update_or_create(
            source=source, defaults={"real_name": real_name, "contact": contact}
        )
