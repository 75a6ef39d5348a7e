"""The truth of a simulated world: which executions happened, where, when, to whom.

One call draws one shard (an independent replica of the country over the period) as
numpy arrays; nothing here is a string, so that a million-report world stays fast. The
arrays are rendered into tables by ``uncounted.simulate.render``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from uncounted.records.vocab import CHARGES, METHODS, SITE_TYPES
from uncounted.simulate.geography import Geography
from uncounted.simulate.names import NamePool
from uncounted.simulate.presets import Mix, TruthParams

IntArray = npt.NDArray[np.int64]

CHARGE_CODES: tuple[str, ...] = tuple(CHARGES.codes())
METHOD_CODES: tuple[str, ...] = tuple(METHODS.codes())
SITE_CODES: tuple[str, ...] = tuple(SITE_TYPES.codes())


def year_starts(years: IntArray) -> IntArray:
    """Day number of 1 January of each year."""
    as_years = (np.asarray(years, dtype=np.int64) - 1970).astype("datetime64[Y]")
    return np.asarray(as_years.astype("datetime64[D]").astype(np.int64))


def mix_probabilities(mix: Mix, codes: tuple[str, ...]) -> npt.NDArray[np.float64]:
    """A categorical mix as probabilities over ``codes`` (codes not in the mix get 0)."""
    p = np.zeros(len(codes))
    for code, weight in mix:
        p[codes.index(code)] = weight
    return np.asarray(p / p.sum(), dtype=np.float64)


def draw_categorical(rng: np.random.Generator, probabilities: npt.NDArray[np.float64]) -> IntArray:
    """One category per row of a (rows x categories) probability matrix."""
    cumulative = np.cumsum(probabilities, axis=1)
    u = rng.random(len(probabilities)) * cumulative[:, -1]
    return np.asarray((u[:, None] > cumulative).sum(axis=1), dtype=np.int64)


@dataclass
class TruthDraw:
    """Events and victims of one shard; victims of event ``e`` are contiguous."""

    day: IntArray
    year: IntArray
    county: IntArray
    province: IntArray
    n_victims: IntArray
    charges: IntArray  # bit i set: CHARGE_CODES[i]
    method: IntArray
    site: IntArray
    victim_event: IntArray
    victim_start: IntArray  # first victim of each event
    victim_male: npt.NDArray[np.bool_]
    victim_age: IntArray
    victim_surname: IntArray
    victim_given: IntArray

    @property
    def n_events(self) -> int:
        return len(self.day)


def _charge_mix_by_year(truth: TruthParams, years: IntArray) -> npt.NDArray[np.float64]:
    early = mix_probabilities(truth.charge_mix_early, CHARGE_CODES)
    late = mix_probabilities(truth.charge_mix_late, CHARGE_CODES)
    first, last = truth.charge_shift_years
    share_late = np.clip((years - first) / max(last - first, 1), 0.0, 1.0)[:, None]
    return np.asarray((1 - share_late) * early + share_late * late)


def draw_truth(
    rng: np.random.Generator,
    geo: Geography,
    truth: TruthParams,
    county_weight: npt.NDArray[np.float64],
    names: NamePool,
    size: float,
) -> TruthDraw:
    """Draw the events and victims of one shard.

    Events a year are Poisson with mean ``people_per_year / mean victims * size``; each
    event has 1 + NegBin victims, one or two charges from a mix that moves toward media
    and drug charges over ``charge_shift_years``, a method and a site type, a day drawn
    uniformly in its year and a county drawn with ``county_weight``.
    """
    years_span = np.arange(truth.first_year, truth.last_year + 1)
    people = np.asarray(truth.people_per_year, dtype=float)
    if len(people) != len(years_span):
        raise ValueError("people_per_year must have one value per year of the period")
    per_year = rng.poisson(people / (1.0 + truth.extra_victims_mean) * size)
    year = np.repeat(years_span, per_year).astype(np.int64)
    n = len(year)
    starts = year_starts(years_span)
    lengths = year_starts(years_span + 1) - starts
    offset = (rng.random(n) * np.repeat(lengths, per_year)).astype(np.int64)
    day = np.repeat(starts, per_year) + offset
    order = np.argsort(day, kind="stable")
    day, year = day[order], year[order]

    county = rng.choice(geo.n_counties, size=n, p=county_weight).astype(np.int64)
    r = truth.extra_victims_dispersion
    extra = rng.negative_binomial(r, r / (r + truth.extra_victims_mean), size=n)
    n_victims = np.minimum(1 + extra, truth.max_victims).astype(np.int64)

    charge_p = _charge_mix_by_year(truth, year)
    first = draw_categorical(rng, charge_p)
    second_p = charge_p.copy()
    second_p[np.arange(n), first] = 0.0
    second = draw_categorical(rng, second_p)
    has_second = rng.random(n) < truth.second_charge_probability
    charges = (1 << first) | np.where(has_second, 1 << second, 0)

    method = rng.choice(
        len(METHOD_CODES), size=n, p=mix_probabilities(truth.method_mix, METHOD_CODES)
    ).astype(np.int64)
    site_p = np.where(
        (year >= truth.site_shift_year)[:, None],
        mix_probabilities(truth.site_mix_late, SITE_CODES),
        mix_probabilities(truth.site_mix_early, SITE_CODES),
    )
    site = draw_categorical(rng, site_p)

    victim_event = np.repeat(np.arange(n, dtype=np.int64), n_victims)
    victim_start = np.concatenate([[0], np.cumsum(n_victims)[:-1]]).astype(np.int64)
    m = len(victim_event)
    male = rng.random(m) < truth.victim_male_share
    age = np.clip(np.rint(rng.normal(truth.victim_age_mean, truth.victim_age_sd, m)), 17, 75)
    surname, given = names.draw(rng, male)
    return TruthDraw(
        day=day,
        year=year,
        county=county,
        province=geo.county_province[county],
        n_victims=n_victims,
        charges=charges.astype(np.int64),
        method=method,
        site=site,
        victim_event=victim_event,
        victim_start=victim_start,
        victim_male=male,
        victim_age=age.astype(np.int64),
        victim_surname=surname,
        victim_given=given,
    )
