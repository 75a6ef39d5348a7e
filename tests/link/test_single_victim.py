"""Mentions of a one-victim event join one victim, unless the mentions say otherwise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from uncounted.link.single_victim import FIT, join_single_victim_events, report_fit


def _mention(uid: str, report: str, event: str = "0", **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "unique_id": uid,
        "report_id": report,
        "event_id": event,
        "sex": None,
        "name_hangul": [],
        "name_roman": [],
        "name_keys": [],
        "birth_min": pd.NA,
        "birth_max": pd.NA,
        "event_victims": 1,
        "event_fit": 1.0,
    }
    row.update(fields)
    return row


def _table(*rows: dict[str, object]) -> pd.DataFrame:
    table = pd.DataFrame(list(rows))
    for column in ("birth_min", "birth_max"):
        table[column] = table[column].astype("Int64")
    return table


def _apart(labels: np.ndarray) -> int:
    return len(set(labels.tolist()))


def test_unnamed_mentions_of_a_one_victim_event_are_one_victim() -> None:
    table = _table(
        _mention("M1", "R1", sex="m"),
        _mention("M2", "R2"),
        _mention("M3", "R3", sex="m", birth_min=1960, birth_max=1969),
        _mention("M4", "R4", event="1"),  # another event: stays apart
    )
    labels = join_single_victim_events(table, np.arange(4))
    assert labels[0] == labels[1] == labels[2]
    assert labels[3] != labels[0]


def test_a_mention_that_contradicts_the_others_stays_apart() -> None:
    table = _table(
        _mention("M1", "R1", sex="m", birth_min=1960, birth_max=1964),
        _mention("M2", "R2", sex="m"),
        _mention("M3", "R3", sex="m", birth_min=1961, birth_max=1965),
        _mention("M4", "R4", sex="f"),  # misheard or another person: not joined
        _mention("M5", "R5", sex="m", birth_min=1990, birth_max=1991),  # 25 years younger
    )
    labels = join_single_victim_events(table, np.arange(5))
    assert labels[0] == labels[1] == labels[2]
    assert labels[3] not in labels[:3]
    assert labels[4] not in labels[:3]


def test_names_decide_which_mentions_are_the_victim() -> None:
    table = _table(
        _mention("M1", "R1", name_keys=["kim|chol"]),
        _mention("M2", "R2", name_keys=["kim|chol", "gim|cheol"]),
        _mention("M3", "R3", name_keys=["pak|su"]),
        _mention("M4", "R4"),
    )
    labels = join_single_victim_events(table, np.arange(4))
    assert labels[0] == labels[1] == labels[3]
    assert labels[2] != labels[0]


@pytest.mark.parametrize(
    "rows",
    [
        # One report mentions two of the event's victims: it had more than one.
        (_mention("M1", "R1"), _mention("M2", "R1"), _mention("M3", "R2")),
        # The event is told as having two victims.
        (_mention("M1", "R1", event_victims=2), _mention("M2", "R2", event_victims=2)),
        # The reports sit loosely in their event.
        (_mention("M1", "R1", event_fit=FIT / 2), _mention("M2", "R2", event_fit=FIT / 2)),
    ],
)
def test_nothing_is_joined_when_the_event_may_have_had_more_victims(
    rows: tuple[dict[str, object], ...],
) -> None:
    labels = join_single_victim_events(_table(*rows), np.arange(len(rows)))
    assert _apart(labels) == len(rows)


def test_a_reviewers_cannot_link_is_binding() -> None:
    table = _table(_mention("M1", "R1"), _mention("M2", "R2"), _mention("M3", "R3"))
    labels = join_single_victim_events(table, np.arange(3), cannot_link=[("M3", "M1")])
    assert _apart(labels) == 3


def test_clusters_the_model_made_are_carried_along() -> None:
    # M3 (another event) was linked to M2 by name: joining M1 and M2 brings it too.
    table = _table(_mention("M1", "R1"), _mention("M2", "R2"), _mention("M3", "R3", event="9"))
    labels = join_single_victim_events(table, np.array([0, 1, 1]))
    assert _apart(labels) == 1


def test_report_fit_is_the_mean_probability_with_the_event_s_other_reports() -> None:
    pairs = pd.DataFrame(
        {
            "id_l": ["A", "A", "B", "C"],
            "id_r": ["B", "C", "C", "D"],
            "match_probability": [0.9, 0.6, 0.3, 0.99],
        }
    )
    # A, B, C are one event (C-D are apart); D is alone.
    fit = report_fit(["A", "B", "C", "D"], np.array([0, 0, 0, 1]), pairs)
    np.testing.assert_allclose(fit, [(0.9 + 0.6) / 2, (0.9 + 0.3) / 2, (0.6 + 0.3) / 2, 1.0])
    # A pair blocking left out counts as 0: B and C with A only.
    fit = report_fit(["A", "B", "C"], np.array([0, 0, 0]), pairs.iloc[:2])
    np.testing.assert_allclose(fit, [0.75, 0.45, 0.3])
