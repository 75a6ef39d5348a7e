"""Mentions of an event told as having one victim name one person.

The victim model scores a pair of mentions by Fellegi–Sunter evidence summed over
comparisons and a prior that is the chance that *two random mentions* match. Two
unnamed mentions of an event whose witnesses agree it had one victim are then scored
like any pair of one event: "same event, one victim told" is strong evidence, but the
global prior and the missing name and age keep the probability under a strict
threshold, although, given the event, the two mentions can only be the same person.
That is a logical consequence of the linkage, not more evidence, so it is applied as
one: after clustering, every mention of such an event joins one victim, unless the
mentions themselves say otherwise:

- one report mentions two victims of it (a report names each victim once, so the
  event had more than one): the event is left as the model clustered it;
- a reviewer said two of its mentions are not one person: the same;
- a mention whose sex, name or age (birth years more than ``AGE_GAP`` apart)
  contradicts what most mentions of the event say stays where the model put it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["AGE_GAP", "FIT", "join_single_victim_events", "report_fit"]

IntArray = npt.NDArray[np.int64]
AGE_GAP = 5
"""Birth years further apart than this (from told ages) are two people."""
FIT = 0.7
"""Only mentions whose report fits its event this well (:func:`report_fit`) are joined."""


def report_fit(
    ids: Sequence[str], labels: IntArray, pairs: pd.DataFrame
) -> npt.NDArray[np.float64]:
    """How firmly each report sits in its event: the mean match probability with the
    event's other reports (pairs blocking left out count as 0); 1 for a report alone.

    A report the clustering placed by a thin margin may belong to another event; its
    mentions should not be joined to the event's victim on the event's say-so alone.
    """
    n = len(ids)
    labels = np.asarray(labels, dtype=np.int64)
    index = pd.Series(np.arange(n), index=pd.Index([str(i) for i in ids]))
    left = index.reindex(pairs["id_l"].astype(str).to_numpy()).to_numpy()
    right = index.reindex(pairs["id_r"].astype(str).to_numpy()).to_numpy()
    ok = ~(np.isnan(left) | np.isnan(right))
    left, right = left[ok].astype(np.int64), right[ok].astype(np.int64)
    prob = pairs["match_probability"].to_numpy(dtype=np.float64)[ok]
    inside = labels[left] == labels[right]
    total = np.bincount(left[inside], prob[inside], minlength=n) + np.bincount(
        right[inside], prob[inside], minlength=n
    )
    others = np.bincount(labels, minlength=int(labels.max(initial=0)) + 1)[labels] - 1
    return np.where(others > 0, total / np.maximum(others, 1), 1.0)


def _modal_agreement(event: IntArray, values: pd.Series) -> npt.NDArray[np.bool_]:
    """True where a value is missing or is its event's commonest value (ties: smallest)."""
    known = values.notna().to_numpy(dtype=bool)
    frame = pd.DataFrame({"e": event[known], "v": values[known].to_numpy()})
    if len(frame) == 0:
        return np.ones(len(event), dtype=bool)
    counts = frame.groupby(["e", "v"]).size().reset_index(name="n")
    counts = counts.sort_values(["e", "n", "v"], ascending=[True, False, True], kind="stable")
    modal = counts.drop_duplicates("e").set_index("e")["v"]
    agree = np.ones(len(event), dtype=bool)
    agree[known] = modal.reindex(event[known]).to_numpy() == values[known].to_numpy()
    return agree


