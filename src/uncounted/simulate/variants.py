"""Tables of the ways one thing can be told: dates, places, names, counts and ages.

Each table is built once per process from the records layer (``format_date``,
``romanize``, ``surname_variants``, the gazetteer) and indexed with integer arrays, so
that writing a million reports costs no Python call per report. The tables do not depend
on a world's seed; the rare random spellings (typos) use a fixed seed of their own.

Every date string is written by ``format_date`` or in another form that ``parse_date``
documents; every place string is checked with ``resolve_place`` when the table is built,
and a form the resolver does not read back to its unit is left out (the count of forms
left out is kept in ``PlaceTable.dropped``).
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from uncounted.records.dates import FuzzyDate, Precision, format_date
from uncounted.records.dates_format import Language
from uncounted.records.gazetteer_model import Unit
from uncounted.records.places import gazetteer, resolve_place
from uncounted.records.romanize import romanize, surname_variants
from uncounted.simulate.geography import Geography
from uncounted.simulate.names import NamePool
from uncounted.simulate.presets import PRECISIONS

IntArray = npt.NDArray[np.int64]
ObjectArray = npt.NDArray[np.object_]

FIRST_YEAR = 1995
LAST_YEAR = 2020
_LANGS: tuple[Language, Language] = ("en", "ko")
_ENGLISH_PART = {"early": "the beginning of {}", "mid": "the middle of {}", "late": "the end of {}"}
_KOREAN_PART = {"early": "{}년 연초", "mid": "{}년 중반", "late": "{}년 연말"}


def lookup(table: ObjectArray, index: IntArray) -> pa.Array:
    """``table.flat[index]`` as an Arrow string array (a None entry gives a null).

    The gather runs in Arrow, so a million look-ups create no Python string objects.
    """
    values = pa.array(table.ravel(), type=pa.string())
    return pc.take(values, pa.array(np.asarray(index, dtype=np.int64).ravel()))


# --- dates -------------------------------------------------------------------------------


def _fuzzy(start: datetime.date, end: datetime.date, precision: Precision) -> FuzzyDate:
    return FuzzyDate("", start, end, precision)


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _date_keys() -> dict[str, list[tuple[FuzzyDate, tuple[str, str]]]]:
    """For each precision, its values in key order with their alternative (en, ko) forms."""
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    blocks: dict[str, list[tuple[FuzzyDate, tuple[str, str]]]] = {p: [] for p in PRECISIONS}
    day = datetime.date(FIRST_YEAR, 1, 1)
    while day.year <= LAST_YEAR:
        alt = (day.isoformat(), f"{day.year}.{day.month}.{day.day}")
        blocks["day"].append((_fuzzy(day, day, Precision.DAY), alt))
        day += datetime.timedelta(days=1)
    for year in years:
        jan1, dec31 = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        for month in range(1, 13):
            first = datetime.date(year, month, 1)
            alt = (f"{year}-{month:02d}", f"{year}.{month}")
            blocks["month"].append((_fuzzy(first, _month_end(year, month), Precision.MONTH), alt))
        for first_month in (3, 6, 9, 12):
            end_year, end_month = (year + 1, 2) if first_month == 12 else (year, first_month + 2)
            value = _fuzzy(
                datetime.date(year, first_month, 1),
                _month_end(end_year, end_month),
                Precision.SEASON,
            )
            blocks["season"].append((value, (f"the {format_date(value, 'en')}", "")))
        for part, (first_month, last_month) in zip(
            ("early", "mid", "late"), ((1, 4), (5, 8), (9, 12)), strict=True
        ):
            value = _fuzzy(
                datetime.date(year, first_month, 1),
                _month_end(year, last_month),
                Precision.PART_OF_YEAR,
            )
            blocks["part_of_year"].append(
                (value, (_ENGLISH_PART[part].format(year), _KOREAN_PART[part].format(year)))
            )
        blocks["year"].append((_fuzzy(jan1, dec31, Precision.YEAR), (f"in {year}", "")))
        around = _fuzzy(
            datetime.date(year - 1, 1, 1), datetime.date(year + 1, 12, 31), Precision.AROUND
        )
        english = f"c. {year}" if year % 2 else f"{year}?"
        blocks["around"].append((around, (english, f"{year}년쯤")))
        pair = _fuzzy(jan1, datetime.date(year + 1, 12, 31), Precision.YEARS)
        blocks["years"].append((pair, (f"{year}-{year + 1}", f"{year}~{year + 1}년")))
    blocks["unknown"].append((FuzzyDate("", None, None, Precision.UNKNOWN), ("", "")))
    return blocks


@dataclass(frozen=True)
class DateTable:
    """Date strings indexed by (precision, key, language, form)."""

    strings: ObjectArray
    offsets: IntArray  # first row of each precision's block

    def index(
        self,
        told_day: IntArray,
        precision: IntArray,
        years_low: IntArray,
        korean: npt.NDArray[np.bool_],
        alternative: npt.NDArray[np.bool_],
    ) -> IntArray:
        """Row of each told date (see ``uncounted.simulate.noise``) in ``strings``."""
        d = told_day.astype("datetime64[D]")
        year = d.astype("datetime64[Y]").astype(np.int64) + 1970
        month = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
        y = np.clip(year - FIRST_YEAR, 0, LAST_YEAR - FIRST_YEAR)
        first_day = (datetime.date(FIRST_YEAR, 1, 1) - datetime.date(1970, 1, 1)).days
        season = (month - 3) % 12 // 3
        season_year = np.clip(np.where(month <= 2, year - 1, year) - FIRST_YEAR, 0, None)
        keys = np.select(
            [precision == PRECISIONS.index(p) for p in PRECISIONS],
            [
                told_day - first_day,
                y * 12 + month - 1,
                season_year * 4 + season,
                y * 3 + (month - 1) // 4,
                y,
                y,
                np.clip(years_low - FIRST_YEAR, 0, LAST_YEAR - FIRST_YEAR),
                np.zeros_like(y),
            ],
        )
        lang = korean.astype(np.int64)
        return np.asarray(
            self.offsets[precision] + (keys * 2 + lang) * 2 + alternative.astype(np.int64)
        )


@lru_cache(maxsize=1)
def date_table() -> DateTable:
    """Every date a report can tell from FIRST_YEAR to LAST_YEAR, in both languages."""
    rows: list[str] = []
    offsets = []
    for values in _date_keys().values():
        offsets.append(len(rows))
        for value, alternatives in values:
            for lang, alternative in zip(_LANGS, alternatives, strict=True):
                canonical = format_date(value, lang)
                rows.append(canonical)
                rows.append(alternative or canonical)
    return DateTable(np.asarray(rows, dtype=object), np.asarray(offsets, dtype=np.int64))


# --- places ------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """MR as commonly typed: no breves, no apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.replace("'", "").replace("’", "")


