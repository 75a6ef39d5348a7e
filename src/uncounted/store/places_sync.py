"""Keep the store's Place table in step with the packaged gazetteer."""

from __future__ import annotations

from django.db import transaction

from uncounted.records.places import gazetteer
from uncounted.store.models import Place


def sync_places(using: str = "default") -> int:
    """Insert or update every gazetteer unit; return how many rows changed."""
    units = gazetteer().units()
    existing = {p.code: p for p in Place.objects.using(using).all()}
    fields = ("iso_3166_2", "level", "kind", "name_en", "name_ko", "name_mr", "name_rr")
    changed = 0
    with transaction.atomic(using=using):
        # Parents first, so that the foreign key always points at a stored row.
        for unit in sorted(units, key=lambda u: (u.parent is not None, u.code)):
            values = {
                "iso_3166_2": unit.iso_3166_2,
                "level": str(unit.level),
                "kind": unit.kind,
                "name_en": unit.name_en,
                "name_ko": unit.name_ko,
                "name_mr": unit.name_mr,
                "name_rr": unit.name_rr,
            }
            row = existing.get(unit.code)
            if row is None:
                Place.objects.using(using).create(code=unit.code, parent_id=unit.parent, **values)
                changed += 1
            elif any(getattr(row, f) != values[f] for f in fields) or row.parent_id != unit.parent:
                Place.objects.using(using).filter(code=unit.code).update(
                    parent_id=unit.parent, **values
                )
                changed += 1
    return changed
