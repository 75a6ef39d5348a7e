"""Testimony degradation: how a report departs from what happened.

For each report, the draws here decide what the source got right, what they left out
and what they got wrong: the date's precision (and a year or a month misremembered),
the place (the county, only its province, or another county of the province), the
number of victims (exact, one off, a range, "several"), charges kept or missed, and
which victims are mentioned with what name, sex and age. All choices are integer codes;
``uncounted.simulate.render`` turns them into text in the report's language.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from uncounted.simulate.geography import Geography
from uncounted.simulate.presets import PRECISIONS, Mix, NoiseProfile, Preset
from uncounted.simulate.programmes import HEARD, ReportDraw, expand_groups
from uncounted.simulate.world import (
    CHARGE_CODES,
    METHOD_CODES,
    SITE_CODES,
    TruthDraw,
    draw_categorical,
)

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

PLACE_MODES: tuple[str, ...] = ("county", "province", "somewhere", "neighbour", "none")
COUNT_MODES: tuple[str, ...] = ("exact", "off_by_one", "range", "vague", "none")
FORCED_CODES: tuple[str, ...] = ("yes", "no", "")
RELIABILITY_CODES: tuple[str, ...] = ("", "1", "2", "3", "4", "5")
AGE_FORMS: tuple[str, ...] = ("none", "exact", "decade", "about")
NAME_STYLES: tuple[str, ...] = (
    "hangul", "mr", "mr_plain", "rr", "conventional", "swapped", "spaced", "typo",
)  # fmt: skip
YEARS_PRECISION = PRECISIONS.index("years")


@dataclass
class ReportNoise:
    """What each report tells, as codes (``-1`` is an empty cell)."""

    told_day: IntArray
    precision: IntArray
    years_low: IntArray
    date_alternative: BoolArray
    place_mode: IntArray
    place_unit: IntArray  # county (modes county, neighbour) or province index
    place_latin: BoolArray
    place_pick: IntArray
    site: IntArray
    count_mode: IntArray
    count_low: IntArray
    count_high: IntArray
    charges: IntArray
    method: IntArray
    forced: IntArray
    reliability: IntArray
    narrative_pick: IntArray


@dataclass
class MentionNoise:
    """Victims mentioned in reports, with what is told of them."""

    report: IntArray
    victim: IntArray
    name_style: IntArray  # index into NAME_STYLES, -1 when no name is given
    name_pick: IntArray
    sex: IntArray  # 0 f, 1 m, -1 empty
    age_form: IntArray
    age_value: IntArray
    charge: IntArray  # index into CHARGE_CODES, -1 when empty


def _mix_table(
    profiles: list[NoiseProfile], saw: str, heard: str, codes: tuple[str, ...]
) -> npt.NDArray[np.float64]:
    """Probabilities as (collection, saw/heard, category)."""
    table = np.zeros((len(profiles), 2, len(codes)))
    for i, profile in enumerate(profiles):
        for j, name in enumerate((saw, heard)):
            mix: Mix = getattr(profile, name)
            for code, weight in mix:
                table[i, j, codes.index(code)] = weight
            table[i, j] /= table[i, j].sum()
    return table


def _field(profiles: list[NoiseProfile], name: str) -> npt.NDArray[np.float64]:
    return np.array([float(getattr(p, name)) for p in profiles])


def _by_how(
    profiles: list[NoiseProfile], saw: str, heard: str, coll: IntArray, hw: IntArray
) -> npt.NDArray[np.float64]:
    values = np.stack([_field(profiles, saw), _field(profiles, heard)], axis=1)
    return np.asarray(values[coll, hw])


def shift_years(days: IntArray, years: IntArray) -> IntArray:
    """The same calendar day ``years`` years later (29 February becomes the 28th)."""
    d = days.astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    day_of_month = (d - month).astype(np.int64)
    return shift_months(month.astype(np.int64), day_of_month, 12 * years)


def shift_months(month: IntArray, day_of_month: IntArray, months: IntArray) -> IntArray:
    """Day ``day_of_month`` (0-based, clipped to the month) of ``month + months``."""
    target = (month + months).astype("datetime64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    first = target.astype("datetime64[D]").astype(np.int64)
    return np.asarray(first + np.minimum(day_of_month, length - 1), dtype=np.int64)


def _degrade_dates(
    rng: np.random.Generator,
    profiles: list[NoiseProfile],
    coll: IntArray,
    hw: IntArray,
    true_day: IntArray,
    years_since: npt.NDArray[np.float64],
) -> tuple[IntArray, IntArray, IntArray, BoolArray]:
    n = len(true_day)
    table = _mix_table(profiles, "precision_saw", "precision_heard", PRECISIONS)
    precision = draw_categorical(rng, table[coll, hw])
    coarsen = rng.random(n) < np.minimum(
        0.5, _field(profiles, "coarsen_per_year")[coll] * years_since
    )
    finer = precision < YEARS_PRECISION
    precision = np.where(coarsen & finer, precision + 1, precision)

    p_year = np.minimum(
        _field(profiles, "misremember_max")[coll],
        _field(profiles, "misremember_year")[coll]
        + _field(profiles, "misremember_per_year")[coll] * years_since,
    )
    sign = np.where(rng.random(n) < 0.5, -1, 1)
    year_shift = np.where(rng.random(n) < p_year, sign, 0)
    told = shift_years(true_day, year_shift)
    slip = (rng.random(n) < _field(profiles, "slip_month")[coll]) & (precision <= 1)
    month = told.astype("datetime64[D]").astype("datetime64[M]")
    day_of_month = told - month.astype("datetime64[D]").astype(np.int64)
    month_shift = np.where(slip, np.where(rng.random(n) < 0.5, -1, 1), 0)
    told = np.where(slip, shift_months(month.astype(np.int64), day_of_month, month_shift), told)

    told_year = told.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    years_low = np.where(rng.random(n) < 0.5, told_year, told_year - 1)
    alternative = rng.random(n) < _field(profiles, "alternative_date_form")[coll]
    return told.astype(np.int64), precision, years_low.astype(np.int64), alternative


def _degrade_count(
    rng: np.random.Generator, table: npt.NDArray[np.float64], coll: IntArray, hw: IntArray,
    n_victims: IntArray,
) -> tuple[IntArray, IntArray, IntArray]:  # fmt: skip
    n = len(n_victims)
    mode = draw_categorical(rng, table[coll, hw])
    vague = COUNT_MODES.index("vague")
    mode = np.where((mode == vague) & (n_victims < 2), COUNT_MODES.index("exact"), mode)
    up = rng.random(n) < 0.5
    off = np.where(up | (n_victims == 1), n_victims + 1, n_victims - 1)
    low = np.where(mode == COUNT_MODES.index("off_by_one"), off, n_victims)
    high = low.copy()
    is_range = mode == COUNT_MODES.index("range")
    range_low = np.where(up | (n_victims == 1), n_victims, n_victims - 1)
    low = np.where(is_range, range_low, low)
    high = np.where(is_range, range_low + 1, high)
    return mode, low.astype(np.int64), high.astype(np.int64)


def draw_report_noise(
    rng: np.random.Generator,
    preset: Preset,
    truth: TruthDraw,
    geo: Geography,
    reports: ReportDraw,
    report_collection: IntArray,
) -> ReportNoise:
    """Degrade every report of one shard according to its collection's profile."""
    profiles = [preset.noise_for(c) for c in preset.collection_ids()]
    coll = report_collection
    hw = (reports.how == HEARD).astype(np.int64)
    event = reports.event
    n = len(event)
    true_day = truth.day[event]
    years_since = np.maximum(reports.interview_day - true_day, 0) / 365.25
    told_day, precision, years_low, alternative = _degrade_dates(
        rng, profiles, coll, hw, true_day, years_since
    )

    place_table = _mix_table(profiles, "place_saw", "place_heard", PLACE_MODES)
    place_mode = draw_categorical(rng, place_table[coll, hw])
    county = truth.county[event]
    neighbour_mode = PLACE_MODES.index("neighbour")
    n_siblings = geo.sibling_count[county]
    place_mode = np.where((place_mode == neighbour_mode) & (n_siblings == 0), 0, place_mode)
    pick = (rng.random(n) * np.maximum(n_siblings, 1)).astype(np.int64)
    sibling = geo.sibling_flat[
        np.minimum(geo.sibling_start[county] + pick, len(geo.sibling_flat) - 1)
    ]
    place_unit = np.select(
        [place_mode == 0, place_mode == neighbour_mode, place_mode == PLACE_MODES.index("none")],
        [county, sibling, -1],
        truth.province[event],
    )
    place_latin = ~reports.korean | (rng.random(n) < _field(profiles, "latin_in_korean")[coll])

    site_given = rng.random(n) < _by_how(profiles, "site_saw", "site_heard", coll, hw)
    wrong_site = rng.random(n) < _field(profiles, "site_wrong")[coll]
    other_site = (truth.site[event] + rng.integers(1, len(SITE_CODES), n)) % len(SITE_CODES)
    site = np.where(site_given, np.where(wrong_site, other_site, truth.site[event]), -1)

    count_table = _mix_table(profiles, "count_saw", "count_heard", COUNT_MODES)
    count_mode, count_low, count_high = _degrade_count(
        rng, count_table, coll, hw, truth.n_victims[event]
    )

    keep_p = _by_how(profiles, "charge_keep_saw", "charge_keep_heard", coll, hw)
    wrong_p = _field(profiles, "charge_wrong")[coll]
    true_charges = truth.charges[event]
    charges = np.zeros(n, dtype=np.int64)
    for bit in range(len(CHARGE_CODES)):
        has = (true_charges >> bit) & 1
        kept = has.astype(bool) & (rng.random(n) < keep_p)
        charges |= kept.astype(np.int64) << bit
    wrong = rng.random(n) < wrong_p
    charges |= np.where(wrong, 1 << rng.integers(0, len(CHARGE_CODES), n), 0)

    method_given = rng.random(n) < _by_how(profiles, "method_saw", "method_heard", coll, hw)
    method_wrong = rng.random(n) < _field(profiles, "method_wrong")[coll]
    other_method = (truth.method[event] + rng.integers(1, len(METHOD_CODES), n)) % len(METHOD_CODES)
    method = np.where(method_given, np.where(method_wrong, other_method, truth.method[event]), -1)

    forced = draw_categorical(
        rng, _mix_table(profiles, "forced_saw", "forced_heard", FORCED_CODES)[coll, hw]
    )
    reliability = draw_categorical(
        rng,
        _mix_table(profiles, "reliability_saw", "reliability_heard", RELIABILITY_CODES)[coll, hw],
    )
    return ReportNoise(
        told_day=told_day,
        precision=precision,
        years_low=years_low,
        date_alternative=alternative,
        place_mode=place_mode,
        place_unit=place_unit.astype(np.int64),
        place_latin=place_latin,
        place_pick=rng.integers(0, 1 << 30, n),
        site=site.astype(np.int64),
        count_mode=count_mode,
        count_low=count_low,
        count_high=count_high,
        charges=charges,
        method=method.astype(np.int64),
        forced=forced,
        reliability=reliability,
        narrative_pick=rng.integers(0, 1 << 30, n),
    )


