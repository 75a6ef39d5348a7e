"""Properties of the simulator's building blocks: shard sizes, date shifts, date tables."""

from __future__ import annotations

import datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from uncounted.records.dates import parse_date
from uncounted.simulate.noise import shift_years
from uncounted.simulate.presets import PRECISIONS
from uncounted.simulate.programmes import expand_groups
from uncounted.simulate.shards import MIN_SHARD_SIZE, shard_sizes
from uncounted.simulate.variants import date_table

EPOCH = datetime.date(1970, 1, 1)
days = st.dates(datetime.date(1996, 1, 1), datetime.date(2019, 12, 31))


@given(st.floats(MIN_SHARD_SIZE, 50.0))
def test_shard_sizes_add_up_to_the_scale(scale: float) -> None:
    sizes = shard_sizes(scale)
    assert all(MIN_SHARD_SIZE <= s <= 1.0 for s in sizes)
    assert abs(sum(sizes) - scale) < MIN_SHARD_SIZE  # a sliver below 0.05 is dropped
    assert sizes[:-1] == [1.0] * (len(sizes) - 1)


@given(days, st.integers(-2, 2))
def test_shift_years_keeps_the_calendar_day(day: datetime.date, years: int) -> None:
    number = np.array([(day - EPOCH).days])
    shifted = EPOCH + datetime.timedelta(days=int(shift_years(number, np.array([years]))[0]))
    assert shifted.year == day.year + years
    assert shifted.month == day.month
    assert shifted.day == day.day or (day.month, day.day, shifted.day) == (2, 29, 28)


@given(
    day=days,
    precision=st.sampled_from(PRECISIONS[:-1]),
    korean=st.booleans(),
    alternative=st.booleans(),
    earlier_pair=st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_a_told_date_always_holds_the_day_it_was_told_from(
    day: datetime.date, precision: str, korean: bool, alternative: bool, earlier_pair: bool
) -> None:
    table = date_table()
    told = np.array([(day - EPOCH).days])
    index = table.index(
        told,
        np.array([PRECISIONS.index(precision)]),
        np.array([day.year - 1 if earlier_pair else day.year]),
        np.array([korean]),
        np.array([alternative]),
    )
    text = table.strings[index[0]]
    parsed = parse_date(text)
    assert parsed.warning is None, text
    assert parsed.start is not None and parsed.end is not None, text
    assert parsed.start <= day <= parsed.end, (text, day)
    assert parsed.precision.value == precision, text


@given(st.lists(st.integers(0, 5), max_size=20), st.integers(0, 100))
def test_expand_groups_lists_each_group_in_order(counts: list[int], offset: int) -> None:
    n = np.array(counts, dtype=np.int64)
    starts = offset + np.arange(len(n), dtype=np.int64) * 10
    group, rows = expand_groups(starts, n)
    expected = [(g, starts[g] + j) for g, c in enumerate(counts) for j in range(c)]
    assert list(zip(group.tolist(), rows.tolist(), strict=True)) == expected
