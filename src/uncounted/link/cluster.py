"""Constrained clustering of scored pairs: events from reports, victims from mentions.

Plain connected components above a threshold chain weak links: A-B at 0.6 and B-C at
0.6 put A and C together even when their own pair says 0.01, and on testimony one
vague report ("2008, North Hamgyong, one person") bridges many events into a giant
cluster. Here clusters grow by *average linkage*: two clusters merge when the mean
match probability over all pairs between them is at least the threshold, best pair
of clusters first. A pair that blocking did not score counts as ``unscored`` (a
probability, default 0.0: blocking left it out because it disagrees; ``None``
leaves unscored pairs out of the mean).

Constraints bind the merging: *must-link* pairs start in one cluster; *cannot-link*
pairs never end in one; and records of one *group* (a source: a witness tells each
execution once) never share a cluster when ``separate_groups`` is set.

Connected components of the pairs at or above the threshold are clustered
independently: no merge can join two of them, since a mean reaches the threshold only
if one of its pairs does.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components as csgraph_components

__all__ = ["ClusterSettings", "cluster_pairs", "connected_components"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ClusterSettings:
    """How scored pairs become clusters.

    Attributes
    ----------
    threshold : float
        Two clusters merge when the mean match probability of the pairs between them
        is at least this.
    unscored : float or None
        The probability counted for a pair between two clusters that was not scored
        (not a candidate pair); ``None`` leaves such pairs out of the mean.
    separate_groups : bool
        Records of one group (source) never share a cluster.
    """

    threshold: float = 0.5
    unscored: float | None = 0.0
    separate_groups: bool = True


def connected_components(n: int, left: IntArray, right: IntArray) -> IntArray:
    """Component label (smallest member index) of each of ``n`` nodes given edges."""
    parent = np.arange(n, dtype=np.int64)

    def find(i: int) -> int:
        root = i
        while parent[root] != root:
            root = int(parent[root])
        while parent[i] != root:
            parent[i], i = root, int(parent[i])
        return root

    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            if ra < rb:
                parent[rb] = ra
            else:
                parent[ra] = rb
    return np.array([find(i) for i in range(n)], dtype=np.int64)


class _Merger:
    """Average-linkage merging within one component, with constraints."""

    def __init__(
        self,
        members: list[int],
        groups: Sequence[Hashable] | None,
        settings: ClusterSettings,
    ) -> None:
        self.settings = settings
        self.size: dict[int, int] = {m: 1 for m in members}
        self.members: dict[int, list[int]] = {m: [m] for m in members}
        self.groups: dict[int, set[Hashable]] | None = (
            {m: {groups[m]} for m in members} if groups is not None else None
        )
        # links[a][b] = (sum of probabilities, number of scored pairs) between clusters.
        self.links: dict[int, dict[int, list[float]]] = {m: {} for m in members}
        self.forbidden: dict[int, set[int]] = {m: set() for m in members}
        self.version: dict[int, int] = {m: 0 for m in members}
        self.owner: dict[int, int] = {m: m for m in members}

    def add_pair(self, a: int, b: int, probability: float) -> None:
        # Both directions share one [sum, count] list, so an update shows on both sides.
        entry = self.links[a].get(b)
        if entry is None:
            entry = [0.0, 0.0]
            self.links[a][b] = entry
            self.links[b][a] = entry
        entry[0] += probability
        entry[1] += 1.0

    def forbid(self, a: int, b: int) -> None:
        self.forbidden[a].add(b)
        self.forbidden[b].add(a)

    def score(self, a: int, b: int) -> float:
        total, scored = self.links[a][b]
        unscored = self.settings.unscored
        if unscored is None:
            return total / scored
        pairs = self.size[a] * self.size[b]
        return (total + unscored * (pairs - scored)) / pairs

    def allowed(self, a: int, b: int) -> bool:
        if b in self.forbidden[a]:
            return False
        if self.groups is not None and self.settings.separate_groups:
            small, large = sorted((self.groups[a], self.groups[b]), key=len)
            return not any(g in large for g in small)
        return True

    def merge(self, a: int, b: int) -> int:
        """Merge the smaller cluster into the larger; returns the surviving id."""
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.size[a] += self.size.pop(b)
        absorbed = self.members.pop(b)
        self.members[a] += absorbed
        for node in absorbed:
            self.owner[node] = a
        if self.groups is not None:
            self.groups[a] |= self.groups.pop(b)
        for c, moved in self.links.pop(b).items():
            del self.links[c][b]
            if c == a:
                continue
            entry = self.links[a].get(c)
            if entry is None:
                self.links[a][c] = moved
                self.links[c][a] = moved
            else:
                entry[0] += moved[0]
                entry[1] += moved[1]
        for c in self.forbidden.pop(b):
            self.forbidden[c].discard(b)
            if c != a:
                self.forbidden[c].add(a)
                self.forbidden[a].add(c)
        self.version[a] += 1
        del self.version[b]
        return a

    def run(self, must: list[tuple[int, int]]) -> list[list[int]]:
        for a, b in must:
            ra, rb = self.owner[a], self.owner[b]
            if ra != rb:
                self.merge(ra, rb)
        heap: list[tuple[float, int, int, int, int]] = []
        for a in self.links:
            for b in self.links[a]:
                if a < b:
                    self._push(heap, a, b)
        threshold = self.settings.threshold
        while heap:
            negative, a, b, va, vb = heapq.heappop(heap)
            if self.version.get(a) != va or self.version.get(b) != vb:
                continue
            if -negative < threshold:
                break
            if not self.allowed(a, b):
                continue
            survivor = self.merge(a, b)
            for c in self.links[survivor]:
                self._push(heap, survivor, c)
        return list(self.members.values())

    def _push(self, heap: list[tuple[float, int, int, int, int]], a: int, b: int) -> None:
        score = self.score(a, b)
        if score >= self.settings.threshold and self.allowed(a, b):
            heapq.heappush(heap, (-score, a, b, self.version[a], self.version[b]))


def cluster_pairs(
    ids: Sequence[str],
    pairs: pd.DataFrame,
    settings: ClusterSettings | None = None,
    *,
    groups: Sequence[Hashable] | None = None,
    must_link: Sequence[tuple[str, str]] = (),
    cannot_link: Sequence[tuple[str, str]] = (),
) -> IntArray:
    """Cluster records from scored pairs under constraints.

    Parameters
    ----------
    ids : sequence of str
        Every record id (records without pairs become singletons).
    pairs : DataFrame
        ``id_l``, ``id_r``, ``match_probability``: each scored pair once.
    settings : ClusterSettings, optional
    groups : sequence, optional
        Group (source) of each record, aligned with ``ids``.
    must_link, cannot_link : sequences of id pairs
        Reviewer decisions. Must-links are joined first, whatever the group rule says;
        a cannot-link then forbids any merge that would put its two records together.
        When the must-links themselves join a cannot-link pair, the must-links win.

    Returns
    -------
    ndarray of int
        Cluster number of each record, aligned with ``ids``: 0, 1, ... in order of
        each cluster's first record.
    """
    settings = settings or ClusterSettings()
    index = pd.Index(ids)
    n = len(index)
    left = _indexer(index, pairs["id_l"])
    right = _indexer(index, pairs["id_r"])
    probability = pairs["match_probability"].to_numpy(dtype=float)
    known = (left >= 0) & (right >= 0) & (left != right)
    left, right, probability = left[known], right[known], probability[known]
    must = _positions(index, must_link)
    cannot = _positions(index, cannot_link)
    # A merge needs at least one pair at or above the threshold between the two clusters
    # (a mean cannot exceed its largest term), so components over those pairs are exact.
    keep = probability >= settings.threshold
    link_left = np.concatenate([left[keep], must[:, 0]])
    link_right = np.concatenate([right[keep], must[:, 1]])
    graph = coo_matrix((np.ones(len(link_left)), (link_left, link_right)), shape=(n, n))
    n_components, component = csgraph_components(graph, directed=False)
    component = component.astype(np.int64)
    sizes = np.bincount(component, minlength=n_components)
    inside = component[left] == component[right]
    edge_component = component[left[inside]]
    edge_counts = np.bincount(edge_component, minlength=n_components)
    lowest = np.full(n_components, np.inf)
    np.minimum.at(lowest, edge_component, probability[inside])
    whole = (sizes > 1) & (edge_counts == sizes * (sizes - 1) // 2)
    whole &= lowest >= settings.threshold
    if groups is not None and settings.separate_groups:
        codes = pd.factorize(pd.Series(list(groups), dtype=object))[0]
        distinct = pd.Series(codes).groupby(component).nunique().to_numpy()
        whole &= distinct == sizes
    constrained = np.zeros(n_components, dtype=bool)
    for pair in (must, cannot):
        constrained[component[pair[:, 0]]] = True
    whole &= ~constrained
    # A whole component is one cluster (labels n + component); others merge step by step.
    labels = np.where(whole[component], n + component, np.arange(n, dtype=np.int64))
    hard = np.flatnonzero((sizes > 1) & ~whole)
    if len(hard) > 0:
        _merge_components(
            hard, component, left[inside], right[inside], probability[inside],
            must, cannot, groups, settings, labels,
        )  # fmt: skip
    return np.asarray(pd.factorize(labels)[0], dtype=np.int64)


def _indexer(index: pd.Index, values: pd.Series) -> IntArray:
    """Position of each value in ``index`` (-1 when absent), in Arrow.

    ``Index.get_indexer`` turns Arrow strings into Python strings first: at a million
    mentions, ten million pairs, that is gigabytes for a moment.
    """
    found = pc.index_in(
        pa.array(values, type=pa.string()), value_set=pa.array(index.astype(str), pa.string())
    )
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _positions(index: pd.Index, pairs: Sequence[tuple[str, str]]) -> IntArray:
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    left = index.get_indexer(pd.Index([a for a, _ in pairs]))
    right = index.get_indexer(pd.Index([b for _, b in pairs]))
    ok = (left >= 0) & (right >= 0)
    return np.stack([left[ok], right[ok]], axis=1).astype(np.int64)


def _merge_components(
    hard: IntArray,
    component: IntArray,
    left: IntArray,
    right: IntArray,
    probability: npt.NDArray[np.float64],
    must: IntArray,
    cannot: IntArray,
    groups: Sequence[Hashable] | None,
    settings: ClusterSettings,
    labels: IntArray,
) -> None:
    """Average-linkage merging inside each hard component; writes ``labels`` in place."""
    is_hard = np.zeros(int(component.max()) + 1, dtype=bool)
    is_hard[hard] = True
    # Nodes and edges sorted by component, each component a slice: a frame per
    # component would cost kilobytes each, gigabytes at a million mentions.
    nodes = np.flatnonzero(is_hard[component])
    nodes = nodes[np.argsort(component[nodes], kind="stable")]
    node_starts = np.searchsorted(component[nodes], hard)
    node_ends = np.searchsorted(component[nodes], hard, side="right")
    edge_mask = is_hard[component[left]]
    edge_a, edge_b, edge_p = left[edge_mask], right[edge_mask], probability[edge_mask]
    order = np.argsort(component[edge_a], kind="stable")
    edge_a, edge_b, edge_p = edge_a[order], edge_b[order], edge_p[order]
    edge_c = component[edge_a]
    edge_starts = np.searchsorted(edge_c, hard)
    edge_ends = np.searchsorted(edge_c, hard, side="right")
    must_by: dict[int, list[tuple[int, int]]] = {}
    for a, b in must.tolist():
        must_by.setdefault(int(component[a]), []).append((a, b))
    cannot_by: dict[int, list[tuple[int, int]]] = {}
    for a, b in cannot.tolist():
        if component[a] == component[b]:
            cannot_by.setdefault(int(component[a]), []).append((a, b))
    for position, key in enumerate(hard.tolist()):
        comp = int(key)
        members = nodes[node_starts[position] : node_ends[position]].tolist()
        merger = _Merger(members, groups, settings)
        span = slice(int(edge_starts[position]), int(edge_ends[position]))
        for a, b, p in zip(
            edge_a[span].tolist(), edge_b[span].tolist(), edge_p[span].tolist(), strict=True
        ):
            merger.add_pair(a, b, p)
        for a, b in cannot_by.get(comp, []):
            merger.forbid(a, b)
        for cluster in merger.run(must_by.get(comp, [])):
            labels[cluster] = min(cluster)
