"""Read a told date: unknown words, one form (maybe approximate), or a span of two.

The conventions are documented in ``uncounted.records.dates``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from uncounted.records.dates_calendar import DateNotUnderstood, Span, aligned, widen
from uncounted.records.dates_grammar import read_single
from uncounted.records.dates_model import FuzzyDate, Precision
from uncounted.records.dates_normalize import UNKNOWN_PHRASES, normalize, strip_approx

# Longer texts are notes, not dates; the cap also bounds the work done on any input.
MAX_TOLD_LENGTH = 120
# A told span has one separator; a few more are tried because numeric dates contain "-".
MAX_SPLITS = 12
# "14 to 20 March 2005" borrows "March 2005": at most this many words are borrowed.
MAX_BORROWED_WORDS = 4
# "1998-99", "2000-14": a shortened end year is the first later year with those digits,
# if it is this close; "2005-00" (2005 to 2100) is more likely a slip than a span.
MAX_SHORTENED_SPAN_YEARS = 30

UNDERSTOOD_FORMS = (
    "'14 March 2005', '2005-03-14', 'March 2005', 'spring 2005', 'early 2005', 'around 2008', "
    "'2007 or 2008', 'late 1990s', '2005년 3월 14일', '2005년 봄', '2008년경', '1990년대 후반'"
)
NOT_UNDERSTOOD = (
    f"not understood as a date; kept as told without a range (forms understood: {UNDERSTOOD_FORMS})"
)
TOO_LONG = f"longer than {MAX_TOLD_LENGTH} characters, so not read as a date; kept as told"
INTERNAL_ERROR = "the date parser failed on this text; kept as told without a range (please report)"

_SEPARATOR = re.compile(
    r"\s*(?:-|~|/)\s*"
    r"|\s+(?:or|to|until|till|through|thru|and|또는|혹은|아니면|이나|내지|부터|에서|과|와)\s+"
)
_SPAN_OPENING = re.compile(r"^(?:between|from)\s+")
_SPAN_CLOSING = re.compile(r"\s+(?:까지|사이)$")
_UNIT_AT_START = re.compile(r"\d+(년|월|일)")
_TWO_DIGITS = re.compile(r"\d\d")
_YEAR_AT_END = re.compile(r"(?<!\d)(\d\d)(\d\d)$")


def parse_date(text: str) -> FuzzyDate:
    """Read a date as a witness told it, in English or Korean.

    Parameters
    ----------
    text : str
        The date as told: ``"14 March 2005"``, ``"2005년 봄"``, ``"around 2008"``,
        ``"late 1990s"``, ``"모름"``, ...

    Returns
    -------
    FuzzyDate
        ``as_told`` is ``text`` unchanged. Text that says the date is not known
        (``unknown``, ``모름``, ``don't know``, empty) gives precision UNKNOWN and
        no range. Text that cannot be read gives the same, with ``warning`` set;
        no ``ParseWarning`` is emitted or raised (callers that want one can
        emit it from ``warning``). Never raises for any ``str``.
    """
    try:
        return _parse(text)
    except Exception:
        # A parser bug must not stop an import of thousands of testimonies.
        return FuzzyDate(text, None, None, Precision.UNKNOWN, INTERNAL_ERROR)


def _parse(text: str) -> FuzzyDate:
    if len(text) > MAX_TOLD_LENGTH:
        return FuzzyDate(text, None, None, Precision.UNKNOWN, TOO_LONG)
    normal = normalize(text)
    if normal in UNKNOWN_PHRASES:
        return FuzzyDate(text, None, None, Precision.UNKNOWN)
    reason = None
    try:
        span = _read_approximate(normal)
    except DateNotUnderstood as problem:
        reason, span = str(problem), None
    if span is None:
        span = _read_span(normal)
    if span is None:
        warning = f"{reason}; kept as told without a range" if reason else NOT_UNDERSTOOD
        return FuzzyDate(text, None, None, Precision.UNKNOWN, warning)
    return FuzzyDate(text, span.start, span.end, span.precision, span.note)


def _read_approximate(text: str) -> Span | None:
    bare, before, after = strip_approx(text)
    span = read_single(bare)
    if span is None:
        return None
    return widen(span) if before or after else span


def _read_span(text: str) -> Span | None:
    """Two dates joined by a separator ("or", "to", "-", "~", "또는", ...): their hull."""
    text = _SPAN_OPENING.sub("", text)
    for count, separator in enumerate(_SEPARATOR.finditer(text)):
        if count >= MAX_SPLITS:
            break
        left = text[: separator.start()]
        right = _SPAN_CLOSING.sub("", text[separator.end() :])
        if left and right:
            try:
                span = _join(left, right)
            except DateNotUnderstood:
                span = None
            if span is not None:
                return span
    return None


def _join(left: str, right: str) -> Span | None:
    left_bare, left_before, left_after = strip_approx(left)
    right_bare, right_before, right_after = strip_approx(right)
    left_span = _first_reading(_left_readings(left_bare, right_bare))
    right_span = _first_reading(_right_readings(right_bare, left_bare))
    if left_span is None or right_span is None:
        return None
    # "around 2007 or 2008" and "2007 or 2008?": the word qualifies the whole span.
    whole = (left_before and not (left_after or right_before or right_after)) or (
        right_after and not (left_before or left_after or right_before)
    )
    if not whole:
        if left_before or left_after:
            left_span = widen(left_span)
        if right_before or right_after:
            right_span = widen(right_span)
    notes = [span.note for span in (left_span, right_span) if span.note]
    span = aligned(
        min(left_span.start, right_span.start),
        max(left_span.end, right_span.end),
        "; ".join(notes) or None,
    )
    return widen(span) if whole else span


def _first_reading(candidates: Iterator[str]) -> Span | None:
    for candidate in candidates:
        try:
            span = read_single(candidate)
        except DateNotUnderstood:
            continue
        if span is not None:
            return span
    return None


def _left_readings(left: str, right: str) -> Iterator[str]:
    """The left date alone, then completed from the right: "14 to 20 March 2005", "3~5월"."""
    yield left
    unit = _UNIT_AT_START.match(right)
    if unit is not None and left[-1:].isdigit():
        yield left + unit[1]
    words = right.split()
    for count in range(1, min(len(words), MAX_BORROWED_WORDS + 1)):
        yield f"{left} {' '.join(words[-count:])}"


def _right_readings(right: str, left: str) -> Iterator[str]:
    """The right date alone, then completed from the left: "1998-99", "2005년 3월~5월"."""
    yield right
    year = _YEAR_AT_END.search(left)
    if year is not None and _TWO_DIGITS.fullmatch(right):
        told_year = int(year[1] + year[2])
        completed = int(year[1]) * 100 + int(right)
        if completed <= told_year:
            completed += 100
        if completed - told_year <= MAX_SHORTENED_SPAN_YEARS:
            yield str(completed)
    words = left.split()
    for count in range(1, min(len(words), MAX_BORROWED_WORDS + 1)):
        yield f"{' '.join(words[:count])} {right}"
