"""Frames of comparison features, read from reports and victim mentions as told.

Linkage compares parsed values, never raw text: a told date becomes a range of days
with its width, a place its county and province codes, a count a range, charges a bit
set, a name its Hangul, its romanized forms and the match keys of
:mod:`uncounted.records.names`. Every parser runs once per distinct text, so a world of a
million mentions costs a few thousand parses.

The frames hold only numbers, short codes and lists of strings, so that the same SQL
works in DuckDB and Spark.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from uncounted.records.counts import parse_age, parse_count
from uncounted.records.dates import parse_date
from uncounted.records.names import parse_name
from uncounted.records.places import Level, resolve_place
from uncounted.records.romanize import romanize
from uncounted.records.vocab import CHARGES, METHODS, SITE_TYPES

__all__ = [
    "CHARGE_BITS",
    "EPOCH",
    "MENTION_FEATURES",
    "REPORT_FEATURES",
    "charge_mask",
    "mention_features",
    "name_features",
    "report_features",
]

EPOCH = datetime.date(1970, 1, 1)
CHARGE_BITS: dict[str, int] = {code: 1 << i for i, code in enumerate(CHARGES.codes())}
"""Bit of each charge code in the ``charges`` mask (a set of charges as one integer)."""

REPORT_FEATURES: tuple[str, ...] = (
    "unique_id", "source_id", "collection_id", "date_start", "date_end", "date_width",
    "date_precision", "county", "province", "place_level", "victims_min", "victims_max",
    "charges", "method", "site_type", "name_hangul", "name_roman", "name_keys",
    "name_first_key",
)  # fmt: skip
"""Columns of :func:`report_features`, in order."""

MENTION_FEATURES: tuple[str, ...] = (
    "unique_id", "report_id", "event_id", "source_id", "name_hangul", "name_roman",
    "name_keys", "name_first_key", "sex", "age_min", "age_max", "birth_min", "birth_max",
    "county", "province",
)  # fmt: skip
"""Columns of :func:`mention_features`, in order."""

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")
_NOT_LETTERS = re.compile(r"[^a-z]")


def _mapped(values: Iterable[_K], parse: Callable[[_K], _V]) -> list[_V]:
    """``parse`` applied to each value, once per distinct value.

    The distinct values are found by factorizing (integer codes, in C), parsed, and the
    results taken back by code: no Python work per row beyond the final list.
    """
    codes, uniques = pd.factorize(pd.Series(list(values) if not _is_array(values) else values))
    parsed = [parse(value) for value in uniques.tolist()]
    if not parsed:
        return []
    out: list[_V] = _objects(parsed)[codes].tolist()
    return out


def _objects(values: list[Any]) -> npt.NDArray[np.object_]:
    """A 1-d object array of ``values`` (never read as nested sequences)."""
    array = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        array[i] = value
    return array


def _fields(
    values: npt.NDArray[np.object_], parse: Callable[[str], tuple[object, ...]]
) -> list[npt.NDArray[np.object_]]:
    """The fields of ``parse`` on each value as arrays, parsing each distinct value once."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    parsed = [parse(value) for value in uniques.tolist()]
    width = len(parse(""))
    out = []
    for k in range(width):
        column = _objects([p[k] for p in parsed])
        out.append(column[codes] if len(parsed) else np.empty(len(values), dtype=object))
    return out


def _is_array(values: object) -> bool:
    return isinstance(values, (np.ndarray, pd.Series))


def _text(frame: pd.DataFrame, column: str) -> npt.NDArray[np.object_]:
    """A column as stripped Python strings (empty for missing), vectorised."""
    if column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    values = frame[column]
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    return text.to_numpy(dtype=object)


def _code_or_none(text: str, codes: set[str]) -> str | None:
    return text if text in codes else None


def charge_mask(text: str) -> int:
    """The charges of a ``;``-separated cell as a bit set (0 for none); unknown codes ignored."""
    mask = 0
    for part in text.split(";"):
        code = CHARGES.lookup(part) if part.strip() else None
        if code is not None:
            mask |= CHARGE_BITS[code]
    return mask


def _date_row(text: str) -> tuple[float, float, float, str]:
    parsed = parse_date(text)
    if parsed.start is None or parsed.end is None:
        return (np.nan, np.nan, np.nan, parsed.precision.value)
    start = (parsed.start - EPOCH).days
    end = (parsed.end - EPOCH).days
    return (float(start), float(end), float(end - start + 1), parsed.precision.value)


def _place_row(text: str) -> tuple[str | None, str | None, str | None]:
    place = resolve_place(text)
    if place.code is None:
        return (None, None, None)
    county = place.code if place.level == Level.COUNTY else None
    level = place.level.value if place.level is not None else None
    return (county, place.iso_3166_2, level)


