"""Documented events: what the linked reports of each event say, one row per event.

Linkage says which reports describe the same event; this module reads the reports of
each event together: when it happened (the narrowest date told), where (the most often
told province, and county when one was told), how many were killed (what the reports
that give a number agree on), the charges, and which collections captured it. The
capture columns are the input of multiple systems estimation.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from uncounted.records.places import gazetteer

UNKNOWN = "unknown"
# A told date spanning more than this many days does not pin an event to a year.
_MAX_SPAN_FOR_YEAR = 2 * 366


def build_events(
    reports: pd.DataFrame,
    report_event: pd.DataFrame,
    collections: Sequence[str],
    period: tuple[int, int],
) -> pd.DataFrame:
    """One row per documented event of the period, from its linked reports.

    Parameters
    ----------
    reports : pandas.DataFrame
        The casebook's reports (``uncounted.pipeline.casebook.REPORT_COLUMNS``).
    report_event : pandas.DataFrame
        ``report_id, event_id``: the linkage. Reports without a row are left out.
    collections : sequence of str
        Collection ids, in the order of the capture columns.
    period : (int, int)
        First and last year. An event whose reports place it a year outside the period
        is counted in its nearest year (a misremembered year is the commonest slip);
        events further out are dropped.

    Returns
    -------
    pandas.DataFrame
        ``event_id, year, year_known, province, county, region, victims, victims_known,
        charges, n_reports, n_sources``, a 0/1 column per collection, and ``how_known``
        (the ``;``-joined ways the sources knew).
    """
    linked = reports.merge(report_event[["report_id", "event_id"]], on="report_id", how="inner")
    if linked.empty:
        return _empty(collections)
    linked = linked.assign(
        span=(linked["date_end"] - linked["date_start"]).dt.days,
        middle=linked["date_start"] + (linked["date_end"] - linked["date_start"]) / 2,
    )
    grouped = linked.groupby("event_id", sort=True)
    events = pd.DataFrame(index=pd.Index(sorted(linked["event_id"].unique()), name="event_id"))
    events["year"], events["year_known"] = _years(linked)
    events["province"], events["county"] = _places(linked)
    events["victims"], events["victims_known"] = _victims(linked)
    events["charges"] = grouped["charges"].agg(_most_told_charges)
    events["n_reports"] = grouped.size()
    events["n_sources"] = grouped["source_id"].nunique()
    events["how_known"] = grouped["how_known"].agg(
        lambda s: ";".join(sorted({v for v in s if isinstance(v, str) and v}))
    )
    captured = pd.crosstab(linked["event_id"], linked["collection_id"]).clip(upper=1)
    for collection in collections:
        column = captured.get(collection, pd.Series(0, index=captured.index))
        events[collection] = column.reindex(events.index, fill_value=0).astype(int)

    first, last = period
    year = events["year"]
    keep = year.isna() | year.between(first - 1, last + 1)
    events = events[keep].copy()
    events["year"] = events["year"].clip(first, last)
    events["region"] = events["province"].map(_region_of).fillna(UNKNOWN)
    return events.reset_index()


def _empty(collections: Sequence[str]) -> pd.DataFrame:
    columns = [
        "event_id",
        "year",
        "year_known",
        "province",
        "county",
        "victims",
        "victims_known",
        "charges",
        "n_reports",
        "n_sources",
        "how_known",
        *collections,
        "region",
    ]
    return pd.DataFrame(columns=columns)


def _years(linked: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Year of the middle of the narrowest date told; NA when none pins a year."""
    dated = linked[linked["span"].notna() & (linked["span"] <= _MAX_SPAN_FOR_YEAR)]
    best = dated.sort_values(["event_id", "span", "report_id"]).drop_duplicates("event_id")
    year = best.set_index("event_id")["middle"].dt.year
    index = pd.Index(sorted(linked["event_id"].unique()), name="event_id")
    year = year.reindex(index).astype("Int64")
    return year, year.notna()


def _places(linked: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The province most reports name (ties: the one named at county level first), and the
    county most reports name within it."""
    index = pd.Index(sorted(linked["event_id"].unique()), name="event_id")
    placed = linked[linked["place_iso"].fillna("") != ""]
    if placed.empty:
        return pd.Series(pd.NA, index=index, dtype="object"), pd.Series(
            pd.NA, index=index, dtype="object"
        )
    votes = (
        placed.assign(county_level=placed["place_level"] == "county")
        .groupby(["event_id", "place_iso"])
        .agg(n=("report_id", "size"), county=("county_level", "sum"))
        .reset_index()
        .sort_values(["event_id", "n", "county", "place_iso"], ascending=[True, False, False, True])
        .drop_duplicates("event_id")
        .set_index("event_id")["place_iso"]
    )
    province = votes.reindex(index)
    counties = placed[placed["place_level"] == "county"]
    same = counties["place_iso"].to_numpy() == province.reindex(counties["event_id"]).to_numpy()
    counties = counties[same]
    county = (
        counties.groupby(["event_id", "place_code"])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["event_id", "n", "place_code"], ascending=[True, False, True])
        .drop_duplicates("event_id")
        .set_index("event_id")["place_code"]
        .reindex(index)
    )
    return province.astype("object"), county.astype("object")


def _victims(linked: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Victims of each event: the number most reports that give an exact number agree on
    (the smaller on a tie: a witness misremembering one victim says two, never none),
    else the middle of the narrowest range told; NA when no report gives a number."""
    index = pd.Index(sorted(linked["event_id"].unique()), name="event_id")
    low = linked["victims_min"].astype("Float64")
    high = linked["victims_max"].astype("Float64")
    told = linked.assign(low=low, high=high)[low.notna() & high.notna()]
    exact = told[told["low"] == told["high"]]
    from_exact = (
        exact.groupby(["event_id", "low"])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["event_id", "n", "low"], ascending=[True, False, True])
        .drop_duplicates("event_id")
        .set_index("event_id")["low"]
    )
    ranged = told.assign(width=told["high"] - told["low"], mid=(told["low"] + told["high"]) / 2)
    from_ranges = (
        ranged.sort_values(["event_id", "width", "mid"])
        .drop_duplicates("event_id")
        .set_index("event_id")["mid"]
    )
    victims = from_exact.reindex(index).fillna(from_ranges.reindex(index)).astype("float64")
    victims = victims.clip(lower=1.0).apply(np.floor)
    known = victims.notna()
    return pd.Series(victims, index=index).astype("Int64"), known


def _most_told_charges(values: pd.Series) -> str:
    """The charges at least half the reports that name any charge agree on (at least one)."""
    named = [set(v.split(";")) - {""} for v in values if isinstance(v, str) and v]
    if not named:
        return ""
    counts: dict[str, int] = {}
    for charges in named:
        for charge in charges:
            counts[charge] = counts.get(charge, 0) + 1
    top = max(counts.values())
    chosen = {c for c, n in counts.items() if n * 2 >= len(named)} or {
        c for c, n in counts.items() if n == top
    }
    return ";".join(sorted(chosen))


def _region_of(iso: object) -> str | None:
    if not isinstance(iso, str) or not iso:
        return None
    return iso if iso in _provinces() else None


@lru_cache(maxsize=1)
def _provinces() -> frozenset[str]:
    return frozenset(u.code for u in gazetteer().provinces())
