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

__all__ = ["AGE_GAP", "FIT", "join_single_victim_events", "report_fit"]

IntArray = npt.NDArray[np.int64]
AGE_GAP = 5
"""Birth years further apart than this (from told ages) are two people."""
FIT = 0.6
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


def _names(value: object) -> set[str]:
    if isinstance(value, list | tuple | np.ndarray):
        return {str(v) for v in value if v is not None and str(v)}
    return set()


def _core(group: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """The mentions of one event that agree with its commonest sex, name and age.

    Witnesses slip (a sex misheard, an age guessed): a mention that contradicts what
    most mentions of the event say is left where the model put it, and the others
    form the victim.
    """
    keep = np.ones(len(group), dtype=bool)
    sex = group["sex"]
    if sex.notna().any():
        modal = sex.dropna().value_counts().index[0]
        keep &= (sex.isna() | (sex == modal)).to_numpy()
    names = [
        _names(h) | _names(r) | _names(k)
        for h, r, k in zip(
            group["name_hangul"], group["name_roman"], group["name_keys"], strict=True
        )
    ]
    told = [n for n in names if n]
    if told:
        counts = pd.Series([v for n in told for v in n]).value_counts()
        top = str(counts.index[0])
        keep &= np.array([not n or top in n for n in names])
    birth_min = group["birth_min"].astype("Float64")
    birth_max = group["birth_max"].astype("Float64")
    known = birth_min.notna().to_numpy(dtype=bool)
    if known.any():
        middle = float(((birth_min + birth_max) / 2)[known].median())
        near = (birth_min - AGE_GAP <= middle) & (middle <= birth_max + AGE_GAP)
        keep &= (~known) | near.fillna(True).to_numpy(dtype=bool)
    return keep


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
        ``event_victims`` column: the number of victims the event's reports tell.
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
    apart = {frozenset(pair) for pair in cannot_link}
    rows = table.reset_index(drop=True)
    chosen = rows[one]
    for positions in chosen.groupby("event_id", sort=False).indices.values():
        group = chosen.iloc[positions]
        # A report names each victim once: two mentions in one report of the event
        # mean that it had more than one victim, whatever the count told.
        if len(group) < 2 or group["report_id"].duplicated().any():
            continue
        members = group.index.to_numpy()[_core(group)]
        ids = set(group["unique_id"].astype(str).tolist())
        if any(pair <= ids for pair in apart) or len(members) < 2:
            continue
        # Everything in the clusters of these mentions joins the first one's cluster.
        out[np.isin(out, out[members])] = out[members[0]]
    codes, _ = pd.factorize(pd.Series(out))
    return np.asarray(codes, dtype=np.int64)
