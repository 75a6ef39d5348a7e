"""The gazetteer: units loaded from package data and a name index built once.

Public names are re-exported from :mod:`uncounted.records.places`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from uncounted.records.gazetteer_model import Level, Unit
from uncounted.records.gazetteer_text import is_hangul, loose_key, name_keys, plain, tokens

__all__ = ["Gazetteer", "NameMatch", "gazetteer"]

_DATA_PACKAGE = "uncounted.records"
_DATA_FILE = "data/gazetteer_kp.json"

# Prefix search only from this many characters on: one Hangul syllable or two
# Latin letters would match half the gazetteer.
_MIN_PREFIX = {True: 2, False: 3}


@dataclass(frozen=True)
class NameMatch:
    """A unit found under a name key, and how.

    ``via`` is ``"name"`` (a current name or spelling), ``"former"`` (a name
    the unit had before) or ``"part"`` (a place below the county level that
    lies in the unit, such as a district of Chongjin); ``label`` is the
    gazetteer's spelling of what matched.
    """

    unit: Unit
    via: str
    label: str


_VIA_RANK = {"name": 0, "former": 1, "part": 2}


class Gazetteer:
    """North Korea's first- and second-level administrative units.

    Build it with :func:`gazetteer` (cached, loaded from the package data);
    the constructor takes the parsed JSON for tests and other countries.
    Codes, the humanitarian crosswalk and the data's own notes are described
    in ``records/data/gazetteer_kp.json``.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.note: str = str(data.get("note", ""))
        self._units: dict[str, Unit] = {}
        self._former_parents: dict[str, tuple[str, ...]] = {}
        self._children: dict[str, list[Unit]] = {}
        raw_units: list[Mapping[str, Any]] = list(data["units"])
        for raw in raw_units:
            unit = _unit_from_json(raw)
            if unit.code in self._units:
                raise ValueError(f"gazetteer data has the unit code {unit.code!r} twice")
            self._units[unit.code] = unit
            self._former_parents[unit.code] = tuple(raw.get("former_parents", ()))
        for unit in self._units.values():
            if unit.parent is not None:
                if unit.parent not in self._units:
                    raise ValueError(f"unit {unit.code!r} has an unknown parent {unit.parent!r}")
                self._children.setdefault(unit.parent, []).append(unit)
        humanitarian = data.get("humanitarian", {})
        self.humanitarian_note: str = str(humanitarian.get("note", ""))
        self._humanitarian_fold: dict[str, str] = dict(humanitarian.get("fold", {}))
        self.shared_names: dict[str, tuple[str, ...]] = {
            str(item["key"]): tuple(item["codes"]) for item in data.get("shared_names", ())
        }
        self._exact: dict[str, tuple[NameMatch, ...]] = {}
        self._loose: dict[str, tuple[NameMatch, ...]] = {}
        self._build_index(raw_units)

    # -- lookups by code ---------------------------------------------------

    def get(self, code: str) -> Unit:
        """The unit with this code.

        Raises
        ------
        KeyError
            If no unit has this code.
        """
        try:
            return self._units[code]
        except KeyError:
            raise KeyError(
                f"no unit with code {code!r} in the gazetteer; codes look like 'KP-09' "
                "(first level, ISO 3166-2) or 'KP-09-hoeryeong' (second level); "
                "Gazetteer.units() lists them all and search() finds one by name"
            ) from None

    def units(self, level: Level | None = None) -> list[Unit]:
        """All units, first-level units first, optionally of one level only."""
        return [u for u in self._units.values() if level is None or u.level == level]

    def provinces(self) -> list[Unit]:
        """The 13 first-level units in ISO code order."""
        return self.units(Level.PROVINCE)

    def children(self, code: str) -> list[Unit]:
        """Second-level units of a first-level unit (empty for a second-level one)."""
        self.get(code)
        return list(self._children.get(code, ()))

    def province_of(self, code: str) -> Unit:
        """The first-level unit a unit lies in (the unit itself for a first-level one)."""
        unit = self.get(code)
        return unit if unit.parent is None else self.get(unit.parent)

    def former_parents(self, code: str) -> tuple[str, ...]:
        """First-level units this unit belonged to before (Nampo: South Pyongan, 2004-2010)."""
        self.get(code)
        return self._former_parents[code]

    def within(self, inner: str, outer: str) -> bool:
        """True when ``inner`` is ``outer`` or lies in it, now or formerly.

        Former provinces count (Kaesong lies within North Hwanghae, as it did
        2003-2019), and so does the humanitarian 11-unit scheme, so that
        testimony naming the province of its time is consistent.
        """
        if inner == outer:
            return True
        unit, container = self.get(inner), self.get(outer)
        if container.level != Level.PROVINCE:
            return False
        province = self.province_of(inner)
        return (
            province.code == outer
            or outer in self._former_parents[unit.code]
            or outer in self._former_parents[province.code]
            or self._humanitarian_fold.get(province.code) == outer
        )

    # -- humanitarian crosswalk ------------------------------------------

    def humanitarian_code(self, iso_3166_2: str) -> str:
        """Code of the unit in the 11-unit scheme of humanitarian boundary files.

        Those files (WFP/OCHA, geoBoundaries) draw Rason (KP-13) inside North
        Hamgyong (KP-09) and Kaesong (KP-15) inside North Hwanghae (KP-06);
        every other first-level unit, Nampo (KP-14) included, is its own unit.
        The scheme's units are named by their ISO codes. A second-level code
        is accepted and mapped through its province.

        Raises
        ------
        KeyError
            If the code is not in the gazetteer.
        """
        province = self.province_of(iso_3166_2).code
        return self._humanitarian_fold.get(province, province)

    def humanitarian_units(self) -> list[Unit]:
        """The 11 first-level units of the humanitarian scheme."""
        codes = {self.humanitarian_code(p.code) for p in self.provinces()}
        return [p for p in self.provinces() if p.code in codes]

    # -- names -------------------------------------------------------------

    def lookup(self, key: str) -> tuple[NameMatch, ...]:
        """Units under a folded name key (see :mod:`gazetteer_text`), exact keys only.

        A key with MR's breves is tried as it is, then without them.
        """
        found = self._exact.get(key)
        if found is None:
            bare = plain(key)
            found = self._exact.get(bare, ()) if bare != key else ()
        return found

    def lookup_loose(self, key: str) -> tuple[NameMatch, ...]:
        """Units whose loose key equals the loose key of ``key``."""
        return self._loose.get(loose_key(key), ())

    def search(self, text: str) -> list[Unit]:
        """All units whose names or aliases match ``text``, best first.

        Order: the whole text as a name; the text without an administrative
        suffix ("Hyesan City"); names that differ only by romanization
        system; places below the county level named by the text (their
        city or county is returned); finally names that start with the text
        (from two Hangul syllables or three Latin letters), for completion.
        Within a tier, first-level units come first, then by code.
        """
        words = tokens(text)
        if not words:
            return []
        whole = "".join(words)
        bare = plain(whole)
        shorter = name_keys(text) - {whole, bare}
        tiers: list[list[NameMatch]] = [[], [], [], [], []]
        tiers[0] += self.lookup(whole)
        tiers[1] += self._exact.get(bare, ())
        for key in shorter:
            tiers[1] += self.lookup(key)
        for key in (bare, *shorter):
            if len(key) >= 3 and not is_hangul(key):
                tiers[2] += self.lookup_loose(key)
        tiers[3] = [m for tier in tiers[:3] for m in tier if m.via == "part"]
        for tier in tiers[:3]:
            tier[:] = [m for m in tier if m.via != "part"]
        if len(bare) >= _MIN_PREFIX[is_hangul(bare)]:
            tiers[4] += [
                m
                for key, matches in self._exact.items()
                if key.startswith(bare) and key != bare
                for m in matches
                if m.via != "part"
            ]
        found: list[Unit] = []
        seen: set[str] = set()
        for tier in tiers:
            for unit in sorted({m.unit.code: m.unit for m in tier}.values(), key=_unit_order):
                if unit.code not in seen:
                    seen.add(unit.code)
                    found.append(unit)
        return found

    # -- index -------------------------------------------------------------

    def _build_index(self, raw_units: Iterable[Mapping[str, Any]]) -> None:
        exact: dict[str, dict[str, NameMatch]] = {}

        def add(key: str, match: NameMatch) -> None:
            slot = exact.setdefault(key, {})
            known = slot.get(match.unit.code)
            if known is None or _VIA_RANK[match.via] < _VIA_RANK[known.via]:
                slot[match.unit.code] = match

        for raw in raw_units:
            unit = self._units[str(raw["code"])]
            former = set(raw.get("former_names", ()))
            for name in (unit.name_en, unit.name_ko, unit.name_mr, unit.name_rr, *unit.aliases):
                via = "former" if name in former else "name"
                for key in name_keys(name):
                    add(key, NameMatch(unit, via, name))
            for part in raw.get("parts", ()):
                label = str(part["name_ko"])
                for name in (label, part["name_en"], *part.get("aliases", ())):
                    for key in name_keys(str(name)):
                        add(key, NameMatch(unit, "part", f"{part['name_en']} ({label})"))
        loose: dict[str, dict[str, NameMatch]] = {}
        for key, slot in exact.items():
            if is_hangul(key) or key != plain(key):
                continue
            for match in slot.values():
                held = loose.setdefault(loose_key(key), {})
                known = held.get(match.unit.code)
                if known is None or _VIA_RANK[match.via] < _VIA_RANK[known.via]:
                    held[match.unit.code] = match
        self._exact = {k: _ordered(v.values()) for k, v in exact.items()}
        self._loose = {k: _ordered(v.values()) for k, v in loose.items()}


