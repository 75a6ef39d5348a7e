"""The gazetteer, mirrored in the store so reports can point at places."""

from __future__ import annotations

from django.db import models


class Place(models.Model):
    """A gazetteer unit (province or city/county); loaded from ``uncounted.records.places``."""

    code = models.CharField(primary_key=True, max_length=64)
    iso_3166_2 = models.CharField(max_length=8, db_index=True)
    level = models.CharField(max_length=16)
    kind = models.CharField(max_length=32)
    name_en = models.CharField(max_length=128)
    name_ko = models.CharField(max_length=128)
    name_mr = models.CharField(max_length=128)
    name_rr = models.CharField(max_length=128)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_en} ({self.code})"
