"""Read CSV, XLSX and JSON files into rows, detecting Korean encodings.

Readers never guess silently: a file that is not text, is truncated, has a header that
does not match, or holds an absurd cell is reported as a :class:`Problem` with its file,
row and column. Row numbers are those a spreadsheet shows (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from uncounted.errors import Problem
from uncounted.ingest.messages import make_problem
from uncounted.ingest.schema import BY_NAME, MAX_TEXT_CHARS, TABLES, Table

_BOM = b"\xef\xbb\xbf"
csv.field_size_limit(64 * 1024 * 1024)


@dataclass
class RawTable:
    """Rows of one table as read from one file, before validation."""

    table: Table
    file: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    encoding: str = "utf-8"


def decode(data: bytes, file: str) -> tuple[str | None, str, list[Problem]]:
    """Decode bytes as UTF-8 (with or without BOM), else CP949/EUC-KR; say what failed."""
    if not data.strip():
        return None, "", [make_problem(file, None, None, None, "empty_file")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "", [make_problem(file, None, None, None, "utf16")]
    if b"\x00" in data[:65536]:
        return None, "", [make_problem(file, None, None, None, "binary")]
    if data.startswith(_BOM):
        try:
            return data[len(_BOM) :].decode("utf-8"), "utf-8-sig", []
        except UnicodeDecodeError as exc:
            return None, "", [_decode_problem(file, data, exc, "not_utf8")]
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as utf8_error:
        try:
            # CP949 is Microsoft's superset of EUC-KR, used by Korean Excel.
            return data.decode("cp949"), "cp949", []
        except UnicodeDecodeError:
            return None, "", [_decode_problem(file, data, utf8_error, "not_korean_text")]


def _decode_problem(file: str, data: bytes, exc: UnicodeDecodeError, code: str) -> Problem:
    line = data[: exc.start].count(b"\n") + 1
    detected = ""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            detected = str(best.encoding)
    except Exception:  # pragma: no cover - detection is a courtesy only
        detected = ""
    if detected:
        return make_problem(file, line, None, None, f"{code}_detected", detected=detected)
    return make_problem(file, line, None, None, code)


def table_for(path: Path, header: list[str] | None = None) -> Table | None:
    """Which table a file holds: by its name, else by its columns."""
    stem = path.stem.lower().replace("-", "_").replace(" ", "_")
    if stem in BY_NAME:
        return BY_NAME[stem]
    if stem in {"mentions", "victims"}:
        return BY_NAME["victim_mentions"]
    if header:
        cols = set(header)
        for table in reversed(TABLES):
            if table.id_column in cols:
                return table
    return None


def read_csv_text(text: str, file: str, table: Table) -> tuple[RawTable | None, list[Problem]]:
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        return None, [make_problem(file, 1, None, None, "header_row_detail", detail=str(exc))]
    header = [h.strip().lstrip("\ufeff") for h in header]
    header_problems = check_header(header, file, table)
    if header_problems:
        return None, header_problems
    raw = RawTable(table, file, header)
    rownum = 1
    try:
        for values in reader:
            rownum = reader.line_num
            if not values or all(not v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.append(
                    make_problem(
                        file,
                        rownum,
                        None,
                        None,
                        "row_length",
                        expected=len(header),
                        found=len(values),
                    )
                )
                continue
            raw.rows.append((rownum, dict(zip(header, values, strict=True))))
    except csv.Error as exc:
        problems.append(
            make_problem(file, reader.line_num or rownum, None, None, "bad_csv", detail=str(exc))
        )
    if not raw.rows and not problems:
        problems.append(make_problem(file, None, None, None, "no_rows"))
    return raw, problems


def check_header(header: list[str], file: str, table: Table) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(make_problem(file, 1, name, None, "duplicate_column"))
        seen.add(name)
    missing = [c for c in table.required if c not in seen]
    for column in missing:
        problems.append(
            make_problem(file, 1, column, None, "missing_column", column=column, table=table.name)
        )
    extra = [c for c in header if c not in table.columns and not table.is_extra_identity(c)]
    for column in extra:
        problems.append(
            make_problem(
                file,
                1,
                column,
                None,
                "extra_column",
                table=table.name,
                columns=", ".join(table.columns),
            )
        )
    return problems


def read_xlsx(path: Path) -> tuple[list[RawTable], list[Problem]]:
    """Every sheet named for a table (or the only sheet, named by the file) as text."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    file = path.name
    try:
        # data_only=False keeps a formula as its text ("=SUM(A1)"): nothing is evaluated.
        book = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        return [], [make_problem(file, None, None, None, "xlsx_unreadable", detail=str(exc))]
    except Exception as exc:  # zipfile.BadZipFile and friends
        return [], [make_problem(file, None, None, None, "xlsx_unreadable", detail=str(exc))]
    tables: list[RawTable] = []
    problems: list[Problem] = []
    sheets = book.worksheets
    for sheet in sheets:
        table = BY_NAME.get(sheet.title.strip().lower())
        if table is None and len(sheets) == 1:
            table = table_for(path)
        if table is None:
            problems.append(
                make_problem(
                    f"{file}[{sheet.title}]",
                    None,
                    None,
                    None,
                    "sheet_name",
                    tables=", ".join(BY_NAME),
                )
            )
            continue
        where = f"{file}[{sheet.title}]"
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            problems.append(make_problem(where, None, None, None, "header_row"))
            continue
        header = [_cell_text(v).strip() for v in first]
        while header and not header[-1]:
            header.pop()
        hp = check_header(header, where, table)
        if hp:
            problems.extend(hp)
            continue
        raw = RawTable(table, where, header, encoding="xlsx")
        for offset, values in enumerate(rows, start=2):
            cells = [_cell_text(v) for v in values][: len(header)]
            if not any(c.strip() for c in cells):
                continue
            cells += [""] * (len(header) - len(cells))
            raw.rows.append((offset, dict(zip(header, cells, strict=True))))
        tables.append(raw)
    book.close()
    return tables, problems


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value)


