"""The gazetteer as arrays: the counties a simulated world happens in, and their weights.

Everything here is indexed by a county number ``0..n-1`` so that the simulator can draw
and join with numpy. Weights are "population-ish": a province's population share times
a per-kind weight within the province (capitals weigh more than cities, cities more than
counties); they are a modelling choice, not data.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from uncounted.records.places import gazetteer
from uncounted.simulate.presets import Mix, TruthParams

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Provincial capitals, matched on a folded English name (see ``fold``).
CAPITALS = frozenset(
    {"pyongsong", "sinuiju", "kanggye", "haeju", "sariwon", "wonsan", "hamhung", "chongjin",
     "hyesan"}
)  # fmt: skip
# Counties on the Chinese border where most crossings happen: people leave from there,
# so interviewees come from there more often than population alone would say.
BORDER_COUNTIES = frozenset(
    {"hoeryong", "musan", "onsong", "kyongwon", "saeppyol", "kyonghung", "undok", "hyesan",
     "samjiyon", "pochon", "kimjongsuk", "taehongdan", "sinuiju", "manpo", "junggang",
     "chunggang", "sakju", "uiju", "yonsa", "kimhyongjik", "unhung", "paegam"}
)  # fmt: skip


def fold(text: str) -> str:
    """Lower-case ASCII letters only: ``P'yŏngsŏng-si`` -> ``pyongsongsi``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed.lower() if "a" <= c <= "z")


def _base_name(text: str) -> str:
    folded = fold(text)
    for suffix in ("si", "gun", "kun", "guyok", "kuyok", "city", "county", "district"):
        if folded.endswith(suffix) and len(folded) > len(suffix) + 2:
            return folded[: -len(suffix)]
    return folded


@dataclass(frozen=True, eq=False)  # hashed by identity: cached tables key on it
class Geography:
    """Counties (second-level units) as parallel arrays, with their provinces."""

    county_code: tuple[str, ...]
    county_iso: tuple[str, ...]
    county_name_en: tuple[str, ...]
    county_province: IntArray
    county_kind: tuple[str, ...]
    is_capital: npt.NDArray[np.bool_]
    is_border: npt.NDArray[np.bool_]
    province_code: tuple[str, ...]
    # Other counties of the same province (compressed rows: county i's siblings are
    # sibling_flat[sibling_start[i] : sibling_start[i] + sibling_count[i]]).
    sibling_flat: IntArray
    sibling_start: IntArray
    sibling_count: IntArray

    @property
    def n_counties(self) -> int:
        return len(self.county_code)

    @property
    def n_provinces(self) -> int:
        return len(self.province_code)

    def province_index(self, iso: str) -> int:
        return self.province_code.index(iso)

    def find_county(self, name_en: str) -> int | None:
        """The county whose English name folds to ``name_en`` (first match), if any."""
        return _county_index(self).get(_base_name(name_en))

    def within_province_weight(self, truth: TruthParams) -> FloatArray:
        """Weight of each county inside its province, by kind (capital, city, ...)."""
        weight = np.empty(self.n_counties)
        for i, kind in enumerate(self.county_kind):
            if self.is_capital[i]:
                weight[i] = truth.capital_weight
            elif kind == "district":
                weight[i] = truth.district_weight
            elif kind == "city":
                weight[i] = truth.city_weight
            else:
                weight[i] = truth.county_weight
        return weight

    def county_weights(self, province_mix: Mix, within: FloatArray, rate: Mix = ()) -> FloatArray:
        """Probability of each county: province share (times rate) spread by ``within``."""
        share = np.zeros(self.n_provinces)
        for iso, value in province_mix:
            if iso in self.province_code:
                share[self.province_index(iso)] = value
        for iso, factor in rate:
            if iso in self.province_code:
                share[self.province_index(iso)] *= factor
        totals = np.bincount(self.county_province, weights=within, minlength=self.n_provinces)
        per_county = share[self.county_province] * within / totals[self.county_province]
        return np.asarray(per_county / per_county.sum(), dtype=np.float64)


@lru_cache(maxsize=4)
def _county_index(geo: Geography) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, name in enumerate(geo.county_name_en):
        index.setdefault(_base_name(name), i)
    return index


def _kind_of(unit_kind: str, name_ko: str) -> str:
    kind = unit_kind.lower()
    if "district" in kind or name_ko.endswith("구역"):
        return "district"
    if "city" in kind or name_ko.endswith("시"):
        return "city"
    return "county"


@lru_cache(maxsize=1)
def load_geography() -> Geography:
    """Counties of the North Korean gazetteer, in gazetteer order (stable across runs)."""
    gaz = gazetteer()
    codes: list[str] = []
    isos: list[str] = []
    names: list[str] = []
    provinces: list[int] = []
    kinds: list[str] = []
    province_codes: list[str] = []
    for province in gaz.provinces():
        children = list(gaz.children(province.code))
        if not children:
            continue
        province_codes.append(province.code)
        for unit in children:
            codes.append(unit.code)
            isos.append(province.iso_3166_2 or province.code)
            names.append(unit.name_en)
            provinces.append(len(province_codes) - 1)
            kinds.append(_kind_of(unit.kind, unit.name_ko))
    county_province = np.asarray(provinces, dtype=np.int64)
    order = np.argsort(county_province, kind="stable")
    counts = np.bincount(county_province, minlength=len(province_codes))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    sibling_flat: list[int] = []
    sibling_start = np.empty(len(codes), dtype=np.int64)
    sibling_count = np.empty(len(codes), dtype=np.int64)
    for i, p in enumerate(provinces):
        members = order[starts[p] : starts[p] + counts[p]]
        others = [int(m) for m in members if m != i]
        sibling_start[i] = len(sibling_flat)
        sibling_count[i] = len(others)
        sibling_flat.extend(others)
    base = [_base_name(n) for n in names]
    return Geography(
        county_code=tuple(codes),
        county_iso=tuple(isos),
        county_name_en=tuple(names),
        county_province=county_province,
        county_kind=tuple(kinds),
        is_capital=np.asarray([b in CAPITALS for b in base]),
        is_border=np.asarray([b in BORDER_COUNTIES for b in base]),
        province_code=tuple(province_codes),
        sibling_flat=np.asarray(sibling_flat, dtype=np.int64),
        sibling_start=sibling_start,
        sibling_count=sibling_count,
    )
