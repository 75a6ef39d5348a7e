"""Turn a world's integer draws into the tables of ``docs/data-format.md``.

Every column is built as a whole array (table look-ups, vectorised joins), never row by
row. Empty cells are nulls. Column order is the documented one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from uncounted.simulate.geography import Geography
from uncounted.simulate.names import NamePool
from uncounted.simulate.narrative import narratives
from uncounted.simulate.noise import (
    AGE_FORMS,
    COUNT_MODES,
    FORCED_CODES,
    NAME_STYLES,
    PLACE_MODES,
    RELIABILITY_CODES,
)
from uncounted.simulate.presets import Preset
from uncounted.simulate.programmes import HOW_CODES, INTERVIEWEE, SOURCE_KIND_CODES
from uncounted.simulate.shards import ShardDraw
from uncounted.simulate.variants import (
    MAX_AGE,
    MAX_COUNT,
    age_strings,
    count_strings,
    date_table,
    lookup,
    name_table,
    place_table,
)
from uncounted.simulate.world import CHARGE_CODES, METHOD_CODES, SITE_CODES

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]

COLUMNS: Mapping[str, tuple[str, ...]] = {
    "collections": ("collection_id", "name", "kind", "description"),
    "sources": (
        "source_id", "collection_id", "pseudonym", "kind", "sex", "birth_year", "origin_place",
        "departure_year", "interview_year", "real_name", "contact",
    ),
    "reports": (
        "report_id", "source_id", "collection_id", "interview_id", "interview_date",
        "date_as_told", "place_as_told", "site_type", "victims_as_told", "charges", "method",
        "how_known", "forced_attendance", "violation", "reliability", "language", "narrative",
    ),
    "victim_mentions": ("mention_id", "report_id", "name_as_told", "sex", "age_as_told", "charges"),
    "truth_events": (
        "event_id", "date", "place_code", "iso_3166_2", "n_victims", "charges", "method",
        "site_type", "year", "shard",
    ),
    "truth_victims": ("victim_id", "event_id", "name_hangul", "sex", "age"),
    "report_event": ("report_id", "event_id"),
    "mention_victim": ("mention_id", "victim_id"),
}  # fmt: skip
"""Columns of each table, in file order (``docs/data-format.md``)."""

ID_WIDTH = {"E": 6, "V": 7, "S": 6, "R": 7, "M": 7, "I": 7}


def ids(prefix: str, n: int) -> pa.Array:
    """``prefix`` + 1-based zero-padded numbers (``R0000001``); wider when needed."""
    numbers = pc.cast(pa.array(np.arange(1, n + 1, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, ID_WIDTH[prefix], "0"), "")


def _strings(values: ObjectArray | Sequence[str | None]) -> pa.Array:
    return pa.array(values, type=pa.string())


def _coded(codes: Sequence[str], index: IntArray) -> pa.Array:
    """Code ``index`` of ``codes``; ``-1`` (or an empty code) is a null cell."""
    table = np.asarray([c or None for c in codes] + [None], dtype=object)
    return lookup(table, np.where(index < 0, len(codes), index))


def _when(mask: BoolArray, values: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(mask), values, pa.scalar(None, pa.string()))


def _iso_dates(days: IntArray) -> pa.Array:
    valid = days >= 0
    text = pc.cast(pa.array(np.where(valid, days, 0).astype("datetime64[D]")), pa.string())
    return pc.if_else(pa.array(valid), text, pa.scalar(None, pa.string()))


def _years(days: IntArray) -> IntArray:
    return np.asarray(days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970)


def _nullable_int(values: IntArray, valid: BoolArray) -> pa.Array:
    return pa.array(values, type=pa.int64(), mask=~valid)


@lru_cache(maxsize=1)
def _charge_strings() -> ObjectArray:
    table = np.empty(1 << len(CHARGE_CODES), dtype=object)
    for mask in range(len(table)):
        codes = [c for bit, c in enumerate(CHARGE_CODES) if mask >> bit & 1]
        table[mask] = ";".join(codes) or None
    return table


def _rank_within(keys: IntArray) -> IntArray:
    """0-based position of each row among the rows with the same key, in row order."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.searchsorted(sorted_keys, sorted_keys)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys)) - starts
    return rank