def _count_row(text: str) -> tuple[float, float]:
    reading = parse_count(text)
    if not reading.ok or reading.low is None:
        return (np.nan, np.nan)
    high = reading.high if reading.high is not None else reading.low * 3
    return (float(reading.low), float(high))


def _roman_form(text: str) -> str:
    """Letters only, lower case, marks dropped: ``Chang Sŏng-t'aek`` -> ``changsongtaek``."""
    bare = unicodedata.normalize("NFD", text.casefold())
    return _NOT_LETTERS.sub("", "".join(c for c in bare if not unicodedata.combining(c)))


def name_features(text: str) -> tuple[str | None, tuple[str, ...], tuple[str, ...], str | None]:
    """Hangul, romanized forms, match keys and first (most literal) key of a name as told.

    The romanized forms of a Hangul name are its Revised and McCune–Reischauer
    spellings reduced to letters; of a romanized name, the text itself reduced so.
    """
    parsed = parse_name(text)
    if not parsed.keys:
        return (None, (), (), None)
    if parsed.hangul is not None:
        forms = {
            _roman_form(romanize(parsed.hangul, "rr", name=True)),
            _roman_form(romanize(parsed.hangul, "mr", name=True)),
        }
    else:
        forms = {_roman_form(text)}
    roman = tuple(sorted(f for f in forms if f))
    keys = tuple(sorted(parsed.keys))
    return (parsed.hangul, roman, keys, parsed.keys[0])


