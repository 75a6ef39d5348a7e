"""Good input gets in whole, exactly as told, and importing it again changes nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.ingest.casebook import COLUMNS, REPORT_ROWS, SOURCE_ROWS, TABLE_ROWS, snapshot, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.store]


def test_folder_imports_with_parsed_fields(casebook: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.models import Report, Source, SourceIdentity, VictimMention

    result = import_path(casebook)
    assert {k: v.created for k, v in result.counts.items()} == {
        "collections": 2,
        "sources": 2,
        "reports": 2,
        "victim_mentions": 2,
    }
    r1 = Report.objects.get(report_id="R001")
    assert r1.date_as_told == "2005년 3월"
    assert (r1.date_start.isoformat(), r1.date_end.isoformat()) == ("2005-03-01", "2005-03-31")
    assert r1.place_as_told == "혜산시" and r1.place_iso == "KP-10"
    assert r1.place_id is not None and r1.place_id.startswith("KP-10-")
    assert (r1.victims_min, r1.victims_max) == (3, 3)
    assert r1.charge_list == ["drugs", "smuggling"]
    # Formula-like text is stored as text, exactly as told.
    assert r1.narrative == REPORT_ROWS[0]["narrative"]
    assert r1.interview is not None and r1.interview.date.isoformat() == "2009-05-01"
    r2 = Report.objects.get(report_id="R002")
    assert r2.violation == "public_execution"  # the default when the cell is empty
    assert (r2.victims_min, r2.victims_max) == (2, 3)
    # Identity is kept apart from the source row.
    s1 = Source.objects.get(source_id="S001")
    assert SourceIdentity.objects.get(source=s1).real_name == SOURCE_ROWS[0]["real_name"]
    assert not SourceIdentity.objects.filter(source__source_id="S002").exists()
    keys1 = set(VictimMention.objects.get(mention_id="M001").name_keys.split(";"))
    keys2 = set(VictimMention.objects.get(mention_id="M002").name_keys.split(";"))
    assert keys1 & keys2, "Hangul and McCune-Reischauer spellings of one name must share a key"


def test_second_import_changes_nothing(casebook: Path) -> None:
    from uncounted.ingest.load import import_path

    import_path(casebook)
    before = snapshot()
    again = import_path(casebook)
    assert not again.changed
    assert all(c.unchanged == len(TABLE_ROWS[name]) for name, c in again.counts.items())
    assert snapshot() == before


def test_changed_row_is_updated_in_place(casebook: Path) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.models import Report

    import_path(casebook)
    pk = Report.objects.get(report_id="R002").pk
    rows = [dict(REPORT_ROWS[1], victims_as_told="4")]
    write_csv(casebook / "reports.csv", rows, COLUMNS["reports"])
    (casebook / "victim_mentions.csv").unlink()
    result = import_path(casebook)
    assert result.counts["reports"].updated == 1
    r2 = Report.objects.get(report_id="R002")
    assert r2.pk == pk and (r2.victims_min, r2.victims_max) == (4, 4)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp949", "euc-kr"])
def test_korean_encodings_are_detected(casebook: Path, encoding: str) -> None:
    from uncounted.ingest.load import import_path
    from uncounted.store.models import Report

    rows = [dict(r, narrative="시장에서 처형") for r in REPORT_ROWS]
    write_csv(casebook / "reports.csv", rows, COLUMNS["reports"], encoding=encoding)
    result = import_path(casebook)
    assert result.encodings["reports.csv"] in {"utf-8-sig", "cp949"}
    assert Report.objects.get(report_id="R001").date_as_told == "2005년 3월"
    assert Report.objects.get(report_id="R001").narrative == "시장에서 처형"


def test_single_files_csv_xlsx_json(casebook: Path, tmp_path: Path) -> None:
    import json

    from openpyxl import Workbook

    from uncounted.ingest.load import import_path
    from uncounted.store.models import Report, Source, VictimMention

    import_path(casebook / "collections.csv")
    book = Workbook()
    sheet = book.active
    sheet.title = "sources"
    sheet.append(list(COLUMNS["sources"]))
    for row in SOURCE_ROWS:
        sheet.append([row[c] for c in COLUMNS["sources"]])
    book.save(tmp_path / "sources.xlsx")
    import_path(tmp_path / "sources.xlsx")
    assert Source.objects.count() == 2
    import_path(casebook / "reports.csv")
    mentions = tmp_path / "victim_mentions.json"
    from tests.ingest.casebook import MENTION_ROWS

    mentions.write_text(json.dumps(MENTION_ROWS, ensure_ascii=False), encoding="utf-8")
    import_path(mentions)
    assert VictimMention.objects.count() == 2 and Report.objects.count() == 2


def test_export_writes_values_back_exactly(casebook: Path, tmp_path: Path) -> None:
    from uncounted.ingest.export import export_store
    from uncounted.ingest.load import import_path

    import_path(casebook)
    out = tmp_path / "out"
    export_store(out, with_identities=True)
    for name, rows in TABLE_ROWS.items():
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            got = list(csv.DictReader(handle))
        expected = [dict(r) for r in rows]
        if name == "reports":  # the default violation is filled in on import
            expected[1]["violation"] = "public_execution"
        assert got == expected, name


def test_export_hides_identities_unless_asked(casebook: Path, tmp_path: Path) -> None:
    from uncounted.ingest.export import export_store
    from uncounted.ingest.load import import_path

    import_path(casebook)
    export_store(tmp_path / "out")
    text = (tmp_path / "out" / "sources.csv").read_text(encoding="utf-8")
    assert SOURCE_ROWS[0]["real_name"] not in text and SOURCE_ROWS[0]["contact"] not in text


def test_spreadsheet_safe_and_xlsx_text_cells(casebook: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from uncounted.ingest.export import export_store
    from uncounted.ingest.load import import_path

    import_path(casebook)
    export_store(tmp_path / "safe", spreadsheet_safe=True)
    with (tmp_path / "safe" / "reports.csv").open(encoding="utf-8", newline="") as handle:
        narratives = [r["narrative"] for r in csv.DictReader(handle)]
    assert narratives == ["'" + REPORT_ROWS[0]["narrative"], "'" + REPORT_ROWS[1]["narrative"]]
    export_store(tmp_path / "x", fmt="xlsx")
    sheet = load_workbook(tmp_path / "x" / "reports.xlsx").active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("narrative") + 1)
    assert cell.data_type == "s" and cell.value == REPORT_ROWS[0]["narrative"]


def test_xlsx_export_reimports_identically(casebook: Path, tmp_path: Path) -> None:
    from uncounted.ingest.export import export_store
    from uncounted.ingest.load import import_path

    import_path(casebook)
    export_store(tmp_path / "x", fmt="xlsx", with_identities=True)
    before = snapshot()
    for name in TABLE_ROWS:
        result = import_path(tmp_path / "x" / f"{name}.xlsx")
        assert not result.changed, name
    assert snapshot() == before