def _name_agreement(event: IntArray, table: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """True where a mention names nobody or names its event's commonest name."""
    spelled = pd.concat(
        [
            pd.DataFrame({"m": np.arange(len(table)), "e": event, "v": table[column].to_numpy()})
            for column in ("name_hangul", "name_roman", "name_keys")
        ],
        ignore_index=True,
    ).explode("v")
    spelled = spelled[spelled["v"].notna() & (spelled["v"].astype(str) != "")]
    spelled = spelled.assign(v=spelled["v"].astype(str)).drop_duplicates(["m", "v"])
    if len(spelled) == 0:
        return np.ones(len(table), dtype=bool)
    counts = spelled.groupby(["e", "v"]).size().reset_index(name="n")
    counts = counts.sort_values(["e", "n", "v"], ascending=[True, False, True], kind="stable")
    top = counts.drop_duplicates("e").set_index("e")["v"]
    has_top = spelled["v"].to_numpy() == top.reindex(spelled["e"].to_numpy()).to_numpy()
    named = np.zeros(len(table), dtype=bool)
    named[spelled["m"].to_numpy(dtype=np.int64)] = True
    with_top = np.zeros(len(table), dtype=bool)
    with_top[spelled["m"].to_numpy(dtype=np.int64)[has_top]] = True
    return ~named | with_top


def _age_agreement(event: IntArray, table: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """True where the age is unknown or within ``AGE_GAP`` of its event's median."""
    low = table["birth_min"].astype("float64").to_numpy()
    high = table["birth_max"].astype("float64").to_numpy()
    middle = pd.Series((low + high) / 2).groupby(event).transform("median").to_numpy()
    known = ~np.isnan(low) & ~np.isnan(high)
    near = (low - AGE_GAP <= middle) & (middle <= high + AGE_GAP)
    return ~known | near


def join_single_victim_events(
    table: pd.DataFrame,
    labels: IntArray,
    cannot_link: Sequence[tuple[str, str]] = (),
) -> IntArray:
    """Join the mentions of each one-victim event into one victim.

    Parameters
    ----------
    table : DataFrame
        Mention features (:func:`uncounted.link.prepare.mention_features`) with the
        ``event_victims`` column: the number of victims the event's reports tell, and
        optionally ``event_fit`` (:func:`report_fit` of each mention's report).
    labels : ndarray of int
        The victim cluster of each mention, from the model.
    cannot_link : sequence of (id, id)
        Mentions a reviewer said are different people.

    Returns
    -------
    ndarray of int
        Cluster labels, renumbered from 0 in order of first appearance.
    """
    out = np.asarray(labels, dtype=np.int64).copy()
    if len(table) == 0 or "event_victims" not in table.columns:
        return out
    one = (table["event_victims"] == 1).fillna(False).to_numpy(dtype=bool).copy()
    if "event_fit" in table.columns:
        one &= (table["event_fit"].astype("float64") >= FIT).fillna(False).to_numpy(dtype=bool)
    rows = np.flatnonzero(one)
    chosen = table.iloc[rows].reset_index(drop=True)
    event = pd.factorize(chosen["event_id"].astype(str))[0].astype(np.int64)
    # A report names each victim once: two mentions in one report of the event mean
    # that it had more than one victim, whatever the count told.
    several = np.zeros(int(event.max(initial=-1)) + 1, dtype=bool)
    twice = pd.DataFrame({"e": event, "r": chosen["report_id"].astype(str)}).duplicated()
    several[event[twice.to_numpy()]] = True
    # So does a reviewer who said two of its mentions are different people.
    position = pd.Series(np.arange(len(chosen)), index=chosen["unique_id"].astype(str))
    for a, b in cannot_link:
        pa, pb = position.get(str(a)), position.get(str(b))
        if pa is not None and pb is not None and event[int(pa)] == event[int(pb)]:
            several[event[int(pa)]] = True
    keep = ~several[event]
    keep &= _modal_agreement(event, chosen["sex"])
    keep &= _name_agreement(event, chosen)
    keep &= _age_agreement(event, chosen)
    members = rows[keep]
    if len(members) < 2:
        return out
    # Join the clusters of each event's kept mentions (and whatever the model already
    # put with them): components of a graph on cluster labels.
    first = pd.Series(members).groupby(event[keep]).transform("first").to_numpy()
    codes, uniques = pd.factorize(pd.Series(out))
    n = len(uniques)
    graph = coo_matrix((np.ones(len(members)), (codes[members], codes[first])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    joined = component[codes]
    renumbered, _ = pd.factorize(pd.Series(joined))
    return np.asarray(renumbered, dtype=np.int64)