def read_json(text: str, file: str, table: Table) -> tuple[RawTable | None, list[Problem]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [make_problem(file, exc.lineno, None, None, "json_invalid", detail=exc.msg)]
    if isinstance(data, dict) and table.name in data:
        data = data[table.name]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        return None, [make_problem(file, None, None, None, "json_not_list")]
    header: list[str] = []
    for record in data:
        for key in record:
            if key not in header:
                header.append(str(key))
    problems = check_header(header, file, table)
    if problems:
        return None, problems
    raw = RawTable(table, file, header, encoding="json")
    for index, record in enumerate(data, start=1):
        row = {k: _json_text(record.get(k)) for k in header}
        raw.rows.append((index, row))
    return raw, []


def _json_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ";".join(_json_text(v) for v in value)
    return str(value)


def read_path(path: Path) -> tuple[list[RawTable], list[Problem]]:
    """Read a folder in the simulator's layout, or one CSV/XLSX/JSON file."""
    if path.is_dir():
        tables: list[RawTable] = []
        problems: list[Problem] = []
        found = False
        for table in TABLES:
            for ext in (".csv", ".xlsx", ".json"):
                candidate = path / f"{table.name}{ext}"
                if candidate.exists():
                    found = True
                    t, p = read_file(candidate)
                    tables += t
                    problems += p
        if not found:
            problems.append(make_problem(str(path), None, None, None, "empty_folder"))
        return tables, problems
    if not path.exists():
        return [], [make_problem(str(path), None, None, None, "no_such_path")]
    return read_file(path)


def read_file(path: Path) -> tuple[list[RawTable], list[Problem]]:
    file = path.name
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix not in {".csv", ".json", ".txt", ".tsv"}:
        return [], [make_problem(file, None, None, None, "file_type")]
    data = path.read_bytes()
    text, encoding, problems = decode(data, file)
    if text is None:
        return [], problems
    first_line = text.split("\n", 1)[0]
    header_guess = [h.strip().strip('"') for h in first_line.split(",")]
    table = table_for(path, header_guess)
    if table is None:
        return [], [make_problem(file, 1, None, None, "unknown_table")]
    if suffix == ".json":
        raw, problems = read_json(text, file, table)
    else:
        raw, problems = read_csv_text(text, file, table)
    if raw is not None:
        raw.encoding = encoding if suffix != ".json" else raw.encoding
        return [raw], problems
    return [], problems


def iter_cells(raw: RawTable) -> Iterator[tuple[int, str, str]]:
    for rownum, row in raw.rows:
        for column, value in row.items():
            yield rownum, column, value


def oversize_problems(raw: RawTable) -> list[Problem]:
    problems = []
    for rownum, column, value in iter_cells(raw):
        if len(value) > MAX_TEXT_CHARS:
            problems.append(
                make_problem(
                    raw.file,
                    rownum,
                    column,
                    None,
                    "cell_too_long",
                    limit=f"{MAX_TEXT_CHARS:,}",
                    found=f"{len(value):,}",
                )
            )
    return problems
