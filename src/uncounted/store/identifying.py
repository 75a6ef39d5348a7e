"""Fields an administrator marks as identifying, and their values on a source's identity.

Teams record details beyond a name and a contact that could point to a witness: a
hometown, a workplace, relatives' names, a phone number abroad. An administrator defines
each such field once (:class:`~uncounted.store.models.IdentifyingField`: a key and its
English and Korean labels); a source's values for them are kept in
:attr:`SourceIdentity.extra <uncounted.store.models.SourceIdentity.extra>` as one JSON
object ``{key: value}``, encrypted as one token like the other identifying fields (so
rotation, backups and the audit log cover them with nothing added). In files, a field is
the column ``identity_<key>`` of ``sources.csv``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from uncounted.errors import ConfigurationError, StoreError
from uncounted.store.crypto import LockedText

COLUMN_PREFIX = "identity_"
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_VALUE_CHARS = 1_000


def check_key(key: str) -> str:
    """``key`` as stored (trimmed, lower case); a ConfigurationError saying what is allowed."""
    key = key.strip().lower()
    if not KEY_PATTERN.match(key):
        raise ConfigurationError(
            "an identifying field's key is 1-40 characters: a lower-case letter first, then "
            "letters, digits or _ (for example hometown or relatives_names)"
        )
    return key


def define_field(key: str, label_en: str, label_ko: str = "", *, by: str = "") -> Any:
    """Mark a new field as identifying; returns the stored :class:`IdentifyingField`."""
    from uncounted.store.models import IdentifyingField

    key = check_key(key)
    label_en, label_ko = label_en.strip(), label_ko.strip()
    if not label_en:
        raise ConfigurationError("an identifying field needs an English label")
    if len(label_en) > 128 or len(label_ko) > 128:
        raise ConfigurationError("a label is at most 128 characters")
    if IdentifyingField.objects.filter(key=key).exists():
        raise ConfigurationError(f"an identifying field {key!r} is already defined")
    return IdentifyingField.objects.create(
        key=key, label_en=label_en, label_ko=label_ko, created_by=by[:150]
    )


def defined_keys() -> list[str]:
    """Keys of every identifying field an administrator defined, in key order."""
    from uncounted.store.models import IdentifyingField

    return list(IdentifyingField.objects.order_by("key").values_list("key", flat=True))


def label(field: Any, language: str) -> str:
    """The field's label in ``language`` ("ko" or else English)."""
    return str(field.label_ko if language == "ko" and field.label_ko else field.label_en)


def read_extra(stored: str) -> dict[str, str] | None:
    """The values held in ``SourceIdentity.extra``; None when it is locked (no key)."""
    if isinstance(stored, LockedText):
        return None
    if not stored:
        return {}
    try:
        data = json.loads(stored)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        # Never quote it: the value is identifying.
        raise StoreError("a source identity's extra fields are not a JSON object of texts")
    return data


def encode_extra(values: Mapping[str, str]) -> str:
    """What ``SourceIdentity.extra`` holds for ``values`` (empty values left out)."""
    kept = {k: v for k, v in values.items() if v}
    if not kept:
        return ""
    return json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def merged(stored: Mapping[str, str], given: Mapping[str, str]) -> dict[str, str]:
    """``stored`` with the non-empty values of ``given`` (an empty value gives nothing)."""
    out = dict(stored)
    out.update((k, v) for k, v in given.items() if v)
    return out
