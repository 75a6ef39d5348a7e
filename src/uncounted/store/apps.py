"""The case store's Django app."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_places(sender: AppConfig, **kwargs: Any) -> None:
    from uncounted.store.places_sync import sync_places

    sync_places(using=kwargs.get("using", "default"))


class StoreConfig(AppConfig):
    name = "uncounted.store"
    label = "store"
    verbose_name = "uncounted case store"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The gazetteer is package data: keep the Place table in step after every migrate.
        post_migrate.connect(_load_places, sender=self, dispatch_uid="uncounted-load-places")
        from uncounted.store import audit_hooks

        # Every change of the record goes into the hash-chained audit log.
        audit_hooks.connect()
