"""The value types of the gazetteer: levels, units and resolved places.

Public names are re-exported from :mod:`uncounted.records.places`; import
them from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Level", "ResolvedPlace", "Unit"]


class Level(StrEnum):
    """Depth of a unit in the administrative hierarchy.

    ``PROVINCE`` is the first level (provinces, the directly governed city of
    Pyongyang and the special cities); ``COUNTY`` is every second-level unit:
    cities, counties, districts (구역, 구) and areas (지구).
    """

    PROVINCE = "province"
    COUNTY = "county"


@dataclass(frozen=True)
class Unit:
    """One administrative unit of the gazetteer.

    Attributes
    ----------
    code
        Stable identifier: the ISO 3166-2 code for a first-level unit
        (``"KP-09"``), ISO code + ``-`` + a lowercase Revised Romanization slug
        for a second-level one (``"KP-09-hoeryeong"``). Codes go into files and
        databases and never change.
    iso_3166_2
        ISO 3166-2 code of the first-level unit the unit lies in (its own code
        for a first-level unit).
    level
        :class:`Level`.
    kind
        ``"province"``, ``"directly_governed_city"``, ``"special_city"``,
        ``"city"``, ``"county"``, ``"district"``, ``"area"`` or
        ``"special_zone"``.
    name_en
        Common English name, without the kind (``"Hoeryong"``,
        ``"North Hamgyong"``).
    name_ko
        Hangul as the DPRK writes it, with the kind suffix (``"회령시"``).
    name_mr
        McCune–Reischauer with breves and apostrophes (``"Hoeryŏng-si"``).
    name_rr
        Revised Romanization (``"Hoeryeong-si"``).
    parent
        Code of the containing first-level unit, ``None`` for first-level units.
    aliases
        Every other spelling the gazetteer knows, including Southern forms
        (양강도, 용천) and former names (새별 for 경원).
    """

    code: str
    iso_3166_2: str
    level: Level
    kind: str
    name_en: str
    name_ko: str
    name_mr: str
    name_rr: str
    parent: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ResolvedPlace:
    """A place as a witness told it, and what the gazetteer makes of it.

    The text is always kept (``as_told``); resolution never raises. A place is
    resolved to the deepest unit it names without doubt. When several units
    fit, they are all listed in ``candidates``; when they all lie in one
    first-level unit, that unit is given as the resolved place at
    ``Level.PROVINCE``.

    Attributes
    ----------
    as_told
        The text exactly as given.
    code
        Code of the resolved unit, or ``None``.
    iso_3166_2
        ISO 3166-2 code of the resolved unit's first-level unit, or ``None``.
    level
        Level of the resolved unit, or ``None``.
    name
        English name of the resolved unit, or ``None``.
    candidates
        All units that fit when the text is ambiguous or contradictory; empty
        when the place is resolved without doubt or not recognised at all.
    flagged
        True when the place is unknown, ambiguous or contradictory and needs a
        reviewer.
    warning
        What was noticed, in words (ambiguity, a former name, a part below the
        county kept but not resolved, "near", words not recognised); ``None``
        when there is nothing to say.
    """

    as_told: str
    code: str | None
    iso_3166_2: str | None
    level: Level | None
    name: str | None
    candidates: tuple[Unit, ...]
    flagged: bool
    warning: str | None = None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary.

        Keys: ``as_told``, ``code``, ``iso_3166_2``, ``level``, ``name``,
        ``flagged``, ``warning`` and ``candidates`` (a list of dictionaries
        with ``code``, ``name``, ``level``, ``iso_3166_2`` and ``parent``).
        """
        return {
            "as_told": self.as_told,
            "code": self.code,
            "iso_3166_2": self.iso_3166_2,
            "level": None if self.level is None else self.level.value,
            "name": self.name,
            "flagged": self.flagged,
            "warning": self.warning,
            "candidates": [
                {
                    "code": unit.code,
                    "name": unit.name_en,
                    "level": unit.level.value,
                    "iso_3166_2": unit.iso_3166_2,
                    "parent": unit.parent,
                }
                for unit in self.candidates
            ],
        }
