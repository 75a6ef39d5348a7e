"""Feature preparation: each distinct text parsed once, mapped back to every row."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from uncounted.link.prepare import _fields, _mapped, mention_features, report_features


@given(st.lists(st.sampled_from(["", "a", "bb", "a b", "2005"]), max_size=40))
def test_mapped_parses_each_distinct_text_once_and_keeps_row_order(texts: list[str]) -> None:
    calls: list[str] = []

    def parse(text: str) -> tuple[str, int]:
        calls.append(text)
        return (text.upper(), len(text))

    out = _mapped(np.array(texts, dtype=object), parse)
    assert out == [(t.upper(), len(t)) for t in texts]
    assert sorted(calls) == sorted(set(texts))


def test_fields_keep_lists_of_equal_length_as_cells() -> None:
    # Every parse gives a two-element list: an array built naively would become 2-d.
    texts = np.array(["x", "y", "x"], dtype=object)
    (lists,) = _fields(texts, lambda t: ([t, t + t],))
    assert lists.shape == (3,)
    assert lists.tolist() == [["x", "xx"], ["y", "yy"], ["x", "xx"]]


def test_features_of_missing_cells_are_empty() -> None:
    reports = pd.DataFrame(
        {"report_id": ["a", "b"], "source_id": ["s", "t"], "date_as_told": ["2005", None]}
    )
    mentions = pd.DataFrame(
        {"mention_id": ["m1", "m2"], "report_id": ["a", "b"], "age_as_told": ["30", ""]}
    )
    features = report_features(reports, mentions)
    assert features["date_start"].isna().tolist() == [False, True]
    assert features["name_keys"].tolist() == [[], []]
    table = mention_features(mentions, features)
    # Born 30 years before 2005: the middle of the told year, taken back by the age.
    assert table["birth_min"].tolist()[0] == 1975
    assert pd.isna(table["birth_min"].tolist()[1])
