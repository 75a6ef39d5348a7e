"""Refining clusters against their consensus: each report is compared with each event.

Pairwise scores carry the noise of both reports; an event told by forty witnesses has a
sharp *consensus* (the county most of them name, the date the most precise of them
give, the count and charges most of them tell). Refinement builds one consensus record
per cluster, scores every report against the consensus of the clusters it has candidate
pairs with (the same model, the consensus as the other side), and moves each report to
the best cluster by match weight plus ``size_weight * log2(size)``: an event seen by many
is told by many, so a vague report more likely belongs to a large event than to a small
one (the rich-get-richer prior of a Chinese-restaurant process, in which a report joins
a cluster with odds proportional to the number of *other* reports in it). A report whose
best weight is below ``min_weight`` becomes its own event. Reports of one source stay
apart: when two land in one cluster, the better-fitting one stays. A few rounds suffice.

Two details decide how well this works on testimony. A report is weighed against its
own cluster *without its own vote* (the leave-one-out consensus): otherwise a singleton
is compared with itself, agrees on everything and never moves, and small clusters hold
their members the same way. And reports left alone or in pairs also meet the clusters
of their province and time that blocking never paired them with (a wrong county of the
right province, no place at all): see :func:`refine_clusters`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from uncounted.link.prepare import CHARGE_BITS

__all__ = [
    "RefineSettings",
    "alternatives",
    "consensus_records",
    "fit_table",
    "refine_clusters",
]

IntArray = npt.NDArray[np.int64]
Scorer = Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame]
"""``scorer(features, pairs)``: match weights of the given ``id_l, id_r`` pairs."""

_TIERS = (31, 123, 366)  # date widths tried in turn for the consensus date
_CONSENSUS_PREFIX = "~cluster~"
_OWN_PREFIX = "~own~"
_YEAR_DAYS = 365.2425


@dataclass(frozen=True)
class RefineSettings:
    """How clusters are refined.

    Attributes
    ----------
    rounds : int
        Reassignment rounds (0: no refinement).
    size_weight : float
        Weight of ``log2(cluster size)`` added to a report's match weight with a cluster.
    min_weight : float
        A report whose best score is below this match weight stands alone.
    charge_share : float
        A charge enters a consensus when at least this share of the reports that tell
        charges tell it.
    near_days : int
        A report also meets every cluster of its province whose consensus date is
        within this many days of its own (-1: only the clusters of its candidate pairs).
    near_size : int
        Only reports of clusters this small look beyond their candidate pairs.
    """

    rounds: int = 3
    size_weight: float = 0.5
    # A report joins the best-fitting event unless even that one contradicts it at
    # odds of about 1:1,000 (2^-10): on simulated worlds a stricter floor (-4) left
    # 5-18 % more events than there were, each a vague report standing alone, which
    # inflates every estimate of the unseen; -10 gives 0.96-1.00 of the true number at
    # the same pairwise F1 (benchmarks/bench_link.py, seeds 1-3).
    min_weight: float = -10.0
    charge_share: float = 0.4
    near_days: int = 31
    near_size: int = 2


def _modes(labels: IntArray, values: pd.Series) -> pd.Series:
    """The commonest non-missing value of each cluster (ties: the smallest value)."""
    frame = pd.DataFrame({"c": labels, "v": values.to_numpy()}).dropna()
    if len(frame) == 0:
        return pd.Series(dtype=object)
    counts = frame.groupby(["c", "v"]).size().reset_index(name="n")
    counts = counts.sort_values(["c", "n", "v"], ascending=[True, False, True], kind="stable")
    return counts.drop_duplicates("c").set_index("c")["v"]


def _consensus_dates(features: pd.DataFrame, labels: IntArray) -> pd.DataFrame:
    """Start, end and width of each cluster's consensus date.

    The reports of the finest width class present (a month, a season, a year, wider)
    vote: the consensus is centred on the median of their midpoints, as wide as the class.
    """
    start = features["date_start"].astype("float64").to_numpy()
    end = features["date_end"].astype("float64").to_numpy()
    width = features["date_width"].astype("float64").to_numpy()
    tier = np.select([width <= t for t in _TIERS], list(range(len(_TIERS))), len(_TIERS))
    frame = pd.DataFrame({"c": labels, "tier": tier, "mid": (start + end) / 2})
    frame = frame[~np.isnan(start)]
    if len(frame) == 0:
        return pd.DataFrame(columns=["date_start", "date_end", "date_width"])
    finest = frame.groupby("c")["tier"].transform("min")
    chosen = frame[frame["tier"] == finest]
    middle = chosen.groupby("c")["mid"].median()
    tiers = chosen.groupby("c")["tier"].first()
    half = np.array([t // 2 for t in (*_TIERS, _TIERS[-1])])[tiers.to_numpy()]
    return pd.DataFrame(
        {
            "date_start": np.floor(middle.to_numpy() - half),
            "date_end": np.floor(middle.to_numpy() + half),
            "date_width": 2 * half + 1,
        },
        index=middle.index,
    )


def _consensus_charges(features: pd.DataFrame, labels: IntArray, share: float) -> pd.Series:
    charges = features["charges"].to_numpy(dtype=np.int64)
    told = charges > 0
    frame = pd.DataFrame({"c": labels[told]})
    for code, bit in CHARGE_BITS.items():
        frame[code] = (charges[told] & bit) != 0
    if len(frame) == 0:
        return pd.Series(dtype=np.int64)
    shares = frame.groupby("c").mean()
    mask = np.zeros(len(shares), dtype=np.int64)
    for code, bit in CHARGE_BITS.items():
        mask |= np.where(shares[code].to_numpy() >= share, bit, 0)
    out = pd.Series(mask, index=shares.index)
    # No charge reaches the share: the commonest set stands for the cluster.
    fallback = _modes(labels[told], pd.Series(charges[told]))
    return out.where(out != 0, fallback.reindex(out.index)).astype(np.int64)


def _name_lists(features: pd.DataFrame, labels: IntArray, column: str) -> pd.Series:
    exploded = pd.DataFrame({"c": labels, "v": features[column].to_numpy()}).explode("v")
    exploded = exploded.dropna()
    if len(exploded) == 0:
        return pd.Series(dtype=object)
    return exploded.groupby("c")["v"].agg(lambda values: sorted(set(values)))


def consensus_records(
    features: pd.DataFrame, labels: IntArray, settings: RefineSettings | None = None
) -> pd.DataFrame:
    """One consensus report per cluster, in the columns of ``features``.

    ``unique_id`` is ``"~cluster~<label>"``; ``source_id`` is unique to the cluster.
    Each field is what most of the cluster's reports say: the commonest county,
    province, exact count, method and site; the charges told by at least
    ``charge_share`` of the reports that tell charges; the date of the finest reports;
    every name told.
    """
    settings = settings or RefineSettings()
    clusters = np.unique(labels)
    out = pd.DataFrame(index=pd.Index(clusters))
    out["unique_id"] = [f"{_CONSENSUS_PREFIX}{c}" for c in clusters]
    out["source_id"] = out["unique_id"]
    out["collection_id"] = None
    dates = _consensus_dates(features, labels).reindex(out.index)
    for column in ("date_start", "date_end", "date_width"):
        out[column] = dates[column].astype("Float64").round().astype("Int64")
    out["date_precision"] = None
    for column in ("county", "province", "method", "site_type", "name_first_key"):
        out[column] = _modes(labels, features[column]).reindex(out.index)
    out["place_level"] = None
    exact = (
        features["victims_min"]
        .astype("float64")
        .where(features["victims_min"] == features["victims_max"])
    )
    count = _modes(labels, exact).reindex(out.index).astype("Float64").round().astype("Int64")
    out["victims_min"] = count
    out["victims_max"] = count
    charges = _consensus_charges(features, labels, settings.charge_share)
    out["charges"] = charges.reindex(out.index).fillna(0).astype(np.int64)
    for column in ("name_hangul", "name_roman", "name_keys"):
        names = _name_lists(features, labels, column).reindex(out.index)
        out[column] = [v if isinstance(v, list) else [] for v in names]
    return out[list(features.columns)].reset_index(drop=True)


def refine_clusters(
    features: pd.DataFrame,
    labels: IntArray,
    candidates: pd.DataFrame,
    scorer: Scorer,
    settings: RefineSettings | None = None,
    *,
    fixed: npt.NDArray[np.bool_] | None = None,
    cannot_link: Sequence[tuple[str, str]] = (),
) -> IntArray:
    """Move reports to the cluster whose consensus fits them best.

    Parameters
    ----------
    features : DataFrame
        Report features (``unique_id``, ``source_id``, ...).
    labels : ndarray of int
        Starting cluster of each report.
    candidates : DataFrame
        ``id_l, id_r``: the candidate pairs; a report is compared with the clusters of
        its candidates, with its own (leave-one-out) and, when its cluster has at most
        ``near_size`` reports, with the clusters of its province and time.
    scorer : callable
        ``scorer(frame, pairs)`` returning ``id_l, id_r, match_weight`` for the pairs.
    settings : RefineSettings, optional
    fixed : ndarray of bool, optional
        Reports that must not move (a reviewer said they match another).
    cannot_link : sequence of id pairs
        Reports a reviewer said are not one event: never moved into one cluster (like
        two reports of one source).

    Returns
    -------
    ndarray of int
        New cluster of each report, numbered from 0 in order of first appearance.
    """
    settings = settings or RefineSettings()
    ids = features["unique_id"].astype(str).to_numpy()
    n = len(ids)
    index = pd.Series(np.arange(n), index=ids)
    left, right = _candidate_positions(features, candidates)
    sources = features["source_id"].astype(str).to_numpy()
    fixed_mask = fixed if fixed is not None else np.zeros(n, dtype=bool)
    # What a cluster may hold once: each report's source, and one side of each
    # cannot-link decision.
    tokens: list[list[str]] = [[str(source)] for source in sources.tolist()]
    for number, (a, b) in enumerate(cannot_link):
        for uid in (a, b):
            position = index.get(uid)
            if position is not None:
                tokens[int(position)].append(f"~no~{number}")
    labels = _renumber(labels)
    for _ in range(settings.rounds):
        scored = _score_round(features, labels, left, right, scorer, settings, fixed_mask)
        new = _assign(scored, ids, labels, tokens, settings, fixed_mask)
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def _candidate_positions(
    features: pd.DataFrame, candidates: pd.DataFrame
) -> tuple[IntArray, IntArray]:
    ids = features["unique_id"].astype(str).to_numpy()
    index = pd.Series(np.arange(len(ids)), index=ids)
    left = index.reindex(candidates["id_l"].astype(str).to_numpy()).to_numpy()
    right = index.reindex(candidates["id_r"].astype(str).to_numpy()).to_numpy()
    ok = ~(np.isnan(left) | np.isnan(right))
    return left[ok].astype(np.int64), right[ok].astype(np.int64)


def _score_round(
    features: pd.DataFrame,
    labels: IntArray,
    left: IntArray,
    right: IntArray,
    scorer: Scorer,
    settings: RefineSettings,
    fixed: npt.NDArray[np.bool_],
) -> pd.DataFrame:
    """Each movable report scored against its own cluster (without it) and the others
    it may join: the clusters of its candidate pairs and, for small clusters, those
    near it in place and time."""
    ids = features["unique_id"].astype(str).to_numpy()
    consensus = consensus_records(features, labels, settings)
    own = _leave_one_out(features, labels, settings)
    reports = np.concatenate([left, right])
    clusters = np.concatenate([labels[right], labels[left]])
    near_r, near_c = _near_clusters(features, labels, consensus, settings)
    pairs = pd.DataFrame(
        {"r": np.concatenate([reports, near_r]), "c": np.concatenate([clusters, near_c])}
    ).drop_duplicates()
    # A report's own cluster is scored without the report (below), never with it.
    pairs = pairs[labels[pairs["r"].to_numpy()] != pairs["c"].to_numpy()]
    pairs = pairs[~fixed[pairs["r"].to_numpy()]]
    own_reports = own["unique_id"].str.slice(len(_OWN_PREFIX)).astype(np.int64).to_numpy()
    own_reports = own_reports[~fixed[own_reports]]
    request = pd.DataFrame(
        {
            "id_l": np.concatenate([ids[pairs["r"].to_numpy()], ids[own_reports]]),
            "id_r": [f"{_CONSENSUS_PREFIX}{c}" for c in pairs["c"].tolist()]
            + [f"{_OWN_PREFIX}{r}" for r in own_reports.tolist()],
        }
    )
    frame = pd.concat([features, consensus, own], ignore_index=True)
    return scorer(frame, request)


def _score_table(
    scored: pd.DataFrame, ids: npt.NDArray[np.object_], labels: IntArray, settings: RefineSettings
) -> pd.DataFrame:
    """``r, c, w, s``: report, cluster, match weight and weight plus the size prior."""
    is_left_cluster = scored["id_l"].str.startswith("~")
    cluster_ids = scored["id_l"].where(is_left_cluster, scored["id_r"])
    report_ids = scored["id_r"].where(is_left_cluster, scored["id_l"])
    report = pd.Series(np.arange(len(ids)), index=ids).reindex(report_ids.to_numpy()).to_numpy()
    is_own = cluster_ids.str.startswith(_OWN_PREFIX).to_numpy()
    number = cluster_ids.str.replace(r"^~[a-z]+~", "", regex=True).astype(np.int64).to_numpy()
    cluster = np.where(is_own, labels[report], number)
    # The others of a report's own cluster: one fewer than its size.
    others = np.bincount(labels)[cluster] - is_own.astype(np.int64)
    weight = scored["match_weight"].to_numpy(dtype=float)
    score = weight + settings.size_weight * np.log2(np.maximum(others, 1))
    return pd.DataFrame({"r": report, "c": cluster, "w": weight, "s": score})


def fit_table(
    features: pd.DataFrame,
    labels: IntArray,
    candidates: pd.DataFrame,
    scorer: Scorer,
    settings: RefineSettings | None = None,
    *,
    fixed: npt.NDArray[np.bool_] | None = None,
) -> pd.DataFrame:
    """Every movable report weighed against its own event (without it) and against each
    event it could join, as one round of :func:`refine_clusters` weighs it.

    Returns
    -------
    DataFrame
        ``r`` (report position), ``c`` (event), ``w`` (match weight against the event's
        consensus) and ``s`` (``w`` plus the size prior). A report alone has no row for
        its own event; ``fixed`` reports have none at all.
    """
    settings = settings or RefineSettings()
    labels = np.asarray(labels, dtype=np.int64)
    left, right = _candidate_positions(features, candidates)
    fixed_mask = fixed if fixed is not None else np.zeros(len(labels), dtype=bool)
    scored = _score_round(features, labels, left, right, scorer, settings, fixed_mask)
    ids = features["unique_id"].astype(str).to_numpy()
    return _score_table(scored, ids, labels, settings)


def alternatives(table: pd.DataFrame, labels: IntArray) -> pd.DataFrame:
    """For each report, how well it fits its own event and the best other one.

    Parameters
    ----------
    table : DataFrame
        :func:`fit_table` of these ``labels``.
    labels : ndarray of int

    Returns
    -------
    DataFrame
        ``report`` (position), ``event`` and ``score`` (its own cluster, scored without
        it), ``alternative`` and ``alternative_score`` (the best other cluster), scores
        being match weights plus the size prior of :func:`refine_clusters`. A report
        alone scores 0 for its own event (even odds: standing alone is what it does
        unless the evidence says otherwise). Reports with no other cluster to go to, and
        ``fixed`` ones, are left out.
    """
    labels = np.asarray(labels, dtype=np.int64)
    table = table.sort_values(["s", "c"], ascending=[False, True], kind="stable")
    current = labels[table["r"].to_numpy()] == table["c"].to_numpy()
    own = table[current].drop_duplicates("r")[["r", "c", "s"]]
    other = table[~current].drop_duplicates("r")[["r", "c", "s"]]
    alone = np.bincount(labels)[labels] == 1
    lone = other[alone[other["r"].to_numpy()]]
    own = pd.concat(
        [own, pd.DataFrame({"r": lone["r"], "c": labels[lone["r"].to_numpy()], "s": 0.0})]
    )
    both = own.merge(other, on="r", suffixes=("", "_alt")).sort_values("r")
    return pd.DataFrame(
        {
            "report": both["r"].to_numpy(dtype=np.int64),
            "event": both["c"].to_numpy(dtype=np.int64),
            "score": both["s"].to_numpy(dtype=float),
            "alternative": both["c_alt"].to_numpy(dtype=np.int64),
            "alternative_score": both["s_alt"].to_numpy(dtype=float),
        }
    )


def _leave_one_out(
    features: pd.DataFrame, labels: IntArray, settings: RefineSettings
) -> pd.DataFrame:
    """For each report of a cluster of two or more, the consensus of the others.

    A report compared with a consensus it voted in agrees with itself: a singleton's
    consensus is the report, and a small cluster's leans to its members. So a report
    is weighed against its own cluster as against any other: without its own vote.
    """
    n = len(labels)
    order = np.argsort(labels, kind="stable")
    sizes = np.bincount(labels)
    starts = np.concatenate([[0], np.cumsum(sizes)])[labels]
    # Rows (member, other) of every ordered pair of distinct members of one cluster.
    repeat = sizes[labels]
    member = np.repeat(np.arange(n), repeat)
    offset = np.arange(len(member)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    other = order[np.repeat(starts, repeat) + offset]
    keep = other != member
    member, other = member[keep], other[keep]
    if len(member) == 0:
        return features.iloc[0:0].copy()
    voters = features.iloc[other].reset_index(drop=True)
    out = consensus_records(voters, member.astype(np.int64), settings)
    out["unique_id"] = out["unique_id"].str.replace(_CONSENSUS_PREFIX, _OWN_PREFIX, regex=False)
    out["source_id"] = out["unique_id"]
    return out


def _near_clusters(
    features: pd.DataFrame, labels: IntArray, consensus: pd.DataFrame, settings: RefineSettings
) -> tuple[IntArray, IntArray]:
    """(report, cluster) pairs where the cluster's consensus could be the report's event.

    Pairwise blocking keeps a report from the clusters none of whose members it was
    paired with, though the consensus of such a cluster may fit it well (a report that
    names a wrong county of the right province, a report with no place): such reports
    end alone or in small pieces. So each report of a cluster of at most
    ``near_size`` meets the consensus of every cluster of its province (or, when it
    names no place, every cluster with a charge in common) whose date is within
    ``near_days`` of its own. The join runs on calendar years, so that its size grows
    with the clusters of one province and year, not of a province.
    """
    empty = np.zeros(0, dtype=np.int64)
    small = np.bincount(labels)[labels] <= settings.near_size
    if settings.near_days < 0 or len(consensus) == 0 or not small.any():
        return empty, empty
    days = settings.near_days
    rows = np.flatnonzero(small)
    reports = _by_year(
        rows,
        features["province"].to_numpy()[rows],
        features["date_start"].astype("float64").to_numpy()[rows] - days,
        features["date_end"].astype("float64").to_numpy()[rows] + days,
        features["charges"].to_numpy(dtype=np.int64)[rows],
    )
    clusters = _by_year(
        np.arange(len(consensus)),
        consensus["province"].to_numpy(),
        consensus["date_start"].astype("float64").to_numpy(),
        consensus["date_end"].astype("float64").to_numpy(),
        consensus["charges"].to_numpy(dtype=np.int64),
    )
    placed = reports[reports["province"] != ""].merge(
        clusters[clusters["province"] != ""], on=["province", "year"], suffixes=("", "_c")
    )
    unplaced = reports[(reports["province"] == "") & (reports["charges"] > 0)].merge(
        clusters[clusters["charges"] > 0], on="year", suffixes=("", "_c")
    )
    unplaced = unplaced[(unplaced["charges"] & unplaced["charges_c"]) != 0]
    both = pd.concat([placed, unplaced], ignore_index=True)
    near = (both["start"] <= both["end_c"]) & (both["start_c"] <= both["end"])
    both = both[near.to_numpy(dtype=bool)].drop_duplicates(["id", "id_c"])
    return both["id"].to_numpy(dtype=np.int64), both["id_c"].to_numpy(dtype=np.int64)


def _by_year(
    ids: IntArray,
    province: npt.NDArray[np.object_],
    start: npt.NDArray[np.floating[Any]],
    end: npt.NDArray[np.floating[Any]],
    charges: IntArray,
) -> pd.DataFrame:
    """One row per record and calendar year its date range touches (none if undated)."""
    dated = ~(np.isnan(start) | np.isnan(end))
    first = np.floor(start[dated] / _YEAR_DAYS).astype(np.int64)
    last = np.floor(end[dated] / _YEAR_DAYS).astype(np.int64)
    spans = np.maximum(last - first + 1, 1)
    repeat = np.repeat(np.arange(len(first)), spans)
    offset = np.arange(len(repeat)) - np.repeat(np.cumsum(spans) - spans, spans)
    place = pd.Series(province[dated], dtype=object).fillna("").to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "id": ids[dated][repeat],
            "province": place[repeat],
            "year": first[repeat] + offset,
            "start": start[dated][repeat],
            "end": end[dated][repeat],
            "charges": charges[dated][repeat],
        }
    )


def _assign(
    scored: pd.DataFrame,
    ids: npt.NDArray[np.object_],
    labels: IntArray,
    tokens: list[list[str]],
    settings: RefineSettings,
    fixed: npt.NDArray[np.bool_],
) -> IntArray:
    n = len(ids)
    table = _score_table(scored, ids, labels, settings)
    best = table.sort_values("s", ascending=False, kind="stable").drop_duplicates("r")
    new = labels.copy()
    fit = np.full(n, np.inf)
    singleton_base = int(labels.max()) + 1
    for r, c, w in zip(best["r"].tolist(), best["c"].tolist(), best["w"].tolist(), strict=True):
        if fixed[r]:
            continue
        new[r] = c if w >= settings.min_weight else singleton_base + r
        fit[r] = w
    # One report per source (and per side of a cannot-link) in a cluster: the
    # best-fitting one stays. Fixed reports claim their places first.
    order = np.argsort(-np.where(np.isinf(fit) | fixed, 1e9, fit), kind="stable")
    seen: set[tuple[int, str]] = set()
    for r in order.tolist():
        keys = [(int(new[r]), token) for token in tokens[r]]
        if not fixed[r] and any(key in seen for key in keys):
            new[r] = singleton_base + r
            keys = [(int(new[r]), token) for token in tokens[r]]
        seen.update(keys)
    return _renumber(new)


def _renumber(labels: IntArray) -> IntArray:
    codes, _ = pd.factorize(pd.Series(labels))
    return np.asarray(codes, dtype=np.int64)
