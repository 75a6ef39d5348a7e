"""Create the key file, and rotate the key: every encrypted value re-encrypted at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.db import models, transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast

from uncounted.errors import ConfigurationError
from uncounted.store.crypto import (
    KEY_ENV,
    Keyring,
    Sealed,
    is_token,
    key_path,
    new_key_id,
    new_keyring,
    require_keyring,
    write_key_file,
)


def _configured_path() -> Path:
    path = key_path()
    if path is None:
        raise ConfigurationError(
            f"${KEY_ENV} is not set: set it to where the key file should live, outside the "
            "database and its backups (for example ~/.config/uncounted/key)"
        )
    return path


def init_key() -> Path:
    """Create a new key file at ``$UNCOUNTED_KEY_FILE`` (mode 0600); never overwrite one."""
    path = _configured_path()
    write_key_file(path, new_keyring())
    return path


def encrypted_fields() -> Iterator[tuple[type[models.Model], str, str]]:
    """(model, field name, purpose) of every encrypted field in the store."""
    from django.apps import apps

    from uncounted.store.fields import EncryptedTextField

    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, EncryptedTextField):
                yield model, f.attname, f.purpose


def rotate_key() -> tuple[Path, int]:
    """Re-encrypt every encrypted value under a new key, in one transaction.

    The key file first gains the new key (the old one kept), so a crash at any point
    leaves every value readable; only after the commit is the old key retired, to
    ``<key file>.retired-<old id>`` (kept 0600: backups made before need it).
    Returns the key file and the number of values re-encrypted.
    """
    from uncounted.store import audit

    path = _configured_path()
    old = require_keyring()
    kid = new_key_id()
    import secrets

    both = Keyring(kid, {**old.keys, kid: secrets.token_bytes(32)})
    write_key_file(path.with_name(f"{path.name}.retired-{old.current}"), old, replace=True)
    write_key_file(path, both, replace=True)
    count = 0
    with transaction.atomic():
        for model, name, purpose in encrypted_fields():
            stored = model._base_manager.values_list("pk", Cast(F(name), TextField()))
            for pk, value in list(stored):
                if not value:
                    continue
                plain = both.open(value, purpose) if is_token(value) else value
                token = both.seal(plain, purpose)
                model._base_manager.filter(pk=pk).update(**{name: Sealed(token)})
                count += 1
        audit.flush()
    write_key_file(path, Keyring(kid, {kid: both.keys[kid]}), replace=True)
    return path, count
