"""What the importer says about a problem: one message code per kind of problem.

A :class:`~uncounted.errors.Problem` from the readers or the validator carries its
``code`` and ``params`` beside the English ``expected`` text, so that the web app can
show the same message in Korean (the templates below are the gettext message ids of
``uncounted/web/locale``) while the command line keeps its English text unchanged.

Parameters are never prose: ids, codes, numbers, file and column names, and the
technical detail of a parser's own error (``detail``, which a translation may leave out).
They never hold a value of an identifying column.
"""

from __future__ import annotations

from typing import Any

from uncounted.errors import Problem

__all__ = ["MESSAGES", "expected_text", "make_problem"]

MESSAGES: dict[str, str] = {
    # Files: reading, encoding, layout.
    "empty_file": "a non-empty file with a header row",
    "utf16": "text in UTF-8; this file is UTF-16: re-save it as UTF-8",
    "binary": "a text file (CSV); this looks like a binary file",
    "not_utf8": "text in UTF-8; re-save the file as UTF-8 and import it again",
    "not_utf8_detected": (
        "text in UTF-8 (it looks like %(detected)s); re-save the file as UTF-8 and import it again"
    ),
    "not_korean_text": (
        "text in UTF-8 or CP949/EUC-KR; re-save the file as UTF-8 and import it again"
    ),
    "not_korean_text_detected": (
        "text in UTF-8 or CP949/EUC-KR (it looks like %(detected)s); re-save the file as UTF-8 "
        "and import it again"
    ),
    "file_type": "a .csv, .xlsx or .json file",
    "no_such_path": "an existing file or folder",
    "empty_folder": (
        "a folder with collections.csv, sources.csv, reports.csv and/or victim_mentions.csv"
    ),
    "unknown_table": (
        "a file named for its table (collections, sources, reports, victim_mentions) "
        "or with that table's id column"
    ),
    "header_row": "a header row of column names",
    "header_row_detail": "a header row of column names (%(detail)s)",
    "duplicate_column": "each column name once",
    "missing_column": "a column %(column)r (required in %(table)s)",
    "extra_column": "only the columns of %(table)s: %(columns)s (remove it or rename it)",
    "identity_column": (
        "an identifying field an administrator defined (%(defined)s); an administrator "
        "defines it first (web: Identifying fields; or uncounted identity-fields add)"
    ),
    "identity_none": (
        "an identifying field an administrator defined (none is defined yet); an "
        "administrator defines it first (web: Identifying fields; or uncounted "
        "identity-fields add)"
    ),
    "row_length": (
        "%(expected)s values as in the header, found %(found)s"
        " (a truncated line, or a separator or quote inside an unquoted cell)"
    ),
    "bad_csv": (
        "well-formed CSV (%(detail)s); the file may be truncated or have an unclosed quote"
    ),
    "no_rows": "at least one data row below the header",
    "xlsx_unreadable": "a readable .xlsx workbook (%(detail)s)",
    "sheet_name": "a sheet named after its table (%(tables)s)",
    "json_invalid": "valid JSON (%(detail)s)",
    "json_not_list": "a JSON list of objects, one per row",
    "cell_too_long": "at most %(limit)s characters in a cell; found %(found)s",
    # Cells: ids, references, vocabularies.
    "too_long": "at most %(limit)s characters; found %(found)s",
    "id_missing": "an id (letters, digits, _ . : -)",
    "id_format": "an id of letters, digits and _ . : - (at most 64)",
    "id_chars": "an id of letters, digits and _ . : -",
    "unique_id": "a unique id (also on row %(first)s)",
    "collection_ref": "the id of a collection in collections.csv or the store",
    "source_ref": "the id of a source in sources.csv or the store",
    "report_ref": "the id of a report in reports.csv or the store",
    "interview_owner": "an interview of this report's own source",
    "one_of": "one of %(codes)s",
    "codes_from": "codes from %(codes)s, separated by ;",
    "sex": "f, m or empty",
    "yes_no": "yes, no or empty",
    "language": "ko, en or empty",
    "reliability": "1 (highly reliable) to 5 (highly unreliable), or empty",
    "collection_name": "a name for the collection",
    "pseudonym": "a pseudonymous code shown in place of the identity",
    # Years and dates.
    "year": "a year such as 2008",
    "year_range": "a year between 1900 and %(this_year)s",
    "after_birth": "a year after the birth year %(birth)s",
    "after_departure": "a year not before the departure year %(departure)s",
    "iso_date": "a date as YYYY-MM-DD",
    "date_range": "a date between %(earliest)s and today",
    "date_unread": (
        "a date such as 2005-03-14, March 2005, spring 2005, around 2008 or 2005년 3월 "
        "(or 'unknown'; or import with --accept-unresolved to keep it as told)"
    ),
    "date_kept": "a date the parser can read; kept as told",
    "date_after_interview": "a date before the interview (%(interview)s)",
    # Places.
    "origin_place": "a place in the gazetteer (or import with --accept-unresolved)",
    "place_unknown": (
        "a place in the gazetteer, e.g. Hyesan, 혜산시 or 'somewhere in North Hamgyong' "
        "(or import with --accept-unresolved to keep it as told and flagged)"
    ),
    "place_kept": "a place in the gazetteer; kept as told and flagged",
    "place_ambiguous": "one place; ambiguous between %(candidates)s",
    # Counts and ages (the texts of uncounted.records.counts).
    "count_negative": "a count cannot be negative",
    "count_unreadable": "a whole number, a range like 2-3, or a word like 'several'",
    "count_too_large": "at most %(maximum)s for one event",
    "victims": "a number of victims",
    "age_unreadable": "an age such as 34, 30s, 30대 or 'about 40' (0-120)",
    "age": "an age",
    # The web app's report form.
    "report_id_taken": "an id no other report uses",
    "mention_id_taken": "an id no other mention uses",
    "edit_version": "the version of the report being edited",
}


def expected_text(code: str, params: dict[str, Any]) -> str:
    """The English text of message ``code`` with its parameters filled in."""
    return MESSAGES[code] % params


def make_problem(
    file: str,
    row: int | None,
    column: str | None,
    value: str | None,
    code: str,
    /,
    **params: Any,
) -> Problem:
    """A problem with its message code and parameters (and the English text from them)."""
    return Problem(file, row, column, value, expected_text(code, params), code, params)
