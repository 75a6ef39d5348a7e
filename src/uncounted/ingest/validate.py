"""Validate rows of the layout's tables into clean records, collecting every problem.

Nothing here touches the store: the caller passes the ids already stored, so that
references can be checked, and gets back clean records, problems (which block the
import) and warnings (which do not).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from uncounted.errors import Problem
from uncounted.ingest.messages import make_problem
from uncounted.ingest.readers import RawTable
from uncounted.ingest.schema import MAX_FIELD_CHARS, MAX_TEXT_CHARS, Table
from uncounted.records import vocab
from uncounted.records.counts import COUNT_MAXIMUM, parse_age, parse_count
from uncounted.records.dates import FuzzyDate, parse_date
from uncounted.records.names import name_keys
from uncounted.records.places import ResolvedPlace, resolve_place

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}$")
_SEX = {
    "f": "f",
    "m": "m",
    "female": "f",
    "male": "m",
    "여": "f",
    "남": "m",
    "여성": "f",
    "남성": "m",
}
_YES_NO = {
    "yes": "yes",
    "no": "no",
    "y": "yes",
    "n": "no",
    "예": "yes",
    "아니오": "no",
    "true": "yes",
    "false": "no",
}
_LANGS = {"ko": "ko", "en": "en", "korean": "ko", "english": "en", "한국어": "ko", "영어": "en"}
EARLIEST_YEAR = 1945


@lru_cache(maxsize=200_000)
def _date(text: str) -> FuzzyDate:
    return parse_date(text)


@lru_cache(maxsize=200_000)
def _place(text: str) -> ResolvedPlace:
    return resolve_place(text)


@lru_cache(maxsize=500_000)
def _keys(text: str) -> str:
    return ";".join(name_keys(text))


@dataclass
class Known:
    """Ids already in the store (or earlier in this import), for reference checks."""

    collections: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    reports: set[str] = field(default_factory=set)
    interviews: dict[str, str] = field(default_factory=dict)  # interview_id -> source_id
    identifying_fields: set[str] = field(default_factory=set)  # keys an admin defined


@dataclass
class Validated:
    table: Table
    records: list[dict[str, Any]]
    problems: list[Problem]
    warnings: list[Problem]


class _Row:
    """Helper that reads one row's cells and records problems with their place."""

    def __init__(self, raw: RawTable, rownum: int, row: dict[str, str], out: Validated) -> None:
        self.raw, self.rownum, self.row, self.out = raw, rownum, row, out

    def text(self, column: str, *, limit: int = MAX_FIELD_CHARS) -> str:
        value = self.row.get(column, "")
        value = value.strip() if column not in {"narrative", "description"} else value
        if len(value) > limit:
            self.problem(column, None, "too_long", limit=f"{limit:,}", found=f"{len(value):,}")
            return value[:0]
        return value

    def problem(self, column: str | None, value: str | None, code: str, **params: Any) -> None:
        self.out.problems.append(self._make(column, value, code, params))

    def warn(self, column: str | None, value: str | None, code: str, **params: Any) -> None:
        self.out.warnings.append(self._make(column, value, code, params))

    def _make(
        self, column: str | None, value: str | None, code: str, params: dict[str, Any]
    ) -> Problem:
        shown = None if self.raw.table.is_identifying(column) else value
        return make_problem(self.raw.file, self.rownum, column, shown, code, **params)

    def ident(self, column: str) -> str:
        value = self.text(column, limit=64)
        if not value:
            self.problem(column, value, "id_missing")
        elif not _ID.match(value):
            self.problem(column, value, "id_format")
        return value

    def code(self, column: str, vocabulary: vocab.Vocabulary, default: str = "") -> str:
        value = self.text(column)
        if not value:
            return default
        code = value if value in vocabulary else vocabulary.lookup(value)
        if code is None:
            self.problem(column, value, "one_of", codes=", ".join(vocabulary.codes()))
            return ""
        return code

    def codes(self, column: str, vocabulary: vocab.Vocabulary) -> str:
        value = self.text(column)
        out: list[str] = []
        for part in re.split(r"[;,/|]", value):
            part = part.strip()
            if not part:
                continue
            code = part if part in vocabulary else vocabulary.lookup(part)
            if code is None:
                self.problem(column, part, "codes_from", codes=", ".join(vocabulary.codes()))
            elif code not in out:
                out.append(code)
        return ";".join(out)

    def mapped(self, column: str, mapping: dict[str, str], message: str) -> str:
        value = self.text(column)
        if not value:
            return ""
        code = mapping.get(value.lower())
        if code is None:
            self.problem(column, value, message)
            return ""
        return code

    def year(self, column: str) -> int | None:
        value = self.text(column)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            self.problem(column, value, "year")
            return None
        this_year = dt.date.today().year
        if not number.is_integer() or not 1900 <= number <= this_year:
            self.problem(column, value, "year_range", this_year=this_year)
            return None
        return int(number)

    def iso_date(self, column: str) -> dt.date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            self.problem(column, value, "iso_date")
            return None
        if not dt.date(EARLIEST_YEAR, 1, 1) <= day <= dt.date.today():
            self.problem(column, value, "date_range", earliest=EARLIEST_YEAR)
            return None
        return day