def _frame(columns: dict[str, pa.Array]) -> pd.DataFrame:
    frame: pd.DataFrame = pa.table(columns).to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype()}.get
    )
    return frame


def render_collections(preset: Preset) -> pd.DataFrame:
    rows = [(p.collection_id, p.name, p.kind, p.description) for p in preset.interviews]
    for p in (preset.press, preset.official):
        rows.append((p.collection_id, p.name, p.kind, p.description))
    return pd.DataFrame(rows, columns=list(COLUMNS["collections"]))


def render_truth(
    draw: ShardDraw, geo: Geography, victim_pool: NamePool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    t = draw.truth
    event_ids = ids("E", t.n_events)
    events = _frame(
        {
            "event_id": event_ids,
            "date": _iso_dates(t.day),
            "place_code": _coded(geo.county_code, t.county),
            "iso_3166_2": _coded(geo.county_iso, t.county),
            "n_victims": pa.array(t.n_victims),
            "charges": lookup(_charge_strings(), t.charges),
            "method": _coded(METHOD_CODES, t.method),
            "site_type": _coded(SITE_CODES, t.site),
            "year": pa.array(t.year),
            "shard": pa.array(draw.shard),
        }
    )
    victims = _frame(
        {
            "victim_id": ids("V", len(t.victim_event)),
            "event_id": pc.take(event_ids, pa.array(t.victim_event)),
            "name_hangul": _strings(victim_pool.hangul(t.victim_surname, t.victim_given)),
            "sex": _coded(("f", "m"), t.victim_male.astype(np.int64)),
            "age": pa.array(t.victim_age),
        }
    )
    return events, victims


def render_sources(
    draw: ShardDraw, preset: Preset, geo: Geography, source_pool: NamePool
) -> pd.DataFrame:
    s, persons, details = draw.sources, draw.persons, draw.details
    n = len(s.kind)
    collection_ids = preset.collection_ids()
    prefixes = [p.pseudonym_prefix for p in preset.interviews]
    prefixes += [preset.press.pseudonym_prefix, preset.official.pseudonym_prefix]
    has_person = s.person >= 0
    person = np.where(has_person, s.person, 0)
    interviewee = s.kind == INTERVIEWEE
    interview_year = np.where(interviewee, _years(np.maximum(s.interview_day, 0)), 0)
    departure_year = _years(np.maximum(persons.departure_day[person], 0))

    rank = _rank_within(s.collection * 10_000 + interview_year)
    seq = pc.utf8_lpad(pc.cast(pa.array(rank + 1), pa.string()), 4, "0")
    prefix = _coded(prefixes, s.collection)
    year_text = pc.cast(pa.array(interview_year), pa.string())
    pseudonym = pc.if_else(
        pa.array(interviewee),
        pc.binary_join_element_wise(prefix, year_text, seq, "-"),
        pc.binary_join_element_wise(prefix, seq, "-"),
    )

    places = place_table(geo)
    county = persons.county[person]
    origin_index = places.index(
        np.zeros(n, dtype=np.int64), county, (~s.korean).astype(np.int64), details.place_pick
    )
    origin = _when(has_person, lookup(places.strings, origin_index))

    real_name = _when(
        has_person,
        pa.array(source_pool.hangul(persons.surname[person], persons.given[person]), pa.string()),
    )
    number = details.person_contact[person]
    email = details.person_email[person]
    digits = pc.utf8_lpad(pc.cast(pa.array(number), pa.string()), 9, "0")
    # Deliberately unusable: example.org is reserved (RFC 2606) and Korean mobile numbers
    # never have a middle block starting with 0.
    as_email = pc.binary_join_element_wise("x", digits, "@example.org", "")
    as_phone = pc.binary_join_element_wise(
        "010-0",
        pc.utf8_slice_codeunits(digits, 0, 3),
        "-",
        pc.utf8_slice_codeunits(digits, 3, 7),
        "",
    )
    contact = pc.if_else(
        pa.array(has_person),
        pc.if_else(pa.array(email), as_email, as_phone),
        pa.scalar(None, pa.string()),
    )
    return _frame(
        {
            "source_id": ids("S", n),
            "collection_id": _coded(collection_ids, s.collection),
            "pseudonym": pseudonym,
            "kind": _coded(SOURCE_KIND_CODES, s.kind),
            "sex": _coded(("f", "m"), np.where(details.show_sex, persons.male[person], -1)),
            "birth_year": _nullable_int(persons.birth_year[person], details.show_birth),
            "origin_place": origin,
            "departure_year": _nullable_int(departure_year, interviewee),
            "interview_year": _nullable_int(interview_year, interviewee),
            "real_name": real_name,
            "contact": contact,
        }
    )


def _place_as_told(draw: ShardDraw, geo: Geography) -> pa.Array:
    noise = draw.report_noise
    places = place_table(geo)
    mode = noise.place_mode
    group = np.select(
        [mode == PLACE_MODES.index("province"), mode == PLACE_MODES.index("somewhere")], [1, 2], 0
    )
    index = places.index(
        group, np.maximum(noise.place_unit, 0), noise.place_latin.astype(np.int64), noise.place_pick
    )
    return _when(mode != PLACE_MODES.index("none"), lookup(places.strings, index))


def _victims_as_told(draw: ShardDraw) -> pa.Array:
    noise = draw.report_noise
    table = count_strings()
    mode = noise.count_mode
    form = np.select(
        [mode == COUNT_MODES.index("range"), mode == COUNT_MODES.index("vague")], [1, 2], 0
    )
    low = np.clip(noise.count_low, 0, MAX_COUNT)
    flat = np.ravel_multi_index((form, low, draw.reports.korean.astype(np.int64)), table.shape)
    return _when(mode != COUNT_MODES.index("none"), lookup(table, flat))


def _interview_ids(draw: ShardDraw) -> pa.Array:
    r = draw.reports
    n_sources = len(draw.sources.kind)
    key = np.where(r.per_report_interview, n_sources + np.arange(len(r.source)), r.source)
    codes, uniques = pd.factorize(key)
    return pc.take(ids("I", len(uniques)), pa.array(codes))


def _names_as_told(draw: ShardDraw, victim_pool: NamePool) -> pa.Array:
    m, t = draw.mentions, draw.truth
    table = name_table(victim_pool)
    surname, given = t.victim_surname[m.victim], t.victim_given[m.victim]
    style, pick = m.name_style, m.name_pick
    spelling = table.surname_conventional[surname, pick % table.surname_conventional.shape[1]]
    usual = table.surname_conventional[surname, 0]
    given_south = np.where((pick >> 3) % 2 == 0, table.given_rr[given], table.given_mr_plain[given])
    typo = table.given_typo[given, (pick >> 4) % table.given_typo.shape[1]]
    hangul_surname = np.asarray(victim_pool.surnames, dtype=object)[surname]
    hangul_given = np.asarray(victim_pool.given, dtype=object)[given]
    first_by_style = [
        hangul_surname,
        table.surname_mr[surname],
        table.surname_mr_plain[surname],
        table.surname_rr[surname],
        spelling,
        table.given_spaced[given],
        usual,
        table.surname_mr_plain[surname],
    ]
    second_by_style = [
        hangul_given,
        table.given_mr[given],
        table.given_mr_plain[given],
        table.given_rr[given],
        given_south,
        usual,
        table.given_spaced[given],
        typo,
    ]
    first = np.full(len(style), None, dtype=object)
    second = np.full(len(style), None, dtype=object)
    for code in range(len(NAME_STYLES)):
        chosen = style == code
        first[chosen] = first_by_style[code][chosen]
        second[chosen] = second_by_style[code][chosen]
    separator = np.where(style == NAME_STYLES.index("hangul"), "", " ").astype(object)
    named = style >= 0
    text = np.full(len(style), None, dtype=object)
    text[named] = first[named] + separator[named] + second[named]
    return _strings(text)


def render_reports(
    draw: ShardDraw, preset: Preset, geo: Geography, victim_pool: NamePool
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``reports``, ``victim_mentions``, ``report_event`` and ``mention_victim``."""
    r, noise, m = draw.reports, draw.report_noise, draw.mentions
    n = len(r.source)
    korean = r.korean
    report_ids = ids("R", n)
    source_ids = ids("S", len(draw.sources.kind))
    event_ids = ids("E", draw.truth.n_events)
    collection = draw.sources.collection[r.source]
    dates = date_table()
    date_index = dates.index(
        noise.told_day, noise.precision, noise.years_low, korean, noise.date_alternative
    )

    names = _names_as_told(draw, victim_pool)
    named = np.flatnonzero(m.name_style >= 0)
    first_named_report, first_position = np.unique(m.report[named], return_index=True)
    first_name_index = np.full(n, -1, dtype=np.int64)
    first_name_index[first_named_report] = named[first_position]
    first_name = pc.if_else(
        pa.array(first_name_index >= 0),
        pc.take(names, pa.array(np.maximum(first_name_index, 0))),
        pa.scalar(None, pa.string()),
    )
    forced_yes = noise.forced == FORCED_CODES.index("yes")
    text = narratives(
        r.how, korean, forced_yes, noise.method, noise.count_mode, noise.count_low,
        noise.charges, noise.site, first_name, noise.narrative_pick,
    )  # fmt: skip
    reports = _frame(
        {
            "report_id": report_ids,
            "source_id": pc.take(source_ids, pa.array(r.source)),
            "collection_id": _coded(preset.collection_ids(), collection),
            "interview_id": _interview_ids(draw),
            "interview_date": _iso_dates(r.interview_day),
            "date_as_told": lookup(dates.strings, date_index),
            "place_as_told": _place_as_told(draw, geo),
            "site_type": _coded(SITE_CODES, noise.site),
            "victims_as_told": _victims_as_told(draw),
            "charges": lookup(_charge_strings(), noise.charges),
            "method": _coded(METHOD_CODES, noise.method),
            "how_known": _coded(HOW_CODES, r.how),
            "forced_attendance": _coded(FORCED_CODES, noise.forced),
            "violation": _coded(("public_execution",), np.zeros(n, dtype=np.int64)),
            "reliability": _coded(RELIABILITY_CODES, noise.reliability),
            "language": _coded(("en", "ko"), korean.astype(np.int64)),
            "narrative": text,
        }
    )
    ages = age_strings()
    age_form = m.age_form
    age_index = np.ravel_multi_index(
        (
            np.maximum(age_form - 1, 0),
            np.clip(m.age_value, 0, MAX_AGE),
            korean[m.report].astype(np.int64),
        ),
        ages.shape,
    )
    age_text = _when(age_form != AGE_FORMS.index("none"), lookup(ages, age_index))
    mention_ids = ids("M", len(m.report))
    mentions = _frame(
        {
            "mention_id": mention_ids,
            "report_id": pc.take(report_ids, pa.array(m.report)),
            "name_as_told": names,
            "sex": _coded(("f", "m"), m.sex),
            "age_as_told": age_text,
            "charges": _coded(CHARGE_CODES, m.charge),
        }
    )
    report_event = _frame(
        {"report_id": report_ids, "event_id": pc.take(event_ids, pa.array(r.event))}
    )
    mention_victim = _frame(
        {
            "mention_id": mention_ids,
            "victim_id": pc.take(ids("V", len(draw.truth.victim_event)), pa.array(m.victim)),
        }
    )
    return reports, mentions, report_event, mention_victim