def _ordered(matches: Iterable[NameMatch]) -> tuple[NameMatch, ...]:
    return tuple(sorted(matches, key=lambda m: (_VIA_RANK[m.via], _unit_order(m.unit))))


def _unit_order(unit: Unit) -> tuple[int, str]:
    return (0 if unit.level == Level.PROVINCE else 1, unit.code)


def _unit_from_json(raw: Mapping[str, Any]) -> Unit:
    aliases = [str(a) for a in raw.get("aliases", ())]
    aliases += [str(a) for a in raw.get("former_names", ()) if a not in aliases]
    return Unit(
        code=str(raw["code"]),
        iso_3166_2=str(raw["iso_3166_2"]),
        level=Level(raw["level"]),
        kind=str(raw["kind"]),
        name_en=str(raw["name_en"]),
        name_ko=str(raw["name_ko"]),
        name_mr=str(raw["name_mr"]),
        name_rr=str(raw["name_rr"]),
        parent=None if raw.get("parent") is None else str(raw["parent"]),
        aliases=tuple(aliases),
    )


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The North Korea gazetteer shipped with uncounted (loaded once, then cached)."""
    text = resources.files(_DATA_PACKAGE).joinpath(_DATA_FILE).read_text(encoding="utf-8")
    return Gazetteer(json.loads(text))
