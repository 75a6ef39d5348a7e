"""Decomposable (chordal) graphs on the lists, with their cliques and separators.

Madigan & York (1997) average over every decomposable graphical log-linear model of the
``2**k`` table. A graph is decomposable when it is chordal; its marginal likelihood then
factorises over the maximal cliques ``C`` and the separators ``S`` of a junction tree.

The graphs are generated here rather than read from a file: every graph on ``k`` labelled
vertices is tested for chordality by maximum cardinality search (Tarjan & Yannakakis 1984),
its maximal cliques read off the perfect elimination order, and its separators taken from a
maximum-weight spanning forest of the clique-intersection graph (a junction tree; the
multiset of separators is the same for every junction tree of a chordal graph). There are
8, 61 and 822 labelled chordal graphs on 3, 4 and 5 vertices (OEIS A058862).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations

__all__ = ["DecomposableGraph", "decomposable_graphs"]


@dataclass(frozen=True)
class DecomposableGraph:
    """One decomposable graph: vertices are list positions ``0 .. k-1``.

    Attributes
    ----------
    k : int
        Number of vertices (lists).
    edges : tuple of (int, int)
        Edges ``(i, j)`` with ``i < j``, sorted.
    cliques : tuple of tuple of int
        Maximal cliques, each sorted, in lexicographic order.
    separators : tuple of tuple of int
        Non-empty separators of a junction tree (a multiset: one may repeat), sorted.
    """

    k: int
    edges: tuple[tuple[int, int], ...]
    cliques: tuple[tuple[int, ...], ...]
    separators: tuple[tuple[int, ...], ...]

    def formula(self, names: Sequence[str]) -> str:
        """Readable model formula, e.g. ``"EXH*ABA*OSCE + OSCE*HRW"``."""
        return " + ".join("*".join(names[v] for v in clique) for clique in self.cliques)

    @staticmethod
    def mask(vertices: Sequence[int]) -> int:
        """Bit mask of a vertex set (vertex ``j`` is bit ``j``), as used for table cells."""
        out = 0
        for v in vertices:
            out |= 1 << v
        return out


@cache
def decomposable_graphs(k: int) -> tuple[DecomposableGraph, ...]:
    """Every decomposable graph on ``k`` labelled vertices.

    Ordered by number of edges, then by edge set, so the independence model comes first
    and the saturated model last.
    """
    if k < 1:
        raise ValueError(f"k must be positive, got {k}")
    if k > 7:
        # 2**21 graphs to test for k = 7 already; BMA over more is not practical anyway.
        raise ValueError(f"enumerating all graphs is only supported up to 7 vertices, got {k}")
    pairs = list(combinations(range(k), 2))
    found: list[DecomposableGraph] = []
    for edge_mask in range(1 << len(pairs)):
        edges = tuple(p for b, p in enumerate(pairs) if edge_mask >> b & 1)
        adjacency = [0] * k
        for i, j in edges:
            adjacency[i] |= 1 << j
            adjacency[j] |= 1 << i
        order = _maximum_cardinality_order(adjacency)
        if not _is_perfect_elimination(order, adjacency):
            continue
        cliques = _maximal_cliques(order, adjacency)
        found.append(DecomposableGraph(k, edges, cliques, _separators(cliques)))
    found.sort(key=lambda g: (len(g.edges), g.edges))
    return tuple(found)


def _maximum_cardinality_order(adjacency: list[int]) -> list[int]:
    """Vertices in maximum cardinality search order (each next vertex has the most
    already-numbered neighbours; ties by lowest label)."""
    k = len(adjacency)
    numbered = 0
    order: list[int] = []
    for _ in range(k):
        best = max(
            (v for v in range(k) if not numbered >> v & 1),
            key=lambda v: (bin(adjacency[v] & numbered).count("1"), -v),
        )
        order.append(best)
        numbered |= 1 << best
    return order


def _is_perfect_elimination(order: list[int], adjacency: list[int]) -> bool:
    """True when the reverse of an MCS order is a perfect elimination order, i.e. for each
    vertex its earlier neighbours form a clique; this holds exactly for chordal graphs."""
    earlier = 0
    for v in order:
        neighbours = adjacency[v] & earlier
        for u in _members(neighbours):
            if neighbours & ~(1 << u) & ~adjacency[u]:
                return False
        earlier |= 1 << v
    return True


def _maximal_cliques(order: list[int], adjacency: list[int]) -> tuple[tuple[int, ...], ...]:
    earlier = 0
    candidates: list[int] = []
    for v in order:
        candidates.append((adjacency[v] & earlier) | 1 << v)
        earlier |= 1 << v
    maximal = {c for c in candidates if not any(c != d and c & d == c for d in candidates)}
    return tuple(sorted(tuple(_members(c)) for c in maximal))


def _separators(cliques: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, ...], ...]:
    """Non-empty separators of a junction tree: a maximum-weight spanning forest of the
    clique graph weighted by intersection size (Kruskal)."""
    sets = [set(c) for c in cliques]
    links = sorted(
        ((len(sets[a] & sets[b]), a, b) for a, b in combinations(range(len(sets)), 2)),
        key=lambda t: -t[0],
    )
    parent = list(range(len(sets)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    out: list[tuple[int, ...]] = []
    for size, a, b in links:
        if size == 0:
            break
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
            out.append(tuple(sorted(sets[a] & sets[b])))
    return tuple(sorted(out))


def _members(mask: int) -> list[int]:
    return [v for v in range(mask.bit_length()) if mask >> v & 1]
