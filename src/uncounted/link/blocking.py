"""Blocking: which pairs of records are scored at all.

Scoring every pair of reports is quadratic; blocking keeps the pairs that could be one
event. Each rule is a SQL condition on ``l`` and ``r`` with an equality that the
database can join on (county, province, a name key); a pair is a candidate when any
rule holds. Reports of one source are never candidates (a witness tells each execution
once), unless a reviewer said they match (see :mod:`uncounted.link.constraints`).

:func:`blocking_recall` measures what blocking keeps against a known truth.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = [
    "blocking_recall",
    "event_blocking_rules",
    "event_training_rules",
    "victim_blocking_rules",
    "victim_training_rules",
]

_OVERLAP = "l.date_start <= r.date_end AND r.date_start <= l.date_end"
_NEAR = "l.date_start <= r.date_end + {d} AND r.date_start <= l.date_end + {d}"
_COUNT_FITS = "l.victims_min <= r.victims_max AND r.victims_min <= l.victims_max"
_OTHER_SOURCE = "l.source_id <> r.source_id"
# Charges do not contradict: one side tells none, or they share one.
_CHARGES_FIT = "(l.charges = 0 OR r.charges = 0 OR (l.charges & r.charges) <> 0)"


def _rule(sql: str, explode: list[str] | None = None) -> dict[str, Any]:
    rule: dict[str, Any] = {"blocking_rule": sql}
    if explode:
        rule["arrays_to_explode"] = explode
    return rule


def event_blocking_rules() -> list[dict[str, Any]]:
    """Rules that make candidate pairs of reports (Splink blocking rule dicts).

    1. Same county, dates within two months of each other.
    2. Same province, one place known only to the province, dates overlapping, charges
       not contradicting. (Without the charges this rule made a third of all pairs, nine
       in ten of them between two events; with them, pairs per report fall from 37-58 to
       30-48 on simulated worlds at the same F1.)
    3. Same province, both dates within a season, at most a month apart.
    4. Same province, dates overlapping, a charge in common and compatible counts.
    5. Same county, one date unknown, a charge in common or the same site.
    6. Same county, dates within a year and a month, a charge in common and
       compatible counts (a year misremembered).
    7. A victim name key in common, anywhere, any time.
    """
    rules = [
        f"l.county = r.county AND {_NEAR.format(d=60)}",
        f"l.province = r.province AND (l.county IS NULL OR r.county IS NULL) AND {_OVERLAP} "
        f"AND {_CHARGES_FIT}",
        f"l.province = r.province AND {_NEAR.format(d=31)} "
        "AND l.date_width <= 123 AND r.date_width <= 123",
        f"l.province = r.province AND {_OVERLAP} AND (l.charges & r.charges) <> 0 "
        f"AND {_COUNT_FITS}",
        "l.county = r.county AND (l.date_start IS NULL OR r.date_start IS NULL) "
        "AND ((l.charges & r.charges) <> 0 OR l.site_type = r.site_type)",
        f"l.county = r.county AND {_NEAR.format(d=400)} AND (l.charges & r.charges) <> 0 "
        f"AND {_COUNT_FITS}",
    ]
    out = [_rule(f"{sql} AND {_OTHER_SOURCE}") for sql in rules]
    out.append(_rule(f"l.name_keys = r.name_keys AND {_OTHER_SOURCE}", ["name_keys"]))
    return out


def event_training_rules() -> list[str]:
    """Blocking rules of the EM sessions for the event model.

    Each session estimates m for the comparisons its rule does not use, so two rules
    that share no comparison train every comparison: one on place, one on what was
    told of the execution itself.
    """
    return [
        f"l.county = r.county AND {_NEAR.format(d=400)} AND {_OTHER_SOURCE}",
        f"l.charges = r.charges AND l.charges <> 0 AND l.victims_min = r.victims_min "
        f"AND l.site_type = r.site_type AND {_OTHER_SOURCE}",
    ]


def victim_blocking_rules() -> list[dict[str, Any]]:
    """Rules that make candidate pairs of mentions.

    1. Same event (as linked from the reports), other report.
    2. The same first (most literal) name key, anywhere.
    3. The same Hangul name, anywhere.

    Plain equalities, not exploded key lists: a mention has one name, and the joins stay
    hash joins at a million mentions.
    """
    return [
        _rule("l.event_id = r.event_id AND l.report_id <> r.report_id"),
        _rule("l.name_first_key = r.name_first_key AND l.report_id <> r.report_id"),
        _rule("l.name_hangul = r.name_hangul AND l.report_id <> r.report_id"),
    ]


def victim_training_rules() -> list[str]:
    """Blocking rules of the EM sessions for the victim model (see event_training_rules)."""
    return [
        "l.event_id = r.event_id AND l.report_id <> r.report_id",
        "l.name_first_key = r.name_first_key AND l.report_id <> r.report_id",
    ]


def blocking_recall(candidates: pd.DataFrame, ids: pd.Series, truth: pd.Series) -> dict[str, float]:
    """Share of true pairs that blocking kept, and candidate pairs per record.

    Parameters
    ----------
    candidates : DataFrame
        ``id_l``, ``id_r``: the candidate pairs (each once).
    ids : Series
        Every record id.
    truth : Series
        True cluster of each record, indexed by record id.

    Returns
    -------
    dict
        ``recall`` (true pairs among candidates / all true pairs), ``true_pairs``,
        ``candidate_pairs``, ``pairs_per_record`` (candidate pairs / records).
    """
    clusters = truth.reindex(ids.to_numpy()).to_numpy()
    sizes = pd.Series(clusters).value_counts().to_numpy()
    true_pairs = int((sizes * (sizes - 1) // 2).sum())
    left = truth.reindex(candidates["id_l"].to_numpy()).to_numpy()
    right = truth.reindex(candidates["id_r"].to_numpy()).to_numpy()
    kept = int(((left == right) & pd.notna(left)).sum())
    n = len(ids)
    return {
        "recall": kept / true_pairs if true_pairs else 1.0,
        "true_pairs": float(true_pairs),
        "candidate_pairs": float(len(candidates)),
        "pairs_per_record": len(candidates) / n if n else 0.0,
    }