_KIND_WORD = {"city": "City", "county": "County", "district": "District"}
_HANGUL_SUFFIXES = ("구역", "지구", "시", "군", "구")  # longest first


def _county_forms(unit: Unit, province: Unit) -> tuple[list[str], list[str]]:
    stem = unit.name_ko
    for suffix in _HANGUL_SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix) + 1:
            stem = stem[: -len(suffix)]
            break
    hangul = [unit.name_ko, stem, f"{province.name_ko} {unit.name_ko}"]
    latin = [
        unit.name_en,
        unit.name_mr,
        _plain(unit.name_mr),
        unit.name_rr,
        f"{unit.name_en}, {province.name_en}",
    ]
    if unit.kind in _KIND_WORD:
        latin.append(f"{unit.name_en} {_KIND_WORD[unit.kind]}")
    return hangul, latin


def _province_forms(unit: Unit) -> tuple[list[str], list[str]]:
    hangul = [unit.name_ko] + [a for a in unit.aliases if a and "\uac00" <= a[0] <= "\ud7a3"]
    latin = [unit.name_en, unit.name_mr, _plain(unit.name_mr), unit.name_rr]
    if unit.kind == "province":
        latin.append(f"{unit.name_en} Province")
    return hangul, latin


def _somewhere_forms(unit: Unit) -> tuple[list[str], list[str]]:
    return (
        [f"{unit.name_ko} 어딘가", f"{unit.name_ko} 어디"],
        [f"somewhere in {unit.name_en}", f"somewhere in {_plain(unit.name_mr)}"],
    )


@dataclass(frozen=True)
class PlaceTable:
    """Place strings: for each (mode group, unit, script) a run of forms in ``strings``."""

    strings: ObjectArray
    start: IntArray  # (3 groups: county, province, somewhere) x units x 2 scripts
    count: IntArray
    dropped: int  # candidate forms the resolver did not read back to their unit

    def index(self, group: IntArray, unit: IntArray, latin: IntArray, pick: IntArray) -> IntArray:
        start = self.start[group, unit, latin]
        count = self.count[group, unit, latin]
        return np.asarray(start + pick % np.maximum(count, 1))


def _resolves_to(text: str, unit: Unit) -> bool:
    place = resolve_place(text)
    return place.code == unit.code and not place.flagged


@lru_cache(maxsize=1)
def place_table(geo: Geography) -> PlaceTable:
    """Forms of every county and province; each form checked against the resolver."""
    gaz = gazetteer()
    n_units = max(geo.n_counties, geo.n_provinces)
    start = np.zeros((3, n_units, 2), dtype=np.int64)
    count = np.zeros((3, n_units, 2), dtype=np.int64)
    rows: list[str] = []
    dropped = 0

    def add(group: int, index: int, unit: Unit, forms: tuple[list[str], list[str]]) -> None:
        nonlocal dropped
        for script, candidates in enumerate(forms):
            kept = [f for f in dict.fromkeys(candidates) if f and _resolves_to(f, unit)]
            dropped += len(dict.fromkeys(candidates)) - len(kept)
            if not kept:  # keep the official name so that the unit can still be told
                kept = [unit.name_ko if script == 0 else unit.name_en]
            start[group, index, script] = len(rows)
            count[group, index, script] = len(kept)
            rows.extend(kept)

    provinces = {code: gaz.get(code) for code in geo.province_code}
    for i, code in enumerate(geo.county_code):
        unit = gaz.get(code)
        add(0, i, unit, _county_forms(unit, provinces[geo.county_iso[i]]))
    for i, code in enumerate(geo.province_code):
        unit = provinces[code]
        add(1, i, unit, _province_forms(unit))
        add(2, i, unit, _somewhere_forms(unit))
    return PlaceTable(np.asarray(rows, dtype=object), start, count, dropped)