def report_features(reports: pd.DataFrame, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row of comparison features per report.

    Parameters
    ----------
    reports : DataFrame
        Columns of ``reports.csv`` (``report_id``, ``source_id``, ``collection_id``,
        ``date_as_told``, ``place_as_told``, ``victims_as_told``, ``charges``,
        ``method``, ``site_type``); missing optional columns are read as empty.
    mentions : DataFrame, optional
        Columns of ``victim_mentions.csv``; the names of a report's victims become its
        ``name_*`` features.

    Returns
    -------
    DataFrame
        Columns :data:`REPORT_FEATURES`. ``unique_id`` is the report id; dates are
        days since 1970-01-01 (``date_width`` counts both ends); ``county`` and
        ``province`` are gazetteer codes (``county`` empty when the place is known only
        to its province); ``charges`` is a bit mask (0: none told); name columns are
        lists (empty when no victim is named).
    """
    n = len(reports)
    start, end, width, precision = _fields(_text(reports, "date_as_told"), _date_row)
    county, province, level = _fields(_text(reports, "place_as_told"), _place_row)
    low, high = _fields(_text(reports, "victims_as_told"), _count_row)
    out = pd.DataFrame(
        {
            "unique_id": _text(reports, "report_id"),
            "source_id": _text(reports, "source_id"),
            "collection_id": _text(reports, "collection_id"),
            "date_start": start.astype(float),
            "date_end": end.astype(float),
            "date_width": width.astype(float),
            "date_precision": precision,
            "county": county,
            "province": province,
            "place_level": level,
            "victims_min": low.astype(float),
            "victims_max": high.astype(float),
            "charges": np.array(_mapped(_text(reports, "charges"), charge_mask), dtype=np.int64),
            "method": _mapped(_text(reports, "method"), lambda t: _vocab_code(t, METHODS)),
            "site_type": _mapped(_text(reports, "site_type"), lambda t: _vocab_code(t, SITE_TYPES)),
        },
        index=pd.RangeIndex(n),
    )
    for column in ("date_start", "date_end", "date_width", "victims_min", "victims_max"):
        out[column] = out[column].astype("Int64")
    names = _report_names(out["unique_id"], mentions)
    out = pd.concat([out, names], axis=1)
    return out[list(REPORT_FEATURES)]


def _vocab_code(text: str, vocabulary: object) -> str | None:
    lookup = getattr(vocabulary, "lookup")  # noqa: B009 - typed as object to stay generic
    code = lookup(text) if text else None
    return code if isinstance(code, str) else None


def _name_row(text: str) -> tuple[str | None, list[str], list[str], str | None]:
    hangul, roman, keys, first = name_features(text)
    return (hangul, list(roman), list(keys), first)


def _mention_names(mentions: pd.DataFrame) -> pd.DataFrame:
    hangul, roman, keys, first = _fields(_text(mentions, "name_as_told"), _name_row)
    return pd.DataFrame(
        {"name_hangul": hangul, "name_roman": roman, "name_keys": keys, "name_first_key": first},
        index=mentions.index,
    )


def _report_names(report_ids: pd.Series, mentions: pd.DataFrame | None) -> pd.DataFrame:
    hangul: dict[str, set[str]] = {}
    roman: dict[str, set[str]] = {}
    keys: dict[str, set[str]] = {}
    first: dict[str, str] = {}
    if mentions is not None and len(mentions) > 0:
        ids = _text(mentions, "report_id")
        # Mentions in file order: the first named mention gives the report's first key.
        parsed = _mapped(_text(mentions, "name_as_told"), name_features)
        for report_id, (name_hangul, name_roman, name_keys, first_key) in zip(
            ids, parsed, strict=True
        ):
            if first_key is None:
                continue
            if name_hangul:
                hangul.setdefault(report_id, set()).add(name_hangul)
            roman.setdefault(report_id, set()).update(name_roman)
            keys.setdefault(report_id, set()).update(name_keys)
            first.setdefault(report_id, first_key)
    ordered = report_ids.tolist()
    return pd.DataFrame(
        {
            "name_hangul": [sorted(hangul.get(r, ())) for r in ordered],
            "name_roman": [sorted(roman.get(r, ())) for r in ordered],
            "name_keys": [sorted(keys.get(r, ())) for r in ordered],
            "name_first_key": [first.get(r) for r in ordered],
        },
        index=report_ids.index,
    )


def _age_row(text: str) -> tuple[float, float]:
    reading = parse_age(text)
    if not reading.ok or reading.low is None:
        return (np.nan, np.nan)
    high = reading.high if reading.high is not None else reading.low
    return (float(reading.low), float(high))


def mention_features(
    mentions: pd.DataFrame,
    reports: pd.DataFrame,
    report_event: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row of comparison features per victim mention.

    Parameters
    ----------
    mentions : DataFrame
        Columns of ``victim_mentions.csv``.
    reports : DataFrame
        Columns of ``reports.csv``, or :func:`report_features` output (a
        ``unique_id`` column is read as the report id); gives each mention its
        report's source, place and date (for birth years).
    report_event : DataFrame, optional
        ``report_id, event_id``: the event each report was linked to. Without it each
        report is its own event.

    Returns
    -------
    DataFrame
        Columns :data:`MENTION_FEATURES`; ``unique_id`` is the mention id. Birth years
        are the told age range taken back from the report's date (the middle of its
        range); they are empty when the age or the date is unknown.
    """
    report_table = reports if "unique_id" in reports.columns else report_features(reports)
    report_table = report_table.set_index("unique_id")
    report_ids = pd.Index(_text(mentions, "report_id"))
    known = report_ids.isin(report_table.index)
    if not known.all():
        missing = sorted(set(report_ids[~known]))[:5]
        raise ValueError(f"mentions name reports that are not given: {missing}")
    # Only what a mention takes from its report: a copy of every report column per
    # mention would be gigabytes at a million mentions.
    needed = ["source_id", "county", "province", "date_start", "date_end"]
    rows = report_table[needed].loc[report_ids]
    middle = (rows["date_start"].astype("float64") + rows["date_end"].astype("float64")) / 2
    year = 1970 + np.floor(middle.to_numpy() / 365.2425)
    age_low, age_high = (a.astype(float) for a in _fields(_text(mentions, "age_as_told"), _age_row))
    # Born between (year - oldest) and (year - youngest); unknown when either is.
    birth_min, birth_max = year - age_high, year - age_low
    if report_event is not None:
        events = report_event.set_index("report_id")["event_id"].astype(str)
        event_ids = events.reindex(report_ids).fillna(pd.Series(report_ids, index=report_ids))
        event_list = event_ids.tolist()
    else:
        event_list = list(report_ids)
    names = _mention_names(mentions.reset_index(drop=True))
    sex = pd.Series(_text(mentions, "sex"), dtype=object).str.lower()
    sexes = sex.where(sex.isin(["f", "m"]), None).to_numpy(dtype=object)
    out = pd.DataFrame(
        {
            "unique_id": _text(mentions, "mention_id"),
            "report_id": list(report_ids),
            "event_id": event_list,
            "source_id": rows["source_id"].tolist(),
            "sex": sexes,
            "age_min": age_low,
            "age_max": age_high,
            "birth_min": birth_min,
            "birth_max": birth_max,
            "county": rows["county"].tolist(),
            "province": rows["province"].tolist(),
        }
    )
    out = pd.concat([out, names.reset_index(drop=True)], axis=1)
    for column in ("age_min", "age_max", "birth_min", "birth_max"):
        out[column] = out[column].round().astype("Int64")
    return out[list(MENTION_FEATURES)]
