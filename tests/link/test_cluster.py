"""Constrained average-linkage clustering: no chaining, binding constraints, invariants."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from uncounted.link.cluster import ClusterSettings, cluster_pairs, connected_components


def _pairs(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id_l", "id_r", "match_probability"])


def test_weak_links_do_not_chain() -> None:
    # a-b and b-c are likely, a-c was never scored: connected components would join all
    # three; average linkage joins b with one of them only (a-c counts as 0).
    pairs = _pairs([("a", "b", 0.8), ("b", "c", 0.7)])
    labels = cluster_pairs(["a", "b", "c"], pairs, ClusterSettings(threshold=0.5))
    assert labels[0] == labels[1] != labels[2]
    components = connected_components(3, pd.Series([0, 1]).to_numpy(), pd.Series([1, 2]).to_numpy())
    assert len(set(components.tolist())) == 1


def test_complete_strong_triangle_is_one_cluster() -> None:
    pairs = _pairs([("a", "b", 0.9), ("b", "c", 0.8), ("a", "c", 0.7)])
    labels = cluster_pairs(["a", "b", "c"], pairs, ClusterSettings(threshold=0.5))
    assert len(set(labels.tolist())) == 1


def test_records_of_one_source_stay_apart() -> None:
    pairs = _pairs([("a", "b", 0.99), ("a", "c", 0.9), ("b", "c", 0.9)])
    labels = cluster_pairs(
        ["a", "b", "c"], pairs, ClusterSettings(threshold=0.5), groups=["s1", "s1", "s2"]
    )
    assert labels[0] != labels[1]
    assert labels[2] in (labels[0], labels[1])


def test_reviewer_decisions_bind() -> None:
    pairs = _pairs([("a", "b", 0.99), ("c", "d", 0.01)])
    labels = cluster_pairs(
        ["a", "b", "c", "d"],
        pairs,
        ClusterSettings(threshold=0.5),
        must_link=[("c", "d")],
        cannot_link=[("a", "b")],
    )
    assert labels[0] != labels[1]
    assert labels[2] == labels[3]


def test_must_link_overrides_the_source_rule() -> None:
    labels = cluster_pairs(
        ["a", "b"], _pairs([]), ClusterSettings(), groups=["s", "s"], must_link=[("a", "b")]
    )
    assert labels[0] == labels[1]


ids = [f"r{i}" for i in range(8)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.floats(0.0, 1.0)),
        max_size=30,
    ),
    st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=4),
    st.lists(st.sampled_from(["s1", "s2", "s3", "s4"]), min_size=8, max_size=8),
    st.floats(0.05, 0.95),
)
def test_constraints_always_hold(
    rows: list[tuple[str, str, float]],
    cannot: list[tuple[str, str]],
    groups: list[str],
    threshold: float,
) -> None:
    rows = [(a, b, p) for a, b, p in rows if a != b]
    frame = _pairs(rows).drop_duplicates(["id_l", "id_r"])
    cannot = [(a, b) for a, b in cannot if a != b]
    labels = cluster_pairs(
        ids, frame, ClusterSettings(threshold=threshold), groups=groups, cannot_link=cannot
    )
    at = {x: i for i, x in enumerate(ids)}
    for a, b in cannot:
        assert labels[at[a]] != labels[at[b]]
    for cluster in set(labels.tolist()):
        members = [i for i, label in enumerate(labels) if label == cluster]
        assert len({groups[i] for i in members}) == len(members)
        # Every cluster of two or more is held together by its mean probability.
        if len(members) > 1:
            member_ids = {ids[i] for i in members}
            inside = frame[frame["id_l"].isin(member_ids) & frame["id_r"].isin(member_ids)]
            n_pairs = len(members) * (len(members) - 1) / 2
            assert inside["match_probability"].sum() / n_pairs > 0.0
