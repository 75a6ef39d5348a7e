"""The command line as a user meets it: help, version, parse, import and export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.ingest.casebook import COLUMNS, REPORT_ROWS, SOURCE_ROWS, TABLE_ROWS, write_csv

CLI = [sys.executable, "-m", "uncounted.cli"]


def run(
    *args: str, cwd: Path | None = None, db: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("UNCOUNTED_DB", None)
    if db:
        env["UNCOUNTED_DB"] = db
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


def test_help_lists_every_command_with_one_line() -> None:
    out = run("--help")
    assert out.returncode == 0
    commands = out.stdout.split("Commands:", 1)[1].strip("\n").splitlines()
    names = [
        line.split()[0] for line in commands if line.startswith("  ") and not line.startswith("   ")
    ]
    for command in ("parse", "simulate", "import", "export", "estimate", "demo"):
        assert command in names
    # One line each, not cut short: a user reads what every command does.
    assert len(commands) == len(names)
    assert not any(line.rstrip().endswith("...") for line in commands)


def test_version() -> None:
    from uncounted import __version__

    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"uncounted {__version__}"


def test_parse_date_json() -> None:
    out = run("parse", "date", "2005년 봄", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data == {
        "as_told": "2005년 봄",
        "start": "2005-03-01",
        "end": "2005-05-31",
        "precision": "season",
    }


def test_parse_date_unknown_is_null() -> None:
    data = json.loads(run("parse", "date", "모름", "--json").stdout)
    assert data["start"] is None and data["end"] is None and data["as_told"] == "모름"


def test_parse_place_json() -> None:
    data = json.loads(run("parse", "place", "Hyesan-si", "--json").stdout)
    assert data["as_told"] == "Hyesan-si"
    assert data["iso_3166_2"] == "KP-10"
    assert data["level"] == "county"
    assert data["name"].startswith("Hyesan")
    assert data["candidates"] == []
    province = json.loads(run("parse", "place", "somewhere in North Hamgyong", "--json").stdout)
    assert province["iso_3166_2"] == "KP-09" and province["level"] == "province"
    unknown = json.loads(run("parse", "place", "Atlantis", "--json").stdout)
    assert unknown["iso_3166_2"] is None and unknown["level"] is None


def test_parse_name_json_shares_keys() -> None:
    a = json.loads(run("parse", "name", "Jang Song-thaek", "--json").stdout)
    b = json.loads(run("parse", "name", "장성택", "--json").stdout)
    c = json.loads(run("parse", "name", "Kim Jong-un", "--json").stdout)
    assert a["as_told"] == "Jang Song-thaek" and isinstance(a["keys"], list)
    assert set(a["keys"]) & set(b["keys"])
    assert not set(a["keys"]) & set(c["keys"])


def _casebook(folder: Path) -> Path:
    folder.mkdir()
    for name, rows in TABLE_ROWS.items():
        write_csv(folder / f"{name}.csv", rows, COLUMNS[name])
    return folder


@pytest.mark.slow
def test_import_export_roundtrip_and_bad_input_exit_code(tmp_path: Path) -> None:
    book = _casebook(tmp_path / "book")
    db = str(tmp_path / "cases.sqlite3")
    first = run("import", str(book), "--db", db, "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["tables"]["reports"]["created"] == 2
    again = run("import", str(book), "--db", db, "--json")
    assert json.loads(again.stdout)["tables"]["reports"]["unchanged"] == 2
    # A broken file: exit code 2, the problem named, the identity never echoed.
    bad = tmp_path / "bad"
    bad.mkdir()
    write_csv(bad / "sources.csv", [dict(SOURCE_ROWS[0], birth_year="abc")], COLUMNS["sources"])
    write_csv(bad / "reports.csv", [dict(REPORT_ROWS[0], method="guillotine")], COLUMNS["reports"])
    failed = run("import", str(bad), "--db", db)
    assert failed.returncode == 2
    assert "sources.csv, row 2, column 'birth_year'" in failed.stderr
    assert "reports.csv, row 2, column 'method'" in failed.stderr
    assert SOURCE_ROWS[0]["real_name"] not in failed.stderr + failed.stdout
    out = tmp_path / "out"
    exported = run("export", str(out), "--db", db)
    assert exported.returncode == 0, exported.stderr
    assert (
        (out / "reports.csv").read_text(encoding="utf-8").startswith(",".join(COLUMNS["reports"]))
    )


def test_db_from_environment(tmp_path: Path) -> None:
    book = _casebook(tmp_path / "book")
    db = tmp_path / "env.sqlite3"
    result = run("import", str(book / "collections.csv"), db=str(db))
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_db_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run("import", str(tmp_path), "--db", str(tmp_path))
    assert result.returncode == 2
    assert "is a folder" in result.stderr
