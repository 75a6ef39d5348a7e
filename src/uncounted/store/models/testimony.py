"""Collections, sources, interviews, reports and victim mentions: testimony as told.

Every as-told field is stored beside its parsed form, so the record of what was said is
never replaced by our reading of it. A source's identity lives in its own table
(:class:`SourceIdentity`) so that it can be encrypted, withheld and audited apart.
"""

from __future__ import annotations

from django.db import models

from uncounted.store.fields import EncryptedTextField


class Collection(models.Model):
    """A documentation project or list: one of the "lists" of multiple systems estimation."""

    collection_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=256)
    kind = models.CharField(max_length=32)
    description = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["collection_id"]

    def __str__(self) -> str:
        return self.collection_id


class Source(models.Model):
    """A witness or a publication, known everywhere by its pseudonym."""

    source_id = models.CharField(max_length=64, unique=True)
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="sources")
    pseudonym = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=32)
    sex = models.CharField(max_length=1, blank=True, default="")
    birth_year = models.IntegerField(null=True, blank=True)
    origin_place_as_told = models.CharField(max_length=256, blank=True, default="")
    origin_place = models.ForeignKey(
        "store.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    departure_year = models.IntegerField(null=True, blank=True)
    interview_year = models.IntegerField(null=True, blank=True)
    # Consent to publish this witness's testimony: without it, nothing they said leaves
    # the store in a public export. Absent until recorded.
    publication_consent = models.BooleanField(default=False)

    class Meta:
        ordering = ["source_id"]

    def __str__(self) -> str:
        # Never the identity: the pseudonym is what is shown everywhere.
        return self.pseudonym


class SourceIdentity(models.Model):
    """Identifying fields of a source, kept apart from everything else, encrypted at rest."""

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="identity")
    real_name = EncryptedTextField(blank=True, default="")
    contact = EncryptedTextField(blank=True, default="")
    interview_location = EncryptedTextField(blank=True, default="")
    # Values of the fields an administrator marked as identifying (IdentifyingField), as
    # one JSON object {key: value} encrypted as one token: see uncounted.store.identifying.
    extra = EncryptedTextField(blank=True, default="")

    def __str__(self) -> str:
        return f"identity of {self.source.pseudonym}"


class IdentifyingField(models.Model):
    """A detail about a source that an administrator marked as identifying.

    A hometown, a workplace, relatives' names, a phone number abroad: whatever a team
    records that could point to the witness. Its values live encrypted in
    :attr:`SourceIdentity.extra`; the definition itself (a key and labels) is not secret.
    """

    key = models.CharField(max_length=40, unique=True)
    label_en = models.CharField(max_length=128)
    label_ko = models.CharField(max_length=128, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class Interview(models.Model):
    """One interview of one source; a source may be interviewed more than once."""

    interview_id = models.CharField(max_length=64, unique=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="interviews")
    date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["interview_id"]

    def __str__(self) -> str:
        return self.interview_id


class Report(models.Model):
    """One account of one event, as told, with its parsed reading beside it."""

    report_id = models.CharField(max_length=64, unique=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="reports")
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="reports")
    interview = models.ForeignKey(
        Interview, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    date_as_told = models.CharField(max_length=256, blank=True, default="")
    date_start = models.DateField(null=True, blank=True, db_index=True)
    date_end = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=16, default="unknown")
    place_as_told = models.CharField(max_length=256, blank=True, default="")
    place = models.ForeignKey(
        "store.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    place_iso = models.CharField(max_length=8, blank=True, default="", db_index=True)
    place_level = models.CharField(max_length=16, blank=True, default="")
    place_flagged = models.BooleanField(default=False)
    site_type = models.CharField(max_length=32, blank=True, default="")
    victims_as_told = models.CharField(max_length=64, blank=True, default="")
    victims_min = models.IntegerField(null=True, blank=True)
    victims_max = models.IntegerField(null=True, blank=True)
    charges = models.CharField(max_length=256, blank=True, default="")
    method = models.CharField(max_length=32, blank=True, default="")
    how_known = models.CharField(max_length=32, blank=True, default="")
    forced_attendance = models.CharField(max_length=8, blank=True, default="")
    violation = models.CharField(max_length=32, default="public_execution")
    reliability = models.CharField(max_length=8, blank=True, default="")
    language = models.CharField(max_length=8, blank=True, default="")
    narrative = models.TextField(blank=True, default="")
    event = models.ForeignKey(
        "store.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    version = models.PositiveIntegerField(default=1)
    # A confidential report is kept out of every public output, whatever the consent.
    confidential = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report_id"]

    def __str__(self) -> str:
        return self.report_id

    @property
    def charge_list(self) -> list[str]:
        return [c for c in self.charges.split(";") if c]


class VictimMention(models.Model):
    """A person named or described in a report."""

    mention_id = models.CharField(max_length=64, unique=True)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="mentions")
    name_as_told = models.CharField(max_length=256, blank=True, default="")
    name_keys = models.CharField(max_length=512, blank=True, default="")
    sex = models.CharField(max_length=1, blank=True, default="")
    age_as_told = models.CharField(max_length=64, blank=True, default="")
    age_min = models.IntegerField(null=True, blank=True)
    age_max = models.IntegerField(null=True, blank=True)
    charges = models.CharField(max_length=256, blank=True, default="")
    victim = models.ForeignKey(
        "store.Victim", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )
    # Consent (the person's or their family's) to publish this mention's name and details.
    publication_consent = models.BooleanField(default=False)

    class Meta:
        ordering = ["mention_id"]

    def __str__(self) -> str:
        return self.mention_id
