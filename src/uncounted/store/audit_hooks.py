"""Signal handlers: enter pending changes in the audit log as soon as the app saves."""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save


def _after_write(sender: type, **kwargs: Any) -> None:
    from uncounted.store.audit import flush

    flush()


def connect() -> None:
    from uncounted.store.audit import audited_models
    from uncounted.store.audit_triggers import prepare_connection

    connection_created.connect(prepare_connection, dispatch_uid="uncounted-audit-connection")
    # Per model, not for every sender: other tables (the log's own among them) keep
    # Django's fast bulk delete, which listeners on them would disable.
    for model in audited_models():
        label = model._meta.label_lower
        post_save.connect(_after_write, sender=model, dispatch_uid=f"uncounted-audit-save-{label}")
        post_delete.connect(
            _after_write, sender=model, dispatch_uid=f"uncounted-audit-delete-{label}"
        )