def _unique(rows: list[tuple[int, dict[str, str]]], raw: RawTable, out: Validated) -> None:
    first: dict[str, int] = {}
    column = raw.table.id_column
    for rownum, row in rows:
        key = row.get(column, "").strip()
        if not key:
            continue
        if key in first:
            out.problems.append(
                make_problem(raw.file, rownum, column, key, "unique_id", first=first[key])
            )
        else:
            first[key] = rownum


def validate(raw: RawTable, known: Known, *, accept_unresolved: bool = False) -> Validated:
    """Validate one table's rows; ``known`` is updated with the ids this table brings."""
    out = Validated(raw.table, [], [], [])
    _unique(raw.rows, raw, out)
    _unknown_identity_columns(raw, known, out)
    handler = _HANDLERS[raw.table.name]
    for rownum, row in raw.rows:
        cells = _Row(raw, rownum, row, out)
        before = len(out.problems)
        record = handler(cells, known, accept_unresolved)
        if len(out.problems) == before:
            out.records.append(record)
    _register(raw.table, out.records, known)
    return out


def _unknown_identity_columns(raw: RawTable, known: Known, out: Validated) -> None:
    """Report ``identity_*`` columns for fields no administrator defined (once per column)."""
    prefix = raw.table.identifying_prefix
    unknown = [
        c
        for c in raw.header
        if raw.table.is_extra_identity(c) and c[len(prefix) :] not in known.identifying_fields
    ]
    defined = ", ".join(prefix + k for k in sorted(known.identifying_fields))
    for column in unknown:
        code, params = (
            ("identity_column", {"defined": defined}) if defined else ("identity_none", {})
        )
        out.problems.append(make_problem(raw.file, 1, column, None, code, **params))


def _register(table: Table, records: list[dict[str, Any]], known: Known) -> None:
    if table.name == "collections":
        known.collections.update(r["collection_id"] for r in records)
    elif table.name == "sources":
        known.sources.update(r["source_id"] for r in records)
    elif table.name == "reports":
        known.reports.update(r["report_id"] for r in records)


def _collection(c: _Row, known: Known, accept: bool) -> dict[str, Any]:
    name = c.text("name", limit=256)
    if not name:
        c.problem("name", name, "collection_name")
    return {
        "collection_id": c.ident("collection_id"),
        "name": name,
        "kind": c.code("kind", vocab.COLLECTION_KINDS)
        or _required(c, "kind", vocab.COLLECTION_KINDS),
        "description": c.text("description", limit=MAX_TEXT_CHARS),
    }


def _required(c: _Row, column: str, vocabulary: vocab.Vocabulary) -> str:
    if not c.text(column):
        c.problem(column, "", "one_of", codes=", ".join(vocabulary.codes()))
    return ""


def _source(c: _Row, known: Known, accept: bool) -> dict[str, Any]:
    collection_id = c.ident("collection_id")
    if collection_id and collection_id not in known.collections:
        c.problem("collection_id", collection_id, "collection_ref")
    pseudonym = c.text("pseudonym", limit=64)
    if not pseudonym:
        c.problem("pseudonym", pseudonym, "pseudonym")
    origin = c.text("origin_place", limit=256)
    origin_code = None
    if origin:
        place = _place(origin)
        origin_code = place.code
        if place.code is None and not accept:
            c.problem("origin_place", origin, "origin_place")
    birth, departure, interview = (
        c.year("birth_year"),
        c.year("departure_year"),
        c.year("interview_year"),
    )
    if birth and departure and departure < birth:
        c.problem("departure_year", str(departure), "after_birth", birth=birth)
    if departure and interview and interview < departure:
        c.problem("interview_year", str(interview), "after_departure", departure=departure)
    return {
        "source_id": c.ident("source_id"),
        "collection_id": collection_id,
        "pseudonym": pseudonym,
        "kind": c.code("kind", vocab.SOURCE_KINDS) or _required(c, "kind", vocab.SOURCE_KINDS),
        "sex": c.mapped("sex", _SEX, "sex"),
        "birth_year": birth,
        "origin_place_as_told": origin,
        "origin_place_code": origin_code,
        "departure_year": departure,
        "interview_year": interview,
        "real_name": c.text("real_name", limit=256),
        "contact": c.text("contact", limit=512),
        "extra": {
            column[len(c.raw.table.identifying_prefix) :]: c.text(column)
            for column in c.raw.header
            if c.raw.table.is_extra_identity(column)
        },
    }


