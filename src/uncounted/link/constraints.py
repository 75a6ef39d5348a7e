"""Reviewer decisions as clustering constraints and as training labels.

A decision says of two reports (``kind="reports"``) or two mentions (``"mentions"``)
that they are the same (``match``), not the same (``no_match``) or that the reviewer
cannot tell (``unsure``: no constraint). Decisions bind: a match is a must-link, a
no-match a cannot-link, whatever the model says. The latest decision on a pair wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["DECISION_COLUMNS", "Constraints", "constraints_from_decisions"]

DECISION_COLUMNS: tuple[str, ...] = ("kind", "left_id", "right_id", "decision")
"""Columns a decisions frame must have (``decided_at`` orders repeated decisions)."""


@dataclass(frozen=True)
class Constraints:
    """Must-link and cannot-link pairs of one kind, each pair as ``(smaller, larger)`` id."""

    must_link: tuple[tuple[str, str], ...] = ()
    cannot_link: tuple[tuple[str, str], ...] = ()

    def labels(self) -> pd.DataFrame:
        """The decisions as training labels: ``left_id, right_id, decision``."""
        rows = [(a, b, "match") for a, b in self.must_link]
        rows += [(a, b, "no_match") for a, b in self.cannot_link]
        return pd.DataFrame(rows, columns=["left_id", "right_id", "decision"])

    def pairs(self) -> pd.DataFrame:
        """Every decided pair as ``id_l, id_r``."""
        rows = list(self.must_link) + list(self.cannot_link)
        return pd.DataFrame(rows, columns=["id_l", "id_r"])

    def __len__(self) -> int:
        return len(self.must_link) + len(self.cannot_link)


def constraints_from_decisions(decisions: pd.DataFrame | None, kind: str) -> Constraints:
    """The binding constraints of one kind (``"reports"`` or ``"mentions"``).

    Parameters
    ----------
    decisions : DataFrame or None
        Columns :data:`DECISION_COLUMNS`, optionally ``decided_at``.
    kind : {"reports", "mentions"}
    """
    if decisions is None or len(decisions) == 0:
        return Constraints()
    missing = [c for c in DECISION_COLUMNS if c not in decisions.columns]
    if missing:
        raise ValueError(f"decisions lack columns {missing}")
    chosen = decisions[decisions["kind"] == kind].copy()
    if "decided_at" in chosen.columns:
        chosen = chosen.sort_values("decided_at", kind="stable")
    left = chosen["left_id"].astype(str)
    right = chosen["right_id"].astype(str)
    chosen["a"] = left.where(left < right, right)
    chosen["b"] = right.where(left < right, left)
    chosen = chosen[chosen["a"] != chosen["b"]].drop_duplicates(["a", "b"], keep="last")
    must = chosen[chosen["decision"] == "match"]
    cannot = chosen[chosen["decision"] == "no_match"]
    return Constraints(
        must_link=tuple(zip(must["a"], must["b"], strict=True)),
        cannot_link=tuple(zip(cannot["a"], cannot["b"], strict=True)),
    )
