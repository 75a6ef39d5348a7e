"""The one place the web app reads or writes a source's identity.

A source's identity is its real name, contact, exact interview location and the values of
every field an administrator marked as identifying (:mod:`uncounted.store.identifying`).
Everything else shows a source by its pseudonym. Identity values never go into URLs,
messages or logs. Without the key the identity reads as locked and cannot be changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from uncounted.store.crypto import LOCKED_DISPLAY, LockedText, require_keyring
from uncounted.store.identifying import encode_extra, read_extra
from uncounted.store.models import IdentifyingField, Source, SourceIdentity
from uncounted.web.roles import Capability, can


@dataclass(frozen=True)
class Identity:
    """A source's identifying fields, as shown to a user allowed to see them."""

    real_name: str
    contact: str
    interview_location: str = ""
    # Values of the administrator's identifying fields, by key.
    extra: dict[str, str] = field(default_factory=dict)
    locked: bool = False


def identifying_fields() -> list[IdentifyingField]:
    """The fields an administrator marked as identifying, in key order."""
    return list(IdentifyingField.objects.order_by("key"))


def read_identity(user: Any, source: Source) -> Identity | None:
    """The identity of ``source`` for ``user``; None when not allowed or none is stored."""
    if not can(user, Capability.VIEW_IDENTITY):
        return None
    row = SourceIdentity.objects.filter(source=source).first()
    if row is None:
        return Identity("", "")
    extra = read_extra(row.extra)
    values = (row.real_name, row.contact, row.interview_location, row.extra)
    locked = any(isinstance(v, LockedText) for v in values)
    if extra is None:
        extra = {f.key: LOCKED_DISPLAY for f in identifying_fields()}
    return Identity(row.real_name, row.contact, row.interview_location, extra, locked)


def write_identity(
    user: Any,
    source: Source,
    real_name: str,
    contact: str,
    *,
    interview_location: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> None:
    """Store (or clear) the identity of ``source``; only roles that may see it may set it.

    ``interview_location`` None leaves it as stored; ``extra`` gives the values of the
    identifying fields it names (an empty value clears one), others are left as stored.
    Raises :class:`~uncounted.store.crypto.IdentityLockedError` without the key.
    """
    if not can(user, Capability.VIEW_IDENTITY):
        raise PermissionDenied(Capability.VIEW_IDENTITY.value)
    require_keyring()
    with transaction.atomic():
        row = SourceIdentity.objects.select_for_update().filter(source=source).first()
        stored = (read_extra(row.extra) if row is not None else None) or {}
        values = {**stored, **(extra or {})}
        location = interview_location
        if location is None:
            location = row.interview_location if row is not None else ""
        kept = encode_extra(values)
        if not (real_name or contact or location or kept):
            SourceIdentity.objects.filter(source=source).delete()
            return
        SourceIdentity.objects.update_or_create(
            source=source,
            defaults={
                "real_name": real_name,
                "contact": contact,
                "interview_location": location,
                "extra": kept,
            },
        )