# --- names -------------------------------------------------------------------------------


def _typos(word: str, rng: np.random.Generator, n: int) -> list[str]:
    """``n`` misspellings of a romanized word: a letter dropped, doubled, swapped, changed."""
    out: list[str] = []
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    swaps = {"o": "u", "u": "o", "e": "a", "a": "e", "k": "g", "g": "k", "n": "m", "h": ""}
    while len(out) < n:
        i = int(letters[int(rng.integers(len(letters)))])
        kind = int(rng.integers(4))
        if kind == 0 and len(letters) > 3:
            typo = word[:i] + word[i + 1 :]
        elif kind == 1:
            typo = word[:i] + word[i] + word[i:]
        elif kind == 2 and i + 1 < len(word) and word[i + 1].isalpha():
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            low = word[i].lower()
            swapped = swaps.get(low, low)
            typo = word[:i] + (swapped.upper() if word[i].isupper() else swapped) + word[i + 1 :]
        if typo != word and typo not in out:
            out.append(typo)
    return out


N_TYPOS = 2
N_SURNAME_SPELLINGS = 4


@dataclass(frozen=True)
class NameTable:
    """Parts of names as told, by style (see ``uncounted.simulate.noise.NAME_STYLES``)."""

    surname_mr: ObjectArray
    surname_mr_plain: ObjectArray
    surname_rr: ObjectArray
    surname_conventional: ObjectArray  # surnames x N_SURNAME_SPELLINGS
    given_mr: ObjectArray
    given_mr_plain: ObjectArray
    given_rr: ObjectArray
    given_spaced: ObjectArray
    given_typo: ObjectArray  # given names x N_TYPOS


def _given_part(full: str) -> str:
    return full.split(" ", 1)[1]


@lru_cache(maxsize=2)
def name_table(pool: NamePool) -> NameTable:
    """Romanized parts of every surname and given name of ``pool``."""
    rng = np.random.default_rng(20240611)  # fixed: tables do not depend on a world's seed
    conventional = []
    for surname in pool.surnames:
        spellings = list(surname_variants(surname))[:N_SURNAME_SPELLINGS]
        while len(spellings) < N_SURNAME_SPELLINGS:
            spellings.append(spellings[len(spellings) % max(len(spellings), 1)])
        conventional.append(spellings)
    mr, plain, rr, spaced, typos = [], [], [], [], []
    for given in pool.given:
        full = "김" + given
        mr.append(_given_part(romanize(full, "mr", name=True)))
        plain_part = _given_part(romanize(full, "mr", diacritics=False, name=True))
        plain.append(plain_part)
        rr.append(_given_part(romanize(full, "rr", name=True)))
        spaced.append(plain_part.replace("-", " ").title())
        typos.append(_typos(plain_part, rng, N_TYPOS))
    return NameTable(
        surname_mr=np.asarray([romanize(s, "mr", name=True) for s in pool.surnames], dtype=object),
        surname_mr_plain=np.asarray(
            [romanize(s, "mr", diacritics=False, name=True) for s in pool.surnames], dtype=object
        ),
        surname_rr=np.asarray([romanize(s, "rr", name=True) for s in pool.surnames], dtype=object),
        surname_conventional=np.asarray(conventional, dtype=object),
        given_mr=np.asarray(mr, dtype=object),
        given_mr_plain=np.asarray(plain, dtype=object),
        given_rr=np.asarray(rr, dtype=object),
        given_spaced=np.asarray(spaced, dtype=object),
        given_typo=np.asarray(typos, dtype=object),
    )


# --- counts and ages ---------------------------------------------------------------------

MAX_COUNT = 40
MAX_AGE = 99


@lru_cache(maxsize=1)
def count_strings() -> ObjectArray:
    """(mode exact/range/vague, value, language) -> text; ``parse_count`` reads every one."""
    table = np.empty((3, MAX_COUNT + 2, 2), dtype=object)
    for n in range(MAX_COUNT + 2):
        table[0, n] = (str(n), f"{n}명")
        table[1, n] = (f"{n}-{n + 1}", f"{n}-{n + 1}명")
        table[2, n] = ("several", "수 명" if n % 2 else "여러 명")
    return table


@lru_cache(maxsize=1)
def age_strings() -> ObjectArray:
    """(form exact/decade/about, age, language) -> text; ``parse_age`` reads every one."""
    table = np.empty((3, MAX_AGE + 1, 2), dtype=object)
    for age in range(MAX_AGE + 1):
        decade = age // 10 * 10
        about = int(round(age / 5.0)) * 5
        table[0, age] = (str(age), f"{age}세")
        table[1, age] = (f"{decade}s", f"{decade}대")
        table[2, age] = (f"about {about}", f"약 {about}세")
    return table