def draw_mentions(
    rng: np.random.Generator,
    preset: Preset,
    truth: TruthDraw,
    reports: ReportDraw,
    report_collection: IntArray,
) -> MentionNoise:
    """Which victims each report mentions (distinct within a report) and what is told."""
    profiles = [preset.noise_for(c) for c in preset.collection_ids()]
    coll = report_collection
    hw = (reports.how == HEARD).astype(np.int64)
    event = reports.event
    n = len(event)
    n_victims = truth.n_victims[event]
    mentions = rng.random(n) < _by_how(profiles, "mention_saw", "mention_heard", coll, hw)
    each = _field(profiles, "mention_each")[coll]
    k = np.where(mentions, 1 + rng.binomial(n_victims - 1, each), 0).astype(np.int64)
    offset = (rng.random(n) * n_victims).astype(np.int64)
    # The k mentioned victims of a report are k consecutive ones (cyclically) from a
    # random first one: distinct, and each victim equally likely to be mentioned.
    report, j = expand_groups(np.zeros(n, dtype=np.int64), k)
    victim = truth.victim_start[event[report]] + (offset[report] + j) % n_victims[report]
    m = len(report)

    rc, rh = coll[report], hw[report]
    named = rng.random(m) < _by_how(profiles, "name_saw", "name_heard", rc, rh)
    style_table = np.zeros((len(profiles), len(NAME_STYLES)))
    for i, profile in enumerate(profiles):
        for code, weight in profile.name_styles:
            style_table[i, NAME_STYLES.index(code)] = weight
        style_table[i] /= style_table[i].sum()
    latin_style = draw_categorical(rng, style_table[rc])
    latin = ~reports.korean[report] | (rng.random(m) < _field(profiles, "latin_in_korean")[rc])
    style = np.where(named, np.where(latin, latin_style, 0), -1)

    true_sex = truth.victim_male[victim].astype(np.int64)
    given = rng.random(m) < _field(profiles, "sex_given")[rc]
    flipped = rng.random(m) < _field(profiles, "sex_wrong")[rc]
    sex = np.where(given, np.where(flipped, 1 - true_sex, true_sex), -1)

    age_table = np.zeros((len(profiles), len(AGE_FORMS)))
    for i, profile in enumerate(profiles):
        for code, weight in profile.age_form:
            age_table[i, AGE_FORMS.index(code)] = weight
        age_table[i] /= age_table[i].sum()
    age_form = draw_categorical(rng, age_table[rc])
    error = np.rint(rng.normal(0.0, 1.0, m) * _field(profiles, "age_error_sd")[rc])
    age_value = np.clip(truth.victim_age[victim] + error, 15, 90).astype(np.int64)

    charges = truth.charges[event[report]]
    lowest = np.log2(charges & -charges).astype(np.int64)
    with_charge = rng.random(m) < _field(profiles, "mention_charge")[rc]
    charge = np.where(with_charge, lowest, -1)
    return MentionNoise(
        report=report,
        victim=victim.astype(np.int64),
        name_style=style.astype(np.int64),
        name_pick=rng.integers(0, 1 << 30, m),
        sex=sex.astype(np.int64),
        age_form=age_form,
        age_value=age_value,
        charge=charge.astype(np.int64),
    )
