"""What the entry form shows while typing: how a date or place as told is read, and
completions for places (Hangul or any romanization) and vocabulary terms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from uncounted.records import vocab
from uncounted.records.dates import FuzzyDate, format_date, parse_date
from uncounted.records.places import ResolvedPlace, Unit, gazetteer, resolve_place

Lang = Literal["en", "ko"]
MAX_COMPLETIONS = 12


def lang_of(language_code: str | None) -> Lang:
    return "ko" if (language_code or "").startswith("ko") else "en"


@dataclass(frozen=True)
class DateReading:
    """A date as told and how it was read, ready for a template or JSON."""

    as_told: str
    start: str | None
    end: str | None
    precision: str
    label: str
    warning: str | None
    days: int | None

    @property
    def understood(self) -> bool:
        return self.start is not None


def read_date(text: str, lang: Lang = "en") -> DateReading:
    value: FuzzyDate = parse_date(text[:256])
    return DateReading(
        as_told=value.as_told,
        start=value.start.isoformat() if value.start else None,
        end=value.end.isoformat() if value.end else None,
        precision=value.precision.value,
        label=format_date(value, lang) if value.start else "",
        warning=value.warning,
        days=value.width_days,
    )


@dataclass(frozen=True)
class PlaceStep:
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class PlaceReading:
    """A place as told, the unit it resolved to and the hierarchy above it."""

    as_told: str
    code: str | None
    hierarchy: tuple[PlaceStep, ...]
    candidates: tuple[PlaceStep, ...]
    flagged: bool
    warning: str | None

    @property
    def understood(self) -> bool:
        return self.code is not None


def unit_name(unit: Unit, lang: Lang) -> str:
    return unit.name_ko if lang == "ko" else unit.name_en


def hierarchy(code: str, lang: Lang) -> tuple[PlaceStep, ...]:
    """Country > province > county steps for a gazetteer code."""
    g = gazetteer()
    unit = g.get(code)
    steps = [PlaceStep(unit.code, unit_name(unit, lang), unit.level.value)]
    if unit.parent:
        parent = g.get(unit.parent)
        steps.insert(0, PlaceStep(parent.code, unit_name(parent, lang), parent.level.value))
    country = "조선민주주의인민공화국" if lang == "ko" else "North Korea (DPRK)"
    steps.insert(0, PlaceStep("KP", country, "country"))
    return tuple(steps)


def read_place(text: str, lang: Lang = "en") -> PlaceReading:
    place: ResolvedPlace = resolve_place(text[:256])
    return PlaceReading(
        as_told=place.as_told,
        code=place.code,
        hierarchy=hierarchy(place.code, lang) if place.code else (),
        candidates=tuple(
            PlaceStep(u.code, unit_name(u, lang), u.level.value) for u in place.candidates[:8]
        ),
        flagged=place.flagged,
        warning=place.warning,
    )


@dataclass(frozen=True)
class Completion:
    value: str
    label: str


def complete_place(text: str, lang: Lang = "en") -> list[Completion]:
    """Places whose names (Hangul, McCune-Reischauer, Revised Romanization, English or a
    known alias) match ``text``; the value offered is in the script the user typed."""
    text = text.strip()[:64]
    if not text:
        return []
    hangul = any("\uac00" <= ch <= "\ud7a3" for ch in text)
    out = []
    g = gazetteer()
    for unit in g.search(text)[:MAX_COMPLETIONS]:
        parent = g.get(unit.parent) if unit.parent else None
        if hangul:
            value = f"{parent.name_ko} {unit.name_ko}" if parent else unit.name_ko
        else:
            value = f"{unit.name_en}, {parent.name_en}" if parent else unit.name_en
        label = f"{unit.name_ko} · {unit.name_en} · {unit.name_mr} · {unit.name_rr}"
        out.append(Completion(value, label))
    return out


COMPLETABLE = {
    "charges": vocab.CHARGES,
    "method": vocab.METHODS,
    "how_known": vocab.HOW_KNOWN,
    "site_type": vocab.SITE_TYPES,
    "violation": vocab.VIOLATIONS,
}


def complete_terms(name: str, text: str, lang: Lang = "en") -> list[Completion]:
    """Vocabulary terms whose code or label (either language) starts with or contains
    the last ``;``-separated part of ``text``; earlier parts are kept in the value."""
    vocabulary = COMPLETABLE.get(name)
    if vocabulary is None:
        return []
    head, _, last = text[:256].rpartition(";")
    key = last.strip().lower()
    prefix = f"{head.strip()}; " if head.strip() else ""
    out = []
    for term in vocabulary.terms:
        names = (term.code.lower(), term.en.lower(), term.ko)
        if not key or any(key in n for n in names):
            out.append(Completion(prefix + term.code, f"{term.label(lang)} ({term.code})"))
    return out[:MAX_COMPLETIONS]


def term_label(name: str, code: str, lang: Lang = "en") -> str:
    """The label of a vocabulary code in ``lang``; the code itself when unknown."""
    vocabulary = vocab.ALL.get(name)
    if vocabulary is None or code not in vocabulary:
        return code
    return vocabulary.get(code).label(lang)
