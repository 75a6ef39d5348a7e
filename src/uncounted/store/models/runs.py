"""Saved pipeline and estimate runs: enough to reproduce any published figure."""

from __future__ import annotations

import uuid

from django.db import models


class Run(models.Model):
    """A saved run: its settings, seed, input hash, code version and results."""

    class Kind(models.TextChoices):
        IMPORT = "import", "import"
        LINK = "link", "link"
        ESTIMATE = "estimate", "estimate"
        REPORT = "report", "report"
        PIPELINE = "pipeline", "pipeline"

    run_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True, default="")
    settings = models.JSONField(default=dict)
    seed = models.BigIntegerField(null=True, blank=True)
    input_hash = models.CharField(max_length=64, blank=True, default="")
    version = models.CharField(max_length=32)
    status = models.CharField(max_length=16, default="done")
    results = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.run_id}"
