"""The case store's models: testimony as told, its parsed form, and what linkage made of it."""

from uncounted.store.models.audit import AuditEntry, AuditPending, AuditState
from uncounted.store.models.linkage import Event, LinkDecision, Victim
from uncounted.store.models.places import Place
from uncounted.store.models.runs import Run
from uncounted.store.models.testimony import (
    Collection,
    IdentifyingField,
    Interview,
    Report,
    Source,
    SourceIdentity,
    VictimMention,
)

__all__ = [
    "AuditEntry",
    "AuditPending",
    "AuditState",
    "Collection",
    "Event",
    "IdentifyingField",
    "Interview",
    "LinkDecision",
    "Place",
    "Report",
    "Run",
    "Source",
    "SourceIdentity",
    "Victim",
    "VictimMention",
]
