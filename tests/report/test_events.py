"""Documented events from linked reports: dates, places, victims, captures."""

from __future__ import annotations

import pandas as pd
import pytest

from uncounted.report.events import build_events

LISTS = ["C01", "C02", "C03"]


def report(report_id: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "report_id": report_id,
        "source_id": f"S{report_id}",
        "collection_id": "C01",
        "date_start": None,
        "date_end": None,
        "place_code": None,
        "place_iso": "",
        "place_level": "",
        "victims_min": None,
        "victims_max": None,
        "charges": "",
        "how_known": "saw",
    }
    row.update(values)
    return row


def frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    for column in ("date_start", "date_end"):
        out[column] = pd.to_datetime(out[column])
    for column in ("victims_min", "victims_max"):
        out[column] = out[column].astype("Int64")
    return out


def links(pairs: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"report_id": list(pairs), "event_id": list(pairs.values())})


def test_year_comes_from_the_narrowest_date_told() -> None:
    reports = frame(
        [
            report("1", date_start="2004-01-01", date_end="2006-12-31"),  # "around 2005"
            report("2", date_start="2006-03-14", date_end="2006-03-14"),  # a day
        ]
    )
    events = build_events(reports, links({"1": "E", "2": "E"}), LISTS, (2000, 2014))
    assert events.loc[0, "year"] == 2006
    assert bool(events.loc[0, "year_known"])


def test_an_event_dated_only_vaguely_has_no_known_year() -> None:
    reports = frame([report("1", date_start="2000-01-01", date_end="2009-12-31")])
    events = build_events(reports, links({"1": "E"}), LISTS, (2000, 2014))
    assert not bool(events.loc[0, "year_known"])


def test_a_year_just_outside_the_period_is_a_slip_and_further_out_is_dropped() -> None:
    reports = frame(
        [
            report("1", date_start="1999-05-01", date_end="1999-05-31"),
            report("2", date_start="1995-05-01", date_end="1995-05-31"),
        ]
    )
    events = build_events(reports, links({"1": "A", "2": "B"}), LISTS, (2000, 2014))
    assert list(events["event_id"]) == ["A"]
    assert events.loc[0, "year"] == 2000


def test_province_is_the_one_most_reports_name_and_county_within_it() -> None:
    reports = frame(
        [
            report("1", place_iso="KP-10", place_level="province"),
            report("2", place_iso="KP-10", place_code="KP-10-hyesan", place_level="county"),
            report("3", place_iso="KP-09", place_code="KP-09-musan", place_level="county"),
        ]
    )
    events = build_events(reports, links({"1": "E", "2": "E", "3": "E"}), LISTS, (2000, 2014))
    assert events.loc[0, "province"] == "KP-10"
    assert events.loc[0, "county"] == "KP-10-hyesan"
    assert events.loc[0, "region"] == "KP-10"


def test_victims_are_the_exact_number_most_reports_agree_on_the_smaller_on_a_tie() -> None:
    reports = frame(
        [
            report("1", victims_min=2, victims_max=2),
            report("2", victims_min=1, victims_max=1),
            report("3", victims_min=2, victims_max=9),  # "several"
            report("4", victims_min=3, victims_max=3),
            report("5", victims_min=3, victims_max=3),
            report("6", victims_min=2, victims_max=3),
        ]
    )
    events = build_events(
        reports,
        links({"1": "tie", "2": "tie", "3": "vague", "4": "three", "5": "three", "6": "range"}),
        LISTS,
        (2000, 2014),
    ).set_index("event_id")
    assert events.loc["tie", "victims"] == 1
    assert events.loc["three", "victims"] == 3
    assert events.loc["vague", "victims"] == 5  # middle of 2-9, rounded down
    assert events.loc["range", "victims"] == 2
    assert events["victims_known"].all()


def test_no_number_told_leaves_victims_unknown() -> None:
    events = build_events(frame([report("1")]), links({"1": "E"}), LISTS, (2000, 2014))
    assert pd.isna(events.loc[0, "victims"])
    assert not bool(events.loc[0, "victims_known"])


def test_capture_columns_mark_every_collection_that_documented_the_event() -> None:
    reports = frame(
        [
            report("1", collection_id="C01"),
            report("2", collection_id="C01"),
            report("3", collection_id="C03"),
            report("4", collection_id="C02"),
        ]
    )
    events = build_events(
        reports, links({"1": "A", "2": "A", "3": "A", "4": "B"}), LISTS, (2000, 2014)
    ).set_index("event_id")
    assert events.loc["A", LISTS].tolist() == [1, 0, 1]
    assert events.loc["B", LISTS].tolist() == [0, 1, 0]
    assert events.loc["A", "n_reports"] == 3
    assert events.loc["A", "n_sources"] == 3


def test_charges_are_those_at_least_half_the_reports_name() -> None:
    reports = frame(
        [
            report("1", charges="murder;theft_state_property"),
            report("2", charges="murder"),
            report("3", charges="drugs"),
        ]
    )
    events = build_events(reports, links({"1": "E", "2": "E", "3": "E"}), LISTS, (2000, 2014))
    assert events.loc[0, "charges"] == "murder"


@pytest.mark.parametrize("unlinked", [True, False])
def test_reports_without_a_link_are_left_out(unlinked: bool) -> None:
    reports = frame([report("1"), report("2")])
    pairs = {"1": "E"} if unlinked else {"1": "E", "2": "F"}
    events = build_events(reports, links(pairs), LISTS, (2000, 2014))
    assert len(events) == (1 if unlinked else 2)
