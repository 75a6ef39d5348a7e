"""Places: the North Korea gazetteer and the resolver of places as told.

A witness names a place the way they know it: "Hyesan", "혜산시", "Hyesan City",
"near Hoeryong", "함경북도 회령시 역전동", "Saebyol" (Kyongwon's name until the
2000s). :func:`resolve_place` keeps that text and finds the deepest unit of
the gazetteer it names, listing every candidate when the text is ambiguous
and flagging what a reviewer should look at. It never raises.

The gazetteer (:func:`gazetteer`) holds the 13 first-level units of ISO
3166-2:KP and about 200 second-level units (cities, counties, districts),
each with Hangul (Northern spelling), McCune–Reischauer, Revised
Romanization and the Southern and common English spellings witnesses use,
and a crosswalk to the 11-unit scheme of humanitarian boundary files. Its
data file, ``records/data/gazetteer_kp.json``, states which administrative
state it describes.

Examples
--------
>>> resolve_place("Hyesan City").code
'KP-10-hyesan'
>>> resolve_place("somewhere in North Hamgyong").iso_3166_2
'KP-09'
>>> gazetteer().humanitarian_code("KP-13")
'KP-09'
"""

from __future__ import annotations

from uncounted.records.gazetteer_index import Gazetteer, gazetteer
from uncounted.records.gazetteer_model import Level, ResolvedPlace, Unit
from uncounted.records.gazetteer_resolve import resolve

__all__ = ["Gazetteer", "Level", "ResolvedPlace", "Unit", "gazetteer", "resolve_place"]


def resolve_place(text: str) -> ResolvedPlace:
    """Resolve a place as told to the deepest gazetteer unit it names.

    Parameters
    ----------
    text
        The place exactly as the witness or the record gives it, in any
        script or romanization, possibly with a province ("Hoeryong, North
        Hamgyong"), a qualifier ("near"), or a town or village below the
        county level (kept, not resolved).

    Returns
    -------
    ResolvedPlace
        ``as_told`` is ``text`` unchanged. A unique match gives ``code``,
        ``iso_3166_2``, ``level`` and ``name``; an ambiguous one lists
        ``candidates`` and is ``flagged``, resolved to their common province
        when they share one; an unknown place is ``flagged`` with no code.
        ``warning`` says in words what was noticed.

    Notes
    -----
    Matching ignores case, diacritics and apostrophes (ŏ ŭ ' ’ `), spaces
    and hyphens and administrative suffixes (-si, -gun, -kun, -guyok,
    City, County, Province, 시, 군, 구역, 도), and accepts spellings that differ
    only by romanization system (Hoeryong, Hoeryeong). A province named with
    a second-level unit picks among same-named units; a former province of
    the unit is accepted (Kaesong, North Hwanghae). Results are cached, so
    repeated texts cost a dictionary look-up.
    """
    return resolve(gazetteer(), text)
