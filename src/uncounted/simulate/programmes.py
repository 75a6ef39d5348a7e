"""Who documented what: interview programmes, a press archive, official announcements.

Knowledge and telling are kept apart. A *person* (an interviewee) saw or heard of some
events before leaving the country; each programme that interviews the person records a
share of what they know. A person interviewed by two programmes therefore tends to give
both the same events, which makes the programmes' captures dependent, as in reality.

Everything is drawn per shard as integer arrays (indices into the shard's events,
sources and persons); ``render`` turns them into tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from uncounted.simulate.geography import Geography
from uncounted.simulate.names import NamePool
from uncounted.simulate.presets import InterviewParams, OfficialParams, Preset, PressParams
from uncounted.simulate.world import (
    CHARGE_CODES,
    SITE_CODES,
    TruthDraw,
    mix_probabilities,
    year_starts,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

SAW, HEARD, ANNOUNCEMENT = 0, 1, 2
HOW_CODES: tuple[str, ...] = ("saw", "heard", "announcement")
INTERVIEWEE, INFORMANT, OFFICIAL = 0, 1, 2
SOURCE_KIND_CODES: tuple[str, ...] = ("interviewee", "informant", "official")


@dataclass
class PersonDraw:
    """People behind sources: their invented identity and what they lived through."""

    surname: IntArray
    given: IntArray
    male: BoolArray
    birth_year: IntArray
    county: IntArray
    departure_day: IntArray
    talk: FloatArray  # how much of what they know a person tells (mean 1)


@dataclass
class SourceDraw:
    """Sources of one shard; ``-1`` marks an empty cell."""

    collection: IntArray
    kind: IntArray
    person: IntArray
    interview_day: IntArray
    korean: BoolArray


@dataclass
class ReportDraw:
    """Reports of one shard: which source told which event, and how they knew."""

    source: IntArray
    event: IntArray
    how: IntArray
    interview_day: IntArray  # day of the interview, article or announcement
    korean: BoolArray
    per_report_interview: BoolArray  # True: the report is its own interview (article)


@dataclass
class ProgrammeDraw:
    persons: PersonDraw
    sources: SourceDraw
    reports: ReportDraw


def expand_groups(starts: IntArray, counts: IntArray) -> tuple[IntArray, IntArray]:
    """For groups of ``counts[i]`` rows from ``starts[i]``: (group of each row, row index)."""
    total = int(counts.sum())
    group = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    first_row = np.cumsum(counts) - counts
    rows = starts[group] + np.arange(total, dtype=np.int64) - first_row[group]
    return group, rows


def _by_key(keys: IntArray, n_keys: int) -> tuple[IntArray, IntArray, IntArray]:
    """Rows sorted by key, with the first sorted row and the row count of each key."""
    order = np.argsort(keys, kind="stable").astype(np.int64)
    counts = np.bincount(keys, minlength=n_keys).astype(np.int64)
    starts = (np.cumsum(counts) - counts).astype(np.int64)
    return order, starts, counts


def size_factor(n_victims: IntArray, slope: float) -> FloatArray:
    return np.asarray(1.0 + slope * (n_victims - 1), dtype=np.float64)


def _draw_people(
    rng: np.random.Generator,
    params: InterviewParams,
    origin_weight: FloatArray,
    names: NamePool,
    n_waves: IntArray,
) -> tuple[PersonDraw, IntArray]:
    """New interviewees of one programme; returns them and their interview days."""
    first, _last = params.interview_years
    years = first + np.repeat(np.arange(len(n_waves)), n_waves)
    n = len(years)
    year_start = year_starts(years)
    interview_day = year_start + (rng.random(n) * 365).astype(np.int64)
    lag = np.minimum(rng.geometric(params.lag_geometric_p, n), params.lag_max)
    lag = np.where(rng.random(n) < params.lag_zero_probability, 0, lag).astype(np.int64)
    departure_start = year_starts(years - lag)
    # Leaving the same year as the interview: some day before it (at least a week).
    span = np.where(lag == 0, np.maximum(interview_day - departure_start - 7, 1), 365)
    departure_day = departure_start + (rng.random(n) * span).astype(np.int64)
    male = rng.random(n) >= params.women_share
    age = np.clip(
        np.rint(rng.normal(params.age_at_departure_mean, params.age_at_departure_sd, n)), 15, 80
    ).astype(np.int64)
    birth_year = (years - lag - age).astype(np.int64)
    county = rng.choice(len(origin_weight), size=n, p=origin_weight).astype(np.int64)
    surname, given = names.draw(rng, male)
    k = params.talkativeness_shape
    talk = rng.gamma(k, 1.0 / k, n)
    persons = PersonDraw(surname, given, male, birth_year, county, departure_day, talk)
    return persons, interview_day


def _concat_persons(parts: list[PersonDraw]) -> PersonDraw:
    return PersonDraw(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in PersonDraw.__dataclass_fields__)
    )


def _knowledge(
    rng: np.random.Generator,
    preset: Preset,
    truth: TruthDraw,
    persons: PersonDraw,
    person_params: list[InterviewParams],
    person_programme: IntArray,
    county_weight: FloatArray,
    n_provinces: int,
    county_province: IntArray,
) -> tuple[IntArray, IntArray, IntArray]:
    """Which events each person saw or heard of: (person, event, how), sorted by person.

    Own province: joined event by event (seen in one's own county with a probability
    that grows with the site's pull and the number of victims; heard of otherwise).
    Elsewhere: a Poisson number of events drawn from those before the departure.
    """
    witness = preset.witness
    sizes = size_factor(truth.n_victims, witness.size_slope)
    attendance = mix_probabilities(witness.site_attendance, SITE_CODES) * len(SITE_CODES)
    median = float(np.median(county_weight))
    town = np.clip((county_weight / median) ** -witness.big_place_exponent, 0.4, 1.5)
    saw_p = np.array([p.saw_own_county for p in person_params])[person_programme]
    heard_own_p = np.array([p.heard_own_county for p in person_params])[person_programme]
    heard_prov_p = np.array([p.heard_own_province for p in person_params])[person_programme]
    heard_else_p = np.array([p.heard_elsewhere for p in person_params])[person_programme]
    youngest = np.array([p.youngest_witness_age for p in person_params])[person_programme]
    first_day = year_starts(persons.birth_year + youngest)

    # Events sorted by (province, day): a person's candidates are one contiguous run,
    # from the day they were old enough to the day they left.
    span = np.int64(1 << 32)
    key = truth.province * span + truth.day
    order = np.argsort(key, kind="stable").astype(np.int64)
    sorted_key = key[order]
    person_province = county_province[persons.county]
    low = np.searchsorted(sorted_key, person_province * span + first_day)
    high = np.searchsorted(sorted_key, person_province * span + persons.departure_day)
    pair_person, rows = expand_groups(low, np.maximum(high - low, 0))
    pair_event = order[rows]
    own = truth.county[pair_event] == persons.county[pair_person]
    # One uniform per pair decides both: saw with p_saw, else heard with p_heard.
    event_pull = attendance[truth.site] * sizes * town[truth.county]
    p_saw = np.where(own, np.minimum(saw_p[pair_person] * event_pull[pair_event], 0.9), 0.0)
    heard_p = np.where(own, heard_own_p[pair_person], heard_prov_p[pair_person])
    p_heard = np.minimum(heard_p * sizes[pair_event], 0.9)
    u = rng.random(len(pair_person))
    saw = u < p_saw
    known = u < p_saw + (1.0 - p_saw) * p_heard
    near_person, near_event = pair_person[known], pair_event[known]
    near_how = np.where(saw[known], SAW, HEARD)

    # Events elsewhere: truth.day is sorted, so the events before a departure are a prefix.
    n_before = np.searchsorted(truth.day, persons.departure_day)
    rate = heard_else_p * n_before * float(sizes.mean())
    n_draws = rng.poisson(rate)
    far_person = np.repeat(np.arange(len(n_draws), dtype=np.int64), n_draws)
    far_event = (rng.random(len(far_person)) * n_before[far_person]).astype(np.int64)
    accept = rng.random(len(far_person)) * sizes.max() < sizes[far_event]
    accept &= truth.province[far_event] != person_province[far_person]
    accept &= truth.day[far_event] >= first_day[far_person]
    far_person, far_event = far_person[accept], far_event[accept]
    key = np.unique(far_person * truth.n_events + far_event)
    far_person, far_event = key // truth.n_events, key % truth.n_events

    person = np.concatenate([near_person, far_person])
    event = np.concatenate([near_event, far_event])
    how = np.concatenate([near_how, np.full(len(far_person), HEARD)])
    order = np.lexsort((event, person))
    return person[order], event[order], how[order].astype(np.int64)


def _tell(
    rng: np.random.Generator,
    truth: TruthDraw,
    params: InterviewParams,
    source_ids: IntArray,
    source_person: IntArray,
    source_day: IntArray,
    talk: FloatArray,
    knowledge: tuple[IntArray, IntArray, IntArray],
    n_persons: int,
    witness_slope: float,
) -> tuple[IntArray, IntArray, IntArray]:
    """What each source of one programme tells of what its person knows."""
    k_person, k_event, k_how = knowledge
    starts = np.searchsorted(k_person, np.arange(n_persons))
    counts = np.bincount(k_person, minlength=n_persons)
    src, rows = expand_groups(starts[source_person], counts[source_person])
    event, how = k_event[rows], k_how[rows]
    person = source_person[src]
    years_since = (source_day[src] - truth.day[event]) / 365.25
    base = np.where(how == SAW, params.tell_saw, params.tell_heard)
    if params.saw_only:
        base = np.where(how == SAW, base, params.tell_heard)
    p = base * talk[person] * np.exp(-params.recall_decay_per_year * years_since)
    told = rng.random(len(src)) < np.minimum(p, 0.97)
    src, event, how = src[told], event[told], how[told]
    if params.max_reports > 0 and len(src):
        # Mapping interviews dwell on the few executions a person saw, the larger first.
        weight = np.where(how == SAW, 3.0, 1.0) * size_factor(truth.n_victims[event], witness_slope)
        priority = rng.random(len(src)) ** (1.0 / weight)
        order = np.lexsort((-priority, src))
        src, event, how = src[order], event[order], how[order]
        group_start = np.searchsorted(src, src)
        keep = np.arange(len(src)) - group_start < params.max_reports
        src, event, how = src[keep], event[keep], how[keep]
    return source_ids[src], event, how


def _interview_programmes(
    rng: np.random.Generator,
    preset: Preset,
    truth: TruthDraw,
    geo: Geography,
    county_weight: FloatArray,
    origin_weights: list[FloatArray],
    names: NamePool,
    size: float,
) -> tuple[PersonDraw, SourceDraw, ReportDraw]:
    person_parts: list[PersonDraw] = []
    person_programme: list[IntArray] = []
    source_rows: list[tuple[IntArray, IntArray, IntArray, BoolArray]] = []
    n_persons = 0
    programme_sources: dict[str, tuple[IntArray, IntArray]] = {}
    for index, params in enumerate(preset.interviews):
        first, last = params.interview_years
        n_waves = np.full(last - first + 1, max(int(round(params.per_wave * size)), 1))
        n_total = int(n_waves.sum())
        n_again = 0
        earlier = programme_sources.get(params.reinterview_from)
        if params.reinterview_share > 0 and earlier is not None:
            n_again = min(int(round(params.reinterview_share * n_total)), len(earlier[0]))
        people, days = _draw_people(rng, params, origin_weights[index], names, n_waves)
        # Some interviewees of this programme are people another one interviewed before:
        # the same person (identity, origin, memories), a new source, a later interview.
        again = np.zeros(n_total, dtype=bool)
        again[rng.choice(n_total, size=n_again, replace=False)] = True
        new = np.flatnonzero(~again)
        people = PersonDraw(*(getattr(people, f)[new] for f in PersonDraw.__dataclass_fields__))
        person_ids = np.empty(n_total, dtype=np.int64)
        person_ids[new] = n_persons + np.arange(len(new))
        if n_again:
            assert earlier is not None
            chosen = rng.choice(len(earlier[0]), size=n_again, replace=False)
            person_ids[again] = earlier[0][chosen]
            days[again] = np.maximum(days[again], earlier[1][chosen] + 30)
        person_parts.append(people)
        person_programme.append(np.full(len(new), index, dtype=np.int64))
        n_persons += len(new)
        korean = rng.random(n_total) < params.korean_share
        source_rows.append((np.full(n_total, index), person_ids, days, korean))
        programme_sources[params.collection_id] = (person_ids, days)

    persons = _concat_persons(person_parts)
    knowledge = _knowledge(
        rng,
        preset,
        truth,
        persons,
        list(preset.interviews),
        np.concatenate(person_programme),
        county_weight,
        geo.n_provinces,
        geo.county_province,
    )
    collection = np.concatenate([r[0] for r in source_rows]).astype(np.int64)
    person = np.concatenate([r[1] for r in source_rows])
    day = np.concatenate([r[2] for r in source_rows])
    korean = np.concatenate([r[3] for r in source_rows])
    order = np.lexsort((day, collection))
    collection, person, day, korean = collection[order], person[order], day[order], korean[order]
    sources = SourceDraw(
        collection=collection,
        kind=np.full(len(collection), INTERVIEWEE, dtype=np.int64),
        person=person,
        interview_day=day,
        korean=korean,
    )
    report_parts = []
    for index, params in enumerate(preset.interviews):
        ids = np.flatnonzero(collection == index).astype(np.int64)
        report_parts.append(
            _tell(
                rng,
                truth,
                params,
                ids,
                person[ids],
                day[ids],
                persons.talk,
                knowledge,
                n_persons,
                preset.witness.size_slope,
            )
        )
    src = np.concatenate([r[0] for r in report_parts])
    event = np.concatenate([r[1] for r in report_parts])
    how = np.concatenate([r[2] for r in report_parts])
    order = np.lexsort((truth.day[event], src))
    src, event, how = src[order], event[order], how[order]
    reports = ReportDraw(
        source=src,
        event=event,
        how=how,
        interview_day=day[src],
        korean=korean[src],
        per_report_interview=np.zeros(len(src), dtype=bool),
    )
    return persons, sources, reports


def _press(
    rng: np.random.Generator,
    params: PressParams,
    truth: TruthDraw,
    geo: Geography,
    size: float,
    witness_slope: float,
) -> tuple[IntArray, ReportDraw]:
    """Informants (their counties) and the reports they sent about events of their province."""
    places = [(geo.find_county(name), w) for name, w in params.informant_places]
    found = [(c, w) for c, w in places if c is not None]
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, ReportDraw(empty, empty, empty, empty, empty.astype(bool), empty.astype(bool))
    weights = np.array([w for _, w in found], dtype=float)
    n = max(int(round(params.informants * size)), 1)
    county = np.array([c for c, _ in found], dtype=np.int64)[
        rng.choice(len(found), size=n, p=weights / weights.sum())
    ]
    order, starts, counts = _by_key(truth.province, geo.n_provinces)
    province = geo.county_province[county]
    informant, rows = expand_groups(starts[province], counts[province])
    event = order[rows]
    year_weight = dict((int(y), w) for y, w in params.year_weight)
    by_year = np.array([year_weight.get(int(y), 0.0) for y in range(1990, 2031)])
    year_factor = by_year[np.clip(truth.year[event] - 1990, 0, len(by_year) - 1)]
    boost = np.ones(len(event))
    for code, factor in params.charge_boost:
        bit = 1 << CHARGE_CODES.index(code)
        boost = np.where(truth.charges[event] & bit, np.maximum(boost, factor), boost)
    same = truth.county[event] == county[informant]
    p = (
        year_factor
        * np.where(same, params.same_county, params.same_province)
        * boost
        * size_factor(truth.n_victims[event], witness_slope)
    )
    hit = rng.random(len(event)) < np.minimum(p, 0.95)
    informant, event = informant[hit], event[hit]
    lag = 1 + rng.exponential(params.publication_lag_days_mean, len(event)).astype(np.int64)
    order = np.lexsort((truth.day[event], informant))
    informant, event, lag = informant[order], event[order], lag[order]
    how = np.where(rng.random(len(event)) < 0.4, SAW, HEARD).astype(np.int64)
    reports = ReportDraw(
        source=informant,
        event=event,
        how=how,
        interview_day=truth.day[event] + lag,
        korean=rng.random(len(event)) < params.korean_share,
        per_report_interview=np.ones(len(event), dtype=bool),
    )
    return county, reports


def _official(
    rng: np.random.Generator, params: OfficialParams, truth: TruthDraw, geo: Geography
) -> ReportDraw:
    """Announcements by state media (one source per shard)."""
    political = (truth.charges & (1 << CHARGE_CODES.index("political"))) > 0
    pyongyang = truth.province == geo.province_index("KP-01")
    p = (
        params.base
        + params.political * political
        + params.large_event * (truth.n_victims >= params.large_event_size)
        + params.pyongyang * pyongyang
    )
    event = np.flatnonzero(rng.random(truth.n_events) < p).astype(np.int64)
    return ReportDraw(
        source=np.zeros(len(event), dtype=np.int64),
        event=event,
        how=np.full(len(event), ANNOUNCEMENT, dtype=np.int64),
        interview_day=truth.day[event] + rng.integers(0, 4, len(event)),
        korean=rng.random(len(event)) < params.korean_share,
        per_report_interview=np.ones(len(event), dtype=bool),
    )


def _informant_people(rng: np.random.Generator, names: NamePool, county: IntArray) -> PersonDraw:
    """Informants are people too (with an invented identity); they have not left."""
    n = len(county)
    male = rng.random(n) < 0.5
    surname, given = names.draw(rng, male)
    return PersonDraw(
        surname=surname,
        given=given,
        male=male,
        birth_year=1950 + rng.integers(0, 40, n),
        county=county,
        departure_day=np.full(n, -1, dtype=np.int64),
        talk=np.ones(n),
    )


def draw_programmes(
    rng: np.random.Generator,
    preset: Preset,
    truth: TruthDraw,
    geo: Geography,
    county_weight: FloatArray,
    origin_weights: list[FloatArray],
    names: NamePool,
    size: float,
) -> ProgrammeDraw:
    """Persons, sources and reports of every collection of one shard.

    Collections are numbered in preset order: interview programmes, then the press
    archive, then official announcements (one source per shard, with no person).
    """
    persons, sources, reports = _interview_programmes(
        rng, preset, truth, geo, county_weight, origin_weights, names, size
    )
    n_interview = len(preset.interviews)
    informant_county, press = _press(rng, preset.press, truth, geo, size, preset.witness.size_slope)
    official = _official(rng, preset.official, truth, geo)

    n_sources = len(sources.collection)
    n_informants = len(informant_county)
    persons = _concat_persons([persons, _informant_people(rng, names, informant_county)])
    first_informant_person = len(persons.county) - n_informants

    all_sources = SourceDraw(
        collection=np.concatenate(
            [sources.collection, np.full(n_informants, n_interview), [n_interview + 1]]
        ).astype(np.int64),
        kind=np.concatenate([sources.kind, np.full(n_informants, INFORMANT), [OFFICIAL]]).astype(
            np.int64
        ),
        person=np.concatenate(
            [sources.person, first_informant_person + np.arange(n_informants), [-1]]
        ).astype(np.int64),
        interview_day=np.concatenate([sources.interview_day, np.full(n_informants + 1, -1)]).astype(
            np.int64
        ),
        korean=np.concatenate([sources.korean, np.ones(n_informants + 1, dtype=bool)]),
    )
    all_reports = ReportDraw(
        source=np.concatenate(
            [reports.source, n_sources + press.source, n_sources + n_informants + official.source]
        ),
        event=np.concatenate([reports.event, press.event, official.event]),
        how=np.concatenate([reports.how, press.how, official.how]),
        interview_day=np.concatenate(
            [reports.interview_day, press.interview_day, official.interview_day]
        ),
        korean=np.concatenate([reports.korean, press.korean, official.korean]),
        per_report_interview=np.concatenate(
            [
                reports.per_report_interview,
                press.per_report_interview,
                official.per_report_interview,
            ]
        ),
    )
    return ProgrammeDraw(persons, all_sources, all_reports)
