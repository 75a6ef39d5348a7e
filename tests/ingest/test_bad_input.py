"""The bad-input corpus: each kind of broken input gets a clear error that says where and
what to do, and leaves the store exactly as it was (imports are all or nothing)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.ingest.casebook import (
    COLUMNS,
    MENTION_ROWS,
    REPORT_ROWS,
    SOURCE_ROWS,
    snapshot,
    write_csv,
)

from uncounted.errors import ValidationError

pytestmark = [pytest.mark.django_db, pytest.mark.store]

Breaker = Callable[[Path], Path]


def _reports(folder: Path, **changes: str) -> Path:
    rows = [dict(REPORT_ROWS[0], **changes), REPORT_ROWS[1]]
    write_csv(folder / "reports.csv", rows, COLUMNS["reports"])
    return folder


def _sources(folder: Path, **changes: str) -> Path:
    rows = [dict(SOURCE_ROWS[0], **changes), SOURCE_ROWS[1]]
    write_csv(folder / "sources.csv", rows, COLUMNS["sources"])
    return folder


def _mentions(folder: Path, **changes: str) -> Path:
    rows = [dict(MENTION_ROWS[0], **changes), MENTION_ROWS[1]]
    write_csv(folder / "victim_mentions.csv", rows, COLUMNS["victim_mentions"])
    return folder


def _raw(name: str, data: bytes) -> Breaker:
    def breaker(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder

    return breaker


def _text(name: str, text: str, encoding: str = "utf-8") -> Breaker:
    return _raw(name, text.encode(encoding))


def _header(columns: list[str], rows: list[list[str]]) -> str:
    return "\n".join(",".join(r) for r in [columns, *rows]) + "\n"


REPORT_HEADER = list(COLUMNS["reports"])
GOOD_REPORT = [REPORT_ROWS[1][c] for c in REPORT_HEADER]


def _swap_date_place(folder: Path) -> Path:
    return _reports(folder, date_as_told="혜산시", place_as_told="2005년 3월")


def _single_file(folder: Path) -> Path:
    path = folder.parent / "notes.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    return path


def _corrupt_xlsx(folder: Path) -> Path:
    path = folder.parent / "reports.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    return path


def _second_file_bad(folder: Path) -> Path:
    # Everything is fine except the last file: nothing from the earlier files may land.
    return _mentions(folder, report_id="R999")


# (case id, how to break the casebook, text the error must contain)
CASES: list[tuple[str, Breaker, str]] = [
    ("empty_file", _raw("reports.csv", b""), "non-empty file"),
    ("whitespace_only", _raw("reports.csv", b"  \n\n "), "non-empty file"),
    ("binary_junk", _raw("reports.csv", bytes(range(256)) * 40), "binary"),
    ("utf16", _text("reports.csv", _header(REPORT_HEADER, [GOOD_REPORT]), "utf-16"), "UTF-16"),
    (
        "latin1",
        _raw("reports.csv", "report_id,naïve\u00e9 x\n".encode("latin-1") + b"\xe9 \xe9 \n"),
        "re-save",
    ),
    ("header_only", _text("reports.csv", ",".join(REPORT_HEADER) + "\n"), "at least one data row"),
    (
        "missing_column",
        _text("reports.csv", _header(REPORT_HEADER[1:], [GOOD_REPORT[1:]])),
        "'report_id'",
    ),
    (
        "extra_column",
        _text("reports.csv", _header([*REPORT_HEADER, "colour"], [[*GOOD_REPORT, "red"]])),
        "colour",
    ),
    (
        "duplicate_column",
        _text("reports.csv", _header([*REPORT_HEADER, "method"], [[*GOOD_REPORT, "x"]])),
        "each column name once",
    ),
    (
        "bad_date",
        lambda f: _reports(f, date_as_told="the day the dog barked twice"),
        "date_as_told",
    ),
    ("impossible_iso_date", lambda f: _reports(f, interview_date="2009-02-30"), "YYYY-MM-DD"),
    (
        "future_date",
        lambda f: _reports(f, date_as_told="2091-01-01", interview_date=""),
        "between 1945 and today",
    ),
    ("unknown_place", lambda f: _reports(f, place_as_told="Atlantis-si"), "gazetteer"),
    ("negative_count", lambda f: _reports(f, victims_as_told="-2"), "negative"),
    ("absurd_count", lambda f: _reports(f, victims_as_told="50000"), "at most 1000"),
    ("text_count", lambda f: _reports(f, victims_as_told="lots of them"), "victims_as_told"),
    ("duplicate_ids", lambda f: _reports(f, report_id="R002"), "unique id"),
    ("dangling_source", lambda f: _reports(f, source_id="S404"), "sources.csv or the store"),
    ("dangling_report", lambda f: _mentions(f, report_id="R404"), "reports.csv or the store"),
    (
        "dangling_collection",
        lambda f: _sources(f, collection_id="C404"),
        "collections.csv or the store",
    ),
    (
        "ten_mb_cell",
        lambda f: _reports(f, narrative="x" * (10 * 1024 * 1024)),
        "at most 100,000 characters",
    ),
    (
        "truncated_quote",
        _text("reports.csv", _header(REPORT_HEADER, [GOOD_REPORT]) + 'R9,S001,C01,,,"2005'),
        "truncated",
    ),
    (
        "too_few_values",
        _text("reports.csv", _header(REPORT_HEADER, [GOOD_REPORT[:5]])),
        "values as in the header",
    ),
    (
        "too_many_values",
        _text("reports.csv", _header(REPORT_HEADER, [[*GOOD_REPORT, "x", "y"]])),
        "values as in the header",
    ),
    ("swapped_columns", _swap_date_place, "date_as_told"),
    ("bad_method", lambda f: _reports(f, method="guillotine"), "firing_squad"),
    ("bad_charge", lambda f: _reports(f, charges="drugs;jaywalking"), "jaywalking"),
    ("bad_sex", lambda f: _mentions(f, sex="x"), "f, m or empty"),
    ("bad_birth_year", lambda f: _sources(f, birth_year="19seventy"), "a year"),
    (
        "departure_before_birth",
        lambda f: _sources(f, departure_year="1960"),
        "after the birth year",
    ),
    ("path_traversal_id", lambda f: _reports(f, report_id="../../etc/passwd"), "letters, digits"),
    ("bad_reliability", lambda f: _reports(f, reliability="7"), "1 (highly reliable)"),
    ("bad_age", lambda f: _mentions(f, age_as_told="200"), "an age"),
    (
        "interview_of_other_source",
        lambda f: (
            _reports(f, interview_id="I9")
            and _text(
                "reports.csv",
                _header(
                    REPORT_HEADER,
                    [
                        [REPORT_ROWS[0][c] for c in REPORT_HEADER],
                        [dict(REPORT_ROWS[1], interview_id="I001")[c] for c in REPORT_HEADER],
                    ],
                ),
            )(f)
        ),
        "own source",
    ),
    ("unknown_table_file", _single_file, "named for its table"),
    ("corrupt_xlsx", _corrupt_xlsx, "readable .xlsx"),
    ("json_not_list", _text("reports.json", json.dumps({"a": 1})), "list of objects"),
    ("json_invalid", _text("reports.json", '[{"report_id": '), "valid JSON"),
    ("bad_vocab_kind", lambda f: _sources(f, kind="alien"), "interviewee"),
    ("later_file_bad", _second_file_bad, "reports.csv or the store"),
]


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize(("case", "breaker", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_store_unchanged(
    casebook: Path, case: str, breaker: Breaker, expected: str
) -> None:
    from uncounted.ingest.load import import_path

    # Start from a store that already holds data: it must survive untouched.
    import_path(casebook / "collections.csv")
    before = snapshot()
    if case.startswith("json_"):
        (casebook / "reports.csv").unlink()
    target = breaker(casebook)
    with pytest.raises(ValidationError) as info:
        import_path(target)
    message = str(info.value)
    assert expected in message, message[:2000]
    assert "nothing was written" in message
    for problem in info.value.problems:
        assert problem.file, "every problem names its file"
    assert snapshot() == before


def test_all_problems_of_a_file_are_reported_at_once(casebook: Path) -> None:
    from uncounted.ingest.load import import_path

    rows = [
        dict(REPORT_ROWS[0], method="guillotine", victims_as_told="-1"),
        dict(REPORT_ROWS[1], place_as_told="Atlantis"),
    ]
    write_csv(casebook / "reports.csv", rows, COLUMNS["reports"])
    with pytest.raises(ValidationError) as info:
        import_path(casebook)
    where = {(p.file, p.row, p.column) for p in info.value.problems}
    assert ("reports.csv", 2, "method") in where
    assert ("reports.csv", 2, "victims_as_told") in where
    assert ("reports.csv", 3, "place_as_told") in where


def test_identity_values_never_appear_in_errors(casebook: Path) -> None:
    from uncounted.ingest.load import import_path

    secret = "비밀이름" * 100  # too long: an error on the identity column itself
    _sources(casebook, real_name=secret, birth_year="abc")
    with pytest.raises(ValidationError) as info:
        import_path(casebook)
    message = str(info.value)
    assert "real_name" in message and "birth_year" in message
    assert "비밀이름" not in message
    assert SOURCE_ROWS[0]["contact"] not in message


def test_accept_unresolved_keeps_text_as_told(casebook: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.models import Report

    _reports(
        casebook, place_as_told="the village by the river", date_as_told="when the snow melted"
    )
    result = import_path(casebook, accept_unresolved=True)
    report = Report.objects.get(report_id="R001")
    assert report.place_as_told == "the village by the river" and report.place_id is None
    assert report.date_as_told == "when the snow melted" and report.date_start is None
    assert {w.column for w in result.warnings} >= {"place_as_told", "date_as_told"}


@pytest.mark.django_db(transaction=True)
def test_failure_inside_the_write_rolls_back_for_real(
    casebook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash while writing (not while validating) leaves nothing behind: one transaction."""
    from uncounted.ingest import load

    before = snapshot()

    def explode(records: object, counts: object, progress: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setitem(load._WRITERS, "victim_mentions", explode)
    with pytest.raises(RuntimeError):
        load.import_path(casebook)
    assert snapshot() == before


def test_event_dated_after_its_interview_is_kept_with_a_warning(casebook: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.models import Report

    _reports(casebook, date_as_told="2012", interview_date="2009-05-01")
    result = import_path(casebook)
    assert Report.objects.get(report_id="R001").date_as_told == "2012"
    assert any("before the interview" in w.expected for w in result.warnings)
