"""Disclosure control: no published cell rests on fewer than ``k`` reports.

A count built from one or two reports can point at the few people who gave them: the
only interviewee from a county, the one witness of a charge. Such cells are merged into
a neighbouring row where a table has one ("other charges"), and suppressed (left empty,
shown as "suppressed") otherwise. Every table says what it did, and the report lists it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

REPORTS = "reports"


def suppress_small(
    frame: pd.DataFrame, columns: Sequence[str], k: int, what: str
) -> tuple[pd.DataFrame, list[str]]:
    """Empty ``columns`` in rows whose ``reports`` count is below ``k``.

    The ``reports`` column itself is emptied too (it would give the count away).
    Returns the new frame and a note per table that lost cells.
    """
    out = frame.copy()
    small = out[REPORTS] < k
    n = int(small.sum())
    if n == 0:
        return out, []
    for column in (*columns, REPORTS):
        out[column] = out[column].astype("object").where(~small, None)
    out["suppressed"] = small
    return out, [f"{what}: {n} cell(s) from fewer than {k} reports suppressed"]


def merge_small(
    frame: pd.DataFrame,
    key: str,
    other: str,
    columns: Sequence[str],
    k: int,
    what: str,
    by: Sequence[str] = (),
) -> tuple[pd.DataFrame, list[str]]:
    """Merge rows with fewer than ``k`` reports into one ``other`` row (within each ``by``
    group), then suppress any row still below ``k``."""
    notes: list[str] = []
    small = frame[REPORTS] < k
    merged_rows = int(small.sum())
    if merged_rows:
        kept = frame[~small]
        pooled = (
            frame[small].groupby(list(by), sort=True)[[*columns, REPORTS]].sum().reset_index()
            if by
            else frame[small][[*columns, REPORTS]].sum().to_frame().T
        )
        pooled[key] = other
        frame = pd.concat([kept, pooled], ignore_index=True)
        frame = frame.groupby([*by, key], sort=True)[[*columns, REPORTS]].sum().reset_index()
        notes.append(
            f"{what}: {merged_rows} row(s) from fewer than {k} reports merged into '{other}'"
        )
    out, more = suppress_small(frame, columns, k, what)
    return out, notes + more
