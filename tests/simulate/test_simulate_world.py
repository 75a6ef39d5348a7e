"""A simulated world: reproducible, consistent with its truth, shaped like the real case."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.simulate.worlds import SEED

from uncounted.errors import ConfigurationError
from uncounted.simulate import World, simulate_world, write_world
from uncounted.simulate.shards import shard_sizes
from uncounted.simulate.writer import RECORDED_FILES, TRUTH_FILES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "data-format.md"


def _documented_columns() -> dict[str, list[str]]:
    """Columns of each file as docs/data-format.md lists them (tables and truth bullets)."""
    text = DOCS.read_text(encoding="utf-8")
    columns: dict[str, list[str]] = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        heading = section.split("\n", 1)[0]
        name = heading.split()[0]
        if name.endswith(".csv"):
            columns[name] = re.findall(r"^\| `([a-z_0-9]+)` \|", section, flags=re.M)
    for name, listed in re.findall(r"^- `(truth/[a-z_]+\.csv)`: `([^`]+)`", text, flags=re.M):
        columns[name] = [c.split("(")[0].strip() for c in listed.split(",")]
    return columns


def test_files_have_exactly_the_documented_columns(world_dir: Path) -> None:
    documented = _documented_columns()
    for name in [*RECORDED_FILES.values(), *TRUTH_FILES.values()]:
        header = (world_dir / name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert header.replace('"', "").split(",") == documented[name], name


def test_files_read_back_as_the_world_tables(world: World, world_dir: Path) -> None:
    # Narratives hold commas, quotes are doubled, Korean is UTF-8: a CSV reader must get
    # back exactly the library's tables (empty cells for missing values).
    for attribute, name in {**RECORDED_FILES, **TRUTH_FILES}.items():
        read = pd.read_csv(world_dir / name, dtype=str, keep_default_na=False, encoding="utf-8")
        expected = (
            getattr(world, attribute).astype(object).where(getattr(world, attribute).notna(), "")
        )
        expected = expected.astype(str)
        pd.testing.assert_frame_equal(read, expected, check_dtype=False, obj=name)


def test_same_seed_same_bytes_other_seed_other_world(world: World, tmp_path: Path) -> None:
    write_world(simulate_world(SEED), tmp_path / "a")
    write_world(simulate_world(SEED), tmp_path / "b")
    names = [*RECORDED_FILES.values(), *TRUTH_FILES.values(), "truth/world.json"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    other = simulate_world(SEED + 1, scale=0.3)
    assert (
        not other.reports["date_as_told"].head(200).equals(world.reports["date_as_told"].head(200))
    )


def test_first_shard_of_a_bigger_world_is_the_scale_one_world(world: World) -> None:
    bigger = simulate_world(SEED, scale=2)
    for attribute in ("truth_events", "sources", "reports", "victim_mentions", "report_event"):
        small = getattr(world, attribute)
        head = getattr(bigger, attribute).head(len(small))
        pd.testing.assert_frame_equal(head, small, obj=attribute)
    shards = bigger.params["shards"]
    assert [s["shard"] for s in shards] == [0, 1]
    assert shards[1]["first_report"] == len(world.reports) + 1
    assert set(bigger.truth_events["shard"]) == {0, 1}


def test_every_report_is_one_event_and_every_mention_one_victim_of_it(world: World) -> None:
    reports, mentions = world.reports, world.victim_mentions
    assert world.report_event["report_id"].is_unique
    assert set(world.report_event["report_id"]) == set(reports["report_id"])
    assert set(world.report_event["event_id"]) <= set(world.truth_events["event_id"])
    assert world.mention_victim["mention_id"].is_unique
    assert set(world.mention_victim["mention_id"]) == set(mentions["mention_id"])

    linked = mentions.merge(world.mention_victim, on="mention_id").merge(
        world.truth_victims[["victim_id", "event_id"]], on="victim_id"
    )
    linked = linked.merge(world.report_event, on="report_id", suffixes=("_victim", "_report"))
    assert len(linked) == len(mentions)
    assert (linked["event_id_victim"] == linked["event_id_report"]).all()
    # A report names each victim once.
    assert not linked.duplicated(["report_id", "victim_id"]).any()


def test_victims_per_event_match_the_truth(world: World) -> None:
    counts = world.truth_victims.groupby("event_id").size()
    events = world.truth_events.set_index("event_id")
    assert (counts.reindex(events.index) == events["n_victims"]).all()


def test_no_source_tells_an_event_twice(told: pd.DataFrame) -> None:
    assert not told.duplicated(["source_id", "event_id"]).any()


def test_interviewees_tell_only_what_happened_before_they_left(
    world: World, told: pd.DataFrame
) -> None:
    sources = world.sources.set_index("source_id")
    interviewed = told[told["source_id"].map(sources["kind"]) == "interviewee"]
    departure = interviewed["source_id"].map(sources["departure_year"]).astype(int)
    assert (interviewed["year"] <= departure).all()
    assert (interviewed["true_date"] < interviewed["interview_date"]).all()
    every = told["true_date"] <= told["interview_date"]
    assert every.all()
    # Waves: the interview year of each interviewee is the year of their interview date.
    years = interviewed["interview_date"].str[:4].astype(int)
    assert (years == interviewed["source_id"].map(sources["interview_year"])).all()


def test_yearly_shape_peaks_in_2008_or_2009() -> None:
    # Four shards, so that Poisson noise (sd about 10 on 90 events a year) cannot move
    # the peak: the preset's expected people are 161 and 160 in 2008-2009, 135 in 2007.
    world = simulate_world(SEED, scale=4)
    people = world.truth_events.groupby("year")["n_victims"].sum()
    assert people.idxmax() in (2008, 2009)
    assert people.loc[2012] < people.loc[2008] / 2
    per_shard_total = people.sum() / 4
    # KINU: 1,382 people 2000-2014; the preset's expectation is 1,398.
    assert 1_200 < per_shard_total < 1_600


def test_the_scale_one_world_is_a_few_thousand_reports(world: World) -> None:
    totals = world.params["totals"]
    assert 2_500 <= totals["reports"] <= 6_000
    assert 600 <= totals["events"] <= 1_100
    by_collection = world.reports.groupby("collection_id").size()
    assert list(by_collection.index) == ["C01", "C02", "C03", "C04"]
    assert by_collection["C01"] > by_collection["C02"] > by_collection["C03"] > by_collection["C04"]
    assert by_collection["C04"] <= 40  # official announcements stay rare


def test_collections_capture_different_events(world: World, told: pd.DataFrame) -> None:
    from uncounted.records.places import resolve_place

    captured = told.groupby(["event_id", "collection_id"]).size().unstack(fill_value=0) > 0
    # The press archive hears from informants in a few (mostly border) cities: only
    # events of their provinces reach it.
    informants = world.sources[world.sources["collection_id"] == "C03"]
    provinces = {resolve_place(p).iso_3166_2 for p in informants["origin_place"]}
    assert provinces <= {"KP-09", "KP-10", "KP-03", "KP-04", "KP-08", "KP-02"}
    province = told.drop_duplicates("event_id").set_index("event_id")["iso_3166_2"]
    press = captured["C03"]
    assert province[press[press].index].isin(provinces).all()
    # Overlaps exist, but no collection holds all the others.
    assert (captured["C01"] & captured["C02"]).sum() > 0
    assert (~captured["C01"] & captured["C02"]).sum() > 0
    assert (~captured["C01"] & captured["C03"]).sum() > 0
    # The press is mostly recent: founded in the mid-2000s.
    press_years = told[told["collection_id"] == "C03"]["year"]
    assert press_years.min() >= 2005


def test_interviewees_are_mostly_women_from_the_northern_border(world: World) -> None:
    from uncounted.records.places import resolve_place

    interviewees = world.sources[world.sources["kind"] == "interviewee"]
    assert 0.75 < (interviewees["sex"] == "f").mean() < 0.85
    provinces = interviewees["origin_place"].map(lambda text: resolve_place(text).iso_3166_2)
    share = provinces.value_counts(normalize=True)
    assert share["KP-09"] + share["KP-10"] > 0.6
    assert share.get("KP-01", 0.0) < 0.05


def _hangul_windows(text: str, width: int) -> set[str]:
    """Every run of ``width`` consecutive Hangul syllables in ``text``."""
    windows: set[str] = set()
    for run in re.findall(r"[가-힣]+", text):
        windows.update(run[i : i + width] for i in range(len(run) - width + 1))
    return windows


def test_identities_appear_only_in_sources(world_dir: Path, world: World) -> None:
    names = set(world.sources["real_name"].dropna())
    contacts = set(world.sources["contact"].dropna())
    assert len(names) > 1_000 and len(contacts) > 1_000
    assert {len(n) for n in names} == {3}  # surname + two-syllable given name
    contact_like = re.compile(r"@example\.org|010-0\d{3}-\d{4}")
    others = [*RECORDED_FILES.values(), *TRUTH_FILES.values(), "truth/world.json"]
    for name in others:
        if name == "sources.csv":
            continue
        text = (world_dir / name).read_text(encoding="utf-8")
        header = text.split("\n", 1)[0]
        assert "real_name" not in header and "contact" not in header, name
        assert not (_hangul_windows(text, 3) & names), f"a source's name appears in {name}"
        assert contact_like.search(text) is None, f"a contact appears in {name}"
    # Pseudonyms are unique and say nothing about the person.
    assert world.sources["pseudonym"].is_unique
    assert world.sources["pseudonym"].str.fullmatch(r"[A-Z]-(\d{4}-)?\d{4,}").all()


def test_scale_is_checked() -> None:
    assert shard_sizes(1) == [1.0]
    assert shard_sizes(2.5) == [1.0, 1.0, 0.5]
    assert shard_sizes(0.3) == [0.3]
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ConfigurationError):
            shard_sizes(bad)
    with pytest.raises(ConfigurationError, match="nk-2000-2014"):
        simulate_world(1, preset="nowhere")


def test_world_json_holds_what_made_the_world(world: World, world_dir: Path) -> None:
    import json

    import uncounted

    saved = json.loads((world_dir / "truth" / "world.json").read_text(encoding="utf-8"))
    assert saved["seed"] == SEED and saved["scale"] == 1.0
    assert saved["preset"] == "nk-2000-2014"
    assert saved["version"] == uncounted.__version__
    assert saved["totals"]["reports"] == len(world.reports)
    assert saved["parameters"]["truth"]["people_per_year"][8] == 161
    assert np.isclose(saved["shards"][0]["size"], 1.0)
