"""Model fields of the case store that do more than hold a value."""

from __future__ import annotations

from typing import Any

from django.db import models

from uncounted.store.crypto import open_value, seal_value


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted at rest (AES-GCM, key from ``$UNCOUNTED_KEY_FILE``).

    Reading gives the plaintext, or a :class:`~uncounted.store.crypto.LockedText` when
    there is no key. Encryption is randomised: equality lookups on this field never
    match, by design (a lookup would need a deterministic, guessable form).
    """

    @property
    def purpose(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return open_value(value, self.purpose)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return value
        return seal_value(value, self.purpose)

    def seal(self, value: str) -> str:
        """The stored form of ``value`` (for bulk writers that bypass the ORM)."""
        return seal_value(value, self.purpose)
