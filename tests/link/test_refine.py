"""Refinement against cluster consensus: leave-one-out fit and clusters beyond blocking."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from uncounted.link.prepare import REPORT_FEATURES
from uncounted.link.refine import RefineSettings, consensus_records, refine_clusters

DAY = 12_000  # a day in 2002, as days since 1970


def _report(uid: str, source: str, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "unique_id": uid, "source_id": source, "collection_id": "c", "date_start": DAY,
        "date_end": DAY, "date_width": 1, "date_precision": "day", "county": "KP-01-a",
        "province": "KP-01", "place_level": "county", "victims_min": 1, "victims_max": 1,
        "charges": 1, "method": "firing_squad", "site_type": "market", "name_hangul": [],
        "name_roman": [], "name_keys": [], "name_first_key": None,
    }  # fmt: skip
    row.update(values)
    return row


def _features(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)[list(REPORT_FEATURES)]
    for column in ("date_start", "date_end", "date_width", "victims_min", "victims_max"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _agreement_scorer(frame: pd.DataFrame, request: pd.DataFrame) -> pd.DataFrame:
    """A toy model: one bit for each of county, province, date start, method that agree,
    minus one for each that differs (unknown counts neither way)."""
    by_id = frame.set_index("unique_id")
    left = by_id.loc[request["id_l"].to_numpy()].reset_index(drop=True)
    right = by_id.loc[request["id_r"].to_numpy()].reset_index(drop=True)
    weight = np.zeros(len(request))
    for column in ("county", "province", "date_start", "method"):
        a, b = left[column], right[column]
        known = (a.notna() & b.notna()).to_numpy(dtype=bool)
        same = (a.astype(object) == b.astype(object)).to_numpy(dtype=bool)
        weight += np.where(known, np.where(same, 1.0, -1.0), 0.0)
    return pd.DataFrame(
        {"id_l": request["id_l"].to_numpy(), "id_r": request["id_r"].to_numpy(),
         "match_weight": weight}
    )  # fmt: skip


def _three_and_one(last: dict[str, Any]) -> pd.DataFrame:
    rows = [
        _report(f"R{i}", f"S{i}", method="hanging" if i == 0 else "firing_squad") for i in range(3)
    ]
    return _features([*rows, last])


def test_a_singleton_is_not_held_by_its_own_vote() -> None:
    # R3 differs from the cluster's consensus in method only. Compared with a consensus
    # that includes itself it agrees on everything (weight 4) and would stay alone;
    # without its own vote its only fit is the cluster (weight 2), which it joins.
    features = _three_and_one(_report("R3", "S3", method="beheading"))
    candidates = pd.DataFrame({"id_l": ["R0"], "id_r": ["R3"]})
    labels = refine_clusters(
        features, np.array([0, 0, 0, 1]), candidates, _agreement_scorer,
        RefineSettings(rounds=2, min_weight=0.0, near_days=-1),
    )  # fmt: skip
    assert len(set(labels.tolist())) == 1


def test_a_report_meets_clusters_of_its_province_beyond_its_candidates() -> None:
    # R3 names only the province (no county) and has no candidate pair: only the
    # province-and-date search can bring it to the cluster; with it switched off, it
    # stays alone.
    features = _three_and_one(_report("R3", "S3", county=None, place_level="province"))
    no_candidates = pd.DataFrame({"id_l": pd.Series(dtype=str), "id_r": pd.Series(dtype=str)})
    start = np.array([0, 0, 0, 1])
    joined = refine_clusters(
        features, start, no_candidates, _agreement_scorer,
        RefineSettings(min_weight=0.0, near_days=31),
    )  # fmt: skip
    alone = refine_clusters(
        features, start, no_candidates, _agreement_scorer,
        RefineSettings(min_weight=0.0, near_days=-1),
    )  # fmt: skip
    assert len(set(joined.tolist())) == 1
    assert len(set(alone.tolist())) == 2


def test_a_cluster_far_in_time_is_not_searched() -> None:
    # Same province, but two years apart: beyond near_days, so never compared.
    far = _report("R3", "S3", county=None, date_start=DAY + 730, date_end=DAY + 730)
    features = _three_and_one(far)
    no_candidates = pd.DataFrame({"id_l": pd.Series(dtype=str), "id_r": pd.Series(dtype=str)})
    labels = refine_clusters(
        features, np.array([0, 0, 0, 1]), no_candidates, _agreement_scorer,
        RefineSettings(min_weight=-10.0, near_days=31),
    )  # fmt: skip
    assert len(set(labels.tolist())) == 2


def test_a_source_never_tells_one_event_twice() -> None:
    # R3 fits perfectly but its source already told the cluster's event: it stays out.
    features = _three_and_one(_report("R3", "S1"))
    candidates = pd.DataFrame({"id_l": ["R0"], "id_r": ["R3"]})
    labels = refine_clusters(
        features, np.array([0, 0, 0, 1]), candidates, _agreement_scorer,
        RefineSettings(min_weight=0.0),
    )  # fmt: skip
    assert labels[3] != labels[1]


def test_consensus_is_the_majority() -> None:
    features = _features(
        [_report("A", "S0", county="KP-01-x"), _report("B", "S1"), _report("C", "S2")]
    )
    consensus = consensus_records(features, np.array([0, 0, 0]))
    assert consensus.loc[0, "county"] == "KP-01-a"
    assert consensus.loc[0, "method"] == "firing_squad"


def test_a_cannot_link_keeps_two_reports_apart() -> None:
    # R3 fits the cluster perfectly, but a reviewer said it is not R1's event.
    features = _three_and_one(_report("R3", "S3"))
    candidates = pd.DataFrame({"id_l": ["R0"], "id_r": ["R3"]})
    labels = refine_clusters(
        features, np.array([0, 0, 0, 1]), candidates, _agreement_scorer,
        RefineSettings(min_weight=0.0), cannot_link=[("R1", "R3")],
    )  # fmt: skip
    assert labels[3] != labels[1]
    free = refine_clusters(
        features, np.array([0, 0, 0, 1]), candidates, _agreement_scorer,
        RefineSettings(min_weight=0.0),
    )  # fmt: skip
    assert free[3] == free[1]


def _county_a_and_b() -> tuple[pd.DataFrame, pd.DataFrame]:
    """R0-R1 in county a; R2 tells county b and hanging, like R3-R4 (some days later)."""
    features = _features(
        [
            _report("R0", "S0"),
            _report("R1", "S1"),
            _report("R2", "S2", county="KP-01-b", method="hanging"),
            _report("R3", "S3", county="KP-01-b", method="hanging", date_start=DAY + 9),
            _report("R4", "S4", county="KP-01-b", method="hanging", date_start=DAY + 9),
        ]
    )
    candidates = pd.DataFrame({"id_l": ["R0", "R2", "R2", "R0"], "id_r": ["R1", "R3", "R0", "R4"]})
    return features, candidates


def _alternatives_of(labels: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fit table and the alternatives (indexed by report) of these five reports."""
    from uncounted.link.refine import alternatives, fit_table

    features, candidates = _county_a_and_b()
    fits = fit_table(features, labels, candidates, _agreement_scorer, RefineSettings(near_days=-1))
    return fits, alternatives(fits, labels).set_index("report")


