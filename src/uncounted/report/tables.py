"""The published tables, with disclosure control applied (one CSV each in ``tables/``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from uncounted.report.claims import population, reference_rates
from uncounted.report.disclosure import REPORTS, merge_small, suppress_small
from uncounted.report.headline import Headline
from uncounted.report.i18n import province_name
from uncounted.report.people import PERIOD_YEARS
from uncounted.report.settings import ReportSettings
from uncounted.report.strata import STRATUM

UNKNOWN = "unknown"


@dataclass
class PublicTables:
    """Every table of the report, ready to publish, and what disclosure control did."""

    by_year: pd.DataFrame
    strata: pd.DataFrame
    provinces: pd.DataFrame
    charges: pd.DataFrame
    how_known: pd.DataFrame
    coverage: pd.DataFrame
    patterns: pd.DataFrame
    rates: pd.DataFrame
    disclosure: list[str] = field(default_factory=list)

    def named(self) -> dict[str, pd.DataFrame]:
        """Tables by file stem."""
        return {
            "by_year": self.by_year,
            "strata": self.strata,
            "provinces": self.provinces,
            "charges": self.charges,
            "how_known": self.how_known,
            "coverage": self.coverage,
            "patterns": self.patterns,
            "rates": self.rates,
        }


def period_label(year: int, first: int) -> str:
    """The five-year block a year falls in, as ``2000-2004``."""
    start = first + (year - first) // PERIOD_YEARS * PERIOD_YEARS
    return f"{start}-{start + PERIOD_YEARS - 1}"


def public_tables(
    events: pd.DataFrame,
    linked: pd.DataFrame,
    headline: Headline,
    collections: pd.DataFrame,
    settings: ReportSettings,
    truth: dict[str, Any] | None,
) -> PublicTables:
    """Build every table; ``linked`` is one row per report of an event of the period."""
    k = settings.min_cell
    notes: list[str] = []
    first = settings.period[0]

    by_year = headline.by_year.copy()
    dated = events[events["year_known"].astype(bool)]
    reports_by_year = dated.groupby(dated["year"].astype(int))["n_reports"].sum()
    by_year[REPORTS] = by_year["year"].map(reports_by_year).fillna(0).astype(int)
    if truth is not None:
        truth_years = {int(r["year"]): r for r in truth["by_year"]}
        by_year["truth_events"] = [truth_years.get(y, {}).get("events") for y in by_year["year"]]
        by_year["truth_people"] = [truth_years.get(y, {}).get("people") for y in by_year["year"]]
    by_year, more = suppress_small(by_year, ["documented"], k, "documented events by year")
    notes += more

    strata = headline.strata.copy()
    strata[REPORTS] = strata[STRATUM].map(events.groupby(STRATUM)["n_reports"].sum()).astype(int)
    strata, more = suppress_small(strata, ["documented", "people_documented"], k, "strata")
    notes += more

    provinces = (
        events.assign(province=events["province"].fillna(UNKNOWN))
        .groupby("province")
        .agg(events=("event_id", "size"), reports=("n_reports", "sum"))
        .reset_index()
    )
    provinces["name_en"] = [province_name(p, "en") for p in provinces["province"]]
    provinces["name_ko"] = [province_name(p, "ko") for p in provinces["province"]]
    if truth is not None and "by_province" in truth:
        provinces["truth_events"] = provinces["province"].map(truth["by_province"])
    provinces, more = suppress_small(provinces, ["events"], k, "documented events by province")
    notes += more

    charges = _charges(events, first)
    charges, more = merge_small(
        charges, "charge", "other_charges", ["events"], k, "charges by period", by=["period"]
    )
    notes += more

    how = linked.assign(
        period=[period_label(int(y), first) if pd.notna(y) else UNKNOWN for y in linked["year"]],
        how_known=linked["how_known"].replace("", UNKNOWN).fillna(UNKNOWN),
    )
    how_known = how.groupby(["period", "how_known"]).size().rename(REPORTS).reset_index()
    how_known, more = suppress_small(how_known, [], k, "reports by how the source knew")
    notes += more

    coverage = _coverage(events, linked, collections)
    coverage, more = suppress_small(coverage, ["events"], k, "coverage by collection")
    notes += more

    lists = [str(c) for c in collections["collection_id"]]
    patterns = (
        events.assign(
            combination=[
                " + ".join(c for c in lists if row[c]) for row in events[lists].to_dict("records")
            ]
        )
        .groupby("combination")
        .agg(events=("event_id", "size"), reports=("n_reports", "sum"))
        .reset_index()
        .sort_values("events", ascending=False)
    )
    patterns, more = merge_small(
        patterns, "combination", "other combinations", ["events"], k, "capture combinations"
    )
    patterns = patterns.sort_values("events", ascending=False, na_position="last")
    notes += more

    rates = _rates(headline, settings)
    if truth is not None:
        people = {int(r["year"]): r["people"] for r in truth["by_year"]}
        rates["truth_per_million"] = [
            round(people.get(int(y), 0) / (population("KP", int(y)) / 1e6), 3)
            for y in rates["year"]
        ]
    return PublicTables(
        by_year=by_year,
        strata=strata,
        provinces=provinces,
        charges=charges,
        how_known=how_known,
        coverage=coverage,
        patterns=patterns.reset_index(drop=True),
        rates=rates,
        disclosure=notes,
    )


def _charges(events: pd.DataFrame, first: int) -> pd.DataFrame:
    rows = []
    for event in events.to_dict("records"):
        year = event["year"]
        period = period_label(int(year), first) if pd.notna(year) else UNKNOWN
        charges = [c for c in str(event["charges"] or "").split(";") if c] or [UNKNOWN]
        for charge in charges:
            rows.append({"period": period, "charge": charge, "reports": event["n_reports"]})
    frame = pd.DataFrame(rows, columns=["period", "charge", REPORTS])
    return (
        frame.groupby(["period", "charge"])
        .agg(events=(REPORTS, "size"), reports=(REPORTS, "sum"))
        .reset_index()
    )


def _coverage(
    events: pd.DataFrame, linked: pd.DataFrame, collections: pd.DataFrame
) -> pd.DataFrame:
    rows = []
    for c in collections.to_dict("records"):
        cid = str(c["collection_id"])
        rows.append(
            {
                "collection": cid,
                "name": c["name"],
                "kind": c["kind"],
                "events": int(events[cid].sum()) if cid in events else 0,
                REPORTS: int((linked["collection_id"] == cid).sum()),
            }
        )
    return pd.DataFrame(rows)


def _rates(headline: Headline, settings: ReportSettings) -> pd.DataFrame:
    """People executed per million population per year: ours and the United States'."""
    us = reference_rates()["executions"]["US"]["by_year"]
    rows = []
    for row in headline.by_year.to_dict("records"):
        year = int(row["year"])
        millions = population("KP", year) / 1e6
        us_count = us.get(str(year))
        rows.append(
            {
                "year": year,
                "kp_per_million": round(row["people"] / millions, 3),
                "kp_lower": round(row["people_lower"] / millions, 3),
                "kp_upper": round(row["people_upper"] / millions, 3),
                "kp_population_millions": round(millions, 3),
                "us_executions": us_count,
                "us_per_million": None
                if us_count is None
                else round(us_count / (population("US", year) / 1e6), 4),
                "us_population_millions": round(population("US", year) / 1e6, 3),
            }
        )
    return pd.DataFrame(rows)
