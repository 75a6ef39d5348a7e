"""What linkage makes of the testimony: events, victims, and reviewers' binding decisions."""

from __future__ import annotations

from django.db import models


class Event(models.Model):
    """A real event as reconstructed by linkage: the reports behind it point here."""

    event_id = models.CharField(max_length=64, unique=True)
    run = models.ForeignKey(
        "store.Run", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    date_start = models.DateField(null=True, blank=True)
    date_end = models.DateField(null=True, blank=True)
    place = models.ForeignKey(
        "store.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    victims_estimate = models.IntegerField(null=True, blank=True)
    charges = models.CharField(max_length=256, blank=True, default="")

    class Meta:
        ordering = ["event_id"]

    def __str__(self) -> str:
        return self.event_id


class Victim(models.Model):
    """A person as reconstructed by linkage from victim mentions."""

    victim_id = models.CharField(max_length=64, unique=True)
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="victims"
    )
    run = models.ForeignKey(
        "store.Run", null=True, blank=True, on_delete=models.SET_NULL, related_name="victims"
    )
    name = models.CharField(max_length=256, blank=True, default="")
    sex = models.CharField(max_length=1, blank=True, default="")

    class Meta:
        ordering = ["victim_id"]

    def __str__(self) -> str:
        return self.victim_id


class LinkDecision(models.Model):
    """A reviewer's binding decision on two reports or two victim mentions."""

    class Kind(models.TextChoices):
        REPORTS = "reports", "reports"
        MENTIONS = "mentions", "victim mentions"

    class Decision(models.TextChoices):
        MATCH = "match", "same"
        NO_MATCH = "no_match", "not the same"
        UNSURE = "unsure", "unsure"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    left_id = models.CharField(max_length=64)
    right_id = models.CharField(max_length=64)
    decision = models.CharField(max_length=16, choices=Decision.choices)
    note = models.TextField(blank=True, default="")
    decided_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [models.Index(fields=["kind", "left_id", "right_id"])]

    def save(self, *args: object, **kwargs: object) -> None:
        # A pair is unordered: store it in one canonical order so lookups find it.
        if self.left_id > self.right_id:
            self.left_id, self.right_id = self.right_id, self.left_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return f"{self.left_id}~{self.right_id}: {self.decision}"
