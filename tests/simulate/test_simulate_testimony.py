"""What reports tell can be read back by the records parsers, and is wrong only on purpose."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from uncounted.records.counts import parse_age, parse_count
from uncounted.records.dates import Precision, parse_date
from uncounted.records.names import name_keys
from uncounted.records.places import Level, gazetteer, resolve_place
from uncounted.records.vocab import CHARGES, HOW_KNOWN, METHODS, RELIABILITY, SITE_TYPES, VIOLATIONS
from uncounted.simulate import World
from uncounted.simulate.geography import load_geography
from uncounted.simulate.variants import date_table, place_table


def test_every_date_as_told_parses_and_mostly_holds_the_true_date(told: pd.DataFrame) -> None:
    parsed = [parse_date(text) for text in told["date_as_told"]]
    assert all(p.warning is None for p in parsed)
    known = np.array([p.is_known for p in parsed])
    unknown_words = told["date_as_told"].isin(["unknown", "모름"])
    assert (known == ~unknown_words.to_numpy()).all()
    true = told["true_date"].map(datetime.date.fromisoformat)
    contains = np.array(
        [p.start <= t <= p.end for p, t in zip(parsed, true, strict=True) if p.is_known]
    )
    share = contains.mean()
    # Deliberate errors: a year misremembered (3-15 % of interviews, growing with time)
    # and a month slipped (5 % of day and month dates); everything else must hold the
    # true date. Below 0.80 the noise would swamp linkage; above 0.97 there is none.
    assert 0.80 < share < 0.97, share
    by_collection = pd.Series(contains).groupby(told.loc[known, "collection_id"].to_numpy()).mean()
    assert by_collection["C04"] == 1.0  # state media get their own dates right
    assert by_collection["C03"] > by_collection["C01"]  # informants write within weeks


def test_precision_is_spread_over_every_form(told: pd.DataFrame) -> None:
    precision = told["date_as_told"].map(lambda t: parse_date(t).precision)
    shares = precision.value_counts(normalize=True)
    for form in (Precision.DAY, Precision.MONTH, Precision.SEASON, Precision.YEAR,
                 Precision.AROUND, Precision.YEARS, Precision.PART_OF_YEAR):  # fmt: skip
        assert shares.get(form, 0) > 0.01, form


def test_every_date_form_in_the_table_reads_back_to_its_range() -> None:
    table = date_table()
    strings = table.strings.reshape(-1, 2)  # canonical, alternative
    for canonical, alternative in strings[::7]:
        a, b = parse_date(canonical), parse_date(alternative)
        assert a.warning is None and b.warning is None, (canonical, alternative)
        assert (a.start, a.end) == (b.start, b.end), (canonical, alternative)


def test_every_place_as_told_resolves_to_the_truth_or_near_it(told: pd.DataFrame) -> None:
    gaz = gazetteer()
    places = told.dropna(subset=["place_as_told"])
    assert len(places) > 0.9 * len(told)
    exact = province_only = neighbour = 0
    for text, code, iso in zip(
        places["place_as_told"], places["place_code"], places["iso_3166_2"], strict=True
    ):
        place = resolve_place(text)
        assert not place.flagged, text
        assert place.iso_3166_2 == iso, (text, code)
        if place.code == code:
            exact += 1
        elif place.level is Level.PROVINCE:
            province_only += 1
        else:
            assert gaz.get(place.code).parent == iso
            neighbour += 1
    n = len(places)
    # Profiles: 60-97 % the county, the rest the province or a neighbouring county.
    assert 0.7 < exact / n < 0.95
    assert province_only > 0 and neighbour > 0


def test_place_forms_are_almost_all_readable() -> None:
    table = place_table(load_geography())
    # Forms the resolver could not read back are left out; they must stay exceptions.
    assert table.dropped < 0.05 * len(table.strings)


def test_counts_and_ages_as_told_parse(world: World, told: pd.DataFrame) -> None:
    readings = told["victims_as_told"].dropna().map(parse_count)
    assert all(r.ok for r in readings)
    counts = told.dropna(subset=["victims_as_told"])
    low = np.array([r.low for r in readings])
    high = np.array([r.high if r.high is not None else 10**6 for r in readings])
    holds = (low <= counts["n_victims"].to_numpy()) & (counts["n_victims"].to_numpy() <= high)
    # Off by one on purpose in 5-22 % of reports, depending on the collection.
    assert 0.75 < holds.mean() < 0.97
    ages = world.victim_mentions["age_as_told"].dropna().map(parse_age)
    assert len(ages) > 100 and all(a.ok for a in ages)


def test_coded_columns_use_the_vocabularies(world: World) -> None:
    reports = world.reports
    codes = {
        "site_type": SITE_TYPES,
        "method": METHODS,
        "how_known": HOW_KNOWN,
        "violation": VIOLATIONS,
        "reliability": RELIABILITY,
    }
    for column, vocabulary in codes.items():
        assert set(reports[column].dropna()) <= set(vocabulary.codes()), column
    told_charges = reports["charges"].dropna().str.split(";").explode()
    assert set(told_charges) <= set(CHARGES.codes())
    assert set(world.victim_mentions["charges"].dropna()) <= set(CHARGES.codes())
    assert set(reports["forced_attendance"].dropna()) <= {"yes", "no"}
    assert set(reports["language"]) == {"ko", "en"}
    assert (reports["language"] == "ko").mean() > 0.7  # most interviews are in Korean


def test_charges_move_toward_media_and_drugs(world: World) -> None:
    events = world.truth_events
    charges = events.assign(charge=events["charges"].str.split(";")).explode("charge")
    late = charges[charges["year"] >= 2011]["charge"].isin(["media", "drugs"]).mean()
    early = charges[charges["year"] <= 2006]["charge"].isin(["media", "drugs"]).mean()
    assert late > 2 * early


def test_names_as_told_share_a_key_with_the_true_name(world: World) -> None:
    mentions = world.victim_mentions.merge(world.mention_victim, on="mention_id").merge(
        world.truth_victims, on="victim_id"
    )
    named = mentions.dropna(subset=["name_as_told"])
    assert len(named) > 200
    hangul = named["name_as_told"].str.fullmatch(r"[가-힣]+")
    assert 0.5 < hangul.mean() < 0.95  # most accounts are in Korean
    shared = [
        bool(set(name_keys(told)) & set(name_keys(true)))
        for told, true in zip(named["name_as_told"], named["name_hangul"], strict=True)
    ]
    # Typos (about 10 % of romanized names) may break the key; every other form must not.
    assert np.mean(shared) > 0.9