def test_alternatives_name_each_report_s_own_event_and_the_best_other() -> None:
    # Two events: R0-R2 in county a (R2 tells county b: it may belong to the other),
    # R3-R4 in county b.
    _, table = _alternatives_of(np.array([0, 0, 0, 1, 1]))
    # R2 against its own (R0, R1: county and method differ) and against R3-R4's event
    # (county and method agree, the date differs): the other event fits it better.
    assert table.loc[2, "event"] == 0 and table.loc[2, "alternative"] == 1
    assert table.loc[2, "alternative_score"] > table.loc[2, "score"]
    # R0 fits its own event better than any other; R1 has no other event to go to.
    assert table.loc[0, "score"] > table.loc[0, "alternative_score"]
    assert 1 not in table.index


def test_a_report_alone_is_asked_about_the_event_that_fits_it_best() -> None:
    # R2 (county b, hanging) stands alone; R3-R4's event (county b, hanging) fits it
    # better than R0-R1's. Standing alone counts as even odds (score 0).
    fits, table = _alternatives_of(np.array([0, 0, 2, 1, 1]))
    assert table.loc[2, "event"] == 2 and table.loc[2, "score"] == 0.0
    assert table.loc[2, "alternative"] == 1
    best = fits[(fits["r"] == 2)]["s"].max()
    assert table.loc[2, "alternative_score"] == best


def test_the_event_review_queue_asks_the_most_valuable_question_first() -> None:
    from uncounted.link.review import event_review_queue

    ids = np.array([f"R{i}" for i in range(8)], dtype=object)
    labels = np.array([0, 0, 0, 0, 1, 1, 2, 2])
    typical = np.array([0.9, 0.5, 0.5, 0.5, 0.4, 0.8, 0.7, 0.6])
    options = pd.DataFrame(
        {
            "report": [1, 4, 6],
            "event": [0, 1, 2],
            "score": [5.0, 0.5, 0.0],
            # R1 fits its own event by far; R4 nearly as well the big event 0; R6 better
            # event 1, but 1 and 2 are small.
            "alternative": [1, 0, 1],
            "alternative_score": [-5.0, 0.0, 1.0],
        }
    )

    def score(pairs: pd.DataFrame) -> pd.DataFrame:
        return pairs.assign(match_probability=0.5, match_weight=0.0, mw_date=1.0, mw_place=-1.0)

    queue = event_review_queue(options, ids, labels, typical, score)
    # Each report is asked against the most typical report of its alternative event.
    pairs = list(zip(queue["id_l"], queue["id_r"], strict=True))
    assert pairs == [("R0", "R4"), ("R5", "R6"), ("R1", "R5")]
    assert {"mw_date", "mw_place"} <= set(queue.columns)
    decided = pd.DataFrame({"left_id": ["R4"], "right_id": ["R0"]})
    again = event_review_queue(options, ids, labels, typical, score, decided=decided, limit=1)
    assert list(zip(again["id_l"], again["id_r"], strict=True)) == [("R5", "R6")]


def test_the_event_review_queue_keeps_only_uncertain_pairs() -> None:
    from uncounted.link.review import event_review_queue

    options = pd.DataFrame(
        {
            "report": [0],
            "event": [0],
            "score": [0.0],
            "alternative": [1],
            "alternative_score": [0.0],
        }
    )

    def sure(pairs: pd.DataFrame) -> pd.DataFrame:
        return pairs.assign(match_probability=0.99, match_weight=7.0)

    ids = np.array(["R0", "R1", "R2"], dtype=object)
    queue = event_review_queue(options, ids, np.array([0, 0, 1]), np.ones(3), sure)
    assert len(queue) == 0