def _report(c: _Row, known: Known, accept: bool) -> dict[str, Any]:
    report_id = c.ident("report_id")
    source_id = c.ident("source_id")
    if source_id and source_id not in known.sources:
        c.problem("source_id", source_id, "source_ref")
    collection_id = c.ident("collection_id")
    if collection_id and collection_id not in known.collections:
        c.problem("collection_id", collection_id, "collection_ref")
    interview_id = c.text("interview_id", limit=64)
    if interview_id:
        if not _ID.match(interview_id):
            c.problem("interview_id", interview_id, "id_chars")
        owner = known.interviews.setdefault(interview_id, source_id)
        if owner != source_id:
            c.problem("interview_id", interview_id, "interview_owner")
    interview_date = c.iso_date("interview_date")

    date_text = c.text("date_as_told", limit=256)
    date = _date(date_text)
    if date_text and date.start is None and date.warning is not None:
        if accept:
            c.warn("date_as_told", date_text, "date_kept")
        else:
            c.problem("date_as_told", date_text, "date_unread")
    if date.start is not None and date.end is not None:
        if date.start.year < EARLIEST_YEAR or date.start > dt.date.today():
            c.problem("date_as_told", date_text, "date_range", earliest=EARLIEST_YEAR)
        elif interview_date is not None and date.start > interview_date:
            # Misremembered years are part of testimony: keep the account as told, flagged.
            c.warn("date_as_told", date_text, "date_after_interview", interview=str(interview_date))

    place_text = c.text("place_as_told", limit=256)
    place = _place(place_text) if place_text else None
    if place is not None and place.iso_3166_2 is None:
        if accept:
            c.warn("place_as_told", place_text, "place_kept")
        else:
            c.problem("place_as_told", place_text, "place_unknown")
    elif place is not None and place.flagged:
        names = ", ".join(u.code for u in place.candidates[:5])
        c.warn("place_as_told", place_text, "place_ambiguous", candidates=names)

    victims_text = c.text("victims_as_told", limit=64)
    victims = parse_count(victims_text)
    if not victims.ok:
        c.problem(
            "victims_as_told",
            victims_text,
            victims.problem_code or "victims",
            maximum=COUNT_MAXIMUM,
        )
    reliability = c.text("reliability")
    if reliability and reliability not in vocab.RELIABILITY:
        c.problem("reliability", reliability, "reliability")
    return {
        "report_id": report_id,
        "source_id": source_id,
        "collection_id": collection_id,
        "interview_id": interview_id,
        "interview_date": interview_date,
        "date_as_told": date_text,
        "date_start": date.start,
        "date_end": date.end,
        "date_precision": str(date.precision),
        "place_as_told": place_text,
        "place_code": place.code if place else None,
        "place_iso": (place.iso_3166_2 or "") if place else "",
        "place_level": str(place.level) if place and place.level else "",
        "place_flagged": bool(place.flagged) if place else False,
        "site_type": c.code("site_type", vocab.SITE_TYPES),
        "victims_as_told": victims_text,
        "victims_min": victims.low,
        "victims_max": victims.high,
        "charges": c.codes("charges", vocab.CHARGES),
        "method": c.code("method", vocab.METHODS),
        "how_known": c.code("how_known", vocab.HOW_KNOWN),
        "forced_attendance": c.mapped("forced_attendance", _YES_NO, "yes_no"),
        "violation": c.code("violation", vocab.VIOLATIONS, default="public_execution"),
        "reliability": "" if reliability == "unknown" else reliability,
        "language": c.mapped("language", _LANGS, "language"),
        "narrative": c.text("narrative", limit=MAX_TEXT_CHARS),
    }


def _mention(c: _Row, known: Known, accept: bool) -> dict[str, Any]:
    report_id = c.ident("report_id")
    if report_id and report_id not in known.reports:
        c.problem("report_id", report_id, "report_ref")
    name = c.text("name_as_told", limit=256)
    age_text = c.text("age_as_told", limit=64)
    age = parse_age(age_text)
    if not age.ok:
        c.problem("age_as_told", age_text, age.problem_code or "age")
    return {
        "mention_id": c.ident("mention_id"),
        "report_id": report_id,
        "name_as_told": name,
        "name_keys": _keys(name) if name else "",
        "sex": c.mapped("sex", _SEX, "sex"),
        "age_as_told": age_text,
        "age_min": age.low,
        "age_max": age.high,
        "charges": c.codes("charges", vocab.CHARGES),
    }


_HANDLERS: dict[str, Callable[[_Row, Known, bool], dict[str, Any]]] = {
    "collections": _collection,
    "sources": _source,
    "reports": _report,
    "victim_mentions": _mention,
}
