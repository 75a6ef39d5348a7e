"""Resolve a place as told to the deepest gazetteer unit it names.

Reading
    The text is folded and split into words (:mod:`gazetteer_text`); spans of
    up to five words within one comma-separated part are looked up as names,
    longest first, exact keys before loose ones (so "Kim Jong Suk",
    "North Hamgyong" and "Hamgyong-bukto" are read as one name each). An
    administrative word after a name ("City", "군") is taken as a hint of its
    kind. A Hangul word that is no name as a whole is cut into a name and what
    follows it: a suffix, a particle, a qualifier or a unit below the county
    ("회령시역전동에서"). Words such as "near" are kept as qualifiers, words
    for a site ("market", "airfield", "장마당") as sites, "dong",
    "ri" and Hangul words in 동/리/읍 as parts below the county level, which
    are kept but not resolved.

Deciding
    Each name read gives a set of candidate units. A candidate scores one
    point for every name read that it lies within (itself, its province, or a
    province it belonged to before). The best-scoring candidates, less any
    that contain another, are the answer: one unit is a resolved place;
    several are an ambiguity, reported at the province they share if they
    share one; a best score below the number of names read means the names
    contradict each other ("Hoeryong, South Pyongan"), which is flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from uncounted.records.gazetteer_index import Gazetteer, NameMatch
from uncounted.records.gazetteer_model import Level, ResolvedPlace, Unit
from uncounted.records.gazetteer_text import (
    HANGUL_PARTICLES,
    HANGUL_SUBUNIT_ENDINGS,
    HANGUL_SUFFIXES,
    IGNORED_WORDS,
    LATIN_SUFFIXES,
    QUALIFIER_WORDS,
    SITE_WORDS,
    SUBUNIT_MARKERS,
    is_hangul,
    plain,
    suffix_kinds,
    tokens,
)

__all__ = ["resolve"]

_MAX_SPAN = 5
# Longer Hangul words are not cut into pieces: no place text glues more than
# a few names together, and cutting is quadratic in the length.
_MAX_SEGMENTED = 24
_SHOWN = 40
_BREAKS = re.compile(r"[,;/()\[\]{}|\n<>]+|\s-\s")

_HANGUL_WORDS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        [(w, "suffix") for w in HANGUL_SUFFIXES]
        + [(w, "skip") for w in HANGUL_PARTICLES]
        + [(w, "qualifier") for w in QUALIFIER_WORDS if is_hangul(w)]
        + [(w, "site") for w in SITE_WORDS if is_hangul(w)]
        + [(w, "skip") for w in IGNORED_WORDS if is_hangul(w)],
        key=lambda pair: -len(pair[0]),
    )
)
_LATIN_SUFFIXES_LONGEST_FIRST = sorted(LATIN_SUFFIXES, key=len, reverse=True)


@dataclass(frozen=True)
class _Piece:
    kind: str  # "unit", "suffix", "qualifier", "site", "below", "skip"
    text: str
    matches: tuple[NameMatch, ...] = ()


@dataclass(frozen=True)
class _Mention:
    told: str
    matches: tuple[NameMatch, ...]


@dataclass
class _Reading:
    mentions: list[_Mention] = field(default_factory=list)
    qualifiers: list[str] = field(default_factory=list)
    below: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Outcome:
    code: str | None
    iso_3166_2: str | None
    level: Level | None
    name: str | None
    candidates: tuple[Unit, ...]
    flagged: bool
    warnings: tuple[str, ...]


def resolve(gaz: Gazetteer, text: str) -> ResolvedPlace:
    """Resolve ``text`` against ``gaz``; never raises (see the module docstring)."""
    as_told = text if isinstance(text, str) else ("" if text is None else str(text))
    parts = tuple(tuple(tokens(part)) for part in _BREAKS.split(as_told))
    outcome = _decide(gaz, tuple(p for p in parts if p))
    warnings = list(outcome.warnings)
    if "?" in as_told or "？" in as_told:
        warnings.append("told with a question mark: the witness was unsure")
    return ResolvedPlace(
        as_told=as_told,
        code=outcome.code,
        iso_3166_2=outcome.iso_3166_2,
        level=outcome.level,
        name=outcome.name,
        candidates=outcome.candidates,
        flagged=outcome.flagged,
        warning="; ".join(warnings) if warnings else None,
    )


# -- reading ---------------------------------------------------------------


def _read(gaz: Gazetteer, parts: tuple[tuple[str, ...], ...]) -> _Reading:
    reading = _Reading()
    for words in parts:
        _read_part(gaz, words, reading)
    return reading


def _read_part(gaz: Gazetteer, words: tuple[str, ...], reading: _Reading) -> None:
    i, n = 0, len(words)
    while i < n:
        found = _span_match(gaz, words, i)
        if found is not None:
            length, matches = found
            told = " ".join(words[i : i + length])
            kinds = suffix_kinds(words[i + length - 1]) if length > 1 else None
            i += length
            while i < n and suffix_kinds(words[i]) is not None:
                kinds = suffix_kinds(words[i])
                told += " " + words[i]
                i += 1
            reading.mentions.append(_Mention(told, _fit_kinds(matches, kinds)))
            if i < n and plain(words[i]) in SUBUNIT_MARKERS:
                reading.below.append(f"{told} {words[i]}")
                i += 1
            continue
        word = words[i]
        i += 1
        if word.isdigit() or plain(word) in IGNORED_WORDS or suffix_kinds(word) is not None:
            continue
        if plain(word) in QUALIFIER_WORDS:
            reading.qualifiers.append(word)
            continue
        if plain(word) in SITE_WORDS:
            reading.sites.append(word)
            continue
        if is_hangul(word):
            pieces = _segment(gaz, word) if len(word) <= _MAX_SEGMENTED else None
            if pieces is not None:
                _take_pieces(word, pieces, reading)
                continue
        else:
            glued = _glued_suffix(gaz, word)
            if glued:
                reading.mentions.append(_Mention(word, glued))
                continue
        if i < n and plain(words[i]) in SUBUNIT_MARKERS:
            reading.below.append(f"{word} {words[i]}")
            i += 1
        elif plain(word) in SUBUNIT_MARKERS:
            continue
        elif _looks_below_county(word):
            reading.below.append(word)
        else:
            reading.unknown.append(word)


def _span_match(
    gaz: Gazetteer, words: tuple[str, ...], start: int
) -> tuple[int, tuple[NameMatch, ...]] | None:
    longest = min(_MAX_SPAN, len(words) - start)
    for loose in (False, True):
        for length in range(longest, 0, -1):
            key = "".join(words[start : start + length])
            if loose:
                if len(key) < 3 or is_hangul(key):
                    continue
                matches = gaz.lookup_loose(key)
            else:
                matches = gaz.lookup(key)
            if matches:
                return length, matches
    return None


def _fit_kinds(
    matches: tuple[NameMatch, ...], kinds: frozenset[str] | None
) -> tuple[NameMatch, ...]:
    if kinds is None:
        return matches
    fitting = tuple(m for m in matches if m.unit.kind in kinds)
    return fitting or matches


def _glued_suffix(gaz: Gazetteer, word: str) -> tuple[NameMatch, ...]:
    """A romanized name with its suffix glued on: "hyesansi", "kapsankun"."""
    word = plain(word)
    for suffix in _LATIN_SUFFIXES_LONGEST_FIRST:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3:
            kinds = LATIN_SUFFIXES[suffix]
            matches = gaz.lookup(stem) or gaz.lookup_loose(stem)
            fitting = tuple(m for m in matches if m.unit.kind in kinds)
            if fitting:
                return fitting
    return ()


def _looks_below_county(word: str) -> bool:
    if is_hangul(word):
        return len(word) >= 2 and word.endswith(HANGUL_SUBUNIT_ENDINGS)
    return len(word) > 5 and word.endswith("dong")


@lru_cache(maxsize=16384)
def _segment(gaz: Gazetteer, word: str) -> tuple[_Piece, ...] | None:
    """Cut a Hangul word into known pieces, or None if it cannot be."""
    if not word:
        return ()
    # A name needs two syllables here: one-syllable names (중) are only read
    # as whole words, or 중국 ("China") would be a district of Pyongyang.
    for end in range(len(word), 1, -1):
        matches = gaz.lookup(word[:end])
        if not matches:
            continue
        rest = _segment(gaz, word[end:])
        if rest is None:
            continue
        if rest and rest[0].kind == "suffix":
            kinds = HANGUL_SUFFIXES[rest[0].text]
            # A glued suffix must fit: 신도시 is a "new town", not Sindo county.
            matches = tuple(m for m in matches if m.unit.kind in kinds)
            if not matches:
                continue
        return (_Piece("unit", word[:end], matches), *rest)
    # 역전동 is a neighbourhood before it is a site (역전) and a stray 동.
    for end in range(len(word), 1, -1):
        head = word[:end]
        if head.endswith(HANGUL_SUBUNIT_ENDINGS) and head not in SITE_WORDS:
            rest = _segment(gaz, word[end:])
            if rest is not None:
                return (_Piece("below", head), *rest)
    for known, kind in _HANGUL_WORDS:
        if word.startswith(known):
            rest = _segment(gaz, word[len(known) :])
            if rest is not None:
                return (_Piece(kind, known), *rest)
    if word in HANGUL_SUBUNIT_ENDINGS:
        return (_Piece("below", word),)
    return None


def _take_pieces(word: str, pieces: tuple[_Piece, ...], reading: _Reading) -> None:
    below = False
    for index, piece in enumerate(pieces):
        if piece.kind == "unit":
            following = pieces[index + 1] if index + 1 < len(pieces) else None
            told = piece.text + (following.text if following and following.kind == "suffix" else "")
            reading.mentions.append(_Mention(told, piece.matches))
        elif piece.kind == "qualifier":
            reading.qualifiers.append(piece.text)
        elif piece.kind == "site":
            reading.sites.append(piece.text)
        elif piece.kind == "below":
            below = True
    if below:
        reading.below.append(word)


# -- deciding --------------------------------------------------------------


@lru_cache(maxsize=65536)
def _decide(gaz: Gazetteer, parts: tuple[tuple[str, ...], ...]) -> _Outcome:
    reading = _read(gaz, parts)
    notes = _reading_notes(reading)
    if not reading.mentions:
        why = (
            "no place given"
            if not parts
            else "no place in the gazetteer was recognised; kept as told"
        )
        return _Outcome(None, None, None, None, (), True, (why, *notes))
    groups = [_distinct(m.unit for m in mention.matches) for mention in reading.mentions]
    units = _distinct(u for group in groups for u in group)
    score = {
        u.code: sum(any(gaz.within(u.code, v.code) for v in group) for group in groups)
        for u in units
    }
    best = max(score.values())
    top = _deepest(gaz, [u for u in units if score[u.code] == best])
    conflict = best < len(groups)
    candidates = top
    if conflict:
        rest = [u for u in units if u not in top]
        candidates = top + [u for u in _deepest(gaz, units) if u in rest]
    warnings = _match_notes(gaz, reading, candidates)
    if len(candidates) == 1 and not conflict:
        unit = candidates[0]
        warnings += _former_parent_notes(gaz, unit, groups)
        return _Outcome(
            unit.code,
            unit.iso_3166_2,
            unit.level,
            unit.name_en,
            (),
            False,
            (*warnings, *notes),
        )
    listed = ", ".join(_label(gaz, u) for u in candidates)
    why = (
        f"the places named do not fit together: {listed}"
        if conflict
        else f"ambiguous, could be: {listed}"
    )
    provinces = {u.iso_3166_2 for u in candidates}
    if len(provinces) == 1:
        province = gaz.get(provinces.pop())
        return _Outcome(
            province.code,
            province.code,
            Level.PROVINCE,
            province.name_en,
            tuple(candidates),
            True,
            (why, *warnings, *notes),
        )
    return _Outcome(None, None, None, None, tuple(candidates), True, (why, *warnings, *notes))


def _distinct(units: Iterable[Unit]) -> list[Unit]:
    seen: dict[str, Unit] = {}
    for unit in units:
        seen.setdefault(unit.code, unit)
    return list(seen.values())


def _deepest(gaz: Gazetteer, units: list[Unit]) -> list[Unit]:
    """Drop every unit that contains another of the list."""
    return [
        u for u in units if not any(w.code != u.code and gaz.within(w.code, u.code) for w in units)
    ]


def _label(gaz: Gazetteer, unit: Unit) -> str:
    if unit.level == Level.PROVINCE:
        return f"{unit.name_en} ({unit.code})"
    return f"{unit.name_en} ({gaz.province_of(unit.code).name_en}, {unit.code})"


def _match_notes(gaz: Gazetteer, reading: _Reading, chosen: list[Unit]) -> list[str]:
    notes: list[str] = []
    codes = {u.code for u in chosen}
    for mention in reading.mentions:
        for match in mention.matches:
            if match.unit.code not in codes:
                continue
            if match.via == "former":
                notes.append(f"{match.label} is a former name of {_label(gaz, match.unit)}")
            elif match.via == "part":
                notes.append(
                    f"{match.label} is a part of {match.unit.name_en} below the county "
                    f"level; resolved to {match.unit.name_en}"
                )
    return notes


def _former_parent_notes(gaz: Gazetteer, unit: Unit, groups: list[list[Unit]]) -> list[str]:
    notes = []
    current = gaz.province_of(unit.code).code
    for group in groups:
        named = [v for v in group if v.level == Level.PROVINCE and v.code != current]
        if unit in group or len(named) != len(group):
            continue
        for province in named:
            if gaz.within(unit.code, province.code):
                now = (
                    "a first-level unit"
                    if unit.level == Level.PROVINCE
                    else f"in {gaz.get(current).name_en}"
                )
                notes.append(
                    f"{unit.name_en} is {now} now; {province.name_en}, as told, "
                    "is the province it belonged to before"
                )
    return notes


def _shown(word: str) -> str:
    return repr(word if len(word) <= _SHOWN else word[: _SHOWN - 3] + "...")


def _reading_notes(reading: _Reading) -> list[str]:
    notes = []
    if reading.below:
        shown = ", ".join(_shown(b) for b in reading.below[:8])
        notes.append(f"below the county level, kept as told and not resolved: {shown}")
    if reading.sites:
        shown = ", ".join(_shown(w) for w in reading.sites[:8])
        notes.append(f"a site within the place, kept as told: {shown}")
    if reading.qualifiers:
        shown = ", ".join(_shown(q) for q in reading.qualifiers)
        notes.append(f"told as approximate ({shown})")
    if reading.unknown:
        shown = ", ".join(_shown(u) for u in reading.unknown[:8])
        more = f" and {len(reading.unknown) - 8} more" if len(reading.unknown) > 8 else ""
        notes.append(f"words not recognised: {shown}{more}")
    return notes
